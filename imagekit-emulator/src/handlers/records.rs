//! The account's settings kept as JSON records: custom metadata fields, saved extensions,
//! origins, URL endpoints, named transformations and webhooks. Each is a collection of records
//! keyed by id; a [`Resource`] says what its requests may set and what its answers show, and
//! this module does the rest the same way for all of them: routes, ids, the clock, 404s.

use super::list::query_params;
use super::{Reply, bad_request, is_object_id, json_body, no_content};
use crate::reply::{error, json_response};
use crate::state::{Record, Records, State, iso8601};
use bytes::Bytes;
use http::{Method, StatusCode};
use imagekit_core::transport::HttpResponse;
use serde_json::{Map, Value, json};

/// The JSON object of a request body, or of a record's stored fields.
pub(super) type Fields = Map<String, Value>;

/// The rules of one record-style resource.
pub(super) struct Resource {
    /// The name of its collection in the state.
    pub(super) collection: &'static str,
    /// The path of the collection, as segments (`["v1", "accounts", "origins"]`).
    pub(super) path: &'static [&'static str],
    /// The 404 message for an unknown id.
    pub(super) missing: &'static str,
    /// The 400 message for an id that cannot be one of this resource's (`None`: any id is
    /// looked up, an unknown one is a 404).
    pub(super) invalid_id: Option<&'static str>,
    /// The method of an update: `PATCH` (only what is sent changes) or `PUT` (a replacement);
    /// `update` below does either; this only routes.
    pub(super) update_method: Method,
    /// Whether `GET {path}/{id}` exists.
    pub(super) get_one: bool,
    /// Whether a deletion only hides the record (listed again with `includeDeleted=true`).
    pub(super) soft_delete: bool,
    /// Checks a create's body against the other records; returns the fields to store.
    pub(super) create: fn(&Records, Fields) -> Result<Fields, HttpResponse>,
    /// Checks an update's body against the record and the others; returns the fields to store.
    pub(super) update: fn(&Records, &Record, Fields) -> Result<Fields, HttpResponse>,
    /// Refuses a deletion (the default URL endpoint, an origin in use).
    pub(super) check_delete: fn(&Records, &Record) -> Result<(), HttpResponse>,
    /// The record as the API answers it: never its secrets.
    pub(super) render: fn(&Record) -> Value,
    /// Whether a listing with this query shows the record.
    pub(super) listed: fn(&Record, &[(String, String)]) -> bool,
}

/// What most resources share; each states the rest.
pub(super) const BASE: Resource = Resource {
    collection: "",
    path: &[],
    missing: "The requested resource does not exist.",
    invalid_id: None,
    update_method: Method::PATCH,
    get_one: true,
    soft_delete: false,
    create: |_, fields| Ok(fields),
    update: |_, _, fields| Ok(fields),
    check_delete: |_, _| Ok(()),
    // Shows only the id unless told more, so nothing stored is answered by mistake.
    render: |record| json!({"id": record.id}),
    listed: |record, _| !record.deleted,
};

/// Answers a request to one of `resources`; `None` when the path and method are none of
/// theirs. (The list is the dispatcher's, so this module needs none of the resources' own.)
pub(super) fn route(
    state: &mut State,
    resources: &[&Resource],
    method: &Method,
    segments: &[&str],
    query: Option<&str>,
    body: &Bytes,
) -> Option<Reply> {
    let (resource, rest) =
        resources.iter().find_map(|r| segments.strip_prefix(r.path).map(|rest| (*r, rest)))?;
    match rest {
        [] if method == Method::GET => Some(list(state, resource, query)),
        [] if method == Method::POST => Some(create(state, resource, body)),
        [id] if method == Method::GET && resource.get_one => Some(get(state, resource, id)),
        [id] if method == resource.update_method => Some(update(state, resource, id, body)),
        [id] if method == Method::DELETE => Some(delete(state, resource, id)),
        _ => None,
    }
}

/// The record `id`; a hidden (deleted) one only when `deleted_too`.
fn find<'a>(
    state: &'a State,
    resource: &Resource,
    id: &str,
    deleted_too: bool,
) -> Result<&'a Record, HttpResponse> {
    if let Some(message) = resource.invalid_id {
        if !is_object_id(id) {
            return Err(bad_request(message));
        }
    }
    state
        .records
        .of(resource.collection)
        .iter()
        .find(|r| r.id == id && (deleted_too || !r.deleted))
        .ok_or_else(|| error(StatusCode::NOT_FOUND, resource.missing))
}

fn list(state: &State, resource: &Resource, query: Option<&str>) -> Reply {
    let params = query_params(query);
    let records = state.records.of(resource.collection);
    let shown: Vec<Value> =
        records.iter().filter(|r| (resource.listed)(r, &params)).map(resource.render).collect();
    Ok(json_response(StatusCode::OK, &Value::Array(shown)))
}

fn create(state: &mut State, resource: &Resource, body: &Bytes) -> Reply {
    let fields = (resource.create)(&state.records, json_body(body)?)?;
    let at = state.tick();
    let record = Record { id: state.new_id(), fields, created_at: at, updated_at: at, deleted: false };
    let answer = (resource.render)(&record);
    state.records.of_mut(resource.collection).push(record);
    Ok(json_response(StatusCode::CREATED, &answer))
}

fn get(state: &State, resource: &Resource, id: &str) -> Reply {
    let record = find(state, resource, id, false)?;
    Ok(json_response(StatusCode::OK, &(resource.render)(record)))
}

fn update(state: &mut State, resource: &Resource, id: &str, body: &Bytes) -> Reply {
    // A hidden record is handed to the rules, which say why it cannot change.
    let current = find(state, resource, id, true)?.clone();
    let fields = (resource.update)(&state.records, &current, json_body(body)?)?;
    let at = state.tick();
    let record = state
        .records
        .of_mut(resource.collection)
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, resource.missing))?;
    record.fields = fields;
    record.updated_at = at;
    Ok(json_response(StatusCode::OK, &(resource.render)(record)))
}

fn delete(state: &mut State, resource: &Resource, id: &str) -> Reply {
    let record = find(state, resource, id, false)?;
    (resource.check_delete)(&state.records, record)?;
    state.tick();
    let records = state.records.of_mut(resource.collection);
    if resource.soft_delete {
        records.iter_mut().filter(|r| r.id == id).for_each(|r| r.deleted = true);
    } else {
        records.retain(|r| r.id != id);
    }
    Ok(no_content())
}

// ---------------------------------------------------------------------------------------------
// Helpers for the rules

/// The first key of `fields` not in `allowed`, if any.
pub(super) fn unknown_key<'a>(fields: &'a Fields, allowed: &[&str]) -> Option<&'a str> {
    fields.keys().map(String::as_str).find(|k| !allowed.contains(k))
}

/// Whether another record of `records` (not `except`) has `value` as its `key`.
pub(super) fn is_taken(
    records: &[Record],
    key: &str,
    value: &str,
    except: Option<&str>,
    deleted_too: bool,
) -> bool {
    records.iter().any(|r| {
        Some(r.id.as_str()) != except
            && (deleted_too || !r.deleted)
            && r.fields.get(key).and_then(Value::as_str) == Some(value)
    })
}

/// `{id, <keys that are set, in this order>, createdAt, updatedAt}`.
pub(super) fn with_times(record: &Record, keys: &[&str]) -> Value {
    let mut body = Map::new();
    body.insert("id".into(), json!(record.id));
    for key in keys {
        if let Some(value) = record.fields.get(*key) {
            body.insert((*key).to_owned(), value.clone());
        }
    }
    body.insert("createdAt".into(), json!(iso8601(record.created_at)));
    body.insert("updatedAt".into(), json!(iso8601(record.updated_at)));
    Value::Object(body)
}

/// The text of a string of `min..=max` characters without control characters.
pub(super) fn text_within(value: &Value, min: usize, max: usize) -> Option<&str> {
    let text = value.as_str()?;
    let chars = text.chars().count();
    (chars >= min && chars <= max && !text.chars().any(char::is_control)).then_some(text)
}

/// A string, a number or a boolean: the values custom metadata and AI vocabularies hold.
pub(super) fn is_scalar(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}
