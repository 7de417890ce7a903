//! The conformance suite: every operation, called through `imagekit-hyper`, against Stoplight
//! Prism serving ImageKit's official OpenAPI spec. Prism validates each request against the spec
//! and answers with the spec's examples, so the suite proves both directions: what the client
//! sends is what the spec accepts, and what the spec promises parses into the client's models.
//!
//! ```text
//! cargo run -p imagekit-conformance
//! ```
//!
//! It installs Prism with npm into `.tools/prism` (git-ignored) and starts it on a free port,
//! unless `IMAGEKIT_BASE_URL` names a server to test instead. The spec is read from
//! `../shared/imagekit-openapi/v1.0.0.yaml` beside the repository, or `IMAGEKIT_OPENAPI_SPEC`.
//!
//! Operations that document a 207 partial success are called twice: once for Prism's default
//! answer and once asking for the 207 (Prism's `Prefer: code=207` request header), which must
//! come back as a success value marked partial.
//!
//! With `IMAGEKIT_CONFORMANCE_TRACE=FILE` it writes the whole run's TRACE log (every request
//! and answer body) to `FILE`, with a proxy whose password is [`PROXY_PASSWORD`] configured for
//! `https://` (never used against a local Prism): CI then searches the log for every secret
//! the suite holds, which must not be there.
//!
//! It fails on any `sl-violations` header, any request without the JSON body the spec describes
//! (the spec marks most bodies optional, so Prism alone would not notice), any call that does not succeed and parse, and any
//! operationId of the spec that it neither calls nor lists as excluded with a reason. The one
//! exception is named per case: uploads expect Prism to flag exactly the multipart fields that
//! the spec types as arrays or objects (`cases::MULTIPART_AS_STRING`), by field name, because
//! Prism reads every part as a string; the call with every field set must be flagged for those
//! fields and nothing else, and a call without them must pass clean and parse.

mod cases;
mod checking;
mod prism;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use checking::CheckingTransport;
use imagekit_core::Client;
use imagekit_hyper::HyperTransport;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec_path() -> PathBuf {
    std::env::var_os("IMAGEKIT_OPENAPI_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/imagekit-openapi/v1.0.0.yaml"))
}

/// The operationIds whose request has a body in the spec. The spec marks most bodies optional,
/// so Prism does not flag a request that leaves one out; the suite checks that itself.
fn spec_operations_with_body(spec: &serde_json::Value) -> BTreeSet<String> {
    let Some(paths) = spec["paths"].as_object() else { return BTreeSet::new() };
    paths
        .values()
        .filter_map(serde_json::Value::as_object)
        .flat_map(|item| item.values())
        .filter(|op| op.get("requestBody").is_some())
        .filter_map(|op| op.get("operationId")?.as_str().map(str::to_owned))
        .collect()
}

/// Whether an answer carries a validating mock's verdict on the request.
fn external_server_is_prism(answer: &imagekit_core::transport::HttpResponse) -> bool {
    answer.headers().contains_key("sl-violations") && answer.status().is_client_error()
}

/// The request fields named by Prism's `sl-violations` header: each violation's location is
/// `["request", "body", <field>, ..]` (or `query`, `header`, `path`), read as `<field>.<..>`.
fn violated_fields(header: &str) -> Result<BTreeSet<String>, String> {
    let violations: Vec<serde_json::Value> = serde_json::from_str(header).map_err(|e| e.to_string())?;
    violations
        .iter()
        .map(|violation| {
            let location = violation["location"].as_array().ok_or("a violation without a location")?;
            let parts: Vec<&str> = location.iter().filter_map(serde_json::Value::as_str).collect();
            match parts.as_slice() {
                ["request", "body", field @ ..] if !field.is_empty() => Ok(field.join(".")),
                ["request", place, field @ ..] => Ok(format!("{place}:{}", field.join("."))),
                _ => Err(format!("a violation outside the request: {parts:?}")),
            }
        })
        .collect()
}

/// Every operationId in the spec.
fn spec_operation_ids(spec: &serde_json::Value) -> Result<BTreeSet<String>, String> {
    let paths = spec["paths"].as_object().ok_or("the spec has no paths")?;
    Ok(paths
        .values()
        .filter_map(serde_json::Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("operationId")?.as_str().map(str::to_owned))
        .collect())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("conformance: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The password of the proxy configured when tracing, which must appear nowhere in the log.
const PROXY_PASSWORD: &str = "conformance-proxy-pw";

/// Writes every event, TRACE included, to the file `IMAGEKIT_CONFORMANCE_TRACE` names; `false`
/// when it is not set.
fn trace_to_file() -> Result<bool, String> {
    let Some(path) = std::env::var_os("IMAGEKIT_CONFORMANCE_TRACE").filter(|p| !p.is_empty()) else {
        return Ok(false);
    };
    let file = std::fs::File::create(&path).map_err(|e| format!("cannot write the trace log: {e}"))?;
    tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(true)
}

async fn run() -> Result<bool, String> {
    let tracing = trace_to_file()?;
    let spec_file = spec_path();
    let text = std::fs::read_to_string(&spec_file).map_err(|e| {
        format!(
            "needs ImageKit's OpenAPI spec at {} ({e}): check out shared/ beside the repository or set \
             IMAGEKIT_OPENAPI_SPEC",
            spec_file.display()
        )
    })?;
    let spec: serde_json::Value =
        serde_norway::from_str(&text).map_err(|e| format!("the spec is not YAML: {e}"))?;
    let spec_ids = spec_operation_ids(&spec)?;
    let with_body = spec_operations_with_body(&spec);

    let external = std::env::var("IMAGEKIT_BASE_URL").ok().filter(|u| !u.is_empty());
    let _prism;
    let base_url = match external {
        Some(url) => url,
        None => {
            let started = prism::start(&workspace_root().join(".tools"), &spec_file)?;
            let url = started.base_url.clone();
            _prism = started;
            url
        }
    };
    let upload_url = std::env::var("IMAGEKIT_UPLOAD_BASE_URL").ok().filter(|u| !u.is_empty());
    println!("conformance: {} operations in the spec, testing against {base_url}", spec_ids.len());

    let mut transport = HyperTransport::builder();
    if tracing {
        let proxy = format!("http://conformance:{PROXY_PASSWORD}@127.0.0.1:9");
        transport = transport.proxy_env_vars([("HTTPS_PROXY", proxy)]);
    }
    let transport = CheckingTransport::new(transport.build().map_err(|e| e.to_string())?);
    let client = Client::builder()
        .private_key(
            std::env::var("IMAGEKIT_PRIVATE_KEY").unwrap_or_else(|_| "private_conformance_key=".into()),
        )
        .base_url(&base_url)
        .upload_base_url(upload_url.unwrap_or_else(|| base_url.clone()))
        .transport(transport.clone())
        .build()
        .map_err(|e| e.to_string())?;

    // The canary: a request the spec forbids (no credentials) must be flagged, or the checks
    // below prove nothing.
    let canary = http::Request::builder()
        .uri(format!("{}/v1/files/{}/details", client.base_url(), "598821f949c0a938d57563bd"))
        .body(imagekit_core::transport::RequestBody::Full(bytes::Bytes::new()))
        .map_err(|e| e.to_string())?;
    use imagekit_core::transport::HttpTransport as _;
    let answer = transport
        .send(canary, Default::default())
        .await
        .map_err(|e| format!("the canary request failed: {e}"))?;
    transport.take();
    if external_server_is_prism(&answer) {
        println!("ok    {:<28} a request without credentials is flagged", "(canary)");
    } else {
        return Err(format!(
            "the server did not flag a request without credentials (status {}, no sl-violations): \
             it is not a validating mock, so a clean run would prove nothing",
            answer.status()
        ));
    }

    let (mut passed, mut failed) = (0, 0);
    let mut covered = BTreeSet::new();
    for case in cases::cases() {
        covered.insert(case.operation.to_owned());
        transport.prefer_status(case.status);
        let outcome = (case.run)(client.clone()).await;
        let exchanges = transport.take();
        let mut problems = Vec::new();
        if let Err(error) = outcome {
            problems.push(format!("call failed: {error}"));
        }
        if exchanges.is_empty() {
            problems.push("nothing was sent".to_owned());
        }
        let mut saw_expected = false;
        for exchange in &exchanges {
            if exchange.operation != case.operation {
                problems.push(format!("sent as operation `{}`", exchange.operation));
            }
            let mut flagged_as_expected = false;
            if let Some(violations) = &exchange.violations {
                match violated_fields(violations) {
                    Ok(fields) if !case.expected_violations.is_empty() => {
                        let expected: BTreeSet<String> =
                            case.expected_violations.iter().map(|f| (*f).to_owned()).collect();
                        let unexpected: Vec<&String> = fields.difference(&expected).collect();
                        let missing: Vec<&String> = expected.difference(&fields).collect();
                        if unexpected.is_empty() && missing.is_empty() {
                            flagged_as_expected = true;
                            saw_expected = true;
                        } else {
                            problems.push(format!(
                                "{} violates the spec beyond the expected multipart fields (unexpected: \
                                 {unexpected:?}, not flagged: {missing:?}): {violations}",
                                exchange.request
                            ));
                        }
                    }
                    Ok(_) => problems.push(format!("{} violates the spec: {violations}", exchange.request)),
                    Err(e) => problems
                        .push(format!("{}: unreadable sl-violations ({e}): {violations}", exchange.request)),
                }
            }
            if with_body.contains(exchange.operation) && !exchange.json_body {
                problems.push(format!("{} sent no JSON body, but the spec has one", exchange.request));
            }
            if !(200..300).contains(&exchange.status) && !flagged_as_expected {
                problems.push(format!("{} answered {}", exchange.request, exchange.status));
            }
        }
        if !case.expected_violations.is_empty() && !saw_expected {
            problems.push(format!(
                "Prism did not flag exactly {:?} on the call with every field set",
                case.expected_violations
            ));
        }
        if !spec_ids.contains(case.operation) && !cases::BEYOND_SPEC.contains(&case.operation) {
            problems.push("is not an operationId of the spec".to_owned());
        }
        if problems.is_empty() {
            passed += 1;
            let sent: Vec<&str> = exchanges.iter().map(|e| e.request.as_str()).collect();
            let status = case.status.map(|s| format!(" (asked for {s})")).unwrap_or_default();
            println!("ok    {:<28} {}{status}", case.operation, sent.join(", "));
            if !case.expected_violations.is_empty() {
                println!(
                    "      {:<28} flagged as expected (multipart parts read as strings): {}",
                    "",
                    case.expected_violations.join(", ")
                );
            }
        } else {
            failed += 1;
            println!("FAIL  {:<28} {}", case.operation, problems.join("; "));
        }
    }

    for (operation, reason) in cases::EXCLUDED {
        if !spec_ids.contains(*operation) {
            failed += 1;
            println!("FAIL  {operation:<28} excluded, but the spec has no such operation");
        } else if covered.contains(*operation) {
            failed += 1;
            println!("FAIL  {operation:<28} both called and excluded");
        } else {
            println!("skip  {operation:<28} {reason}");
            covered.insert((*operation).to_owned());
        }
    }
    for operation in spec_ids.difference(&covered) {
        failed += 1;
        println!("FAIL  {operation:<28} in the spec, but neither called nor excluded with a reason");
    }

    println!("conformance: {passed} passed, {failed} failed");
    Ok(failed == 0)
}
