//! `webhooks()` on a client or a config: verified with the configured secret and clock, typed
//! file, upload and folder events, and unknown events kept whole.

use imagekit_core::webhook::{WebhookError, WebhookEvent};
use imagekit_core::{Config, FixedClock};
use imagekit_mock::{fixtures, webhooks};
use serde_json::json;

const SECRET: &str = "whsec_dGVzdF9zZWNyZXQ=";
const NOW: u64 = 1_700_000_000;

fn config() -> Config {
    Config::builder().private_key("k").webhook_secret(SECRET).clock(FixedClock(NOW + 10)).build().unwrap()
}

#[test]
fn both_schemes_verify_with_the_configured_secret() {
    let body = webhooks::event_body("file.created", fixtures::file());
    let standard = webhooks::sign_standard(SECRET, "msg_1", NOW, &body);
    let verified = config().webhooks().unwrap(&standard, &body).unwrap();
    assert_eq!(verified.webhook_id.as_deref(), Some("msg_1"));
    let legacy = webhooks::sign_legacy(SECRET, NOW * 1000, &body);
    assert!(config().webhooks().unwrap(&legacy, &body).is_ok());

    // Another secret, another body, an old timestamp: refused.
    let forged = webhooks::sign_standard("whsec_other", "msg_1", NOW, &body);
    assert_eq!(config().webhooks().unwrap(&forged, &body).unwrap_err(), WebhookError::SignatureMismatch);
    assert!(config().webhooks().unwrap(&standard, body.replace("file", "fyle")).is_err());
    let stale = webhooks::sign_standard(SECRET, "msg_1", NOW - 3600, &body);
    assert!(matches!(
        config().webhooks().unwrap(&stale, &body),
        Err(WebhookError::TimestampOutOfTolerance { .. })
    ));
}

#[test]
fn without_a_secret_unwrap_says_how_to_configure_one() {
    let config = Config::builder().private_key("k").build().unwrap();
    let body = webhooks::event_body("file.deleted", json!({"fileId": "f"}));
    let headers = webhooks::sign_standard(SECRET, "msg", NOW, &body);
    let error = config.webhooks().unwrap(&headers, &body).unwrap_err();
    assert_eq!(error, WebhookError::NoSecret);
    assert!(error.to_string().contains("IMAGEKIT_WEBHOOK_SECRET"));
    // unsafe_unwrap needs no secret.
    assert!(matches!(config.webhooks().unsafe_unwrap(&body).unwrap(), WebhookEvent::FileDeleted(_)));
}

#[test]
fn file_upload_and_folder_events_carry_typed_data() {
    let webhooks = config().webhooks();
    let file = webhooks.unsafe_unwrap(webhooks::event_body("file.created", fixtures::file())).unwrap();
    let WebhookEvent::FileCreated(event) = file else { panic!("{file:?}") };
    assert_eq!(event.data.id(), Some(fixtures::FILE_ID));
    for kind in ["file.updated", "file-version.created"] {
        let event = webhooks.unsafe_unwrap(webhooks::event_body(kind, fixtures::file_version())).unwrap();
        match event {
            WebhookEvent::FileUpdated(e) | WebhookEvent::FileVersionCreated(e) => {
                assert_eq!(e.data.version_name(), Some("Version 2"))
            }
            other => panic!("{kind}: {other:?}"),
        }
    }
    let uploaded = webhooks
        .unsafe_unwrap(webhooks::event_body(
            "upload.pre-transform.success",
            fixtures::uploaded("a.jpg", "/x", 10),
        ))
        .unwrap();
    let WebhookEvent::UploadPreTransformSuccess(event) = uploaded else { panic!("{uploaded:?}") };
    assert_eq!(event.data.path(), Some("/x/a.jpg"));

    let folder = json!({"folderId": "fo1", "name": "shoes", "folderPath": "/catalog/shoes", "type": "folder",
        "createdBy": {"name": "Ada", "email": "ada@example.com"}});
    match webhooks.unsafe_unwrap(webhooks::event_body("folder.created", folder.clone())).unwrap() {
        WebhookEvent::FolderCreated(e) => {
            assert_eq!(e.data.folder_path.as_deref(), Some("/catalog/shoes"));
            assert_eq!(e.data.created_by.as_ref().and_then(|c| c.name.as_deref()), Some("Ada"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        webhooks.unsafe_unwrap(webhooks::event_body("folder.updated", folder)).unwrap(),
        WebhookEvent::FolderUpdated(_)
    ));
    match webhooks.unsafe_unwrap(webhooks::event_body("folder.deleted", json!({"folderId": "fo1"}))).unwrap()
    {
        WebhookEvent::FolderDeleted(e) => assert_eq!(e.data.folder_id, "fo1"),
        other => panic!("{other:?}"),
    }
    // An event this crate does not know is kept whole.
    match webhooks.unsafe_unwrap(webhooks::event_body("asset.teleported", json!({"x": 1}))).unwrap() {
        WebhookEvent::Unknown { type_, raw } => {
            assert_eq!(type_, "asset.teleported");
            assert_eq!(raw["data"]["x"], 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_secret_comes_from_the_sdks_environment_name() {
    let vars = |name: &str| match name {
        "IMAGEKIT_PRIVATE_KEY" => Some("private_env".to_owned()),
        "IMAGEKIT_WEBHOOK_SECRET" => Some(SECRET.to_owned()),
        _ => None,
    };
    let config = imagekit_core::ConfigBuilder::from_vars(vars).clock(FixedClock(NOW)).build().unwrap();
    assert!(config.has_webhook_secret());
    let body = webhooks::event_body("file.deleted", json!({"fileId": "f"}));
    assert!(config.webhooks().unwrap(&webhooks::sign_standard(SECRET, "m", NOW, &body), &body).is_ok());
    assert!(!format!("{config:?}").contains("dGVzdF9zZWNyZXQ"), "the secret is redacted");
}

#[test]
fn video_and_post_transform_events_are_typed_and_lose_nothing() {
    use imagekit_core::upload::PostTransformationType;
    use imagekit_core::webhook::{VideoFailureReason, VideoTransformationType};

    let ready = json!({
        "type": "video.transformation.ready", "id": "ev_1", "created_at": "2025-01-01T00:00:00Z",
        "request": {"url": "https://ik.imagekit.io/demo/v.mp4?tr=f-webm", "x_request_id": "r1",
            "user_agent": "curl"},
        "data": {
            "asset": {"url": "https://ik.imagekit.io/demo/v.mp4"},
            "transformation": {
                "type": "video-transformation",
                "options": {"video_codec": "vp9", "format": "webm", "quality": 80, "auto_rotate": true,
                    "stream_protocol": "HLS", "variants": ["sr-240_360"], "brand_new_option": 1},
                "output": {"url": "https://ik.imagekit.io/demo/v.webm",
                    "video_metadata": {"bitrate": 1200000, "duration": 12.5, "height": 720, "width": 1280}}
            }
        },
        "timings": {"download_duration": 120, "encoding_duration": 3400},
        "region": "eu"
    });
    let event = config().webhooks().unsafe_unwrap(ready.to_string()).unwrap();
    assert_eq!(event.kind(), imagekit_core::models::WebhookEventType::VideoTransformationReady);
    let WebhookEvent::VideoTransformationReady(event) = event else { panic!("{event:?}") };
    let timings = event.timings.as_ref().expect("timings are kept");
    assert_eq!((timings.download_duration, timings.encoding_duration), (Some(120), Some(3400)));
    assert_eq!(event.extra["region"], "eu", "unknown top-level fields are kept");
    let transformation = event.data.transformation.as_ref().unwrap();
    assert_eq!(transformation.type_, Some(VideoTransformationType::VideoTransformation));
    let options = transformation.options.as_ref().unwrap();
    assert_eq!((options.video_codec.as_deref(), options.quality), (Some("vp9"), Some(80)));
    assert_eq!(options.extra["brand_new_option"], 1);
    let metadata = transformation.output.as_ref().unwrap().video_metadata.as_ref().unwrap();
    assert_eq!((metadata.duration, metadata.width), (Some(12.5), Some(1280.0)));

    let failed = json!({"type": "video.transformation.error", "id": "ev_2",
        "data": {"transformation": {"type": "gif-to-video", "error": {"reason": "download_failed"}}}});
    let WebhookEvent::VideoTransformationError(event) =
        config().webhooks().unsafe_unwrap(failed.to_string()).unwrap()
    else {
        panic!()
    };
    let transformation = event.data.transformation.unwrap();
    assert_eq!(transformation.error.unwrap().video_reason(), Some(VideoFailureReason::DownloadFailed));

    let post = json!({"type": "upload.post-transform.success", "id": "ev_3",
        "request": {"x_request_id": "r2", "transformation": {"type": "abs", "value": "sr-240_360", "protocol": "hls"}},
        "data": {"fileId": "f1", "name": "v.mp4", "url": "https://ik.imagekit.io/demo/v.mp4/ik-master.m3u8"}});
    let WebhookEvent::UploadPostTransformSuccess(event) =
        config().webhooks().unsafe_unwrap(post.to_string()).unwrap()
    else {
        panic!()
    };
    let requested = event.request.unwrap().transformation.unwrap();
    assert_eq!(requested.kind, PostTransformationType::Abs);
    assert_eq!(requested.value.as_deref(), Some("sr-240_360"));
}
