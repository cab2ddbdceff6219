//! The methods every service handle has, written once (compiled once per mode).

/// Writes the methods every service handle has: per-call options and the raw request path.
macro_rules! service_handle_common {
    ($handle:ident) => {
        impl $handle {
            /// The same handle with per-call options merged in (timeout, request id, extra
            /// headers, extra query pairs): `svc.with_options(opts).some_call(..)`.
            #[inline]
            pub fn with_options(&self, options: $crate::options::RequestOptions) -> Self {
                let mut handle = self.clone();
                handle.ctx = self.ctx.with_options(&options);
                handle
            }

            /// The same handle sending `request_id` as `Luna-Request-Id` (validated when sent).
            #[inline]
            pub fn with_request_id(&self, request_id: impl Into<String>) -> Self {
                self.with_options($crate::options::RequestOptions::new().request_id(request_id))
            }
        }

        #[maybe_async]
        impl $handle {
            /// Sends any request to this service (path relative to its base URL,
            /// `<origin>/<api_version>`; `/version`-style paths with `RawRequest::unversioned`) and
            /// returns the answer whatever its status (Python's `raiseError=False`).
            #[inline]
            pub async fn raw(
                &self,
                request: $crate::raw::RawRequest,
            ) -> $crate::error::Result<$crate::raw::RawResponse> {
                self.ctx.raw(request).await
            }
        }
    };
}

pub(crate) use service_handle_common;
