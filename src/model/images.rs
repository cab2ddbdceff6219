//! Image inputs of the services that analyse images (Remote SDK `sdk`, and the Handlers
//! methods that take the same input forms): one image's bytes, several images (multipart),
//! URLs, image ids, samples — mode-free, encoded once into a request body.

use bytes::Bytes;
use http::HeaderValue;
use serde_json::{json, Value};

use super::wire_enum;
use crate::error::{Error, Result};
use crate::id::{collect_ids, Id};
use crate::multipart::Multipart;
use crate::transport::RequestBody;

/// Name of each image part of a multipart body (see the wire notes).
pub const MULTIPART_IMAGE_PART: &str = "image";

wire_enum! {
    /// What the input images are (`image_type`): raw images or warps (samples).
    pub enum ImageType {
        /// 0: an arbitrary image.
        RawImage = 0,
        /// 1: a face warp (250×250 sample).
        FaceWarp = 1,
        /// 2: a body warp (128×256 sample).
        BodyWarp = 2,
    }
}

/// One image given as bytes (Python `BinaryImage`): the bytes (shared, not copied), their
/// content type, and an optional file name (echoed back per image as `filename`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryImage {
    bytes: Bytes,
    content_type: String,
    file_name: Option<String>,
}

impl BinaryImage {
    /// An image of `content_type` (`image/jpeg`, `image/png`, `image/bmp`, `image/tiff`,
    /// `image/x-portable-pixmap`, ...).
    pub fn new(bytes: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        BinaryImage {
            bytes: bytes.into(),
            content_type: content_type.into(),
            file_name: None,
        }
    }

    /// A JPEG image.
    pub fn jpeg(bytes: impl Into<Bytes>) -> Self {
        Self::new(bytes, "image/jpeg")
    }

    /// A PNG image.
    pub fn png(bytes: impl Into<Bytes>) -> Self {
        Self::new(bytes, "image/png")
    }

    /// Sets the file name (multipart only; a single raw image has none on the wire).
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The content type.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The file name, if set.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    fn check(&self) -> Result<()> {
        if self.bytes.is_empty() {
            return Err(Error::invalid("input", "an image is empty"));
        }
        Ok(())
    }
}

/// The images to analyse (Python `inputData`).
///
/// | form | wire |
/// |---|---|
/// | [`ImageInput::Image`] | the image bytes as the body, `Content-Type` = the image's |
/// | [`ImageInput::Images`] | `multipart/form-data`, one `image` part per image (file name, content type, bytes) |
/// | [`ImageInput::Urls`] | JSON `{"urls": [{"url": "..."}, ...]}` |
/// | [`ImageInput::ImageIds`] | JSON `{"image_ids": ["<uuid>", ...]}` |
/// | [`ImageInput::Samples`] | JSON `{"samples": [{"sample_id": "<uuid>"}, ...]}` (warps: set the image type) |
/// | [`ImageInput::Json`] | any JSON body, sent as given (for a deployment whose schema differs) |
///
/// The JSON keys are not published; they are this crate's choice, listed in the wire notes.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ImageInput {
    /// One image, sent as the raw body.
    Image(BinaryImage),
    /// Several images, sent as a multipart body.
    Images(Vec<BinaryImage>),
    /// Images the service downloads itself.
    Urls(Vec<String>),
    /// Images already in the image store, by id.
    ImageIds(Vec<Id>),
    /// Samples (warps) already in the image store, by id.
    Samples(Vec<Id>),
    /// A JSON body sent as given.
    Json(Value),
}

impl ImageInput {
    /// One image.
    pub fn image(image: BinaryImage) -> Self {
        ImageInput::Image(image)
    }

    /// Several images (multipart).
    pub fn images(images: impl IntoIterator<Item = BinaryImage>) -> Self {
        ImageInput::Images(images.into_iter().collect())
    }

    /// Images by URL.
    pub fn urls<S: Into<String>>(urls: impl IntoIterator<Item = S>) -> Self {
        ImageInput::Urls(urls.into_iter().map(Into::into).collect())
    }

    /// Stored images by id.
    pub fn image_ids<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        ImageInput::ImageIds(collect_ids(ids))
    }

    /// Stored samples by id.
    pub fn samples<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        ImageInput::Samples(collect_ids(ids))
    }

    /// The request body and its content type; every input is validated first.
    pub(crate) fn to_body(&self) -> Result<(RequestBody, HeaderValue)> {
        self.to_body_with(&[])
    }

    /// The request body with extra JSON members (`policies`, `meta`...): extra parts
    /// (`application/json`, no file name) of a multipart body, or members of a JSON body. One
    /// image with extras goes as a multipart body of one image part and the extras, since a raw
    /// image body cannot carry them.
    pub(crate) fn to_body_with(
        &self,
        extras: &[(&str, Value)],
    ) -> Result<(RequestBody, HeaderValue)> {
        match self {
            ImageInput::Image(image) if extras.is_empty() => {
                image.check()?;
                Ok((
                    image.bytes.clone().into(),
                    content_type_value(&image.content_type)?,
                ))
            }
            ImageInput::Image(image) => multipart_body(std::slice::from_ref(image), extras),
            ImageInput::Images(images) => {
                non_empty(images, "images")?;
                multipart_body(images, extras)
            }
            ImageInput::Json(Value::Object(map)) => {
                let mut map = map.clone();
                for (name, value) in extras {
                    map.insert((*name).to_owned(), value.clone());
                }
                json_body(&Value::Object(map)).map(|(body, t)| (body.into(), t))
            }
            ImageInput::Json(_) if !extras.is_empty() => Err(Error::invalid(
                "input",
                "a JSON body that is not an object cannot carry extra members",
            )),
            other => {
                let (body, content_type) = other.json_form()?;
                if extras.is_empty() {
                    return Ok((body.into(), content_type));
                }
                let value: Value = serde_json::from_slice(&body)
                    .map_err(|e| Error::invalid("input", e.to_string()))?;
                ImageInput::Json(value).to_body_with(extras)
            }
        }
    }

    /// The JSON forms (URLs, image ids, samples, a JSON body).
    fn json_form(&self) -> Result<(Bytes, HeaderValue)> {
        match self {
            ImageInput::Image(_) | ImageInput::Images(_) => {
                Err(Error::invalid("input", "images are not a JSON form"))
            }
            ImageInput::Urls(urls) => {
                non_empty(urls, "urls")?;
                for url in urls {
                    let parsed = url::Url::parse(url).map_err(|e| {
                        Error::invalid("input", format!("{url:?} is not a URL: {e}"))
                    })?;
                    if !matches!(parsed.scheme(), "http" | "https") {
                        return Err(Error::invalid("input", format!("{url:?} is not http(s)")));
                    }
                }
                let urls: Vec<Value> = urls.iter().map(|u| json!({ "url": u })).collect();
                json_body(&json!({ "urls": urls }))
            }
            ImageInput::ImageIds(ids) => {
                non_empty(ids, "image ids")?;
                let ids = Id::resolve_all(ids, "input")?;
                json_body(&json!({ "image_ids": ids }))
            }
            ImageInput::Samples(ids) => {
                non_empty(ids, "sample ids")?;
                let samples: Vec<Value> = Id::resolve_all(ids, "input")?
                    .into_iter()
                    .map(|id| json!({ "sample_id": id }))
                    .collect();
                json_body(&json!({ "samples": samples }))
            }
            ImageInput::Json(value) => json_body(value),
        }
    }
}

/// Several images (one `image` part each) and the extra JSON parts, as one multipart body.
fn multipart_body(
    images: &[BinaryImage],
    extras: &[(&str, Value)],
) -> Result<(RequestBody, HeaderValue)> {
    let mut multipart = Multipart::new();
    for (index, image) in images.iter().enumerate() {
        image.check()?;
        let default_name = format!("image_{}", index + 1);
        multipart = multipart.part(
            MULTIPART_IMAGE_PART,
            Some(image.file_name.as_deref().unwrap_or(&default_name)),
            &image.content_type,
            image.bytes.clone(),
        )?;
    }
    for (name, value) in extras {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::invalid("input", format!("cannot serialize {name}: {e}")))?;
        multipart = multipart.part(name, None, "application/json", Bytes::from(bytes))?;
    }
    Ok(multipart.finish())
}

impl From<BinaryImage> for ImageInput {
    fn from(image: BinaryImage) -> Self {
        ImageInput::Image(image)
    }
}

impl From<Vec<BinaryImage>> for ImageInput {
    fn from(images: Vec<BinaryImage>) -> Self {
        ImageInput::Images(images)
    }
}

fn non_empty<T>(items: &[T], what: &str) -> Result<()> {
    if items.is_empty() {
        return Err(Error::invalid("input", format!("no {what} given")));
    }
    Ok(())
}

fn json_body(value: &Value) -> Result<(Bytes, HeaderValue)> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| Error::invalid("input", format!("cannot serialize: {e}")))?;
    Ok((Bytes::from(bytes), HeaderValue::from_static("application/json")))
}

/// Checks a MIME type (`type/subtype[; parameters]`) and makes it a header value.
pub(crate) fn content_type_value(content_type: &str) -> Result<HeaderValue> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let well_formed = match essence.split_once('/') {
        Some((kind, sub)) => is_token(kind) && is_token(sub),
        None => false,
    };
    if !well_formed {
        return Err(Error::invalid(
            "content_type",
            format!("{content_type:?} is not a MIME type (type/subtype)"),
        ));
    }
    HeaderValue::from_str(content_type)
        .ok()
        .filter(|_| content_type.bytes().all(|b| (0x20..0x7f).contains(&b)))
        .ok_or_else(|| Error::invalid("content_type", "not a valid header value"))
}

/// An RFC 9110 token (header names, MIME type parts).
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";

    fn body_json(input: ImageInput) -> Value {
        let (body, content_type) = input.to_body().unwrap();
        assert_eq!(content_type, "application/json");
        serde_json::from_slice(&body.to_vec()).unwrap()
    }

    #[test]
    fn one_image_is_the_raw_body_without_copy() {
        let bytes = Bytes::from(vec![1u8, 2, 3]);
        let ptr = bytes.as_ptr();
        let (body, content_type) = ImageInput::image(BinaryImage::png(bytes)).to_body().unwrap();
        let RequestBody::Bytes(body) = body else {
            panic!("one image is one buffer");
        };
        assert_eq!(body.as_ptr(), ptr);
        assert_eq!(content_type, "image/png");
    }

    #[test]
    fn json_forms_use_one_shape_each() {
        assert_eq!(
            body_json(ImageInput::urls(["https://h/a.jpg"])),
            json!({"urls": [{"url": "https://h/a.jpg"}]})
        );
        assert_eq!(body_json(ImageInput::image_ids([ID])), json!({"image_ids": [ID]}));
        assert_eq!(
            body_json(ImageInput::samples([ID])),
            json!({"samples": [{"sample_id": ID}]})
        );
        assert_eq!(body_json(ImageInput::Json(json!({"x": 1}))), json!({"x": 1}));
    }

    #[test]
    fn extras_become_json_members_or_json_parts() {
        let extras = [("policies", json!({"detect_policy": {}})), ("meta", json!({"k": 1}))];
        assert_eq!(
            {
                let (body, _) = ImageInput::samples([ID]).to_body_with(&extras).unwrap();
                serde_json::from_slice::<Value>(&body.to_vec()).unwrap()
            },
            json!({"samples": [{"sample_id": ID}], "policies": {"detect_policy": {}}, "meta": {"k": 1}})
        );
        let (body, content_type) = ImageInput::image(BinaryImage::jpeg(vec![0xffu8, 0xd8]))
            .to_body_with(&extras[1..])
            .unwrap();
        let content_type = content_type.to_str().unwrap();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8_lossy(&body.to_vec()).into_owned();
        assert!(text.contains("name=\"image\"; filename=\"image_1\"\r\nContent-Type: image/jpeg"));
        assert!(text.ends_with(&format!(
            "name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n--{boundary}--\r\n"
        )));
        assert!(ImageInput::Json(json!([1])).to_body_with(&extras).is_err());
        assert_eq!(ImageInput::Json(json!([1])).to_body().unwrap().0.to_vec(), b"[1]");
    }

    #[test]
    fn bad_inputs_are_refused() {
        for input in [
            ImageInput::images(Vec::new()),
            ImageInput::urls(Vec::<String>::new()),
            ImageInput::urls(["not a url"]),
            ImageInput::urls(["file:///etc/passwd"]),
            ImageInput::image_ids(["nope"]),
            ImageInput::samples(Vec::<String>::new()),
            ImageInput::image(BinaryImage::jpeg(Bytes::new())),
            ImageInput::image(BinaryImage::new(vec![1u8], "jpeg")),
            ImageInput::images([BinaryImage::jpeg(vec![1u8]).file_name("a\"b")]),
        ] {
            assert!(
                matches!(input.to_body(), Err(Error::InvalidArgument { .. })),
                "{input:?}"
            );
        }
    }
}
