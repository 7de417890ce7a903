//! The smallest real use of `imagekit-fetch`, to measure what it adds to a page or a Worker:
//! one exported function each to get a file version, sign a delivery URL and verify a
//! webhook. `.ci/run` builds it in release for `wasm32-unknown-unknown`, runs
//! `wasm-bindgen --target web` on it and prints the gzipped size of the `.wasm`.
//!
//! ```text
//! cargo build --release --target wasm32-unknown-unknown -p imagekit-fetch --example wasm-size
//! ```
//!
//! On other targets it is empty: the crate's API exists on wasm32 only.
#![cfg(target_arch = "wasm32")]

use imagekit_core::Clock as _;
use imagekit_core::url::{SrcOptions, Transformation};
use wasm_bindgen::prelude::*;

/// The details of one version of a file, as JSON.
#[wasm_bindgen]
pub async fn get_file_version(
    base_url: String,
    private_key: String,
    file_id: String,
    version_id: String,
) -> Result<String, JsError> {
    // The report carries the causes too (for fetch failures, what the host said).
    let report = |e: imagekit_core::Error| JsError::new(&e.report().to_string());
    let client =
        imagekit_fetch::builder().private_key(private_key).base_url(base_url).build().map_err(report)?;
    let version = client.files().versions().get(&file_id, &version_id).await.map_err(report)?;
    Ok(serde_json::to_string(&version)?)
}

/// A delivery URL of `src` at `width` pixels, signed to expire in `expires_in` seconds.
#[wasm_bindgen]
pub fn sign_url(
    private_key: &str,
    url_endpoint: &str,
    src: &str,
    width: u32,
    expires_in: u32,
) -> Result<String, JsError> {
    let client = imagekit_fetch::client(private_key)?;
    let options = SrcOptions::new(url_endpoint, src)
        .transformation(Transformation::new().width(width))
        .signed(true)
        .expires_in(u64::from(expires_in));
    Ok(client.helper().build_src(&options)?)
}

/// The event type of a webhook whose signature and age check out.
#[wasm_bindgen]
pub fn verify_webhook(
    secret: &str,
    webhook_id: &str,
    timestamp: &str,
    signature: &str,
    body: &str,
) -> Result<String, JsError> {
    let mut headers = http::HeaderMap::new();
    headers.insert("webhook-id", webhook_id.parse()?);
    headers.insert("webhook-timestamp", timestamp.parse()?);
    headers.insert("webhook-signature", signature.parse()?);
    let mut verifier = imagekit_core::webhook::WebhookVerifier::new(secret);
    if let Some(now) = imagekit_fetch::DateClock.now_unix() {
        verifier = verifier.now_unix(now);
    }
    let verified = verifier.verify(&headers, body)?;
    Ok(verified.event.event_type().to_owned())
}
