//! The host's globals this crate calls, bound by name rather than through `window`, so they
//! resolve wherever the host defines them: a page, a worker, Node, Deno, Cloudflare Workers.
//!
//! Each binding catches what the call throws (a host without the global throws a
//! `ReferenceError`), so a missing global is an error value, never a trap.

use std::fmt;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch(request)`.
    #[wasm_bindgen(js_name = fetch, catch)]
    pub(crate) fn fetch(request: &web_sys::Request) -> Result<Promise, JsValue>;

    /// The global `setTimeout(callback, ms)`. Its handle is a number in browsers and an
    /// object in Node, so it stays a `JsValue`.
    #[wasm_bindgen(js_name = setTimeout, catch)]
    pub(crate) fn set_timeout(callback: &Function, ms: f64) -> Result<JsValue, JsValue>;

    /// The global `clearTimeout(handle)`.
    #[wasm_bindgen(js_name = clearTimeout, catch)]
    pub(crate) fn clear_timeout(handle: &JsValue) -> Result<(), JsValue>;

    /// The global `crypto.getRandomValues(array)` (Web Crypto).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    pub(crate) fn get_random_values(array: &Uint8Array) -> Result<JsValue, JsValue>;
}

/// A JavaScript exception as a Rust error: its `name`, `message`, and the `code` and message of
/// its `cause` where the host gives them (Node's fetch says only "fetch failed" and puts the
/// reason, such as `ECONNREFUSED`, on the cause).
///
/// Plain strings, so it is `Send` and can be the source of a `TransportError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HostError {
    pub(crate) name: String,
    pub(crate) message: String,
    pub(crate) cause_code: Option<String>,
    pub(crate) cause_message: Option<String>,
}

impl HostError {
    pub(crate) fn from_js(value: &JsValue) -> Self {
        let Some(error) = value.dyn_ref::<js_sys::Error>() else {
            let message = value.as_string().unwrap_or_else(|| format!("{value:?}"));
            return Self { name: String::new(), message, cause_code: None, cause_message: None };
        };
        let cause = Reflect::get(error, &JsValue::from_str("cause")).ok().filter(JsValue::is_object);
        let string_field = |object: &JsValue, field: &str| {
            Reflect::get(object, &JsValue::from_str(field)).ok().and_then(|v| v.as_string())
        };
        Self {
            name: error.name().into(),
            message: error.message().into(),
            cause_code: cause.as_ref().and_then(|c| string_field(c, "code")),
            cause_message: cause.as_ref().and_then(|c| string_field(c, "message")).filter(|m| !m.is_empty()),
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name.as_str() {
            "" => f.write_str(&self.message)?,
            name => write!(f, "{name}: {}", self.message)?,
        }
        match (&self.cause_message, &self.cause_code) {
            (Some(message), _) => write!(f, " ({message})"),
            (None, Some(code)) => write!(f, " ({code})"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for HostError {}
