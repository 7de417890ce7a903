//! Saved extensions: `client.saved_extensions()`.

use http::Method;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{Extension, ExtensionName, SavedExtension};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::handle::check_not_empty;
use crate::resources::handle::resource;

resource! {
    /// Saved extension operations, from [`crate::Client::saved_extensions`].
    SavedExtensions
}

fn extension_path(id: &str) -> Result<ApiPath, Error> {
    ApiPath::new("/v1/saved-extensions").id("id", id)
}

/// A saved extension is a configuration of a real extension; one that points at another saved
/// extension would be a reference the API does not resolve.
fn check_config(config: &Extension) -> Result<(), Error> {
    if config.name == ExtensionName::SavedExtension {
        return Err(Error::invalid_input(
            "config.name",
            "a saved extension cannot refer to another saved extension",
        ));
    }
    Ok(())
}

impl<C: Caller> SavedExtensions<C> {
    /// The account's saved extensions.
    ///
    /// `GET /v1/saved-extensions`
    pub fn list(&self) -> C::Call<Vec<SavedExtension>> {
        let op = Operation::json("list-extensions", Method::GET, ApiPath::new("/v1/saved-extensions"));
        self.caller.call(Ok(op))
    }

    /// Saves an extension configuration. ImageKit answers 201 with it.
    ///
    /// `POST /v1/saved-extensions`
    pub fn create(&self, params: CreateSavedExtension) -> C::Call<SavedExtension> {
        let op = check_not_empty("name", &params.name)
            .and_then(|()| check_not_empty("description", &params.description))
            .and_then(|()| check_config(&params.config))
            .and_then(|()| {
                Operation::json("create-extension", Method::POST, ApiPath::new("/v1/saved-extensions"))
                    .json_body(&params)
            });
        self.caller.call(op)
    }

    /// One saved extension.
    ///
    /// `GET /v1/saved-extensions/{id}`
    pub fn get(&self, id: &str) -> C::Call<SavedExtension> {
        let op = extension_path(id).map(|p| Operation::json("get-extension", Method::GET, p));
        self.caller.call(op)
    }

    /// Changes a saved extension; only what is set is sent.
    ///
    /// `PATCH /v1/saved-extensions/{id}`
    pub fn update(&self, id: &str, params: UpdateSavedExtension) -> C::Call<SavedExtension> {
        let op = extension_path(id).and_then(|p| {
            if let Some(name) = &params.name {
                check_not_empty("name", name)?;
            }
            if let Some(description) = &params.description {
                check_not_empty("description", description)?;
            }
            if let Some(config) = &params.config {
                check_config(config)?;
            }
            Operation::json("update-extension", Method::PATCH, p)
                .with_idempotency(Idempotency::Idempotent)
                .json_body(&params)
        });
        self.caller.call(op)
    }

    /// Deletes a saved extension.
    ///
    /// `DELETE /v1/saved-extensions/{id}`
    pub fn delete(&self, id: &str) -> C::Call<()> {
        let op = extension_path(id).map(|p| {
            Operation::empty("delete-extension", Method::DELETE, p).with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }
}

/// Parameters of [`SavedExtensions::create`].
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct CreateSavedExtension {
    /// Its name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// The extension and its settings (not a saved-extension reference).
    pub config: Extension,
}

impl CreateSavedExtension {
    /// Saves `config` as `name`.
    pub fn new(name: impl Into<String>, description: impl Into<String>, config: Extension) -> Self {
        Self { name: name.into(), description: description.into(), config }
    }
}

/// Parameters of [`SavedExtensions::update`]; only what is set is sent.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct UpdateSavedExtension {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A new configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Extension>,
}

impl UpdateSavedExtension {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets a new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets a new configuration.
    pub fn config(mut self, config: Extension) -> Self {
        self.config = Some(config);
        self
    }
}
