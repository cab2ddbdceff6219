//! Image Store and Remote SDK (async, default features): `cargo run --example images_async -- photo.jpg`.
//! Needs reachable luna-image-store and luna-remote-sdk; set `LUNA_IMAGE_STORE_ADDRESS`,
//! `LUNA_REMOTE_SDK_ADDRESS` and `LUNA_ACCOUNT_ID`.

mod images {
    // images:start
    use futures_util::TryStreamExt;
    use luna_clients::model::image_store::UploadOptions;
    use luna_clients::model::image_store::UserMeta;
    use luna_clients::model::images::{BinaryImage, ImageInput};
    use luna_clients::model::remote_sdk::SdkParams;
    use luna_clients::prelude::*;
    use luna_clients::UploadBody;

    #[tokio::main]
    pub async fn run() -> luna_clients::Result<()> {
        let path = std::env::args()
            .nth(1)
            .unwrap_or_else(|| "photo.jpg".into());
        let photo: Vec<u8> = std::fs::read(&path).expect("an image file");
        let client = LunaClient::from_env()?;

        // Image Store: the client is bound to a bucket; the Vec's buffer is sent as is.
        let store = client.image_store("visionlabs-samples");
        if !store.bucket_exists().await? {
            store.create_bucket().await?;
        }
        let options = UploadOptions::new().ttl(3600).meta("source", "example");
        let stored = store.post_image(photo.clone(), &options).await?;
        let image = store.get_image(stored.image_id, UserMeta::Include).await?;
        println!(
            "{} bytes, {:?}, meta {:?}",
            image.body.len(),
            image.info.content_type,
            image.info.meta
        );

        // A large file is streamed from a reader, and read back as a stream.
        let file = tokio::fs::File::open(&path).await.expect("the file again");
        let object = store
            .post_object(
                UploadBody::from_async_read(file),
                &UploadOptions::new().content_type("image/jpeg"),
            )
            .await?;
        let download = store.get_object_stream(object.object_id).await?;
        let chunks: Vec<_> = download.body.try_collect().await?;
        println!("read back in {} chunk(s)", chunks.len());
        store.delete_images([stored.image_id]).await?;
        store.delete_objects([object.object_id]).await?;

        // Remote SDK: one image as the body; several images go as one multipart request.
        let params = SdkParams::new()
            .detect_face(true)
            .estimate_face_descriptor(true)
            .estimate_basic_attributes(true);
        let answer = client
            .remote_sdk()
            .sdk(BinaryImage::jpeg(photo.clone()), &params)
            .await?;
        for (index, image) in answer.images_estimations.iter().enumerate() {
            match &image.error {
                Some(error) if image.is_error() => println!("image {index}: {:?}", error.detail),
                _ => println!("image {index}: {} person(s)", image.estimations.len()),
            }
        }
        let two = ImageInput::images([BinaryImage::jpeg(photo.clone()), BinaryImage::jpeg(photo)]);
        client.remote_sdk().sdk(two, &params).await?;
        Ok(())
    }
    // images:end
}

mod support;

/// Errors are printed with `Display` (see `support::exit`).
fn main() -> std::process::ExitCode {
    support::exit(images::run())
}
