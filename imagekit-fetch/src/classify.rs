//! The decisions of the transport that need no JavaScript: how a failure is classified, how a
//! wait is cut into timer steps, which headers the host owns. Pure functions, so they are
//! tested on the host as well as in wasm.

use std::time::Duration;

use imagekit_core::TransportErrorKind;

/// The longest delay `setTimeout` takes (`i32::MAX` milliseconds, about 24.8 days): hosts
/// store it as a signed 32-bit number, and a longer one fires at once.
pub(crate) const MAX_TIMER_MS: u32 = 0x7fff_ffff;

/// The next `setTimeout` delay for a wait of `remaining`, and what is left after it. Rounded
/// up to whole milliseconds, so a wait never ends before it was asked to.
pub(crate) fn timer_step(remaining: Duration) -> (u32, Duration) {
    let part_of_a_ms = remaining.subsec_nanos() % 1_000_000 != 0;
    let ms = remaining.as_millis() + u128::from(part_of_a_ms);
    let step = ms.min(u128::from(MAX_TIMER_MS));
    // `step` is at most MAX_TIMER_MS, so it fits a u32.
    let step = u32::try_from(step).unwrap_or(MAX_TIMER_MS);
    (step, remaining.saturating_sub(Duration::from_millis(u64::from(step))))
}

/// Node's error codes (on the `cause` of fetch's `TypeError`) for failures where no connection
/// was made, so nothing reached the server.
const NOTHING_SENT: &[&str] = &[
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EAI_FAIL",
    "EAI_NONAME",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EADDRNOTAVAIL",
    "UND_ERR_CONNECT_TIMEOUT",
];

/// Node's error codes for a server certificate that could not be verified.
const CERTIFICATE: &[&str] = &[
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_REVOKED",
    "CERT_UNTRUSTED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "ERR_TLS_CERT_ALTNAME_INVALID",
];

/// The kind of a failure of `fetch` itself (its promise rejected before any answer), from the
/// error's `name` and, where the host gives one, the `code` of its cause.
///
/// Fetch reports every network failure as the same `TypeError`: a refused connection and one
/// reset after the request was sent look alike. Unless the host says which (Node does, through
/// `cause.code`), the failure is [`TransportErrorKind::Io`]: the request may have reached the
/// server, so the core retries it only when repeating it is harmless. Calling it `Connect`
/// would let the core repeat an upload or a rename that may already have happened.
pub(crate) fn fetch_failure_kind(name: &str, cause_code: Option<&str>) -> TransportErrorKind {
    if name == "TimeoutError" {
        return TransportErrorKind::Timeout;
    }
    match cause_code {
        Some(code) if NOTHING_SENT.contains(&code) => TransportErrorKind::Connect,
        Some(code) if CERTIFICATE.contains(&code) => TransportErrorKind::Tls,
        _ => TransportErrorKind::Io,
    }
}

/// Whether a connect failure was the host's connect timeout, so it also counts as a timeout.
pub(crate) fn is_connect_timeout(cause_code: Option<&str>) -> bool {
    cause_code == Some("UND_ERR_CONNECT_TIMEOUT")
}

/// Request headers the host computes itself and refuses or overrides when set by a script
/// (browsers drop them silently; the body's length is known to fetch).
pub(crate) fn host_owned_header(name: &str) -> bool {
    const OWNED: &[&str] = &[
        "content-length",
        "host",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "upgrade",
        "te",
        "trailer",
    ];
    OWNED.iter().any(|owned| name.eq_ignore_ascii_case(owned))
}

/// Whether the host decoded the body: fetch undoes every `Content-Encoding` it supports, so the
/// bytes handed back are no longer what the header (and `Content-Length`) describe.
pub(crate) fn decoded_by_host(content_encoding: Option<&str>) -> bool {
    content_encoding.is_some_and(|encoding| {
        let encoding = encoding.trim();
        !encoding.is_empty() && !encoding.eq_ignore_ascii_case("identity")
    })
}

/// Header bytes as a JavaScript ByteString: each byte is the character of that code.
pub(crate) fn to_byte_string(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A JavaScript ByteString back as bytes; `None` if a character is above U+00FF (not a
/// ByteString, which no host gives for a header).
pub(crate) fn from_byte_string(text: &str) -> Option<Vec<u8>> {
    text.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn timer_steps_round_up_and_split_long_waits() {
        assert_eq!(timer_step(Duration::ZERO), (0, Duration::ZERO));
        assert_eq!(timer_step(Duration::from_micros(1)), (1, Duration::ZERO));
        assert_eq!(timer_step(Duration::from_micros(1500)), (2, Duration::ZERO));
        assert_eq!(timer_step(Duration::from_millis(250)), (250, Duration::ZERO));
        let thirty_days = Duration::from_secs(30 * 24 * 3600);
        let (step, rest) = timer_step(thirty_days);
        assert_eq!(step, 2_147_483_647);
        assert_eq!(rest, thirty_days - Duration::from_millis(2_147_483_647));
        assert_eq!(timer_step(Duration::MAX).0, MAX_TIMER_MS);
    }

    #[test]
    fn a_bare_type_error_is_io_because_fetch_cannot_tell_connect_from_mid_exchange() {
        assert_eq!(fetch_failure_kind("TypeError", None), TransportErrorKind::Io);
        assert_eq!(fetch_failure_kind("TypeError", Some("ECONNRESET")), TransportErrorKind::Io);
        assert_eq!(fetch_failure_kind("TypeError", Some("UND_ERR_SOCKET")), TransportErrorKind::Io);
    }

    #[test]
    fn node_causes_that_prove_nothing_was_sent_are_connect() {
        for code in ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"] {
            assert_eq!(fetch_failure_kind("TypeError", Some(code)), TransportErrorKind::Connect, "{code}");
        }
        assert!(is_connect_timeout(Some("UND_ERR_CONNECT_TIMEOUT")));
        assert!(!is_connect_timeout(Some("ECONNREFUSED")));
        assert!(!is_connect_timeout(None));
    }

    #[test]
    fn certificate_failures_are_tls_and_host_timeouts_are_timeouts() {
        assert_eq!(fetch_failure_kind("TypeError", Some("CERT_HAS_EXPIRED")), TransportErrorKind::Tls);
        assert_eq!(
            fetch_failure_kind("TypeError", Some("ERR_TLS_CERT_ALTNAME_INVALID")),
            TransportErrorKind::Tls
        );
        assert_eq!(fetch_failure_kind("TimeoutError", None), TransportErrorKind::Timeout);
    }

    #[test]
    fn the_host_owns_length_and_connection_headers() {
        assert!(host_owned_header("Content-Length"));
        assert!(host_owned_header("host"));
        assert!(!host_owned_header("authorization"));
        assert!(!host_owned_header("content-type"));
    }

    #[test]
    fn a_decoded_body_is_told_by_its_content_encoding() {
        assert!(decoded_by_host(Some("gzip")));
        assert!(decoded_by_host(Some(" br ")));
        assert!(!decoded_by_host(Some("identity")));
        assert!(!decoded_by_host(Some("")));
        assert!(!decoded_by_host(None));
    }

    #[test]
    fn byte_strings_round_trip_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(from_byte_string(&to_byte_string(&bytes)), Some(bytes));
        assert_eq!(from_byte_string("caf\u{e9}"), Some(b"caf\xe9".to_vec()));
        assert_eq!(from_byte_string("\u{20ac}"), None);
    }
}
