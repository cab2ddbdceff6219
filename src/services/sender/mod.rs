//! The luna-sender client of one mode; its mode-free parts (publishing route and report,
//! filters) are in [`crate::services::sender`].

#[cfg(feature = "sender")]
pub(crate) mod subscription;

#[cfg(feature = "sender")]
pub use subscription::Subscription;

use serde::Serialize;
use time::OffsetDateTime;

use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::call::Call;
use crate::error::Result;
use crate::id::Id;
use crate::service::Service;
#[cfg(feature = "sender")]
use crate::services::sender::SubscriptionFilters;
use crate::services::sender::{publish_bodies, PublishReport, PublishRoute};

/// The luna-sender client. Get one with [`LunaClient::sender`].
#[derive(Clone, Debug)]
pub struct Sender {
    ctx: ServiceContext,
}

service_handle_common!(Sender);

impl Sender {
    pub(crate) fn new(client: LunaClient) -> Self {
        Sender {
            ctx: client.context(Service::Sender),
        }
    }

    /// Python `getAddress()`: the Sender base URL, `<origin>/<api_version>` (no request).
    pub fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    /// The context of `service`: the same client and per-call options.
    fn context_of(&self, service: Service) -> ServiceContext {
        ServiceContext {
            client: self.ctx.client.clone(),
            service,
            options: self.ctx.options.clone(),
        }
    }
}

#[maybe_async]
impl Sender {
    /// Python `publish(events, handlerId=, eventCreateTime=, eventEndTime=)`: publishes
    /// user-generated events (any JSON objects: [`crate::model::events::Event`],
    /// `serde_json::Value`...) by `route` (see the module documentation and
    /// [`PublishRoute`] for what each route does besides publishing).
    ///
    /// Each event is one `POST` of the event as JSON; `event_create_time` / `event_end_time`
    /// fill `create_time` / `end_time` of the events that have none — an event's own times are
    /// sent unchanged. Arguments are checked before the first request (`Err`, nothing sent);
    /// then every event is attempted, in order, and the [`PublishReport`] tells which were
    /// published and which failed (with the error and its request id). Not retried (each
    /// request may create an event).
    pub async fn publish<T: Serialize>(
        &self,
        route: &PublishRoute,
        events: &[T],
        handler_id: impl Into<Id>,
        event_create_time: Option<OffsetDateTime>,
        event_end_time: Option<OffsetDateTime>,
    ) -> Result<PublishReport> {
        let handler_id = handler_id.into().resolve("handler_id")?;
        let (service, path) = route.target(handler_id)?;
        let bodies = publish_bodies(events, event_create_time, event_end_time)?;
        let calls = bodies
            .iter()
            .map(|body| {
                let call = Call::post(path.clone()).json(body)?;
                Ok(match route {
                    PublishRoute::HandlersRawEvents => call,
                    PublishRoute::SenderPath(_) => call.query(|q| {
                        q.push("handler_id", handler_id);
                    }),
                })
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

    /// Subscribes to the events luna-sender delivers in real time: a WebSocket on
    /// `GET /{api_version}/ws?<filters>` with `Luna-Account-Id` (required by the service: a
    /// client without an account id is refused here), `Luna-Request-Id`, authorization and
    /// the per-call headers / query pairs. A refused handshake (e.g. error 29001) is
    /// [`Error::Api`](crate::Error::Api). Uses `tungstenite` for the blocking client and `tokio-tungstenite` in async
    /// builds; `https` addresses become `wss`.
    #[cfg(feature = "sender")]
    #[cfg_attr(docsrs, doc(cfg(feature = "sender")))]
    pub async fn subscribe(&self, filters: &SubscriptionFilters) -> Result<Subscription> {
        Subscription::open(&self.ctx, filters).await
    }
}

