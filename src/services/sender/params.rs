//! luna-sender (Python `luna_lambda_tools.public.clients.sender.Sender`): publish
//! user-generated events to the real-time subscribers of luna-sender. The client is
//! `Sender` of either mode; this module holds its mode-free parts
//! (publishing route, subscription filters, answers).
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
//! `Sender::publish` sends each event there, on the **luna-handlers** address of the client:
//!
//! * confirmed: path, method, one event object per request in the generated-event format,
//!   the server filling `event_id`/`url` and defaulting `create_time`/`end_time`, answer 201
//!   with the event id and location, and delivery to `/ws` subscribers;
//! * chosen: `create_time`/`end_time` of every event set to the call's times, JSON body,
//!   account through `Luna-Account-Id`;
//! * side effect to know: luna-handlers also *stores* these events in luna-events, which the
//!   Python call (a pure publish) may not do.
//!
//! The route is kept in one function ([`publish_path`]); `Sender::raw` reaches any other
//! resource of the Sender if a deployment documents one in its `GET /docs/spec`.

mod filters;

pub use filters::{SubscriptionFilters, SUBSCRIPTION_PATH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::query::format_time;
use crate::service::Service;

/// The service that carries `Sender::publish` (see the module documentation).
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

/// Checks the publish arguments and builds one body per event.
pub(crate) fn publish_bodies<T: Serialize>(
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
            let mut value = serde_json::to_value(event)
                .map_err(|e| Error::invalid("events", format!("cannot serialize: {e}")))?;
            let map = value
                .as_object_mut()
                .ok_or_else(|| Error::invalid("events", "each event must be a JSON object"))?;
            map.insert("create_time".into(), Value::String(format_time(event_create_time)));
            map.insert("end_time".into(), Value::String(format_time(event_end_time)));
            Ok(value)
        })
        .collect()
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
