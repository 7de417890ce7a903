//! What a transformation chain is made of: steps of parameters, whose values may be overlay
//! layers, which carry chains of their own. The types are one recursive structure, so they live
//! together; [`super::render`] turns them into URL text.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::number::js_number;

/// A value of one transformation parameter.
///
/// JSON options map onto it directly: strings, numbers, booleans, an array (only for
/// `streamingResolutions`) and an object (only for `overlay`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TransformValue {
    /// A boolean, e.g. `progressive: true` or `grayscale: true`.
    Bool(bool),
    /// A number; rendered the way JavaScript's `String(number)` does.
    Number(f64),
    /// A string, passed through as given.
    String(String),
    /// A list of values joined with `_` (used by `streamingResolutions`).
    List(Vec<String>),
    /// An overlay layer (only valid under the `overlay` key).
    Overlay(Box<Overlay>),
}

impl From<bool> for TransformValue {
    fn from(v: bool) -> Self {
        TransformValue::Bool(v)
    }
}
impl From<&str> for TransformValue {
    fn from(v: &str) -> Self {
        TransformValue::String(v.to_owned())
    }
}
impl From<String> for TransformValue {
    fn from(v: String) -> Self {
        TransformValue::String(v)
    }
}
impl From<f64> for TransformValue {
    fn from(v: f64) -> Self {
        TransformValue::Number(v)
    }
}
impl From<f32> for TransformValue {
    fn from(v: f32) -> Self {
        // Through the shortest decimal form, so 0.8f32 renders as "0.8" and not 0.800000011920929.
        TransformValue::Number(v.to_string().parse().unwrap_or(f64::from(v)))
    }
}
macro_rules! int_into_value {
    ($($t:ty),*) => {$(
        impl From<$t> for TransformValue {
            fn from(v: $t) -> Self {
                // Numbers become f64 exactly as in the JavaScript SDK.
                TransformValue::Number(v as f64)
            }
        }
    )*};
}
int_into_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);
impl From<Overlay> for TransformValue {
    fn from(v: Overlay) -> Self {
        TransformValue::Overlay(Box::new(v))
    }
}

/// A number or a string: the value type of overlay positions and timings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Scalar {
    /// A number, rendered like JavaScript's `String(number)`.
    Number(f64),
    /// A string, passed through as given (e.g. `"bw_mul_0.5"`).
    String(String),
}

impl From<&str> for Scalar {
    fn from(v: &str) -> Self {
        Scalar::String(v.to_owned())
    }
}
impl From<String> for Scalar {
    fn from(v: String) -> Self {
        Scalar::String(v)
    }
}
impl From<f64> for Scalar {
    fn from(v: f64) -> Self {
        Scalar::Number(v)
    }
}
macro_rules! int_into_scalar {
    ($($t:ty),*) => {$(
        impl From<$t> for Scalar {
            fn from(v: $t) -> Self {
                Scalar::Number(v as f64)
            }
        }
    )*};
}
int_into_scalar!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::String(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::String(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// One step of a transformation chain: parameters in the order they were given.
///
/// Steps are joined with `:` in the URL, parameters within a step with `,`. Build one with
/// the typed methods, or deserialize the same JSON object the official SDKs take
/// (`{"width": 300, "height": 200}`); key order is kept either way.
///
/// ```
/// use imagekit_core::url::{Overlay, Transformation, build_transformation_string};
///
/// let step = Transformation::new()
///     .width(300)
///     .height(200)
///     .overlay(Overlay::text("Hello").transformation(Transformation::new().font_size(20)));
/// assert_eq!(
///     build_transformation_string(&[step]).unwrap(),
///     "w-300,h-200,l-text,i-Hello,fs-20,l-end"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transformation {
    entries: Vec<(String, TransformValue)>,
}

impl Transformation {
    /// An empty step.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds any parameter by its SDK name (`"width"`) or by a name ImageKit knows but this
    /// crate does not; unknown names are emitted as `name-value`, as the SDKs do.
    ///
    /// Setting a name twice keeps its first position and the last value, like a JS object.
    pub fn param(mut self, key: impl Into<String>, value: impl Into<TransformValue>) -> Self {
        self.insert(key.into(), value.into());
        self
    }

    fn insert(&mut self, key: String, value: TransformValue) {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// The parameters in order.
    pub fn entries(&self) -> &[(String, TransformValue)] {
        &self.entries
    }

    /// Whether the step has no parameters.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sets the raw transformation string, emitted verbatim (e.g. `"l-image,i-logo.png,l-end"`).
    pub fn raw(self, raw: impl Into<String>) -> Self {
        self.param("raw", TransformValue::String(raw.into()))
    }

    /// Adds an overlay layer (`l-…,l-end`).
    pub fn overlay(self, overlay: Overlay) -> Self {
        self.param("overlay", overlay)
    }

    /// Sets `streamingResolutions` (`sr`), e.g. `["240", "720"]` → `sr-240_720`.
    pub fn streaming_resolutions<I, S>(self, resolutions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = resolutions.into_iter().map(Into::into).collect();
        self.param("streamingResolutions", TransformValue::List(list))
    }
}

macro_rules! value_params {
    ($($fn:ident => $key:literal => $code:literal;)*) => {
        impl Transformation {$(
            #[doc = concat!("Sets `", $key, "` (`", $code, "`).")]
            pub fn $fn(self, value: impl Into<TransformValue>) -> Self {
                self.param($key, value)
            }
        )*}
    };
}

value_params! {
    width => "width" => "w";
    height => "height" => "h";
    aspect_ratio => "aspectRatio" => "ar";
    background => "background" => "bg";
    border => "border" => "b";
    crop => "crop" => "c";
    crop_mode => "cropMode" => "cm";
    dpr => "dpr" => "dpr";
    focus => "focus" => "fo";
    quality => "quality" => "q";
    x => "x" => "x";
    x_center => "xCenter" => "xc";
    y => "y" => "y";
    y_center => "yCenter" => "yc";
    format => "format" => "f";
    video_codec => "videoCodec" => "vc";
    audio_codec => "audioCodec" => "ac";
    radius => "radius" => "r";
    rotation => "rotation" => "rt";
    blur => "blur" => "bl";
    named => "named" => "n";
    default_image => "defaultImage" => "di";
    flip => "flip" => "fl";
    start_offset => "startOffset" => "so";
    end_offset => "endOffset" => "eo";
    duration => "duration" => "du";
    page => "page" => "pg";
    zoom => "zoom" => "z";
    opacity => "opacity" => "o";
    color_replace => "colorReplace" => "cr";
    colorize => "colorize" => "e-colorize";
    distort => "distort" => "e-distort";
    ai_change_background => "aiChangeBackground" => "e-changebg";
    ai_edit => "aiEdit" => "e-edit";
    ai_drop_shadow => "aiDropShadow" => "e-dropshadow";
    shadow => "shadow" => "e-shadow";
    sharpen => "sharpen" => "e-sharpen";
    unsharp_mask => "unsharpMask" => "e-usm";
    gradient => "gradient" => "e-gradient";
    trim => "trim" => "t";
    original => "original" => "orig";
    progressive => "progressive" => "pr";
    lossless => "lossless" => "lo";
    color_profile => "colorProfile" => "cp";
    metadata => "metadata" => "md";
    font_size => "fontSize" => "fs";
    font_family => "fontFamily" => "ff";
    font_color => "fontColor" => "co";
    color => "color" => "co";
    inner_alignment => "innerAlignment" => "ia";
    padding => "padding" => "pa";
    alpha => "alpha" => "al";
    typography => "typography" => "tg";
    line_height => "lineHeight" => "lh";
    font_outline => "fontOutline" => "fol";
    font_shadow => "fontShadow" => "fsh";
}

macro_rules! flag_params {
    ($($fn:ident => $key:literal => $code:literal;)*) => {
        impl Transformation {$(
            #[doc = concat!("Turns on `", $key, "` (`", $code, "`).")]
            pub fn $fn(self) -> Self {
                self.param($key, true)
            }
        )*}
    };
}

flag_params! {
    grayscale => "grayscale" => "e-grayscale";
    contrast_stretch => "contrastStretch" => "e-contrast";
    ai_remove_background => "aiRemoveBackground" => "e-bgremove";
    ai_remove_background_external => "aiRemoveBackgroundExternal" => "e-removedotbg";
    ai_upscale => "aiUpscale" => "e-upscale";
    ai_retouch => "aiRetouch" => "e-retouch";
    ai_variation => "aiVariation" => "e-genvar";
}

/// Turns one JSON value into a parameter value; `Ok(None)` for `null`, which the SDKs skip.
fn value_from_json(key: &str, value: serde_json::Value) -> Result<Option<TransformValue>, String> {
    use serde_json::Value;
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::Bool(b) => TransformValue::Bool(b),
        Value::Number(n) => TransformValue::Number(
            n.as_f64()
                .ok_or_else(|| format!("transformation key `{key}`: the number {n} is not representable"))?,
        ),
        Value::String(s) => TransformValue::String(s),
        Value::Array(items) => {
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => list.push(s),
                    Value::Number(n) => {
                        let f = n.as_f64().unwrap_or(f64::NAN);
                        list.push(js_number(f, &|| key.to_owned()).map_err(|e| e.to_string())?)
                    }
                    other => {
                        return Err(format!(
                            "transformation key `{key}`: list items must be strings or numbers, got {other}"
                        ));
                    }
                }
            }
            TransformValue::List(list)
        }
        Value::Object(_) if key == "overlay" => {
            let overlay: Overlay =
                serde_json::from_value(value).map_err(|e| format!("transformation key `overlay`: {e}"))?;
            TransformValue::Overlay(Box::new(overlay))
        }
        Value::Object(_) => {
            return Err(format!(
                "transformation key `{key}`: expected a string, number or boolean, got an object \
                 (only `overlay` takes an object)"
            ));
        }
    }))
}

impl<'de> Deserialize<'de> for Transformation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Transformation;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a transformation object such as {\"width\": 300}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Transformation, A::Error> {
                let mut t = Transformation::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: serde_json::Value = map.next_value()?;
                    if let Some(value) = value_from_json(&key, value).map_err(de::Error::custom)? {
                        t.insert(key, value);
                    }
                }
                Ok(t)
            }
            // A `null` step is skipped by the SDKs; here it is an empty step, which renders
            // to nothing.
            fn visit_none<E: de::Error>(self) -> Result<Transformation, E> {
                Ok(Transformation::new())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Transformation, E> {
                Ok(Transformation::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Transformation, D::Error> {
                d.deserialize_map(self)
            }
        }
        d.deserialize_option(V)
    }
}

/// Deserializes a chain, treating `null` (or a `null` step) as nothing, like the SDKs.
pub(crate) fn deserialize_chain<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Transformation>, D::Error> {
    Ok(Option::<Vec<Transformation>>::deserialize(d)?.unwrap_or_default())
}

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
    pub(crate) fn json_name(self) -> &'static str {
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
}
