//! Error paths of every Faces method (both modes): LUNA error → `Error::Api`, refused
//! connection → `Error::Transport`, undecodable success → `Error::Decode`; and bad input →
//! `Error::InvalidArgument` with nothing sent.

mod common;

crate::in_both_modes! {

use crate::common::*;
use sdk::model::common::{Targets};
use sdk::services::faces::{ListFaces, NewList, OnExisting, OnMissing};
use httpmock::prelude::*;
use sdk::model::faces::{AttributeFields, FacePatch, NewAttribute, NewFace};
use sdk::services::faces::{
    AttributeIdsQuery, AttributeQuery, FaceAttributesQuery, FacesQuery, ListAttributesQuery,
    ListsQuery, Page,
};
use sdk::{Error, SdkDescriptor};

fn new_face() -> NewFace {
    NewFace::new().user_data("x")
}

fn new_attribute() -> NewAttribute {
    NewAttribute::new(
        AttributeFields::new().descriptor(SdkDescriptor::new(59, &[0u8; 512]).unwrap()),
    )
}

error_path_tests! {
    handle: faces, unreachable: faces_unreachable;
    create_face => POST "/3/faces", decodes: true, |f| f.create_face(&new_face());
    put_face => PUT format!("/3/faces/{FACE_ID}"), decodes: true, |f| f.put_face(FACE_ID, &new_face());
    get_face => GET format!("/3/faces/{FACE_ID}"), decodes: true, |f| f.get_face(FACE_ID, Targets::All);
    head_face => HEAD format!("/3/faces/{FACE_ID}"), decodes: false, |f| f.head_face(FACE_ID);
    patch_face => PATCH format!("/3/faces/{FACE_ID}"), decodes: false, |f| f.patch_face(FACE_ID, &FacePatch::new().user_data("y"));
    delete_face => DELETE format!("/3/faces/{FACE_ID}"), decodes: false, |f| f.delete_face(FACE_ID);
    delete_faces => DELETE "/3/faces", decodes: false, |f| f.delete_faces([FACE_ID], OnMissing::Fail);
    get_faces => GET "/3/faces", decodes: true, |f| f.get_faces(&FacesQuery::new());
    get_faces_count => GET "/3/faces/count", decodes: true, |f| f.get_faces_count(&FacesQuery::new());
    get_faces_attributes => GET "/3/faces/attributes", decodes: true, |f| f.get_faces_attributes([FACE_ID]);
    get_face_attributes => GET format!("/3/faces/{FACE_ID}/attributes"), decodes: true, |f| f.get_face_attributes(FACE_ID, &FaceAttributesQuery::new());
    put_face_attributes => PUT format!("/3/faces/{FACE_ID}/attributes"), decodes: false, |f| f.put_face_attributes(FACE_ID, &AttributeFields::new().attribute_id(ATTRIBUTE_ID));
    update_face_attributes => PATCH format!("/3/faces/{FACE_ID}/attributes"), decodes: false, |f| f.update_face_attributes(FACE_ID, &AttributeFields::new().attribute_id(ATTRIBUTE_ID));
    delete_face_attributes => DELETE format!("/3/faces/{FACE_ID}/attributes"), decodes: false, |f| f.delete_face_attributes(FACE_ID);
    get_face_attribute_samples => GET format!("/3/faces/{FACE_ID}/attributes/samples"), decodes: true, |f| f.get_face_attribute_samples(FACE_ID);
    create_list => POST "/3/lists", decodes: true, |f| f.create_list(&NewList::new("vip"));
    get_list => GET format!("/3/lists/{LIST_ID}"), decodes: true, |f| f.get_list(LIST_ID, Page::default());
    get_lists => GET "/3/lists", decodes: true, |f| f.get_lists(&ListsQuery::new());
    get_lists_count => GET "/3/lists/count", decodes: true, |f| f.get_lists_count(&ListsQuery::new());
    head_list => HEAD format!("/3/lists/{LIST_ID}"), decodes: false, |f| f.head_list(LIST_ID);
    patch_list => PATCH format!("/3/lists/{LIST_ID}"), decodes: false, |f| f.patch_list(LIST_ID, "u");
    delete_list => DELETE format!("/3/lists/{LIST_ID}"), decodes: false, |f| f.delete_list(LIST_ID, ListFaces::Keep);
    delete_lists => DELETE "/3/lists", decodes: false, |f| f.delete_lists([LIST_ID], ListFaces::Keep);
    link_faces_to_list => PATCH "/3/linker", decodes: false, |f| f.link_faces_to_list(LIST_ID, [FACE_ID]);
    unlink_faces_from_list => PATCH "/3/linker", decodes: false, |f| f.unlink_faces_from_list(LIST_ID, [FACE_ID]);
    get_attributes_from_list => GET format!("/3/lists/{LIST_ID}/attributes"), decodes: true, |f| f.get_attributes_from_list(LIST_ID, &ListAttributesQuery::new());
    create_attribute => POST "/3/attributes", decodes: true, |f| f.create_attribute(&new_attribute());
    get_attributes => GET "/3/attributes", decodes: true, |f| f.get_attributes([ATTRIBUTE_ID], &AttributeQuery::new());
    get_attribute => GET format!("/3/attributes/{ATTRIBUTE_ID}"), decodes: true, |f| f.get_attribute(ATTRIBUTE_ID, &AttributeQuery::new());
    head_attribute => HEAD format!("/3/attributes/{ATTRIBUTE_ID}"), decodes: false, |f| f.head_attribute(ATTRIBUTE_ID);
    put_attribute => PUT format!("/3/attributes/{ATTRIBUTE_ID}"), decodes: false, |f| f.put_attribute(ATTRIBUTE_ID, &new_attribute(), OnExisting::Fail);
    delete_attribute => DELETE format!("/3/attributes/{ATTRIBUTE_ID}"), decodes: false, |f| f.delete_attribute(ATTRIBUTE_ID);
    get_attribute_samples => GET format!("/3/attributes/{ATTRIBUTE_ID}/samples"), decodes: true, |f| f.get_attribute_samples(ATTRIBUTE_ID);
    get_attribute_ids => GET "/3/faces", decodes: true, |f| f.get_attribute_ids(&AttributeIdsQuery::new());
}

/// Runs `call` against a server that must see no request and checks the error is
/// `InvalidArgument` naming `argument`.
macro_rules! refused_before_sending {
    ($( $name:ident: |$f:ident| $call:expr => $argument:literal; )*) => {
        both_modes! {
            $(
                async fn $name() {
                    let server = MockServer::start();
                    let any = nothing_expected(&server);
                    let $f = faces(&server);
                    let result = $call.await;
                    let error = result.map(|_| ()).unwrap_err();
                    match &error {
                        Error::InvalidArgument { argument, .. } => assert_eq!(*argument, $argument, "{error}"),
                        other => panic!("expected InvalidArgument, got {other:?}"),
                    }
                    assert_eq!(error.request_id(), None);
                    any.assert_calls(0);
                }
            )*
        }
    };
}

refused_before_sending! {
    non_uuid_face_id: |f| f.get_face("not-a-uuid", Targets::All) => "face_id";
    non_uuid_in_path_traversal: |f| f.delete_face("../lists") => "face_id";
    non_uuid_list_id: |f| f.head_list("123") => "list_id";
    non_uuid_attribute_id: |f| f.get_attribute_samples("x") => "attribute_id";
    non_uuid_in_id_list: |f| f.delete_faces([FACE_ID, "nope"], OnMissing::Fail) => "face_ids";
    empty_face_ids: |f| f.delete_faces(Vec::<String>::new(), OnMissing::Fail) => "face_ids";
    empty_list_ids: |f| f.delete_lists(Vec::<String>::new(), ListFaces::Delete) => "list_ids";
    empty_link: |f| f.link_faces_to_list(LIST_ID, Vec::<String>::new()) => "face_ids";
    empty_attribute_ids: |f| f.get_attributes(Vec::<String>::new(), &AttributeQuery::new()) => "attribute_ids";
    empty_faces_attributes: |f| f.get_faces_attributes(Vec::<String>::new()) => "face_ids";
    descriptor_with_bad_magic: |f| f.create_face(&NewFace::new().attribute(
        AttributeFields::new().sdk_descriptor_bytes({ let mut b = vec![0u8; 520]; b[..4].copy_from_slice(b"xx\0\0"); b })
    )) => "descriptors";
    truncated_descriptor: |f| f.create_attribute(&NewAttribute::new(AttributeFields::new().sdk_descriptor_bytes(&b"dp\0\0"[..]))) => "descriptors";
    too_long_user_data: |f| f.patch_list(LIST_ID, &"u".repeat(129)) => "user_data";
    too_long_external_id: |f| f.create_face(&NewFace::new().external_id("e".repeat(37))) => "external_id";
    empty_patch: |f| f.patch_face(FACE_ID, &FacePatch::new()) => "patch";
    samples_without_data: |f| f.put_face_attributes(FACE_ID, &AttributeFields::new().descriptor_samples([FACE_ID])) => "descriptors";
    nothing_to_put: |f| f.update_face_attributes(FACE_ID, &AttributeFields::new()) => "attribute";
    reference_with_data: |f| f.create_face(&NewFace::new().attribute(
        AttributeFields::new().attribute_id(ATTRIBUTE_ID).descriptor(SdkDescriptor::new(59, &[0u8; 512]).unwrap())
    )) => "attribute_id";
    temporary_attribute_from_reference: |f| f.create_attribute(&NewAttribute::new(AttributeFields::new().attribute_id(ATTRIBUTE_ID))) => "attribute_id";
    ttl_too_long: |f| f.create_attribute(&new_attribute().ttl(86_401)) => "ttl";
    empty_xpk: |f| f.create_attribute(&NewAttribute::from_xpk(Vec::new())) => "xpk";
    page_zero: |f| f.get_faces(&FacesQuery::new().page(0)) => "page";
    page_size_too_large: |f| f.get_list(LIST_ID, Page::new(1, 5000)) => "page_size";
    bad_request_id: |f| f.with_request_id("123,abc").get_face(FACE_ID, Targets::All) => "request_id";
    header_injection: |f| f
        .with_options(sdk::RequestOptions::new().header("X-Extra", "a\r\nX-Injected: 1"))
        .get_face(FACE_ID, Targets::All) => "RequestOptions::header";
}
}
