//! Transformation steps and their rendering to ImageKit's `tr` string.

use std::fmt::{self, Write as _};

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::overlay::Overlay;
use super::{UrlError, decimal};

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

impl Scalar {
    /// Writes the rendered text; `false` (nothing written) for an empty string, which the SDKs
    /// leave out.
    pub(crate) fn write(&self, field: &dyn Fn() -> String, out: &mut String) -> Result<bool, UrlError> {
        match self {
            Scalar::String(s) if s.is_empty() => Ok(false),
            Scalar::String(s) => {
                out.push_str(s);
                Ok(true)
            }
            Scalar::Number(n) => write_js_number(*n, field, out).map(|()| true),
        }
    }
}

/// Formats a number the way JavaScript's `String(number)` does, so URLs match the SDKs.
pub(crate) fn js_number(n: f64, field: &dyn Fn() -> String) -> Result<String, UrlError> {
    let mut out = String::new();
    write_js_number(n, field, &mut out)?;
    Ok(out)
}

/// [`js_number`], appended to `out`.
pub(crate) fn write_js_number(n: f64, field: &dyn Fn() -> String, out: &mut String) -> Result<(), UrlError> {
    if !n.is_finite() {
        return Err(UrlError::invalid(field(), "numbers must be finite"));
    }
    if n == 0.0 {
        out.push('0');
        return Ok(());
    }
    let abs = n.abs();
    if !(1e-6..1e21).contains(&abs) {
        let start = out.len();
        let _ = write!(out, "{n:e}");
        // JavaScript writes a positive exponent with its sign (`1e+21`).
        if let Some(e) = out[start..].find('e') {
            let exponent = start + e + 1;
            if !out[exponent..].starts_with('-') {
                out.insert(exponent, '+');
            }
        }
    } else if abs < MAX_SAFE_INTEGER && n.fract() == 0.0 {
        // Widths and heights are whole numbers; below 2^53 their digits are the float
        // formatter's, and cheaper to get.
        if n < 0.0 {
            out.push('-');
        }
        out.push_str(decimal(abs as u64, &mut [0; 20]));
    } else {
        let _ = write!(out, "{n}");
    }
    Ok(())
}

/// 2^53: whole numbers below it are exact in an `f64` and fit an `i64`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

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

/// SDK parameter name → URL code, as in the official helpers.
fn known_code(key: &str) -> Option<&'static str> {
    Some(match key {
        "width" => "w",
        "height" => "h",
        "aspectRatio" => "ar",
        "background" => "bg",
        "border" => "b",
        "crop" => "c",
        "cropMode" => "cm",
        "dpr" => "dpr",
        "focus" => "fo",
        "quality" => "q",
        "x" => "x",
        "xCenter" => "xc",
        "y" => "y",
        "yCenter" => "yc",
        "format" => "f",
        "videoCodec" => "vc",
        "audioCodec" => "ac",
        "radius" => "r",
        "rotation" => "rt",
        "blur" => "bl",
        "named" => "n",
        "defaultImage" => "di",
        "flip" => "fl",
        "original" => "orig",
        "startOffset" => "so",
        "endOffset" => "eo",
        "duration" => "du",
        "streamingResolutions" => "sr",
        "grayscale" => "e-grayscale",
        "aiUpscale" => "e-upscale",
        "aiRetouch" => "e-retouch",
        "aiVariation" => "e-genvar",
        "aiDropShadow" => "e-dropshadow",
        "aiChangeBackground" => "e-changebg",
        "aiRemoveBackground" => "e-bgremove",
        "aiRemoveBackgroundExternal" => "e-removedotbg",
        "aiEdit" => "e-edit",
        "contrastStretch" => "e-contrast",
        "shadow" => "e-shadow",
        "sharpen" => "e-sharpen",
        "unsharpMask" => "e-usm",
        "gradient" => "e-gradient",
        "colorReplace" => "cr",
        "colorize" => "e-colorize",
        "distort" => "e-distort",
        "progressive" => "pr",
        "lossless" => "lo",
        "colorProfile" => "cp",
        "metadata" => "md",
        "opacity" => "o",
        "trim" => "t",
        "zoom" => "z",
        "page" => "pg",
        "fontSize" => "fs",
        "fontFamily" => "ff",
        "fontColor" => "co",
        "innerAlignment" => "ia",
        "padding" => "pa",
        "alpha" => "al",
        "typography" => "tg",
        "lineHeight" => "lh",
        "fontOutline" => "fol",
        "fontShadow" => "fsh",
        "color" => "co",
        "raw" => "raw",
        _ => return None,
    })
}

/// The SDKs look a name up as given, then lowercased (so `WIDTH` also means `w`).
fn lookup_code(key: &str) -> Option<&'static str> {
    known_code(key).or_else(|| {
        if !key.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        // Lowercased on the stack: no known name is longer than the buffer.
        let mut buf = [0u8; 32];
        let lower = buf.get_mut(..key.len())?;
        lower.copy_from_slice(key.as_bytes());
        lower.make_ascii_lowercase();
        known_code(std::str::from_utf8(lower).ok()?)
    })
}

/// Writes the text of a plain value, as JavaScript's `String(value)` gives it.
fn write_plain(value: &TransformValue, field: &dyn Fn() -> String, out: &mut String) -> Result<(), UrlError> {
    match value {
        TransformValue::String(s) => out.push_str(s),
        TransformValue::Number(n) => write_js_number(*n, field, out)?,
        TransformValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        TransformValue::List(_) => {
            return Err(UrlError::invalid(
                field(),
                "a list is only accepted for `streamingResolutions`; give a string or a number",
            ));
        }
        TransformValue::Overlay(_) => {
            return Err(UrlError::invalid(
                field(),
                "an overlay object is only accepted under the `overlay` key",
            ));
        }
    }
    Ok(())
}

fn no_bool(value: &TransformValue, field: &dyn Fn() -> String) -> Result<(), UrlError> {
    if let TransformValue::Bool(b) = value {
        return Err(UrlError::invalid(field(), format!("expects a number or a string, got the boolean {b}")));
    }
    Ok(())
}

fn strip_one_slash_each_side(s: &str) -> &str {
    let s = s.strip_prefix('/').unwrap_or(s);
    s.strip_suffix('/').unwrap_or(s)
}

/// Appends `s` with every `/` written as `@@`, as media-library paths go into a transformation.
pub(crate) fn push_path_at_at(s: &str, out: &mut String) {
    for (i, piece) in s.split('/').enumerate() {
        if i > 0 {
            out.push_str("@@");
        }
        out.push_str(piece);
    }
}

/// Writes one parameter; `false` (nothing written) when the SDKs leave it out, e.g.
/// `grayscale: false`. What it writes is never empty.
fn render_param(
    key: &str,
    value: &TransformValue,
    field: &dyn Fn() -> String,
    out: &mut String,
) -> Result<bool, UrlError> {
    if key.is_empty() {
        return Err(UrlError::invalid(field(), "a transformation key must not be empty"));
    }
    if key == "overlay" {
        return match value {
            TransformValue::Overlay(overlay) => overlay.render(field, out),
            _ => Err(UrlError::invalid(
                field(),
                "`overlay` must be an overlay object such as {\"type\": \"text\", \"text\": \"Hi\"}",
            )),
        };
    }
    if key == "raw" {
        return match value {
            // An empty raw string adds nothing (the SDKs would leave a stray separator).
            TransformValue::String(s) if s.is_empty() => Ok(false),
            TransformValue::String(s) => {
                out.push_str(s);
                Ok(true)
            }
            _ => Err(UrlError::invalid(field(), "`raw` must be a string")),
        };
    }
    let code = lookup_code(key);
    let name = code.unwrap_or(key);
    match name {
        // Effects that are either on or off.
        "e-grayscale" | "e-contrast" | "e-removedotbg" | "e-bgremove" | "e-upscale" | "e-retouch"
        | "e-genvar" => match value {
            TransformValue::Bool(true) => out.push_str(name),
            TransformValue::Bool(false) => return Ok(false),
            TransformValue::String(s) if s == "true" || s == "-" => out.push_str(name),
            TransformValue::String(s) if s == "false" => return Ok(false),
            _ => return Err(UrlError::invalid(field(), "expects true or false")),
        },
        // Effects that are on with defaults (`true` or empty) or take parameters.
        "e-sharpen" | "e-shadow" | "e-gradient" | "e-usm" | "e-dropshadow" | "t" => {
            let with_defaults = match value {
                TransformValue::Bool(false) => return Ok(false),
                TransformValue::Bool(true) => {
                    out.push_str(name);
                    true
                }
                other => {
                    out.push_str(name);
                    let dash = out.len();
                    out.push('-');
                    let text_start = out.len();
                    write_plain(other, field, out)?;
                    let text = &out[text_start..];
                    let with_defaults = text.trim().is_empty() || text == "true";
                    if with_defaults {
                        out.truncate(dash);
                    }
                    with_defaults
                }
            };
            if with_defaults && name == "t" {
                out.push_str("-true");
            }
        }
        "sr" => {
            out.push_str("sr-");
            match value {
                TransformValue::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push('_');
                        }
                        out.push_str(item);
                    }
                }
                other => {
                    no_bool(other, field)?;
                    write_plain(other, field, out)?;
                }
            }
        }
        "di" | "ff" => {
            // A media-library path; the SDKs mangle or throw on anything but a string.
            let TransformValue::String(text) = value else {
                return Err(UrlError::invalid(field(), "expects a file path string"));
            };
            out.push_str(name);
            out.push('-');
            push_path_at_at(strip_one_slash_each_side(text), out);
        }
        // Boolean options rendered as `pr-true` / `pr-false`.
        "pr" | "lo" | "cp" | "md" | "orig" => {
            out.push_str(name);
            out.push('-');
            write_plain(value, field, out)?;
        }
        _ => {
            if code.is_some() {
                no_bool(value, field)?;
            }
            out.push_str(name);
            out.push('-');
            write_plain(value, field, out)?;
        }
    }
    Ok(true)
}

/// Renders a chain; `path` names the chain in error messages (e.g. `transformation`).
pub(crate) fn render_chain(steps: &[Transformation], path: &str) -> Result<String, UrlError> {
    let mut out = String::with_capacity(rendered_len_hint(steps));
    render_chain_into(steps, &|| path.to_owned(), &mut out)?;
    Ok(out)
}

/// Appends a rendered chain to `out`: steps joined with `:`, parameters with `,`. `path` names
/// the chain in error messages; it is only called on an error.
pub(crate) fn render_chain_into(
    steps: &[Transformation],
    path: &dyn Fn() -> String,
    out: &mut String,
) -> Result<(), UrlError> {
    let chain_start = out.len();
    for (index, step) in steps.iter().enumerate() {
        // Separators go in first and come out again when nothing follows them; every part
        // written is non-empty, so "something was written" is "the length moved".
        let step_start = out.len();
        if step_start > chain_start {
            out.push(':');
        }
        let params_start = out.len();
        for (key, value) in &step.entries {
            let mark = out.len();
            if mark > params_start {
                out.push(',');
            }
            let field = || format!("{}[{index}].{key}", path());
            if !render_param(key, value, &field, out)? {
                out.truncate(mark);
            }
        }
        if out.len() == params_start {
            out.truncate(step_start);
        }
    }
    Ok(())
}

/// Roughly how long a rendered chain is, to size a buffer once; SDK names are at least as long
/// as the codes they stand for, so this rarely falls short.
pub(crate) fn rendered_len_hint(steps: &[Transformation]) -> usize {
    let value_len = |value: &TransformValue| match value {
        TransformValue::String(s) => s.len(),
        TransformValue::Bool(_) => 5,
        TransformValue::Number(_) => 8,
        TransformValue::List(items) => items.iter().map(|s| s.len() + 1).sum(),
        TransformValue::Overlay(_) => 64,
    };
    steps.iter().flat_map(|step| &step.entries).map(|(key, value)| key.len() + value_len(value) + 2).sum()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: f64) -> String {
        js_number(n, &String::new).unwrap()
    }

    #[test]
    fn numbers_render_like_javascript() {
        assert_eq!(num(300.0), "300");
        assert_eq!(num(0.8), "0.8");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(1e21), "1e+21");
        assert_eq!(num(1.5e-7), "1.5e-7");
        assert_eq!(num(0.000001), "0.000001");
        assert_eq!(num(123456789012345680000.0), "123456789012345680000");
        assert!(js_number(f64::NAN, &String::new).is_err());
    }

    #[test]
    fn typed_builder_keeps_order_and_rejects_bad_types() {
        let t = Transformation::new().height(300).width("400").grayscale();
        assert_eq!(render_chain(&[t], "t").unwrap(), "h-300,w-400,e-grayscale");
        let bad = Transformation::new().width(true);
        let err = render_chain(&[bad], "transformation").unwrap_err();
        assert!(err.to_string().contains("transformation[0].width"), "{err}");
    }

    #[test]
    fn json_objects_outside_overlay_are_rejected() {
        let r: Result<Transformation, _> = serde_json::from_value(serde_json::json!({"width": {}}));
        assert!(r.unwrap_err().to_string().contains("width"));
    }
}
