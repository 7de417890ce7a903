//! Folders, bulk folder jobs, and cache purge.

use super::{
    Reply, add_versions, bad_request, destination_folder, error_reason, invalid, is_http_url, json_body,
    no_content, optional_bool, required_str, valid_name,
};
use super::{bytes_of, new_purge, ordered_versions, room_for};
use crate::reply::{error, json_response};
use crate::state::{FileRecord, Job, State, normalise_folder};
use bytes::Bytes;
use http::StatusCode;
use imagekit_core::transport::HttpResponse;
use serde_json::{Value, json};

pub(super) fn create_folder(state: &mut State, body: &Bytes) -> Reply {
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

pub(super) fn folder_not_found(path: &str) -> HttpResponse {
    error_reason(
        StatusCode::NOT_FOUND,
        &format!("No folder found with folderPath {path}."),
        "FOLDER_NOT_FOUND",
    )
}

pub(super) fn delete_folder(state: &mut State, body: &Bytes) -> Reply {
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

pub(super) fn is_within(path: &str, root: &str) -> bool {
    path == root || path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}

pub(super) fn remove_tree(state: &mut State, root: &str) {
    state.folders.retain(|p, _| !is_within(p, root));
    let gone: Vec<String> = state.files.within(root).map(|f| f.id.clone()).collect();
    for id in gone {
        state.files.remove(&id);
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum FolderOp {
    Copy,
    Move,
    Rename,
}

/// Copy, move or rename a folder as a bulk job that completes at once.
pub(super) fn folder_job(state: &mut State, body: &Bytes, op: FolderOp) -> Reply {
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
        let destination = destination_folder(destination)?;
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
    if op == FolderOp::Copy {
        let copied =
            state.files.within(&source).map(|f| bytes_of(&ordered_versions(f, include_versions))).sum();
        room_for(state, copied)?;
    }
    state.tick();
    let rebase = |path: &str| format!("{target}{}", &path[source.len()..]);
    let folders: Vec<String> = state.folders.keys().filter(|p| is_within(p, &source)).cloned().collect();
    for folder in &folders {
        state.ensure_folder(&rebase(folder));
    }
    let files: Vec<FileRecord> = state.files.within(&source).cloned().collect();
    for file in files {
        let folder = rebase(&file.folder);
        if op != FolderOp::Copy && state.file_at(&folder, &file.name).is_none() {
            if let Some(mut record) = state.files.get_mut(&file.id) {
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
    let pending_polls = state.pending_polls;
    state.jobs.insert(job_id.clone(), Job { kind, purge_request_id, pending_polls });
    let status = if op == FolderOp::Rename { StatusCode::ACCEPTED } else { StatusCode::OK };
    Ok(json_response(status, &json!({"jobId": job_id})))
}

/// `Pending` while the job has status checks left (see `Emulator::with_pending_polls`); the
/// work itself was done when the job was created.
pub(super) fn job_status(state: &mut State, id: &str) -> Reply {
    let job = state
        .jobs
        .get_mut(id)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "The requested job does not exist."))?;
    let status = if job.pending_polls > 0 { "Pending" } else { "Completed" };
    job.pending_polls = job.pending_polls.saturating_sub(1);
    let mut body = json!({"jobId": id, "type": job.kind, "status": status});
    if let Some(purge) = &job.purge_request_id {
        body["purgeRequestId"] = json!(purge);
    }
    Ok(json_response(StatusCode::OK, &body))
}

pub(super) fn purge(state: &mut State, body: &Bytes) -> Reply {
    let map = json_body(body)?;
    let url = required_str(&map, "url")?;
    if !is_http_url(url) {
        return Err(invalid("url"));
    }
    let request_id = new_purge(state);
    Ok(json_response(StatusCode::CREATED, &json!({"requestId": request_id})))
}

pub(super) fn purge_status(state: &mut State, id: &str) -> Reply {
    let Some(polls_left) = state.purges.get_mut(id) else {
        return Err(bad_request("Your request contains invalid requestId parameter."));
    };
    let status = if *polls_left > 0 { "Pending" } else { "Completed" };
    *polls_left = polls_left.saturating_sub(1);
    Ok(json_response(StatusCode::OK, &json!({"status": status})))
}
