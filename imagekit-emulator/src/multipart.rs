//! Reads a `multipart/form-data` body back into its parts: what tests assert an upload sent,
//! and what the emulator's upload endpoints read. One reader for the crate.
//!
//! Strict on purpose: a body that does not follow RFC 7578 framing (CRLF line ends, a closing
//! boundary, a `form-data` disposition with a name) is an error, so a test cannot pass on a
//! malformed upload. `Content-Disposition` parameters are read as RFC 7578 writes them:
//! quoted strings may hold `;` and `=`, and `\"` inside them is a quote.

use bytes::Bytes;

/// One part of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Part {
    /// The field name (`name="..."`).
    pub name: String,
    /// The file name (`filename="..."`), for file parts.
    pub filename: Option<String>,
    /// The part's `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The content.
    pub data: Bytes,
}

impl Part {
    /// The content as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// A request's form, read once before anything else looks at it: the emulator parses it
/// before locking its state, so a large upload's parse holds up no other request.
#[derive(Debug, Default)]
pub(crate) struct ReadForm {
    /// `None` when the request is not multipart; else its parts, or why they could not be read.
    parts: Option<Result<Vec<Part>, String>>,
    /// The length of the body read.
    body_len: usize,
}

impl ReadForm {
    /// Reads `body` if `headers` say it is `multipart/form-data`.
    pub(crate) fn of(headers: &http::HeaderMap, body: &Bytes) -> Self {
        let content_type = headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let parts = content_type
            .filter(|t| t.trim_start().get(..10).is_some_and(|e| e.eq_ignore_ascii_case("multipart/")))
            .map(|content_type| parse(content_type, body));
        Self { parts, body_len: body.len() }
    }

    /// The length of the body the parts were read from.
    pub(crate) fn body_len(&self) -> usize {
        self.body_len
    }

    /// The parts, or `None` when the request is not a readable form.
    pub(crate) fn parts(&self) -> Option<&[Part]> {
        self.parts.as_ref()?.as_ref().ok().map(Vec::as_slice)
    }

    /// The last text field (not a file) named `name`, lossily as text: how the upload
    /// endpoints read a field given twice.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.parts()?.iter().rev().find(|p| p.name == name && p.filename.is_none()).map(Part::text)
    }
}

/// The longest boundary read (RFC 2046 allows 70; some clients send a little more).
const MAX_BOUNDARY: usize = 200;

/// The boundary named by a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (essence, params) = content_type.split_once(';')?;
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameters(params)
        .into_iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value)
        .filter(|b| !b.is_empty() && b.len() <= MAX_BOUNDARY)
}

/// Splits `body` into its parts, given the request's `Content-Type`.
pub fn parse(content_type: &str, body: &Bytes) -> Result<Vec<Part>, String> {
    let boundary = boundary(content_type)
        .ok_or_else(|| format!("not a form content type with a boundary: {content_type}"))?;
    parse_with_boundary(body, &boundary)
}

/// Splits `body` into its parts, delimited by `boundary`. Text before the first delimiter (a
/// preamble) is skipped, as RFC 2046 allows.
pub fn parse_with_boundary(body: &Bytes, boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let start = find(body, delimiter.as_bytes()).ok_or("the body has no boundary")?;
    let mut rest: &[u8] = &body[start + delimiter.len()..];
    let next = format!("\r\n{delimiter}");
    let mut parts = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(b"--") {
            return if after == b"\r\n" || after.is_empty() {
                Ok(parts)
            } else {
                Err("bytes after the closing boundary".into())
            };
        }
        rest = rest.strip_prefix(b"\r\n").ok_or("no CRLF after a boundary")?;
        let header_end = find(rest, b"\r\n\r\n").ok_or("a part has no end of headers")?;
        let headers = std::str::from_utf8(&rest[..header_end]).map_err(|_| "part headers are not UTF-8")?;
        rest = &rest[header_end + 4..];
        let data_end = find(rest, next.as_bytes()).ok_or("a part is not followed by a boundary")?;
        let data = body.slice_ref(&rest[..data_end]);
        rest = &rest[data_end + next.len()..];

        let (mut name, mut filename, mut part_type) = (None, None, None);
        for line in headers.split("\r\n") {
            let (key, value) = line.split_once(':').ok_or_else(|| format!("bad header line {line:?}"))?;
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    let (kind, params) = value.split_once(';').unwrap_or((value, ""));
                    if !kind.trim().eq_ignore_ascii_case("form-data") {
                        return Err(format!("not form-data: {value}"));
                    }
                    for (k, v) in parameters(params) {
                        match k.to_ascii_lowercase().as_str() {
                            "name" => name = Some(v),
                            "filename" => filename = Some(v),
                            _ => {}
                        }
                    }
                }
                "content-type" => part_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        let name = name.ok_or("a part has no name")?;
        parts.push(Part { name, filename, content_type: part_type, data });
    }
}

/// `key=value` parameters separated by `;`, values plain or quoted (a quoted value may hold `;`
/// and `=`; `\x` inside it is `x`). Parameters without `=` are skipped.
fn parameters(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ';').is_some() {}
        if chars.peek().is_none() {
            return out;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && *c != ';') {
            key.push(c);
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
            while chars.next_if(|c| *c != ';').is_some() {}
        } else {
            while let Some(c) = chars.next_if(|c| *c != ';') {
                value.push(c);
            }
            value.truncate(value.trim_end().len());
        }
        out.push((key.trim().to_owned(), value));
    }
}

/// Where `needle` first occurs in `haystack`, in time linear in both: a window-by-window
/// comparison is quadratic on a body of boundary characters (64 MiB of them took 2.3 s).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_files() {
        let body = Bytes::from_static(
            b"--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XB\r\nContent-Disposition: \
              form-data; name=\"file\"; filename=\"f.bin\"\r\nContent-Type: image/png\r\n\r\n\r\n--\r\n--XB--\r\n",
        );
        let parts = parse("multipart/form-data; boundary=XB", &body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].name.as_str(), parts[0].text().as_str()), ("a", "1"));
        assert_eq!(parts[1].filename.as_deref(), Some("f.bin"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
        assert_eq!(&parts[1].data[..], b"\r\n--");
        assert!(parse("multipart/form-data; boundary=XB", &Bytes::from_static(b"--XB\r\nx")).is_err());
    }

    #[test]
    fn quoted_parameters_may_hold_separators() {
        let body = Bytes::from_static(
            b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;name=fileName.txt\"\r\n\r\nx\r\n--B--\r\n",
        );
        let parts = parse("multipart/form-data; boundary=B", &body).unwrap();
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[0].filename.as_deref(), Some("a;name=fileName.txt"));
        assert_eq!(
            parameters(r#" name="a\"b"; filename=plain ; x"#),
            [("name".to_owned(), "a\"b".to_owned()), ("filename".to_owned(), "plain".to_owned())]
        );
    }

    /// The review's stall: a body of boundary characters. Timed against a body of the same
    /// size that mismatches at once, in the same run: a quadratic search takes well over a
    /// hundred times as long on the first, a linear one about as long.
    #[test]
    fn a_body_of_boundary_characters_is_read_in_linear_time() {
        let boundary = format!("{}x", "-".repeat(150));
        let size = 4 * 1024 * 1024;
        let time = |body: Bytes| {
            let started = std::time::Instant::now();
            assert!(parse_with_boundary(&body, &boundary).is_err());
            started.elapsed()
        };
        let benign = time(Bytes::from(vec![b'a'; size]));
        let hostile = time(Bytes::from(vec![b'-'; size]));
        let ratio = hostile.as_secs_f64() / benign.as_secs_f64().max(1e-4);
        assert!(ratio < 20.0, "boundary characters took {hostile:?}, other bytes {benign:?}");
    }

    #[test]
    fn boundaries_are_read_from_the_content_type() {
        assert_eq!(boundary("application/json"), None);
        assert_eq!(boundary("multipart/form-data; boundary=\"abc\"").as_deref(), Some("abc"));
        assert_eq!(boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=x").as_deref(), Some("x"));
        assert!(parse_with_boundary(&Bytes::from_static(b"--abc\r\nno headers end"), "abc").is_err());
        assert!(parse_with_boundary(&Bytes::from_static(b"nothing"), "abc").is_err());
        assert_eq!(parse_with_boundary(&Bytes::from_static(b"preamble\r\n--abc--\r\n"), "abc"), Ok(vec![]));
    }
}
