//! The one send path, written once for both modes with `maybe-async`: a service handle's
//! [`Call`] becomes an HTTP request (URL, query, LUNA headers, per-call options), is sent under
//! the retry policy, and comes back as a [`Reply`].

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

use super::client::LunaClient;
use super::maybe_async;
use super::transport::{ByteStream, HttpResponse};
use crate::call::{failure, Call, Reply, JSON};
use crate::error::{Error, Result, TransportErrorKind};
use crate::options::RequestOptions;
use crate::raw::{RawRequest, RawResponse};
use crate::retry::{self, is_retryable_status};
use crate::service::Service;
use crate::settings::{ACCOUNT_ID_HEADER, REQUEST_ID_HEADER};
use crate::transport::{BodyStream, HttpRequest, RequestBody, RequestUrl, ResponseBody};

/// A client bound to one service with the options of its handle.
#[derive(Clone, Debug)]
pub(crate) struct ServiceContext {
    pub client: LunaClient,
    pub service: Service,
    pub options: RequestOptions,
}

impl ServiceContext {
    pub(crate) fn new(client: LunaClient, service: Service) -> Self {
        ServiceContext {
            client,
            service,
            options: RequestOptions::default(),
        }
    }

    /// The same context with `options` merged over the current ones.
    pub(crate) fn with_options(&self, options: &RequestOptions) -> Self {
        ServiceContext {
            client: self.client.clone(),
            service: self.service,
            options: self.options.merged(options),
        }
    }

    /// `<origin>/<api_version>` of the service.
    pub(crate) fn base_url(&self) -> String {
        self.client.inner.endpoint(self.service).base_url()
    }

    /// Turns a call into the HTTP request to send. Everything a caller gave is validated here,
    /// before anything goes on the wire.
    fn prepare(&self, call: Call, request_id: &str) -> Result<(HttpRequest, Option<RequestBody>)> {
        let call = call.into_parts();
        let inner = &self.client.inner;
        let endpoint = inner.endpoint(self.service);
        let base = inner.base(self.service, call.versioned);

        let mut query = call.query;
        if call.account_query {
            if let Some(account) = &inner.account_text {
                query.push_str("account_id", account);
            }
        }
        for (name, _) in &self.options.query {
            query.remove(name);
        }
        for (name, value) in &self.options.query {
            query.push_owned(name.clone(), value.clone());
        }
        let url = RequestUrl::new(base, &call.path, query.pairs())
            .map_err(|e| Error::invalid("path", format!("{:?}: {e}", call.path)))?;
        crate::url_len::check(&url)?;

        // The client's headers, shared (copied, not hashed in again); the request id fills
        // its slot in place.
        let mut headers = inner.base_headers.clone();
        headers.insert(
            REQUEST_ID,
            HeaderValue::from_str(request_id)
                .map_err(|_| Error::invalid("request_id", "not a valid header value"))?,
        );
        let body = call.body.map(|(body, content_type)| {
            headers.insert(CONTENT_TYPE, content_type);
            // A streamed body of declared length and a body in parts go with `Content-Length`
            // (both backends then send them as they are instead of chunked).
            if let RequestBody::Stream(BodyStream { len: Some(_), .. }) | RequestBody::Parts(_) =
                &body
            {
                if let Some(len) = body.len() {
                    headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
                }
            }
            body
        });
        crate::transport::overlay_headers(&mut headers, call.headers);
        self.options.apply_headers(&mut headers)?;

        let timeout = self
            .options
            .timeout
            .or(endpoint.request_timeout())
            .unwrap_or(inner.timeout);
        // A retry-safe call is sent again as the policy allows, unless its body is a stream
        // (which cannot be replayed).
        let replayable = !matches!(body, Some(RequestBody::Stream(_)));
        let request = HttpRequest {
            method: call.method,
            url,
            headers,
            timeout,
            max_response_bytes: self.options.max_response_bytes,
            resend: call.retry_safe && inner.retry.retries() > 0 && replayable,
        };
        Ok((request, body))
    }
}

/// `luna-request-id`.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static(REQUEST_ID_HEADER);

/// The headers every request of a client starts from, in wire order: a `luna-request-id` slot
/// (each request writes its id there), `luna-account-id` when an account is set, the
/// credentials, and `Accept: application/json`.
pub(crate) fn base_headers(account: Option<&HeaderValue>, auth: Option<HeaderValue>) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(REQUEST_ID, HeaderValue::from_static(""));
    if let Some(account) = account {
        headers.insert(HeaderName::from_static(ACCOUNT_ID_HEADER), account.clone());
    }
    if let Some(auth) = auth {
        headers.insert(AUTHORIZATION, auth);
    }
    headers.insert(ACCEPT, HeaderValue::from_static(JSON));
    headers
}

/// The request as errors name it: `<service> <METHOD> <url without query>`.
fn request_label(service: Service, method: &http::Method, url: &str) -> String {
    let (service, method) = (service.name(), method.as_str());
    let mut label = String::with_capacity(service.len() + method.len() + url.len() + 2);
    label.push_str(service);
    label.push(' ');
    label.push_str(method);
    label.push(' ');
    label.push_str(url);
    label
}

/// A 2xx answer whose body is still on the wire.
#[derive(Debug)]
pub(crate) struct StreamReply {
    pub headers: HeaderMap,
    pub body: ByteStream,
}

#[maybe_async]
impl ServiceContext {
    /// Sends a call and returns the answer whatever its status, retrying retry-safe calls on
    /// connect errors, timeouts, 429 and 502–504 as the client's policy allows.
    pub(crate) async fn exchange(&self, call: Call) -> Result<Reply> {
        let (response, request_id, target) = self.attempts(call, false).await?;
        let body = match response.body {
            ResponseBody::Complete(body) => body,
            // Not asked for: the backend reads the body whole unless told to stream (a read
            // awaited here would make every call's future larger by the read's).
            ResponseBody::Streaming(_) => {
                return Err(Error::Transport {
                    kind: TransportErrorKind::Other,
                    message: format!("{target}: the transport streamed a body asked for whole"),
                    request_id,
                    source: None,
                })
            }
        };
        Ok(Reply {
            status: response.status,
            headers: response.headers,
            body,
            request_id,
            request: target,
        })
    }

    /// Sends a call and hands its 2xx body out as a stream (retries as [`Self::exchange`],
    /// before any byte of the body is read); a non-2xx answer is read whole (under the cap)
    /// and becomes [`Error::Api`] (or [`Error::Redirect`]).
    pub(crate) async fn send_streaming(&self, call: Call) -> Result<StreamReply> {
        let (response, request_id, target) = self.attempts(call, true).await?;
        if !response.status.is_success() {
            let body = response
                .body
                .into_bytes()
                .await
                .map_err(|failure| failure.into_error(request_id.clone(), &target))?;
            return Err(failure(
                response.status,
                &response.headers,
                &body,
                request_id,
                target,
            ));
        }
        let body = match response.body {
            ResponseBody::Streaming(stream) => ByteStream::new(stream, request_id, target),
            ResponseBody::Complete(_) => {
                return Err(Error::Transport {
                    kind: TransportErrorKind::Other,
                    message: format!("{target}: the transport read a streamed body whole"),
                    request_id,
                    source: None,
                })
            }
        };
        Ok(StreamReply {
            headers: response.headers,
            body,
        })
    }

    /// The retry loop shared by [`Self::exchange`] and [`Self::send_streaming`]: the answer
    /// (body read whole unless `streaming`), the request id it belongs to and the request as
    /// errors name it (`<service> <METHOD> <url>`).
    async fn attempts(
        &self,
        call: Call,
        streaming: bool,
    ) -> Result<(HttpResponse, String, String)> {
        let request_id = self.options.resolve_request_id()?;
        let (mut request, mut body) = self.prepare(call, &request_id)?;
        let target = request_label(self.service, &request.method, request.url.shown());
        let inner = &self.client.inner;
        let policy = &inner.retry;
        let can_retry = request.resend;
        let timeout = request.timeout;
        let mut attempt: u32 = 0;
        let started = std::time::Instant::now();
        loop {
            // The backend borrows the request (method, URL, headers: nothing is cloned for an
            // attempt) and takes the body: the request's own without retries, a copy sharing
            // its bytes with them.
            let attempt_body = if can_retry {
                body.as_ref().and_then(RequestBody::try_clone)
            } else {
                body.take()
            };
            if let Some(left) = policy.left(started.elapsed()).filter(|_| can_retry) {
                // The budget covers the attempts too: the last one gets what is left.
                request.timeout = timeout.min(left.max(std::time::Duration::from_millis(1)));
            }
            debug_event!(
                service = %self.service,
                method = %request.method,
                path = request.url.path(),
                request_id = %request_id,
                attempt,
                "sending LUNA request"
            );
            // The answer is looked at inside a block, so that it is not kept (in an async
            // call's future) beside the wait before a retry.
            let delay = {
                let outcome = inner.backend.send(&mut request, attempt_body, streaming).await;
                let delay = if can_retry {
                    match &outcome {
                        Ok(response) if is_retryable_status(response.status) => policy.delay(
                            attempt,
                            retry::retry_after(&response.headers),
                            started.elapsed(),
                        ),
                        Err(failure) if failure.is_retryable() => {
                            policy.delay(attempt, None, started.elapsed())
                        }
                        _ => None,
                    }
                } else {
                    None
                };
                match (delay, outcome) {
                    (Some(delay), _) => delay,
                    (None, Ok(response)) => {
                        debug_event!(
                            request_id = %request_id,
                            method = %request.method,
                            status = response.status.as_u16(),
                            "LUNA answer"
                        );
                        // The id the service answered under (ours unless it replaced it).
                        let echoed = response
                            .headers
                            .get(&REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .filter(|v| !v.is_empty() && *v != request_id)
                            .map(str::to_owned);
                        return Ok((response, echoed.unwrap_or(request_id), target));
                    }
                    (None, Err(failure)) => return Err(failure.into_error(request_id, &target)),
                }
            };
            debug_event!(request_id = %request_id, attempt, ?delay, "retrying LUNA request");
            super::transport::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Sends a call; a non-2xx answer becomes [`Error::Api`].
    pub(crate) async fn send(&self, call: Call) -> Result<Reply> {
        self.exchange(call).await?.success()
    }

    /// Sends a call and decodes its JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        self.send(call).await?.decode()
    }

    /// Sends a call whose answer carries nothing of interest.
    pub(crate) async fn unit(&self, call: Call) -> Result<()> {
        self.send(call).await.map(|_| ())
    }

    /// Sends a HEAD-style existence check: 2xx → `true`, 404 → `false`, anything else an error.
    pub(crate) async fn exists(&self, call: Call) -> Result<bool> {
        let reply = self.exchange(call).await?;
        if reply.status == StatusCode::NOT_FOUND {
            return Ok(false);
        }
        reply.success().map(|_| true)
    }

    /// Sends a raw request.
    pub(crate) async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        let call = request.into_call()?;
        self.exchange(call).await.map(RawResponse::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::UploadBody;
    use bytes::Bytes;

    #[test]
    fn an_uploaded_buffer_reaches_the_transport_without_a_copy() {
        let client = LunaClient::builder().build().unwrap();
        let ctx = client.context(Service::ImageStore);
        let image = Bytes::from(vec![7u8; 1 << 20]);
        let ptr = image.as_ptr();
        let call = Call::post("/buckets/b/images")
            .upload(UploadBody::from(image), HeaderValue::from_static("image/jpeg"));
        let (_, body) = ctx
            .prepare(call, &crate::request_id::generate())
            .unwrap();
        let retry = body.as_ref().and_then(RequestBody::try_clone);
        for body in [body, retry] {
            match body {
                Some(RequestBody::Bytes(body)) => {
                    assert_eq!(body.as_ptr(), ptr);
                    assert_eq!(body.len(), 1 << 20);
                }
                other => panic!("unexpected body {other:?}"),
            }
        }
    }

    #[test]
    fn a_streamed_upload_is_never_replayed() {
        #[cfg(feature = "blocking")]
        let body = UploadBody::from_reader(std::io::empty());
        #[cfg(not(feature = "blocking"))]
        let body = UploadBody::from_stream(futures_util::stream::empty());
        let call = Call::new(http::Method::PUT, "/x").retry_safe().upload(body, HeaderValue::from_static("a/b"));
        assert!(!call.retry_safe);
        let client = LunaClient::builder().build().unwrap();
        let (_, body) = client
            .context(Service::ImageStore)
            .prepare(call, &crate::request_id::generate())
            .unwrap();
        assert!(matches!(body, Some(RequestBody::Stream(_))));
        assert!(body.as_ref().and_then(RequestBody::try_clone).is_none());
    }
}
