//! Checks a LUNA deployment against this crate's endpoint catalogue:
//! `cargo run --example check_deployment [-- SERVICE...]`.
//!
//! Each service's OpenAPI document (`GET /docs/spec`) is compared with the endpoints the crate
//! calls; the report is printed as a table and the exit code is 0 when every checked service
//! conforms, 1 when something differs or a service cannot be checked, 2 on a configuration
//! error. The services are configured like the other examples, from `LUNA_<SERVICE>_ADDRESS`
//! (and `LUNA_ACCOUNT_ID`, `LUNA_<SERVICE>_TIMEOUTS`). Checked: the services named on the
//! command line (`faces`, `events`, `image_store`, `python_matcher`, `remote_sdk`, `sender`,
//! `handlers`), else those whose address variable is set, else all seven at their defaults.

use std::process::ExitCode;

use luna_clients::{LunaClient, Service};

/// The services named by `args`, or the ones configured in the environment, or all of them.
fn services(args: &[String]) -> Result<Vec<Service>, String> {
    if !args.is_empty() {
        return args.iter().map(|arg| service_named(arg)).collect();
    }
    let configured: Vec<Service> = Service::ALL
        .into_iter()
        .filter(|s| std::env::var_os(s.address_variable()).is_some())
        .collect();
    Ok(if configured.is_empty() {
        Service::ALL.to_vec()
    } else {
        configured
    })
}

/// A service by its settings name (`image_store`), its name (`luna-image-store`), or the end
/// of its settings name when only one service has it (`matcher`, `store`); any case.
fn service_named(name: &str) -> Result<Service, String> {
    let arg = name.to_ascii_uppercase().replace('-', "_");
    let exact = Service::ALL.into_iter().find(|s| {
        arg == s.settings_name() || arg == s.to_string().to_ascii_uppercase().replace('-', "_")
    });
    let suffix: Vec<Service> = Service::ALL
        .into_iter()
        .filter(|s| s.settings_name().ends_with(&format!("_{arg}")))
        .collect();
    match (exact, suffix.as_slice()) {
        (Some(service), _) => Ok(service),
        (None, [service]) => Ok(*service),
        _ => Err(format!(
            "unknown service {name:?} (one of {})",
            Service::ALL
                .map(|s| s.settings_name().to_ascii_lowercase())
                .join(", ")
        )),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (client, services) = match LunaClient::from_env()
        .map_err(|e| e.to_string())
        .and_then(|client| services(&args).map(|services| (client, services)))
    {
        Ok(configured) => configured,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let report = client.check_conformance_of(&services).await;
    print!("{report}");
    if report.is_conformant() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
