//! Files and their versions: details, update, metadata, deletes, copy, move, rename, bulk tags.

use super::{
    FILE_MISSING, FILES_MISSING, Reply, TAGS_MAX_CHARS, add_versions, bad_request, current_json,
    destination_folder, error_reason, find_file, find_version, invalid, json_body, no_content, optional_bool,
    required_str, split_file_path, string_list, valid_name,
};
use super::{bytes_of, metadata_json, new_purge, ordered_versions, room_for, valid_coordinates};
use crate::reply::{HELP, error, json_response};
use crate::state::{FileRecord, State, Version};
use bytes::Bytes;
use http::StatusCode;
use serde_json::{Value, json};

pub(super) fn details(state: &State, id: &str) -> Reply {
    let file = find_file(state, id)?;
    Ok(json_response(StatusCode::OK, &current_json(state, file)))
}

pub(super) fn metadata(state: &State, id: &str) -> Reply {
    let file = find_file(state, id)?;
    let version = file.current_version().ok_or_else(|| error(StatusCode::NOT_FOUND, FILE_MISSING))?;
    Ok(json_response(StatusCode::OK, &metadata_json(version)))
}

pub(super) fn update_details(state: &mut State, id: &str, body: &Bytes) -> Reply {
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
        if let Some(mut file) = state.files.get_mut(id) {
            let current = file.current_id().to_owned();
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
        let mut file = state.files.get_mut(id);
        if let Some(version) = file.as_deref_mut().and_then(FileRecord::current_version_mut) {
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

pub(super) fn remove_ai_tags(version: &mut Version, names: &[String]) {
    if let Some(tags) = &mut version.ai_tags {
        tags.retain(|t| !t.get("name").and_then(Value::as_str).is_some_and(|n| names.iter().any(|x| x == n)));
        if tags.is_empty() {
            version.ai_tags = None;
        }
    }
}

pub(super) fn delete_file(state: &mut State, id: &str) -> Reply {
    find_file(state, id)?;
    state.tick();
    state.files.remove(id);
    Ok(no_content())
}

pub(super) fn bulk_delete(state: &mut State, body: &Bytes) -> Reply {
    let map = json_body(body)?;
    let ids = string_list(&map, "fileIds")?;
    if ids.len() > 100 {
        return Err(bad_request("Your request contains more than 100 fileIds."));
    }
    let missing: Vec<&String> = ids.iter().filter(|id| !state.files.contains_key(id)).collect();
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
pub(super) enum TagOp {
    Add,
    Remove,
    RemoveAi,
}

/// Add / remove tags, remove AI tags on up to 50 files. Unknown ids: 404 with
/// `missingFileIds`, nothing changed. A file whose tags would go over 500 characters is left
/// as it is and listed in `errors` (207).
pub(super) fn bulk_tags(state: &mut State, body: &Bytes, op: TagOp) -> Reply {
    let map = json_body(body)?;
    let ids = string_list(&map, "fileIds")?;
    let tags = string_list(&map, if op == TagOp::RemoveAi { "AITags" } else { "tags" })?;
    if ids.len() > 50 {
        return Err(bad_request("Your request contains more than 50 fileIds."));
    }
    if tags.iter().any(|t| t.trim().is_empty() || t.contains('%')) {
        return Err(invalid("tags"));
    }
    let missing: Vec<&String> = ids.iter().filter(|id| !state.files.contains_key(id)).collect();
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
        let mut file = state.files.get_mut(id);
        let Some(version) = file.as_deref_mut().and_then(FileRecord::current_version_mut) else {
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
pub(super) fn copy_file(state: &mut State, body: &Bytes, is_move: bool) -> Reply {
    let map = json_body(body)?;
    let source = required_str(&map, "sourceFilePath")?;
    let destination = required_str(&map, "destinationPath")?;
    let include_versions = is_move || optional_bool(&map, "includeFileVersions")?;
    let (folder, name) = split_file_path(source).ok_or_else(|| invalid("sourceFilePath"))?;
    let destination = destination_folder(destination)?;
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
    let moved_whole = is_move && state.file_at(&destination, &name).is_none();
    let versions = ordered_versions(&file, include_versions);
    if !is_move {
        room_for(state, bytes_of(&versions))?;
    }
    state.tick();
    if moved_whole {
        state.ensure_folder(&destination);
        if let Some(mut record) = state.files.get_mut(&file.id) {
            record.folder = destination;
        }
        return Ok(no_content());
    }
    add_versions(state, &destination, &name, &versions);
    if is_move {
        state.files.remove(&file.id);
    }
    Ok(no_content())
}

pub(super) fn rename_file(state: &mut State, body: &Bytes) -> Reply {
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
    if let Some(mut file) = state.files.get_mut(&id) {
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

pub(super) fn list_versions(state: &State, id: &str) -> Reply {
    let file = find_file(state, id)?;
    let versions: Vec<Value> = file.versions.iter().map(|v| state.file_json(file, v, true)).collect();
    Ok(json_response(StatusCode::OK, &Value::Array(versions)))
}

pub(super) fn get_version(state: &State, id: &str, version_id: &str) -> Reply {
    let (file, version) = find_version(state, id, version_id)?;
    Ok(json_response(StatusCode::OK, &state.file_json(file, version, true)))
}

pub(super) fn delete_version(state: &mut State, id: &str, version_id: &str) -> Reply {
    let (file, _) = find_version(state, id, version_id)?;
    if file.current_id() == version_id {
        return Err(bad_request("You cannot delete current version of a file."));
    }
    state.tick();
    if let Some(mut file) = state.files.get_mut(id) {
        file.versions.retain(|v| v.id != version_id);
    }
    Ok(no_content())
}

/// Restoring copies the version as a new version, which becomes current.
pub(super) fn restore_version(state: &mut State, id: &str, version_id: &str) -> Reply {
    let (file, version) = find_version(state, id, version_id)?;
    let (folder, name, version) = (file.folder.clone(), file.name.clone(), version.clone());
    room_for(state, version.content.len() as u64)?;
    state.tick();
    add_versions(state, &folder, &name, std::slice::from_ref(&version));
    let file = find_file(state, id)?;
    Ok(json_response(StatusCode::OK, &current_json(state, file)))
}
