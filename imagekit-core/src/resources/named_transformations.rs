//! Named transformations: `client.named_transformations()`.
//!
//! These five operations are in the official SDKs but not in ImageKit's public OpenAPI
//! document; requests and answers follow the SDKs' shapes.

use http::Method;
use serde::Serialize;

use crate::caller::Caller;
use crate::models::NamedTransformation;
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::handle::check_not_empty;
use crate::resources::handle::resource;

resource! {
    /// Named transformation operations, from [`crate::Client::named_transformations`].
    NamedTransformations
}

fn transformation_path(id: &str) -> Result<ApiPath, crate::error::Error> {
    ApiPath::new("/v1/named-transformations").id("id", id)
}

/// Names may use letters, digits and `_` only, since they appear in URLs as `n-<name>`.
fn check_name(name: &str) -> Result<(), crate::error::Error> {
    check_not_empty("name", name)?;
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(crate::error::Error::invalid_input("name", "may only contain letters, digits and `_`"));
    }
    Ok(())
}

impl<C: Caller> NamedTransformations<C> {
    /// The account's named transformations.
    ///
    /// `GET /v1/named-transformations`
    pub fn list(&self) -> C::Call<Vec<NamedTransformation>> {
        let op = Operation::json(
            "list-named-transformations",
            Method::GET,
            ApiPath::new("/v1/named-transformations"),
        );
        self.caller.call(Ok(op))
    }

    /// Creates a named transformation.
    ///
    /// `POST /v1/named-transformations`
    pub fn create(&self, params: CreateNamedTransformation) -> C::Call<NamedTransformation> {
        let op = check_name(&params.name)
            .and_then(|()| check_not_empty("transformation", &params.transformation))
            .and_then(|()| {
                Operation::json(
                    "create-named-transformation",
                    Method::POST,
                    ApiPath::new("/v1/named-transformations"),
                )
                .json_body(&params)
            });
        self.caller.call(op)
    }

    /// One named transformation.
    ///
    /// `GET /v1/named-transformations/{id}`
    pub fn get(&self, id: &str) -> C::Call<NamedTransformation> {
        let op = transformation_path(id).map(|p| Operation::json("get-named-transformation", Method::GET, p));
        self.caller.call(op)
    }

    /// Changes a named transformation; only what is set is sent.
    ///
    /// `PATCH /v1/named-transformations/{id}`
    pub fn update(&self, id: &str, params: UpdateNamedTransformation) -> C::Call<NamedTransformation> {
        let op = transformation_path(id).and_then(|p| {
            if let Some(name) = &params.name {
                check_name(name)?;
            }
            if let Some(transformation) = &params.transformation {
                check_not_empty("transformation", transformation)?;
            }
            Operation::json("update-named-transformation", Method::PATCH, p)
                .with_idempotency(Idempotency::Idempotent)
                .json_body(&params)
        });
        self.caller.call(op)
    }

    /// Deletes a named transformation.
    ///
    /// `DELETE /v1/named-transformations/{id}`
    pub fn delete(&self, id: &str) -> C::Call<()> {
        let op = transformation_path(id).map(|p| {
            Operation::empty("delete-named-transformation", Method::DELETE, p)
                .with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }
}

/// Parameters of [`NamedTransformations::create`].
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct CreateNamedTransformation {
    /// The name (letters, digits, `_`; case-sensitive), used in URLs as `tr:n-<name>`.
    pub name: String,
    /// The transformation it stands for, e.g. `"w-400,h-300,c-at_max"`; typed steps become one
    /// with [`crate::url::build_transformation_string`].
    pub transformation: String,
    /// Whether URLs may use it right away.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl CreateNamedTransformation {
    /// Names `transformation` as `name`.
    ///
    /// ```
    /// use imagekit_core::resources::named_transformations::CreateNamedTransformation;
    /// use imagekit_core::url::{build_transformation_string, Transformation};
    ///
    /// let steps = [Transformation::new().width(400).height(300)];
    /// let thumbnail = CreateNamedTransformation::new("thumb", build_transformation_string(&steps)?);
    /// assert_eq!(thumbnail.transformation, "w-400,h-300");
    /// # Ok::<(), imagekit_core::url::UrlError>(())
    /// ```
    pub fn new(name: impl Into<String>, transformation: impl Into<String>) -> Self {
        Self { name: name.into(), transformation: transformation.into(), enabled: None }
    }

    /// Enables or disables it.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }
}

/// Parameters of [`NamedTransformations::update`]; only what is set is sent.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct UpdateNamedTransformation {
    /// Enables or disables it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new transformation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transformation: Option<String>,
}

impl UpdateNamedTransformation {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Enables or disables it.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    /// Sets a new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets a new transformation.
    pub fn transformation(mut self, transformation: impl Into<String>) -> Self {
        self.transformation = Some(transformation.into());
        self
    }
}
