//! Property tests: nothing a server or a caller sends makes the core panic or misroute.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use imagekit_core::models::File;
use imagekit_core::operation::{ApiPath, Operation};
use imagekit_core::retry::{Attempt, RetryPolicy};
use imagekit_core::{Client, Error};
use imagekit_mock::ScriptedTransport;
use proptest::prelude::*;

fn header_map(pairs: &[(String, Vec<u8>)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_bytes(value)) {
            map.append(name, value);
        }
    }
    map
}

/// Header names the core reads, plus arbitrary ones, with arbitrary bytes as values.
fn headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let name = prop_oneof![
        Just("x-ratelimit-limit".to_owned()),
        Just("x-ratelimit-reset".to_owned()),
        Just("x-ratelimit-interval".to_owned()),
        Just("retry-after".to_owned()),
        Just("retry-after-ms".to_owned()),
        Just("x-ik-requestid".to_owned()),
        Just("content-type".to_owned()),
        "[a-z-]{1,20}",
    ];
    let value = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40),
        "-?[0-9]{0,25}(\\.[0-9]{0,5})?(e[0-9]{1,4})?".prop_map(String::into_bytes),
    ];
    proptest::collection::vec((name, value), 0..8)
}

/// Bodies near what a server sends (JSON, bits of it, objects with odd types) and arbitrary bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
    ];
    let json_value = leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::vec(("[a-zA-Z]{1,12}", inner), 0..6)
                .prop_map(|pairs| serde_json::Value::Object(pairs.into_iter().collect())),
        ]
    });
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        json_value.prop_map(|v| v.to_string().into_bytes()),
        (any::<String>(), any::<i64>(), any::<f64>()).prop_map(|(s, i, f)| {
            format!(r#"{{"fileId":{s:?},"width":{i},"height":{f},"message":{i},"help":[{s:?}],"versionInfo":{{"id":{i}}}}}"#)
                .into_bytes()
        }),
    ]
}

fn response(status: u16, headers: &[(String, Vec<u8>)], body: Vec<u8>) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    *response.headers_mut() = header_map(headers);
    response
}

fn check<T: std::fmt::Debug>(status: u16, result: Result<imagekit_core::ApiResponse<T>, Error>) {
    let success = (200..300).contains(&status);
    match &result {
        Ok(r) => assert!(success && r.meta.status().as_u16() == status),
        Err(Error::Api(e)) => {
            assert!(!success && e.status().as_u16() == status);
            let _ = (e.rate_limit(), e.request_id(), e.missing_file_ids(), e.reason());
        }
        Err(Error::Decode(e)) => assert!(success && e.status().as_u16() == status),
        Err(other) => panic!("unexpected error kind {other:?}"),
    }
    if let Err(e) = &result {
        let _ = (e.to_string(), format!("{e:?}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_answer_is_read_without_panicking(status in 100u16..=999, headers in headers(), body in body()) {
        let file = Operation::<File>::json("t", Method::GET, ApiPath::new("/t"));
        check(status, file.parse_with_meta(response(status, &headers, body.clone())));
        let list = Operation::<Vec<File>>::json("t", Method::GET, ApiPath::new("/t"));
        check(status, list.parse_with_meta(response(status, &headers, body.clone())));
        let empty = Operation::empty("t", Method::DELETE, ApiPath::new("/t"));
        check(status, empty.parse_with_meta(response(status, &headers, body)));
    }

    #[test]
    fn any_answer_gets_a_retry_decision_without_panicking(
        status in 100u16..=999,
        headers in headers(),
        retries in 0u32..40,
        idempotent in any::<bool>(),
        random in 0.0f64..1.0,
    ) {
        let map = header_map(&headers);
        let policy = RetryPolicy::default().with_max_retries(50);
        let decision = policy.decide(retries, idempotent, Attempt::Answered(StatusCode::from_u16(status).unwrap(), &map), random);
        if let imagekit_core::retry::RetryDecision::RetryAfter(wait) = decision {
            prop_assert!(wait <= policy.max_rate_limit_wait.max(policy.max_backoff));
        }
    }

    #[test]
    fn any_id_stays_in_its_own_segment(file_id in any::<String>(), version_id in "\\PC{0,12}") {
        let transport = ScriptedTransport::new();
        let client = Client::builder().private_key("k").transport(transport).build().unwrap();
        let operation = client.files().versions().get(&file_id, &version_id).into_operation();
        let invalid = |id: &str| id.is_empty() || id == "." || id == "..";
        match operation {
            Err(Error::InvalidInput(e)) => {
                prop_assert!(invalid(&file_id) || invalid(&version_id));
                prop_assert!(e.parameter() == "fileId" || e.parameter() == "versionId");
            }
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            Ok(op) => {
                prop_assert!(!invalid(&file_id) && !invalid(&version_id));
                let request = op.to_request(client.config()).unwrap();
                prop_assert_eq!(request.uri().query(), None);
                let segments: Vec<&str> = request.uri().path().split('/').collect();
                prop_assert_eq!(segments.len(), 6, "{}", request.uri());
                prop_assert_eq!(&segments[..3], &["", "v1", "files"][..]);
                prop_assert_eq!(segments[4], "versions");
                let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned();
                prop_assert_eq!(decode(segments[3]), file_id);
                prop_assert_eq!(decode(segments[5]), version_id);
            }
        }
    }
}
