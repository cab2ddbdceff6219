//! luna-remote-sdk client (Python `luna_lambda_tools.public.clients.lrs.LRS`): face and body
//! detection and estimation on images, nothing stored.
//!
//! | Python (`LRS`) | Rust ([`RemoteSdk`]) |
//! |---|---|
//! | `LRS(lrsClient, accountId)` | `client.remote_sdk()` |
//! | `sdk(inputData, multifacePolicy=..., detectFace=..., estimate...=..., ...)` | `sdk(input, &SdkParams::new().detect_face(true)...)` |
//! | `inputData`: `BinaryImage` / `list[BinaryImage]` / `list[UrlForDetection]` / `list[str]` | [`ImageInput`]: `image`, `images`, `urls`, `image_ids`, `samples` |
//! | `getAddress()` | `get_address()` |
//!
//! Async example (blocking builds: the same calls without `.await`):
//!
#![cfg_attr(not(feature = "blocking"), doc = "```no_run")]
#![cfg_attr(feature = "blocking", doc = "```ignore")]
//! use luna_clients::model::images::{BinaryImage, ImageInput};
//! use luna_clients::model::remote_sdk::SdkParams;
//! use luna_clients::LunaClient;
//!
//! # async fn run() -> luna_clients::Result<()> {
//! let client = LunaClient::builder().host("10.0.0.5").build()?;
//! let photo: Vec<u8> = std::fs::read("photo.jpg").expect("an image");
//! let params = SdkParams::new()
//!     .detect_face(true)
//!     .estimate_face_descriptor(true)
//!     .estimate_basic_attributes(true)
//!     .yaw_threshold(30);
//! let answer = client.remote_sdk().sdk(BinaryImage::jpeg(photo), &params).await?;
//! for image in &answer.images_estimations {
//!     if let Some(error) = &image.error {
//!         eprintln!("{:?}: {:?}", image.filename, error.detail);
//!         continue;
//!     }
//!     for person in &image.estimations {
//!         let face = person.face.as_ref().and_then(|f| f.attributes());
//!         if let Some(descriptor) = face.and_then(|a| a.sdk_descriptor()) {
//!             println!("descriptor version {}", descriptor?.version());
//!         }
//!     }
//! }
//! // Several images go as one multipart request; stored images by id as JSON.
//! let many = ImageInput::images([BinaryImage::jpeg(vec![0xff, 0xd8]), BinaryImage::png(vec![0x89])]);
//! client.remote_sdk().sdk(many, &SdkParams::new()).await?;
//! # Ok(())
//! # }
//! ```

use crate::call::Call;
use crate::client::LunaClient;
use crate::context::ServiceContext;
use crate::error::Result;
use crate::model::images::ImageInput;
use crate::model::remote_sdk::{SdkParams, SdkResponse};
use crate::service::Service;
use crate::services::service_handle_common;

/// The luna-remote-sdk client. Get one with [`LunaClient::remote_sdk`].
#[derive(Clone, Debug)]
pub struct RemoteSdk {
    ctx: ServiceContext,
}

service_handle_common!(RemoteSdk);

impl RemoteSdk {
    pub(crate) fn new(client: LunaClient) -> Self {
        RemoteSdk {
            ctx: client.context(Service::RemoteSdk),
        }
    }

    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    pub fn get_address(&self) -> String {
        self.ctx.base_url()
    }
}

#[maybe_async::maybe_async]
impl RemoteSdk {
    /// Python `sdk`: `POST /sdk` — detects faces/bodies on the input images and estimates what
    /// `params` asks for. Per-image failures are inside the answer
    /// ([`crate::model::remote_sdk::ImageEstimations::error`]); the request is read-only, so it
    /// is retried under the client's retry policy.
    pub async fn sdk(
        &self,
        input: impl Into<ImageInput>,
        params: &SdkParams,
    ) -> Result<SdkResponse> {
        let (body, content_type) = input.into().to_body()?;
        let call = Call::post("/sdk")
            .try_query(|q| params.write(q))?
            .bytes(body, content_type)
            .retry_safe();
        self.ctx.json(call).await
    }
}
