//! Account resources: usage, usage analytics, origins and URL endpoints.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::string_enum::string_enum;

/// Account usage over a date range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Usage {
    /// Bandwidth used, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_bytes: Option<i64>,
    /// Media library storage, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_library_storage_bytes: Option<i64>,
    /// Video processing units used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_processing_units_count: Option<i64>,
    /// Extension units used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_units_count: Option<i64>,
    /// Storage used by cached originals, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_cache_storage_bytes: Option<i64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Cache hits and misses in [`UsageAnalytics`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CacheAnalytics {
    /// Requests served from the CDN cache.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_count: Option<f64>,
    /// Requests that missed the cache.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub miss_count: Option<f64>,
    /// Requests that ended in an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_count: Option<f64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One line of a [`Breakdown`]: a browser, a country, a format, an asset, a referrer, ...
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UsageEntry {
    /// What the line is about (an asset's path, a browser's name, a country's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A country's ISO code, in the country breakdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Bandwidth, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_bytes: Option<f64>,
    /// Requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_count: Option<f64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The top lines of one breakdown, ranked by bandwidth and by requests.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Breakdown {
    /// Ranked by bandwidth.
    #[serde(default)]
    pub by_bandwidth: Vec<UsageEntry>,
    /// Ranked by requests.
    #[serde(default)]
    pub by_requests: Vec<UsageEntry>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A count of requests for a name: an error reason, a status code, an asset answered 404.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NamedCount {
    /// The reason, status code or asset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_count: Option<f64>,
    /// Operations, in the extensions list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_count: Option<f64>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Video processing of one codec and resolution.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoProcessingUsage {
    /// The codec, e.g. `h264`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    /// Seconds processed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// The resolution, e.g. `1080p`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Detailed delivery analytics over a date range, both days included (UTC).
///
/// This operation is not in ImageKit's public OpenAPI document; the shape follows the official
/// SDKs' types.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UsageAnalytics {
    /// Bandwidth used, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_bytes: Option<f64>,
    /// Requests served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_count: Option<f64>,
    /// First day of the range, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Last day of the range, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// When the report was made, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    /// Cache hits and misses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheAnalytics>,
    /// By browser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<Breakdown>,
    /// By country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<Breakdown>,
    /// By device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<Breakdown>,
    /// By format delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<Breakdown>,
    /// The most requested images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_images: Option<Breakdown>,
    /// The most requested image transformations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_image_transforms: Option<Breakdown>,
    /// The most requested other assets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_other_assets: Option<Breakdown>,
    /// The top referrers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_referrers: Option<Breakdown>,
    /// The top user agents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_user_agents: Option<Breakdown>,
    /// The most requested videos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_videos: Option<Breakdown>,
    /// The most requested video transformations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_video_transforms: Option<Breakdown>,
    /// By URL endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_endpoints: Option<Breakdown>,
    /// Why requests failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_reasons: Option<Vec<NamedCount>>,
    /// By status code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_codes: Option<Vec<NamedCount>>,
    /// The assets most often answered 404.
    #[serde(rename = "top404Assets", skip_serializing_if = "Option::is_none")]
    pub top_404_assets: Option<Vec<NamedCount>>,
    /// Extension operations, by extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<NamedCount>>,
    /// Video processing, by codec and resolution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_processing: Option<Vec<VideoProcessingUsage>>,
    /// Fields this version of the crate does not type, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// The kind of storage an origin points at.
    pub enum OriginType {
        /// An Amazon S3 bucket.
        S3 => "S3",
        /// An S3-compatible bucket (Wasabi, MinIO, ...).
        S3Compatible => "S3_COMPATIBLE",
        /// A Cloudinary backup bucket.
        CloudinaryBackup => "CLOUDINARY_BACKUP",
        /// A web server folder.
        WebFolder => "WEB_FOLDER",
        /// Any public URL.
        WebProxy => "WEB_PROXY",
        /// A Google Cloud Storage bucket.
        Gcs => "GCS",
        /// An Azure Blob Storage container.
        AzureBlob => "AZURE_BLOB",
        /// An Akeneo PIM.
        AkeneoPim => "AKENEO_PIM",
    }
}

/// An origin, as ImageKit returns it; secrets are never returned.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Origin {
    /// Its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its kind.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<OriginType>,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether ImageKit adds a canonical `Link` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_canonical_header: Option<bool>,
    /// The base URL of that canonical header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url_for_canonical_header: Option<String>,
    /// The bucket (S3, S3-compatible, Cloudinary backup, GCS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The path prefix inside the bucket or container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Whether access uses an IAM role instead of keys (S3, Cloudinary backup).
    #[serde(rename = "useIAMRole", skip_serializing_if = "Option::is_none")]
    pub use_iam_role: Option<bool>,
    /// The S3-compatible endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Whether path-style S3 URLs are used (S3-compatible).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3_force_path_style: Option<bool>,
    /// The base URL (web folder, Akeneo PIM).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Whether the `Host` header is forwarded (web folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward_host_header_to_origin: Option<bool>,
    /// The service account e-mail (GCS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_email: Option<String>,
    /// The container (Azure Blob).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// The storage account (Azure Blob).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// Which other service's URLs a URL endpoint understands.
    pub enum UrlRewriterType {
        /// Cloudinary URLs.
        Cloudinary => "CLOUDINARY",
        /// Imgix URLs.
        Imgix => "IMGIX",
        /// Akamai URLs.
        Akamai => "AKAMAI",
    }
}

/// A URL rewriter: lets a URL endpoint serve another service's URL format.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UrlRewriter {
    /// Which service's URLs.
    #[serde(rename = "type")]
    pub kind: UrlRewriterType,
    /// Whether Cloudinary delivery types are kept (Cloudinary only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preserve_asset_delivery_types: Option<bool>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UrlRewriter {
    /// A rewriter of this kind with default settings.
    pub fn new(kind: UrlRewriterType) -> Self {
        Self { kind, preserve_asset_delivery_types: None, extra: Map::new() }
    }
}

/// A URL endpoint: a URL prefix served from a list of origins.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UrlEndpoint {
    /// Its id (`default` for the account's default endpoint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The URL prefix, e.g. `product-images`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_prefix: Option<String>,
    /// The ids of the origins tried, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origins: Option<Vec<String>>,
    /// The URL rewriter, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_rewriter: Option<UrlRewriter>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
