//! Writing results: human-readable lines and tables, or JSON.

use std::io::{self, Write};

use serde_json::Value;

use crate::failure::{Code, Failure};

/// Writes one line to standard output. A closed pipe (`imagekit ls | head`) stops the command
/// quietly instead of failing it; another write error fails it.
pub(crate) fn line(text: impl AsRef<str>) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    let written = stdout.write_all(text.as_ref().as_bytes()).and_then(|()| stdout.write_all(b"\n"));
    written.and_then(|()| stdout.flush()).map_err(|error| match error.kind() {
        io::ErrorKind::BrokenPipe => Failure::silent(Code::OutputClosed),
        _ => Failure::failed(format!("cannot write to standard output: {error}")),
    })
}

/// One JSON document, pretty-printed.
pub(crate) fn json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| Failure::failed(format!("cannot write JSON: {error}")))?;
    line(terminal_safe_json(text))
}

/// One JSON value on one line (JSON Lines, for streamed output).
pub(crate) fn json_line(value: &Value) -> Result<(), Failure> {
    line(json_text(value))
}

/// One JSON value as one line of text, safe for a terminal (see [`terminal_safe_json`]).
pub(crate) fn json_text(value: &Value) -> String {
    terminal_safe_json(value.to_string())
}

/// JSON with C1 and bidirectional controls written as `\uXXXX`, which serde_json leaves raw
/// (a raw U+009B is a terminal's CSI). The same JSON to a parser: such characters can only
/// stand inside strings, where the escape means the character.
fn terminal_safe_json(text: String) -> String {
    let unsafe_char = |c: char| ('\u{80}'..='\u{9f}').contains(&c) || crate::failure::is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A size in bytes as people read it: `512 B`, `4.0 KiB`, `1.5 GiB`.
pub(crate) fn size(bytes: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{value:.0} {}", UNITS[0]) } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// An optional field for a table cell or a detail line: `-` when absent.
pub(crate) fn or_dash(value: Option<&str>) -> String {
    crate::failure::escape(value.unwrap_or("-"))
}

/// `name: value` lines, names aligned, for one record's details.
pub(crate) fn details(rows: &[(&str, String)]) -> Result<(), Failure> {
    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    for (name, value) in rows {
        line(format!("{name:<width$}  {value}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_c1_and_bidi_controls_and_means_the_same() {
        let value = serde_json::json!({"filePath": "/a\u{9b}2J/\u{202e}gpj.exe", "name": "café"});
        let text = terminal_safe_json(value.to_string());
        assert!(!text.contains('\u{9b}') && !text.contains('\u{202e}'), "{text}");
        assert!(text.contains("\\u009b") && text.contains("\\u202e"), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
        assert_eq!(terminal_safe_json("{\"a\":1}".into()), "{\"a\":1}");
    }

    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(size(512.0), "512 B");
        assert_eq!(size(4096.0), "4.0 KiB");
        assert_eq!(size(1.5 * 1024.0 * 1024.0 * 1024.0), "1.5 GiB");
    }
}
