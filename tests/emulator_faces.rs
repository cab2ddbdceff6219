//! The Faces client against the embedded luna-emulator (both modes): realistic flows over real
//! HTTP and real state, every Faces method at least once.

mod common;

crate::in_both_modes! {

use luna_clients::model::common::{Targets};

use luna_clients::services::faces::{ListFaces, NewList, OnExisting, OnMissing};

use crate::common::emulator::{all_ok, api_code, emulator};
use sdk::model::common::{BasicAttributes, Gender};
use sdk::model::faces::{AttributeFields, FacePatch, FaceTarget, NewAttribute, NewFace};
use sdk::services::faces::{
    AttributeIdsQuery, AttributeQuery, DescriptorFormat, FaceAttributesQuery, FacesPageSize,
    FacesQuery, ListAttributesQuery, ListsQuery, Page,
};
use sdk::{Error, SdkDescriptor};
use std::collections::HashSet;
use uuid::Uuid;

fn sdk_descriptor(version: u32, byte: u8) -> SdkDescriptor {
    SdkDescriptor::new(version, &[byte; 512]).unwrap()
}

both_modes! {
    async fn enrol_page_filter_count_link_and_delete_a_thousand_faces() {
        let (client, account) = emulator_client();
        let faces = client.faces();
        let staff = faces.create_list(&NewList::new("staff")).await.unwrap().list_id;
        let visitors = faces.create_list(&NewList::new("visitors")).await.unwrap().list_id;
        let mut ids = Vec::new();
        for i in 0..1000u32 {
            let list = if i % 4 == 0 { staff } else { visitors };
            let face = NewFace::new()
                .user_data(format!("person {i}"))
                .external_id(format!("ext-{}", i % 10))
                .list_ids([list]);
            ids.push(faces.create_face(&face).await.unwrap().face_id);
        }
        let count = faces.get_faces_count(&FacesQuery::new()).await.unwrap();
        assert_eq!(count, 1000);
        let in_staff = faces.get_faces_count(&FacesQuery::new().list_id(staff)).await.unwrap();
        assert_eq!(in_staff, 250);
        let ext = FacesQuery::new().external_ids(["ext-3"]);
        let ext_count = faces.get_faces_count(&ext).await.unwrap();
        assert_eq!(ext_count, 100);

        // Pages of 100 cover every face exactly once, in face id order.
        let mut seen = Vec::new();
        for page in 1..=11u32 {
            let query = FacesQuery::new().page(page).page_size(FacesPageSize::Limit(100));
            let got = faces.get_faces(&query).await.unwrap().faces;
            assert_eq!(got.len(), if page <= 10 { 100 } else { 0 }, "page {page}");
            seen.extend(got.into_iter().map(|f| f.face_id.unwrap()));
        }
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 1000);

        // Keyset filters and targets.
        let middle = sorted[500];
        let upper = FacesQuery::new().face_id_gte(middle);
        let count = faces.get_faces_count(&upper).await.unwrap();
        assert_eq!(count, 500);
        let one = FacesQuery::new()
            .face_ids([middle])
            .targets([FaceTarget::FaceId, FaceTarget::Lists]);
        let page = faces.get_faces(&one).await.unwrap();
        assert_eq!(page.faces.len(), 1);
        assert_eq!(page.faces[0].face_id, Some(middle));
        assert!(page.faces[0].user_data.is_none(), "targets leave out user_data");
        let by_text = FacesQuery::new().user_data("PERSON 99");
        let by_text_count = faces.get_faces_count(&by_text).await.unwrap();
        assert_eq!(by_text_count, 11, "99 and 990..999, case-insensitive substring");

        // Link the first ten to staff too, then unlink them.
        let ten: Vec<Uuid> = ids[1..11].to_vec();
        faces.link_faces_to_list(staff, ten.clone()).await.unwrap();
        let linked = faces.get_faces_count(&FacesQuery::new().list_id(staff)).await.unwrap();
        assert_eq!(linked, 250 + 10 - 2, "faces 4 and 8 were in staff already");
        let face = faces.get_face(ids[1], Targets::All).await.unwrap();
        assert_eq!(face.lists.as_ref().map(Vec::len), Some(2));
        faces.unlink_faces_from_list(staff, ten.clone()).await.unwrap();
        let unlinked = faces.get_faces_count(&FacesQuery::new().list_id(staff)).await.unwrap();
        assert_eq!(unlinked, 250 - 2);

        // The list answers with a page of its faces.
        let list = faces.get_list(visitors, Page::new(2, 5)).await.unwrap();
        assert_eq!(list.user_data.as_deref(), Some("visitors"));
        assert_eq!(list.account_id, Some(account));
        assert_eq!(list.extra["faces"].as_array().map(Vec::len), Some(5));

        // Delete a list with its faces, then the rest of the faces.
        faces.delete_list(staff, ListFaces::Delete).await.unwrap();
        let after = faces.get_faces_count(&FacesQuery::new()).await.unwrap();
        assert_eq!(after, 750 + 2);
        let rest: Vec<Uuid> = faces
            .get_faces(&FacesQuery::new().page_size(FacesPageSize::Unlimited))
            .await
            .unwrap()
            .faces
            .into_iter()
            .map(|f| f.face_id.unwrap())
            .collect();
        assert_eq!(rest.len(), 752);
        for chunk in rest.chunks(500) {
            faces.delete_faces(chunk.to_vec(), OnMissing::Fail).await.unwrap();
        }
        let count = faces.get_faces_count(&FacesQuery::new()).await.unwrap();
        assert_eq!(count, 0);
    }

    async fn single_face_calls_and_errors() {
        let (client, account) = emulator_client();
        let faces = client.faces();
        let created = faces
            .create_face(&NewFace::new().user_data("ann").external_id("e-1"))
            .await
            .unwrap();
        let id = created.face_id;
        assert_eq!(created.url.as_deref(), Some(format!("/3/faces/{id}").as_str()));
        let face = faces.get_face(id, Targets::All).await.unwrap();
        assert_eq!(face.user_data.as_deref(), Some("ann"));
        assert_eq!(face.account_id, Some(account));
        let exists = faces.head_face(id).await.unwrap();
        assert!(exists);
        let patch = FacePatch::new().user_data("bob").avatar("http://avatar/1.jpg");
        faces.patch_face(id, &patch).await.unwrap();
        let face = faces.get_face(id, Targets::All).await.unwrap();
        assert_eq!(face.user_data.as_deref(), Some("bob"));
        assert_eq!(face.avatar.as_deref(), Some("http://avatar/1.jpg"));
        let chosen = Uuid::new_v4();
        let put = faces.put_face(chosen, &NewFace::new().user_data("put")).await.unwrap();
        assert_eq!(put.face_id, chosen);
        faces.delete_face(id).await.unwrap();
        let exists = faces.head_face(id).await.unwrap();
        assert!(!exists);
        let missing = faces.get_face(id, Targets::All).await;
        assert_eq!(api_code(missing), (404, Some(22002)));
        let bad_avatar = FacePatch::new().avatar("not a url");
        let bad = faces.patch_face(chosen, &bad_avatar).await;
        assert_eq!(api_code(bad), (400, Some(22009)));
        let strict = faces.delete_faces([chosen, id], OnMissing::Fail).await;
        assert_eq!(api_code(strict), (400, Some(22004)));
        faces.delete_faces([chosen, id], OnMissing::Ignore).await.unwrap();
        let exists = faces.head_face(chosen).await.unwrap();
        assert!(!exists);
        // Another account sees nothing of this one.
        let (other, _) = emulator_client();
        let kept = faces.create_face(&NewFace::new()).await.unwrap().face_id;
        let exists = other.faces().head_face(kept).await.unwrap();
        assert!(!exists);
        let count = other.faces().get_faces_count(&FacesQuery::new()).await.unwrap();
        assert_eq!(count, 0);
        assert!(faces.get_address().ends_with("/3"));
    }

    async fn face_attributes_in_both_descriptor_forms() {
        let (client, _) = emulator_client();
        let faces = client.faces();
        let sample = Uuid::new_v4();
        let fields = AttributeFields::new()
            .descriptor(sdk_descriptor(59, 7))
            .basic_attributes(BasicAttributes::new().age(30).gender(Gender::Male))
            .descriptor_samples([sample]);
        let face_id = faces
            .create_face(&NewFace::new().attribute(fields))
            .await
            .unwrap()
            .face_id;
        let sdk_form = faces
            .get_face_attributes(face_id, &FaceAttributesQuery::new())
            .await
            .unwrap();
        assert_eq!(sdk_form.descriptors().unwrap()[0].version(), 59);
        assert!(sdk_form.descriptor.as_ref().unwrap().is_string(), "SDK form: base64 string");
        let raw_query = FaceAttributesQuery::new()
            .descriptor_version(59)
            .descriptor_format(DescriptorFormat::Raw);
        let raw_form = faces.get_face_attributes(face_id, &raw_query).await.unwrap();
        assert_eq!(raw_form.descriptor.as_ref().unwrap()["version"], 59);
        assert_eq!(raw_form.basic_attributes.as_ref().and_then(|b| b.age), Some(30));
        let samples = faces.get_face_attribute_samples(face_id).await.unwrap();
        assert_eq!(samples.face_descriptor_samples, Some(vec![sample]));
        let missing_version = FaceAttributesQuery::new().descriptor_version(60);
        let missing = faces.get_face_attributes(face_id, &missing_version).await;
        assert_eq!(api_code(missing), (404, Some(22018)));

        faces
            .update_face_attributes(face_id, &AttributeFields::new().descriptor(sdk_descriptor(60, 1)))
            .await
            .unwrap();
        let updated = faces
            .get_face_attributes(face_id, &FaceAttributesQuery::new().descriptor_version(60))
            .await
            .unwrap();
        assert_eq!(updated.descriptors().unwrap()[0].version(), 60);
        faces
            .put_face_attributes(face_id, &AttributeFields::new().descriptor(sdk_descriptor(58, 2)))
            .await
            .unwrap();
        let replaced = faces
            .get_face_attributes(face_id, &FaceAttributesQuery::new().descriptor_version(59))
            .await;
        assert_eq!(api_code(replaced), (404, Some(22018)), "PUT replaced the whole attribute");
        faces.delete_face_attributes(face_id).await.unwrap();
        let gone = faces.get_face_attributes(face_id, &FaceAttributesQuery::new()).await;
        assert_eq!(api_code(gone), (404, Some(22011)));
        let legacy = faces.get_faces_attributes([face_id]).await;
        assert!(matches!(legacy, Err(Error::Api(_))), "no LP5 route: {legacy:?}");
    }

    async fn temporary_attributes_and_list_links() {
        let (client, _) = emulator_client();
        let faces = client.faces();
        let attribute = NewAttribute::new(
            AttributeFields::new().descriptor(sdk_descriptor(59, 3)).descriptor_samples([Uuid::new_v4()]),
        )
        .ttl(60);
        let attribute_id = faces.create_attribute(&attribute).await.unwrap().attribute_id;
        let exists = faces.head_attribute(attribute_id).await.unwrap();
        assert!(exists);
        let got = faces.get_attribute(attribute_id, &AttributeQuery::new()).await.unwrap();
        assert_eq!(got.attribute_id, Some(attribute_id));
        assert_eq!(got.descriptors().unwrap()[0].version(), 59);
        let many = faces
            .get_attributes([attribute_id, Uuid::new_v4()], &AttributeQuery::new())
            .await
            .unwrap();
        assert_eq!(many.len(), 1);
        let samples = faces.get_attribute_samples(attribute_id).await.unwrap();
        assert_eq!(samples.face_descriptor_samples.map(|s| s.len()), Some(1));

        let chosen = Uuid::new_v4();
        let second = NewAttribute::new(AttributeFields::new().descriptor(sdk_descriptor(59, 4)));
        faces.put_attribute(chosen, &second, OnExisting::Fail).await.unwrap();
        let again = faces.put_attribute(chosen, &second, OnExisting::Fail).await;
        assert_eq!(api_code(again).0, 409);
        faces.put_attribute(chosen, &second, OnExisting::Replace).await.unwrap();
        faces.delete_attribute(chosen).await.unwrap();
        let exists = faces.head_attribute(chosen).await.unwrap();
        assert!(!exists);

        // A face made from the temporary attribute, linked to a list.
        let list_id = Uuid::new_v4();
        let created = faces.create_list(&NewList::new("door").list_id(list_id)).await.unwrap();
        assert_eq!(created.list_id, list_id);
        let from_attribute = NewFace::new()
            .attribute(AttributeFields::new().attribute_id(attribute_id))
            .list_ids([list_id]);
        let face_id = faces.create_face(&from_attribute).await.unwrap().face_id;
        let reused = faces.create_face(&from_attribute).await;
        assert_eq!(api_code(reused), (409, Some(22001)));
        let links = faces
            .get_attributes_from_list(list_id, &ListAttributesQuery::new().limit(10))
            .await
            .unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].face_id, Some(face_id));
        let key = links[0].link_key.unwrap();
        let after = ListAttributesQuery::new().link_key_gte(key + 1);
        let none = faces.get_attributes_from_list(list_id, &after).await.unwrap();
        assert!(none.is_empty());

        // Lists: filters, counts, patch, head, delete.
        let other = faces.create_list(&NewList::new("hall")).await.unwrap().list_id;
        let lists = faces.get_lists(&ListsQuery::new().user_data_eq("hall")).await.unwrap();
        assert_eq!(lists.lists.len(), 1);
        assert_eq!(lists.lists[0].list_id, Some(other));
        let count = faces.get_lists_count(&ListsQuery::new()).await.unwrap();
        assert_eq!(count, 2);
        faces.patch_list(other, "lobby").await.unwrap();
        let renamed = faces.get_lists_count(&ListsQuery::new().user_data("lob")).await.unwrap();
        assert_eq!(renamed, 1);
        let exists = faces.head_list(other).await.unwrap();
        assert!(exists);
        let duplicate = faces.create_list(&NewList::new("again").list_id(list_id)).await;
        assert_eq!(api_code(duplicate), (409, Some(22026)));
        faces.delete_lists([list_id, other], ListFaces::Keep).await.unwrap();
        let exists = faces.head_list(other).await.unwrap();
        assert!(!exists);
        let exists = faces.head_face(face_id).await.unwrap();
        assert!(exists, "faces stay without with_faces");
        let missing = faces.link_faces_to_list(list_id, [face_id]).await;
        assert_eq!(api_code(missing), (400, Some(22003)));
    }

    async fn attribute_ids_of_a_list() {
        let (client, _) = emulator_client();
        let faces = client.faces();
        let list = faces.create_list(&NewList::new("ids")).await.unwrap().list_id;
        let ids = faces.get_attribute_ids(&AttributeIdsQuery::new().list_id(list)).await;
        assert!(ids.unwrap().is_empty());
        let mut enrolled = Vec::new();
        for _ in 0..3 {
            enrolled.push(faces.create_face(&NewFace::new().list_ids([list])).await.unwrap().face_id);
        }
        faces.create_face(&NewFace::new()).await.unwrap();
        let mut ids = faces.get_attribute_ids(&AttributeIdsQuery::new().list_id(list)).await.unwrap();
        ids.sort();
        enrolled.sort();
        assert_eq!(ids, enrolled, "the ids of the list's faces, no others");
    }

    async fn iterators_walk_every_page() {
        let (client, _) = emulator_client();
        let faces = client.faces();
        for i in 0..25 {
            faces.create_list(&NewList::new(format!("l{i}"))).await.unwrap();
            faces.create_face(&NewFace::new()).await.unwrap();
        }
        let all_faces = all_ok(collect_pages(faces.iter_faces(FacesQuery::new().page_size(FacesPageSize::Limit(7)))).await);
        assert_eq!(all_faces.len(), 25);
        let all_lists = all_ok(collect_pages(faces.iter_lists(ListsQuery::new().page_size(10))).await);
        assert_eq!(all_lists.len(), 25);
        assert!(emulator().origin(luna_emulator::Service::Faces).starts_with("http://127.0.0.1:"));
    }
}

}
