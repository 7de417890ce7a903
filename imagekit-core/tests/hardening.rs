//! Regression tests for what an adversarial review of the client found: each probe as it was
//! run, and what it gets now.

use std::time::Duration;

use bytes::Bytes;
use imagekit_core::models::UploadOutcome;
use imagekit_core::upload::Multipart;
use imagekit_core::url::{SrcOptions, UrlBuilder};
use imagekit_core::{Client, Config, Error, UploadSource};
use imagekit_mock::{ScriptedTransport, fixtures};

const ENDPOINT: &str = "https://ik.imagekit.io/demo";
const NOW: u64 = 1_700_000_000;

fn signer() -> UrlBuilder {
    UrlBuilder::new("private_key").now_unix(NOW)
}

fn signed(src: &str) -> SrcOptions {
    SrcOptions::new(ENDPOINT, src).signed(true)
}

fn refused_field(result: Result<String, imagekit_core::url::UrlError>) -> String {
    match result {
        Err(imagekit_core::url::UrlError::InvalidOption { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// `/user123/%2e%2e/admin/secret.jpg` was signed as `/admin/secret.jpg`: a signature for one
/// user's folder opened another's.
#[test]
fn signing_refuses_dot_segments_and_backslashes() {
    for src in [
        "/user123/../admin/secret.jpg",
        "/user123/%2e%2e/admin/secret.jpg",
        "/user123/.%2E/admin/secret.jpg",
        "/user123/./secret.jpg",
        "/user123/..\\admin/secret.jpg",
        "/user123\\..\\admin/secret.jpg",
        "https://ik.imagekit.io/demo/user123/%2E%2E/admin/secret.jpg",
    ] {
        assert_eq!(refused_field(signer().build_src(&signed(src))), "src", "{src}");
    }
    // Unsigned URLs and names that merely contain dots are untouched.
    assert!(signer().build_src(&SrcOptions::new(ENDPOINT, "/a/../b.jpg")).is_ok());
    assert!(signer().build_src(&signed("/a/..b/c..d/...jpg")).is_ok());

    // The opt-out signs as the SDKs do: the dot segment resolved, the same signature.
    let lenient = signer().lenient_signing(true);
    let tricked = lenient.build_src(&signed("/user123/%2e%2e/admin/secret.jpg")).unwrap();
    let direct = lenient.build_src(&signed("/admin/secret.jpg")).unwrap();
    assert_eq!(tricked, direct);
}

/// An absolute src on another host, or one `..` moved outside the endpoint, was signed over
/// the whole URL.
#[test]
fn signing_refuses_urls_not_under_the_endpoint() {
    for src in [
        "https://evil.example/demo/a.jpg",
        "https://ik.imagekit.io/other/a.jpg",
        "https://ik.imagekit.io/demonstration/a.jpg",
    ] {
        assert_eq!(refused_field(signer().build_src(&signed(src))), "src", "{src}");
    }
    assert!(signer().build_src(&signed("https://ik.imagekit.io/demo/a.jpg")).is_ok());
    assert!(signer().lenient_signing(true).build_src(&signed("https://evil.example/a.jpg")).is_ok());
}

/// `ik-t`/`ik-s` passed as query parameters stood beside the real ones.
#[test]
fn signing_refuses_the_signature_parameter_names() {
    let options = signed("/a.jpg").query_parameter("ik-t", "9999999999").query_parameter("ik-s", "deadbeef");
    assert_eq!(refused_field(signer().build_src(&options)), "queryParameters.ik-t");
    let options = signed("/a.jpg").query_parameter("IK-S", "x");
    assert_eq!(refused_field(signer().build_src(&options)), "queryParameters.IK-S");
    let absolute = signed("https://ik.imagekit.io/demo/a.jpg?ik-t=9999999999");
    assert_eq!(refused_field(signer().build_src(&absolute)), "src");
}

/// When now + expiresIn was exactly 9999999999, `ik-t` was dropped and the URL never expired.
#[test]
fn an_asked_expiry_is_never_signed_as_no_expiry() {
    let options = signed("/a.jpg").expires_in(9_999_999_999 - NOW);
    assert_eq!(refused_field(signer().build_src(&options)), "expiresIn");
    let url = signer().build_src(&signed("/a.jpg").expires_in(60)).unwrap();
    assert!(url.contains(&format!("ik-t={}", NOW + 60)), "{url}");
}

fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key("private_k")
        .transport(transport.clone())
        .retry_policy(imagekit_core::RetryPolicy::none())
        .build()
        .unwrap()
}

/// A content type with CR LF put a second `fileName` field on the wire.
#[tokio::test]
async fn form_part_headers_refuse_control_characters() {
    let transport = ScriptedTransport::new();
    let client = client(&transport);
    let injected = "image/png\r\nContent-Disposition: form-data; name=\"fileName\"\r\nX-Injected: yes";
    let upload = client.files().upload(UploadSource::bytes("abc"), "a.png").content_type(injected);
    match upload.await {
        Err(Error::InvalidInput(e)) => assert_eq!(e.parameter(), "content_type"),
        other => panic!("expected the content type refused, got {other:?}"),
    }
    let upload = client.files().upload(UploadSource::bytes("abc"), "a\r\nb.png");
    match upload.await {
        Err(Error::InvalidInput(e)) => assert_eq!(e.parameter(), "fileName"),
        other => panic!("expected the file name refused, got {other:?}"),
    }
    assert_eq!(transport.request_count(), 0, "nothing was sent");

    // A name with quotes is encoded, not refused, and stays one part.
    transport.push_response(fixtures::ok(fixtures::uploaded("x", "/", 3)));
    let outcome =
        client.files().upload(UploadSource::bytes("abc"), "a\"; name=\"fileName.png").await.unwrap();
    assert!(matches!(outcome, UploadOutcome::Uploaded(_)));
    let parts = transport.last_request().unwrap().form_parts().unwrap();
    assert_eq!(parts.iter().filter(|p| p.name == "fileName").count(), 1);
    assert_eq!(parts.iter().filter(|p| p.name == "file").count(), 1);
}

/// A field value holding the boundary injected a part; `with_boundary` took anything.
#[test]
fn the_boundary_never_occurs_in_a_field() {
    assert!(Multipart::with_boundary("").is_err());
    assert!(Multipart::with_boundary("a\r\nb").is_err());
    assert!(Multipart::with_boundary("x".repeat(71)).is_err());
    assert!(Multipart::with_boundary("ends with space ").is_err());
    let chosen = "fixed-boundary";
    let hostile = format!("--{chosen}\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\nevil.png");
    let form = Multipart::with_boundary(chosen).unwrap().text("folder", hostile.clone());
    assert_ne!(form.boundary(), chosen, "a new boundary is drawn when a field holds the old one");
    let body = form.to_bytes().unwrap();
    let parts = imagekit_mock::multipart::parse(&form.content_type(), &body).unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].text(), hostile);

    // Without a random source the fallback boundary still keeps out of the fields.
    let form = Multipart::with_random(None).text("a", "b");
    assert!(form.boundary().starts_with("imagekit-rs-"));
    let failing: std::sync::Arc<dyn imagekit_core::runtime::Random> =
        std::sync::Arc::new(|_: &mut [u8]| false);
    let form = Multipart::with_random(Some(failing)).text("a", "b");
    assert!(form.boundary().starts_with("imagekit-rs-"));
}

/// `base_url("https://user:pass@host")` was accepted and `user:pass` showed in `Debug`; a
/// non-ASCII user agent was accepted although the message said ASCII only.
#[test]
fn base_urls_refuse_credentials_and_user_agents_are_ascii() {
    let built = Config::builder().private_key("k").base_url("https://user:hunter2@api.example.com").build();
    let error = built.unwrap_err();
    assert!(error.to_string().contains("credentials") && !error.to_string().contains("hunter2"), "{error}");
    let built = Config::builder().private_key("k").user_agent("uä").build();
    assert!(built.unwrap_err().to_string().contains("visible ASCII"));
    assert!(Config::builder().private_key("k").user_agent("my-tool/1.0 (ops)").build().is_ok());
}

/// A mistyped `http://api.imagekit.io` sent the key in cleartext.
#[test]
fn cleartext_base_urls_are_refused_unless_loopback_or_allowed() {
    let refused = Config::builder().private_key("k").base_url("http://api.imagekit.io").build().unwrap_err();
    let text = refused.to_string();
    assert!(text.contains("http://api.imagekit.io") && text.contains("allow_insecure_http"), "{text}");
    for local in ["http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010"] {
        assert!(Config::builder().private_key("k").base_url(local).build().is_ok(), "{local}");
    }
    let allowed =
        Config::builder().private_key("k").base_url("http://api.internal").allow_insecure_http(true).build();
    assert!(allowed.is_ok());
}

/// A 400 with a 5 MB message full of escapes printed it all, escapes included.
#[test]
fn server_text_in_errors_is_cut_and_escaped() {
    let message = format!("\u{1b}]0;pwned\u{7}\nline two {}", "y".repeat(5_000_000));
    let body = serde_json::to_vec(&serde_json::json!({"message": message, "reason": "\r\nX"})).unwrap();
    let response = http::Response::builder().status(400).body(Bytes::from(body)).unwrap();
    let config = Config::builder().private_key("k").build().unwrap();
    let error = config.files().get("f").unwrap().parse(response).unwrap_err();
    let shown = error.to_string();
    assert!(shown.len() < 2048, "{}", shown.len());
    assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
    assert_eq!(error.as_api().unwrap().message(), Some(message.as_str()), "the raw text is kept");
    let debug = format!("{error:?}");
    assert!(debug.len() < 4096 && !debug.contains('\u{1b}'), "Debug is cut too: {} bytes", debug.len());
}

/// A call that asked for a deadline on a client that cannot time one must not run unbounded.
#[tokio::test]
async fn a_deadline_holds_on_a_client_built_over_its_own_transport() {
    #[derive(Debug)]
    struct Slow;
    impl imagekit_core::HttpTransport for Slow {
        async fn send(
            &self,
            _: imagekit_core::transport::HttpRequest,
            _: imagekit_core::transport::RequestOptions,
        ) -> Result<imagekit_core::transport::HttpResponse, imagekit_core::TransportError> {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            Ok(fixtures::ok(fixtures::file()))
        }
    }
    let client = Client::builder().private_key("k").transport(Slow).build().unwrap();
    let started = std::time::Instant::now();
    let error = client.files().get("f").deadline(Duration::from_millis(100)).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_millis(1000), "{:?}", started.elapsed());
}
