//! What files refer to by name: custom metadata fields, saved extensions and named
//! transformations, as records (see `records.rs`).

use super::records::{BASE, Fields, Resource, is_scalar, is_taken, text_within, unknown_key, with_times};
use super::{bad_request, invalid, missing, required_str};
use crate::state::{Record, Records, parse_iso8601};
use imagekit_core::transport::HttpResponse;
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// Custom metadata fields

const FIELDS: &str = "customMetadataFields";

pub(super) const CUSTOM_METADATA_FIELDS: Resource = Resource {
    collection: FIELDS,
    path: &["v1", "customMetadataFields"],
    missing: "No such custom metadata field exists.",
    invalid_id: Some("Your request contains invalid ID parameter."),
    get_one: false,
    // A deleted field keeps its name: no new field may take it.
    soft_delete: true,
    create: create_field,
    update: update_field,
    render: |record| {
        let mut body = Map::new();
        body.insert("id".into(), json!(record.id));
        for key in ["name", "label", "schema"] {
            body.insert(key.into(), record.fields.get(key).cloned().unwrap_or(Value::Null));
        }
        Value::Object(body)
    },
    // `folderPath` selects the fields a path policy applies; the emulator has no path
    // policies, so every field applies everywhere.
    listed: |record, params| {
        !record.deleted
            || params.iter().rev().find(|(k, _)| k == "includeDeleted").is_some_and(|(_, v)| v == "true")
    },
    ..BASE
};

fn create_field(records: &Records, body: Fields) -> Result<Fields, HttpResponse> {
    if let Some(key) = unknown_key(&body, &["name", "label", "schema"]) {
        return Err(invalid(key));
    }
    let name = required_str(&body, "name")?.trim().to_owned();
    let label = required_str(&body, "label")?.trim().to_owned();
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) || name.len() > 100 {
        return Err(invalid("name"));
    }
    let fields = records.of(FIELDS);
    if is_taken(fields, "name", &name, None, true) {
        return Err(bad_request("A custom metadata field with this name already exists."));
    }
    if is_taken(fields, "label", &label, None, false) {
        return Err(bad_request("A custom metadata field with this label already exists."));
    }
    let schema = match body.get("schema") {
        None | Some(Value::Null) => return Err(missing("schema")),
        Some(Value::Object(schema)) => schema,
        Some(_) => return Err(invalid("schema")),
    };
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or_default();
    let schema =
        field_schema(kind, schema).map_err(|why| bad_request(&format!("Invalid schema object. {why}")))?;
    let mut stored = Map::new();
    stored.insert("name".into(), json!(name));
    stored.insert("label".into(), json!(label));
    stored.insert("schema".into(), Value::Object(schema));
    Ok(stored)
}

/// A label and a schema may change; the name and the type never do.
fn update_field(records: &Records, current: &Record, body: Fields) -> Result<Fields, HttpResponse> {
    if current.deleted {
        return Err(bad_request("Cannot update a deleted custom metadata fields."));
    }
    if body.contains_key("name") {
        return Err(bad_request("Name cannot be updated."));
    }
    if let Some(key) = unknown_key(&body, &["label", "schema"]) {
        return Err(invalid(key));
    }
    if body.get("label").is_none_or(Value::is_null) && body.get("schema").is_none_or(Value::is_null) {
        return Err(bad_request("Either label or schema should be provided."));
    }
    let mut stored = current.fields.clone();
    if let Some(label) = body.get("label").filter(|l| !l.is_null()) {
        let label = text_within(label, 1, 500)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .ok_or_else(|| invalid("label"))?;
        if is_taken(records.of(FIELDS), "label", label, Some(&current.id), false) {
            return Err(bad_request("A custom metadata field with this label already exists."));
        }
        stored.insert("label".into(), json!(label));
    }
    if let Some(schema) = body.get("schema").filter(|s| !s.is_null()) {
        let Value::Object(schema) = schema else { return Err(bad_request("Invalid schema object.")) };
        let kind = current
            .fields
            .get("schema")
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        // The type cannot change: the one sent is ignored, the new rules are checked against the
        // field's own, and replace the old rules.
        let mut schema = schema.clone();
        schema.remove("type");
        let schema = field_schema(kind, &schema)
            .map_err(|why| bad_request(&format!("Invalid schema object. {why}")))?;
        stored.insert("schema".into(), Value::Object(schema));
    }
    Ok(stored)
}

const FIELD_TYPES: [&str; 7] =
    ["Text", "Textarea", "Number", "Date", "Boolean", "SingleSelect", "MultiSelect"];

/// The schema of a field of type `kind`, `type` first, checked as the API documents it: each
/// rule only for the types it applies to, bounds in order, the default within them.
fn field_schema(kind: &str, schema: &Fields) -> Result<Fields, String> {
    if !FIELD_TYPES.contains(&kind) {
        return Err(format!("type must be one of {}.", FIELD_TYPES.join(", ")));
    }
    let allowed = [
        "type",
        "selectOptions",
        "defaultValue",
        "isValueRequired",
        "minValue",
        "maxValue",
        "minLength",
        "maxLength",
    ];
    if let Some(key) = unknown_key(schema, &allowed) {
        return Err(format!("{key} is not a schema property."));
    }
    let is_text = matches!(kind, "Text" | "Textarea");
    let is_select = matches!(kind, "SingleSelect" | "MultiSelect");
    let given = |key: &str| schema.get(key).filter(|v| !v.is_null());

    let options = match given("selectOptions") {
        None if is_select => return Err(format!("selectOptions is required for {kind} fields.")),
        None => None,
        Some(_) if !is_select => return Err(format!("selectOptions does not apply to {kind} fields.")),
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(is_scalar) => Some(items),
        Some(_) => {
            return Err("selectOptions must be a non-empty list of strings, numbers or booleans.".into());
        }
    };
    let length = |key: &str| -> Result<Option<f64>, String> {
        match given(key) {
            None => Ok(None),
            Some(_) if !is_text => Err(format!("{key} only applies to Text and Textarea fields.")),
            Some(v) => v
                .as_f64()
                .filter(|n| *n >= 0.0)
                .map(Some)
                .ok_or(format!("{key} must be a number of 0 or more.")),
        }
    };
    let (min_length, max_length) = (length("minLength")?, length("maxLength")?);
    if let (Some(min), Some(max)) = (min_length, max_length) {
        if min > max {
            return Err("minLength cannot be more than maxLength.".into());
        }
    }
    // Numbers compare as numbers, dates as instants.
    let bound = |key: &str| -> Result<Option<f64>, String> {
        match (kind, given(key)) {
            (_, None) => Ok(None),
            ("Number", Some(v)) => v.as_f64().map(Some).ok_or(format!("{key} must be a number.")),
            ("Date", Some(v)) => v
                .as_str()
                .and_then(parse_iso8601)
                .map(|ms| Some(ms as f64))
                .ok_or(format!("{key} must be a date in ISO 8601 format.")),
            (_, Some(_)) => Err(format!("{key} only applies to Number and Date fields.")),
        }
    };
    let (min_value, max_value) = (bound("minValue")?, bound("maxValue")?);
    if let (Some(min), Some(max)) = (min_value, max_value) {
        if min > max {
            return Err("minValue cannot be more than maxValue.".into());
        }
    }
    let required = match given("isValueRequired") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("isValueRequired must be a boolean.".into()),
    };
    match given("defaultValue") {
        None if required => return Err("defaultValue is required when isValueRequired is true.".into()),
        None => {}
        Some(value) => {
            let in_options = |v: &Value| options.is_some_and(|o| o.contains(v));
            let within = |n: f64| min_value.is_none_or(|m| n >= m) && max_value.is_none_or(|m| n <= m);
            let fits = match kind {
                "Text" | "Textarea" => value.as_str().is_some_and(|s| {
                    let chars = s.chars().count() as f64;
                    min_length.is_none_or(|m| chars >= m) && max_length.is_none_or(|m| chars <= m)
                }),
                "Number" => value.as_f64().is_some_and(within),
                "Date" => value.as_str().and_then(parse_iso8601).is_some_and(|ms| within(ms as f64)),
                "Boolean" => value.is_boolean(),
                "SingleSelect" => in_options(value),
                _ => value.as_array().is_some_and(|items| items.iter().all(in_options)),
            };
            if !fits {
                return Err(format!("defaultValue does not fit a {kind} field with these rules."));
            }
        }
    }
    let mut out = Map::new();
    out.insert("type".into(), json!(kind));
    for key in allowed.iter().skip(1) {
        if let Some(value) = given(key) {
            out.insert((*key).to_owned(), value.clone());
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Saved extensions

const EXTENSIONS: &str = "saved-extensions";
/// The most saved extensions an account may have.
const EXTENSIONS_MAX: usize = 100;

pub(super) const SAVED_EXTENSIONS: Resource = Resource {
    collection: EXTENSIONS,
    path: &["v1", "saved-extensions"],
    missing: "The requested saved extension does not exist.",
    invalid_id: Some("Invalid saved extension ID."),
    create: |records, body| {
        if records.of(EXTENSIONS).len() >= EXTENSIONS_MAX {
            return Err(bad_request(&format!("You can create at most {EXTENSIONS_MAX} saved extensions.")));
        }
        for key in ["name", "description", "config"] {
            if body.get(key).is_none_or(Value::is_null) {
                return Err(missing(key));
            }
        }
        saved_extension(Map::new(), body)
    },
    update: |_, current, body| {
        if ["name", "description", "config"].iter().all(|k| body.get(*k).is_none_or(Value::is_null)) {
            return Err(bad_request("Your request must contain name, description or config."));
        }
        saved_extension(current.fields.clone(), body)
    },
    render: |record| with_times(record, &["name", "description", "config"]),
    ..BASE
};

/// `stored` with what `body` sets, each checked.
fn saved_extension(mut stored: Fields, body: Fields) -> Result<Fields, HttpResponse> {
    if let Some(key) = unknown_key(&body, &["name", "description", "config"]) {
        return Err(invalid(key));
    }
    for key in ["name", "description"] {
        if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
            let text = text_within(value, 1, 1000).map(str::trim).filter(|t| !t.is_empty());
            stored.insert(key.into(), json!(text.ok_or_else(|| invalid(key))?));
        }
    }
    if let Some(config) = body.get("config").filter(|v| !v.is_null()) {
        extension_config(config)
            .map_err(|why| bad_request(&format!("Invalid extension configuration. {why}")))?;
        stored.insert("config".into(), config.clone());
    }
    Ok(stored)
}

/// Checks an extension's configuration as the API documents each kind.
fn extension_config(config: &Value) -> Result<(), String> {
    let name = config.get("name").and_then(Value::as_str).unwrap_or_default();
    let integer = |key: &str, range: std::ops::RangeInclusive<i64>| -> Result<(), String> {
        config.get(key).and_then(Value::as_i64).filter(|n| range.contains(n)).map(|_| ()).ok_or(format!(
            "{key} must be an integer from {} to {}.",
            range.start(),
            range.end()
        ))
    };
    match name {
        "remove-bg" => match config.get("options") {
            None | Some(Value::Null) => Ok(()),
            Some(Value::Object(options)) => {
                let flags_ok = ["add_shadow", "semitransparency"]
                    .iter()
                    .all(|k| options.get(*k).is_none_or(Value::is_boolean));
                let colours_ok =
                    ["bg_color", "bg_image_url"].iter().all(|k| options.get(*k).is_none_or(Value::is_string));
                let both = options.contains_key("bg_color") && options.contains_key("bg_image_url");
                if flags_ok && colours_ok && !both {
                    Ok(())
                } else {
                    Err("options are not valid remove-bg options.".into())
                }
            }
            Some(_) => Err("options must be an object.".into()),
        },
        "google-auto-tagging" | "aws-auto-tagging" => {
            integer("minConfidence", 0..=100)?;
            integer("maxTags", 1..=i64::from(u32::MAX))
        }
        "ai-auto-description" => Ok(()),
        "ai-tasks" => match config.get("tasks").and_then(Value::as_array) {
            Some(tasks) if (1..=10).contains(&tasks.len()) => tasks.iter().try_for_each(ai_task),
            _ => Err("tasks must be a list of 1 to 10 tasks.".into()),
        },
        _ => Err(
            "name must be remove-bg, google-auto-tagging, aws-auto-tagging, ai-auto-description or ai-tasks."
                .into(),
        ),
    }
}

/// One task of the `ai-tasks` extension.
fn ai_task(task: &Value) -> Result<(), String> {
    let kind = task.get("type").and_then(Value::as_str).unwrap_or_default();
    if task.get("instruction").and_then(|i| text_within(i, 1, 2000)).is_none() {
        return Err("each task needs an instruction of 1 to 2000 characters.".into());
    }
    let count = |key: &str, least: u64| task.get(key).is_none_or(|v| v.as_u64().is_some_and(|n| n >= least));
    let vocabulary = |item_ok: fn(&Value) -> bool| {
        task.get("vocabulary").is_none_or(|v| {
            v.as_array().is_some_and(|items| (1..=30).contains(&items.len()) && items.iter().all(item_ok))
        })
    };
    let fits = match kind {
        "select_tags" => {
            vocabulary(Value::is_string) && count("min_selections", 0) && count("max_selections", 1)
        }
        "select_metadata" => {
            task.get("field").is_some_and(Value::is_string)
                && vocabulary(is_scalar)
                && count("min_selections", 0)
                && count("max_selections", 1)
        }
        "yes_no" => ["on_yes", "on_no", "on_unknown"].iter().all(|k| task.get(*k).is_none_or(ai_action)),
        _ => return Err("a task's type must be select_tags, select_metadata or yes_no.".into()),
    };
    if fits { Ok(()) } else { Err(format!("a {kind} task is not valid.")) }
}

/// What a yes/no task does on an answer.
fn ai_action(action: &Value) -> bool {
    let strings = |key: &str| {
        action.get(key).is_none_or(|v| v.as_array().is_some_and(|items| items.iter().all(Value::is_string)))
    };
    let objects = |key: &str, value_needed: bool| {
        action.get(key).is_none_or(|v| {
            v.as_array().is_some_and(|items| {
                items.iter().all(|item| {
                    item.get("field").is_some_and(Value::is_string)
                        && (!value_needed
                            || item.get("value").is_some_and(|v| {
                                is_scalar(v) || v.as_array().is_some_and(|a| a.iter().all(is_scalar))
                            }))
                })
            })
        })
    };
    action.is_object()
        && strings("add_tags")
        && strings("remove_tags")
        && objects("set_metadata", true)
        && objects("unset_metadata", false)
}

// ---------------------------------------------------------------------------------------------
// Named transformations (in the official SDKs, not in the OpenAPI document)

const TRANSFORMATIONS: &str = "named-transformations";

pub(super) const NAMED_TRANSFORMATIONS: Resource = Resource {
    collection: TRANSFORMATIONS,
    path: &["v1", "named-transformations"],
    missing: "The requested named transformation does not exist.",
    create: |records, body| {
        for key in ["name", "transformation"] {
            if body.get(key).is_none_or(Value::is_null) {
                return Err(missing(key));
            }
        }
        let mut stored = Map::new();
        stored.insert("enabled".into(), json!(true));
        named_transformation(records, None, stored, body)
    },
    update: |records, current, body| {
        if ["name", "transformation", "enabled"].iter().all(|k| body.get(*k).is_none_or(Value::is_null)) {
            return Err(bad_request("Your request must contain name, transformation or enabled."));
        }
        named_transformation(records, Some(&current.id), current.fields.clone(), body)
    },
    render: |record| with_times(record, &["name", "transformation", "enabled"]),
    ..BASE
};

/// `stored` with what `body` sets, each checked; names are unique, and only letters, digits
/// and `_`, since URLs carry them as `n-<name>`.
fn named_transformation(
    records: &Records,
    id: Option<&str>,
    mut stored: Fields,
    body: Fields,
) -> Result<Fields, HttpResponse> {
    if let Some(key) = unknown_key(&body, &["name", "transformation", "enabled"]) {
        return Err(invalid(key));
    }
    if let Some(name) = body.get("name").filter(|v| !v.is_null()) {
        let name = name
            .as_str()
            .filter(|n| {
                !n.is_empty() && n.len() <= 100 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .ok_or_else(|| invalid("name"))?;
        if is_taken(records.of(TRANSFORMATIONS), "name", name, id, false) {
            return Err(bad_request("A named transformation with this name already exists."));
        }
        stored.insert("name".into(), json!(name));
    }
    if let Some(transformation) = body.get("transformation").filter(|v| !v.is_null()) {
        // A transformation string, as URLs carry it (`w-400,h-300`); the SDKs type it so.
        let usable =
            transformation.as_str().is_some_and(|s| !s.trim().is_empty() && !s.chars().any(char::is_control));
        if !usable {
            return Err(invalid("transformation"));
        }
        stored.insert("transformation".into(), transformation.clone());
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
