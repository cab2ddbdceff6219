//! The luna-sender client of one mode; its mode-free parts (publishing route and report,
//! filters) are in [`crate::model::sender`], documented in [`crate::services::sender`].

#[cfg(feature = "sender")]
pub(crate) mod subscription;

#[cfg(feature = "sender")]
pub use subscription::Subscription;

#[allow(unused_imports)] // the blocking build rewrites `impl Future` away
use std::future::Future;
use serde::Serialize;

use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::call::Call;
use crate::catalogue::sender as ep;
use crate::error::Result;
use crate::id::Id;
use crate::service::Service;
#[cfg(feature = "sender")]
use crate::model::sender::SubscriptionFilters;
use crate::model::sender::{publish_bodies, EventTimes, PublishReport, PublishRoute};

/// The luna-sender client. Get one with [`LunaClient::sender`].
#[derive(Clone, Debug)]
pub struct Sender {
    ctx: ServiceContext,
}

service_handle_common!(Sender);

impl Sender {
    #[inline]
    pub(crate) fn new(client: LunaClient) -> Self {
        Sender {
            ctx: client.context(Service::Sender),
        }
    }

    /// The context of `service`: the same client and per-call options.
    #[inline]
    fn context_of(&self, service: Service) -> ServiceContext {
        ServiceContext {
            client: self.ctx.client.clone(),
            service,
            options: self.ctx.options.clone(),
        }
    }
}

/// The API of [`Sender`] as a trait (import it with the prelude): generic code and test
/// fakes can stand for the service handle. The async client's futures are `Send`.
#[maybe_async(AFIT)]
pub trait SenderApi: Send + Sync {
    /// Python `getAddress()`: the Sender base URL, `<origin>/<api_version>` (no request).
    fn get_address(&self) -> String;

    /// Python `publish(events, handlerId=, eventCreateTime=, eventEndTime=)`: publishes
    /// user-generated events (any JSON objects: [`crate::model::events::Event`],
    /// `serde_json::Value`...) by `route` (see the module documentation and
    /// [`PublishRoute`] for what each route does besides publishing).
    ///
    /// Each event is one `POST` of the event as JSON; `times` (`create_time` / `end_time`)
    /// fill `create_time` / `end_time` of the events that have none — an event's own times are
    /// sent unchanged. Arguments are checked before the first request (`Err`, nothing sent);
    /// then every event is attempted, in order, and the [`PublishReport`] tells which were
    /// published and which failed (with the error and its request id). Not retried (each
    /// request may create an event).
    fn publish<T: Serialize + Sync>(
        &self,
        route: &PublishRoute,
        events: &[T],
        handler_id: impl Into<Id> + Send,
        times: &EventTimes,
    ) -> impl Future<Output = Result<PublishReport>> + Send;

    /// Subscribes to the events luna-sender delivers in real time: a WebSocket on
    /// `GET /{api_version}/ws?<filters>` with `Luna-Account-Id` (required by the service: a
    /// client without an account id is refused here), `Luna-Request-Id`, authorization and
    /// the per-call headers / query pairs. A refused handshake (e.g. error 29001) is
    /// [`Error::Api`](crate::Error::Api). Uses `tungstenite` for the blocking client and `tokio-tungstenite` in async
    /// builds; `https` addresses become `wss`. Needs the `sender` feature (default).
    #[cfg(feature = "sender")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sender")))]
    fn subscribe(&self, filters: &SubscriptionFilters) -> impl Future<Output = Result<Subscription>> + Send;
}

#[maybe_async(AFIT)]
impl SenderApi for Sender {
    #[inline]
    fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    #[inline]
    async fn publish<T: Serialize + Sync>(
        &self,
        route: &PublishRoute,
        events: &[T],
        handler_id: impl Into<Id> + Send,
        times: &EventTimes,
    ) -> Result<PublishReport> {
        let handler_id = handler_id.into().resolve("handler_id")?;
        let (service, path) = route.target(handler_id)?;
        let bodies = publish_bodies(events, times.create_time, times.end_time)?;
        let calls = bodies
            .iter()
            .map(|body| {
                let call = match route {
                    PublishRoute::HandlersRawEvents => ep::PUBLISH.call(&[&handler_id])?,
                    PublishRoute::SenderPath(_) => Call::post(path.clone()).query(|q| {
                        q.push("handler_id", handler_id);
                    }),
                };
                call.json(body)
            })
            .collect::<Result<Vec<Call>>>()?;
        let ctx = self.context_of(service);
        let mut outcomes = Vec::with_capacity(calls.len());
        for call in calls {
            let outcome = match ctx.send(call).await {
                Ok(reply) => reply.decode_optional().map(Option::unwrap_or_default),
                Err(error) => Err(error),
            };
            outcomes.push(outcome);
        }
        Ok(PublishReport { outcomes })
    }

    #[cfg(feature = "sender")]
    #[inline]
    async fn subscribe(&self, filters: &SubscriptionFilters) -> Result<Subscription> {
        Subscription::open(&self.ctx, filters).await
    }
}


