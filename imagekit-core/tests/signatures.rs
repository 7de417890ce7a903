//! Upload-auth, webhook and pHash vectors from `tests/vectors/signatures-misc.json` (where they
//! came from is written in the file).
//!
//! Read at test time; a missing file fails.

use imagekit_core::phash;
use imagekit_core::url::sign_upload_params;
use imagekit_core::webhook::{WebhookError, WebhookEvent, WebhookScheme, WebhookVerifier};
use serde_json::Value;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/signatures-misc.json");

fn load() -> Vec<Value> {
    let text = std::fs::read_to_string(VECTORS)
        .unwrap_or_else(|e| panic!("cannot read the signature test vectors at {VECTORS}: {e}"));
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{VECTORS} is not valid JSON: {e}"));
    let vectors =
        doc["vectors"].as_array().unwrap_or_else(|| panic!("{VECTORS} has no `vectors` array")).clone();
    assert!(!vectors.is_empty(), "no vectors in {VECTORS}");
    vectors
}

fn s<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v[key].as_str().ok_or_else(|| format!("vector has no string `{key}`"))
}

fn headers(pairs: &[(&str, &str)]) -> Result<http::HeaderMap, String> {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
        map.insert(name, value.parse().map_err(|e| format!("{e}"))?);
    }
    Ok(map)
}

fn upload_auth(v: &Value) -> Result<(), String> {
    let token = s(&v["input"], "token")?;
    let expire = v["input"]["expire"].as_u64().ok_or("no expire")?;
    let got = sign_upload_params(s(v, "private_key")?, token, expire);
    let want = s(&v["expected"], "signature")?;
    (got == want).then_some(()).ok_or(format!("got {got}, want {want}"))
}

fn legacy_webhook(v: &Value) -> Result<(), String> {
    let secret = s(v, "secret")?;
    let body = s(v, "raw_body")?;
    let header_value = s(v, "header_value")?;
    let want_ms = v["expected"]["timestamp_ms"].as_u64().ok_or("no timestamp_ms")?;
    if v["expected"]["valid"] != true {
        return Err("only valid legacy vectors are understood; extend this test".into());
    }
    let now = want_ms / 1000 + 30;
    let verifier = WebhookVerifier::new(secret).now_unix(now);

    let map = headers(&[(s(v, "header_name")?, header_value)])?;
    let verified = verifier.verify(&map, body).map_err(|e| format!("verify: {e}"))?;
    if verified.scheme != WebhookScheme::Legacy || verified.timestamp_ms != want_ms {
        return Err(format!("wrong scheme/timestamp: {verified:?}"));
    }
    if verified.event.event_type() != "video.transformation.accepted" {
        return Err(format!("wrong event {:?}", verified.event));
    }
    if let WebhookEvent::VideoTransformationAccepted(event) = &verified.event {
        let url = event.request.as_ref().and_then(|r| r.url.as_deref());
        if url != Some("http://ik.imagekit.io/demo/sample-video.mp4?tr=f-webm,q-10") {
            return Err(format!("request url not parsed: {url:?}"));
        }
    }
    // The &str entry point agrees.
    verifier.verify_legacy(header_value, body).map_err(|e| format!("verify_legacy: {e}"))?;

    // And it refuses what it must refuse.
    let tampered = body.replacen("webm", "webp", 1);
    expect_err(verifier.verify(&map, tampered), WebhookError::SignatureMismatch)?;
    expect_err(
        WebhookVerifier::new("whsec_wrong").now_unix(now).verify(&map, body),
        WebhookError::SignatureMismatch,
    )?;
    match WebhookVerifier::new(secret).now_unix(now + 3600).verify(&map, body) {
        Err(WebhookError::TimestampOutOfTolerance { .. }) => Ok(()),
        other => Err(format!("an hour-old webhook was not refused: {other:?}")),
    }
}

fn standard_webhook(v: &Value) -> Result<(), String> {
    let secret = s(v, "secret")?;
    let body = s(v, "raw_body")?;
    let h = &v["headers"];
    let (id, ts, sig) = (s(h, "webhook-id")?, s(h, "webhook-timestamp")?, s(h, "webhook-signature")?);
    let now: u64 = ts.parse().map_err(|_| "bad timestamp")?;
    let verifier = WebhookVerifier::new(secret).now_unix(now);
    let map = headers(&[("webhook-id", id), ("webhook-timestamp", ts), ("webhook-signature", sig)])?;

    let verified = verifier.verify(&map, body).map_err(|e| format!("verify: {e}"))?;
    if verified.scheme != WebhookScheme::Standard
        || verified.webhook_id.as_deref() != Some(id)
        || verified.timestamp_ms != now * 1000
    {
        return Err(format!("wrong metadata: {verified:?}"));
    }
    match &verified.event {
        WebhookEvent::FileDeleted(e) if e.data.file_id == "598821f949c0a938d57563bd" => {}
        other => return Err(format!("wrong event {other:?}")),
    }
    verifier.verify_standard(id, ts, sig, body).map_err(|e| format!("verify_standard: {e}"))?;
    // Several signatures may be sent; one valid among them is enough.
    verifier
        .verify_standard(id, ts, &format!("v1,AAAA {sig}"), body)
        .map_err(|e| format!("multi-signature header: {e}"))?;

    // The key is the raw secret, not its base64-decoded tail: the spec-style signature fails.
    let counter =
        s(&v["counter_example"], "signature_if_key_were_base64_decoded_per_standard_webhooks_spec")?;
    if v["counter_example"]["accepted_by_sdk"] != false {
        return Err("counter example is expected to be rejected".into());
    }
    expect_err(verifier.verify_standard(id, ts, counter, body), WebhookError::SignatureMismatch)?;
    expect_err(verifier.verify_standard(id, ts, sig, format!("{body} ")), WebhookError::SignatureMismatch)?;
    expect_err(verifier.verify_standard("msg_other", ts, sig, body), WebhookError::SignatureMismatch)?;
    match WebhookVerifier::new(secret).now_unix(now - 301).verify(&map, body) {
        Err(WebhookError::TimestampOutOfTolerance { .. }) => {}
        other => {
            return Err(format!("a webhook from the future was not refused: {other:?}"));
        }
    }
    WebhookVerifier::new(secret)
        .now_unix(now + 300)
        .verify(&map, body)
        .map(|_| ())
        .map_err(|e| format!("a webhook exactly at the tolerance was refused: {e}"))
}

fn expect_err<T: std::fmt::Debug>(r: Result<T, WebhookError>, want: WebhookError) -> Result<(), String> {
    match r {
        Err(e) if e == want => Ok(()),
        other => Err(format!("expected {want:?}, got {other:?}")),
    }
}

fn phash_distance(v: &Value) -> Result<(), String> {
    let a = v["input"][0].as_str().ok_or("no first hash")?;
    let b = v["input"][1].as_str().ok_or("no second hash")?;
    let want = v["expected"].as_u64().ok_or("no expected distance")?;
    let got = phash::distance(a, b).map_err(|e| e.to_string())?;
    // Symmetric, and case does not matter.
    let swapped = phash::distance(&b.to_uppercase(), a).map_err(|e| e.to_string())?;
    (u64::from(got) == want && got == swapped)
        .then_some(())
        .ok_or(format!("got {got} / {swapped}, want {want}"))
}

#[test]
fn all_signature_webhook_and_phash_vectors_pass() {
    let vectors = load();
    let mut failures = Vec::new();
    let mut passed: std::collections::BTreeMap<String, usize> = Default::default();
    for v in &vectors {
        let kind = v["kind"].as_str().unwrap_or("");
        let result = match kind {
            "upload_v1_authentication_parameters" => upload_auth(v),
            "webhook_signature_legacy_x_ik_signature" => legacy_webhook(v),
            "webhook_signature_standard_webhooks_as_used_by_imagekit_sdks_v7" => standard_webhook(v),
            "phash_distance" => phash_distance(v),
            other => Err(format!("unknown vector kind {other:?}: extend this test")),
        };
        match result {
            Ok(()) => *passed.entry(kind.to_owned()).or_default() += 1,
            Err(why) => failures.push(format!("{}: {why}", v["id"].as_str().unwrap_or("?"))),
        }
    }
    for (kind, n) in &passed {
        println!("{kind}: {n} passed");
    }
    println!("signature vectors: {} of {} passed", vectors.len() - failures.len(), vectors.len());
    assert!(failures.is_empty(), "failed vectors:\n{}", failures.join("\n"));
}

#[test]
fn missing_headers_are_reported_by_name() {
    let verifier = WebhookVerifier::new("whsec_x").now_unix(1);
    let err = verifier.verify(&http::HeaderMap::new(), "{}").unwrap_err();
    assert_eq!(err, WebhookError::MissingHeader { name: "webhook-signature" });
    let map = headers(&[("webhook-signature", "v1,AAAA"), ("webhook-id", "m")]).unwrap();
    let err = verifier.verify(&map, "{}").unwrap_err();
    assert_eq!(err, WebhookError::MissingHeader { name: "webhook-timestamp" });
    let err = verifier.verify_legacy("v1=00", "{}").unwrap_err();
    assert!(err.to_string().contains("x-ik-signature"), "{err}");
    let err = WebhookVerifier::new("").now_unix(1).verify_standard("m", "1", "v1,AA==", "{}");
    assert_eq!(err.unwrap_err(), WebhookError::EmptySecret);
}
