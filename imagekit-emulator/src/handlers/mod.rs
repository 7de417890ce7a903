//! Routing and the handlers of every endpoint the emulator answers.
//!
//! Handlers return `Result<HttpResponse, HttpResponse>`: the error is the API's error answer,
//! built once per request and sent as it is, so boxing it would only add noise.
#![allow(clippy::result_large_err)]

use base64::Engine as _;
use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, Method, StatusCode};
use imagekit_core::transport::HttpResponse;
use serde_json::{Map, Value, json};

use crate::faults::{FaultRule, RequestRecord};
use crate::multipart;
use crate::state::{FileRecord, State, Version, normalise_folder};

/// The `help` text of every error answer.
pub(crate) use crate::reply::{HELP, error, json_response};
const FILE_MISSING: &str = "The requested file does not exist.";
const VERSION_MISSING: &str = "The requested file version does not exist.";
const FILES_MISSING: &str = "The requested file(s) does not exist.";
/// The most tag characters a file can carry, all tags together.
const TAGS_MAX_CHARS: usize = 500;

mod account;
mod definitions;
mod files;
mod folders;
mod list;
mod records;
mod upload;

use account::{usage, usage_analytics};
use files::{
    TagOp, bulk_delete, bulk_tags, copy_file, delete_file, delete_version, details, get_version,
    list_versions, metadata, rename_file, restore_version, update_details,
};
use folders::{FolderOp, create_folder, delete_folder, folder_job, job_status, purge, purge_status};
use list::list;
use upload::upload;

type Reply = Result<HttpResponse, HttpResponse>;

/// A JSON answer.
/// An answer without a body (204).
fn no_content() -> HttpResponse {
    let mut response = HttpResponse::new(Bytes::new());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// `{message, help, reason}` with this status.
fn error_reason(status: StatusCode, message: &str, reason: &str) -> HttpResponse {
    json_response(status, &json!({"message": message, "help": HELP, "reason": reason}))
}

fn bad_request(message: &str) -> HttpResponse {
    error(StatusCode::BAD_REQUEST, message)
}

fn missing(name: &str) -> HttpResponse {
    error_reason(
        StatusCode::BAD_REQUEST,
        &format!("Your request is missing the {name} parameter."),
        "MISSING_PARAMETER",
    )
}

fn invalid(name: &str) -> HttpResponse {
    error_reason(
        StatusCode::BAD_REQUEST,
        &format!("Your request contains invalid {name} parameter."),
        "INVALID_PARAMETER",
    )
}

/// Answers one request. `state` is locked for the whole call, so requests are serialised.
/// Every record-style resource the emulator answers (see `records.rs`).
const RECORD_RESOURCES: [&records::Resource; 6] = [
    &definitions::CUSTOM_METADATA_FIELDS,
    &definitions::SAVED_EXTENSIONS,
    &definitions::NAMED_TRANSFORMATIONS,
    &account::ORIGINS,
    &account::URL_ENDPOINTS,
    &account::WEBHOOKS,
];

/// A request as the router reads it, its form (if multipart) already read.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a Bytes,
    pub(crate) form: &'a multipart::ReadForm,
}

pub(crate) fn route(state: &mut State, request: &Incoming<'_>) -> HttpResponse {
    let Incoming { method, path, query, headers, body, form } = *request;
    let segments = path_segments(path);
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    if routes_to_admin(&segments) {
        return admin(state, method, &segments[1..], body);
    }
    let is_upload = matches!(segments.as_slice(), ["api", "v1" | "v2", "files", "upload"]);
    if !is_upload {
        if let Err(answer) = check_basic_auth(state, headers) {
            return answer;
        }
    }
    let result = match (method.clone(), segments.as_slice()) {
        (Method::POST, ["api", version, "files", "upload"]) => upload(state, version, headers, form),
        (Method::GET, ["v1", "files"]) => list(state, query),
        (Method::GET, ["v1", "files", id, "details"]) => details(state, id),
        (Method::PATCH, ["v1", "files", id, "details"]) => update_details(state, id, body),
        (Method::GET, ["v1", "files", id, "metadata"]) => metadata(state, id),
        (Method::GET, ["v1", "files", id, "versions"]) => list_versions(state, id),
        (Method::GET, ["v1", "files", id, "versions", v]) => get_version(state, id, v),
        (Method::DELETE, ["v1", "files", id, "versions", v]) => delete_version(state, id, v),
        (Method::PUT, ["v1", "files", id, "versions", v, "restore"]) => restore_version(state, id, v),
        (Method::POST, ["v1", "files", "batch", "deleteByFileIds"]) => bulk_delete(state, body),
        (Method::POST, ["v1", "files", "copy"]) => copy_file(state, body, false),
        (Method::POST, ["v1", "files", "move"]) => copy_file(state, body, true),
        (Method::PUT, ["v1", "files", "rename"]) => rename_file(state, body),
        (Method::POST, ["v1", "files", "addTags"]) => bulk_tags(state, body, TagOp::Add),
        (Method::POST, ["v1", "files", "removeTags"]) => bulk_tags(state, body, TagOp::Remove),
        (Method::POST, ["v1", "files", "removeAITags"]) => bulk_tags(state, body, TagOp::RemoveAi),
        (Method::POST, ["v1", "files", "purge"]) => purge(state, body),
        (Method::GET, ["v1", "files", "purge", id]) => purge_status(state, id),
        (Method::DELETE, ["v1", "files", id]) => delete_file(state, id),
        (Method::POST, ["v1", "folder"]) => create_folder(state, body),
        (Method::DELETE, ["v1", "folder"]) => delete_folder(state, body),
        (Method::POST, ["v1", "bulkJobs", "copyFolder"]) => folder_job(state, body, FolderOp::Copy),
        (Method::POST, ["v1", "bulkJobs", "moveFolder"]) => folder_job(state, body, FolderOp::Move),
        (Method::POST, ["v1", "bulkJobs", "renameFolder"]) => folder_job(state, body, FolderOp::Rename),
        (Method::GET, ["v1", "bulkJobs", id]) => job_status(state, id),
        (Method::GET, ["v1", "accounts", "usage"]) => usage(state, query),
        (Method::GET, ["v1", "accounts", "usage-analytics"]) => usage_analytics(state, query),
        _ => records::route(state, &RECORD_RESOURCES, method, &segments, query, body)
            .unwrap_or_else(|| Err(error(StatusCode::NOT_FOUND, "The requested resource does not exist."))),
    };
    result.unwrap_or_else(|answer| answer)
}

/// Whether the router sends a path of these segments to the admin endpoints: what the server's
/// guard ([`is_admin_path`]) must agree with for every path.
pub(crate) fn routes_to_admin(segments: &[&str]) -> bool {
    segments.first() == Some(&ADMIN_SEGMENT)
}

/// [`routes_to_admin`] for a raw path, as the router reads it.
#[cfg(feature = "fuzzing")]
pub(crate) fn path_routes_to_admin(path: &str) -> bool {
    let segments = path_segments(path);
    routes_to_admin(&segments.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The first path segment of the emulator's own endpoints (`/__emulator/...`).
const ADMIN_SEGMENT: &str = "__emulator";

/// A path as the router reads it: empty segments dropped, each segment percent-decoded.
fn path_segments(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect()
}

/// Whether the router sends `path` to the admin endpoints. The server's guard and the request
/// log ask this, never the raw path, so `//__emulator` or `/%5F%5Femulator` cannot reach an
/// admin handler without passing the guard.
pub(crate) fn is_admin_path(path: &str) -> bool {
    path.split('/').find(|s| !s.is_empty()).is_some_and(|first| percent_decode(first) == ADMIN_SEGMENT)
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The user name of a Basic `Authorization` header (`base64(key:)`, or the key itself as the
/// API also accepts).
fn basic_user(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let credentials = credentials.trim();
    match base64::engine::general_purpose::STANDARD.decode(credentials) {
        Ok(decoded) => {
            let text = String::from_utf8(decoded).ok()?;
            Some(text.split_once(':').map(|(user, _)| user.to_owned()).unwrap_or(text))
        }
        Err(_) => Some(credentials.to_owned()),
    }
}

/// 401 without a key, 403 with a key that is not the emulator's.
fn check_basic_auth(state: &State, headers: &HeaderMap) -> Result<(), HttpResponse> {
    match basic_user(headers) {
        None => Err(error(StatusCode::UNAUTHORIZED, "Your request does not contain private API key.")),
        Some(user) if user == state.private_key || user.trim() == state.private_key => Ok(()),
        Some(_) => Err(error(StatusCode::FORBIDDEN, "Your account cannot be authenticated.")),
    }
}

fn admin(state: &mut State, method: &Method, segments: &[&str], body: &Bytes) -> HttpResponse {
    match (method.clone(), segments) {
        (Method::GET, ["health"]) => json_response(StatusCode::OK, &json!({"status": "ok"})),
        (Method::POST, ["reset"]) => {
            state.reset();
            no_content()
        }
        (Method::GET, ["faults"]) => {
            let rules: Vec<Value> = state.faults.iter().map(FaultRule::to_json).collect();
            json_response(StatusCode::OK, &Value::Array(rules))
        }
        (Method::GET, ["requests"]) => {
            let log: Vec<Value> = state.requests.iter().map(RequestRecord::to_json).collect();
            json_response(StatusCode::OK, &Value::Array(log))
        }
        (Method::DELETE, ["requests"]) => {
            state.requests.clear();
            no_content()
        }
        (Method::DELETE, ["faults"]) => {
            state.faults.clear();
            no_content()
        }
        (Method::POST, ["faults"]) => match serde_json::from_slice::<Value>(body) {
            Ok(value) => match FaultRule::from_json(value) {
                Ok(rule) => {
                    let answer = rule.to_json();
                    state.faults.push(rule);
                    json_response(StatusCode::CREATED, &answer)
                }
                Err(message) => bad_request(&message),
            },
            Err(_) => bad_request("The body must be a JSON fault rule."),
        },
        _ => error(StatusCode::NOT_FOUND, "Unknown emulator admin endpoint."),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn json_body(body: &Bytes) -> Result<Map<String, Value>, HttpResponse> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad_request("Your request body is not valid JSON.")),
    }
}

fn required_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, HttpResponse> {
    match map.get(name) {
        None | Some(Value::Null) => Err(missing(name)),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(missing(name)),
        Some(_) => Err(invalid(name)),
    }
}

fn optional_bool(map: &Map<String, Value>, name: &str) -> Result<bool, HttpResponse> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(invalid(name)),
    }
}

fn string_list(map: &Map<String, Value>, name: &str) -> Result<Vec<String>, HttpResponse> {
    match map.get(name) {
        None | Some(Value::Null) => Err(missing(name)),
        Some(Value::Array(items)) if !items.is_empty() => {
            items.iter().map(|item| item.as_str().map(str::to_owned).ok_or_else(|| invalid(name))).collect()
        }
        Some(_) => Err(invalid(name)),
    }
}

/// A copy's or move's `destinationPath`, normalised, or the API's answer to an invalid one.
fn destination_folder(destination: &str) -> Result<String, HttpResponse> {
    normalise_folder(destination).ok_or_else(|| {
        error_reason(
            StatusCode::BAD_REQUEST,
            "Your request contains invalid destinationPath parameter.",
            "INVALID_FOLDER_PATH",
        )
    })
}

/// `(folder, name)` of a file path.
fn split_file_path(path: &str) -> Option<(String, String)> {
    let folder = normalise_folder(path)?;
    let (parent, name) = folder.rsplit_once('/')?;
    (!name.is_empty()).then(|| (parent.to_owned(), name.to_owned()))
}

fn valid_name(name: &str) -> bool {
    !name.trim().is_empty()
        && !name.contains('/')
        && !name.chars().any(char::is_control)
        && name.len() <= 1024
}

/// Whether `text` is an absolute http(s) URL with a host and no spaces.
fn is_http_url(text: &str) -> bool {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

fn find_file<'a>(state: &'a State, id: &str) -> Result<&'a FileRecord, HttpResponse> {
    if !is_object_id(id) {
        return Err(bad_request("Your request contains invalid fileId parameter."));
    }
    state.files.get(id).ok_or_else(|| error(StatusCode::NOT_FOUND, FILE_MISSING))
}

fn find_version<'a>(
    state: &'a State,
    id: &str,
    version_id: &str,
) -> Result<(&'a FileRecord, &'a Version), HttpResponse> {
    let file = find_file(state, id)?;
    if !is_object_id(version_id) {
        return Err(bad_request("Your request contains invalid versionId parameter."));
    }
    let version = file
        .versions
        .iter()
        .find(|v| v.id == version_id)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, VERSION_MISSING))?;
    Ok((file, version))
}

fn current_json(state: &State, file: &FileRecord) -> Value {
    match file.current_version() {
        Some(version) => state.file_json(file, version, false),
        None => Value::Null,
    }
}

/// Refuses what would bring the stored bytes past the storage limit: uploads, and the copies
/// and restores that duplicate content (a move changes nothing stored).
fn room_for(state: &State, extra: u64) -> Result<(), HttpResponse> {
    if state.stored_bytes().saturating_add(extra) > state.storage_limit {
        return Err(error(
            StatusCode::FORBIDDEN,
            "Storage limit exceeded: this would store more than the account's storage allows.",
        ));
    }
    Ok(())
}

/// The bytes of these versions' content.
fn bytes_of(versions: &[Version]) -> u64 {
    versions.iter().map(|v| v.content.len() as u64).sum()
}

/// Adds `versions` (oldest first) at `folder/name`: as new versions of the file there, or as a
/// new file. The last one becomes current. Returns the file id.
fn add_versions(state: &mut State, folder: &str, name: &str, versions: &[Version]) -> String {
    state.ensure_folder(folder);
    let existing = state.file_at(folder, name).map(|f| f.id.clone());
    let file_id = match existing {
        Some(id) => id,
        None => {
            let id = state.new_id();
            let at = state.now_ms;
            state.files.insert(
                id.clone(),
                FileRecord {
                    id: id.clone(),
                    folder: folder.to_owned(),
                    name: name.to_owned(),
                    versions: Vec::new(),
                    next_number: 1,
                    created_at: at,
                },
            );
            id
        }
    };
    for source in versions {
        let Some(file) = state.files.get(&file_id) else { break };
        let number = file.next_number;
        let version_id =
            if file.versions.is_empty() && number == 1 { file_id.clone() } else { state.new_id() };
        let copy = state.copy_version(source, number, version_id.clone());
        if let Some(mut file) = state.files.get_mut(&file_id) {
            file.versions.push(copy);
            file.next_number += 1;
        }
    }
    file_id
}

// Shared by several endpoint modules, so none of them imports another.

pub(super) fn new_purge(state: &mut State) -> String {
    let id = state.new_id();
    state.purges.insert(id.clone(), state.pending_polls);
    id
}

pub(super) fn valid_coordinates(text: &str) -> bool {
    let parts: Vec<&str> = text.split(',').collect();
    parts.len() == 4 && parts.iter().all(|p| p.trim().parse::<u64>().is_ok())
}

/// The versions to copy, oldest first with the current one last.
pub(super) fn ordered_versions(file: &FileRecord, all: bool) -> Vec<Version> {
    let mut versions: Vec<Version> = if all {
        file.versions.iter().filter(|v| v.id != file.current_id()).cloned().collect()
    } else {
        Vec::new()
    };
    versions.extend(file.current_version().cloned());
    versions
}

pub(super) fn metadata_json(version: &Version) -> Value {
    let mut body = Map::new();
    if let (Some(w), Some(h)) = (version.width, version.height) {
        body.insert("height".into(), json!(h));
        body.insert("width".into(), json!(w));
    }
    body.insert("size".into(), json!(version.content.len()));
    body.insert("format".into(), json!(version.mime.rsplit('/').next().unwrap_or_default()));
    body.insert("hasColorProfile".into(), json!(false));
    body.insert("hasTransparency".into(), json!(version.has_alpha.unwrap_or(false)));
    body.insert("exif".into(), json!({}));
    Value::Object(body)
}
