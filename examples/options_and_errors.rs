//! Per-call options, typed errors and raw requests (async; the blocking client has the same
//! calls without `.await`): `cargo run --example options_and_errors`.

use luna_clients::model::common::Targets;

use luna_clients::prelude::*;
use luna_clients::Uuid;

// options:start
use luna_clients::{Error, RawRequest, RequestOptions};

async fn show_face(client: &LunaClient, face_id: Uuid) -> luna_clients::Result<()> {
    let faces = client.faces().with_options(
        RequestOptions::new()
            .timeout(std::time::Duration::from_secs(2))
            .request_id("1700000000,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a")
            .header("X-Trace", "abc") // replaces a header of the same name
            .query("new_filter", "value"), // replaces the method's pairs of the same name
    );
    match faces.get_face(face_id, Targets::All).await {
        Ok(face) => println!("{:?}", face.user_data),
        Err(Error::Api(e)) if e.error_code == Some(22002) => {
            println!("no such face (request {})", e.request_id)
        }
        Err(other) => return Err(other),
    }
    // Any path, any answer (Python's raiseError=False): status, headers and bytes.
    let answer = faces.raw(RawRequest::get("/faces/count")).await?;
    println!("{} {}", answer.status, answer.text());
    Ok(())
}
// options:end

mod support;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let result = match LunaClient::from_env() {
        Ok(client) => show_face(&client, Uuid::new_v4()).await,
        Err(error) => Err(error),
    };
    support::exit(result)
}
