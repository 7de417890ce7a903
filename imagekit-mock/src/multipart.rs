//! Reads a `multipart/form-data` body back into its parts, to assert on what an upload sent.
//!
//! Strict on purpose: a body that does not follow RFC 7578 framing exactly (CRLF line ends, a
//! closing boundary) is an error, so a test cannot pass on a malformed upload.

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

/// The boundary named by a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<&str> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| p.trim().strip_prefix("boundary=")).map(|b| b.trim_matches('"'))
}

/// Splits `body` into its parts, given the request's `Content-Type`.
pub fn parse(content_type: &str, body: &Bytes) -> Result<Vec<Part>, String> {
    let boundary =
        boundary(content_type).ok_or_else(|| format!("not a form content type: {content_type}"))?;
    let delimiter = format!("--{boundary}");
    let mut rest: &[u8] = body;
    rest = rest.strip_prefix(delimiter.as_bytes()).ok_or("the body does not start with the boundary")?;
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
        let next = format!("\r\n{delimiter}");
        let data_end = find(rest, next.as_bytes()).ok_or("a part is not followed by a boundary")?;
        let data = body.slice_ref(&rest[..data_end]);
        rest = &rest[data_end + next.len()..];

        let (mut name, mut filename, mut part_type) = (None, None, None);
        for line in headers.split("\r\n") {
            let (key, value) = line.split_once(':').ok_or_else(|| format!("bad header line {line:?}"))?;
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    let mut params = value.split(';');
                    if params.next().map(str::trim) != Some("form-data") {
                        return Err(format!("not form-data: {value}"));
                    }
                    for param in params {
                        let (k, v) = param.trim().split_once('=').ok_or("bad disposition parameter")?;
                        let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v).to_owned();
                        match k {
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

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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
}
