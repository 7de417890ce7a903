//! What the core costs per call, without any I/O: time (criterion) and allocations (a counting
//! global allocator).
//!
//! ```text
//! cargo bench -p imagekit-core --bench core
//! cargo bench -p imagekit-core --bench core -- --allocations-only   # just the allocation table
//! ```
//!
//! The allocation table comes first: each operation is run many times between two reads of the
//! counter, and allocs/op is the difference divided by the count (reallocations count as
//! allocations). Then criterion measures ns/op.
//!
//! * `request/*`: describing get-file-version-details and turning it into an `http::Request`.
//! * `parse/*`: reading a 200 answer (one ~1.5 KB File, or a list of 1000) into the model,
//!   through `Operation::parse_with_meta` as the client does, and `serde_json::from_slice` alone
//!   on the same bytes as the floor (same inputs and batching; dropping the result is not timed).
//! * `call/*`: a whole get-file-version-details call through the client (`.await` on the call:
//!   describe, build the request, hand it to the transport, read the answer into a `File`)
//!   against a transport that answers at once from memory, so no I/O is timed; `call/by_hand`
//!   does the same work without the client (a request built by hand, the same transport
//!   answer, `serde_json::from_slice`), the floor to compare.
//! * `sign/build_src_chained`: `UrlBuilder::build_src` on options parsed once (as a port of a
//!   Node `buildSrc` call would hold them): a chained transformation in the path, signed with an
//!   expiry. `sign/url_hmac_sha1` is the same URL built and signed by hand, the floor to compare.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use criterion::Criterion;
use hmac::{Hmac, Mac};
use http::header::{CONTENT_TYPE, HeaderValue};
use imagekit_core::Client;
use imagekit_core::TransportError;
use imagekit_core::models::File;
use imagekit_core::transport::{HttpRequest, HttpResponse, HttpTransport, RequestBody, RequestOptions};
use imagekit_mock::fixtures::{self, FILE_ID, VERSION_2_ID};

// ---- a counting allocator ------------------------------------------------------------------

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to the system allocator with the caller's arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and bytes per call of `f`, over `iterations` calls (after one warm-up call).
fn allocations<R>(iterations: u64, mut f: impl FnMut() -> R) -> (f64, f64) {
    black_box(f());
    let (a0, b0) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    for _ in 0..iterations {
        black_box(f());
    }
    let (a1, b1) = (ALLOCATIONS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    ((a1 - a0) as f64 / iterations as f64, (b1 - b0) as f64 / iterations as f64)
}

// ---- inputs ----------------------------------------------------------------------------------

/// The core never sends in these benches.
#[derive(Debug)]
struct NoTransport;

impl HttpTransport for NoTransport {
    async fn send(&self, _: HttpRequest, _: RequestOptions) -> Result<HttpResponse, TransportError> {
        unreachable!("benches do not send")
    }
}

fn client() -> Client {
    Client::builder().private_key("private_bench_key=").transport(NoTransport).build().expect("client")
}

/// A 200 answer as a transport hands it over: hyper's usual headers and the body.
fn answer(body: Bytes) -> HttpResponse {
    let mut response = HttpResponse::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers.insert("x-ik-requestid", HeaderValue::from_static(fixtures::REQUEST_ID));
    headers.insert("date", HeaderValue::from_static("Fri, 27 Nov 2026 10:00:00 GMT"));
    headers.insert("content-length", HeaderValue::from(1500));
    response
}

fn one_file() -> Bytes {
    Bytes::from(serde_json::to_vec(&fixtures::file_version()).expect("encode"))
}

/// 1000 versions of the fixture file, each with its own id and name.
fn thousand_files() -> Bytes {
    let list: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            let mut file = fixtures::file_version();
            file["versionInfo"]["id"] = format!("6673f9c2e7d8a5b4c3f{i:05}").into();
            file["versionInfo"]["name"] = format!("Version {}", i + 1).into();
            file
        })
        .collect();
    Bytes::from(serde_json::to_vec(&list).expect("encode"))
}

/// Answers every request at once with a 200 and the one-File body, as a transport hands an
/// answer over (headers and body built per answer); nothing else.
#[derive(Debug)]
struct InMemory(Bytes);

impl InMemory {
    fn answer<B>(&self, request: &http::Request<B>) -> HttpResponse {
        black_box(request);
        answer(self.0.clone())
    }
}

impl HttpTransport for InMemory {
    async fn send(
        &self,
        request: HttpRequest,
        options: RequestOptions,
    ) -> Result<HttpResponse, TransportError> {
        black_box(options);
        Ok(self.answer(&request))
    }
}

// ---- the operations measured -----------------------------------------------------------------

/// One call through the client; the in-memory transport answers in the first poll.
fn call_through_client(client: &Client) -> File {
    let call = std::future::IntoFuture::into_future(client.files().versions().get(FILE_ID, VERSION_2_ID));
    futures_util::FutureExt::now_or_never(call).expect("answered at once").expect("file")
}

/// The same call by hand: the request a bare HTTP client would send, the same answer, serde.
fn call_by_hand(transport: &InMemory, authorization: &HeaderValue) -> File {
    let uri = format!("https://api.imagekit.io/v1/files/{FILE_ID}/versions/{VERSION_2_ID}");
    let request = http::Request::get(uri)
        .header(http::header::AUTHORIZATION, authorization.clone())
        .header(http::header::USER_AGENT, HeaderValue::from_static(imagekit_core::config::DEFAULT_USER_AGENT))
        .header(http::header::ACCEPT, HeaderValue::from_static("application/json"))
        .body(RequestBody::Full(Bytes::new()))
        .expect("request");
    let response = transport.answer(&request);
    serde_json::from_slice::<File>(response.body()).expect("file")
}

fn in_memory() -> (Client, InMemory, HeaderValue) {
    let client = Client::builder()
        .private_key("private_bench_key=")
        .transport(InMemory(one_file()))
        .build()
        .expect("client");
    let mut authorization = HeaderValue::from_static("Basic cHJpdmF0ZV9iZW5jaF9rZXk9Og==");
    authorization.set_sensitive(true);
    (client, InMemory(one_file()), authorization)
}

fn build_request(client: &Client) -> HttpRequest {
    let operation = client.files().versions().get(FILE_ID, VERSION_2_ID).into_operation().expect("op");
    operation.to_request(client.config()).expect("request")
}

const URL_ENDPOINT: &str = "https://ik.imagekit.io/demo_shop";
const PATH: &str = "/catalog/shoes/red-sneaker.jpg";
const TRANSFORMATION: [&[(&str, &str)]; 3] =
    [&[("w", "400"), ("h", "300"), ("c", "at_max")], &[("rt", "90")], &[("e", "sharpen")]];

/// `https://ik.imagekit.io/demo_shop/tr:w-400,h-300,c-at_max:rt-90:e-sharpen/catalog/shoes/red-sneaker.jpg?ik-t=..&ik-s=..`
fn signed_url(private_key: &[u8], expires: u64) -> String {
    use std::fmt::Write as _;
    let mut url = String::with_capacity(200);
    url.push_str(URL_ENDPOINT);
    url.push_str("/tr:");
    for (i, step) in TRANSFORMATION.iter().enumerate() {
        if i > 0 {
            url.push(':');
        }
        for (j, (key, value)) in step.iter().enumerate() {
            if j > 0 {
                url.push(',');
            }
            url.push_str(key);
            url.push('-');
            url.push_str(value);
        }
    }
    url.push_str(PATH);
    // The string to sign: the URL after the endpoint and its slash, then the expiry.
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(private_key).expect("any key length");
    mac.update(&url.as_bytes()[URL_ENDPOINT.len() + 1..]);
    let mut expiry = [0u8; 20];
    let expiry = {
        let mut cursor = std::io::Cursor::new(&mut expiry[..]);
        std::io::Write::write_fmt(&mut cursor, format_args!("{expires}")).expect("fits");
        let len = cursor.position() as usize;
        &expiry[..len]
    };
    mac.update(expiry);
    let signature = mac.finalize().into_bytes();
    let _ = write!(url, "?ik-t={expires}&ik-s=");
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for byte in signature {
        url.push(HEX[usize::from(byte >> 4)] as char);
        url.push(HEX[usize::from(byte & 0xf)] as char);
    }
    url
}

/// The same URL through the public builder, from options parsed once.
fn builder_and_options() -> (imagekit_core::url::UrlBuilder, imagekit_core::url::SrcOptions) {
    let options = serde_json::from_value(serde_json::json!({
        "urlEndpoint": URL_ENDPOINT,
        "src": PATH,
        "transformation": [{"width": 400, "height": 300, "crop": "at_max"}, {"rotation": 90}, {"sharpen": true}],
        "transformationPosition": "path",
        "expiresIn": 3600,
    }))
    .expect("options");
    (imagekit_core::url::UrlBuilder::new("private_bench_key=").now_unix(1_700_000_000), options)
}

// ---- the report ------------------------------------------------------------------------------

fn allocation_table() {
    let client = client();
    let one = one_file();
    let many = thousand_files();
    let get = client.files().versions().get(FILE_ID, VERSION_2_ID).into_operation().expect("op");
    let list = client.files().versions().list(FILE_ID).into_operation().expect("op");
    let responses = |body: &Bytes, n: usize| (0..n).map(|_| answer(body.clone())).collect::<Vec<_>>();

    let mut rows: Vec<(&str, (f64, f64))> = Vec::new();
    rows.push(("request/describe_and_build", allocations(10_000, || build_request(&client))));
    rows.push((
        "request/build_only",
        allocations(10_000, || get.to_request(client.config()).expect("request")),
    ));
    let (through, by_hand, authorization) = in_memory();
    rows.push(("call/through_client", allocations(10_000, || call_through_client(&through))));
    rows.push(("call/by_hand", allocations(10_000, || call_by_hand(&by_hand, &authorization))));
    let mut pending = responses(&one, 10_001).into_iter();
    rows.push((
        "parse/file",
        allocations(10_000, || get.parse_with_meta(pending.next().expect("enough")).expect("file")),
    ));
    rows.push((
        "parse/file_serde_only",
        allocations(10_000, || serde_json::from_slice::<File>(&one).expect("file")),
    ));
    let mut pending = responses(&many, 21).into_iter();
    rows.push((
        "parse/list_1000",
        allocations(20, || list.parse_with_meta(pending.next().expect("enough")).expect("list")),
    ));
    rows.push((
        "parse/list_1000_serde_only",
        allocations(20, || serde_json::from_slice::<Vec<File>>(&many).expect("list")),
    ));
    rows.push((
        "sign/url_hmac_sha1",
        allocations(10_000, || signed_url(b"private_bench_key=", 1_800_000_000)),
    ));
    let (builder, options) = builder_and_options();
    rows.push(("sign/build_src_chained", allocations(10_000, || builder.build_src(&options).expect("url"))));

    println!("one File body: {} bytes; list body: {} bytes", one.len(), many.len());
    println!("| benchmark | allocs/op | bytes allocated/op |");
    println!("|---|---:|---:|");
    for (name, (allocs, bytes)) in rows {
        println!("| {name} | {allocs:.1} | {bytes:.0} |");
    }
    println!();
}

fn benches(c: &mut Criterion) {
    let client = client();
    let one = one_file();
    let many = thousand_files();
    let get = client.files().versions().get(FILE_ID, VERSION_2_ID).into_operation().expect("op");
    let list = client.files().versions().list(FILE_ID).into_operation().expect("op");

    c.bench_function("request/describe_and_build", |b| b.iter(|| build_request(black_box(&client))));
    c.bench_function("request/build_only", |b| {
        b.iter(|| get.to_request(black_box(client.config())).expect("request"))
    });
    let (through, by_hand, authorization) = in_memory();
    c.bench_function("call/through_client", |b| b.iter(|| call_through_client(black_box(&through))));
    c.bench_function("call/by_hand", |b| b.iter(|| call_by_hand(black_box(&by_hand), &authorization)));
    c.bench_function("parse/file", |b| {
        b.iter_batched(
            || answer(one.clone()),
            |response| get.parse_with_meta(response).expect("file"),
            criterion::BatchSize::SmallInput,
        )
    });
    // The floor: the same input and the same batching as parse/file, serde_json alone.
    c.bench_function("parse/file_serde_only", |b| {
        b.iter_batched(
            || answer(one.clone()),
            |response| serde_json::from_slice::<File>(response.body()).expect("file"),
            criterion::BatchSize::SmallInput,
        )
    });
    let mut group = c.benchmark_group("parse");
    group.sample_size(20);
    group.bench_function("list_1000", |b| {
        b.iter_batched(
            || answer(many.clone()),
            |response| list.parse_with_meta(response).expect("list"),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("list_1000_serde_only", |b| {
        b.iter_batched(
            || answer(many.clone()),
            |response| serde_json::from_slice::<Vec<File>>(response.body()).expect("list"),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
    c.bench_function("sign/url_hmac_sha1", |b| {
        b.iter(|| signed_url(black_box(b"private_bench_key="), black_box(1_800_000_000)))
    });
    let (builder, options) = builder_and_options();
    c.bench_function("sign/build_src_chained", |b| {
        b.iter(|| builder.build_src(black_box(&options)).expect("url"))
    });
}

fn main() {
    let allocations_only = std::env::args().any(|a| a == "--allocations-only");
    allocation_table();
    if allocations_only {
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}
