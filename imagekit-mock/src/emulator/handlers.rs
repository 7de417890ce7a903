//! Routing and the handlers of every endpoint the emulator answers.
//!
//! Handlers return `Result<HttpResponse, HttpResponse>`: the error is the API's error answer,
//! built once per request and sent as it is, so boxing it would only add noise.
#![allow(clippy::result_large_err)]

use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method, StatusCode};
use imagekit_core::transport::HttpResponse;
use serde_json::{Map, Value, json};

use super::FaultRule;
use super::multipart;
use super::search::{self, Item};
use super::state::{FileRecord, Job, State, Version, file_type, sniff_mime, unique_suffix};

/// The `help` text of every error answer.
pub(crate) const HELP: &str = "For support kindly contact us at support@imagekit.io.";
const FILE_MISSING: &str = "The requested file does not exist.";
const VERSION_MISSING: &str = "The requested file version does not exist.";
const FILES_MISSING: &str = "The requested file(s) does not exist.";
/// The most tag characters a file can carry, all tags together.
const TAGS_MAX_CHARS: usize = 500;

type Reply = Result<HttpResponse, HttpResponse>;

/// A JSON answer.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> HttpResponse {
    let mut response = HttpResponse::new(Bytes::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// An answer without a body (204).
fn no_content() -> HttpResponse {
    let mut response = HttpResponse::new(Bytes::new());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// `{message, help}` with this status.
pub(crate) fn error(status: StatusCode, message: &str) -> HttpResponse {
    json_response(status, &json!({"message": message, "help": HELP}))
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
pub(crate) fn route(
    state: &mut State,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
) -> HttpResponse {
    let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    if segments.first() == Some(&"__emulator") {
        return admin(state, method, &segments[1..], body);
    }
    let is_upload = matches!(segments.as_slice(), ["api", "v1" | "v2", "files", "upload"]);
    if !is_upload {
        if let Err(answer) = check_basic_auth(state, headers) {
            return answer;
        }
    }
    let result = match (method.clone(), segments.as_slice()) {
        (Method::POST, ["api", version, "files", "upload"]) => upload(state, version, headers, body),
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
        _ => Err(error(StatusCode::NOT_FOUND, "The requested resource does not exist.")),
    };
    result.unwrap_or_else(|answer| answer)
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
            let log: Vec<Value> = state.requests.iter().map(super::RequestRecord::to_json).collect();
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
            Ok(value) => match FaultRule::from_json(&value) {
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

/// A folder path normalised to `""` (the root) or `/a/b`; `None` when invalid.
pub(crate) fn normalise_folder(path: &str) -> Option<String> {
    let mut out = String::new();
    for segment in path.trim().split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.chars().any(char::is_control) {
            return None;
        }
        out.push('/');
        out.push_str(segment);
    }
    Some(out)
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
                    current: String::new(),
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
        if let Some(file) = state.files.get_mut(&file_id) {
            file.versions.push(copy);
            file.next_number += 1;
            file.current = version_id;
        }
    }
    file_id
}

// ---------------------------------------------------------------------------------------------
// Upload

fn upload(state: &mut State, api_version: &str, headers: &HeaderMap, body: &Bytes) -> Reply {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let parts = multipart::boundary(content_type)
        .and_then(|boundary| multipart::parse(body, &boundary))
        .ok_or_else(|| bad_request("Your request is not a valid multipart/form-data body."))?;
    let text = |name: &str| {
        parts
            .iter()
            .rev()
            .find(|p| p.name == name && p.file_name.is_none())
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
    };
    let signed_fields: Vec<String> = parts
        .iter()
        .filter(|p| p.file_name.is_none() && p.name != "file" && p.name != "token")
        .map(|p| p.name.clone())
        .collect();
    check_upload_auth(state, api_version, headers, &text, &signed_fields)?;

    let file_part = parts
        .iter()
        .find(|p| p.name == "file")
        .ok_or_else(|| bad_request("Your request is missing file parameter."))?;
    let file_name = text("fileName")
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| bad_request("Your request is missing fileName parameter."))?;
    if !valid_name(&file_name) {
        return Err(bad_request("Your request contains invalid fileName parameter."));
    }
    let content = file_content(file_part)?;
    let boolean = |name: &str, default: bool| -> Result<bool, HttpResponse> {
        match text(name).as_deref().map(str::trim) {
            None | Some("") => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(_) => Err(bad_request(&format!("Your request contains invalid {name} parameter."))),
        }
    };
    let use_unique = boolean("useUniqueFileName", true)?;
    let overwrite_file = boolean("overwriteFile", true)?;
    let overwrite_tags = boolean("overwriteTags", true)?;
    let overwrite_metadata = boolean("overwriteCustomMetadata", true)?;
    let overwrite_ai_tags = boolean("overwriteAITags", true)?;
    let is_private = boolean("isPrivateFile", false)?;
    let is_published = boolean("isPublished", true)?;
    let folder = normalise_folder(&text("folder").unwrap_or_default())
        .ok_or_else(|| bad_request("Your request contains invalid folder parameter."))?;
    let tags = match text("tags") {
        None => None,
        Some(t) if t.trim().is_empty() => None,
        Some(t) => Some(parse_tags(&t)?),
    };
    let custom_coordinates = text("customCoordinates").filter(|c| !c.trim().is_empty());
    if let Some(c) = &custom_coordinates {
        if !valid_coordinates(c) {
            return Err(bad_request("Your request contains invalid customCoordinates parameter."));
        }
    }
    let custom_metadata = match text("customMetadata") {
        None => None,
        Some(t) if t.trim().is_empty() => None,
        Some(t) => match serde_json::from_str::<Value>(&t) {
            Ok(Value::Object(map)) => Some(map),
            _ => return Err(bad_request("Your request contains invalid customMetadata parameter.")),
        },
    };
    for json_field in ["extensions", "transformation"] {
        if let Some(t) = text(json_field).filter(|t| !t.trim().is_empty()) {
            if serde_json::from_str::<Value>(&t).is_err() {
                return Err(bad_request(&format!("Your request contains invalid {json_field} parameter.")));
            }
        }
    }
    let response_fields: Vec<String> = text("responseFields")
        .map(|t| t.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let description = text("description").filter(|d| !d.is_empty());

    let name = if use_unique {
        let seed = state.next_id;
        match file_name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("{stem}_{}.{ext}", unique_suffix(seed)),
            _ => format!("{file_name}_{}", unique_suffix(seed)),
        }
    } else {
        file_name.clone()
    };
    let existing = state.file_at(&folder, &name).cloned();
    if existing.is_some() && !overwrite_file {
        return Err(bad_request(
            "A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.",
        ));
    }

    state.tick();
    let mime = sniff_mime(&content, &name);
    let mut version = state.new_version(String::new(), 0, content, mime);
    version.is_private = is_private;
    version.is_published = is_published;
    version.custom_coordinates = custom_coordinates;
    version.description = description;
    let previous = existing.as_ref().and_then(|f| f.current_version().cloned());
    version.tags = match (&tags, &previous) {
        (None, Some(old)) if !overwrite_tags => old.tags.clone(),
        _ => tags,
    };
    version.custom_metadata = match (custom_metadata, &previous) {
        (None, Some(old)) if !overwrite_metadata => old.custom_metadata.clone(),
        (Some(new), _) => new,
        (None, _) => Map::new(),
    };
    if let (false, Some(old)) = (overwrite_ai_tags, &previous) {
        version.ai_tags = old.ai_tags.clone();
    }
    let file_id = add_versions(state, &folder, &name, std::slice::from_ref(&version));
    let file =
        state.files.get(&file_id).ok_or_else(|| error(StatusCode::INTERNAL_SERVER_ERROR, "lost upload"))?;
    let current =
        file.current_version().ok_or_else(|| error(StatusCode::INTERNAL_SERVER_ERROR, "lost upload"))?;
    Ok(json_response(StatusCode::OK, &upload_json(state, file, current, &response_fields)))
}

fn upload_json(state: &State, file: &FileRecord, version: &Version, fields: &[String]) -> Value {
    let path = file.file_path();
    let query = format!("?updatedAt={}", version.updated_at);
    let mut body = Map::new();
    body.insert("fileId".into(), json!(file.id));
    body.insert("name".into(), json!(file.name));
    body.insert("size".into(), json!(version.content.len()));
    body.insert(
        "versionInfo".into(),
        json!({"id": version.id, "name": format!("Version {}", version.number)}),
    );
    body.insert("filePath".into(), json!(path));
    body.insert("url".into(), json!(state.url_of(&path)));
    body.insert("fileType".into(), json!(file_type(&version.mime)));
    if let (Some(w), Some(h)) = (version.width, version.height) {
        body.insert("height".into(), json!(h));
        body.insert("width".into(), json!(w));
    }
    body.insert("thumbnailUrl".into(), json!(format!("{}{query}", state.thumbnail_of(&path))));
    body.insert("AITags".into(), json!(version.ai_tags));
    if let Some(description) = &version.description {
        body.insert("description".into(), json!(description));
    }
    for field in fields {
        let value = match field.as_str() {
            "tags" => json!(version.tags),
            "customCoordinates" => json!(version.custom_coordinates),
            "isPrivateFile" => json!(version.is_private),
            "isPublished" => json!(version.is_published),
            "customMetadata" => Value::Object(version.custom_metadata.clone()),
            "embeddedMetadata" => json!({}),
            "metadata" => metadata_json(version),
            "selectedFieldsSchema" => json!({}),
            _ => continue,
        };
        body.insert(field.clone(), value);
    }
    Value::Object(body)
}

fn file_content(part: &multipart::Part) -> Result<Bytes, HttpResponse> {
    if part.file_name.is_some() {
        return Ok(part.data.clone());
    }
    let text = String::from_utf8_lossy(&part.data).trim().to_owned();
    if text.is_empty() {
        return Err(bad_request("Your request is missing file parameter."));
    }
    if text.starts_with("http://") || text.starts_with("https://") {
        // The URL stands in for the content: the emulator never fetches anything.
        return Ok(part.data.clone());
    }
    let encoded = match text.strip_prefix("data:") {
        Some(rest) => rest
            .split_once(";base64,")
            .map(|(_, data)| data.to_owned())
            .ok_or_else(|| bad_request("Your request contains invalid file parameter."))?,
        None => text,
    };
    base64::engine::general_purpose::STANDARD
        .decode(encoded.as_bytes())
        .map(Bytes::from)
        .map_err(|_| bad_request("Your request contains invalid file parameter."))
}

type TextField<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Basic auth; or for v1 `signature` + `expire` + `token` (HMAC-SHA1 of token+expire with the
/// private key); or for v2 a `token` JWT signed HS256 with the private key whose payload holds
/// exactly the form's other text fields (values as strings), plus `exp` / `iat`.
fn check_upload_auth(
    state: &State,
    api_version: &str,
    headers: &HeaderMap,
    text: &TextField<'_>,
    fields: &[String],
) -> Result<(), HttpResponse> {
    let has_basic = headers.contains_key(AUTHORIZATION);
    let token = text("token").filter(|t| !t.is_empty());
    let signature = text("signature").filter(|t| !t.is_empty());
    let client_side = if api_version == "v2" { token.is_some() } else { signature.is_some() };
    if has_basic && client_side {
        let what = if api_version == "v2" { "token" } else { "signature" };
        return Err(bad_request(&format!(
            "Your request contains both {what} and basic auth parameter. Use only one method, you might be exposing your private API key."
        )));
    }
    if !client_side {
        return check_basic_auth(state, headers);
    }
    if api_version == "v2" {
        let payload = verify_jwt(&state.private_key, token.as_deref().unwrap_or_default());
        let matches = payload.is_some_and(|payload| {
            let claims = |k: &String| k != "exp" && k != "iat";
            let same = payload.iter().filter(|(k, _)| claims(k)).all(|(k, v)| {
                let v = v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
                text(k).as_deref() == Some(v.as_str())
            });
            same && fields.iter().all(|f| payload.contains_key(f))
        });
        return if matches {
            Ok(())
        } else {
            Err(error(StatusCode::FORBIDDEN, "Your request contains invalid token parameter."))
        };
    }
    let expire = text("expire").unwrap_or_default();
    let token = token.ok_or_else(|| bad_request("Your request is missing token parameter."))?;
    if expire.trim().parse::<u64>().is_err() {
        return Err(bad_request(
            "Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.",
        ));
    }
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(state.private_key.as_bytes()) else {
        return Err(error(StatusCode::INTERNAL_SERVER_ERROR, "signing failed"));
    };
    mac.update(token.as_bytes());
    mac.update(expire.as_bytes());
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    if signature.as_deref().map(str::to_ascii_lowercase).as_deref() == Some(expected.as_str()) {
        Ok(())
    } else {
        Err(error(StatusCode::FORBIDDEN, "Your request contains invalid signature."))
    }
}

/// The payload of an HS256 JWT signed with `private_key`.
fn verify_jwt(private_key: &str, token: &str) -> Option<Map<String, Value>> {
    let mut pieces = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (pieces.next(), pieces.next(), pieces.next(), pieces.next())
    else {
        return None;
    };
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header_ok = engine
        .decode(header)
        .ok()
        .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
        .is_some_and(|h| h.get("alg").and_then(Value::as_str) == Some("HS256"));
    let signature = engine.decode(signature.trim_end_matches('=')).ok()?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(private_key.as_bytes()).ok()?;
    mac.update(header.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    if !header_ok || mac.verify_slice(&signature).is_err() {
        return None;
    }
    match serde_json::from_slice(&engine.decode(payload.trim_end_matches('=')).ok()?).ok()? {
        Value::Object(claims) => Some(claims),
        _ => None,
    }
}

fn parse_tags(text: &str) -> Result<Vec<String>, HttpResponse> {
    let tags: Vec<String> = text.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    if tags.iter().any(|t| t.contains('%')) || tags.iter().map(String::len).sum::<usize>() > TAGS_MAX_CHARS {
        return Err(bad_request("Your request contains invalid tags parameter."));
    }
    Ok(tags)
}

fn valid_coordinates(text: &str) -> bool {
    let parts: Vec<&str> = text.split(',').collect();
    parts.len() == 4 && parts.iter().all(|p| p.trim().parse::<u64>().is_ok())
}

// ---------------------------------------------------------------------------------------------
// Files

fn details(state: &State, id: &str) -> Reply {
    let file = find_file(state, id)?;
    Ok(json_response(StatusCode::OK, &current_json(state, file)))
}

fn metadata_json(version: &Version) -> Value {
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

fn metadata(state: &State, id: &str) -> Reply {
    let file = find_file(state, id)?;
    let version = file.current_version().ok_or_else(|| error(StatusCode::NOT_FOUND, FILE_MISSING))?;
    Ok(json_response(StatusCode::OK, &metadata_json(version)))
}

fn update_details(state: &mut State, id: &str, body: &Bytes) -> Reply {
    find_file(state, id)?;
    let update = json_body(body)?;
    if let Some(publish) = update.get("publish") {
        if update.len() > 1 {
            return Err(bad_request("Your request cannot combine publish with other updates."));
        }
        let is_published =
            publish.get("isPublished").and_then(Value::as_bool).ok_or_else(|| invalid("publish"))?;
        let all = match publish.get("includeFileVersions") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(invalid("includeFileVersions")),
        };
        let at = state.tick();
        if let Some(file) = state.files.get_mut(id) {
            let current = file.current.clone();
            for version in file.versions.iter_mut().filter(|v| all || v.id == current) {
                version.is_published = is_published;
                version.updated_at = at;
            }
        }
    } else {
        let known = [
            "tags",
            "customCoordinates",
            "customMetadata",
            "description",
            "removeAITags",
            "extensions",
            "webhookUrl",
        ];
        if let Some(unknown) = update.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(bad_request(&format!("Your request contains invalid {unknown} parameter.")));
        }
        let tags = match update.get("tags") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::Array(items)) => {
                let tags: Option<Vec<String>> = items.iter().map(|t| t.as_str().map(str::to_owned)).collect();
                let tags = tags.ok_or_else(|| invalid("tags"))?;
                if tags.iter().any(|t| t.contains('%'))
                    || tags.iter().map(String::len).sum::<usize>() > TAGS_MAX_CHARS
                {
                    return Err(invalid("tags"));
                }
                Some(Some(tags))
            }
            Some(_) => return Err(invalid("tags")),
        };
        let coordinates = match update.get("customCoordinates") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if valid_coordinates(s) => Some(Some(s.clone())),
            Some(Value::String(s)) if s.is_empty() => Some(None),
            Some(_) => return Err(invalid("customCoordinates")),
        };
        let metadata = match update.get("customMetadata") {
            None => None,
            Some(Value::Object(map)) => Some(map.clone()),
            Some(_) => return Err(invalid("customMetadata")),
        };
        let description = match update.get("description") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(invalid("description")),
        };
        let remove_ai = match update.get("removeAITags") {
            None => None,
            Some(Value::String(s)) if s == "all" => Some(None),
            Some(Value::Array(items)) => {
                let names: Option<Vec<String>> =
                    items.iter().map(|t| t.as_str().map(str::to_owned)).collect();
                Some(Some(names.ok_or_else(|| invalid("removeAITags"))?))
            }
            Some(_) => return Err(invalid("removeAITags")),
        };
        if let Some(extensions) = update.get("extensions") {
            if !extensions.is_array() {
                return Err(invalid("extensions"));
            }
        }
        let at = state.tick();
        if let Some(version) = state.files.get_mut(id).and_then(FileRecord::current_version_mut) {
            if let Some(tags) = tags {
                version.tags = tags;
            }
            if let Some(coordinates) = coordinates {
                version.custom_coordinates = coordinates;
            }
            if let Some(metadata) = metadata {
                for (key, value) in metadata {
                    if value.is_null() {
                        version.custom_metadata.remove(&key);
                    } else {
                        version.custom_metadata.insert(key, value);
                    }
                }
            }
            if let Some(description) = description {
                version.description = Some(description);
            }
            match remove_ai {
                Some(None) => version.ai_tags = None,
                Some(Some(names)) => remove_ai_tags(version, &names),
                None => {}
            }
            version.updated_at = at;
        }
    }
    let file = find_file(state, id)?;
    Ok(json_response(StatusCode::OK, &current_json(state, file)))
}

fn remove_ai_tags(version: &mut Version, names: &[String]) {
    if let Some(tags) = &mut version.ai_tags {
        tags.retain(|t| !t.get("name").and_then(Value::as_str).is_some_and(|n| names.iter().any(|x| x == n)));
        if tags.is_empty() {
            version.ai_tags = None;
        }
    }
}

fn delete_file(state: &mut State, id: &str) -> Reply {
    find_file(state, id)?;
    state.tick();
    state.files.remove(id);
    Ok(no_content())
}

fn bulk_delete(state: &mut State, body: &Bytes) -> Reply {
    let map = json_body(body)?;
    let ids = string_list(&map, "fileIds")?;
    if ids.len() > 100 {
        return Err(bad_request("Your request contains more than 100 fileIds."));
    }
    let missing: Vec<&String> = ids.iter().filter(|id| !state.files.contains_key(*id)).collect();
    if !missing.is_empty() {
        return Err(json_response(
            StatusCode::NOT_FOUND,
            &json!({"message": FILES_MISSING, "help": HELP, "missingFileIds": missing}),
        ));
    }
    state.tick();
    let mut deleted = Vec::new();
    for id in ids {
        if state.files.remove(&id).is_some() {
            deleted.push(id);
        }
    }
    Ok(json_response(StatusCode::OK, &json!({"successfullyDeletedFileIds": deleted})))
}

#[derive(Clone, Copy, PartialEq)]
enum TagOp {
    Add,
    Remove,
    RemoveAi,
}

/// Add / remove tags, remove AI tags on up to 50 files. Unknown ids: 404 with
/// `missingFileIds`, nothing changed. A file whose tags would go over 500 characters is left
/// as it is and listed in `errors` (207).
fn bulk_tags(state: &mut State, body: &Bytes, op: TagOp) -> Reply {
    let map = json_body(body)?;
    let ids = string_list(&map, "fileIds")?;
    let tags = string_list(&map, if op == TagOp::RemoveAi { "AITags" } else { "tags" })?;
    if ids.len() > 50 {
        return Err(bad_request("Your request contains more than 50 fileIds."));
    }
    if tags.iter().any(|t| t.trim().is_empty() || t.contains('%')) {
        return Err(invalid("tags"));
    }
    let missing: Vec<&String> = ids.iter().filter(|id| !state.files.contains_key(*id)).collect();
    if !missing.is_empty() {
        return Err(json_response(
            StatusCode::NOT_FOUND,
            &json!({"message": FILES_MISSING, "help": HELP, "missingFileIds": missing}),
        ));
    }
    let at = state.tick();
    let mut updated = Vec::new();
    let mut errors = Vec::new();
    for id in &ids {
        let Some(version) = state.files.get_mut(id).and_then(FileRecord::current_version_mut) else {
            continue;
        };
        match op {
            TagOp::Add => {
                let mut new_tags = version.tags.clone().unwrap_or_default();
                for tag in &tags {
                    if !new_tags.contains(tag) {
                        new_tags.push(tag.clone());
                    }
                }
                if new_tags.iter().map(String::len).sum::<usize>() > TAGS_MAX_CHARS {
                    errors
                        .push(json!({"fileId": id, "error": "Total length of tags exceeds 500 characters."}));
                    continue;
                }
                version.tags = Some(new_tags);
            }
            TagOp::Remove => {
                if let Some(current) = &mut version.tags {
                    current.retain(|t| !tags.contains(t));
                    if current.is_empty() {
                        version.tags = None;
                    }
                }
            }
            TagOp::RemoveAi => remove_ai_tags(version, &tags),
        }
        version.updated_at = at;
        if !updated.contains(id) {
            updated.push(id.clone());
        }
    }
    if errors.is_empty() {
        Ok(json_response(StatusCode::OK, &json!({"successfullyUpdatedFileIds": updated})))
    } else {
        Ok(json_response(
            StatusCode::MULTI_STATUS,
            &json!({"successfullyUpdatedFileIds": updated, "errors": errors}),
        ))
    }
}

/// Copy (or move) a file into a folder. A file of the same name there gets the copied
/// versions appended to its history.
fn copy_file(state: &mut State, body: &Bytes, is_move: bool) -> Reply {
    let map = json_body(body)?;
    let source = required_str(&map, "sourceFilePath")?;
    let destination = required_str(&map, "destinationPath")?;
    let include_versions = is_move || optional_bool(&map, "includeFileVersions")?;
    let (folder, name) = split_file_path(source).ok_or_else(|| invalid("sourceFilePath"))?;
    let destination = normalise_folder(destination).ok_or_else(|| {
        error_reason(
            StatusCode::BAD_REQUEST,
            "Your request contains invalid destinationPath parameter.",
            "INVALID_FOLDER_PATH",
        )
    })?;
    let file = state.file_at(&folder, &name).cloned().ok_or_else(|| {
        error_reason(
            StatusCode::NOT_FOUND,
            &format!("No file found with filePath {}.", source.trim()),
            "SOURCE_FILE_MISSING",
        )
    })?;
    if destination == folder {
        return Err(error_reason(
            StatusCode::BAD_REQUEST,
            "sourceFilePath and destinationPath are in the same folder.",
            "SAME_SOURCE_AND_DESTINATION",
        ));
    }
    state.tick();
    if is_move && state.file_at(&destination, &name).is_none() {
        state.ensure_folder(&destination);
        if let Some(record) = state.files.get_mut(&file.id) {
            record.folder = destination;
        }
        return Ok(no_content());
    }
    let versions = ordered_versions(&file, include_versions);
    add_versions(state, &destination, &name, &versions);
    if is_move {
        state.files.remove(&file.id);
    }
    Ok(no_content())
}

/// The versions to copy, oldest first with the current one last.
fn ordered_versions(file: &FileRecord, all: bool) -> Vec<Version> {
    let mut versions: Vec<Version> = if all {
        file.versions.iter().filter(|v| v.id != file.current).cloned().collect()
    } else {
        Vec::new()
    };
    versions.extend(file.current_version().cloned());
    versions
}

fn rename_file(state: &mut State, body: &Bytes) -> Reply {
    let map = json_body(body)?;
    let path = required_str(&map, "filePath")?;
    let new_name = required_str(&map, "newFileName")?.trim().to_owned();
    let purge_cache = optional_bool(&map, "purgeCache")?;
    if !valid_name(&new_name) {
        return Err(invalid("newFileName"));
    }
    let (folder, name) = split_file_path(path).ok_or_else(|| invalid("filePath"))?;
    let id = state.file_at(&folder, &name).map(|f| f.id.clone()).ok_or_else(|| {
        error_reason(
            StatusCode::NOT_FOUND,
            &format!("No file found in media library at filePath {}", path.trim()),
            "FILE_MISSING",
        )
    })?;
    if new_name == name {
        return Err(error_reason(
            StatusCode::BAD_REQUEST,
            "newFileName cannot be the same as its existing name.",
            "SAME_OLD_AND_NEW_NAME",
        ));
    }
    if state.file_at(&folder, &new_name).is_some() {
        return Err(error_reason(
            StatusCode::CONFLICT,
            &format!("File with name {new_name} already exists at the same location."),
            "FILE_ALREADY_EXISTS",
        ));
    }
    let at = state.tick();
    if let Some(file) = state.files.get_mut(&id) {
        file.name = new_name;
        for version in &mut file.versions {
            version.updated_at = at;
        }
    }
    if purge_cache {
        let request_id = new_purge(state);
        Ok(json_response(StatusCode::OK, &json!({"purgeRequestId": request_id})))
    } else {
        Ok(json_response(StatusCode::OK, &json!({})))
    }
}

// ---------------------------------------------------------------------------------------------
// Versions

fn list_versions(state: &State, id: &str) -> Reply {
    let file = find_file(state, id)?;
    let versions: Vec<Value> = file.versions.iter().map(|v| state.file_json(file, v, true)).collect();
    Ok(json_response(StatusCode::OK, &Value::Array(versions)))
}

fn get_version(state: &State, id: &str, version_id: &str) -> Reply {
    let (file, version) = find_version(state, id, version_id)?;
    Ok(json_response(StatusCode::OK, &state.file_json(file, version, true)))
}

fn delete_version(state: &mut State, id: &str, version_id: &str) -> Reply {
    let (file, _) = find_version(state, id, version_id)?;
    if file.current == version_id {
        return Err(bad_request("You cannot delete current version of a file."));
    }
    state.tick();
    if let Some(file) = state.files.get_mut(id) {
        file.versions.retain(|v| v.id != version_id);
    }
    Ok(no_content())
}

/// Restoring copies the version as a new version, which becomes current.
fn restore_version(state: &mut State, id: &str, version_id: &str) -> Reply {
    let (file, version) = find_version(state, id, version_id)?;
    let (folder, name, version) = (file.folder.clone(), file.name.clone(), version.clone());
    state.tick();
    add_versions(state, &folder, &name, std::slice::from_ref(&version));
    let file = find_file(state, id)?;
    Ok(json_response(StatusCode::OK, &current_json(state, file)))
}

// ---------------------------------------------------------------------------------------------
// List and search

fn query_params(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")))
        })
        .collect()
}

fn list(state: &State, query: Option<&str>) -> Reply {
    let params = query_params(query);
    let param = |name: &str| params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let kind = param("type").unwrap_or("file");
    if !["file", "file-version", "folder", "all"].contains(&kind) {
        return Err(bad_request("Your request contains invalid type parameter."));
    }
    let file_type_filter = param("fileType").unwrap_or("all");
    if !["all", "image", "non-image"].contains(&file_type_filter) {
        return Err(bad_request("Your request contains invalid fileType parameter."));
    }
    let sort = param("sort").unwrap_or("ASC_CREATED");
    let (descending, key) = match sort.split_once('_') {
        Some(("ASC", key)) => (false, key),
        Some(("DESC", key)) => (true, key),
        _ => return Err(bad_request("Your request contains invalid sort parameter.")),
    };
    if !["NAME", "CREATED", "UPDATED", "HEIGHT", "WIDTH", "SIZE", "RELEVANCE"].contains(&key) {
        return Err(bad_request("Your request contains invalid sort parameter."));
    }
    let limit = match param("limit") {
        None => 1000,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=1000).contains(l))
            .ok_or_else(|| bad_request("Your request contains invalid limit parameter."))?,
    };
    let skip = match param("skip") {
        None => 0,
        Some(s) => {
            s.parse::<usize>().map_err(|_| bad_request("Your request contains invalid skip parameter."))?
        }
    };
    let path = match param("path") {
        None => None,
        Some(p) => Some(
            normalise_folder(p)
                .ok_or_else(|| bad_request("Your request contains invalid path parameter."))?,
        ),
    };
    let search = match param("searchQuery").filter(|q| !q.trim().is_empty()) {
        None => None,
        Some(q) => Some(search::parse(q).ok_or_else(|| {
            bad_request("Your request contains invalid syntax for the searchQuery parameter.")
        })?),
    };

    // (sort keys, json)
    struct Row {
        name: String,
        created: i64,
        updated: i64,
        height: f64,
        width: f64,
        size: f64,
        order: (u8, String),
        body: Value,
    }
    let mut rows = Vec::new();
    let in_path = |folder: &str| path.as_deref().is_none_or(|p| p == folder);
    let empty: Vec<String> = Vec::new();
    // `all` is files and folders, without versions. With a searchQuery the `type` parameter has
    // no effect: files are searched, or every kind when the query tests `type` itself.
    let kind = match &search {
        Some(q) if q.mentions("type") => "any",
        Some(_) => "file",
        None => kind,
    };
    let wants_files = matches!(kind, "file" | "all" | "any");
    let wants_versions = matches!(kind, "file-version" | "any");
    let wants_folders = matches!(kind, "folder" | "all" | "any");
    for file in state.files.values().filter(|f| in_path(&f.folder)) {
        for version in &file.versions {
            let is_current = version.id == file.current;
            if !((is_current && wants_files) || (!is_current && wants_versions)) {
                continue;
            }
            let ft = file_type(&version.mime);
            if file_type_filter != "all" && ft != file_type_filter {
                continue;
            }
            let (created, updated) = if is_current {
                (file.created_at, version.updated_at)
            } else {
                (version.created_at, version.updated_at)
            };
            let item = Item {
                kind: if is_current { "file" } else { "file-version" },
                name: &file.name,
                folder: &file.folder,
                tags: version.tags.as_deref().unwrap_or(&empty),
                created_at: created,
                updated_at: updated,
                size: version.content.len() as f64,
                width: version.width.map_or(0.0, f64::from),
                height: version.height.map_or(0.0, f64::from),
                mime: &version.mime,
                file_type: ft,
            };
            if search.as_ref().is_some_and(|q| !q.matches(&item, state.now_ms)) {
                continue;
            }
            rows.push(Row {
                name: file.name.clone(),
                created,
                updated,
                height: item.height,
                width: item.width,
                size: item.size,
                order: (1, version.id.clone()),
                body: state.file_json(file, version, !is_current),
            });
        }
    }
    if wants_folders && file_type_filter == "all" {
        for (folder_path, folder) in &state.folders {
            let parent = folder_path.rsplit_once('/').map(|(p, _)| p).unwrap_or_default();
            if !in_path(parent) {
                continue;
            }
            let name = folder_path.rsplit('/').next().unwrap_or_default();
            let item = Item {
                kind: "folder",
                name,
                folder: parent,
                tags: &empty,
                created_at: folder.created_at,
                updated_at: folder.updated_at,
                size: 0.0,
                width: 0.0,
                height: 0.0,
                mime: "",
                file_type: "",
            };
            if search.as_ref().is_some_and(|q| !q.matches(&item, state.now_ms)) {
                continue;
            }
            rows.push(Row {
                name: name.to_owned(),
                created: folder.created_at,
                updated: folder.updated_at,
                height: 0.0,
                width: 0.0,
                size: 0.0,
                order: (0, folder.id.clone()),
                body: state.folder_json(folder_path, folder),
            });
        }
    }
    rows.sort_by(|a, b| {
        let primary = match key {
            "NAME" => a.name.cmp(&b.name),
            "UPDATED" => a.updated.cmp(&b.updated),
            "HEIGHT" => a.height.total_cmp(&b.height),
            "WIDTH" => a.width.total_cmp(&b.width),
            "SIZE" => a.size.total_cmp(&b.size),
            _ => a.created.cmp(&b.created),
        };
        let ordering = primary.then_with(|| a.order.cmp(&b.order));
        if descending { ordering.reverse() } else { ordering }
    });
    let page: Vec<Value> = rows.into_iter().skip(skip).take(limit).map(|r| r.body).collect();
    Ok(json_response(StatusCode::OK, &Value::Array(page)))
}

// ---------------------------------------------------------------------------------------------
// Folders and bulk jobs

fn create_folder(state: &mut State, body: &Bytes) -> Reply {
    let map = json_body(body)?;
    let name = required_str(&map, "folderName")?.trim().to_owned();
    let parent = match map.get("parentFolderPath") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(p)) => p.clone(),
        Some(_) => return Err(invalid("parentFolderPath")),
    };
    let invalid_path = || {
        error_reason(
            StatusCode::BAD_REQUEST,
            "Your request contains invalid folder path.",
            "INVALID_FOLDER_PATH",
        )
    };
    if !valid_name(&name) {
        return Err(invalid_path());
    }
    let parent = normalise_folder(&parent).ok_or_else(invalid_path)?;
    state.tick();
    state.ensure_folder(&format!("{parent}/{name}"));
    Ok(json_response(StatusCode::CREATED, &json!({})))
}

fn folder_not_found(path: &str) -> HttpResponse {
    error_reason(
        StatusCode::NOT_FOUND,
        &format!("No folder found with folderPath {path}."),
        "FOLDER_NOT_FOUND",
    )
}

fn delete_folder(state: &mut State, body: &Bytes) -> Reply {
    let map = json_body(body)?;
    let raw = required_str(&map, "folderPath")?;
    let path = normalise_folder(raw).filter(|p| !p.is_empty()).ok_or_else(|| invalid("folderPath"))?;
    if !state.folders.contains_key(&path) {
        return Err(folder_not_found(raw.trim()));
    }
    state.tick();
    remove_tree(state, &path);
    Ok(no_content())
}

fn is_within(path: &str, root: &str) -> bool {
    path == root || path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}

fn remove_tree(state: &mut State, root: &str) {
    state.folders.retain(|p, _| !is_within(p, root));
    state.files.retain(|_, f| !is_within(&f.folder, root));
}

#[derive(Clone, Copy, PartialEq)]
enum FolderOp {
    Copy,
    Move,
    Rename,
}

/// Copy, move or rename a folder as a bulk job that completes at once.
fn folder_job(state: &mut State, body: &Bytes, op: FolderOp) -> Reply {
    let map = json_body(body)?;
    let (source_raw, target, include_versions, purge_cache) = if op == FolderOp::Rename {
        let source = required_str(&map, "folderPath")?;
        let new_name = required_str(&map, "newFolderName")?.trim().to_owned();
        if !valid_name(&new_name) {
            return Err(invalid("newFolderName"));
        }
        let normalised = normalise_folder(source).ok_or_else(|| invalid("folderPath"))?;
        let parent = normalised.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        (source, format!("{parent}/{new_name}"), true, optional_bool(&map, "purgeCache")?)
    } else {
        let source = required_str(&map, "sourceFolderPath")?;
        let destination = required_str(&map, "destinationPath")?;
        let destination = normalise_folder(destination).ok_or_else(|| {
            error_reason(
                StatusCode::BAD_REQUEST,
                "Your request contains invalid destinationPath parameter.",
                "INVALID_FOLDER_PATH",
            )
        })?;
        let normalised = normalise_folder(source).ok_or_else(|| invalid("sourceFolderPath"))?;
        let name = normalised.rsplit('/').next().unwrap_or_default().to_owned();
        let include = op == FolderOp::Move || optional_bool(&map, "includeVersions")?;
        (source, format!("{destination}/{name}"), include, false)
    };
    let source = normalise_folder(source_raw).ok_or_else(|| invalid("folderPath"))?;
    if source.is_empty() {
        return Err(error_reason(
            StatusCode::BAD_REQUEST,
            "The source folder cannot be the root.",
            "SOURCE_IS_ROOT",
        ));
    }
    if !state.folders.contains_key(&source) {
        return Err(if op == FolderOp::Rename {
            error(StatusCode::NOT_FOUND, "Source folder not found.")
        } else {
            error_reason(
                StatusCode::NOT_FOUND,
                &format!("No files & folder found at sourceFolderPath {}.", source_raw.trim()),
                "NO_FILES_FOLDER",
            )
        });
    }
    if is_within(&target, &source) {
        return Err(error_reason(
            StatusCode::BAD_REQUEST,
            "sourceFolderPath and destinationPath is same",
            "SAME_SOURCE_AND_DESTINATION",
        ));
    }
    if op == FolderOp::Rename && state.folders.contains_key(&target) {
        return Err(error(
            StatusCode::CONFLICT,
            &format!(
                "Folder with name {} already exists at the same location.",
                target.rsplit('/').next().unwrap_or_default()
            ),
        ));
    }
    state.tick();
    let rebase = |path: &str| format!("{target}{}", &path[source.len()..]);
    let folders: Vec<String> = state.folders.keys().filter(|p| is_within(p, &source)).cloned().collect();
    for folder in &folders {
        state.ensure_folder(&rebase(folder));
    }
    let files: Vec<FileRecord> =
        state.files.values().filter(|f| is_within(&f.folder, &source)).cloned().collect();
    for file in files {
        let folder = rebase(&file.folder);
        if op != FolderOp::Copy && state.file_at(&folder, &file.name).is_none() {
            if let Some(record) = state.files.get_mut(&file.id) {
                record.folder = folder;
            }
            continue;
        }
        add_versions(state, &folder, &file.name, &ordered_versions(&file, include_versions));
        if op != FolderOp::Copy {
            state.files.remove(&file.id);
        }
    }
    if op != FolderOp::Copy {
        state.folders.retain(|p, _| !is_within(p, &source));
    }
    let job_id = state.new_id();
    let kind = match op {
        FolderOp::Copy => "COPY_FOLDER",
        FolderOp::Move => "MOVE_FOLDER",
        FolderOp::Rename => "RENAME_FOLDER",
    };
    let purge_request_id = purge_cache.then(|| new_purge(state));
    state.jobs.insert(job_id.clone(), Job { kind, purge_request_id });
    let status = if op == FolderOp::Rename { StatusCode::ACCEPTED } else { StatusCode::OK };
    Ok(json_response(status, &json!({"jobId": job_id})))
}

fn job_status(state: &State, id: &str) -> Reply {
    let job = state
        .jobs
        .get(id)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "The requested job does not exist."))?;
    let mut body = json!({"jobId": id, "type": job.kind, "status": "Completed"});
    if let Some(purge) = &job.purge_request_id {
        body["purgeRequestId"] = json!(purge);
    }
    Ok(json_response(StatusCode::OK, &body))
}

// ---------------------------------------------------------------------------------------------
// Cache purge

fn new_purge(state: &mut State) -> String {
    let id = state.new_id();
    state.purges.insert(id.clone());
    id
}

fn purge(state: &mut State, body: &Bytes) -> Reply {
    let map = json_body(body)?;
    let url = required_str(&map, "url")?;
    let valid = (url.starts_with("https://") || url.starts_with("http://"))
        && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if !valid || url.chars().any(char::is_whitespace) {
        return Err(invalid("url"));
    }
    let request_id = new_purge(state);
    Ok(json_response(StatusCode::CREATED, &json!({"requestId": request_id})))
}

fn purge_status(state: &State, id: &str) -> Reply {
    if state.purges.contains(id) {
        Ok(json_response(StatusCode::OK, &json!({"status": "Completed"})))
    } else {
        Err(bad_request("Your request contains invalid requestId parameter."))
    }
}
