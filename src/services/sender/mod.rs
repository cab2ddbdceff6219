//! luna-sender client (Python `luna_lambda_tools.public.clients.sender.Sender`): publish
//! user-generated events to the real-time subscribers of luna-sender.
//!
//! ## How `publish` travels (read this)
//!
//! The Python wrapper publishes through `luna3`'s `LunaWSClient`, whose source is not public;
//! no HTTP resource of luna-sender for publishing handler events is documented (its
//! documented HTTP resources are the version, the `/ws` subscription and, since 2.12, general
//! events, whose paths are not published). What *is* documented is that events saved through
//! luna-handlers' raw-events resource — `POST /{api_version}/handlers/{handler_id}/events/raw`,
//! "user-generated events" — are pushed by luna-sender to every WebSocket subscriber
//! (LUNA PLATFORM 5.5.0 release notes; luna-handlers source of that resource). So
//! [`Sender::publish`] sends each event there, on the **luna-handlers** address of the client:
//!
//! * confirmed: path, method, one event object per request in the generated-event format,
//!   the server filling `event_id`/`url` and defaulting `create_time`/`end_time`, answer 201
//!   with the event id and location, and delivery to `/ws` subscribers;
//! * chosen: `create_time`/`end_time` of every event set to the call's times, JSON body,
//!   account through `Luna-Account-Id`;
//! * side effect to know: luna-handlers also *stores* these events in luna-events, which the
//!   Python call (a pure publish) may not do.
//!
//! The route is kept in one function ([`publish_path`]); [`Sender::raw`] reaches any other
//! resource of the Sender if a deployment documents one in its `GET /docs/spec`.

mod subscription;

pub use subscription::{Subscription, SubscriptionFilters, SUBSCRIPTION_PATH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::call::Call;
use crate::client::LunaClient;
use crate::context::ServiceContext;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::query::format_time;
use crate::service::Service;
use crate::services::service_handle_common;

/// The service that carries [`Sender::publish`] (see the module documentation).
pub const PUBLISH_SERVICE: Service = Service::Handlers;

/// Path of the publishing resource below [`PUBLISH_SERVICE`]'s base URL.
pub fn publish_path(handler_id: Uuid) -> String {
    format!("/handlers/{handler_id}/events/raw")
}

/// What luna-handlers answered for one published event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublishedEvent {
    /// Id given to the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
    /// Location of the stored event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

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

/// Checks the publish arguments and builds one body per event.
fn publish_bodies<T: Serialize>(
    events: &[T],
    event_create_time: OffsetDateTime,
    event_end_time: OffsetDateTime,
) -> Result<Vec<Value>> {
    if events.is_empty() {
        return Err(Error::invalid("events", "at least one event is required"));
    }
    if event_end_time < event_create_time {
        return Err(Error::invalid(
            "event_end_time",
            "the end time is before the creation time",
        ));
    }
    events
        .iter()
        .map(|event| {
            let mut value = crate::finite::to_value(event, "events")?;
            let map = value
                .as_object_mut()
                .ok_or_else(|| Error::invalid("events", "each event must be a JSON object"))?;
            map.insert("create_time".into(), Value::String(format_time(event_create_time)));
            map.insert("end_time".into(), Value::String(format_time(event_end_time)));
            Ok(value)
        })
        .collect()
}

#[maybe_async::maybe_async]
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
    /// [`Error::Api`]. Uses `tungstenite` in blocking builds and `tokio-tungstenite` in async
    /// builds; `https` addresses become `wss`.
    pub async fn subscribe(&self, filters: &SubscriptionFilters) -> Result<Subscription> {
        Subscription::open(&self.ctx, filters).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    #[test]
    fn bodies_carry_the_call_times_and_checks_hold() {
        let t0 = datetime!(2024-01-31 12:00 UTC);
        let t1 = datetime!(2024-01-31 15:00:05 +03:00);
        let bodies = publish_bodies(&[json!({"source": "cam", "create_time": "old"})], t0, t1).unwrap();
        assert_eq!(
            bodies,
            vec![json!({
                "source": "cam",
                "create_time": "2024-01-31T12:00:00Z",
                "end_time": "2024-01-31T12:00:05Z"
            })]
        );
        assert!(publish_bodies::<Value>(&[], t0, t1).is_err());
        assert!(publish_bodies(&[json!(1)], t0, t1).is_err());
        assert!(publish_bodies(&[json!({})], t1 + time::Duration::seconds(1), t1).is_err());
        assert_eq!(
            publish_path(Uuid::nil()),
            "/handlers/00000000-0000-0000-0000-000000000000/events/raw"
        );
    }
}
