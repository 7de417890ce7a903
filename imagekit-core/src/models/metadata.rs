//! Technical metadata of an image or video: dimensions, format, pHash, EXIF.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What ImageKit reads from a file itself, as the metadata endpoints return it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Metadata {
    /// Height in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// Width in pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// The format, e.g. `jpg` or `mp4`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Whether an image embeds a color profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_color_profile: Option<bool>,
    /// The JPEG quality of an image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<i64>,
    /// Pixel density of an image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub density: Option<i64>,
    /// Whether an image has transparent pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_transparency: Option<bool>,
    /// The perceptual hash of an image, as hex; compare two with a Hamming distance.
    #[serde(rename = "pHash", skip_serializing_if = "Option::is_none")]
    pub p_hash: Option<String>,
    /// Bit rate of a video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bit_rate: Option<f64>,
    /// Duration of a video, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Audio codec of a video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Video codec of a video.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// EXIF data, grouped as ImageKit groups it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exif: Option<Exif>,
    /// Fields this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// EXIF data of an image, by group. Each group maps EXIF tag names (`Make`, `ExposureTime`,
/// `GPSLatitude`, ...) to their values, as ImageKit sends them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Exif {
    /// Tags of the main image (IFD0): camera make and model, orientation, resolution, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Map<String, Value>>,
    /// Tags of the embedded thumbnail (IFD1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<Map<String, Value>>,
    /// Capture settings: exposure, aperture, ISO, dates, lens, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exif: Option<Map<String, Value>>,
    /// GPS position tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gps: Option<Map<String, Value>>,
    /// Interoperability tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interoperability: Option<Map<String, Value>>,
    /// The maker note, vendor-specific.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub makernote: Option<Map<String, Value>>,
    /// Groups this version of the crate does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
