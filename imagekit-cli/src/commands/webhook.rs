//! `imagekit webhook verify`: a webhook's body on stdin, its headers from the options.

use std::io::Read as _;

use http::{HeaderMap, HeaderName, HeaderValue};
use imagekit_core::config::ENV_WEBHOOK_SECRET;
use imagekit_core::webhook::WebhookVerifier;

use crate::args::Verify;
use crate::failure::{Failure, escape};
use crate::output;

/// The most bytes read from stdin: far above any webhook ImageKit sends, and a bound on what a
/// mistaken pipe can make the tool hold.
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// Verifies with the library's `WebhookVerifier` (either scheme, 5 minutes of tolerance).
/// A refused webhook exits 1; a missing secret or a malformed option exits 2.
pub(crate) fn run(args: &Verify, json: bool) -> Result<(), Failure> {
    let secret_env = args.secret_env.as_deref().unwrap_or(ENV_WEBHOOK_SECRET);
    let secret = std::env::var(secret_env).ok().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        Failure::usage(format!("{secret_env} is not set: export the webhook secret (whsec_...) in it"))
    })?;
    let headers = headers(args)?;
    let mut body = Vec::new();
    std::io::stdin()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|error| Failure::usage(format!("cannot read the body from standard input: {error}")))?;
    if body.len() as u64 > MAX_BODY {
        return Err(Failure::usage(format!("the body on standard input is over {MAX_BODY} bytes")));
    }
    let verified = WebhookVerifier::new(secret.trim())
        .verify(&headers, &body)
        .map_err(|error| Failure::failed(format!("webhook refused: {error}")))?;
    if json {
        return output::json(&verified.raw);
    }
    let id = verified.raw.get("id").and_then(|id| id.as_str());
    output::line(format!("{} {}", escape(verified.event.event_type()), escape(id.unwrap_or("-"))))
}

/// The headers from `--header` and the dedicated options (which win).
fn headers(args: &Verify) -> Result<HeaderMap, Failure> {
    let mut headers = HeaderMap::new();
    let mut insert = |name: &str, value: &str| -> Result<(), Failure> {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| Failure::usage(format!("{:?} is not a header name", escape(name))))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| Failure::usage(format!("the value of {name} is not a header value")))?;
        headers.insert(name, value);
        Ok(())
    };
    for header in &args.headers {
        let (name, value) = header.split_once(':').ok_or_else(|| {
            Failure::usage(format!("--header {:?}: expected 'Name: value'", escape(header)))
        })?;
        insert(name, value)?;
    }
    let dedicated = [
        ("webhook-id", &args.id),
        ("webhook-timestamp", &args.timestamp),
        ("webhook-signature", &args.signature),
        ("x-ik-signature", &args.legacy_signature),
    ];
    for (name, value) in dedicated {
        if let Some(value) = value {
            insert(name, value)?;
        }
    }
    Ok(headers)
}
