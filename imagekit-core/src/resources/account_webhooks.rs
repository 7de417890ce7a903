//! Webhook subscriptions of the account: `client.accounts().webhooks()`.
//!
//! Not in ImageKit's public OpenAPI document; follows the official SDKs. (Checking the events
//! ImageKit posts is [`crate::Client::webhooks`].)

use http::Method;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{Webhook, WebhookEventType};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::handle::resource;

resource! {
    /// Webhook subscription operations, from [`crate::resources::accounts::Accounts::webhooks`].
    AccountWebhooks
}

fn webhook_path(id: &str) -> Result<ApiPath, Error> {
    ApiPath::new("/v1/accounts/webhooks").id("id", id)
}

impl<C: Caller> AccountWebhooks<C> {
    /// The account's webhook subscriptions.
    ///
    /// `GET /v1/accounts/webhooks`
    pub fn list(&self) -> C::Call<Vec<Webhook>> {
        let op = Operation::json("list-webhooks", Method::GET, ApiPath::new("/v1/accounts/webhooks"));
        self.caller.call(Ok(op))
    }

    /// Subscribes an endpoint to events. The answer carries the signing secret ImageKit
    /// generated ([`Webhook::verifier`] checks events with it).
    ///
    /// `POST /v1/accounts/webhooks`
    pub fn create(&self, params: CreateWebhook) -> C::Call<Webhook> {
        let op =
            check_endpoint(&params.endpoint).and_then(|()| check_events(&params.events)).and_then(|()| {
                Operation::json("create-webhook", Method::POST, ApiPath::new("/v1/accounts/webhooks"))
                    .json_body(&params)
            });
        self.caller.call(op)
    }

    /// One webhook subscription.
    ///
    /// `GET /v1/accounts/webhooks/{id}`
    pub fn get(&self, id: &str) -> C::Call<Webhook> {
        self.caller.call(webhook_path(id).map(|p| Operation::json("get-webhook", Method::GET, p)))
    }

    /// Changes a subscription; only what is set is sent, and an update that sets nothing is
    /// refused before it is sent.
    ///
    /// `PATCH /v1/accounts/webhooks/{id}`
    pub fn update(&self, id: &str, params: UpdateWebhook) -> C::Call<Webhook> {
        let op = params.check().and_then(|()| webhook_path(id)).and_then(|p| {
            Operation::json("update-webhook", Method::PATCH, p)
                .with_idempotency(Idempotency::Idempotent)
                .json_body(&params)
        });
        self.caller.call(op)
    }

    /// Deletes a subscription.
    ///
    /// `DELETE /v1/accounts/webhooks/{id}`
    pub fn delete(&self, id: &str) -> C::Call<()> {
        let op = webhook_path(id).map(|p| {
            Operation::empty("delete-webhook", Method::DELETE, p).with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }
}

/// The endpoint is an absolute `http` or `https` URL, as the API requires.
fn check_endpoint(endpoint: &str) -> Result<(), Error> {
    let lower = endpoint.get(..8).unwrap_or(endpoint).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &endpoint[8..]
    } else if lower.starts_with("http://") {
        &endpoint[7..]
    } else {
        return Err(Error::invalid_input("endpoint", "must be an http:// or https:// URL"));
    };
    if rest.is_empty() || rest.starts_with('/') || endpoint.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::invalid_input("endpoint", "must be an absolute URL with a host and no spaces"));
    }
    Ok(())
}

/// At least one event, each once.
fn check_events(events: &[WebhookEventType]) -> Result<(), Error> {
    if events.is_empty() {
        return Err(Error::invalid_input("events", "must name at least one event"));
    }
    if events.iter().enumerate().any(|(i, e)| events[..i].contains(e)) {
        return Err(Error::invalid_input("events", "must name each event once"));
    }
    Ok(())
}

/// Parameters of [`AccountWebhooks::create`].
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct CreateWebhook {
    /// The URL events are posted to; unique in the account.
    pub endpoint: String,
    /// The events it receives.
    pub events: Vec<WebhookEventType>,
    /// Whether events are sent (the API's default: yes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl CreateWebhook {
    /// Subscribes `endpoint` to `events`.
    ///
    /// ```
    /// use imagekit_core::models::WebhookEventType;
    /// use imagekit_core::resources::account_webhooks::CreateWebhook;
    ///
    /// let hook = CreateWebhook::new(
    ///     "https://example.com/imagekit",
    ///     [WebhookEventType::FileCreated, WebhookEventType::FileDeleted],
    /// );
    /// assert_eq!(hook.events.len(), 2);
    /// ```
    pub fn new(endpoint: impl Into<String>, events: impl IntoIterator<Item = WebhookEventType>) -> Self {
        Self { endpoint: endpoint.into(), events: events.into_iter().collect(), enabled: None }
    }

    /// Creates it enabled or disabled.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }
}

/// Parameters of [`AccountWebhooks::update`]; only what is set is sent.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct UpdateWebhook {
    /// A new endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The events it receives, replacing the current list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<WebhookEventType>>,
    /// Turns sending on or off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

impl UpdateWebhook {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a new endpoint.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Replaces the events it receives.
    pub fn events(mut self, events: impl IntoIterator<Item = WebhookEventType>) -> Self {
        self.events = Some(events.into_iter().collect());
        self
    }

    /// Turns sending on or off.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    fn check(&self) -> Result<(), Error> {
        if self.endpoint.is_none() && self.events.is_none() && self.enabled.is_none() {
            return Err(Error::invalid_input("update", "set an endpoint, events or enabled"));
        }
        if let Some(endpoint) = &self.endpoint {
            check_endpoint(endpoint)?;
        }
        if let Some(events) = &self.events {
            check_events(events)?;
        }
        Ok(())
    }
}
