//! The upload endpoints (v1 and v2): multipart fields, client-side auth, the Upload answer.

use super::{Reply, TAGS_MAX_CHARS, add_versions, bad_request, check_basic_auth, valid_name};
use super::{metadata_json, valid_coordinates};
use crate::multipart;
use crate::reply::{error, json_response};
use crate::state::{FileRecord, State, Version, file_type, normalise_folder, sniff_mime, unique_suffix};
use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http::header::AUTHORIZATION;
use http::{HeaderMap, StatusCode};
use imagekit_core::transport::HttpResponse;
use serde_json::{Map, Value, json};

pub(super) fn upload(
    state: &mut State,
    api_version: &str,
    headers: &HeaderMap,
    form: &multipart::ReadForm,
) -> Reply {
    let parts =
        form.parts().ok_or_else(|| bad_request("Your request is not a valid multipart/form-data body."))?;
    let text = |name: &str| form.text(name);
    let signed_fields: Vec<String> = parts
        .iter()
        .filter(|p| p.filename.is_none() && p.name != "file" && p.name != "token")
        .map(|p| p.name.clone())
        .collect();
    check_upload_auth(state, api_version, headers, &text, &signed_fields)?;
    // A v1 token (a client-side upload's, or a server-side upload's de-duplication key) is
    // good once: a repeat of the request is refused, whatever became of the first.
    if let Some(token) = text("token").filter(|t| api_version == "v1" && !t.is_empty()) {
        if !state.first_use_of_token(&token) {
            return Err(bad_request("Your request contains a token that has already been used."));
        }
    }

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
    let content = file_content(file_part, form.body_len())?;
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

    let stored = state.stored_bytes();
    if stored.saturating_add(content.len() as u64) > state.storage_limit {
        // The spec documents 400 for uploads refused over the account's limits, with this
        // message, and no 413.
        return Err(bad_request("Upload Limit Exceeded."));
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

pub(super) fn upload_json(state: &State, file: &FileRecord, version: &Version, fields: &[String]) -> Value {
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
    body.insert("fileType".into(), json!(file_type(version.mime)));
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

pub(super) fn file_content(part: &multipart::Part, body_len: usize) -> Result<Bytes, HttpResponse> {
    if part.filename.is_some() {
        return Ok(own(&part.data, body_len));
    }
    let text = String::from_utf8_lossy(&part.data).trim().to_owned();
    if text.is_empty() {
        return Err(bad_request("Your request is missing file parameter."));
    }
    if text.starts_with("http://") || text.starts_with("https://") {
        // The URL stands in for the content: the emulator never fetches anything.
        return Ok(own(&part.data, body_len));
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

/// Content to keep: a slice of the request body keeps the whole body alive, so content that is
/// not most of it (a small file in a form of many fields) is copied out and the body freed.
fn own(content: &Bytes, body_len: usize) -> Bytes {
    if content.len() >= body_len / 4 * 3 { content.clone() } else { Bytes::copy_from_slice(content) }
}

pub(super) type TextField<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Basic auth; or for v1 `signature` + `expire` + `token` (HMAC-SHA1 of token+expire with the
/// private key); or for v2 a `token` JWT signed HS256 with the private key whose payload holds
/// exactly the form's other text fields (values as strings), plus `exp` / `iat`.
pub(super) fn check_upload_auth(
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
pub(super) fn verify_jwt(private_key: &str, token: &str) -> Option<Map<String, Value>> {
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

pub(super) fn parse_tags(text: &str) -> Result<Vec<String>, HttpResponse> {
    let tags: Vec<String> = text.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    if tags.iter().any(|t| t.contains('%')) || tags.iter().map(String::len).sum::<usize>() > TAGS_MAX_CHARS {
        return Err(bad_request("Your request contains invalid tags parameter."));
    }
    Ok(tags)
}
