//! Proof that the SDK suites against the embedded luna-emulator call every one of the 90
//! methods of the Python clients (`tests/data/seed_methods.txt`), in both modes: [`COVERAGE`]
//! names, for each method, the call that must appear in the body of a named test of a
//! `tests/emulator_*.rs` suite whose tests run in both modes (`in_both_modes!`). The tests
//! here fail when a method has no row, a row names a missing test, or the test does not make
//! the call. With `LUNA_SEED_SPEC` set to the Python clients' specification (text), the method
//! list is also checked against it.

use std::collections::BTreeSet;

/// `(<class>.<python method>, call in the test body, suite, test)`.
const COVERAGE: &[(&str, &str, &str, &str)] = &[
    (
        "Events.deleteEvents",
        ".delete_events(",
        "emulator_events.rs",
        "descriptors_deletes_and_stats",
    ),
    (
        "Events.getAddress",
        "events.get_address()",
        "emulator_events.rs",
        "descriptors_deletes_and_stats",
    ),
    (
        "Events.getEvent",
        ".get_event(",
        "emulator_events.rs",
        "every_filter_selects_its_events",
    ),
    (
        "Events.getEventDescriptor",
        ".get_event_descriptor(",
        "emulator_events.rs",
        "descriptors_deletes_and_stats",
    ),
    (
        "Events.getEvents",
        ".get_events(",
        "emulator_events.rs",
        "ten_thousand_events_page_by_page_in_create_time_order",
    ),
    (
        "Events.getEventsStats",
        ".get_events_stats(",
        "emulator_events.rs",
        "descriptors_deletes_and_stats",
    ),
    (
        "Events.headEvent",
        ".head_event(",
        "emulator_events.rs",
        "every_filter_selects_its_events",
    ),
    (
        "Events.saveEvents",
        ".save_events(",
        "emulator_events.rs",
        "every_filter_selects_its_events",
    ),
    (
        "Faces.createAttribute",
        ".create_attribute(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.createFace",
        ".create_face(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.createList",
        ".create_list(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.deleteAttribute",
        ".delete_attribute(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.deleteFace",
        ".delete_face(",
        "emulator_faces.rs",
        "single_face_calls_and_errors",
    ),
    (
        "Faces.deleteFaceAttributes",
        ".delete_face_attributes(",
        "emulator_faces.rs",
        "face_attributes_in_both_descriptor_forms",
    ),
    (
        "Faces.deleteFaces",
        ".delete_faces(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.deleteList",
        ".delete_list(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.deleteLists",
        ".delete_lists(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.getAddress",
        "faces.get_address()",
        "emulator_faces.rs",
        "single_face_calls_and_errors",
    ),
    (
        "Faces.getAttribute",
        ".get_attribute(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.getAttributeIds",
        ".get_attribute_ids(",
        "emulator_faces.rs",
        "attribute_ids_of_a_list",
    ),
    (
        "Faces.getAttributeSamples",
        ".get_attribute_samples(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.getAttributes",
        ".get_attributes(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.getAttributesFromList",
        ".get_attributes_from_list(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.getFace",
        ".get_face(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.getFaceAttributeSamples",
        ".get_face_attribute_samples(",
        "emulator_faces.rs",
        "face_attributes_in_both_descriptor_forms",
    ),
    (
        "Faces.getFaceAttributes",
        ".get_face_attributes(",
        "emulator_faces.rs",
        "face_attributes_in_both_descriptor_forms",
    ),
    (
        "Faces.getFaces",
        ".get_faces(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.getFacesAttributes",
        ".get_faces_attributes(",
        "emulator_faces.rs",
        "face_attributes_in_both_descriptor_forms",
    ),
    (
        "Faces.getFacesCount",
        ".get_faces_count(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.getList",
        ".get_list(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.getLists",
        ".get_lists(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.getListsCount",
        ".get_lists_count(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.headAttribute",
        ".head_attribute(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.headFace",
        ".head_face(",
        "emulator_faces.rs",
        "single_face_calls_and_errors",
    ),
    (
        "Faces.headList",
        ".head_list(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.linkFacesToList",
        ".link_faces_to_list(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.patchFace",
        ".patch_face(",
        "emulator_faces.rs",
        "single_face_calls_and_errors",
    ),
    (
        "Faces.patchList",
        ".patch_list(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.putAttribute",
        ".put_attribute(",
        "emulator_faces.rs",
        "temporary_attributes_and_list_links",
    ),
    (
        "Faces.putFace",
        ".put_face(",
        "emulator_faces.rs",
        "single_face_calls_and_errors",
    ),
    (
        "Faces.putFaceAttributes",
        ".put_face_attributes(",
        "emulator_faces.rs",
        "face_attributes_in_both_descriptor_forms",
    ),
    (
        "Faces.unlinkFacesFromList",
        ".unlink_faces_from_list(",
        "emulator_faces.rs",
        "enrol_page_filter_count_link_and_delete_a_thousand_faces",
    ),
    (
        "Faces.updateFaceAttributes",
        ".update_face_attributes(",
        "emulator_faces.rs",
        "face_attributes_in_both_descriptor_forms",
    ),
    (
        "LIS.deleteImage",
        ".delete_image(",
        "emulator_image_store.rs",
        "images_round_trip_with_metadata_and_ttl",
    ),
    (
        "LIS.deleteImages",
        ".delete_images(",
        "emulator_image_store.rs",
        "images_round_trip_with_metadata_and_ttl",
    ),
    (
        "LIS.deleteObject",
        ".delete_object(",
        "emulator_image_store.rs",
        "objects_and_the_bulk_delete_limit",
    ),
    (
        "LIS.deleteObjects",
        ".delete_objects(",
        "emulator_image_store.rs",
        "objects_and_the_bulk_delete_limit",
    ),
    (
        "LIS.getAddress",
        "store.get_address()",
        "emulator_image_store.rs",
        "images_round_trip_with_metadata_and_ttl",
    ),
    (
        "LIS.getImage",
        ".get_image(",
        "emulator_image_store.rs",
        "images_round_trip_with_metadata_and_ttl",
    ),
    (
        "LIS.getObject",
        ".get_object(",
        "emulator_image_store.rs",
        "objects_and_the_bulk_delete_limit",
    ),
    (
        "LIS.headImage",
        ".head_image(",
        "emulator_image_store.rs",
        "images_round_trip_with_metadata_and_ttl",
    ),
    (
        "LIS.headObject",
        ".head_object(",
        "emulator_image_store.rs",
        "objects_and_the_bulk_delete_limit",
    ),
    (
        "LIS.postImage",
        ".post_image(",
        "emulator_image_store.rs",
        "images_round_trip_with_metadata_and_ttl",
    ),
    (
        "LIS.postObject",
        ".post_object(",
        "emulator_image_store.rs",
        "objects_and_the_bulk_delete_limit",
    ),
    (
        "LIS.putImage",
        ".put_image(",
        "emulator_image_store.rs",
        "images_round_trip_with_metadata_and_ttl",
    ),
    (
        "LIS.putObject",
        ".put_object(",
        "emulator_image_store.rs",
        "objects_and_the_bulk_delete_limit",
    ),
    (
        "LPM.crossmatchBodies",
        ".crossmatch_bodies(",
        "emulator_matcher.rs",
        "bodies_match_per_person_and_cross_matching_pairs_events_with_people",
    ),
    (
        "LPM.crossmatchFaces",
        ".crossmatch_faces(",
        "emulator_matcher.rs",
        "bodies_match_per_person_and_cross_matching_pairs_events_with_people",
    ),
    (
        "LPM.getAddress",
        "matcher.get_address()",
        "emulator_matcher.rs",
        "enrolled_people_are_found_again_and_strangers_are_not",
    ),
    (
        "LPM.matchBodies",
        ".match_bodies(",
        "emulator_matcher.rs",
        "bodies_match_per_person_and_cross_matching_pairs_events_with_people",
    ),
    (
        "LPM.matchFaces",
        ".match_faces(",
        "emulator_matcher.rs",
        "enrolled_people_are_found_again_and_strangers_are_not",
    ),
    (
        "LPM.matchRaw",
        ".match_raw(",
        "emulator_remote_sdk.rs",
        "sdk_estimates_photos_whose_descriptors_match_per_person",
    ),
    (
        "LRS.getAddress",
        "lrs.get_address()",
        "emulator_remote_sdk.rs",
        "sdk_estimates_photos_whose_descriptors_match_per_person",
    ),
    (
        "LRS.sdk",
        ".sdk(",
        "emulator_remote_sdk.rs",
        "sdk_estimates_photos_whose_descriptors_match_per_person",
    ),
    (
        "Sender.getAddress",
        "sender.get_address()",
        "emulator_sender.rs",
        "subscriptions_receive_published_saved_and_emitted_events_that_pass_their_filters",
    ),
    (
        "Sender.publish",
        ".publish(",
        "emulator_sender.rs",
        "subscriptions_receive_published_saved_and_emitted_events_that_pass_their_filters",
    ),
    (
        "Handlers.checkHandlerById",
        ".check_handler_by_id(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.checkVerifier",
        ".check_verifier(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.createHandler",
        ".create_handler(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.createVerifier",
        ".create_verifier(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.deleteHandlerById",
        ".delete_handler_by_id(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.deleteVerifier",
        ".delete_verifier(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.detectFaces",
        ".detect_faces(",
        "emulator_handlers.rs",
        "detector_extractor_and_upgrade_work_from_samples",
    ),
    (
        "Handlers.emitEvents",
        ".emit_events(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.emitStreamEvents",
        ".emit_stream_events(",
        "emulator_handlers.rs",
        "raw_and_stream_events_are_stored_and_pushed",
    ),
    (
        "Handlers.extractAttrFromSample",
        ".extract_attr_from_sample(",
        "emulator_handlers.rs",
        "detector_extractor_and_upgrade_work_from_samples",
    ),
    (
        "Handlers.getAddress",
        "handlers.get_address()",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.getHandlerById",
        ".get_handler_by_id(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.getHandlers",
        ".get_handlers(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.getHandlersCount",
        ".get_handlers_count(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.getVerifier",
        ".get_verifier(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.getVerifiers",
        ".get_verifiers(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.getVerifiersCount",
        ".get_verifiers_count(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.putVerifier",
        ".put_verifier(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.saveEvent",
        ".save_event(",
        "emulator_handlers.rs",
        "raw_and_stream_events_are_stored_and_pushed",
    ),
    (
        "Handlers.updateHandler",
        ".update_handler(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.upgradeObjectFromSample",
        ".upgrade_object_from_sample(",
        "emulator_handlers.rs",
        "detector_extractor_and_upgrade_work_from_samples",
    ),
    (
        "Handlers.validateHandler",
        ".validate_handler(",
        "emulator_handlers.rs",
        "enrol_emit_match_query_and_subscribe",
    ),
    (
        "Handlers.verifyData",
        ".verify_data(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
    (
        "Handlers.verifyRaw",
        ".verify_raw(",
        "emulator_handlers.rs",
        "verifiers_verify_photos_descriptors_and_raw_descriptors",
    ),
];

fn seed_methods() -> Vec<String> {
    include_str!("data/seed_methods.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// The body of test `name` in `suite`: from its `async fn` line to the next test.
fn test_body(suite: &str, name: &str) -> Option<String> {
    let path = format!("{}/tests/{suite}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).ok()?;
    let start = text.find(&format!("\n    async fn {name}() {{"))?;
    let rest = &text[start + 1..];
    let end = rest[1..]
        .find("\n    async fn ")
        .map_or(rest.len(), |i| i + 1);
    Some(rest[..end].to_owned())
}

#[test]
fn every_seed_method_has_exactly_one_row() {
    let seed = seed_methods();
    assert_eq!(seed.len(), 90);
    let rows: Vec<&str> = COVERAGE.iter().map(|row| row.0).collect();
    assert_eq!(
        rows.iter().collect::<BTreeSet<_>>().len(),
        rows.len(),
        "a method has two rows"
    );
    let seed: BTreeSet<&str> = seed.iter().map(String::as_str).collect();
    let rows: BTreeSet<&str> = rows.into_iter().collect();
    let missing: Vec<_> = seed.difference(&rows).collect();
    let extra: Vec<_> = rows.difference(&seed).collect();
    assert!(
        missing.is_empty(),
        "methods without a covering test: {missing:?}"
    );
    assert!(extra.is_empty(), "rows of no seed method: {extra:?}");
}

#[test]
fn every_row_names_a_test_of_both_modes_that_makes_the_call() {
    let mut failures = Vec::new();
    for (method, call, suite, test) in COVERAGE {
        let path = format!("{}/tests/{suite}", env!("CARGO_MANIFEST_DIR"));
        let both_modes = std::fs::read_to_string(&path)
            .map(|text| text.contains("crate::in_both_modes! {") && text.contains("both_modes! {"))
            .unwrap_or(false);
        if !both_modes {
            failures.push(format!("{method}: {suite} is not a suite of both modes"));
            continue;
        }
        match test_body(suite, test) {
            None => failures.push(format!("{method}: no test {test} in {suite}")),
            Some(body) if !body.contains(call) => {
                failures.push(format!("{method}: {suite}::{test} does not call `{call}`"))
            }
            Some(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_method_list_is_the_specification_s() {
    let Ok(path) = std::env::var("LUNA_SEED_SPEC") else {
        return; // the specification is not part of the repository
    };
    let text = std::fs::read_to_string(&path).expect("LUNA_SEED_SPEC is readable");
    let mut class = String::new();
    let mut methods = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("class luna_lambda_tools.public.clients.") {
            let path = rest.split('(').next().unwrap_or_default();
            class = path.rsplit('.').next().unwrap_or_default().to_owned();
        } else if line.ends_with(")[source]")
            && line.starts_with(|c: char| c.is_ascii_lowercase())
            && line.contains('(')
        {
            let name = &line[..line.find('(').unwrap_or_default()];
            if name.chars().all(|c| c.is_ascii_alphanumeric()) {
                methods.push(format!("{class}.{name}"));
            }
        }
    }
    assert_eq!(methods, seed_methods());
}
