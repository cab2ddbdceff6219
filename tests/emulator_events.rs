//! The Events client against the embedded luna-emulator (both modes): 10,000 saved events,
//! paging, every `get_events` filter, descriptors, deletes, statistics.

mod common;

crate::in_both_modes! {

use luna_clients::model::common::{Saving, Targets};

use luna_clients::services::events::{DescriptorQuery};

use crate::common::emulator::{all_ok, api_code};
use sdk::model::common::{Ethnicity, Gender};
use sdk::model::events::{
    ClothingColor, DescriptorKind, Emotion, Event, EventTarget, Liveness, Mask, OrNull,
};
use sdk::services::events::{
    DeleteEventsQuery, EventsQuery, GroupBy, MetaFilter, Order, StatFilter, StatQuery,
};
use sdk::{Events, OffsetDateTime, SdkDescriptor};
use serde_json::{json, Value};
use std::collections::HashSet;
use time::macros::datetime;
use time::Duration;
use uuid::Uuid;

const START: OffsetDateTime = datetime!(2024-01-01 00:00 UTC);

fn event(value: Value) -> Event {
    serde_json::from_value(value).expect("a valid event")
}

fn rfc3339(t: OffsetDateTime) -> String {
    sdk::format_time(t)
}

/// Event `i` of the big set: 20 sources, one minute apart (in a shuffled order).
fn numbered(i: u32) -> Event {
    let minute = (i * 7919) % 10_000;
    event(json!({
        "source": format!("cam-{}", i % 20),
        "handler_id": Uuid::new_v4().to_string(),
        "create_time": rfc3339(START + Duration::minutes(i64::from(minute))),
        "age": i % 90,
    }))
}

#[maybe_async]
async fn save_numbered(events: &Events, count: u32) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let all: Vec<Event> = (0..count).map(numbered).collect();
    for chunk in all.chunks(1000) {
        ids.extend(
            events
                .save_events(chunk, Saving::Wait)
                .await
                .unwrap()
                .event_ids,
        );
    }
    ids
}

#[maybe_async]
async fn matching(events: &Events, query: EventsQuery) -> Vec<Event> {
    events
        .get_events(&query.page_size(1000))
        .await
        .unwrap()
        .events
}

both_modes! {
    async fn ten_thousand_events_page_by_page_in_create_time_order() {
        let (client, _) = emulator_client();
        let events = client.events();
        let ids = save_numbered(&events, 10_000).await;
        assert_eq!(ids.len(), 10_000);
        let two_cams = || EventsQuery::new()
            .sources(["cam-3", "cam-4"])
            .create_time_gte(START + Duration::minutes(1000))
            .create_time_lt(START + Duration::minutes(9000));
        let mut seen = Vec::new();
        let mut times = Vec::new();
        for page in 1.. {
            let query = two_cams().page(page).page_size(100);
            let got = events.get_events(&query).await.unwrap().events;
            if got.is_empty() {
                break;
            }
            for e in got {
                assert!(matches!(e.source.as_deref(), Some("cam-3" | "cam-4")));
                times.push(e.create_time.unwrap());
                seen.push(e.event_id.unwrap());
            }
        }
        assert_eq!(seen.len(), 800, "8000 minutes of 2 sources out of 20");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 800);
        assert!(times.windows(2).all(|w| w[0] > w[1]), "newest first by default");
        let oldest = events
            .get_events(&two_cams().order(Order::Asc).page_size(1))
            .await
            .unwrap()
            .events;
        assert_eq!(oldest[0].create_time, times.last().copied());
    }

    async fn iter_events_returns_each_matching_event_once() {
        let (client, _) = emulator_client();
        let events = client.events();
        save_numbered(&events, 10_000).await;
        let query = EventsQuery::new().sources(["cam-5"]).page_size(100);
        let got = all_ok(collect_pages(events.iter_events(query)).await);
        let ids: HashSet<Uuid> = got.iter().map(|e| e.event_id.unwrap()).collect();
        assert_eq!(got.len(), 500);
        assert_eq!(ids.len(), 500);
    }

    async fn every_filter_selects_its_events() {
        let (client, account) = emulator_client();
        let events = client.events();
        let face = Uuid::new_v4();
        let candidate = Uuid::new_v4();
        let handler = Uuid::new_v4().to_string();
        let rich = event(json!({
            "handler_id": handler, "external_id": "ext-1", "source": "door", "track_id": "t-1",
            "user_data": "visitor", "tags": ["vip", "late"], "face_id": face,
            "create_time": "2024-02-01T10:00:00Z", "end_time": "2024-02-01T10:00:05Z",
            "gender": 1, "age": 35, "emotion": 4, "mask": 2, "ethnic_group": 3, "liveness": 1,
            "body_basic_attributes": {"apparent_age": 33, "apparent_gender": 1},
            "upper_body": {"headwear": {"state": 1, "apparent_color": "black"},
                           "sleeve": {"length": "long"}, "upper_clothing": {"colors": ["red", "blue"]}},
            "lower_body": {"lower_garment": {"type": "trousers", "colors": ["black"]},
                           "shoes": {"apparent_color": "white"}},
            "accessories": {"backpack": {"state": 0}},
            "location": {"city": "Moscow", "area": "north", "district": "d1", "street": "Lenina",
                         "house_number": "1", "geo_position": {"longitude": 37.6, "latitude": 55.7}},
            "top_match": {"face_id": candidate, "external_id": "cand-ext", "label": "staff", "similarity": 0.93},
            "meta": {"car": {"plate": "A123", "speed": 72}},
        }));
        let plain = event(json!({"create_time": "2024-02-02T10:00:00Z", "source": "yard"}));
        let saved = events.save_events(&[rich, plain], Saving::ServiceDefault).await.unwrap().event_ids;
        let (rich_id, plain_id) = (saved[0], saved[1]);
        let only_rich: Vec<(&str, EventsQuery)> = vec![
            ("event_ids", EventsQuery::new().event_ids([rich_id])),
            ("handler_ids", EventsQuery::new().handler_ids([handler.as_str()])),
            ("external_ids", EventsQuery::new().external_ids(["ext-1"])),
            ("top label", EventsQuery::new().top_matching_candidates_label("staff")),
            ("top ids", EventsQuery::new().top_similar_object_ids([candidate])),
            ("top ext", EventsQuery::new().top_similar_external_ids(["cand-ext"])),
            ("similarity", EventsQuery::new().top_similar_object_similarity_gte(0.9).top_similar_object_similarity_lt(0.95)),
            ("age", EventsQuery::new().age_gte(30).age_lt(36)),
            ("gender", EventsQuery::new().gender(Gender::Male)),
            ("emotions", EventsQuery::new().emotions([Emotion::Happiness])),
            ("masks", EventsQuery::new().masks([Mask::MedicalMask])),
            ("ethnic", EventsQuery::new().ethnic_groups([Ethnicity::Asian])),
            ("liveness", EventsQuery::new().liveness([Liveness::Real])),
            ("apparent age", EventsQuery::new().apparent_age_gte(33).apparent_age_lt(34)),
            ("upper colors", EventsQuery::new().upper_clothing_colors([ClothingColor::Blue])),
            ("lower colors", EventsQuery::new().lower_garment_colors([ClothingColor::Black])),
            ("face_ids", EventsQuery::new().face_ids([face])),
            ("user_data", EventsQuery::new().user_data("visitor")),
            ("sources", EventsQuery::new().sources(["door"])),
            ("tags", EventsQuery::new().tags(["late"])),
            ("cities", EventsQuery::new().cities(["Moscow"])),
            ("areas", EventsQuery::new().areas(["north"])),
            ("districts", EventsQuery::new().districts(["d1"])),
            ("streets", EventsQuery::new().streets(["Lenina"])),
            ("house numbers", EventsQuery::new().house_numbers(["1"])),
            ("track ids", EventsQuery::new().track_ids(["t-1"])),
            ("geo box", EventsQuery::new().geo_box(37.5, 55.75, 0.2, 0.1)),
            ("end time", EventsQuery::new().end_time_gte(datetime!(2024-02-01 10:00:05 UTC)).end_time_lt(datetime!(2024-02-01 10:00:06 UTC))),
            ("create time", EventsQuery::new().create_time_lt(datetime!(2024-02-02 00:00 UTC))),
            ("meta eq", EventsQuery::new().meta(MetaFilter::eq("car.plate", "A123"))),
            ("meta gte", EventsQuery::new().meta(MetaFilter::new("car.speed", sdk::services::events::MetaOperator::Gte, 70))),
        ];
        for (name, query) in only_rich {
            let got = matching(&events, query).await;
            let ids: Vec<_> = got.iter().map(|e| e.event_id.unwrap()).collect();
            assert_eq!(ids, vec![rich_id], "filter {name}");
        }
        let only_plain: Vec<(&str, EventsQuery)> = vec![
            ("gender null", EventsQuery::new().gender(OrNull::Null)),
            ("emotions null", EventsQuery::new().emotions([OrNull::Null])),
            ("cities null", EventsQuery::new().cities([OrNull::Null])),
            ("no geo", EventsQuery::new().origin_longitude(OrNull::Null).origin_latitude(OrNull::Null)),
            ("meta null", EventsQuery::new().meta(MetaFilter::is_null("car.plate"))),
            ("far geo box", EventsQuery::new().geo_box(37.5, 55.75, 0.2, 0.1).sources(["door"]).event_ids([plain_id])),
        ];
        for (name, query) in only_plain {
            let got = matching(&events, query).await;
            let ids: Vec<_> = got.iter().map(|e| e.event_id.unwrap()).collect();
            let expected = if name == "far geo box" { vec![] } else { vec![plain_id] };
            assert_eq!(ids, expected, "filter {name}");
        }
        let both = matching(&events, EventsQuery::new().event_id_gte(rich_id.min(plain_id))).await;
        assert_eq!(both.len(), 2);
        let one = matching(&events, EventsQuery::new().event_id_lt(rich_id.max(plain_id))).await;
        assert_eq!(one.len(), 1);

        // Targets, single reads, account isolation.
        let narrow = EventsQuery::new().targets([EventTarget::EventId, EventTarget::Source]);
        let got = matching(&events, narrow).await;
        assert!(got.iter().all(|e| e.age.is_none() && e.source.is_some()));
        let read = events.get_event(rich_id, Targets::All).await.unwrap();
        assert_eq!(read.account_id, Some(account));
        assert_eq!(read.meta, Some(json!({"car": {"plate": "A123", "speed": 72}})));
        let exists = events.head_event(rich_id).await.unwrap();
        assert!(exists);
        let (other, _) = emulator_client();
        let exists = other.events().head_event(rich_id).await.unwrap();
        assert!(!exists);
        let missing = events.get_event(Uuid::new_v4(), Targets::All).await;
        assert_eq!(api_code(missing), (404, Some(23001)));
    }

    async fn descriptors_deletes_and_stats() {
        let (client, _) = emulator_client();
        let events = client.events();
        let face = SdkDescriptor::new(59, &[5u8; 512]).unwrap();
        let body = SdkDescriptor::new(107, &[6u8; 512]).unwrap();
        let mut with_descriptors = event(json!({"create_time": "2024-03-01T08:00:00Z", "gender": 0, "age": 20}));
        with_descriptors.extra.insert("face_descriptors".into(), json!([face.to_base64()]));
        with_descriptors.extra.insert("body_descriptors".into(), json!([{"descriptor": "AAAA", "version": 107}]));
        let bad = events.save_events(std::slice::from_ref(&with_descriptors), Saving::ServiceDefault).await;
        assert_eq!(api_code(bad).0, 400, "a raw descriptor must be base64 of 512 bytes");
        with_descriptors.extra.insert("body_descriptors".into(), json!([body.to_raw()]));
        let id = events.save_events(&[with_descriptors], Saving::ServiceDefault).await.unwrap().event_ids[0];
        let got = events.get_event_descriptor(id, &DescriptorQuery::new().version(59).kind(DescriptorKind::Face)).await.unwrap();
        assert_eq!(&got, face.as_bytes(), "the answer's bytes as they are");
        let got = events.get_event_descriptor(id, &DescriptorQuery::new().kind(DescriptorKind::Body)).await.unwrap();
        assert_eq!(&got, body.as_bytes());
        let none = events.get_event_descriptor(id, &DescriptorQuery::new().version(60).kind(DescriptorKind::Face)).await;
        assert_eq!(api_code(none).0, 404);

        let handler = Uuid::new_v4();
        let batch: Vec<Event> = (0..48)
            .map(|i| event(json!({
                "handler_id": if i % 2 == 0 { handler.to_string() } else { Uuid::new_v4().to_string() },
                "create_time": rfc3339(datetime!(2024-03-02 00:00 UTC) + Duration::hours(i)),
                "gender": i % 2, "age": 20 + i,
            })))
            .collect();
        events.save_events(&batch, Saving::Queue).await.unwrap();
        let count = events.get_events_stats(&StatQuery::count()).await.unwrap();
        assert_eq!(count["result"][0]["count"], 49);
        let by_gender = StatQuery::new(sdk::services::events::Aggregator::Avg)
            .target("age")
            .group_by(GroupBy::Column("gender".into()));
        let stats = events.get_events_stats(&by_gender).await.unwrap();
        let rows = stats["result"].as_array().unwrap().clone();
        assert_eq!(rows.len(), 2);
        let male = rows.iter().find(|r| r["group"]["gender"] == 1).unwrap();
        assert_eq!(male["count"], 24);
        assert_eq!(male["age"], 44.0, "ages 21, 23 ... 67");
        let per_day = StatQuery::count()
            .group_by(GroupBy::Interval("1d".into()))
            .filter(StatFilter::eq("gender", 0));
        let stats = events.get_events_stats(&per_day).await.unwrap();
        let counts: Vec<i64> = stats["result"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).collect();
        assert_eq!(counts, vec![1, 12, 12], "2024-03-01, then two days of 12 even hours");

        let query = DeleteEventsQuery::new().handler_id(handler);
        let deleted = events.delete_events(&query).await.unwrap();
        assert_eq!(deleted.len(), 24);
        let left = matching(&events, EventsQuery::new()).await;
        assert_eq!(left.len(), 25);
        assert!(events.get_address().ends_with("/2"));
    }
}

}
