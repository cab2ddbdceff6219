//! Wire tests of every Faces method (both modes): method, path, query, headers, body, and the
//! decoded answer.

mod common;

crate::in_both_modes! {

use crate::common::*;
use sdk::model::common::{Targets};
use sdk::services::faces::{ListFaces, NewList, OnExisting, OnMissing};
use httpmock::prelude::*;
use sdk::model::common::{BasicAttributes, Ethnicity, Gender};
use sdk::model::faces::{
    AttributeFields, AttributeTarget, FaceAttributeTarget, FacePatch, FaceTarget, NewAttribute,
    NewFace,
};
use sdk::services::faces::{
    AttributeIdsQuery, AttributeQuery, DescriptorFormat, FaceAttributesQuery, FacesPageSize,
    FacesQuery, ListAttributesQuery, ListsQuery, Page,
};
use sdk::{Id, RawDescriptor, SdkDescriptor};
use serde_json::json;
use time::macros::datetime;

fn sdk59() -> SdkDescriptor {
    SdkDescriptor::new(59, &[3u8; 512]).unwrap()
}

fn face_json(id: &str) -> serde_json::Value {
    json!({
        "face_id": id, "account_id": ACCOUNT, "event_id": EVENT_ID, "user_data": "ann",
        "create_time": "2024-01-31T12:00:00.000+00:00", "external_id": "ext-1",
        "avatar": "/6/samples/faces/x", "lists": [LIST_ID]
    })
}

both_modes! {
    async fn create_face_sends_the_documented_body() {
        let server = MockServer::start();
        let raw = RawDescriptor::new(vec![9u8; 512], 58).unwrap();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/3/faces");
            let when = exact_query(when, &[]);
            json_request(when, json!({
                "attribute": {
                    "descriptors": [sdk59().to_base64(), {"descriptor": base64(&[9u8; 512]), "version": 58}],
                    "basic_attributes": {"age": 30, "gender": 1, "ethnicity": 3},
                    "descriptor_samples": [FACE_ID_2],
                    "basic_attributes_samples": [FACE_ID_2],
                },
                "event_id": EVENT_ID,
                "user_data": "ann",
                "external_id": "ext-1",
                "avatar": "http://avatar/1.jpg",
                "lists": [LIST_ID],
            }));
            then.status(201)
                .header("location", format!("/3/faces/{FACE_ID}"))
                .json_body(json!({"face_id": FACE_ID, "url": format!("/3/faces/{FACE_ID}")}));
        });
        let face = NewFace::new()
            .attribute(
                AttributeFields::new()
                    .descriptor(sdk59())
                    .descriptor(raw)
                    .basic_attributes(BasicAttributes::new().age(30).gender(Gender::Male).ethnicity(Ethnicity::Asian))
                    .descriptor_samples([FACE_ID_2])
                    .basic_attributes_samples([FACE_ID_2]),
            )
            .event_id(EVENT_ID)
            .user_data("ann")
            .external_id("ext-1")
            .avatar("http://avatar/1.jpg")
            .list_ids([LIST_ID]);
        let created = faces(&server).create_face(&face).await.unwrap();
        mock.assert();
        assert_eq!(created.face_id.to_string(), FACE_ID);
        assert_eq!(created.url.as_deref(), Some(format!("/3/faces/{FACE_ID}").as_str()));
    }

    async fn create_face_with_attribute_reference() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/3/faces");
            json_request(when, json!({"attribute": {"attribute_id": ATTRIBUTE_ID}}));
            then.status(201).json_body(json!({"face_id": FACE_ID}));
        });
        let face = NewFace::new().attribute(AttributeFields::new().attribute_id(ATTRIBUTE_ID));
        faces(&server).create_face(&face).await.unwrap();
        mock.assert();
    }

    async fn put_face_puts_under_the_given_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PUT, &format!("/3/faces/{FACE_ID}"));
            let when = exact_query(when, &[]);
            json_request(when, json!({"user_data": "bob", "lists": [LIST_ID], "attribute": {"attribute_id": ATTRIBUTE_ID}}));
            then.status(201).json_body(json!({"face_id": FACE_ID, "url": "/3/faces/x"}));
        });
        let face = NewFace::new()
            .user_data("bob")
            .list_ids([LIST_ID])
            .attribute(AttributeFields::new().attribute_id(ATTRIBUTE_ID));
        let created = faces(&server).put_face(FACE_ID, &face).await.unwrap();
        mock.assert();
        assert_eq!(created.face_id.to_string(), FACE_ID);
    }

    async fn put_face_accepts_an_empty_answer() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, PUT, &format!("/3/faces/{FACE_ID}"));
            then.status(204);
        });
        let created = faces(&server).put_face(FACE_ID, &NewFace::new()).await.unwrap();
        mock.assert();
        assert_eq!(created.face_id.to_string(), FACE_ID);
    }

    async fn get_face_sends_targets_and_account_query() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/faces/{FACE_ID}"));
            let when = exact_query(when, &[account_query(), ("targets", "face_id,user_data,lists")]);
            no_body(when);
            then.status(200).json_body(face_json(FACE_ID));
        });
        let face = faces(&server)
            .get_face(FACE_ID, Targets::only([FaceTarget::FaceId, FaceTarget::UserData, FaceTarget::Lists]))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(face.face_id.unwrap().to_string(), FACE_ID);
        assert_eq!(face.user_data.as_deref(), Some("ann"));
        assert_eq!(face.lists.unwrap()[0].to_string(), LIST_ID);
        assert_eq!(face.create_time.unwrap(), datetime!(2024-01-31 12:00 UTC));
    }

    async fn get_face_without_targets_sends_none() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/faces/{FACE_ID}"));
            exact_query(when, &[account_query()]);
            then.status(200).json_body(face_json(FACE_ID));
        });
        faces(&server).get_face(FACE_ID, Targets::All).await.unwrap();
        mock.assert();
    }

    async fn head_face_is_true_on_200_and_false_on_404() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &format!("/3/faces/{FACE_ID}"));
            exact_query(when, &[account_query()]);
            then.status(200).header("content-type", "application/json");
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &format!("/3/faces/{FACE_ID_2}"));
            then.status(404);
        });
        let f = faces(&server);
        let yes = f.head_face(FACE_ID).await.unwrap();
        let no = f.head_face(FACE_ID_2).await.unwrap();
        assert!(yes);
        assert!(!no);
        present.assert();
        absent.assert();
    }

    async fn patch_face_sends_only_what_is_set() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PATCH, &format!("/3/faces/{FACE_ID}"));
            let when = exact_query(when, &[account_query()]);
            json_request(when, json!({"event_id": EVENT_ID, "user_data": "new", "external_id": "e", "avatar": "a"}));
            then.status(204);
        });
        let patch = FacePatch::new().event_id(EVENT_ID).user_data("new").external_id("e").avatar("a");
        faces(&server).patch_face(FACE_ID, &patch).await.unwrap();
        mock.assert();
    }

    async fn delete_face_deletes_by_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &format!("/3/faces/{FACE_ID}"));
            let when = exact_query(when, &[account_query()]);
            no_body(when);
            then.status(204);
        });
        faces(&server).delete_face(FACE_ID).await.unwrap();
        mock.assert();
    }

    async fn delete_faces_sends_ids_in_the_body() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, "/3/faces");
            let when = exact_query(when, &[account_query(), ("ignore", "1")]);
            json_request(when, json!({"face_ids": [FACE_ID, FACE_ID_2]}));
            then.status(204);
        });
        faces(&server).delete_faces([FACE_ID, FACE_ID_2], OnMissing::Ignore).await.unwrap();
        mock.assert();

        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, "/3/faces");
            let when = exact_query(when, &[account_query()]);
            json_request(when, json!({"face_ids": [FACE_ID]}));
            then.status(204);
        });
        faces(&server).delete_faces([FACE_ID], OnMissing::Fail).await.unwrap();
        mock.assert();
    }

    async fn get_faces_sends_every_filter() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/faces");
            exact_query(when, &[
                account_query(),
                ("user_data", "an n"),
                ("event_id", EVENT_ID),
                ("list_id", LIST_ID),
                ("face_ids", &format!("{FACE_ID},{FACE_ID_2}")),
                ("create_time__lt", "2024-02-01T00:00:00Z"),
                ("create_time__gte", "2024-01-01T10:00:00.5Z"),
                ("attribute_ids", ATTRIBUTE_ID),
                ("external_ids", "e1,e+2"),
                ("face_id__gte", FACE_ID),
                ("face_id__lt", FACE_ID_2),
                ("page", "3"),
                ("page_size", "25"),
                ("targets", "face_id,avatar"),
            ]);
            then.status(200).json_body(json!({"faces": [face_json(FACE_ID), face_json(FACE_ID_2)]}));
        });
        let query = FacesQuery::new()
            .user_data("an n")
            .event_id(EVENT_ID)
            .list_id(LIST_ID)
            .face_ids([FACE_ID, FACE_ID_2])
            .time_lt(datetime!(2024-02-01 03:00 +03:00))
            .time_gte(datetime!(2024-01-01 10:00:00.5 UTC))
            .attribute_ids([ATTRIBUTE_ID])
            .external_ids(["e1", "e+2"])
            .face_id_gte(FACE_ID)
            .face_id_lt(FACE_ID_2)
            .page(3)
            .page_size(FacesPageSize::Limit(25))
            .targets([FaceTarget::FaceId, FaceTarget::Avatar]);
        let page = faces(&server).get_faces(&query).await.unwrap();
        mock.assert();
        assert_eq!(page.faces.len(), 2);
        assert_eq!(page.faces[1].face_id.unwrap().to_string(), FACE_ID_2);
    }

    async fn get_faces_unlimited_page_size() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/faces");
            exact_query(when, &[account_query(), ("page_size", "-1")]);
            then.status(200).json_body(json!({"faces": []}));
        });
        let page = faces(&server)
            .get_faces(&FacesQuery::new().page_size(FacesPageSize::Unlimited))
            .await
            .unwrap();
        mock.assert();
        assert!(page.faces.is_empty());
    }

    async fn get_faces_count_sends_filters_without_paging() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/faces/count");
            exact_query(when, &[account_query(), ("list_id", LIST_ID), ("user_data", "a")]);
            then.status(200).json_body(json!({"faces_count": 42}));
        });
        let query = FacesQuery::new().list_id(LIST_ID).user_data("a").page(2).targets([FaceTarget::FaceId]);
        let count = faces(&server).get_faces_count(&query).await.unwrap();
        mock.assert();
        assert_eq!(count, 42);
    }

    async fn get_faces_attributes_uses_the_legacy_query() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/faces/attributes");
            exact_query(when, &[account_query(), ("faces_ids", &format!("{FACE_ID},{FACE_ID_2}"))]);
            then.status(200).json_body(json!([
                {"face_id": FACE_ID, "attributes_id": ATTRIBUTE_ID},
                {"face_id": FACE_ID_2, "attribute_id": null}
            ]));
        });
        let links = faces(&server).get_faces_attributes([FACE_ID, FACE_ID_2]).await.unwrap();
        mock.assert();
        assert_eq!(links[0].attribute_id.unwrap().to_string(), ATTRIBUTE_ID);
        assert_eq!(links[1].attribute_id, None);
    }

    async fn get_face_attributes_sends_targets_version_and_format() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/faces/{FACE_ID}/attributes"));
            exact_query(when, &[
                account_query(),
                ("targets", "face_descriptor,basic_attributes"),
                ("descriptor_version", "59"),
                ("descriptor_format", "sdk"),
            ]);
            then.status(200).json_body(json!({
                "create_time": "2024-01-31T12:00:00Z",
                "face_descriptor": [sdk59().to_base64()],
                "basic_attributes": {"age": 41, "gender": 0, "ethnicity": 2},
                "face_descriptor_samples": [FACE_ID_2],
                "basic_attributes_samples": [FACE_ID_2],
            }));
        });
        let query = FaceAttributesQuery::new()
            .targets([FaceAttributeTarget::FaceDescriptor, FaceAttributeTarget::BasicAttributes])
            .descriptor_version(59)
            .descriptor_format(DescriptorFormat::Sdk);
        let attribute = faces(&server).get_face_attributes(FACE_ID, &query).await.unwrap();
        mock.assert();
        assert_eq!(attribute.descriptors().unwrap()[0].version(), 59);
        let basic = attribute.basic_attributes.unwrap();
        assert_eq!((basic.age, basic.gender, basic.ethnicity), (Some(41), Some(Gender::Female), Some(Ethnicity::Indian)));
        assert_eq!(attribute.face_descriptors_samples.unwrap()[0].to_string(), FACE_ID_2);
    }

    async fn put_face_attributes_sends_top_level_members() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PUT, &format!("/3/faces/{FACE_ID}/attributes"));
            let when = exact_query(when, &[account_query()]);
            json_request(when, json!({"descriptors": [sdk59().to_base64()], "descriptor_samples": [FACE_ID_2]}));
            then.status(204);
        });
        let fields = AttributeFields::new().descriptor(sdk59()).descriptor_samples([FACE_ID_2]);
        faces(&server).put_face_attributes(FACE_ID, &fields).await.unwrap();
        mock.assert();
    }

    async fn update_face_attributes_patches() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PATCH, &format!("/3/faces/{FACE_ID}/attributes"));
            let when = exact_query(when, &[account_query()]);
            json_request(when, json!({"attribute_id": ATTRIBUTE_ID}));
            then.status(204);
        });
        let fields = AttributeFields::new().attribute_id(ATTRIBUTE_ID);
        faces(&server).update_face_attributes(FACE_ID, &fields).await.unwrap();
        mock.assert();
    }

    async fn delete_face_attributes_deletes() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &format!("/3/faces/{FACE_ID}/attributes"));
            exact_query(when, &[account_query()]);
            then.status(204);
        });
        faces(&server).delete_face_attributes(FACE_ID).await.unwrap();
        mock.assert();
    }

    async fn get_face_attribute_samples_reads_samples() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/faces/{FACE_ID}/attributes/samples"));
            exact_query(when, &[account_query()]);
            then.status(200).json_body(json!({
                "face_descriptor_samples": [FACE_ID_2], "basic_attributes_samples": [], "other": 1
            }));
        });
        let samples = faces(&server).get_face_attribute_samples(FACE_ID).await.unwrap();
        mock.assert();
        assert_eq!(samples.face_descriptor_samples.unwrap()[0].to_string(), FACE_ID_2);
        assert_eq!(samples.basic_attributes_samples.unwrap().len(), 0);
        assert_eq!(samples.extra["other"], 1);
    }

    async fn create_list_with_custom_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/3/lists");
            let when = exact_query(when, &[("list_id", LIST_ID)]);
            json_request(when, json!({"user_data": "vip"}));
            then.status(201).json_body(json!({"list_id": LIST_ID, "url": "/3/lists/x"}));
        });
        let created = faces(&server).create_list(&NewList::new("vip").list_id(Id::from(LIST_ID))).await.unwrap();
        mock.assert();
        assert_eq!(created.list_id.to_string(), LIST_ID);
    }

    async fn create_list_with_generated_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/3/lists");
            let when = exact_query(when, &[]);
            json_request(when, json!({"user_data": ""}));
            then.status(201).json_body(json!({"list_id": LIST_ID}));
        });
        let created = faces(&server).create_list(&NewList::new("")).await.unwrap();
        mock.assert();
        assert_eq!(created.list_id.to_string(), LIST_ID);
    }

    async fn get_list_sends_paging() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/lists/{LIST_ID}"));
            exact_query(when, &[account_query(), ("page", "2"), ("page_size", "50")]);
            then.status(200).json_body(json!({
                "list_id": LIST_ID, "account_id": ACCOUNT, "user_data": "vip",
                "create_time": "2024-01-31T12:00:00Z", "last_update_time": "2024-02-01T12:00:00Z",
                "faces": [face_json(FACE_ID)]
            }));
        });
        let list = faces(&server).get_list(LIST_ID, Page::new(2, 50)).await.unwrap();
        mock.assert();
        assert_eq!(list.list_id.unwrap().to_string(), LIST_ID);
        assert_eq!(list.last_update_time.unwrap(), datetime!(2024-02-01 12:00 UTC));
        assert!(list.extra["faces"].is_array());
    }

    async fn get_lists_sends_every_filter() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/lists");
            exact_query(when, &[
                account_query(),
                ("user_data", "v"),
                ("user_data__eq", "vip"),
                ("create_time__lt", "2024-02-01T00:00:00Z"),
                ("create_time__gte", "2024-01-01T00:00:00Z"),
                ("last_update_time__lt", "2024-02-01T00:00:00Z"),
                ("last_update_time__gte", "2024-01-01T00:00:00Z"),
                ("list_ids", LIST_ID),
                ("list_id__lt", FACE_ID_2),
                ("list_id__gte", FACE_ID),
                ("page", "1"),
                ("page_size", "10"),
            ]);
            then.status(200).json_body(json!({"lists": [{"list_id": LIST_ID, "user_data": "vip"}]}));
        });
        let (lt, gte) = (datetime!(2024-02-01 00:00 UTC), datetime!(2024-01-01 00:00 UTC));
        let query = ListsQuery::new()
            .user_data("v")
            .user_data_eq("vip")
            .create_time_lt(lt)
            .create_time_gte(gte)
            .last_update_time_lt(lt)
            .last_update_time_gte(gte)
            .list_ids([LIST_ID])
            .list_id_lt(FACE_ID_2)
            .list_id_gte(FACE_ID)
            .page(1)
            .page_size(10);
        let page = faces(&server).get_lists(&query).await.unwrap();
        mock.assert();
        assert_eq!(page.lists[0].user_data.as_deref(), Some("vip"));
    }

    async fn get_lists_count_reads_the_count() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/lists/count");
            exact_query(when, &[account_query(), ("user_data__eq", "vip")]);
            then.status(200).json_body(json!({"lists_count": 7}));
        });
        let count = faces(&server)
            .get_lists_count(&ListsQuery::new().user_data_eq("vip").page(4))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(count, 7);
    }

    async fn head_list_reports_existence() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &format!("/3/lists/{LIST_ID}"));
            exact_query(when, &[account_query()]);
            then.status(200);
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &format!("/3/lists/{FACE_ID}"));
            then.status(404);
        });
        let f = faces(&server);
        let yes = f.head_list(LIST_ID).await.unwrap();
        let no = f.head_list(FACE_ID).await.unwrap();
        assert!(yes && !no);
        present.assert();
        absent.assert();
    }

    async fn patch_list_sends_user_data() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PATCH, &format!("/3/lists/{LIST_ID}"));
            let when = exact_query(when, &[account_query()]);
            json_request(when, json!({"user_data": "renamed"}));
            then.status(204);
        });
        faces(&server).patch_list(LIST_ID, "renamed").await.unwrap();
        mock.assert();
    }

    async fn delete_list_sends_with_faces() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &format!("/3/lists/{LIST_ID}"));
            exact_query(when, &[account_query(), ("with_faces", "1")]);
            then.status(204);
        });
        faces(&server).delete_list(LIST_ID, ListFaces::Delete).await.unwrap();
        mock.assert();
    }

    async fn delete_lists_sends_ids_and_accepts_202() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, "/3/lists");
            let when = exact_query(when, &[account_query(), ("with_faces", "0")]);
            json_request(when, json!({"list_ids": [LIST_ID]}));
            then.status(202);
        });
        faces(&server).delete_lists([LIST_ID], ListFaces::Keep).await.unwrap();
        mock.assert();
    }

    async fn link_faces_to_list_attaches() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PATCH, "/3/linker");
            let when = exact_query(when, &[account_query()]);
            json_request(when, json!({"action": "attach", "list_id": LIST_ID, "face_ids": [FACE_ID, FACE_ID_2]}));
            then.status(204);
        });
        faces(&server).link_faces_to_list(LIST_ID, [FACE_ID, FACE_ID_2]).await.unwrap();
        mock.assert();
    }

    async fn unlink_faces_from_list_detaches() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PATCH, "/3/linker");
            let when = exact_query(when, &[account_query()]);
            json_request(when, json!({"action": "detach", "list_id": LIST_ID, "face_ids": [FACE_ID]}));
            then.status(204);
        });
        faces(&server).unlink_faces_from_list(LIST_ID, vec![FACE_ID.to_string()]).await.unwrap();
        mock.assert();
    }

    async fn get_attributes_from_list_sends_link_keys() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/lists/{LIST_ID}/attributes"));
            exact_query(when, &[
                account_query(), ("link_key__lt", "100"), ("link_key__gte", "5"), ("limit", "20"), ("parity", "1"),
            ]);
            then.status(200).json_body(json!([
                {"attributes_id": ATTRIBUTE_ID, "link_key": 6},
                {"attribute_id": ATTRIBUTE_ID, "face_id": FACE_ID, "link_key": 7}
            ]));
        });
        let query = ListAttributesQuery::new().link_key_lt(100).link_key_gte(5).limit(20).parity(true);
        let links = faces(&server).get_attributes_from_list(LIST_ID, &query).await.unwrap();
        mock.assert();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].attribute_id.unwrap().to_string(), ATTRIBUTE_ID);
        assert_eq!(links[1].link_key, Some(7));
    }

    async fn create_attribute_sends_ttl_and_body() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/3/attributes");
            let when = exact_query(when, &[("ttl", "600")]);
            json_request(when, json!({"basic_attributes": {"age": 20}, "basic_attributes_samples": [FACE_ID]}));
            then.status(201).json_body(json!({"attribute_id": ATTRIBUTE_ID, "url": "/3/attributes/x"}));
        });
        let attribute = NewAttribute::new(
            AttributeFields::new().basic_attributes(BasicAttributes::new().age(20)).basic_attributes_samples([FACE_ID]),
        )
        .ttl(600);
        let created = faces(&server).create_attribute(&attribute).await.unwrap();
        mock.assert();
        assert_eq!(created.attribute_id.to_string(), ATTRIBUTE_ID);
    }

    async fn create_attribute_from_xpk_sends_the_bytes() {
        let server = MockServer::start();
        let xpk: &'static [u8] = b"XPK\x00\x01binary";
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/3/attributes");
            let when = exact_query(when, &[]);
            when.header("content-type", "application/x-vl-xpk").body(String::from_utf8_lossy(xpk).to_string());
            then.status(201).json_body(json!({"attribute_id": ATTRIBUTE_ID}));
        });
        faces(&server).create_attribute(&NewAttribute::from_xpk(xpk)).await.unwrap();
        mock.assert();
    }

    async fn get_attributes_sends_ids_targets_and_version() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/attributes");
            exact_query(when, &[
                account_query(),
                ("attribute_ids", &format!("{ATTRIBUTE_ID},{FACE_ID}")),
                ("targets", "descriptor,face_descriptors_samples"),
                ("descriptor_version", "62"),
            ]);
            then.status(200).json_body(json!({"attributes": [{"attribute_id": ATTRIBUTE_ID}, {"attribute_id": FACE_ID}]}));
        });
        let query = AttributeQuery::new()
            .targets([AttributeTarget::Descriptor, AttributeTarget::FaceDescriptorsSamples])
            .descriptor_version(62);
        let attributes = faces(&server).get_attributes([ATTRIBUTE_ID, FACE_ID], &query).await.unwrap();
        mock.assert();
        assert_eq!(attributes.len(), 2);
        assert_eq!(attributes[1].attribute_id.unwrap().to_string(), FACE_ID);
    }

    async fn get_attribute_reads_one() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/attributes/{ATTRIBUTE_ID}"));
            exact_query(when, &[account_query(), ("targets", "basic_attributes"), ("descriptor_version", "59")]);
            then.status(200).json_body(json!({
                "attribute_id": ATTRIBUTE_ID, "account_id": ACCOUNT, "create_time": "2024-01-31T12:00:00Z",
                "basic_attributes": {"age": 33, "gender": 1, "ethnicity": 4},
                "descriptor": {"descriptor": base64(&[1u8; 512]), "version": 59}
            }));
        });
        let query = AttributeQuery::new().targets([AttributeTarget::BasicAttributes]).descriptor_version(59);
        let attribute = faces(&server).get_attribute(ATTRIBUTE_ID, &query).await.unwrap();
        mock.assert();
        assert_eq!(attribute.basic_attributes.as_ref().unwrap().age, Some(33));
        assert_eq!(attribute.descriptors().unwrap()[0].payload(), &[1u8; 512][..]);
    }

    async fn head_attribute_reports_existence() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &format!("/3/attributes/{ATTRIBUTE_ID}"));
            exact_query(when, &[account_query()]);
            then.status(200);
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &format!("/3/attributes/{FACE_ID}"));
            then.status(404);
        });
        let f = faces(&server);
        let yes = f.head_attribute(ATTRIBUTE_ID).await.unwrap();
        let no = f.head_attribute(FACE_ID).await.unwrap();
        assert!(yes && !no);
        present.assert();
        absent.assert();
    }

    async fn put_attribute_sends_force_and_ttl() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, PUT, &format!("/3/attributes/{ATTRIBUTE_ID}"));
            let when = exact_query(when, &[("force", "1"), ("ttl", "60")]);
            json_request(when, json!({"descriptors": [sdk59().to_base64()]}));
            then.status(204);
        });
        let attribute = NewAttribute::new(AttributeFields::new().sdk_descriptor_bytes(sdk59().as_bytes().clone())).ttl(60);
        faces(&server).put_attribute(ATTRIBUTE_ID, &attribute, OnExisting::Replace).await.unwrap();
        mock.assert();
    }

    async fn delete_attribute_deletes() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, &format!("/3/attributes/{ATTRIBUTE_ID}"));
            exact_query(when, &[account_query()]);
            then.status(204);
        });
        faces(&server).delete_attribute(ATTRIBUTE_ID).await.unwrap();
        mock.assert();
    }

    async fn get_attribute_samples_reads_samples() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/3/attributes/{ATTRIBUTE_ID}/samples"));
            exact_query(when, &[account_query()]);
            then.status(200).json_body(json!({"face_descriptors_samples": [FACE_ID]}));
        });
        let samples = faces(&server).get_attribute_samples(ATTRIBUTE_ID).await.unwrap();
        mock.assert();
        assert_eq!(samples.face_descriptor_samples.unwrap()[0].to_string(), FACE_ID);
    }

    async fn get_attribute_ids_reads_the_faces_of_the_list() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/3/faces");
            exact_query(when, &[
                account_query(), ("list_id", LIST_ID), ("create_time__lt", "2024-02-01T00:00:00Z"),
                ("create_time__gte", "2024-01-01T00:00:00Z"), ("page", "2"), ("page_size", "500"),
                ("targets", "face_id"),
            ]);
            then.status(200).json_body(json!({"faces": [{"face_id": ATTRIBUTE_ID}, {"face_id": FACE_ID}]}));
        });
        let query = AttributeIdsQuery::new()
            .list_id(LIST_ID)
            .time_lt(datetime!(2024-02-01 00:00 UTC))
            .time_gte(datetime!(2024-01-01 00:00 UTC))
            .page(2)
            .page_size(500);
        let ids = faces(&server).get_attribute_ids(&query).await.unwrap();
        mock.assert();
        assert_eq!(ids.iter().map(|u| u.to_string()).collect::<Vec<_>>(), vec![ATTRIBUTE_ID, FACE_ID]);
    }

    async fn get_address_is_origin_plus_prefix() {
        let server = MockServer::start();
        let client = client(&server);
        assert_eq!(client.faces().get_address(), format!("{}/3", server.base_url()));
        let custom = client_with(&server, |b| b.api_version(sdk::Service::Faces, 4));
        assert_eq!(custom.faces().get_address(), format!("{}/4", server.base_url()));
    }
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
}
