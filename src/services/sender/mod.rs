//! The luna-sender client of one mode; its mode-free parts (publishing route, filters) are in
//! [`crate::services::sender`].

pub(crate) mod subscription;

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
use crate::services::sender::{
    publish_bodies, publish_path, PublishedEvent, SubscriptionFilters, PUBLISH_SERVICE,
};

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

    /// The context that carries `publish`: the same client and per-call options, on the
    /// publishing service.
    fn publish_ctx(&self) -> ServiceContext {
        ServiceContext {
            client: self.ctx.client.clone(),
            service: PUBLISH_SERVICE,
            options: self.ctx.options.clone(),
        }
    }
}

#[maybe_async]
impl Sender {
    /// Python `publish(events, handlerId=, eventCreateTime=, eventEndTime=)`: publishes
    /// user-generated events (any JSON objects: [`crate::model::events::Event`],
    /// `serde_json::Value`...) so that luna-sender delivers them to its subscribers.
    ///
    /// Each event becomes one `POST /handlers/{handler_id}/events/raw` on luna-handlers with
    /// `create_time` / `end_time` set to the given times (see the module documentation for
    /// what is confirmed and what is chosen). Everything is checked before the first request;
    /// events are sent in order and the first failure stops the call (earlier events stay
    /// published). Not retried (each request creates an event).
    pub async fn publish<T: Serialize>(
        &self,
        events: &[T],
        handler_id: impl Into<Id>,
        event_create_time: OffsetDateTime,
        event_end_time: OffsetDateTime,
    ) -> Result<Vec<PublishedEvent>> {
        let handler_id = handler_id.into().resolve("handler_id")?;
        let bodies = publish_bodies(events, event_create_time, event_end_time)?;
        let ctx = self.publish_ctx();
        let mut published = Vec::with_capacity(bodies.len());
        for body in &bodies {
            let call = Call::post(publish_path(handler_id)).json(body)?;
            let reply = ctx.send(call).await?;
            published.push(reply.decode_optional()?.unwrap_or_default());
        }
        Ok(published)
    }

    /// Subscribes to the events luna-sender delivers in real time: a WebSocket on
    /// `GET /{api_version}/ws?<filters>` with `Luna-Account-Id` (required by the service: a
    /// client without an account id is refused here), `Luna-Request-Id`, authorization and
    /// the per-call headers / query pairs. A refused handshake (e.g. error 29001) is
    /// [`Error::Api`](crate::Error::Api). Uses `tungstenite` for the blocking client and `tokio-tungstenite` in async
    /// builds; `https` addresses become `wss`.
    pub async fn subscribe(&self, filters: &SubscriptionFilters) -> Result<Subscription> {
        Subscription::open(&self.ctx, filters).await
    }
}

