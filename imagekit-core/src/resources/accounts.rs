//! The account: `client.accounts()` — usage, usage analytics, origins, URL endpoints, and the
//! way to its webhook subscriptions.

use http::Method;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::Error;
use crate::models::{Origin, OriginType, UrlEndpoint, UrlRewriter, Usage, UsageAnalytics};
use crate::operation::{ApiPath, Idempotency, Operation};
use crate::resources::handle::resource;
use crate::resources::handle::{check_count, check_not_empty};

/// Usage date ranges must span less than this many days.
pub const MAX_USAGE_DAYS: i64 = 90;

resource! {
    /// Account operations, from [`crate::Client::accounts`].
    Accounts
}

impl<C: Caller> Accounts<C> {
    /// Usage totals.
    pub fn usage(&self) -> AccountUsage<C> {
        AccountUsage::new(self.caller.clone())
    }

    /// Detailed delivery analytics.
    pub fn usage_analytics(&self) -> AccountUsageAnalytics<C> {
        AccountUsageAnalytics::new(self.caller.clone())
    }

    /// Origins: where ImageKit fetches originals from.
    pub fn origins(&self) -> Origins<C> {
        Origins::new(self.caller.clone())
    }

    /// URL endpoints: URL prefixes and the origins behind them.
    pub fn url_endpoints(&self) -> UrlEndpoints<C> {
        UrlEndpoints::new(self.caller.clone())
    }

    /// Webhook subscriptions: the endpoints ImageKit posts events to.
    pub fn webhooks(&self) -> crate::resources::account_webhooks::AccountWebhooks<C> {
        crate::resources::account_webhooks::AccountWebhooks::new(self.caller.clone())
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or an error naming `field`.
fn parse_date(field: &'static str, date: &str) -> Result<i64, Error> {
    let invalid = || Error::invalid_input(field, format!("must be a date as YYYY-MM-DD, got {date:?}"));
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(invalid());
    }
    let number = |range: std::ops::Range<usize>| -> Result<i64, Error> {
        let part = &date[range];
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        part.parse().map_err(|_| invalid())
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(invalid()),
    };
    if day < 1 || day > days_in_month {
        return Err(invalid());
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok(era * 146_097 + doe - 719_468)
}

/// The query of a usage report: both dates valid, the end not before the start, less than 90
/// days apart.
fn usage_operation<T: serde::de::DeserializeOwned>(
    name: &'static str,
    path: &'static str,
    start_date: &str,
    end_date: &str,
) -> Result<Operation<T>, Error> {
    let start = parse_date("startDate", start_date)?;
    let end = parse_date("endDate", end_date)?;
    if end < start {
        return Err(Error::invalid_input("endDate", "must not be before startDate"));
    }
    if end - start >= MAX_USAGE_DAYS {
        return Err(Error::invalid_input(
            "endDate",
            format!("must be less than {MAX_USAGE_DAYS} days after startDate, got {} days", end - start),
        ));
    }
    Ok(Operation::json(name, Method::GET, ApiPath::new(path))
        .query("startDate", start_date)
        .query("endDate", end_date))
}

resource! {
    /// Usage totals, from [`Accounts::usage`].
    AccountUsage
}

impl<C: Caller> AccountUsage<C> {
    /// Usage from `start_date` to `end_date` (exclusive), both `YYYY-MM-DD` (UTC), less than
    /// 90 days apart.
    ///
    /// `GET /v1/accounts/usage?startDate=..&endDate=..`
    pub fn get(&self, start_date: &str, end_date: &str) -> C::Call<Usage> {
        self.caller.call(usage_operation("get-usage", "/v1/accounts/usage", start_date, end_date))
    }
}

resource! {
    /// Usage analytics, from [`Accounts::usage_analytics`].
    AccountUsageAnalytics
}

impl<C: Caller> AccountUsageAnalytics<C> {
    /// Analytics from `start_date` to `end_date`, both `YYYY-MM-DD` (UTC) and both included,
    /// less than 90 days apart. Not in ImageKit's public OpenAPI document; follows the official SDKs.
    ///
    /// `GET /v1/accounts/usage-analytics?startDate=..&endDate=..`
    pub fn get(&self, start_date: &str, end_date: &str) -> C::Call<UsageAnalytics> {
        self.caller.call(usage_operation(
            "get-usage-analytics",
            "/v1/accounts/usage-analytics",
            start_date,
            end_date,
        ))
    }
}

resource! {
    /// Origin operations, from [`Accounts::origins`].
    Origins
}

fn origin_path(id: &str) -> Result<ApiPath, Error> {
    ApiPath::new("/v1/accounts/origins").id("id", id)
}

impl<C: Caller> Origins<C> {
    /// The account's origins.
    ///
    /// `GET /v1/accounts/origins`
    pub fn list(&self) -> C::Call<Vec<Origin>> {
        self.caller.call(Ok(Operation::json(
            "list-origins",
            Method::GET,
            ApiPath::new("/v1/accounts/origins"),
        )))
    }

    /// Creates an origin. ImageKit answers 201 with it.
    ///
    /// `POST /v1/accounts/origins`
    pub fn create(&self, origin: CreateOrigin) -> C::Call<Origin> {
        let op = origin.check().and_then(|()| {
            Operation::json("create-origin", Method::POST, ApiPath::new("/v1/accounts/origins"))
                .json_body(&origin)
        });
        self.caller.call(op)
    }

    /// One origin.
    ///
    /// `GET /v1/accounts/origins/{id}`
    pub fn get(&self, id: &str) -> C::Call<Origin> {
        self.caller.call(origin_path(id).map(|p| Operation::json("get-origin", Method::GET, p)))
    }

    /// Replaces an origin's settings.
    ///
    /// `PUT /v1/accounts/origins/{id}`
    pub fn update(&self, id: &str, origin: UpdateOrigin) -> C::Call<Origin> {
        let op = origin_path(id).and_then(|p| {
            origin.check()?;
            Operation::json("update-origin", Method::PUT, p)
                .with_idempotency(Idempotency::Idempotent)
                .json_body(&origin)
        });
        self.caller.call(op)
    }

    /// Deletes an origin.
    ///
    /// `DELETE /v1/accounts/origins/{id}`
    pub fn delete(&self, id: &str) -> C::Call<()> {
        let op = origin_path(id).map(|p| {
            Operation::empty("delete-origin", Method::DELETE, p).with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }
}

/// An origin to create, or the settings that replace an origin's ([`UpdateOrigin`]). Start from
/// the constructor of its kind, which takes what that kind requires, then set options; a kind
/// only sends the settings it accepts.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateOrigin {
    name: String,
    #[serde(rename = "type")]
    kind: OriginType,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_canonical_header: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_url_for_canonical_header: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bucket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<String>,
    #[serde(rename = "useIAMRole", skip_serializing_if = "Option::is_none")]
    use_iam_role: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s3_force_path_style: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forward_host_header_to_origin: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sas_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
}

/// The settings that replace an origin's in [`Origins::update`]: an update takes every setting,
/// as a create does.
pub type UpdateOrigin = CreateOrigin;

impl CreateOrigin {
    fn base(kind: OriginType, name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            kind,
            include_canonical_header: None,
            base_url_for_canonical_header: None,
            bucket: None,
            container: None,
            prefix: None,
            use_iam_role: None,
            access_key: None,
            secret_key: None,
            endpoint: None,
            s3_force_path_style: None,
            base_url: None,
            forward_host_header_to_origin: None,
            client_email: None,
            private_key: None,
            account_name: None,
            sas_token: None,
            client_id: None,
            client_secret: None,
            username: None,
            password: None,
        }
    }

    fn keys(kind: OriginType, name: String, bucket: String, access_key: String, secret_key: String) -> Self {
        Self {
            bucket: Some(bucket),
            access_key: Some(access_key),
            secret_key: Some(secret_key),
            ..Self::base(kind, name)
        }
    }

    /// An Amazon S3 bucket, read with an access key.
    pub fn s3(
        name: impl Into<String>,
        bucket: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        Self::keys(OriginType::S3, name.into(), bucket.into(), access_key.into(), secret_key.into())
    }

    /// An S3-compatible bucket at `endpoint`.
    pub fn s3_compatible(
        name: impl Into<String>,
        bucket: impl Into<String>,
        endpoint: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        Self {
            endpoint: Some(endpoint.into()),
            ..Self::keys(
                OriginType::S3Compatible,
                name.into(),
                bucket.into(),
                access_key.into(),
                secret_key.into(),
            )
        }
    }

    /// An Amazon S3 bucket read with the IAM role ImageKit is granted (`useIAMRole`), without keys.
    pub fn s3_iam_role(name: impl Into<String>, bucket: impl Into<String>) -> Self {
        Self::s3(name, bucket, "", "").use_iam_role(true)
    }

    /// A Cloudinary backup bucket read with the IAM role ImageKit is granted, without keys.
    pub fn cloudinary_backup_iam_role(name: impl Into<String>, bucket: impl Into<String>) -> Self {
        Self::cloudinary_backup(name, bucket, "", "").use_iam_role(true)
    }

    /// A Cloudinary backup bucket.
    pub fn cloudinary_backup(
        name: impl Into<String>,
        bucket: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        Self::keys(
            OriginType::CloudinaryBackup,
            name.into(),
            bucket.into(),
            access_key.into(),
            secret_key.into(),
        )
    }

    /// A folder on a web server.
    pub fn web_folder(name: impl Into<String>, base_url: impl Into<String>) -> Self {
        Self { base_url: Some(base_url.into()), ..Self::base(OriginType::WebFolder, name) }
    }

    /// Any public URL.
    pub fn web_proxy(name: impl Into<String>) -> Self {
        Self::base(OriginType::WebProxy, name)
    }

    /// A Google Cloud Storage bucket, read with a service account.
    pub fn gcs(
        name: impl Into<String>,
        bucket: impl Into<String>,
        client_email: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Self {
        Self {
            bucket: Some(bucket.into()),
            client_email: Some(client_email.into()),
            private_key: Some(private_key.into()),
            ..Self::base(OriginType::Gcs, name)
        }
    }

    /// An Azure Blob Storage container, read with a SAS token.
    pub fn azure_blob(
        name: impl Into<String>,
        container: impl Into<String>,
        account_name: impl Into<String>,
        sas_token: impl Into<String>,
    ) -> Self {
        Self {
            container: Some(container.into()),
            account_name: Some(account_name.into()),
            sas_token: Some(sas_token.into()),
            ..Self::base(OriginType::AzureBlob, name)
        }
    }

    /// An Akeneo PIM.
    pub fn akeneo_pim(
        name: impl Into<String>,
        base_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            base_url: Some(base_url.into()),
            client_id: Some(client_id.into()),
            client_secret: Some(client_secret.into()),
            username: Some(username.into()),
            password: Some(password.into()),
            ..Self::base(OriginType::AkeneoPim, name)
        }
    }

    /// The kind of origin.
    pub fn kind(&self) -> &OriginType {
        &self.kind
    }

    /// Adds a canonical `Link` header pointing at `base_url` to delivered assets: a shortcut for
    /// [`CreateOrigin::include_canonical_header`]`(true)` and
    /// [`CreateOrigin::base_url_for_canonical_header`]`(base_url)`.
    pub fn canonical_header(self, base_url: impl Into<String>) -> Self {
        self.include_canonical_header(true).base_url_for_canonical_header(base_url)
    }

    /// Whether delivered assets get a canonical `Link` header (`includeCanonicalHeader`); an
    /// update can turn it off while keeping the base URL.
    pub fn include_canonical_header(mut self, include: bool) -> Self {
        self.include_canonical_header = Some(include);
        self
    }

    /// The base URL of the canonical header (`baseUrlForCanonicalHeader`).
    pub fn base_url_for_canonical_header(mut self, base_url: impl Into<String>) -> Self {
        self.base_url_for_canonical_header = Some(base_url.into());
        self
    }

    /// Reads the bucket with the IAM role ImageKit is granted instead of keys (`useIAMRole`; S3
    /// and Cloudinary backup only, ignored by other kinds). The keys are then sent empty, as the
    /// API asks.
    pub fn use_iam_role(mut self, use_role: bool) -> Self {
        if matches!(self.kind, OriginType::S3 | OriginType::CloudinaryBackup) {
            self.use_iam_role = Some(use_role);
            if use_role {
                self.access_key = Some(String::new());
                self.secret_key = Some(String::new());
            }
        }
        self
    }

    /// A path prefix inside the bucket or container (S3, S3-compatible, Cloudinary backup, GCS,
    /// Azure Blob; ignored by other kinds).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        if matches!(
            self.kind,
            OriginType::S3
                | OriginType::S3Compatible
                | OriginType::CloudinaryBackup
                | OriginType::Gcs
                | OriginType::AzureBlob
        ) {
            self.prefix = Some(prefix.into());
        }
        self
    }

    /// Path-style bucket URLs (S3-compatible only; ignored by other kinds).
    pub fn s3_force_path_style(mut self, force: bool) -> Self {
        if self.kind == OriginType::S3Compatible {
            self.s3_force_path_style = Some(force);
        }
        self
    }

    /// Forwards the `Host` header to the server (web folder only; ignored by other kinds).
    pub fn forward_host_header_to_origin(mut self, forward: bool) -> Self {
        if self.kind == OriginType::WebFolder {
            self.forward_host_header_to_origin = Some(forward);
        }
        self
    }

    /// The documented bounds of the name: 1 to 100 letters, digits and spaces.
    fn check(&self) -> Result<(), Error> {
        let name = &self.name;
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid_input("name", "must have 1 to 100 characters"));
        }
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
            return Err(Error::invalid_input("name", "may only contain letters, digits and spaces"));
        }
        Ok(())
    }
}

resource! {
    /// URL endpoint operations, from [`Accounts::url_endpoints`].
    UrlEndpoints
}

fn url_endpoint_path(id: &str) -> Result<ApiPath, Error> {
    ApiPath::new("/v1/accounts/url-endpoints").id("id", id)
}

impl<C: Caller> UrlEndpoints<C> {
    /// The account's URL endpoints.
    ///
    /// `GET /v1/accounts/url-endpoints`
    pub fn list(&self) -> C::Call<Vec<UrlEndpoint>> {
        let op =
            Operation::json("list-url-endpoints", Method::GET, ApiPath::new("/v1/accounts/url-endpoints"));
        self.caller.call(Ok(op))
    }

    /// Creates a URL endpoint. ImageKit answers 201 with it.
    ///
    /// `POST /v1/accounts/url-endpoints`
    pub fn create(&self, endpoint: CreateUrlEndpoint) -> C::Call<UrlEndpoint> {
        let op = endpoint.check().and_then(|()| {
            Operation::json("create-url-endpoint", Method::POST, ApiPath::new("/v1/accounts/url-endpoints"))
                .json_body(&endpoint)
        });
        self.caller.call(op)
    }

    /// One URL endpoint (`default` is the account's default endpoint).
    ///
    /// `GET /v1/accounts/url-endpoints/{id}`
    pub fn get(&self, id: &str) -> C::Call<UrlEndpoint> {
        self.caller.call(url_endpoint_path(id).map(|p| Operation::json("get-url-endpoint", Method::GET, p)))
    }

    /// Replaces a URL endpoint's settings.
    ///
    /// `PUT /v1/accounts/url-endpoints/{id}`
    pub fn update(&self, id: &str, endpoint: UpdateUrlEndpoint) -> C::Call<UrlEndpoint> {
        let op = url_endpoint_path(id).and_then(|p| {
            endpoint.check()?;
            Operation::json("update-url-endpoint", Method::PUT, p)
                .with_idempotency(Idempotency::Idempotent)
                .json_body(&endpoint)
        });
        self.caller.call(op)
    }

    /// Deletes a URL endpoint.
    ///
    /// `DELETE /v1/accounts/url-endpoints/{id}`
    pub fn delete(&self, id: &str) -> C::Call<()> {
        let op = url_endpoint_path(id).map(|p| {
            Operation::empty("delete-url-endpoint", Method::DELETE, p).with_idempotency(Idempotency::Deletion)
        });
        self.caller.call(op)
    }
}

/// A URL endpoint to create, or the settings that replace one's ([`UpdateUrlEndpoint`]).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateUrlEndpoint {
    /// Its description, 1 to 1000 characters.
    pub description: String,
    /// The URL prefix, e.g. `product-images` (at most 100 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_prefix: Option<String>,
    /// The ids of the origins to try, in order (at most 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<String>>,
    /// A rewriter for another service's URL format.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_rewriter: Option<UrlRewriter>,
}

/// The settings that replace a URL endpoint's in [`UrlEndpoints::update`]: an update takes every
/// setting, as a create does.
pub type UpdateUrlEndpoint = CreateUrlEndpoint;

/// At most this many origins behind one URL endpoint.
pub const MAX_URL_ENDPOINT_ORIGINS: usize = 10;

impl CreateUrlEndpoint {
    /// An endpoint described by `description`.
    pub fn new(description: impl Into<String>) -> Self {
        Self { description: description.into(), url_prefix: None, origins: None, url_rewriter: None }
    }

    /// Sets the URL prefix.
    pub fn url_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.url_prefix = Some(prefix.into());
        self
    }

    /// Sets the origins, in order.
    pub fn origins<S: Into<String>>(mut self, origins: impl IntoIterator<Item = S>) -> Self {
        self.origins = Some(origins.into_iter().map(Into::into).collect());
        self
    }

    /// Sets a URL rewriter.
    pub fn url_rewriter(mut self, rewriter: UrlRewriter) -> Self {
        self.url_rewriter = Some(rewriter);
        self
    }

    fn check(&self) -> Result<(), Error> {
        check_not_empty("description", &self.description)?;
        if self.description.chars().count() > 1000 {
            return Err(Error::invalid_input("description", "must have at most 1000 characters"));
        }
        if self.url_prefix.as_ref().is_some_and(|p| p.chars().count() > 100) {
            return Err(Error::invalid_input("urlPrefix", "must have at most 100 characters"));
        }
        if let Some(origins) = &self.origins {
            check_count("origins", origins.len(), 0, MAX_URL_ENDPOINT_ORIGINS)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_parsed_as_days() {
        assert_eq!(parse_date("d", "1970-01-01").unwrap(), 0);
        assert_eq!(parse_date("d", "2024-03-01").unwrap() - parse_date("d", "2024-02-28").unwrap(), 2);
        assert_eq!(parse_date("d", "2023-03-01").unwrap() - parse_date("d", "2023-02-28").unwrap(), 1);
        for bad in
            ["2024-02-30", "2024-13-01", "24-01-01", "2024/01/01", "2024-1-01", "2024-01-0a", "+024-01-01"]
        {
            assert!(parse_date("d", bad).is_err(), "{bad}");
        }
    }
}
