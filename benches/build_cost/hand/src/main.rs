//! The SDK side's `get_face` call written by hand (`LUNA_FACES_ADDRESS`, `LUNA_ACCOUNT_ID`; the
//! face id as the argument), printing the same few fields.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Face {
    #[serde(default)]
    face_id: Option<String>,
    #[serde(default)]
    user_data: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    lists: Option<Vec<String>>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let face_id = std::env::args()
        .nth(1)
        .ok_or("usage: build-cost-hand FACE_ID")?;
    let address = std::env::var("LUNA_FACES_ADDRESS")?;
    let account_id = std::env::var("LUNA_ACCOUNT_ID")?;
    let mut url = url::Url::parse(&address)?;
    url.path_segments_mut()
        .map_err(|()| "the address cannot be a base")?
        .pop_if_empty()
        .extend(["faces", face_id.as_str()]);
    let mut response = ureq::get(url.as_str())
        .header("Luna-Account-Id", &account_id)
        .header("Accept", "application/json")
        .call()?;
    let face: Face = serde_json::from_slice(&response.body_mut().read_to_vec()?)?;
    println!(
        "{:?} {:?} {:?} {:?}",
        face.face_id, face.user_data, face.external_id, face.lists
    );
    Ok(())
}
