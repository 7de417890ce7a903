//! `multipart/form-data`: the parser the upload endpoints use, and [`UploadForm`], which builds
//! an upload body the way the official SDKs encode it.

use bytes::Bytes;

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Bytes,
}

/// The boundary of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let essence = params.next()?.trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim().trim_matches('"');
        (!value.is_empty() && value.len() <= 200).then(|| value.to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Splits a multipart body into its parts; `None` when it is not well formed.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut at = find(body, delimiter, 0)? + delimiter.len();
    loop {
        if body[at..].starts_with(b"--") {
            return Some(parts);
        }
        // Skip the line break after the delimiter.
        at = find(body, b"\r\n", at)? + 2;
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let headers = std::str::from_utf8(&body[at..headers_end]).ok()?;
        let data_start = headers_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(delimiter);
        let data_end = find(body, &closing, data_start)?;
        let mut name = None;
        let mut file_name = None;
        let mut content_type = None;
        for line in headers.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else { continue };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';').skip(1) {
                    let Some((k, v)) = param.split_once('=') else { continue };
                    let v = v.trim().trim_matches('"').to_owned();
                    match k.trim().to_ascii_lowercase().as_str() {
                        "name" => name = Some(v),
                        "filename" => file_name = Some(v),
                        _ => {}
                    }
                }
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned());
            }
        }
        parts.push(Part { name: name?, file_name, content_type, data: body.slice(data_start..data_end) });
        at = data_end + closing.len();
    }
}

/// An upload request body, encoded as the official SDKs send it: text fields as they are,
/// lists joined with `,`, JSON values as JSON strings, booleans as `true` / `false`, and the
/// file as a binary part with a file name.
///
/// ```
/// use imagekit_mock::emulator::{Emulator, UploadForm};
///
/// let emulator = Emulator::new("private_test");
/// let form = UploadForm::new("logo.png", &b"not really a png"[..])
///     .field("folder", "/brand")
///     .field("useUniqueFileName", "false")
///     .tags(&["logo", "brand"]);
/// let request = form.into_request("http://127.0.0.1", "private_test");
/// let response = emulator.handle(request);
/// assert_eq!(response.status(), 200);
/// ```
#[derive(Clone, Debug)]
pub struct UploadForm {
    fields: Vec<(String, String)>,
    file: Option<(String, Bytes)>,
    boundary: String,
}

impl UploadForm {
    /// A form uploading `content` as `file_name` (the `file` and `fileName` fields).
    pub fn new(file_name: &str, content: impl Into<Bytes>) -> Self {
        Self {
            fields: vec![("fileName".to_owned(), file_name.to_owned())],
            file: Some((file_name.to_owned(), content.into())),
            boundary: "----imagekit-emulator-boundary-7MA4YWxkTrZu0gW".to_owned(),
        }
    }

    /// A form whose `file` field is text: a URL, base64 or a data URI.
    pub fn with_file_text(file_name: &str, file: &str) -> Self {
        let mut form = Self::new(file_name, Bytes::new());
        form.file = None;
        form.fields.push(("file".to_owned(), file.to_owned()));
        form
    }

    /// Adds a text field (`folder`, `useUniqueFileName`, `overwriteFile`, `customCoordinates`, ...).
    pub fn field(mut self, name: &str, value: &str) -> Self {
        self.fields.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds `tags`, comma-joined.
    pub fn tags(self, tags: &[&str]) -> Self {
        let joined = tags.join(",");
        self.field("tags", &joined)
    }

    /// Adds a JSON field (`customMetadata`, `extensions`, `transformation`) as a JSON string.
    pub fn json_field(self, name: &str, value: &serde_json::Value) -> Self {
        let text = value.to_string();
        self.field(name, &text)
    }

    /// The `Content-Type` header value, with the boundary.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The encoded body.
    pub fn body(&self) -> Bytes {
        let mut out = Vec::new();
        for (name, value) in &self.fields {
            out.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
            out.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        if let Some((file_name, content)) = &self.file {
            out.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
            out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        Bytes::from(out)
    }

    /// A `POST {base_url}/api/v1/files/upload` request with Basic auth for `private_key`.
    pub fn into_request(self, base_url: &str, private_key: &str) -> http::Request<Bytes> {
        use base64::Engine as _;
        let credentials = base64::engine::general_purpose::STANDARD.encode(format!("{private_key}:"));
        let mut request = http::Request::new(self.body());
        *request.method_mut() = http::Method::POST;
        let uri = format!("{}/api/v1/files/upload", base_url.trim_end_matches('/'));
        *request.uri_mut() = uri.parse().unwrap_or_else(|_| http::Uri::from_static("/api/v1/files/upload"));
        let headers = request.headers_mut();
        if let Ok(value) = http::HeaderValue::from_str(&self.content_type()) {
            headers.insert(http::header::CONTENT_TYPE, value);
        }
        if let Ok(value) = http::HeaderValue::from_str(&format!("Basic {credentials}")) {
            headers.insert(http::header::AUTHORIZATION, value);
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let form = UploadForm::new("a.txt", &b"line1\r\nline2"[..]).field("folder", "/x").tags(&["a", "b"]);
        let boundary = boundary(&form.content_type()).unwrap();
        let parts = parse(&form.body(), &boundary).unwrap();
        let names: Vec<_> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["fileName", "folder", "tags", "file"]);
        assert_eq!(parts[3].file_name.as_deref(), Some("a.txt"));
        assert_eq!(&parts[3].data[..], b"line1\r\nline2");
        assert_eq!(&parts[2].data[..], b"a,b");
    }

    #[test]
    fn malformed_bodies_are_rejected() {
        assert_eq!(boundary("application/json"), None);
        assert_eq!(boundary("multipart/form-data; boundary=\"abc\"").as_deref(), Some("abc"));
        assert!(parse(&Bytes::from_static(b"--abc\r\nno headers end"), "abc").is_none());
        assert!(parse(&Bytes::from_static(b"nothing"), "abc").is_none());
        assert_eq!(parse(&Bytes::from_static(b"--abc--\r\n"), "abc"), Some(vec![]));
    }
}
