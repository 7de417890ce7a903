//! Webhook verification and event decoding. Any headers and body: an answer, never a panic.
//! Differential: a body signed with the secret (either scheme) verifies, and the same signature
//! over any other body does not.
#![no_main]

use http::{HeaderMap, HeaderValue};
use imagekit_core::webhook::{WebhookError, WebhookVerifier, parse_event};
use imagekit_mock::webhooks::{sign_legacy, sign_standard};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "whsec_ZnV6emluZy1zZWNyZXQ=";
const NOW: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let verifier = WebhookVerifier::new(SECRET).now_unix(NOW);
    // Any event body decodes to an event or an error.
    let _ = parse_event(data);
    // Headers from the input's first lines, body the rest.
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(4, '\n');
    let mut headers = HeaderMap::new();
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        if let Some(value) = lines.next().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    }
    let body = lines.next().unwrap_or_default().as_bytes();
    let _ = verifier.verify(&headers, body);
    if let Some(value) = headers.remove("webhook-signature") {
        headers.insert("x-ik-signature", value);
        let _ = verifier.verify(&headers, body);
    }

    // A signed body passes the signature check (it may still fail as an event: a payload that
    // is not one), and the same signature over another body does not.
    let signature_ok =
        |outcome: Result<_, WebhookError>| !matches!(outcome, Err(WebhookError::SignatureMismatch));
    let signed = sign_standard(SECRET, "msg_fuzz", NOW, data);
    assert!(signature_ok(verifier.verify(&signed, data)), "a signed body was refused");
    let legacy = sign_legacy(SECRET, NOW * 1000, data);
    assert!(signature_ok(verifier.verify(&legacy, data)), "a legacy-signed body was refused");
    let mut other = data.to_vec();
    match other.first_mut() {
        Some(first) => *first ^= 1,
        None => other.push(0),
    }
    assert!(!signature_ok(verifier.verify(&signed, &other)), "a signature verified another body");
    assert!(!signature_ok(verifier.verify(&legacy, &other)), "a legacy signature verified another body");
});
