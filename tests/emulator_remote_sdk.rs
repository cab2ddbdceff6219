//! The Remote SDK client against the embedded luna-emulator (both modes): synthetic photos are
//! detected and estimated, their descriptors match per person (checked through the matcher's
//! raw matching), broken images fail inside the answer, and images of the Image Store are read
//! by URL.

mod common;

crate::in_both_modes! {

use crate::common::emulator::emulator;
use luna_emulator::{synthetic_face, Service};
use sdk::model::images::{BinaryImage, ImageInput};
use sdk::model::image_store::UploadOptions;
use sdk::model::matching::BinaryReference;
use sdk::model::remote_sdk::{SdkParams, SdkResponse};
use sdk::SdkDescriptor;

/// The face descriptor of the image named `name` in `answer`.
fn descriptor(answer: &SdkResponse, name: &str) -> SdkDescriptor {
    let image = answer
        .images_estimations
        .iter()
        .find(|image| image.filename.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no image {name} in {answer:?}"));
    assert!(!image.is_error(), "{image:?}");
    assert_eq!(image.estimations.len(), 1, "one face per synthetic photo");
    let face = image.estimations[0].face.as_ref().expect("a face");
    face.attributes()
        .expect("face attributes")
        .sdk_descriptor()
        .expect("a descriptor")
        .expect("a decodable descriptor")
}

both_modes! {
    async fn sdk_estimates_photos_whose_descriptors_match_per_person() {
        let (client, _) = emulator_client();
        let lrs = client.remote_sdk();
        assert_eq!(lrs.get_address(), emulator().base_url(Service::RemoteSdk));
        let params = SdkParams::new()
            .detect_face(true)
            .estimate_face_descriptor(true)
            .estimate_basic_attributes(true)
            .estimate_emotions(true)
            .estimate_mask(true)
            .estimate_head_pose(true)
            .estimate_quality(true)
            .estimate_liveness(true);
        let photos = ImageInput::images([
            BinaryImage::png(synthetic_face("alice", 0)).file_name("alice-0"),
            BinaryImage::png(synthetic_face("alice", 1)).file_name("alice-1"),
            BinaryImage::png(synthetic_face("bob", 0)).file_name("bob-0"),
            BinaryImage::jpeg(b"not an image".to_vec()).file_name("broken"),
        ]);
        let answer = lrs.sdk(photos, &params).await.unwrap();
        assert_eq!(answer.images_estimations.len(), 4);
        let broken = answer
            .images_estimations
            .iter()
            .find(|image| image.filename.as_deref() == Some("broken"))
            .unwrap();
        assert!(broken.is_error(), "a broken image fails inside the answer: {broken:?}");
        assert!(broken.estimations.is_empty());

        // Estimations follow the person: both photos of alice have her attributes.
        let attributes = |name: &str| {
            let image = answer
                .images_estimations
                .iter()
                .find(|image| image.filename.as_deref() == Some(name))
                .unwrap();
            let face = image.estimations[0].face.as_ref().unwrap();
            let rect = face.detection.as_ref().and_then(|d| d.rect).unwrap();
            assert!(rect.width > 0.0 && rect.height > 0.0, "{rect:?}");
            let attributes = face.attributes().unwrap().clone();
            for (what, value) in [
                ("basic attributes", &attributes.basic_attributes),
                ("emotions", &attributes.emotions),
                ("mask", &attributes.mask),
                ("head pose", &attributes.head_pose),
                ("quality", &attributes.quality),
                ("liveness", &attributes.liveness),
            ] {
                assert!(value.is_some(), "{name}: {what} estimated");
            }
            attributes
        };
        let (alice0, alice1, bob0) = (attributes("alice-0"), attributes("alice-1"), attributes("bob-0"));
        assert_eq!(alice0.basic_attributes, alice1.basic_attributes);
        assert_eq!(alice0.emotions, alice1.emotions);
        assert_ne!(alice0.descriptor, alice1.descriptor, "two photos, two descriptors");
        assert!(bob0.basic_attributes.is_some());

        // The matcher compares the descriptors: one person ≥ 0.9, two people < 0.5.
        let reference = BinaryReference::new("alice-0", descriptor(&answer, "alice-0"));
        let candidates = [
            BinaryReference::new("alice-1", descriptor(&answer, "alice-1")),
            BinaryReference::new("bob-0", descriptor(&answer, "bob-0")),
        ];
        let similarities = client
            .matcher()
            .match_raw(&candidates, &[reference])
            .await
            .unwrap();
        assert_eq!(similarities.len(), 1);
        assert_eq!(similarities[0].reference_id(), Some("alice-0"));
        let of = |id: &str| {
            similarities[0]
                .matches
                .iter()
                .find(|m| m.candidate_id() == Some(id))
                .and_then(|m| m.similarity)
                .unwrap_or_else(|| panic!("no similarity for {id}"))
        };
        assert!(of("alice-1") >= 0.9, "{}", of("alice-1"));
        assert!(of("bob-0") < 0.5, "{}", of("bob-0"));
    }

    async fn sdk_reads_image_store_urls_and_single_images_with_bodies() {
        let (client, _) = emulator_client();
        let store = client.image_store("tour-photos");
        if !store.bucket_exists().await.unwrap() {
            store.create_bucket().await.unwrap();
        }
        let png = UploadOptions::new().content_type("image/png");
        let stored = store.post_image(synthetic_face("carol", 3), &png).await.unwrap();
        let url = format!("{}/images/{}", store.get_address(), stored.image_id);
        let params = SdkParams::new().detect_face(true).estimate_face_descriptor(true);
        let by_url = client
            .remote_sdk()
            .sdk(ImageInput::urls([url.clone()]), &params)
            .await
            .unwrap();
        assert_eq!(by_url.images_estimations.len(), 1);
        let direct = client
            .remote_sdk()
            .sdk(BinaryImage::png(synthetic_face("carol", 3)), &params)
            .await
            .unwrap();
        let of = |answer: &SdkResponse| {
            let image = &answer.images_estimations[0];
            assert!(!image.is_error(), "{image:?}");
            image.estimations[0].face.as_ref().unwrap().attributes().unwrap().sdk_descriptor().unwrap().unwrap()
        };
        assert_eq!(of(&by_url), of(&direct), "the stored photo is the same photo");

        // A missing image of the store fails inside the answer.
        let missing = format!("{}/images/{}", store.get_address(), uuid::Uuid::new_v4());
        let answer = client
            .remote_sdk()
            .sdk(ImageInput::urls([missing]), &params)
            .await
            .unwrap();
        assert!(answer.images_estimations[0].is_error(), "{answer:?}");

        // Bodies: detection, descriptor and attributes of the body.
        let bodies = SdkParams::new()
            .detect_body(true)
            .estimate_body_descriptor(true)
            .estimate_body_basic_attributes(true)
            .estimate_upper_body(true)
            .estimate_lower_body(true)
            .estimate_accessories(true);
        let answer = client
            .remote_sdk()
            .sdk(BinaryImage::png(synthetic_face("carol", 0)), &bodies)
            .await
            .unwrap();
        let body = answer.images_estimations[0].estimations[0].body.as_ref().expect("a body");
        let attributes = body.attributes().expect("body attributes");
        assert!(attributes.descriptor.is_some());
        assert!(attributes.basic_attributes.is_some());
        assert!(attributes.upper_body.is_some() && attributes.lower_body.is_some());
        assert!(attributes.accessories.is_some());
    }
}

}
