//! One `get_face` call with the blocking SDK (`LUNA_FACES_ADDRESS`, `LUNA_ACCOUNT_ID`; the face id
//! as the argument), printing a few of the face's fields.

use luna_clients::blocking::prelude::*;
use luna_clients::model::common::Targets;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let face_id = std::env::args()
        .nth(1)
        .ok_or("usage: build-cost-sdk FACE_ID")?;
    let client = LunaClient::from_env()?;
    let face = client.faces().get_face(face_id, Targets::All)?;
    println!(
        "{:?} {:?} {:?} {:?}",
        face.face_id, face.user_data, face.external_id, face.lists
    );
    Ok(())
}
