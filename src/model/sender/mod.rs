//! luna-sender data types (mode-free): the publishing route and the event times of
//! `Sender::publish`, its report, and the filters of a subscription, with the constants of
//! those calls.
//!
//! How `publish` travels (which route is documented, what each one does to the events) is
//! explained in the Sender's documentation, `luna_clients::services::sender`.

mod filters;

pub use filters::{SubscriptionFilters, SUBSCRIPTION_PATH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::query::format_time;
use crate::service::Service;

/// Where `Sender::publish` sends the events (the routes and their side effects are explained
/// in the Sender's documentation, `luna_clients::services::sender`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublishRoute {
    /// luna-handlers' raw-events resource, `POST /handlers/{handler_id}/events/raw` on the
    /// client's luna-handlers address: delivered to luna-sender's subscribers **and stored in
    /// luna-events** (each event gets an `event_id` and a `url`).
    HandlersRawEvents,
    /// A publishing resource of luna-sender, as a path below its base URL (e.g. `/events`,
    /// as read from the deployment's `GET /docs/spec`): `POST <path>?handler_id=<id>`.
    SenderPath(String),
}

/// Times `publish` gives the events that have none (Python `eventCreateTime`,
/// `eventEndTime`); an event's own times are sent unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventTimes {
    /// `create_time` of the events without one.
    pub create_time: Option<OffsetDateTime>,
    /// `end_time` of the events without one.
    pub end_time: Option<OffsetDateTime>,
}

impl EventTimes {
    /// No time added.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creation time of the events without one.
    #[must_use]
    pub fn create_time(mut self, time: OffsetDateTime) -> Self {
        self.create_time = Some(time);
        self
    }

    /// End time of the events without one.
    #[must_use]
    pub fn end_time(mut self, time: OffsetDateTime) -> Self {
        self.end_time = Some(time);
        self
    }
}

impl PublishRoute {
    /// The service and path of one publishing request.
    pub(crate) fn target(&self, handler_id: Uuid) -> Result<(Service, String)> {
        match self {
            PublishRoute::HandlersRawEvents => {
                let endpoint = &crate::catalogue::sender::PUBLISH;
                Ok((endpoint.service, endpoint.path(&[&handler_id])?))
            }
            PublishRoute::SenderPath(path) => {
                let valid = path.starts_with('/')
                    && path.len() > 1
                    && !path.split('/').any(|segment| segment == "..")
                    && path
                        .chars()
                        .all(|c| c.is_ascii_graphic() && !matches!(c, '?' | '#' | '%'));
                if !valid {
                    return Err(Error::invalid(
                        "route",
                        format!(
                            "{path:?} is not a path below the Sender's base URL \
                             (`/name/...`: no query, fragment, escapes or `..`)"
                        ),
                    ));
                }
                Ok((Service::Sender, path.clone()))
            }
        }
    }
}

/// What the service answered for one published event (luna-handlers: the new event's id and
/// location).
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

/// The outcome of `Sender::publish`: one result per event, in the order given.
#[derive(Debug)]
#[non_exhaustive]
pub struct PublishReport {
    /// For each event, in order: what the service answered, or why it was not published.
    pub outcomes: Vec<Result<PublishedEvent>>,
}

impl PublishReport {
    /// Whether every event was published.
    pub fn all_published(&self) -> bool {
        self.outcomes.iter().all(Result::is_ok)
    }

    /// The published events: their index in the call and the answer.
    pub fn published(&self) -> impl Iterator<Item = (usize, &PublishedEvent)> {
        self.outcomes
            .iter()
            .enumerate()
            .filter_map(|(i, outcome)| outcome.as_ref().ok().map(|p| (i, p)))
    }

    /// The events that were not published: their index in the call and the error.
    pub fn failed(&self) -> impl Iterator<Item = (usize, &Error)> {
        self.outcomes
            .iter()
            .enumerate()
            .filter_map(|(i, outcome)| outcome.as_ref().err().map(|e| (i, e)))
    }
}

/// Checks the publish arguments and builds one body per event: the event as given, with the
/// call's times only where the event has none.
pub(crate) fn publish_bodies<T: Serialize>(
    events: &[T],
    event_create_time: Option<OffsetDateTime>,
    event_end_time: Option<OffsetDateTime>,
) -> Result<Vec<Value>> {
    if events.is_empty() {
        return Err(Error::invalid("events", "at least one event is required"));
    }
    if let (Some(create), Some(end)) = (event_create_time, event_end_time) {
        if end < create {
            return Err(Error::invalid(
                "event_end_time",
                "the end time is before the creation time",
            ));
        }
    }
    events
        .iter()
        .map(|event| {
            let mut value = crate::finite::to_value(event, "events")?;
            let map = value
                .as_object_mut()
                .ok_or_else(|| Error::invalid("events", "each event must be a JSON object"))?;
            for (name, time) in [("create_time", event_create_time), ("end_time", event_end_time)] {
                if let Some(time) = time {
                    map.entry(name).or_insert_with(|| Value::String(format_time(time)));
                }
            }
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
    fn bodies_keep_the_events_times_and_checks_hold() {
        let t0 = datetime!(2024-01-31 12:00 UTC);
        let t1 = datetime!(2024-01-31 15:00:05 +03:00);
        let events = [json!({"source": "cam", "create_time": "2024-01-01T00:00:00Z"}), json!({})];
        let bodies = publish_bodies(&events, Some(t0), Some(t1)).unwrap();
        assert_eq!(
            bodies,
            vec![
                json!({
                    "source": "cam",
                    "create_time": "2024-01-01T00:00:00Z",
                    "end_time": "2024-01-31T12:00:05Z"
                }),
                json!({"create_time": "2024-01-31T12:00:00Z", "end_time": "2024-01-31T12:00:05Z"}),
            ]
        );
        assert_eq!(publish_bodies(&[json!({})], None, None).unwrap(), vec![json!({})]);
        assert!(publish_bodies::<Value>(&[], Some(t0), Some(t1)).is_err());
        assert!(publish_bodies(&[json!(1)], Some(t0), Some(t1)).is_err());
        assert!(publish_bodies(&[json!({})], Some(t1 + time::Duration::seconds(1)), Some(t1)).is_err());
    }

    #[test]
    fn routes_name_their_service_and_path() {
        let id = Uuid::nil();
        assert_eq!(
            PublishRoute::HandlersRawEvents.target(id).unwrap(),
            (Service::Handlers, format!("/handlers/{id}/events/raw"))
        );
        assert_eq!(
            PublishRoute::SenderPath("/events/general".into()).target(id).unwrap(),
            (Service::Sender, "/events/general".to_owned())
        );
        for bad in ["", "/", "events", "/a?b=1", "/a#x", "/../x", "/a b", "/%2e%2e"] {
            assert!(PublishRoute::SenderPath(bad.into()).target(id).is_err(), "{bad:?}");
        }
    }
}
