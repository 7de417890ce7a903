//! A transport decorator that records what the validating mock said about each exchange.

use std::sync::{Arc, Mutex};

use imagekit_core::TransportError;
use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestBody, RequestOptions};

/// One exchange as the suite judges it.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub operation: &'static str,
    pub request: String,
    pub status: u16,
    pub violations: Option<String>,
    /// Whether the request carried a JSON body.
    pub json_body: bool,
}

/// Wraps a transport, recording each exchange and Prism's `sl-violations` header.
#[derive(Debug, Clone)]
pub struct CheckingTransport<T> {
    inner: T,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
    prefer: Arc<Mutex<Option<u16>>>,
}

impl<T> CheckingTransport<T> {
    pub fn new(inner: T) -> Self {
        Self { inner, exchanges: Arc::default(), prefer: Arc::default() }
    }

    /// Asks the mock for the answer it documents for `status` (Prism's `Prefer: code=..`), until
    /// changed; `None` lets it pick its default, the first success status.
    pub fn prefer_status(&self, status: Option<u16>) {
        *self.prefer.lock().unwrap_or_else(|p| p.into_inner()) = status;
    }

    fn record(&self, operation: &'static str, request: String, response: &HttpResponse, json_body: bool) {
        let violations = response
            .headers()
            .get("sl-violations")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        self.exchanges.lock().unwrap_or_else(|p| p.into_inner()).push(Exchange {
            operation,
            request,
            status: response.status().as_u16(),
            violations,
            json_body,
        });
    }

    /// Takes the exchanges recorded since the last call.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.exchanges.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl<T: HttpTransport> HttpTransport for CheckingTransport<T> {
    /// Uploads pass through as streams, so the inner transport's streaming path is what is checked.
    async fn send(
        &self,
        mut request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        let prefer = *self.prefer.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(status) = prefer {
            if let Ok(value) = http::HeaderValue::from_str(&format!("code={status}")) {
                request.headers_mut().insert("prefer", value);
            }
        }
        let operation = options.operation;
        let described = format!("{} {}", request.method(), request.uri());
        // A multipart form stands where a JSON body would: the body check applies to it too.
        let has_body = request.body().length() > 0;
        let json_body = has_body
            && (matches!(request.body(), RequestBody::Stream(_))
                || request
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .is_some_and(|v| v == "application/json"));
        let mut response = self.inner.send(request, options).await?;
        self.record(operation, described, &response, json_body);
        if operation == "list-file-versions" {
            unnest_list_example(&mut response);
        }
        Ok(response)
    }
}

/// The spec attaches the version list's example (itself a list) to the item schema, so Prism's
/// static answer is that list wrapped in another, which the spec's own schema does not allow.
/// Unwrapping it here keeps the check on what matters: the example's items parse as files.
fn unnest_list_example(response: &mut HttpResponse) {
    if let Ok(serde_json::Value::Array(outer)) = serde_json::from_slice(response.body()) {
        if let [inner @ serde_json::Value::Array(_)] = outer.as_slice() {
            if let Ok(bytes) = serde_json::to_vec(inner) {
                *response.body_mut() = bytes.into();
            }
        }
    }
}
