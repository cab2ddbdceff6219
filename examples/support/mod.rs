//! Shared by the examples (a directory, so that Cargo does not take it for an example).

/// The exit code of an example. An error is printed with `Display`: it names the request
/// (`<service> <METHOD> <url>`) and the cause; `Debug` is for developers.
pub fn exit(result: luna_clients::Result<()>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
