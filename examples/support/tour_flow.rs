// The tour, written once for both clients: `examples/tour.rs` includes it with `sdk` =
// `luna_clients` and `maybe_async` = `must_be_async`, `examples/tour_blocking.rs` with `sdk` =
// `luna_clients::blocking` and `must_be_sync` (which removes every `.await`).
//
// It runs against any set of LUNA services (`run` takes a client); the examples give it the
// in-process luna-emulator, whose synthetic photos (`luna_emulator::synthetic_face`) are
// recognised: two photos of one person match at about 0.94, different people below 0.5.

use luna_clients::model::handlers::{
    ConditionalTag, DetectPolicy, EventPolicy, ExtractPolicy, FacePolicy, LinkToListPolicy,
    MatchCondition, MatchPolicy, NewHandler, Policies, PolicyFilters, SamplePolicy,
    StoragePolicy,
};
use luna_clients::model::images::BinaryImage;
use luna_clients::model::matching::{Candidates, CrossMatchParams, MatchReference};
use luna_clients::services::events::{
    Aggregator, DeleteEventsQuery, EventsQuery, GroupBy, StatFilter, StatQuery,
};
use luna_clients::services::faces::FacesQuery;
use luna_clients::services::handlers::EmitEventsParams;
use luna_clients::services::sender::SubscriptionFilters;
use luna_emulator::synthetic_face;
use luna_clients::model::common::Targets;
use luna_clients::model::image_store::UserMeta;
use luna_clients::services::faces::{ListFaces, NewList};
use std::collections::HashMap;
use uuid::Uuid;

/// The people enrolled, then seen again.
pub const PEOPLE: [&str; 3] = ["alice", "bob", "carol"];
/// Someone never enrolled.
pub const STRANGER: &str = "mallory";
/// Candidates below this similarity are not matches.
pub const THRESHOLD: f64 = 0.5;
/// An enrolled person's new photo must match their face at least this well.
pub const SAME_PERSON: f64 = 0.9;
/// The match label of the search handler.
pub const LABEL: &str = "staff";

/// A tour failure: an SDK error or an outcome that did not hold.
pub type TourError = Box<dyn std::error::Error>;

/// Fails the tour with `message` unless `holds`.
pub fn expect(holds: bool, message: impl Into<String>) -> Result<(), TourError> {
    if holds {
        Ok(())
    } else {
        Err(format!("expected outcome did not hold: {}", message.into()).into())
    }
}

/// Ends the process with code 2 if the tour has not finished within `seconds` (a subscription
/// that never receives its events would otherwise wait forever).
pub fn watchdog(seconds: u64) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(seconds));
        eprintln!("error: the tour did not finish within {seconds} s");
        std::process::exit(2);
    });
}

/// A client of the emulator's seven services under a new account. Against a real deployment,
/// `sdk::LunaClient::from_env()` reads the same `LUNA_*_ADDRESS` settings (and
/// `LUNA_ACCOUNT_ID`) from the environment instead.
pub fn connect(emulator: &luna_emulator::Emulator) -> luna_clients::Result<sdk::LunaClient> {
    sdk::LunaClientBuilder::from_vars(|name| emulator.var(name))?
        .account_id(Uuid::new_v4())
        .build()
}

/// The exit code of a tour: 0 when everything held, 1 (with the error printed) otherwise.
pub fn exit_code(result: Result<(), TourError>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The event id of a subscription frame (the event itself, or an `event` member holding it).
fn frame_event_id(frame: &serde_json::Value) -> Option<Uuid> {
    frame
        .get("event_id")
        .or_else(|| frame.get("event").and_then(|event| event.get("event_id")))
        .and_then(|id| id.as_str())
        .and_then(|id| id.parse().ok())
}

/// Walks the whole scenario with `client`, printing each step; `Err` when a call fails or an
/// expected outcome does not hold.
#[maybe_async]
pub async fn run(client: &sdk::LunaClient) -> Result<(), TourError> {
    let faces = client.faces();
    let handlers = client.handlers();
    let events = client.events();

    println!("1. create a list");
    let list = faces.create_list(&NewList::new("tour: staff")).await?.list_id;
    println!("   list {list}");

    println!("2. enrol {} people from photos", PEOPLE.len());
    let enrol_policies = Policies::new()
        .detect_policy(DetectPolicy::new().detect_face(true))
        .extract_policy(
            ExtractPolicy::new()
                .extract_face_descriptor(true)
                .extract_basic_attributes(true),
        )
        .storage_policy(
            StoragePolicy::new()
                .face_sample_policy(SamplePolicy::new(true))
                .face_policy(
                    FacePolicy::new(true)
                        .set_sample_as_avatar(true)
                        .link_to_list(LinkToListPolicy::new(list)),
                )
                .event_policy(EventPolicy::new(true).wait_saving(true)),
        );
    let enrol = handlers
        .create_handler(&NewHandler::with_policies(enrol_policies).description("tour: enrol"))
        .await?
        .id;
    let mut enrolled: HashMap<Uuid, &str> = HashMap::new();
    for person in PEOPLE {
        let photo = BinaryImage::png(synthetic_face(person, 0));
        let params = EmitEventsParams::new()
            .external_id(person)
            .user_data(person)
            .source("enrolment desk");
        let answer = handlers.emit_events(enrol, photo, &params).await?;
        let event = answer.events.first().ok_or("enrolment made no event")?;
        let face_id = event
            .face
            .as_ref()
            .and_then(|face| face.face_id)
            .ok_or("enrolment made no face")?;
        println!(
            "   {person}: face {face_id} (age {:?}, gender {:?})",
            event.event.age, event.event.gender
        );
        enrolled.insert(face_id, person);
    }
    let in_list = faces
        .get_faces_count(&FacesQuery::new().list_id(list))
        .await?;
    println!("   the list holds {in_list} faces");
    expect(in_list == PEOPLE.len() as u64, "every enrolled face is in the list")?;

    println!("3. create a handler: detect, extract, match against the list, tag, store events");
    let known = PolicyFilters::new()
        .match_condition(MatchCondition::new(LABEL).similarity_gte(SAME_PERSON));
    let search_policies = Policies::new()
        .detect_policy(
            DetectPolicy::new()
                .detect_face(true)
                .estimate_emotions(true)
                .estimate_mask(true),
        )
        .extract_policy(
            ExtractPolicy::new()
                .extract_face_descriptor(true)
                .extract_basic_attributes(true),
        )
        .match_policy(
            MatchPolicy::new(LABEL, FacesQuery::new().list_id(list))?
                .limit(3)
                .threshold(THRESHOLD),
        )
        .conditional_tag(ConditionalTag::new("known", known))
        .storage_policy(
            StoragePolicy::new().event_policy(EventPolicy::new(true).wait_saving(true)),
        );
    handlers.validate_handler(&search_policies).await?;
    let search = handlers
        .create_handler(&NewHandler::with_policies(search_policies).description("tour: entrance"))
        .await?
        .id;
    println!("   handler {search} (policies validated)");

    println!("4. subscribe to the Sender for the entrance handler's events");
    let sender = client.sender();
    let mut subscription = sender
        .subscribe(&SubscriptionFilters::new().handler_ids([search]))
        .await?;
    println!("   subscribed ({})", sender.get_address());

    println!("5. emit events from new photos of the enrolled people and of a stranger");
    let mut emitted: HashMap<Uuid, &str> = HashMap::new();
    let mut stranger_event = None;
    for person in PEOPLE.into_iter().chain([STRANGER]) {
        let photo = BinaryImage::png(synthetic_face(person, 1));
        let params = EmitEventsParams::new().source("entrance").tags(["entrance"]);
        let answer = handlers.emit_events(search, photo, &params).await?;
        let emitted_event = answer.events.first().ok_or("the entrance made no event")?;
        let event_id = emitted_event.event_id().ok_or("the event has no id")?;
        emitted.insert(event_id, person);
        let candidates = emitted_event
            .match_results()
            .iter()
            .filter(|result| result.label.as_deref() == Some(LABEL))
            .flat_map(|result| result.candidates.iter().flatten())
            .collect::<Vec<_>>();
        let tags = emitted_event.event.tags.clone().unwrap_or_default();
        if person == STRANGER {
            println!(
                "   {person}: event {event_id}, {} candidate(s) at or above {THRESHOLD}, tags {tags:?}",
                candidates.len()
            );
            expect(
                candidates.is_empty(),
                format!("the stranger has no candidate above the threshold: {candidates:?}"),
            )?;
            expect(
                emitted_event.event.top_match.is_none(),
                "the stranger has no top match",
            )?;
            expect(!tags.iter().any(|t| t == "known"), "the stranger is not tagged known")?;
            stranger_event = Some(event_id);
            continue;
        }
        let top = candidates.first().ok_or(format!("{person} has no match"))?;
        let similarity = top.similarity.unwrap_or_default();
        let face_id = top.face.as_ref().and_then(|face| face.face_id);
        let matched = face_id.and_then(|id| enrolled.get(&id)).copied();
        println!(
            "   {person}: event {event_id}, top match {} at similarity {similarity:.3}, tags {tags:?}",
            matched.unwrap_or("an unknown face")
        );
        for other in candidates.iter().skip(1) {
            println!("      next candidate at {:.3}", other.similarity.unwrap_or_default());
        }
        expect(
            matched == Some(person),
            format!("{person}'s top match is {person}'s enrolled face"),
        )?;
        expect(
            similarity >= SAME_PERSON,
            format!("{person} matches at ≥ {SAME_PERSON} (got {similarity})"),
        )?;
        expect(tags.iter().any(|t| t == "known"), format!("{person} is tagged known"))?;
    }
    let stranger_event = stranger_event.ok_or("no stranger event")?;

    println!("6. the subscription received the events");
    let mut received = Vec::new();
    while received.len() < emitted.len() {
        match subscription.next_event().await? {
            Some(frame) => {
                let id = frame_event_id(&frame).ok_or("a frame without an event id")?;
                println!("   pushed: event {id} ({})", emitted.get(&id).unwrap_or(&"?"));
                received.push(id);
            }
            None => break,
        }
    }
    subscription.close().await?;
    expect(
        received.len() == emitted.len() && received.iter().all(|id| emitted.contains_key(id)),
        format!("the subscription received the {} events", emitted.len()),
    )?;

    println!("7. query the stored events with filters, and statistics");
    let entrance = EventsQuery::new().handler_ids([search]);
    let all = events.get_events(&entrance).await?.events;
    println!("   the entrance handler stored {} events", all.len());
    expect(all.len() == emitted.len(), "every emitted event is stored")?;
    let matched = events
        .get_events(
            &EventsQuery::new()
                .handler_ids([search])
                .top_similar_object_similarity_gte(SAME_PERSON),
        )
        .await?
        .events;
    println!("   {} of them have a top match ≥ {SAME_PERSON}", matched.len());
    expect(matched.len() == PEOPLE.len(), "the enrolled people's events have matches")?;
    let bobs = events
        .get_events(&EventsQuery::new().top_similar_external_ids(["bob"]).tags(["known"]))
        .await?
        .events;
    println!("   bob was seen {} time(s)", bobs.len());
    expect(bobs.len() == 1, "bob was seen once")?;
    let stats = StatQuery::new(Aggregator::Count)
        .group_by(GroupBy::Column("top_similar_external_id".into()))
        .filter(StatFilter::eq("handler_id", search.to_string()));
    let stats = events.get_events_stats(&stats).await?;
    println!("   statistics, events per top match:");
    for row in stats["result"].as_array().into_iter().flatten() {
        let who = row["group"]["top_similar_external_id"].as_str().unwrap_or("no match");
        println!("      {who}: {}", row["count"]);
    }
    let one = events.get_event(stranger_event, Targets::All).await?;
    println!(
        "   the stranger's event: source {:?}, age {:?}, emotion {:?}, top match {:?}",
        one.source, one.age, one.emotion, one.top_match
    );

    println!("8. match and cross-match");
    let matcher = client.matcher();
    let stranger_vs_list = matcher
        .match_faces(
            &[Candidates::faces(FacesQuery::new().list_id(list)).limit(1)],
            &[MatchReference::event(stranger_event)],
        )
        .await?;
    let best = stranger_vs_list
        .first()
        .and_then(|reference| reference.best())
        .and_then(|candidate| candidate.similarity)
        .unwrap_or_default();
    println!("   the stranger's best similarity with the list, no threshold: {best:.3}");
    expect(best < THRESHOLD, "the stranger resembles no one enrolled")?;
    let pairs = matcher
        .crossmatch_faces(
            entrance.clone(),
            FacesQuery::new().list_id(list),
            &CrossMatchParams::new().limit(1).threshold(THRESHOLD),
        )
        .await?;
    for reference in &pairs {
        let face = reference
            .reference_id()
            .and_then(|id| id.parse::<Uuid>().ok())
            .and_then(|id| enrolled.get(&id).copied())
            .unwrap_or("?");
        let best = reference.matches.first();
        let seen = best
            .and_then(|m| m.candidate_id())
            .and_then(|id| id.parse::<Uuid>().ok())
            .and_then(|id| emitted.get(&id).copied())
            .unwrap_or("nobody");
        let similarity = best.and_then(|m| m.similarity).unwrap_or_default();
        println!("   enrolled {face}: best entrance event shows {seen} ({similarity:.3})");
        expect(face == seen, format!("{face}'s face cross-matches {face}'s event"))?;
    }
    expect(pairs.len() == PEOPLE.len(), "every enrolled face was cross-matched")?;

    println!("9. clean up");
    let mut deleted = 0;
    let mut samples = Vec::new();
    for handler in [enrol, search] {
        let gone = events
            .delete_events(&DeleteEventsQuery::new().handler_id(handler))
            .await?;
        deleted += gone.len();
        // A deleted event names its samples, which stay in the Image Store until deleted.
        samples.extend(
            gone.iter()
                .flat_map(|event| event.face_detections.iter().flatten())
                .filter_map(|detection| detection.sample_id),
        );
        handlers.delete_handler_by_id(handler).await?;
    }
    let store = client.image_store("visionlabs-samples");
    if !samples.is_empty() {
        store.delete_images(samples.clone()).await?;
    }
    faces.delete_list(list, ListFaces::Delete).await?;
    let left = faces.get_faces_count(&FacesQuery::new()).await?;
    println!(
        "   deleted {deleted} events, {} samples, both handlers, the list and its faces ({left} faces left)",
        samples.len()
    );
    expect(left == 0, "nothing is left")?;
    if let Some(sample) = samples.first() {
        expect(store.head_image(*sample, UserMeta::ServiceDefault).await?.is_none(), "the samples are gone")?;
    }
    expect(!handlers.check_handler_by_id(search).await?, "the handler is gone")?;
    println!("done: every expected outcome held");
    Ok(())
}
