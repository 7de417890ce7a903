//! One base URL moves everything, as in the official SDKs: an API base URL other than
//! ImageKit's own also serves uploads unless an upload base URL is given, whichever way the
//! client is built. And cleartext beyond loopback can be allowed from the environment.

use imagekit_core::{Client, ClientBuilder, Config, Error};
use imagekit_mock::{ScriptedTransport, fixtures};

/// A source of environment variables holding just these.
fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let pairs: Vec<(String, String)> =
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    move |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// Where an upload and a file lookup through this client go: `(upload URI, API URI)`.
async fn destinations(builder: ClientBuilder) -> (String, String) {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(fixtures::uploaded("a.txt", "/", 3)));
    transport.push_response(fixtures::ok(fixtures::file()));
    let client = builder.transport(transport.clone()).build().unwrap();
    client.files().upload(imagekit_core::UploadSource::bytes(&b"abc"[..]), "a.txt").await.unwrap();
    client.files().get("file_id").await.unwrap();
    let sent = transport.requests();
    (sent[0].uri.to_string(), sent[1].uri.to_string())
}

#[tokio::test]
async fn the_builder_base_url_alone_serves_uploads_too() {
    let (upload, api) =
        destinations(Client::builder().private_key("k").base_url("http://127.0.0.1:4010/")).await;
    assert_eq!(upload, "http://127.0.0.1:4010/api/v1/files/upload");
    assert_eq!(api, "http://127.0.0.1:4010/v1/files/file_id/details");
}

#[tokio::test]
async fn an_upload_base_url_still_wins() {
    let builder = Client::builder()
        .private_key("k")
        .base_url("https://proxy.example/imagekit")
        .upload_base_url("https://uploads.example");
    let (upload, api) = destinations(builder).await;
    assert_eq!(upload, "https://uploads.example/api/v1/files/upload");
    assert_eq!(api, "https://proxy.example/imagekit/v1/files/file_id/details");
}

#[tokio::test]
async fn imagekits_own_api_base_url_keeps_its_upload_host() {
    for builder in [
        Client::builder().private_key("k"),
        Client::builder().private_key("k").base_url("https://api.imagekit.io/"),
    ] {
        let (upload, api) = destinations(builder).await;
        assert_eq!(upload, "https://upload.imagekit.io/api/v1/files/upload");
        assert_eq!(api, "https://api.imagekit.io/v1/files/file_id/details");
    }
}

#[tokio::test]
async fn the_environment_follows_the_same_rule() {
    for name in ["IMAGEKIT_BASE_URL", "IMAGE_KIT_BASE_URL"] {
        let vars = env(&[("IMAGEKIT_PRIVATE_KEY", "k"), (name, "http://localhost:9")]);
        let (upload, _) = destinations(ClientBuilder::from_vars(vars)).await;
        assert_eq!(upload, "http://localhost:9/api/v1/files/upload", "{name}");
    }
    let vars = env(&[
        ("IMAGEKIT_PRIVATE_KEY", "k"),
        ("IMAGEKIT_BASE_URL", "http://localhost:9"),
        ("IMAGEKIT_UPLOAD_BASE_URL", "http://localhost:8"),
    ]);
    let (upload, api) = destinations(ClientBuilder::from_vars(vars)).await;
    assert_eq!(upload, "http://localhost:8/api/v1/files/upload");
    assert_eq!(api, "http://localhost:9/v1/files/file_id/details");
}

#[test]
fn the_sans_io_config_follows_the_same_rule() {
    let config = Config::builder().private_key("k").base_url("http://[::1]:4010").build().unwrap();
    assert_eq!(config.upload_base_url(), "http://[::1]:4010");
}

fn refusal(result: Result<Client, Error>) -> String {
    match result {
        Err(error @ Error::InvalidInput(_)) => error.to_string(),
        Err(other) => panic!("expected a refusal of the input, got {other:?}"),
        Ok(_) => panic!("expected a refusal, got a client"),
    }
}

#[test]
fn cleartext_beyond_loopback_can_be_allowed_from_the_environment() {
    let container = |allow: Option<&str>| {
        let mut vars = vec![("IMAGEKIT_PRIVATE_KEY", "k"), ("IMAGEKIT_BASE_URL", "http://emulator:4010")];
        vars.extend(allow.map(|value| ("IMAGEKIT_ALLOW_INSECURE_HTTP", value)));
        ClientBuilder::from_vars(env(&vars)).transport(ScriptedTransport::new()).build()
    };
    // Refused, and the refusal says how to allow it from the environment.
    for refused in [None, Some("0")] {
        let text = refusal(container(refused));
        assert!(text.contains("IMAGEKIT_ALLOW_INSECURE_HTTP=1"), "{text}");
    }
    for allowed in [Some("1"), Some("TRUE")] {
        let client = container(allowed).unwrap();
        assert_eq!(client.base_url(), "http://emulator:4010");
        assert_eq!(client.upload_base_url(), "http://emulator:4010");
    }
    let text = refusal(container(Some("yes please")));
    assert!(text.contains("IMAGEKIT_ALLOW_INSECURE_HTTP") && text.contains("yes please"), "{text}");
}
