//! The account: origins, URL endpoints and webhooks as records (see `records.rs`), and usage.

use super::list::query_params;
use super::records::{BASE, Fields, Resource, is_taken, text_within, unknown_key, with_times};
use super::{Reply, bad_request, invalid, is_http_url, missing};
use crate::reply::json_response;
use crate::state::State;
use crate::state::{Records, URL_ENDPOINTS as ENDPOINTS, iso8601, parse_iso8601};
use http::{Method, StatusCode};
use imagekit_core::transport::HttpResponse;
use serde_json::{Map, Value, json};

/// A 400 with a message and no `reason`, as the account API answers.
fn refuse(message: impl AsRef<str>) -> HttpResponse {
    bad_request(message.as_ref())
}

// ---------------------------------------------------------------------------------------------
// Origins

const ORIGINS_COLLECTION: &str = "origins";

/// What a setting of an origin holds.
#[derive(Clone, Copy)]
enum Holds {
    /// A string of `min..=max` characters.
    Text(usize, usize),
    Flag,
    Url,
    Email,
}

/// One setting of a kind of origin.
struct Setting {
    key: &'static str,
    holds: Holds,
    required: bool,
    /// Whether answers show it; credentials are stored and never shown.
    shown: bool,
    /// What answers show when it was not sent.
    default: Option<fn() -> Value>,
}

const fn setting(key: &'static str, holds: Holds, required: bool, shown: bool) -> Setting {
    Setting { key, holds, required, shown, default: None }
}

const UNLIMITED: usize = usize::MAX;
const FALSE: Option<fn() -> Value> = Some(|| Value::Bool(false));
const EMPTY: Option<fn() -> Value> = Some(|| Value::String(String::new()));

const CANONICAL: Setting =
    Setting { default: FALSE, ..setting("includeCanonicalHeader", Holds::Flag, false, true) };
const CANONICAL_URL: Setting = setting("baseUrlForCanonicalHeader", Holds::Url, false, true);
const BUCKET: Setting = setting("bucket", Holds::Text(1, 100), true, true);
const PREFIX: Setting = Setting { default: EMPTY, ..setting("prefix", Holds::Text(0, 100), false, true) };
const IAM_ROLE: Setting = Setting { default: FALSE, ..setting("useIAMRole", Holds::Flag, false, true) };
// Empty with an IAM role; checked in `origin_settings`.
const ACCESS_KEY: Setting = setting("accessKey", Holds::Text(0, 100), true, false);
const SECRET_KEY: Setting = setting("secretKey", Holds::Text(0, 100), true, false);
const BASE_URL: Setting = setting("baseUrl", Holds::Url, true, true);

/// Each kind of origin and its settings besides `name` and `type`, in the spec's order.
const ORIGIN_KINDS: [(&str, &[Setting]); 8] = [
    ("S3", &[CANONICAL, CANONICAL_URL, BUCKET, PREFIX, IAM_ROLE, ACCESS_KEY, SECRET_KEY]),
    (
        "S3_COMPATIBLE",
        &[
            CANONICAL,
            CANONICAL_URL,
            BUCKET,
            PREFIX,
            setting("accessKey", Holds::Text(1, 100), true, false),
            setting("secretKey", Holds::Text(1, 100), true, false),
            setting("endpoint", Holds::Url, true, true),
            Setting { default: FALSE, ..setting("s3ForcePathStyle", Holds::Flag, false, true) },
        ],
    ),
    ("CLOUDINARY_BACKUP", &[CANONICAL, CANONICAL_URL, BUCKET, PREFIX, IAM_ROLE, ACCESS_KEY, SECRET_KEY]),
    (
        "WEB_FOLDER",
        &[
            CANONICAL,
            CANONICAL_URL,
            BASE_URL,
            Setting { default: FALSE, ..setting("forwardHostHeaderToOrigin", Holds::Flag, false, true) },
        ],
    ),
    ("WEB_PROXY", &[CANONICAL, CANONICAL_URL]),
    (
        "GCS",
        &[
            CANONICAL,
            CANONICAL_URL,
            BUCKET,
            PREFIX,
            setting("clientEmail", Holds::Email, true, true),
            setting("privateKey", Holds::Text(1, UNLIMITED), true, false),
        ],
    ),
    (
        "AZURE_BLOB",
        &[
            CANONICAL,
            CANONICAL_URL,
            setting("container", Holds::Text(1, 100), true, true),
            PREFIX,
            setting("accountName", Holds::Text(1, 100), true, true),
            setting("sasToken", Holds::Text(1, UNLIMITED), true, false),
        ],
    ),
    (
        "AKENEO_PIM",
        &[
            CANONICAL,
            CANONICAL_URL,
            BASE_URL,
            // The client id and user name are not credentials, but the API does not show them.
            setting("clientId", Holds::Text(1, 100), true, false),
            setting("clientSecret", Holds::Text(1, 100), true, false),
            setting("username", Holds::Text(1, 100), true, false),
            setting("password", Holds::Text(1, 100), true, false),
        ],
    ),
];

fn origin_kind(kind: &str) -> Option<&'static [Setting]> {
    ORIGIN_KINDS.iter().find(|(name, _)| *name == kind).map(|(_, settings)| *settings)
}

pub(super) const ORIGINS: Resource = Resource {
    collection: ORIGINS_COLLECTION,
    path: &["v1", "accounts", "origins"],
    missing: "Origin not found.",
    update_method: Method::PUT,
    create: |_, body| origin_settings(body),
    // An update replaces every setting, as a create sets them.
    update: |_, _, body| origin_settings(body),
    check_delete: |records, origin| {
        let in_use = records.of(ENDPOINTS).iter().any(|e| {
            e.fields.get("origins").and_then(Value::as_array).is_some_and(|o| o.contains(&json!(origin.id)))
        });
        if in_use {
            Err(refuse(
                "Origin is used by a URL-endpoint. Remove it from the URL-endpoint before deleting it.",
            ))
        } else {
            Ok(())
        }
    },
    render: |record| {
        let kind = record.fields.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut body = Map::new();
        body.insert("id".into(), json!(record.id));
        body.insert("name".into(), record.fields.get("name").cloned().unwrap_or_default());
        body.insert("type".into(), json!(kind));
        for setting in origin_kind(kind).unwrap_or_default().iter().filter(|s| s.shown) {
            let value =
                record.fields.get(setting.key).cloned().or_else(|| setting.default.map(|make| make()));
            if let Some(value) = value {
                body.insert(setting.key.into(), value);
            }
        }
        Value::Object(body)
    },
    ..BASE
};

/// The settings of an origin, checked against its kind: what it requires, what it accepts.
fn origin_settings(body: Fields) -> Result<Fields, HttpResponse> {
    let kind = body.get("type").and_then(Value::as_str).unwrap_or_default();
    let settings = origin_kind(kind).ok_or_else(|| {
        let kinds: Vec<&str> = ORIGIN_KINDS.iter().map(|(name, _)| *name).collect();
        refuse(format!("Invalid origin type. Must be one of {}.", kinds.join(", ")))
    })?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| refuse("name is required and must be a string"))?;
    if name.is_empty() || name.len() > 100 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
        return Err(refuse("name must have 1 to 100 letters, digits or spaces"));
    }
    let mut stored = Map::new();
    stored.insert("name".into(), json!(name));
    stored.insert("type".into(), json!(kind));
    for key in body.keys().filter(|k| *k != "name" && *k != "type") {
        if !settings.iter().any(|s| s.key == key) {
            return Err(refuse(format!("{key} is not a setting of {kind} origins")));
        }
    }
    for setting in settings {
        let key = setting.key;
        let Some(value) = body.get(key).filter(|v| !v.is_null()) else {
            if setting.required {
                return Err(refuse(format!("{key} is required and must be a string")));
            }
            continue;
        };
        let fits = match setting.holds {
            Holds::Text(min, max) => text_within(value, min, max).is_some(),
            Holds::Flag => value.is_boolean(),
            Holds::Url => value.as_str().is_some_and(is_http_url),
            Holds::Email => value.as_str().is_some_and(is_email),
        };
        if !fits {
            let what = match setting.holds {
                Holds::Text(min, UNLIMITED) => format!("a string of at least {min} characters"),
                Holds::Text(min, max) => format!("a string of {min} to {max} characters"),
                Holds::Flag => "a boolean".to_owned(),
                Holds::Url => "an http(s) URL".to_owned(),
                Holds::Email => "an email address".to_owned(),
            };
            return Err(refuse(format!("{key} must be {what}")));
        }
        stored.insert(key.into(), value.clone());
    }
    // Keys or an IAM role, not both and not neither.
    if settings.iter().any(|s| s.key == "useIAMRole") {
        let iam = stored.get("useIAMRole").and_then(Value::as_bool).unwrap_or(false);
        for key in ["accessKey", "secretKey"] {
            let empty = stored.get(key).and_then(Value::as_str).is_none_or(str::is_empty);
            if iam && !empty {
                return Err(refuse(format!("{key} must be an empty string when useIAMRole is true")));
            }
            if !iam && empty {
                return Err(refuse(format!("{key} is required and must be a string")));
            }
        }
    }
    Ok(stored)
}

/// An address the spec's pattern for `clientEmail` accepts: a local part of letters, digits and
/// `_'+-.` (not starting with a dot, not ending with `'` or `.`), `@`, then dotted labels ending
/// in two or more letters; no `..` anywhere.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else { return false };
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"_'+-.".contains(&b))
        && local.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric() || b"_+-".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.split_last().is_some_and(|(top, rest)| {
            top.len() >= 2
                && top.bytes().all(|b| b.is_ascii_alphabetic())
                && rest.iter().all(|l| {
                    l.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        });
    local_ok && domain_ok && !text.contains("..")
}

// ---------------------------------------------------------------------------------------------
// URL endpoints

pub(super) const URL_ENDPOINTS: Resource = Resource {
    collection: ENDPOINTS,
    path: &["v1", "accounts", "url-endpoints"],
    missing: "URL-endpoint not found.",
    update_method: Method::PUT,
    create: |records, body| url_endpoint(records, None, body),
    update: |records, current, body| url_endpoint(records, Some(&current.id), body),
    check_delete: |_, endpoint| {
        if endpoint.id == "default" { Err(refuse("Default URL-endpoint cannot be deleted.")) } else { Ok(()) }
    },
    render: |record| {
        let mut body = Map::new();
        body.insert("id".into(), json!(record.id));
        for key in ["description", "urlPrefix", "origins", "urlRewriter"] {
            if let Some(value) = record.fields.get(key) {
                body.insert(key.into(), value.clone());
            }
        }
        Value::Object(body)
    },
    ..BASE
};

/// The settings of a URL endpoint (`id` is the one replaced, if any), checked: a description,
/// a prefix of its own (empty only for the default endpoint), origins that exist.
fn url_endpoint(records: &Records, id: Option<&str>, body: Fields) -> Result<Fields, HttpResponse> {
    if let Some(key) = unknown_key(&body, &["description", "urlPrefix", "origins", "urlRewriter"]) {
        return Err(refuse(format!("{key} is not a setting of URL-endpoints")));
    }
    let description = body
        .get("description")
        .and_then(|d| text_within(d, 1, 1000))
        .filter(|d| !d.trim().is_empty())
        .ok_or_else(|| refuse("description is required"))?;
    let prefix = match body.get("urlPrefix") {
        None | Some(Value::Null) => "",
        Some(Value::String(p)) => p,
        Some(_) => return Err(refuse("urlPrefix must be a string")),
    };
    let is_default = id == Some("default");
    if prefix.len() > 100 || !prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(refuse("urlPrefix may only hold up to 100 letters, digits and hyphens"));
    }
    match (is_default, prefix.is_empty()) {
        (false, true) => {
            return Err(refuse(
                "urlPrefix cannot be empty string. This is reserved for the default URL-endpoint created by ImageKit.",
            ));
        }
        (true, false) => return Err(refuse("The urlPrefix of the default URL-endpoint cannot be changed.")),
        _ => {}
    }
    if is_taken(records.of(ENDPOINTS), "urlPrefix", prefix, id, false) {
        return Err(refuse("Another URL-endpoint has this urlPrefix."));
    }
    let origins = match body.get("origins") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.len() <= 10 => items.clone(),
        Some(_) => return Err(refuse("origins must be a list of at most 10 origin ids")),
    };
    for (i, origin) in origins.iter().enumerate() {
        let Some(origin_id) = origin.as_str() else {
            return Err(refuse("origins must be a list of origin ids"));
        };
        if origins[..i].contains(origin) {
            return Err(refuse("origins must not list an origin twice"));
        }
        if !records.of(ORIGINS_COLLECTION).iter().any(|o| o.id == origin_id) {
            return Err(refuse(
                "Origin does not exists. Please create origin before using it in URL-endpoint.",
            ));
        }
    }
    let mut stored = Map::new();
    stored.insert("description".into(), json!(description));
    stored.insert("urlPrefix".into(), json!(prefix));
    stored.insert("origins".into(), Value::Array(origins));
    if let Some(rewriter) = body.get("urlRewriter").filter(|r| !r.is_null()) {
        stored.insert("urlRewriter".into(), url_rewriter(rewriter)?);
    }
    Ok(stored)
}

/// A rewriter of another service's URLs, with the default the answer shows for Cloudinary's.
fn url_rewriter(rewriter: &Value) -> Result<Value, HttpResponse> {
    let invalid = || refuse("urlRewriter must be {\"type\": \"CLOUDINARY\" | \"IMGIX\" | \"AKAMAI\"}");
    let map = rewriter.as_object().ok_or_else(invalid)?;
    match map.get("type").and_then(Value::as_str) {
        Some("CLOUDINARY") => {
            if unknown_key(map, &["type", "preserveAssetDeliveryTypes"]).is_some() {
                return Err(invalid());
            }
            let preserve = match map.get("preserveAssetDeliveryTypes") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(refuse("preserveAssetDeliveryTypes must be a boolean")),
            };
            Ok(json!({"type": "CLOUDINARY", "preserveAssetDeliveryTypes": preserve}))
        }
        Some(kind @ ("IMGIX" | "AKAMAI")) if map.len() == 1 => Ok(json!({"type": kind})),
        _ => Err(invalid()),
    }
}

// ---------------------------------------------------------------------------------------------
// Webhooks (in the official SDKs, not in the OpenAPI document)

/// The events a webhook can subscribe to, as the official SDKs list them.
const WEBHOOK_EVENTS: [&str; 15] = [
    "video.transformation.accepted",
    "video.transformation.ready",
    "video.transformation.error",
    "upload.pre-transform.success",
    "upload.pre-transform.error",
    "upload.post-transform.success",
    "upload.post-transform.error",
    "file.created",
    "file.updated",
    "file.deleted",
    "file-version.created",
    "file-version.deleted",
    "folder.created",
    "folder.updated",
    "folder.deleted",
];

const WEBHOOK_FIELDS: [&str; 3] = ["endpoint", "events", "enabled"];

pub(super) const WEBHOOKS: Resource = Resource {
    collection: "webhooks",
    path: &["v1", "accounts", "webhooks"],
    missing: "The requested webhook does not exist.",
    create: |records, body| {
        for key in ["endpoint", "events"] {
            if body.get(key).is_none_or(Value::is_null) {
                return Err(missing(key));
            }
        }
        let mut stored = Map::new();
        stored.insert("enabled".into(), json!(true));
        webhook(records, None, stored, body)
    },
    update: |records, current, body| {
        if WEBHOOK_FIELDS.iter().all(|k| body.get(*k).is_none_or(Value::is_null)) {
            return Err(bad_request("Your request must contain endpoint, events or enabled."));
        }
        webhook(records, Some(&current.id), current.fields.clone(), body)
    },
    render: |record| {
        let mut body = with_times(record, &WEBHOOK_FIELDS);
        body["secret"] = json!(webhook_secret(&record.id));
        body
    },
    ..BASE
};

/// The signing secret ImageKit generates for a webhook (never set through the API): derived
/// from the id, so it is stable across calls and runs.
fn webhook_secret(id: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(format!("imagekit-emulator webhook {id}"));
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(&digest[..24]))
}

/// `stored` with what `body` sets, each checked; endpoints are unique in the account.
fn webhook(
    records: &Records,
    id: Option<&str>,
    mut stored: Fields,
    body: Fields,
) -> Result<Fields, HttpResponse> {
    if let Some(key) = unknown_key(&body, &WEBHOOK_FIELDS) {
        return Err(invalid(key));
    }
    if let Some(endpoint) = body.get("endpoint").filter(|v| !v.is_null()) {
        let endpoint = endpoint
            .as_str()
            .filter(|u| u.len() <= 2048 && is_http_url(u))
            .ok_or_else(|| invalid("endpoint"))?;
        if is_taken(records.of("webhooks"), "endpoint", endpoint, id, false) {
            return Err(bad_request("A webhook with this endpoint already exists."));
        }
        stored.insert("endpoint".into(), json!(endpoint));
    }
    if let Some(events) = body.get("events").filter(|v| !v.is_null()) {
        let events = events.as_array().filter(|e| !e.is_empty()).ok_or_else(|| invalid("events"))?;
        for (i, event) in events.iter().enumerate() {
            let known = event.as_str().is_some_and(|e| WEBHOOK_EVENTS.contains(&e));
            if !known || events[..i].contains(event) {
                return Err(invalid("events"));
            }
        }
        stored.insert("events".into(), Value::Array(events.clone()));
    }
    match body.get("enabled") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(enabled)) => {
            stored.insert("enabled".into(), json!(enabled));
        }
        Some(_) => return Err(invalid("enabled")),
    }
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Usage

/// Usage reports cover less than this many days.
const USAGE_MAX_DAYS: i64 = 90;
const DAY_MS: i64 = 86_400_000;

/// `(start, end)` in milliseconds from the query's `startDate` and `endDate` (`YYYY-MM-DD`;
/// the end not before the start, less than 90 days after it).
fn usage_range(query: Option<&str>) -> Result<(i64, i64), HttpResponse> {
    let params = query_params(query);
    let param = |name: &str| params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let (Some(start), Some(end)) = (param("startDate"), param("endDate")) else {
        return Err(refuse("startDate and endDate are required in query parameters."));
    };
    // A date the clock formats back to the same text exists (no 2025-02-30).
    let day = |text: &str| {
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                matches!(i, 4 | 7) == (b == b'-') && (matches!(i, 4 | 7) || b.is_ascii_digit())
            });
        parse_iso8601(text).filter(|ms| well_formed && iso8601(*ms).starts_with(text))
    };
    let (Some(start), Some(end)) = (day(start), day(end)) else {
        return Err(refuse("startDate and endDate should be in format YYYY-MM-DD."));
    };
    if end < start {
        return Err(refuse("startDate should be before endDate."));
    }
    if end - start >= USAGE_MAX_DAYS * DAY_MS {
        return Err(refuse("startDate and endDate should be within 90 days."));
    }
    Ok((start, end))
}

/// Totals in plausible proportions: the library's size as its storage, and as if every file were
/// delivered once a day.
pub(super) fn usage(state: &State, query: Option<&str>) -> Reply {
    let (start, end) = usage_range(query)?;
    let stored = state.stored_bytes();
    let days = u64::try_from((end - start) / DAY_MS).unwrap_or_default();
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "bandwidthBytes": stored.saturating_mul(days),
            "mediaLibraryStorageBytes": stored,
            "videoProcessingUnitsCount": 0,
            "extensionUnitsCount": 0,
            "originalCacheStorageBytes": 0,
        }),
    ))
}

/// `YYYY-MM-DD` of an instant.
fn day_of(ms: i64) -> String {
    iso8601(ms).chars().take(10).collect()
}

/// The analytics the SDKs read (not in the OpenAPI document): the range, totals and cache
/// counts, made the same way as [`usage`]; every request is a cache miss, none fail.
pub(super) fn usage_analytics(state: &State, query: Option<&str>) -> Reply {
    let (start, end) = usage_range(query)?;
    let days = u64::try_from((end - start) / DAY_MS).unwrap_or_default();
    let files = state.files.len() as u64;
    let requests = files.saturating_mul(days);
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "startDate": day_of(start),
            "endDate": day_of(end),
            "bandwidthBytes": state.stored_bytes().saturating_mul(days),
            "requestCount": requests,
            "cache": {"hit": 0, "miss": requests, "errorCount": 0},
            "generatedAt": iso8601(state.now_ms),
        }),
    ))
}
