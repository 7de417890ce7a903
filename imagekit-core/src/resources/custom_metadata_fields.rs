//! Custom metadata fields: `client.custom_metadata_fields()`.

use http::Method;
use serde::Serialize;
use serde_json::Value;

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{CustomMetadataField, CustomMetadataFieldSchema};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::handle::check_not_empty;
use crate::resources::handle::resource;

resource! {
    /// Custom metadata field operations, from [`crate::Client::custom_metadata_fields`].
    CustomMetadataFields
}

fn field_path(id: &str) -> Result<ApiPath, Error> {
    ApiPath::new("/v1/customMetadataFields").id("id", id)
}

impl<C: Caller> CustomMetadataFields<C> {
    /// Creates a field. ImageKit answers 201 with it.
    ///
    /// `POST /v1/customMetadataFields`
    pub fn create(&self, params: CreateCustomMetadataField) -> C::Call<CustomMetadataField> {
        let op = check_not_empty("name", &params.name)
            .and_then(|()| check_not_reserved(&params.name))
            .and_then(|()| check_not_empty("label", &params.label))
            .and_then(|()| check_description(params.description.as_ref()))
            .and_then(|()| {
                Operation::json("create-new-field", Method::POST, ApiPath::new("/v1/customMetadataFields"))
                    .json_body(&params)
            });
        self.caller.call(op)
    }

    /// The account's fields.
    ///
    /// `GET /v1/customMetadataFields`
    pub fn list(&self, params: ListCustomMetadataFields) -> C::Call<Vec<CustomMetadataField>> {
        let op = Operation::json("list-all-fields", Method::GET, ApiPath::new("/v1/customMetadataFields"))
            .query_opt("includeDeleted", params.include_deleted)
            .query_opt("folderPath", params.folder_path.as_ref());
        self.caller.call(Ok(op))
    }

    /// Changes a field's label, description or constraints (its name and type cannot
    /// change). An update that sets none of them is refused before anything is sent.
    ///
    /// `PATCH /v1/customMetadataFields/{id}`
    pub fn update(&self, id: &str, params: UpdateCustomMetadataField) -> C::Call<CustomMetadataField> {
        let op = check_update(&params).and_then(|()| field_path(id)).and_then(|p| {
            Operation::json("update-existing-field", Method::PATCH, p)
                .with_idempotency(Idempotency::Idempotent)
                .json_body(&params)
        });
        self.caller.call(op)
    }

    /// Deletes a field; its name stays reserved.
    ///
    /// `DELETE /v1/customMetadataFields/{id}`
    pub fn delete(&self, id: &str) -> C::Call<()> {
        let op = field_path(id).map(|p| {
            Operation::empty("delete-a-field", Method::DELETE, p).with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }
}

/// Parameters of [`CustomMetadataFields::create`].
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateCustomMetadataField {
    /// The key in `customMetadata`; unique, and never reusable.
    pub name: String,
    /// The label shown in the media library.
    pub label: String,
    /// The type and constraints.
    pub schema: CustomMetadataFieldSchema,
    /// A hint shown in the media library, at most 500 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl CreateCustomMetadataField {
    /// A field `name` labelled `label` with this schema.
    pub fn new(name: impl Into<String>, label: impl Into<String>, schema: CustomMetadataFieldSchema) -> Self {
        Self { name: name.into(), label: label.into(), schema, description: None }
    }

    /// Sets the hint shown in the media library (at most 500 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// The field ImageKit manages itself (the original creation date); its name cannot be taken.
pub const RESERVED_FIELD_NAME: &str = "_internal_original_created_datetime";

fn check_not_reserved(name: &str) -> Result<(), Error> {
    if name == RESERVED_FIELD_NAME {
        return Err(Error::invalid_input("name", format!("{RESERVED_FIELD_NAME} is reserved by ImageKit")));
    }
    Ok(())
}

/// The most characters a field's description may have.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

fn check_description(description: Option<&String>) -> Result<(), Error> {
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
        return Err(Error::invalid_input(
            "description",
            format!("must have at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(())
}

// An update that sets nothing is sent as `{}`, as the SDKs send it: the API decides.
fn check_update(params: &UpdateCustomMetadataField) -> Result<(), Error> {
    if let Some(label) = &params.label {
        check_not_empty("label", label)?;
    }
    check_description(params.description.as_ref())
}

/// Parameters of [`CustomMetadataFields::list`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ListCustomMetadataFields {
    /// Whether deleted fields are listed too (`includeDeleted`).
    pub include_deleted: Option<bool>,
    /// Only fields that apply to this folder (`folderPath`).
    pub folder_path: Option<String>,
}

impl ListCustomMetadataFields {
    /// Every field that is not deleted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Lists deleted fields too.
    pub fn include_deleted(mut self, include: bool) -> Self {
        self.include_deleted = Some(include);
        self
    }

    /// Only fields that apply to this folder.
    pub fn folder_path(mut self, path: impl Into<String>) -> Self {
        self.folder_path = Some(path.into());
        self
    }
}

/// Parameters of [`CustomMetadataFields::update`]; only what is set is sent.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateCustomMetadataField {
    /// A new label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// New constraints (the type stays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<UpdateFieldSchema>,
    /// A new hint (at most 500 characters); `""` removes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl UpdateCustomMetadataField {
    /// An update that changes nothing yet: sent as it is, it is `{}`, and the API answers it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a new label.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets a new hint; `""` removes it.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets new constraints.
    pub fn schema(mut self, schema: UpdateFieldSchema) -> Self {
        self.schema = Some(schema);
        self
    }
}

/// New constraints of a field in [`UpdateCustomMetadataField`]; only what is set is sent.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateFieldSchema {
    /// Allowed values of a select field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select_options: Option<Vec<Value>>,
    /// The default value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// Whether every file must have a value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_value_required: Option<bool>,
    /// Minimum of a number or date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Value>,
    /// Maximum of a number or date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<Value>,
    /// Minimum length of a text value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Maximum length of a text value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
}

impl UpdateFieldSchema {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the allowed values of a select field.
    pub fn select_options<V: Into<Value>>(mut self, options: impl IntoIterator<Item = V>) -> Self {
        self.select_options = Some(options.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the default value.
    pub fn default_value(mut self, value: impl Into<Value>) -> Self {
        self.default_value = Some(value.into());
        self
    }

    /// Sets whether every file must have a value.
    pub fn is_value_required(mut self, required: bool) -> Self {
        self.is_value_required = Some(required);
        self
    }

    /// Sets the minimum value.
    pub fn min_value(mut self, value: impl Into<Value>) -> Self {
        self.min_value = Some(value.into());
        self
    }

    /// Sets the maximum value.
    pub fn max_value(mut self, value: impl Into<Value>) -> Self {
        self.max_value = Some(value.into());
        self
    }

    /// Sets the minimum length of a text value.
    pub fn min_length(mut self, length: u32) -> Self {
        self.min_length = Some(length);
        self
    }

    /// Sets the maximum length of a text value.
    pub fn max_length(mut self, length: u32) -> Self {
        self.max_length = Some(length);
        self
    }
}
