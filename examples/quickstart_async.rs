//! Async quickstart (default features): `cargo run --example quickstart_async`.
//! Needs a reachable luna-faces; set `LUNA_FACES_ADDRESS` and `LUNA_ACCOUNT_ID`.

mod quickstart {
    // quickstart:start
    use futures_util::TryStreamExt;
    use luna_clients::model::common::Targets;
    use luna_clients::model::faces::NewFace;
    use luna_clients::prelude::*;
    use luna_clients::services::faces::FacesQuery;
    use luna_clients::services::faces::NewList;

    #[tokio::main]
    pub async fn run() -> luna_clients::Result<()> {
        let client = LunaClient::from_env()?; // or LunaClient::builder()...build()?
        let faces = client.faces();

        let list = faces.create_list(&NewList::new("visitors")).await?;
        let new_face = NewFace::new().user_data("Ann").list_ids([list.list_id]);
        let created = faces.create_face(&new_face).await?;
        let face = faces.get_face(created.face_id, Targets::All).await?;
        println!("{:?} in {:?}", face.user_data, face.lists);

        // Every face of the list, page by page (a Stream for the async client).
        let all: Vec<_> = faces
            .iter_faces(FacesQuery::new().list_id(list.list_id))
            .try_collect()
            .await?;
        println!("{} face(s) in the list", all.len());
        Ok(())
    }
    // quickstart:end
}

mod support;

/// Errors are printed with `Display` (see `support::exit`).
fn main() -> std::process::ExitCode {
    support::exit(quickstart::run())
}
