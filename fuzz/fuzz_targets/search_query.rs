//! The emulator's `searchQuery` parser and evaluator, over a small library: any query is
//! answered 200 (a list) or 400 (a reason), never a panic or a 500.
#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use imagekit_emulator::Emulator;
use libfuzzer_sys::fuzz_target;

fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| {
        let emulator = Emulator::new("private_fuzz");
        for (path, content) in [("/a/b.jpg", &b"one"[..]), ("/a/c.png", b"two"), ("/d.txt", b"three")] {
            emulator.seed_file(path, content).unwrap();
        }
        emulator
    })
}

/// Percent-encodes every byte that is not unreserved, so any query reaches the parser whole.
fn encode(query: &[u8]) -> String {
    query
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let uri = format!("/v1/files?searchQuery={}", encode(data));
    let request = http::Request::get(uri)
        .header("authorization", "Basic cHJpdmF0ZV9mdXp6Og==")
        .body(Bytes::new())
        .unwrap();
    let answer = emulator().handle(request);
    let status = answer.status().as_u16();
    assert!(status == 200 || status == 400, "{status} for {:?}", String::from_utf8_lossy(data));
});
