//! Overlay layers (`l-text`, `l-image`, `l-video`, `l-subtitles`, solid colour blocks).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Deserializer};

use super::UrlError;
use super::transformation::{Scalar, Transformation, deserialize_chain, push_path_at_at, render_chain_into};

/// What JavaScript's `encodeURIComponent` leaves alone.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The kind of layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum OverlayType {
    /// Text rendered onto the asset (`l-text`).
    Text,
    /// Another image from the media library (`l-image`).
    Image,
    /// A video from the media library (`l-video`).
    Video,
    /// A subtitle file burnt into a video (`l-subtitles`).
    Subtitle,
    /// A block of solid colour (`l-image,i-ik_canvas,bg-…`).
    SolidColor,
}

impl OverlayType {
    /// The `type` value in the SDKs' JSON.
    fn json_name(self) -> &'static str {
        match self {
            OverlayType::Text => "text",
            OverlayType::Image => "image",
            OverlayType::Video => "video",
            OverlayType::Subtitle => "subtitle",
            OverlayType::SolidColor => "solidColor",
        }
    }
}

/// How the overlay's text or input path is put into the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum OverlayEncoding {
    /// Plain (`i-…`) when the value only has safe characters, base64 (`ie-…`) otherwise.
    #[default]
    Auto,
    /// Always `i-…` (text is percent-encoded, paths get `/` → `@@`).
    Plain,
    /// Always `ie-<base64>`.
    Base64,
}

/// Where the layer is placed (`lx`, `ly`, `lxc`, `lyc`, `lfo`, `lap`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct OverlayPosition {
    /// Left offset (`lx`), a number or an expression such as `"bw_mul_0.2"`.
    pub x: Option<Scalar>,
    /// Top offset (`ly`).
    pub y: Option<Scalar>,
    /// Horizontal centre (`lxc`).
    pub x_center: Option<Scalar>,
    /// Vertical centre (`lyc`).
    pub y_center: Option<Scalar>,
    /// Relative placement such as `"center"` or `"top_left"` (`lfo`).
    pub focus: Option<String>,
    /// Which point of the layer the coordinates refer to, e.g. `"top_left"` (`lap`).
    pub anchor_point: Option<String>,
}

impl OverlayPosition {
    /// No position: the layer is centred.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets `x` (`lx`).
    pub fn x(mut self, v: impl Into<Scalar>) -> Self {
        self.x = Some(v.into());
        self
    }
    /// Sets `y` (`ly`).
    pub fn y(mut self, v: impl Into<Scalar>) -> Self {
        self.y = Some(v.into());
        self
    }
    /// Sets `xCenter` (`lxc`).
    pub fn x_center(mut self, v: impl Into<Scalar>) -> Self {
        self.x_center = Some(v.into());
        self
    }
    /// Sets `yCenter` (`lyc`).
    pub fn y_center(mut self, v: impl Into<Scalar>) -> Self {
        self.y_center = Some(v.into());
        self
    }
    /// Sets `focus` (`lfo`).
    pub fn focus(mut self, v: impl Into<String>) -> Self {
        self.focus = Some(v.into());
        self
    }
    /// Sets `anchorPoint` (`lap`).
    pub fn anchor_point(mut self, v: impl Into<String>) -> Self {
        self.anchor_point = Some(v.into());
        self
    }
}

/// When a layer shows on a video, in seconds (`lso`, `leo`, `ldu`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OverlayTiming {
    /// Start offset (`lso`).
    pub start: Option<Scalar>,
    /// End offset (`leo`).
    pub end: Option<Scalar>,
    /// Duration (`ldu`).
    pub duration: Option<Scalar>,
}

impl OverlayTiming {
    /// No timing: the layer shows for the whole video.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets `start` (`lso`).
    pub fn start(mut self, v: impl Into<Scalar>) -> Self {
        self.start = Some(v.into());
        self
    }
    /// Sets `end` (`leo`).
    pub fn end(mut self, v: impl Into<Scalar>) -> Self {
        self.end = Some(v.into());
        self
    }
    /// Sets `duration` (`ldu`).
    pub fn duration(mut self, v: impl Into<Scalar>) -> Self {
        self.duration = Some(v.into());
        self
    }
}

/// An overlay layer, the value of a transformation's `overlay` key.
///
/// The fields mirror the SDKs' JSON (`{"type": "image", "input": "logo.png", ...}`). As in
/// the SDKs, an overlay without a `type`, or without the text / input / colour its type
/// needs, is left out of the URL; a field that belongs to another overlay type is an error.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Overlay {
    /// The kind of layer.
    #[serde(rename = "type")]
    pub overlay_type: Option<OverlayType>,
    /// The text of a text overlay.
    pub text: Option<String>,
    /// The media-library path of an image, video or subtitle overlay.
    pub input: Option<String>,
    /// The colour of a solid-colour overlay (`FF0000`, `FFAABB50`, `red`).
    pub color: Option<String>,
    /// How `text` / `input` is encoded into the URL.
    pub encoding: Option<OverlayEncoding>,
    /// How the layer blends with what is below (`multiply`, `cutter`, `cutout`, `displace`).
    pub layer_mode: Option<String>,
    /// Where the layer goes.
    #[serde(default, deserialize_with = "null_as_default")]
    pub position: OverlayPosition,
    /// When the layer shows (video only).
    #[serde(default, deserialize_with = "null_as_default")]
    pub timing: OverlayTiming,
    /// Transformations applied to the layer itself.
    #[serde(default, deserialize_with = "deserialize_chain")]
    pub transformation: Vec<Transformation>,
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl Overlay {
    fn of(overlay_type: OverlayType) -> Self {
        Overlay { overlay_type: Some(overlay_type), ..Overlay::default() }
    }
    /// A text layer.
    pub fn text(text: impl Into<String>) -> Self {
        Overlay { text: Some(text.into()), ..Self::of(OverlayType::Text) }
    }
    /// An image layer from a media-library path.
    pub fn image(input: impl Into<String>) -> Self {
        Overlay { input: Some(input.into()), ..Self::of(OverlayType::Image) }
    }
    /// A video layer from a media-library path.
    pub fn video(input: impl Into<String>) -> Self {
        Overlay { input: Some(input.into()), ..Self::of(OverlayType::Video) }
    }
    /// A subtitle layer from a media-library path.
    pub fn subtitle(input: impl Into<String>) -> Self {
        Overlay { input: Some(input.into()), ..Self::of(OverlayType::Subtitle) }
    }
    /// A solid-colour block.
    pub fn solid_color(color: impl Into<String>) -> Self {
        Overlay { color: Some(color.into()), ..Self::of(OverlayType::SolidColor) }
    }
    /// Forces an encoding for the text or input path.
    pub fn encoding(mut self, encoding: OverlayEncoding) -> Self {
        self.encoding = Some(encoding);
        self
    }
    /// Sets the layer mode (`lm-…`).
    pub fn layer_mode(mut self, mode: impl Into<String>) -> Self {
        self.layer_mode = Some(mode.into());
        self
    }
    /// Sets the position.
    pub fn position(mut self, position: OverlayPosition) -> Self {
        self.position = position;
        self
    }
    /// Sets the timing.
    pub fn timing(mut self, timing: OverlayTiming) -> Self {
        self.timing = timing;
        self
    }
    /// Appends a transformation step applied to the layer.
    pub fn transformation(mut self, step: Transformation) -> Self {
        self.transformation.push(step);
        self
    }

    /// Writes the layer; `false` (nothing written) when the SDKs would leave it out. `field`
    /// names the overlay in error messages and is only called on an error.
    pub(crate) fn render(&self, field: &dyn Fn() -> String, out: &mut String) -> Result<bool, UrlError> {
        let Some(overlay_type) = self.overlay_type else {
            return Ok(false);
        };
        let misplaced = |name: &str| {
            UrlError::invalid(
                format!("{}.{name}", field()),
                format!("`{name}` does not apply to a `{}` overlay", overlay_type.json_name()),
            )
        };
        let uses_input =
            matches!(overlay_type, OverlayType::Image | OverlayType::Video | OverlayType::Subtitle);
        if overlay_type != OverlayType::Text && self.text.is_some() {
            return Err(misplaced("text"));
        }
        if !uses_input && self.input.is_some() {
            return Err(misplaced("input"));
        }
        if overlay_type != OverlayType::SolidColor && self.color.is_some() {
            return Err(misplaced("color"));
        }
        if overlay_type == OverlayType::SolidColor && self.encoding.is_some() {
            return Err(misplaced("encoding"));
        }
        let encoding = self.encoding.unwrap_or_default();

        match overlay_type {
            OverlayType::Text => {
                let Some(text) = present(&self.text) else {
                    return Ok(false);
                };
                out.push_str("l-text,");
                encode_text(text, encoding, out);
            }
            OverlayType::Image | OverlayType::Video | OverlayType::Subtitle => {
                let Some(input) = present(&self.input) else {
                    return Ok(false);
                };
                out.push_str(match overlay_type {
                    OverlayType::Video => "l-video,",
                    OverlayType::Subtitle => "l-subtitles,",
                    _ => "l-image,",
                });
                encode_path(input, encoding, out);
            }
            OverlayType::SolidColor => {
                let Some(color) = present(&self.color) else {
                    return Ok(false);
                };
                out.push_str("l-image,i-ik_canvas,bg-");
                out.push_str(color);
            }
        }
        if let Some(mode) = present(&self.layer_mode) {
            out.push_str(",lm-");
            out.push_str(mode);
        }

        let pos = &self.position;
        let time = &self.timing;
        // Numeric zero is kept (`lx-0`): it is a real position. The JavaScript SDKs drop it
        // through a truthiness check, which silently moves the layer to the centre.
        let scalars: [(&str, &str, &Option<Scalar>); 7] = [
            (",lx-", "position.x", &pos.x),
            (",ly-", "position.y", &pos.y),
            (",lxc-", "position.xCenter", &pos.x_center),
            (",lyc-", "position.yCenter", &pos.y_center),
            (",lso-", "timing.start", &time.start),
            (",leo-", "timing.end", &time.end),
            (",ldu-", "timing.duration", &time.duration),
        ];
        let push_scalar = |out: &mut String, i: usize| -> Result<(), UrlError> {
            if let Some((prefix, name, Some(value))) = scalars.get(i) {
                let mark = out.len();
                out.push_str(prefix);
                if !value.write(&|| format!("{}.{name}", field()), out)? {
                    out.truncate(mark);
                }
            }
            Ok(())
        };
        for i in 0..4 {
            push_scalar(out, i)?;
        }
        if let Some(focus) = present(&pos.focus) {
            out.push_str(",lfo-");
            out.push_str(focus);
        }
        if let Some(anchor) = present(&pos.anchor_point) {
            out.push_str(",lap-");
            out.push_str(anchor);
        }
        for i in 4..7 {
            push_scalar(out, i)?;
        }

        let mark = out.len();
        out.push(',');
        let nested = out.len();
        render_chain_into(&self.transformation, &|| format!("{}.transformation", field()), out)?;
        if out[nested..].trim().is_empty() {
            out.truncate(mark);
        }
        out.push_str(",l-end");
        Ok(true)
    }
}

/// `ie-` and the base64 of `s`, percent-encoded as `encodeURIComponent` would.
fn push_base64_input(s: &str, out: &mut String) {
    out.push_str("ie-");
    // Whole 3-byte groups encode independently, so the input goes through a stack buffer a
    // piece at a time; only the last piece can carry padding.
    let mut buf = [0u8; 64];
    for chunk in s.as_bytes().chunks(48) {
        let n = STANDARD.encode_slice(chunk, &mut buf).unwrap_or(0);
        let encoded = std::str::from_utf8(&buf[..n]).unwrap_or("");
        out.extend(utf8_percent_encode(encoded, URI_COMPONENT));
    }
}

fn encode_text(text: &str, encoding: OverlayEncoding, out: &mut String) {
    let simple = text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b' '));
    match encoding {
        OverlayEncoding::Base64 => push_base64_input(text, out),
        OverlayEncoding::Auto if !simple => push_base64_input(text, out),
        _ => {
            out.push_str("i-");
            out.extend(utf8_percent_encode(text, URI_COMPONENT));
        }
    }
}

fn encode_path(input: &str, encoding: OverlayEncoding, out: &mut String) {
    let path = input.strip_prefix('/').unwrap_or(input);
    let path = path.strip_suffix('/').unwrap_or(path);
    let simple =
        path.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b' ' | b'/'));
    match encoding {
        OverlayEncoding::Base64 => push_base64_input(path, out),
        OverlayEncoding::Auto if !simple => push_base64_input(path, out),
        _ => {
            out.push_str("i-");
            push_path_at_at(path, out);
        }
    }
}

/// The value of an optional text field, unless it is missing or empty.
fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}
