//! Blocking quickstart: `cargo run --example quickstart_blocking --features blocking`.
//! Needs a reachable luna-faces; set `LUNA_FACES_ADDRESS` and `LUNA_ACCOUNT_ID`.

mod support;

// quickstart:start
use luna_clients::blocking::prelude::*;
use luna_clients::model::common::Targets;
use luna_clients::model::faces::NewFace;
use luna_clients::services::faces::FacesQuery;
use luna_clients::services::faces::NewList;

fn run() -> luna_clients::Result<()> {
    let client = LunaClient::from_env()?; // or LunaClient::builder()...build()?
    let faces = client.faces();

    let list = faces.create_list(&NewList::new("visitors"))?;
    let new_face = NewFace::new().user_data("Ann").list_ids([list.list_id]);
    let created = faces.create_face(&new_face)?;
    let face = faces.get_face(created.face_id, Targets::All)?;
    println!("{:?} in {:?}", face.user_data, face.lists);

    // Every face of the list, page by page (an Iterator for the blocking client).
    let all = faces
        .iter_faces(FacesQuery::new().list_id(list.list_id))
        .collect::<Result<Vec<_>, _>>()?;
    println!("{} face(s) in the list", all.len());
    Ok(())
}
// quickstart:end

/// Errors are printed with `Display` (see `support::exit`).
fn main() -> std::process::ExitCode {
    support::exit(run())
}
