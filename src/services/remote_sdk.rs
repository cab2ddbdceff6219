//! The `RemoteSdk` client of one mode. Its mode-free data types (requests, constants, answers) are
//! in [`crate::model::remote_sdk`]; its documentation (Python → Rust map) is
//! [`crate::services::remote_sdk`].

#[allow(unused_imports)] // the blocking build rewrites `impl Future` away
use std::future::Future;
use crate::catalogue::remote_sdk as ep;
use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::error::Result;
use crate::model::images::ImageInput;
use crate::model::remote_sdk::{SdkParams, SdkResponse};
use crate::service::Service;

/// The luna-remote-sdk client. Get one with [`LunaClient::remote_sdk`].
#[derive(Clone, Debug)]
pub struct RemoteSdk {
    ctx: ServiceContext,
}

service_handle_common!(RemoteSdk);

impl RemoteSdk {
    #[inline]
    pub(crate) fn new(client: LunaClient) -> Self {
        RemoteSdk {
            ctx: client.context(Service::RemoteSdk),
        }
    }
}

/// The API of [`RemoteSdk`] as a trait (import it with the prelude): generic code and test
/// fakes can stand for the service handle. The async client's futures are `Send`.
#[maybe_async(AFIT)]
pub trait RemoteSdkApi: Send + Sync {
    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    fn get_address(&self) -> String;

    /// Python `sdk`: `POST /sdk` — detects faces/bodies on the input images and estimates what
    /// `params` asks for. Per-image failures are inside the answer
    /// ([`crate::model::remote_sdk::ImageEstimations::error`]); the request is read-only, so it
    /// is retried under the client's retry policy.
    fn sdk(
        &self,
        input: impl Into<ImageInput> + Send,
        params: &SdkParams,
    ) -> impl Future<Output = Result<SdkResponse>> + Send;
}

#[maybe_async(AFIT)]
impl RemoteSdkApi for RemoteSdk {
    #[inline]
    fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    #[inline]
    async fn sdk(
        &self,
        input: impl Into<ImageInput> + Send,
        params: &SdkParams,
    ) -> Result<SdkResponse> {
        let (body, content_type) = input.into().to_body()?;
        let call = ep::SDK
            .call(&[])?
            .try_query(|q| params.write(q))?
            .bytes(body, content_type);
        self.ctx.json(call).await
    }
}

