//! Each error says only its own part in `Display`; what caused it comes through `source()`, so
//! a report that walks the chain prints every cause once.

use std::error::Error as _;
use std::fmt;

use bytes::Bytes;
use imagekit_core::transport::HttpResponse;
use imagekit_core::{Error, TransportError, TransportErrorKind};

/// A wrapper as HTTP stacks make them: a little text of its own, the real cause beneath.
#[derive(Debug)]
struct ClientError(std::io::Error);

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("client error (Connect)")
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Every `Display` down the chain of `error`, outermost first.
fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut parts = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(next) = cause {
        parts.push(next.to_string());
        cause = next.source();
    }
    parts
}

fn assert_each_cause_once(error: &Error) {
    let parts = chain(error);
    for (i, outer) in parts.iter().enumerate() {
        for inner in &parts[i + 1..] {
            assert!(!outer.contains(inner.as_str()), "{outer:?} repeats its cause {inner:?}");
        }
    }
    let report = error.report().to_string();
    assert_eq!(report, parts.join(": "));
    for part in &parts {
        assert_eq!(report.matches(part.as_str()).count(), 1, "{part:?} in {report:?}");
    }
}

#[test]
fn a_nested_transport_error_prints_each_cause_once() {
    let refused =
        std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused (os error 111)");
    let error = Error::Transport(TransportError::connect(ClientError(refused)));
    assert_eq!(error.to_string(), "could not connect");
    assert_eq!(
        chain(&error),
        ["could not connect", "client error (Connect)", "connection refused (os error 111)"]
    );
    assert_each_cause_once(&error);

    let described = Error::Transport(TransportError::with_message(
        TransportErrorKind::Timeout,
        "no answer within 200 ms",
    ));
    assert_eq!(described.to_string(), "timed out: no answer within 200 ms");
    assert!(described.source().is_none());
    assert_each_cause_once(&described);
}

#[test]
fn a_decode_error_leaves_the_json_error_to_its_source() {
    let get = imagekit_core::Config::builder().private_key("k").build().unwrap();
    let get = get.files().get("f").unwrap();
    let error = get.parse(HttpResponse::new(Bytes::from_static(br#"{"fileId": 5}"#))).unwrap_err();
    let own = error.to_string();
    let json = error.source().expect("the JSON error").to_string();
    assert!(own.contains("fileId") && !own.contains(&json), "{own:?} / {json:?}");
    assert_each_cause_once(&error);
}

#[test]
fn api_errors_quote_the_server_cut_and_escaped() {
    let hostile = format!("bad\u{1b}[31m\nFAKE LOG LINE {}", "x".repeat(5 * 1024 * 1024));
    let body = serde_json::to_vec(&serde_json::json!({"message": hostile})).unwrap();
    let response = http::Response::builder().status(400).body(Bytes::from(body)).unwrap();
    let get = imagekit_core::Config::builder().private_key("k").build().unwrap().files().get("f").unwrap();
    let error = get.parse(response).unwrap_err();
    let shown = error.to_string();
    assert!(shown.len() < 1024, "{} bytes", shown.len());
    assert!(!shown.contains('\n') && !shown.contains('\u{1b}'), "{shown:?}");
    assert!(shown.contains("bad\\u{1b}[31m\\nFAKE LOG LINE"), "{shown:?}");
    // The raw answer is all still there.
    assert_eq!(error.as_api().unwrap().message().unwrap().len(), hostile.len());
    assert_each_cause_once(&error);
}
