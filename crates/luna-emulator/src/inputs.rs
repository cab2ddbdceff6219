//! The images of a recognition request (luna-remote-sdk `/sdk`, luna-handlers `/detector`,
//! `/handlers/{id}/events`, `/verifiers/{id}/verifications`), in input order:
//!
//! * an `image/*` body: one image, file name `image`;
//! * `multipart/form-data`: one image per file part (part `Content-Type` `image/*` or
//!   `application/octet-stream`, else 12041); its file name, else its name, else its index; the
//!   parts named in `json_parts` (e.g. `policies`, `meta`) are JSON members instead;
//! * `application/json` (keys **unknown** in the reference; the SDK's wire notes): `{"urls":
//!   [{"url"}], "image_ids": [id], "samples": [{"sample_id"} | id]}` (a sample may also be
//!   `{"id"}`); answered in that order (urls, then image ids, then samples); the members named
//!   in `json_parts` are kept.
//!
//! The emulator fetches nothing from the network: a URL is read from its own Image Store when
//! its path is `/1/buckets/{bucket}/images/{image_id}` (any host); image ids are looked up in
//! every bucket; sample ids in the samples bucket [`FACE_SAMPLES_BUCKET`] (then in every
//! bucket). What cannot be read is a per-image error (100022), not a request error. Samples are
//! face warps.

use crate::context::{App, Req, Scope};
use crate::errors::{ApiError, ApiResult};
use crate::query::parse_uuid;
use crate::remote_sdk::multipart;
use axum::body::Bytes;
use serde_json::{Map, Value};

/// The bucket of face samples (LUNA's default name).
pub const FACE_SAMPLES_BUCKET: &str = "visionlabs-samples";
/// The bucket of body samples (LUNA's default name).
pub const BODY_SAMPLES_BUCKET: &str = "visionlabs-bodies-samples";
/// The bucket of source images (`common.md` §5.1).
pub const IMAGE_ORIGIN_BUCKET: &str = "visionlabs-image-origin";
/// Images in one request.
pub const IMAGES_MAX: usize = 64;

/// One input image.
pub struct Input {
    /// Its name in the answer.
    pub filename: String,
    /// Its bytes, or why they could not be read.
    pub image: Result<Bytes, ApiError>,
    /// Whether it is a sample (a face warp).
    pub sample: bool,
    /// The image id in the emulator's Image Store (samples and stored images).
    pub stored_id: Option<uuid::Uuid>,
}

/// What a recognition request carries.
pub struct Inputs {
    /// The images, in input order.
    pub images: Vec<Input>,
    /// The JSON members / parts named in `json_parts`.
    pub members: Map<String, Value>,
    /// Raw SDK descriptors given as parts with `Content-Type: application/x-vl-sdk-descriptor`
    /// (or a whole body of that type): `(file name, bytes)`.
    pub descriptors: Vec<(String, Bytes)>,
}

impl Inputs {
    /// Refuses SDK descriptors where only images are accepted: 12017 for a descriptor body,
    /// 12041 for a descriptor part.
    pub fn images_only(&self) -> ApiResult<()> {
        match self.descriptors.first() {
            None => Ok(()),
            Some((name, _)) if name == DESCRIPTOR_BODY_NAME && self.images.is_empty() => {
                Err(ApiError::bad_content_type(SDK_DESCRIPTOR_TYPE))
            }
            Some((name, _)) => Err(ApiError::bad_part_type(&format!(
                "{SDK_DESCRIPTOR_TYPE} (part '{name}')"
            ))),
        }
    }
}

/// The name of a descriptor given as the whole body.
const DESCRIPTOR_BODY_NAME: &str = "descriptor";

/// The content type of SDK descriptors given as a body or a part.
pub const SDK_DESCRIPTOR_TYPE: &str = "application/x-vl-sdk-descriptor";

fn load_error(detail: String) -> ApiError {
    ApiError::image_load(detail)
}

/// The Image Store path `/1/buckets/{bucket}/images/{id}` of a URL.
fn store_path(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["1", "buckets", bucket, "images", id] => Some(((*bucket).to_owned(), (*id).to_owned())),
        _ => None,
    }
}

/// Reads the images of `req` (see the module docs).
pub fn read(req: &Req, app: &App, json_parts: &[&str]) -> ApiResult<Inputs> {
    let kind = req.content_type().unwrap_or_default();
    let mut inputs = Inputs {
        images: Vec::new(),
        members: Map::new(),
        descriptors: Vec::new(),
    };
    if kind.starts_with("image/") {
        if req.body.is_empty() {
            return Err(ApiError::bad_input("Request does not contain data"));
        }
        inputs.images.push(Input {
            filename: "image".into(),
            image: Ok(req.body.clone()),
            sample: false,
            stored_id: None,
        });
    } else if kind == SDK_DESCRIPTOR_TYPE {
        inputs
            .descriptors
            .push((DESCRIPTOR_BODY_NAME.into(), req.body.clone()));
    } else if kind == "multipart/form-data" {
        read_multipart(req, json_parts, &mut inputs)?;
    } else if kind == "application/json" {
        read_json(req, app, json_parts, &mut inputs)?;
    } else {
        return Err(ApiError::bad_content_type(&kind));
    }
    if inputs.images.len() + inputs.descriptors.len() > IMAGES_MAX {
        return Err(ApiError::bad_input(format!(
            "At most {IMAGES_MAX} images in one request"
        )));
    }
    Ok(inputs)
}

fn read_multipart(req: &Req, json_parts: &[&str], inputs: &mut Inputs) -> ApiResult<()> {
    let header = req
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multipart::boundary(header)
        .ok_or_else(|| ApiError::bad_input("Bad multipart body: no boundary parameter"))?;
    for (i, part) in multipart::parts(&req.body, &boundary)?
        .into_iter()
        .enumerate()
    {
        if let Some(name) = part.name.as_deref().filter(|n| json_parts.contains(n)) {
            let value: Value = serde_json::from_slice(part.data)
                .map_err(|e| ApiError::bad_json_at(name, format!("the part is not JSON: {e}")))?;
            inputs.members.insert(name.to_owned(), value);
            continue;
        }
        let filename = part
            .filename
            .clone()
            .or(part.name.clone())
            .unwrap_or_else(|| i.to_string());
        match part.content_type.as_deref() {
            Some(SDK_DESCRIPTOR_TYPE) => {
                inputs
                    .descriptors
                    .push((filename, Bytes::copy_from_slice(part.data)));
                continue;
            }
            Some(kind) if !kind.starts_with("image/") && kind != "application/octet-stream" => {
                return Err(ApiError::bad_part_type(kind));
            }
            _ => {}
        }
        inputs.images.push(Input {
            filename,
            image: Ok(Bytes::copy_from_slice(part.data)),
            sample: false,
            stored_id: None,
        });
    }
    if inputs.images.is_empty() && inputs.descriptors.is_empty() {
        return Err(ApiError::bad_input("Bad multipart body: no image"));
    }
    Ok(())
}

/// The JSON members holding images, in the order their images are answered.
const JSON_IMAGES: [&str; 3] = ["urls", "image_ids", "samples"];

fn json_uuid(path: &str, text: &str) -> ApiResult<uuid::Uuid> {
    parse_uuid(path, text)
        .map_err(|_| ApiError::bad_json_at(path, format!("'{text}' is not a uuid")))
}

fn read_json(req: &Req, app: &App, json_parts: &[&str], inputs: &mut Inputs) -> ApiResult<()> {
    let body = req.json_object()?;
    let scope = req.header_account.map(Scope::of).unwrap_or_default();
    if let Some(key) = body
        .keys()
        .find(|k| !json_parts.contains(&k.as_str()) && !JSON_IMAGES.contains(&k.as_str()))
    {
        return Err(ApiError::bad_json_at(
            key,
            "additional properties are not allowed",
        ));
    }
    for (key, value) in &body {
        if json_parts.contains(&key.as_str()) {
            inputs.members.insert(key.clone(), value.clone());
        }
    }
    for key in JSON_IMAGES {
        let Some(value) = body.get(key) else {
            continue;
        };
        let items = value
            .as_array()
            .ok_or_else(|| ApiError::bad_json_at(key, "expected an array"))?;
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}.{i}");
            let input = match key {
                "urls" => {
                    let url = item
                        .get("url")
                        .and_then(Value::as_str)
                        .or_else(|| item.as_str())
                        .ok_or_else(|| ApiError::bad_json_at(&path, "expected {\"url\"}"))?;
                    let image = match store_path(url) {
                        Some((bucket, id)) => match parse_uuid("image_id", &id) {
                            Ok(id) => app.store.images().image(&bucket, id, &scope).map(|i| i.1),
                            Err(_) => None,
                        }
                        .ok_or_else(|| load_error(format!("Image '{url}' not found"))),
                        None => Err(load_error(format!(
                            "Failed to load image '{url}': luna-emulator reads only images of its Image Store"
                        ))),
                    };
                    Input {
                        filename: url.to_owned(),
                        image,
                        sample: false,
                        stored_id: None,
                    }
                }
                "image_ids" => {
                    let id = item
                        .as_str()
                        .ok_or_else(|| ApiError::bad_json_at(&path, "expected an image id"))?;
                    let id = json_uuid(&path, id)?;
                    let image = app
                        .store
                        .images()
                        .find_image(id, &scope)
                        .map(|i| i.1)
                        .ok_or_else(|| load_error(format!("Image '{id}' not found")));
                    Input {
                        filename: id.to_string(),
                        image,
                        sample: false,
                        stored_id: Some(id),
                    }
                }
                "samples" => {
                    let id = item
                        .get("sample_id")
                        .or_else(|| item.get("id"))
                        .unwrap_or(item)
                        .as_str()
                        .ok_or_else(|| ApiError::bad_json_at(&path, "expected a sample id"))?;
                    let id = json_uuid(&path, id)?;
                    let mut store = app.store.images();
                    let image = store
                        .image(FACE_SAMPLES_BUCKET, id, &scope)
                        .or_else(|| store.find_image(id, &scope))
                        .map(|i| i.1)
                        .ok_or_else(|| load_error(format!("Sample '{id}' not found")));
                    Input {
                        filename: id.to_string(),
                        image,
                        sample: true,
                        stored_id: Some(id),
                    }
                }
                _ => continue,
            };
            inputs.images.push(input);
        }
    }
    if inputs.images.is_empty() {
        return Err(ApiError::bad_json_at(
            "",
            "one of 'urls', 'image_ids', 'samples' with at least one item is required",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::store_path;

    #[test]
    fn image_store_paths_are_read_from_urls() {
        assert_eq!(
            store_path("http://127.0.0.1:5020/1/buckets/b/images/x?with_meta=1"),
            Some(("b".into(), "x".into()))
        );
        assert_eq!(store_path("https://h/2/events"), None);
        assert_eq!(store_path("ftp://h/1/buckets/b/images/x"), None);
        assert_eq!(store_path("http://host-only"), None);
    }
}
