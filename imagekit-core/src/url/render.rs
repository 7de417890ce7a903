//! Renders transformation chains and overlay layers to ImageKit's `tr` text, as the official
//! SDKs do.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::UrlError;
use super::number::write_js_number;
use super::steps::{Overlay, OverlayEncoding, OverlayType, Scalar, TransformValue, Transformation};

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
        for (key, value) in step.entries() {
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
    steps.iter().flat_map(|step| step.entries()).map(|(key, value)| key.len() + value_len(value) + 2).sum()
}

impl Overlay {
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

#[cfg(test)]
mod tests {
    use super::*;

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
