//! The Image Store client against the embedded luna-emulator (both modes): buckets, upload,
//! download, metadata, TTL expiry and bulk delete, every method at least once.

mod common;

crate::in_both_modes! {

use sdk::model::image_store::{UploadOptions, UserMeta};
use sdk::{Error, LunaClient};
use uuid::Uuid;

/// A JPEG start-of-image marker and a few bytes: the emulator stores bytes as given.
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
];

fn bucket_name() -> String {
    format!("bucket-{}", Uuid::new_v4().simple())
}

#[maybe_async]
async fn store_with_bucket(client: &LunaClient) -> sdk::ImageStore {
    let store = client.image_store(&bucket_name());
    store.create_bucket().await.unwrap();
    store
}

both_modes! {
    async fn images_round_trip_with_metadata_and_ttl() {
        let (client, _) = emulator_client();
        let store = store_with_bucket(&client).await;
        let exists = store.bucket_exists().await.unwrap();
        assert!(exists);
        let buckets = store.list_buckets().await.unwrap();
        assert!(buckets.contains(&store.bucket().to_owned()));
        let again = store.create_bucket().await;
        assert!(matches!(again, Err(Error::Api(ref e)) if e.error_code == Some(13006)), "{again:?}");

        let options = UploadOptions::new().meta("camera", "door-1");
        let posted = store.post_image(JPEG.to_vec(), &options).await.unwrap();
        let id = posted.image_id;
        assert_eq!(
            posted.url.as_deref(),
            Some(format!("/1/buckets/{}/images/{id}", store.bucket()).as_str())
        );
        let plain = store.get_image(id, UserMeta::ServiceDefault).await.unwrap();
        assert_eq!(plain.body.as_ref(), JPEG);
        assert_eq!(plain.info.content_type.as_deref(), Some("image/jpeg"));
        assert!(plain.info.meta.is_empty(), "metadata only with with_meta=1");
        let with_meta = store.get_image(id, UserMeta::Include).await.unwrap();
        assert_eq!(with_meta.info.meta.get("camera").map(String::as_str), Some("door-1"));
        let head = store.head_image(id, UserMeta::Include).await.unwrap().unwrap();
        assert_eq!(head.meta.get("camera").map(String::as_str), Some("door-1"));
        let streamed = store.get_image_stream(id, UserMeta::ServiceDefault).await.unwrap();
        let bytes = streamed.body.bytes().await.unwrap();
        assert_eq!(bytes.as_ref(), JPEG);

        let chosen = Uuid::new_v4();
        let png = UploadOptions::new().content_type("image/png");
        let put = store.put_image(vec![0x89, b'P', b'N', b'G'], chosen, &png).await.unwrap();
        assert_eq!(put.image_id, chosen);
        let not_image = UploadOptions::new().content_type("text/plain");
        let refused = store.post_image(b"text".to_vec(), &not_image).await;
        assert!(matches!(refused, Err(Error::Api(ref e)) if e.status == 400), "{refused:?}");

        let short = store.post_image(JPEG.to_vec(), &UploadOptions::new().ttl(1)).await.unwrap();
        let info = store.head_image(short.image_id, UserMeta::ServiceDefault).await.unwrap().unwrap();
        assert!(info.expiry_date.is_some(), "X-Luna-Expiry-Date is set with a ttl");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let stored = store.head_image(short.image_id, UserMeta::ServiceDefault).await.unwrap();
        assert!(stored.is_none(), "expired");

        store.delete_image(id).await.unwrap();
        let gone = store.get_image(id, UserMeta::ServiceDefault).await;
        assert!(matches!(gone, Err(Error::Api(ref e)) if e.error_code == Some(13003)), "{gone:?}");
        store.delete_images([chosen, Uuid::new_v4()]).await.unwrap();
        let stored = store.head_image(chosen, UserMeta::ServiceDefault).await.unwrap();
        assert!(stored.is_none());
        assert!(store.get_address().ends_with(&format!("/1/buckets/{}", store.bucket())));
        store.delete_bucket().await.unwrap();
        let exists = store.bucket_exists().await.unwrap();
        assert!(!exists);
    }

    async fn objects_and_the_bulk_delete_limit() {
        let (client, _) = emulator_client();
        let store = store_with_bucket(&client).await;
        let posted = store
            .post_object(br#"{"a": 1}"#.to_vec(), &UploadOptions::new().meta("kind", "note"))
            .await
            .unwrap();
        let got = store.get_object(posted.object_id).await.unwrap();
        assert_eq!(got.body.as_ref(), br#"{"a": 1}"#);
        assert_eq!(got.info.content_type.as_deref(), Some("application/json"));
        assert_eq!(got.info.meta.get("kind").map(String::as_str), Some("note"));
        assert_eq!(got.info.file_name, Some(format!("{}.json", posted.object_id)));
        let stream = store.get_object_stream(posted.object_id).await.unwrap();
        let bytes = stream.body.bytes().await.unwrap();
        assert_eq!(bytes.as_ref(), br#"{"a": 1}"#);
        let video = UploadOptions::new().content_type("video/mp4");
        let chosen = Uuid::new_v4();
        store.put_object(vec![0u8; 64], chosen, &video).await.unwrap();
        let head = store.head_object(chosen).await.unwrap().unwrap();
        assert_eq!(head.content_type.as_deref(), Some("video/mp4"));
        let not_json = store.post_object(b"not json".to_vec(), &UploadOptions::new()).await;
        assert!(matches!(not_json, Err(Error::Api(ref e)) if e.error_code == Some(12025)), "{not_json:?}");

        // Another account cannot read them.
        let (other, _) = emulator_client();
        let foreign = other.image_store(store.bucket());
        let stored = foreign.head_object(chosen).await.unwrap();
        assert!(stored.is_none());

        let mut ids = vec![posted.object_id, chosen];
        ids.extend((0..998).map(|_| Uuid::new_v4()));
        store.delete_objects(ids.clone()).await.unwrap();
        let stored = store.head_object(chosen).await.unwrap();
        assert!(stored.is_none());
        store.delete_object(posted.object_id).await.unwrap();
        // Over the limit the raw route answers 400 (the SDK refuses before sending).
        ids.push(Uuid::new_v4());
        let over = store.delete_objects(ids).await;
        assert!(matches!(over, Err(Error::InvalidArgument { .. })), "{over:?}");
    }
}

}
