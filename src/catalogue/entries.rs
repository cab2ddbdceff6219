//! The entries, one module per service handle. Paths and query names as the methods send
//! them; confidence from the wire reference (`luna-api/<service>.md`, §2 of each file).

use super::{AnswerKind as A, BodyKind as B, Endpoint, HttpMethod::*};
use crate::service::Service;

/// Declares a service handle's entries as public statics and lists them in `ALL`.
macro_rules! entries {
    ($( $(#[$doc:meta])* $name:ident = $value:expr; )*) => {
        $( $(#[$doc])* pub static $name: Endpoint = $value; )*
        /// Every entry of this service handle, in declaration order.
        pub static ALL: &[&Endpoint] = &[$(&$name),*];
    };
}

/// luna-faces (Python `Faces`).
pub mod faces {
    use super::*;

    const fn e(python: &'static str, rust: &'static str, method: super::super::HttpMethod, path: &'static str) -> Endpoint {
        Endpoint::new(Service::Faces, Some(python), rust, method, path)
    }

    /// Filters of `GET /faces` and `GET /faces/count`.
    const FACES_FILTERS: &[&str] = &[
        "user_data", "event_id", "list_id", "face_ids", "create_time__lt", "create_time__gte",
        "attribute_ids", "external_ids", "face_id__gte", "face_id__lt",
    ];
    const FACES_LIST: &[&str] = &[
        "user_data", "event_id", "list_id", "face_ids", "create_time__lt", "create_time__gte",
        "attribute_ids", "external_ids", "face_id__gte", "face_id__lt", "page", "page_size",
        "targets",
    ];
    const LISTS_FILTERS: &[&str] = &[
        "user_data", "user_data__eq", "create_time__lt", "create_time__gte",
        "last_update_time__lt", "last_update_time__gte", "list_ids", "list_id__lt",
        "list_id__gte",
    ];
    const LISTS_LIST: &[&str] = &[
        "user_data", "user_data__eq", "create_time__lt", "create_time__gte",
        "last_update_time__lt", "last_update_time__gte", "list_ids", "list_id__lt",
        "list_id__gte", "page", "page_size",
    ];

    entries! {
        /// `createFace`: `POST /faces`.
        CREATE_FACE = e("createFace", "create_face", Post, "/faces").body(B::Json);
        /// `putFace`: `PUT /faces/{face_id}`.
        PUT_FACE = e("putFace", "put_face", Put, "/faces/{face_id}").body(B::Json);
        /// `getFace`: `GET /faces/{face_id}`.
        GET_FACE = e("getFace", "get_face", Get, "/faces/{face_id}").query(&["targets"]).account_scoped();
        /// `headFace`: `HEAD /faces/{face_id}`.
        HEAD_FACE = e("headFace", "head_face", Head, "/faces/{face_id}").answer(A::Exists).account_scoped();
        /// `patchFace`: `PATCH /faces/{face_id}`.
        PATCH_FACE = e("patchFace", "patch_face", Patch, "/faces/{face_id}").body(B::Json).answer(A::Empty).account_scoped();
        /// `deleteFace`: `DELETE /faces/{face_id}`.
        DELETE_FACE = e("deleteFace", "delete_face", Delete, "/faces/{face_id}").answer(A::Empty).account_scoped();
        /// `deleteFaces`: `DELETE /faces` with the ids in the body.
        DELETE_FACES = e("deleteFaces", "delete_faces", Delete, "/faces").query(&["ignore"]).body(B::Json).answer(A::Empty).account_scoped();
        /// `getFaces`: `GET /faces`.
        GET_FACES = e("getFaces", "get_faces", Get, "/faces").also(&["iter_faces"]).query(FACES_LIST).account_scoped();
        /// `getFacesCount`: `GET /faces/count`.
        GET_FACES_COUNT = e("getFacesCount", "get_faces_count", Get, "/faces/count").query(FACES_FILTERS).answer(A::Count).account_scoped();
        /// `getFacesAttributes`: `GET /faces/attributes` (pre-LP5 only in the reference).
        GET_FACES_ATTRIBUTES = e("getFacesAttributes", "get_faces_attributes", Get, "/faces/attributes").query(&["faces_ids"]).account_scoped().inferred();
        /// `getFaceAttributes`: `GET /faces/{face_id}/attributes`.
        GET_FACE_ATTRIBUTES = e("getFaceAttributes", "get_face_attributes", Get, "/faces/{face_id}/attributes").query(&["targets", "descriptor_version", "descriptor_format"]).account_scoped();
        /// `putFaceAttributes`: `PUT /faces/{face_id}/attributes`.
        PUT_FACE_ATTRIBUTES = e("putFaceAttributes", "put_face_attributes", Put, "/faces/{face_id}/attributes").body(B::Json).answer(A::Empty).account_scoped();
        /// `updateFaceAttributes`: `PATCH /faces/{face_id}/attributes`.
        UPDATE_FACE_ATTRIBUTES = e("updateFaceAttributes", "update_face_attributes", Patch, "/faces/{face_id}/attributes").body(B::Json).answer(A::Empty).account_scoped();
        /// `deleteFaceAttributes`: `DELETE /faces/{face_id}/attributes`.
        DELETE_FACE_ATTRIBUTES = e("deleteFaceAttributes", "delete_face_attributes", Delete, "/faces/{face_id}/attributes").answer(A::Empty).account_scoped();
        /// `getFaceAttributeSamples`: `GET /faces/{face_id}/attributes/samples`.
        GET_FACE_ATTRIBUTE_SAMPLES = e("getFaceAttributeSamples", "get_face_attribute_samples", Get, "/faces/{face_id}/attributes/samples").account_scoped();
        /// `createList`: `POST /lists`.
        CREATE_LIST = e("createList", "create_list", Post, "/lists").query(&["list_id"]).body(B::Json);
        /// `getList`: `GET /lists/{list_id}`.
        GET_LIST = e("getList", "get_list", Get, "/lists/{list_id}").query(&["page", "page_size"]).account_scoped();
        /// `getLists`: `GET /lists`.
        GET_LISTS = e("getLists", "get_lists", Get, "/lists").also(&["iter_lists"]).query(LISTS_LIST).account_scoped();
        /// `getListsCount`: `GET /lists/count`.
        GET_LISTS_COUNT = e("getListsCount", "get_lists_count", Get, "/lists/count").query(LISTS_FILTERS).answer(A::Count).account_scoped();
        /// `headList`: `HEAD /lists/{list_id}`.
        HEAD_LIST = e("headList", "head_list", Head, "/lists/{list_id}").answer(A::Exists).account_scoped();
        /// `patchList`: `PATCH /lists/{list_id}`.
        PATCH_LIST = e("patchList", "patch_list", Patch, "/lists/{list_id}").body(B::Json).answer(A::Empty).account_scoped();
        /// `deleteList`: `DELETE /lists/{list_id}`.
        DELETE_LIST = e("deleteList", "delete_list", Delete, "/lists/{list_id}").query(&["with_faces"]).answer(A::Empty).account_scoped();
        /// `deleteLists`: `DELETE /lists` with the ids in the body.
        DELETE_LISTS = e("deleteLists", "delete_lists", Delete, "/lists").query(&["with_faces"]).body(B::Json).answer(A::Empty).account_scoped();
        /// `linkFacesToList`: `PATCH /linker` (`action: attach`).
        LINK_FACES_TO_LIST = e("linkFacesToList", "link_faces_to_list", Patch, "/linker").body(B::Json).answer(A::Empty).account_scoped();
        /// `unlinkFacesFromList`: `PATCH /linker` (`action: detach`).
        UNLINK_FACES_FROM_LIST = e("unlinkFacesFromList", "unlink_faces_from_list", Patch, "/linker").body(B::Json).answer(A::Empty).account_scoped();
        /// `getAttributesFromList`: `GET /lists/{list_id}/attributes`.
        GET_ATTRIBUTES_FROM_LIST = e("getAttributesFromList", "get_attributes_from_list", Get, "/lists/{list_id}/attributes").query(&["link_key__lt", "link_key__gte", "limit", "parity"]).account_scoped();
        /// `createAttribute`: `POST /attributes`.
        CREATE_ATTRIBUTE = e("createAttribute", "create_attribute", Post, "/attributes").query(&["ttl"]).body(B::JsonOrBinary);
        /// `getAttributes`: `GET /attributes?attribute_ids=`.
        GET_ATTRIBUTES = e("getAttributes", "get_attributes", Get, "/attributes").query(&["attribute_ids", "targets", "descriptor_version"]).account_scoped();
        /// `getAttribute`: `GET /attributes/{attribute_id}`.
        GET_ATTRIBUTE = e("getAttribute", "get_attribute", Get, "/attributes/{attribute_id}").query(&["targets", "descriptor_version"]).account_scoped();
        /// `headAttribute`: `HEAD /attributes/{attribute_id}`.
        HEAD_ATTRIBUTE = e("headAttribute", "head_attribute", Head, "/attributes/{attribute_id}").answer(A::Exists).account_scoped();
        /// `putAttribute`: `PUT /attributes/{attribute_id}`.
        PUT_ATTRIBUTE = e("putAttribute", "put_attribute", Put, "/attributes/{attribute_id}").query(&["ttl", "force"]).body(B::JsonOrBinary).answer(A::Empty);
        /// `deleteAttribute`: `DELETE /attributes/{attribute_id}`.
        DELETE_ATTRIBUTE = e("deleteAttribute", "delete_attribute", Delete, "/attributes/{attribute_id}").answer(A::Empty).account_scoped();
        /// `getAttributeSamples`: `GET /attributes/{attribute_id}/samples`.
        GET_ATTRIBUTE_SAMPLES = e("getAttributeSamples", "get_attribute_samples", Get, "/attributes/{attribute_id}/samples").account_scoped();
        /// `getAttributeIds`: read as `GET /faces?list_id=…&targets=face_id` (the LP5 form is
        /// unknown; see the wire notes).
        GET_ATTRIBUTE_IDS = e("getAttributeIds", "get_attribute_ids", Get, "/faces").query(&["list_id", "create_time__lt", "create_time__gte", "page", "page_size", "targets"]).account_scoped().inferred();
    }
}

/// luna-events (Python `Events`).
pub mod events {
    use super::*;

    const fn e(python: &'static str, rust: &'static str, method: super::super::HttpMethod, path: &'static str) -> Endpoint {
        Endpoint::new(Service::Events, Some(python), rust, method, path)
    }

    const EVENTS_QUERY: &[&str] = &[
        "target", "create_time__gte", "create_time__lt", "end_time__gte", "end_time__lt",
        "event_ids", "event_id__gte", "event_id__lt", "handler_ids", "external_ids",
        "top_matching_candidates_label", "top_similar_object_ids", "top_similar_external_ids",
        "top_similar_object_similarity__gte", "top_similar_object_similarity__lt", "age__lt",
        "age__gte", "gender", "emotions", "masks", "ethnic_groups", "liveness",
        "apparent_age__gte", "apparent_age__lt", "apparent_gender", "headwear_states",
        "headwear_apparent_colors", "sleeve_lengths", "upper_clothing_colors",
        "lower_garment_types", "lower_garment_colors", "shoes_apparent_colors",
        "backpack_states", "face_ids", "user_data", "page", "page_size", "order", "sources",
        "tags", "cities", "areas", "districts", "streets", "house_numbers", "origin_longitude",
        "origin_latitude", "longitude_delta", "latitude_delta", "track_ids", "meta.*",
    ];

    entries! {
        /// `saveEvents`: `POST /events`.
        SAVE_EVENTS = e("saveEvents", "save_events", Post, "/events").query(&["wait_events_saving"]).body(B::Json);
        /// `getEvents`: `GET /events`.
        GET_EVENTS = e("getEvents", "get_events", Get, "/events").also(&["iter_events"]).query(EVENTS_QUERY).account_scoped();
        /// `getEvent`: `GET /events/{event_id}`.
        GET_EVENT = e("getEvent", "get_event", Get, "/events/{event_id}").query(&["target"]).account_scoped();
        /// `headEvent`: `HEAD /events/{event_id}`.
        HEAD_EVENT = e("headEvent", "head_event", Head, "/events/{event_id}").answer(A::Exists).account_scoped();
        /// `getEventDescriptor`: `GET /events/{event_id}/descriptor`.
        GET_EVENT_DESCRIPTOR = e("getEventDescriptor", "get_event_descriptor", Get, "/events/{event_id}/descriptor").query(&["descriptor_version", "descriptor_type"]).answer(A::Bytes).account_scoped();
        /// `deleteEvents`: `DELETE /events` with the filters in the body.
        DELETE_EVENTS = e("deleteEvents", "delete_events", Delete, "/events").body(B::Json);
        /// `getEventsStats`: `POST /events/stats` (the luna-events path is inferred from the
        /// API service's resource).
        GET_EVENTS_STATS = e("getEventsStats", "get_events_stats", Post, "/events/stats").body(B::Json).retry_safe().inferred();
    }
}

/// luna-image-store (Python `LIS`), in the handle's bucket.
pub mod image_store {
    use super::*;

    const fn e(python: Option<&'static str>, rust: &'static str, method: super::super::HttpMethod, path: &'static str) -> Endpoint {
        Endpoint::new(Service::ImageStore, python, rust, method, path)
    }

    entries! {
        /// `postImage`: `POST /buckets/{bucket}/images`.
        POST_IMAGE = e(Some("postImage"), "post_image", Post, "/buckets/{bucket}/images").query(&["ttl"]).body(B::Raw);
        /// `putImage`: `PUT /buckets/{bucket}/images/{image_id}`.
        PUT_IMAGE = e(Some("putImage"), "put_image", Put, "/buckets/{bucket}/images/{image_id}").query(&["ttl"]).body(B::Raw);
        /// `getImage`: `GET /buckets/{bucket}/images/{image_id}`.
        GET_IMAGE = e(Some("getImage"), "get_image", Get, "/buckets/{bucket}/images/{image_id}").also(&["get_image_stream"]).query(&["with_meta"]).answer(A::Bytes);
        /// `headImage`: `HEAD /buckets/{bucket}/images/{image_id}`.
        HEAD_IMAGE = e(Some("headImage"), "head_image", Head, "/buckets/{bucket}/images/{image_id}").query(&["with_meta"]).answer(A::Headers);
        /// `deleteImage`: `DELETE /buckets/{bucket}/images/{image_id}`.
        DELETE_IMAGE = e(Some("deleteImage"), "delete_image", Delete, "/buckets/{bucket}/images/{image_id}").answer(A::Empty);
        /// `deleteImages`: `DELETE /buckets/{bucket}/images` with the ids in the body.
        DELETE_IMAGES = e(Some("deleteImages"), "delete_images", Delete, "/buckets/{bucket}/images").body(B::Json).answer(A::Empty);
        /// `postObject`: `POST /buckets/{bucket}/objects`.
        POST_OBJECT = e(Some("postObject"), "post_object", Post, "/buckets/{bucket}/objects").query(&["ttl"]).body(B::Raw);
        /// `putObject`: `PUT /buckets/{bucket}/objects/{object_id}`.
        PUT_OBJECT = e(Some("putObject"), "put_object", Put, "/buckets/{bucket}/objects/{object_id}").query(&["ttl"]).body(B::Raw);
        /// `getObject`: `GET /buckets/{bucket}/objects/{object_id}`.
        GET_OBJECT = e(Some("getObject"), "get_object", Get, "/buckets/{bucket}/objects/{object_id}").also(&["get_object_stream"]).answer(A::Bytes);
        /// `headObject`: `HEAD /buckets/{bucket}/objects/{object_id}`.
        HEAD_OBJECT = e(Some("headObject"), "head_object", Head, "/buckets/{bucket}/objects/{object_id}").answer(A::Headers);
        /// `deleteObject`: `DELETE /buckets/{bucket}/objects/{object_id}`.
        DELETE_OBJECT = e(Some("deleteObject"), "delete_object", Delete, "/buckets/{bucket}/objects/{object_id}").answer(A::Empty);
        /// `deleteObjects`: `DELETE /buckets/{bucket}/objects` with the ids in the body.
        DELETE_OBJECTS = e(Some("deleteObjects"), "delete_objects", Delete, "/buckets/{bucket}/objects").body(B::Json).answer(A::Empty);
        /// `POST /buckets?bucket=` (the query name is not published).
        CREATE_BUCKET = e(None, "create_bucket", Post, "/buckets").query(&["bucket"]).answer(A::Empty).inferred();
        /// `HEAD /buckets/{bucket}`.
        BUCKET_EXISTS = e(None, "bucket_exists", Head, "/buckets/{bucket}").answer(A::Exists);
        /// `DELETE /buckets/{bucket}`.
        DELETE_BUCKET = e(None, "delete_bucket", Delete, "/buckets/{bucket}").answer(A::Empty);
        /// `GET /buckets`.
        LIST_BUCKETS = e(None, "list_buckets", Get, "/buckets");
    }
}

/// luna-python-matcher (Python `LPM`): every call is a read, so every call is retry-safe.
pub mod matcher {
    use super::*;

    const fn e(python: &'static str, rust: &'static str, path: &'static str) -> Endpoint {
        Endpoint::new(Service::Matcher, Some(python), rust, Post, path)
            .body(B::Json)
            .retry_safe()
    }

    entries! {
        /// `matchFaces`: `POST /matcher/faces`.
        MATCH_FACES = e("matchFaces", "match_faces", "/matcher/faces").account_scoped();
        /// `matchBodies`: `POST /matcher/bodies`.
        MATCH_BODIES = e("matchBodies", "match_bodies", "/matcher/bodies").account_scoped();
        /// `matchRaw`: `POST /matcher/raw`.
        MATCH_RAW = e("matchRaw", "match_raw", "/matcher/raw");
        /// `crossmatchFaces`: `POST /crossmatcher/faces`.
        CROSSMATCH_FACES = e("crossmatchFaces", "crossmatch_faces", "/crossmatcher/faces").query(&["sorting"]);
        /// `crossmatchBodies`: `POST /crossmatcher/bodies`.
        CROSSMATCH_BODIES = e("crossmatchBodies", "crossmatch_bodies", "/crossmatcher/bodies").query(&["sorting"]);
    }
}

/// luna-remote-sdk (Python `LRS`).
pub mod remote_sdk {
    use super::*;

    entries! {
        /// `sdk`: `POST /sdk` (a read: retry-safe).
        SDK = Endpoint::new(Service::RemoteSdk, Some("sdk"), "sdk", Post, "/sdk")
            .query(&[
                "multiface_policy", "detect_face", "detect_body", "estimate_head_pose",
                "estimate_landmarks68", "estimate_landmarks5", "estimate_quality", "estimate_gaze",
                "estimate_eyes_attributes", "estimate_emotions", "estimate_mouth_attributes",
                "estimate_mask", "estimate_glasses", "estimate_liveness", "estimate_face_warp",
                "estimate_body_warp", "aggregate_attributes", "estimate_basic_attributes",
                "estimate_body_descriptor", "estimate_face_descriptor", "estimate_upper_body",
                "estimate_lower_body", "estimate_body_basic_attributes", "estimate_accessories",
                "use_exif_info", "extract_exif", "pitch_threshold", "roll_threshold",
                "yaw_threshold", "score_threshold", "mask_states", "liveness_states", "image_type",
            ])
            .body(B::Images)
            .retry_safe();
    }
}

/// luna-sender (Python `Sender`).
pub mod sender {
    use super::*;

    entries! {
        /// `publish` by [`PublishRoute::HandlersRawEvents`](crate::services::sender::PublishRoute::HandlersRawEvents):
        /// `POST /handlers/{handler_id}/events/raw` on luna-handlers, one request per event.
        PUBLISH = Endpoint::new(Service::Handlers, Some("publish"), "publish", Post, "/handlers/{handler_id}/events/raw")
            .client(Service::Sender)
            .body(B::Json);
        /// `GET /ws`: the WebSocket subscription (not in the Python client; the handshake is
        /// not retried).
        SUBSCRIBE = Endpoint::new(Service::Sender, None, "subscribe", Get, crate::services::sender::SUBSCRIPTION_PATH)
            .query(&[
                "sources", "stream_ids", "matching_candidates_labels", "object_similarity__gte",
                "object_similarity__lt", "age__gte", "age__lt", "emotions", "masks",
                "lower_garment_types", "lower_garment_colors", "shoes_apparent_colors",
                "headwear_apparent_colors", "handler_ids", "gender", "ethnic_groups", "liveness",
                "apparent_gender", "headwear_states", "backpack_states", "upper_clothing_colors",
                "sleeve_lengths", "meta.*",
            ])
            .answer(A::EventStream)
            .not_retried();
    }
}

/// luna-handlers (Python `Handlers`).
pub mod handlers {
    use super::*;

    const fn e(python: &'static str, rust: &'static str, method: super::super::HttpMethod, path: &'static str) -> Endpoint {
        Endpoint::new(Service::Handlers, Some(python), rust, method, path)
    }

    entries! {
        /// `createHandler`: `POST /handlers`.
        CREATE_HANDLER = e("createHandler", "create_handler", Post, "/handlers").body(B::Json);
        /// `getHandlerById`: `GET /handlers/{handler_id}`.
        GET_HANDLER_BY_ID = e("getHandlerById", "get_handler_by_id", Get, "/handlers/{handler_id}");
        /// `checkHandlerById`: `HEAD /handlers/{handler_id}`.
        CHECK_HANDLER_BY_ID = e("checkHandlerById", "check_handler_by_id", Head, "/handlers/{handler_id}").answer(A::Exists);
        /// `updateHandler`: `PUT /handlers/{handler_id}`.
        UPDATE_HANDLER = e("updateHandler", "update_handler", Put, "/handlers/{handler_id}").body(B::Json).answer(A::Empty);
        /// `deleteHandlerById`: `DELETE /handlers/{handler_id}`.
        DELETE_HANDLER_BY_ID = e("deleteHandlerById", "delete_handler_by_id", Delete, "/handlers/{handler_id}").answer(A::Empty);
        /// `getHandlers`: `GET /handlers`.
        GET_HANDLERS = e("getHandlers", "get_handlers", Get, "/handlers").also(&["iter_handlers"]).query(&["description", "handler_type", "page", "page_size"]);
        /// `getHandlersCount`: `GET /handlers/count`.
        GET_HANDLERS_COUNT = e("getHandlersCount", "get_handlers_count", Get, "/handlers/count").query(&["description", "handler_type"]).answer(A::Count);
        /// `validateHandler`: `POST /handlers/validator` (stores nothing: retry-safe).
        VALIDATE_HANDLER = e("validateHandler", "validate_handler", Post, "/handlers/validator").body(B::Json).answer(A::Empty).retry_safe();
        /// `emitEvents`: `POST /handlers/{handler_id}/events`.
        EMIT_EVENTS = e("emitEvents", "emit_events", Post, "/handlers/{handler_id}/events")
            .query(&[
                "external_id", "user_data", "aggregate_attributes", "source", "stream_id", "city",
                "area", "district", "street", "house_number", "tags", "latitude", "longitude",
                "image_type", "track_id", "use_exif_info",
            ])
            .body(B::Images);
        /// `emitStreamEvents`: `POST /handlers/{handler_id}/stream_events`.
        EMIT_STREAM_EVENTS = e("emitStreamEvents", "emit_stream_events", Post, "/handlers/{handler_id}/stream_events").body(B::Json);
        /// `saveEvent`: `POST /handlers/{handler_id}/events/raw`.
        SAVE_EVENT = e("saveEvent", "save_event", Post, "/handlers/{handler_id}/events/raw").query(&["wait_saving"]).body(B::Json);
        /// `detectFaces`: `POST /detector`.
        DETECT_FACES = e("detectFaces", "detect_faces", Post, "/detector")
            .query(&[
                "multiface_policy", "estimate_head_pose", "detect_landmarks68", "extract_exif",
                "estimate_quality", "estimate_gaze", "estimate_eyes_attributes",
                "estimate_emotions", "estimate_mask", "estimate_mouth_attributes", "use_exif_info",
                "estimate_face_quality", "pitch_threshold", "roll_threshold", "yaw_threshold",
                "image_type",
            ])
            .body(B::Images);
        /// `extractAttrFromSample`: `POST /extractor`.
        EXTRACT_ATTR_FROM_SAMPLE = e("extractAttrFromSample", "extract_attr_from_sample", Post, "/extractor")
            .query(&["extract_descriptor", "extract_basic_attributes", "aggregate_attributes", "score_threshold", "ttl"])
            .body(B::Json);
        /// `upgradeObjectFromSample`: `POST /upgrade` (path not published).
        UPGRADE_OBJECT_FROM_SAMPLE = e("upgradeObjectFromSample", "upgrade_object_from_sample", Post, crate::services::handlers::UPGRADE_PATH).body(B::Json).inferred();
        /// `createVerifier`: `POST /verifiers`.
        CREATE_VERIFIER = e("createVerifier", "create_verifier", Post, "/verifiers").body(B::Json);
        /// `getVerifier`: `GET /verifiers/{verifier_id}`.
        GET_VERIFIER = e("getVerifier", "get_verifier", Get, "/verifiers/{verifier_id}");
        /// `checkVerifier`: `HEAD /verifiers/{verifier_id}` (by symmetry with handlers).
        CHECK_VERIFIER = e("checkVerifier", "check_verifier", Head, "/verifiers/{verifier_id}").answer(A::Exists).inferred();
        /// `putVerifier`: `PUT /verifiers/{verifier_id}`.
        PUT_VERIFIER = e("putVerifier", "put_verifier", Put, "/verifiers/{verifier_id}").body(B::Json).answer(A::Empty);
        /// `deleteVerifier`: `DELETE /verifiers/{verifier_id}`.
        DELETE_VERIFIER = e("deleteVerifier", "delete_verifier", Delete, "/verifiers/{verifier_id}").answer(A::Empty);
        /// `getVerifiers`: `GET /verifiers`.
        GET_VERIFIERS = e("getVerifiers", "get_verifiers", Get, "/verifiers").also(&["iter_verifiers"]).query(&["description", "page", "page_size"]);
        /// `getVerifiersCount`: `GET /verifiers/count`.
        GET_VERIFIERS_COUNT = e("getVerifiersCount", "get_verifiers_count", Get, "/verifiers/count").query(&["description"]).answer(A::Count);
        /// `verifyData`: `POST /verifiers/{verifier_id}/verifications`.
        VERIFY_DATA = e("verifyData", "verify_data", Post, "/verifiers/{verifier_id}/verifications")
            .query(&["face_ids", "event_ids", "external_ids", "attribute_ids", "image_type", "use_exif_info"])
            .body(B::Images);
        /// `verifyRaw`: `POST /verifiers/{verifier_id}/raw` (a read: retry-safe).
        VERIFY_RAW = e("verifyRaw", "verify_raw", Post, "/verifiers/{verifier_id}/raw").body(B::Json).retry_safe();
    }
}
