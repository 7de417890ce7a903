//! List and search.

use super::{Reply, bad_request, percent_decode};
use crate::reply::json_response;
use crate::search;
use crate::search::Item;
use crate::state::{FileRecord, FolderRecord, State, Version, file_type, normalise_folder};
use http::StatusCode;
use serde_json::Value;

pub(super) fn query_params(query: Option<&str>) -> Vec<(String, String)> {
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

pub(super) fn list(state: &State, query: Option<&str>) -> Reply {
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
    // The emulator keeps no media durations or embedded creation dates: `DURATION` sorts every
    // file as equal (so by id) and `ORIGINAL_CREATION_DATE` falls back to the upload time.
    let known = ["NAME", "CREATED", "UPDATED", "HEIGHT", "WIDTH", "SIZE", "RELEVANCE", "DURATION"];
    if !known.contains(&key) && key != "ORIGINAL_CREATION_DATE" {
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

    // Sort keys, and what to render: only the page is rendered, and nothing is copied.
    enum Source<'a> {
        File(&'a FileRecord, &'a Version, bool),
        Folder(&'a str, &'a FolderRecord),
    }
    struct Row<'a> {
        name: &'a str,
        created: i64,
        updated: i64,
        height: f64,
        width: f64,
        size: f64,
        order: (u8, &'a str),
        source: Source<'a>,
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
    // A path lists that folder's files alone: read from its index, not the whole library.
    let files: Box<dyn Iterator<Item = &FileRecord>> = match &path {
        Some(folder) => Box::new(state.files.in_folder(folder)),
        None => Box::new(state.files.values()),
    };
    for file in files {
        for version in &file.versions {
            let is_current = version.id == file.current_id();
            if !((is_current && wants_files) || (!is_current && wants_versions)) {
                continue;
            }
            let ft = file_type(version.mime);
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
                mime: version.mime,
                file_type: ft,
            };
            if search.as_ref().is_some_and(|q| !q.matches(&item, state.now_ms)) {
                continue;
            }
            rows.push(Row {
                name: &file.name,
                created,
                updated,
                height: item.height,
                width: item.width,
                size: item.size,
                order: (1, &version.id),
                source: Source::File(file, version, !is_current),
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
                name,
                created: folder.created_at,
                updated: folder.updated_at,
                height: 0.0,
                width: 0.0,
                size: 0.0,
                order: (0, &folder.id),
                source: Source::Folder(folder_path, folder),
            });
        }
    }
    let order = |a: &Row<'_>, b: &Row<'_>| {
        let primary = match key {
            "NAME" => a.name.cmp(b.name),
            "UPDATED" => a.updated.cmp(&b.updated),
            "HEIGHT" => a.height.total_cmp(&b.height),
            "WIDTH" => a.width.total_cmp(&b.width),
            "SIZE" => a.size.total_cmp(&b.size),
            "DURATION" => std::cmp::Ordering::Equal,
            _ => a.created.cmp(&b.created),
        };
        let ordering = primary.then_with(|| a.order.cmp(&b.order));
        if descending { ordering.reverse() } else { ordering }
    };
    // Only the rows up to the page's end are sorted: the rest are set apart in linear time.
    let wanted = skip.saturating_add(limit).min(rows.len());
    if wanted == 0 {
        rows.clear();
    } else if wanted < rows.len() {
        rows.select_nth_unstable_by(wanted - 1, order);
        rows.truncate(wanted);
    }
    rows.sort_by(order);
    let page: Vec<Value> = rows
        .into_iter()
        .skip(skip)
        .map(|row| match row.source {
            Source::File(file, version, as_version) => state.file_json(file, version, as_version),
            Source::Folder(path, folder) => state.folder_json(path, folder),
        })
        .collect();
    Ok(json_response(StatusCode::OK, &Value::Array(page)))
}
