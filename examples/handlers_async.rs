//! Handlers (async, default features): `cargo run --example handlers_async -- photo.jpg`.
//! Needs a reachable luna-handlers; set `LUNA_HANDLERS_ADDRESS` and `LUNA_ACCOUNT_ID`.

mod handlers {
    // handlers:start
    use luna_clients::model::events::Emotion;
    use luna_clients::model::handlers::{
        ConditionalTag, DetectPolicy, EventPolicy, ExtractPolicy, MatchPolicy, NewHandler,
        NewVerifier, Policies, PolicyFilters, StoragePolicy, VerifierPolicies,
    };
    use luna_clients::model::images::{BinaryImage, ImageInput};
    use luna_clients::prelude::*;
    use luna_clients::services::events::EventsQuery;
    use luna_clients::services::faces::FacesQuery;
    use luna_clients::services::handlers::{EmitEventsParams, VerifyAgainst, VerifyParams};

    #[tokio::main]
    pub async fn run() -> luna_clients::Result<()> {
        let path = std::env::args()
            .nth(1)
            .unwrap_or_else(|| "photo.jpg".into());
        let photo: Vec<u8> = std::fs::read(&path).expect("an image file");
        let client = LunaClient::from_env()?;
        let handlers = client.handlers();

        // A static handler: detect, extract, match against a list, tag happy faces, save events.
        let staff_list = "5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33";
        let happy = PolicyFilters::events(&EventsQuery::new().emotions([Emotion::Happiness]))?;
        let policies = Policies::new()
            .detect_policy(
                DetectPolicy::new()
                    .detect_face(true)
                    .estimate_emotions(true),
            )
            .extract_policy(ExtractPolicy::new().extract_face_descriptor(true))
            .match_policy(
                MatchPolicy::new("staff", FacesQuery::new().list_id(staff_list))?.limit(1),
            )
            .conditional_tag(ConditionalTag::new("happy", happy))
            .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true)));
        handlers.validate_handler(&policies).await?;
        let handler = handlers
            .create_handler(&NewHandler::with_policies(policies).description("entrance"))
            .await?;

        // One image as the body; several go as one multipart request.
        let params = EmitEventsParams::new().source("gate-3").tags(["morning"]);
        let answer = handlers
            .emit_events(handler.id, BinaryImage::jpeg(photo.clone()), &params)
            .await?;
        for event in &answer.events {
            for result in event.match_results() {
                println!("{:?}: {:?}", result.label, result.candidates);
            }
        }
        for image in answer.failed_images() {
            println!("{:?} failed: {:?}", image.filename, image.error);
        }
        let two = ImageInput::images([
            BinaryImage::jpeg(photo.clone()),
            BinaryImage::jpeg(photo.clone()),
        ]);
        handlers.emit_events(handler.id, two, &params).await?;

        // A verifier: is this photo the face of the list's member?
        let verifier = handlers
            .create_verifier(
                &NewVerifier::new(VerifierPolicies::new().verification_threshold(0.9))
                    .description("door"),
            )
            .await?;
        let face_id = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
        let verdict = handlers
            .verify_data(
                verifier.id,
                BinaryImage::jpeg(photo),
                &VerifyAgainst::faces([face_id]),
                &VerifyParams::new(),
            )
            .await?;
        for image in &verdict.images {
            for check in image.verifications() {
                println!(
                    "similarity {:?}, passed {:?}",
                    check.similarity, check.status
                );
            }
        }
        handlers.delete_verifier(verifier.id).await?;
        handlers.delete_handler_by_id(handler.id).await?;
        Ok(())
    }
    // handlers:end
}

mod support;

/// Errors are printed with `Display` (see `support::exit`).
fn main() -> std::process::ExitCode {
    support::exit(handlers::run())
}
