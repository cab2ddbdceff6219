//! `luna-emulator`: serves luna-faces, luna-events, luna-image-store, luna-remote-sdk,
//! luna-handlers, luna-python-matcher and luna-sender on their default LUNA ports (plus an
//! optional offset) until stopped, logging one line per request.

use luna_emulator::{Config, Emulator};
use std::process::ExitCode;

const USAGE: &str =
    "usage: luna-emulator [--host <ip>] [--port-offset <n>] [--account-id <uuid>] [--quiet]

  --host <ip>           address to listen on (default 127.0.0.1)
  --port-offset <n>     add n to every default port (faces 5030, events 5040, image store 5020,
                        remote sdk 5220, handlers 5090, python matcher 5100, sender 5080)
  --account-id <uuid>   account of state-changing requests without Luna-Account-Id
  --quiet               no request log";

fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = Config {
        port_offset: Some(0),
        log_requests: true,
        ..Config::default()
    };
    let mut i = 0;
    while i < args.len() {
        let value = || {
            args.get(i + 1)
                .ok_or_else(|| format!("{} needs a value", args[i]))
        };
        match args[i].as_str() {
            "--host" => config.host = value()?.parse().map_err(|e| format!("--host: {e}"))?,
            "--port-offset" => {
                config.port_offset = Some(
                    value()?
                        .parse()
                        .map_err(|e| format!("--port-offset: {e}"))?,
                )
            }
            "--account-id" => {
                config.default_account = Some(
                    uuid::Uuid::try_parse(value()?).map_err(|e| format!("--account-id: {e}"))?,
                )
            }
            "--quiet" => {
                config.log_requests = false;
                i += 1;
                continue;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument '{other}'")),
        }
        i += 2;
    }
    Ok(config)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(config) => config,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("luna-emulator: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let account = config.default_account;
    let emulator = match Emulator::start_with(config) {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("luna-emulator: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (name, value) in emulator.env() {
        println!("{name}={value}");
    }
    if let Some(account) = account {
        println!("LUNA_ACCOUNT_ID={account}");
    }
    emulator.join();
    ExitCode::SUCCESS
}
