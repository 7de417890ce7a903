//! The emulator's routing and its HTTP server's admin guard. Differential: every path the
//! router answers with an admin endpoint is one the guard checks (the bug of class "admin
//! endpoints reachable past the guard" is found here), and any request, answered in process,
//! gets an answer, never a panic.
#![no_main]

use bytes::Bytes;
use imagekit_emulator::{Emulator, fuzzing};
use libfuzzer_sys::fuzz_target;

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/// A fresh emulator per input, so a failure reproduces from its input alone (and the library
/// does not grow run after run).
fn emulator() -> Emulator {
    let emulator = Emulator::new("private_fuzz");
    emulator.seed_file("/a/b.txt", &b"seed"[..]).unwrap();
    emulator
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    // Input: PATH, then optionally a newline and a body.
    let (target, body) = text.split_once('\n').unwrap_or((&text, ""));
    assert!(
        !fuzzing::routes_to_admin(target) || fuzzing::guard_applies(target),
        "{target:?} reaches an admin endpoint without the guard"
    );
    // What the server would see: the target as an HTTP request line parses it.
    let Ok(uri) = target.parse::<http::Uri>() else { return };
    let path = uri.path();
    assert!(!fuzzing::routes_to_admin(path) || fuzzing::guard_applies(path), "{path:?}");
    let method = METHODS[usize::from(selector) % METHODS.len()];
    let content_type =
        if selector & 0x80 != 0 { "application/json" } else { "multipart/form-data; boundary=b" };
    let request = http::Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", "Basic cHJpdmF0ZV9mdXp6Og==")
        .header("content-type", content_type)
        .body(Bytes::copy_from_slice(body.as_bytes()));
    let Ok(request) = request else { return };
    let answer = emulator().handle(request);
    assert!(answer.status().as_u16() >= 200, "{:?}", answer.status());
});
