//! Load driver: how many get-file-version-details calls per second this client makes, next to a
//! bare hyper client doing the same work.
//!
//! ```text
//! # one measurement; without --base-url it starts `load serve` as a child process
//! cargo run --release -p imagekit-examples --no-default-features --example load -- [--base-url URL] [--requests N] [--concurrency C] [--raw]
//! # the local server alone (prints `listening: http://127.0.0.1:PORT`)
//! cargo run --release -p imagekit-examples --no-default-features --example load -- serve [--port P]
//! # both modes in one process, in alternating batches: the ratio, robust to machine load
//! cargo run --release -p imagekit-examples --no-default-features --example load -- --interleave [--requests N] [--concurrency C] [--batch B] [--control]
//! # the table of BENCHMARKS.md: C = 1, 16, 64, an interleaved run and separate runs for each
//! cargo run --release -p imagekit-examples --no-default-features --example load -- compare [--requests N] [--separate-requests M] [--concurrency 1,16,64] [--rounds R] [--no-timeout]
//! ```
//!
//! A measurement makes one untimed first call (its time since process start is the cold start),
//! then untimed warm-up calls at the same concurrency so the pool holds its connections, then N
//! timed calls with C in flight. It prints, one per line: the mode, the figures, its peak RSS
//! (`VmHWM`), the CPU time it spent per call, and last `requests/s: <float>`.
//!
//! `--raw` does the same work with hyper-util's pooled client built with the same settings as
//! `imagekit_hyper::HyperTransport` (same connector, pool timer, idle timeout and idle limit):
//! the same URL (formatted per call from the two ids), the same three headers, the body
//! collected into `Bytes` and parsed with `serde_json::from_slice::<imagekit_core::models::File>`.
//! The difference between the two is
//! what `imagekit-core` and the transport adapter cost. (The client also arms its default 60 s
//! timeout per call, which raw hyper does not; `--no-timeout` turns it off to see its cost.)
//!
//! On a machine shared with other work, two runs a few seconds apart can differ by 30 %, so
//! `--interleave` runs both modes in one process in alternating batches (ABBA) of B calls; a
//! change in load lasts longer than a batch and hits both alike. Each pair of batches gets new
//! clients with new pools, because where the runtime places a pool's connection tasks biases
//! that pool by up to 10 % for its whole life. It reports the median of the per-pair
//! throughput ratios and the aggregate ratio. `--control` runs raw hyper against itself the
//! same way: its ratio should be 1, and how far it strays is the method's own noise.
//!
//! Both use Tokio's multi-threaded runtime with two worker threads (the machine this was written
//! for has two cores) and the system allocator.

use std::error::Error as StdError;
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use imagekit_core::models::File;
use imagekit_mock::fixtures::{self, FILE_ID, VERSION_2_ID};

type BoxError = Box<dyn StdError + Send + Sync>;

/// The key both modes send; the local server only checks that some Basic credentials came.
const KEY: &str = "private_load_test_key=";
/// Set by whoever starts a measurement to the wall-clock time (ns since the epoch) just before
/// the process was started, so cold start includes process and runtime start-up.
const T0_ENV: &str = "LOAD_T0_NS";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::main(&args[1..]),
        Some("compare") => compare::main(&args[1..]),
        _ => measure::main(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` options; anything else is an error that names it.
fn parse_flags(
    args: &[String],
    known: &[&str],
    switches: &[&str],
) -> Result<Vec<(String, String)>, BoxError> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let name = arg.strip_prefix("--").ok_or_else(|| format!("unexpected argument {arg:?}"))?;
        if switches.contains(&name) {
            out.push((name.to_owned(), String::new()));
        } else if known.contains(&name) {
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            out.push((name.to_owned(), value.clone()));
        } else {
            return Err(format!("unknown option --{name}").into());
        }
    }
    Ok(out)
}

fn flag<'a>(flags: &'a [(String, String)], name: &str) -> Option<&'a str> {
    flags.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The server to load: `--base-url`, or else a fixture server started in a child process, so
/// the server's work and memory do not count as the client's. Keep the child alive while it is used.
fn target(flags: &[(String, String)]) -> Result<(Option<ServerChild>, String), BoxError> {
    match flag(flags, "base-url") {
        Some(url) => Ok((None, url.to_owned())),
        None => {
            let server = ServerChild::start()?;
            let url = server.base_url.clone();
            Ok((Some(server), url))
        }
    }
}

fn parse_num(flags: &[(String, String)], name: &str, default: usize) -> Result<usize, BoxError> {
    match flag(flags, name) {
        Some(v) => v.parse().map_err(|_| format!("--{name}: not a number: {v:?}").into()),
        None => Ok(default),
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
}

/// Peak resident set size of this process, in KiB (`VmHWM`, Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User plus system CPU time this process has used so far.
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn epoch_ns() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

/// The local server: answers the file and version endpoints from pre-encoded fixtures.
mod serve {
    use super::*;

    pub fn main(args: &[String]) -> Result<(), BoxError> {
        let flags = parse_flags(args, &["port"], &["exit-on-stdin-eof"])?;
        let port = parse_num(&flags, "port", 0)?;
        if flag(&flags, "exit-on-stdin-eof").is_some() {
            // Started by a driver: go away with it, even if it is killed before it can kill us.
            std::thread::spawn(|| {
                let _ = std::io::stdin().read_to_end(&mut Vec::new());
                std::process::exit(0);
            });
        }
        runtime()?.block_on(run(port as u16))
    }

    struct Routes {
        version_path: String,
        version_1_path: String,
        versions_path: String,
        details_path: String,
        version: Bytes,
        version_1: Bytes,
        versions: Bytes,
        file: Bytes,
        not_found: Bytes,
        unauthorized: Bytes,
    }

    fn encode(value: &serde_json::Value) -> Bytes {
        Bytes::from(serde_json::to_vec(value).expect("fixtures encode"))
    }

    async fn run(port: u16) -> Result<(), BoxError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let routes = Arc::new(Routes {
            version_path: format!("/v1/files/{FILE_ID}/versions/{VERSION_2_ID}"),
            version_1_path: format!("/v1/files/{FILE_ID}/versions/{}", fixtures::VERSION_1_ID),
            versions_path: format!("/v1/files/{FILE_ID}/versions"),
            details_path: format!("/v1/files/{FILE_ID}/details"),
            version: encode(&fixtures::file_version()),
            version_1: encode(&fixtures::file_version_1()),
            versions: encode(&fixtures::version_list()),
            file: encode(&fixtures::file()),
            not_found: Bytes::from_static(
                br#"{"message":"The requested file version does not exist.","help":"For support kindly contact us at support@imagekit.io."}"#,
            ),
            unauthorized: Bytes::from_static(
                br#"{"message":"Your request does not contain private API key.","help":"For support kindly contact us at support@imagekit.io."}"#,
            ),
        });
        println!("listening: http://{}", listener.local_addr()?);
        std::io::stdout().flush()?;
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let routes = routes.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                    let answer = answer(&routes, &request);
                    async move { Ok::<_, std::convert::Infallible>(answer) }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    }

    fn answer(routes: &Routes, request: &Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
        let authorized = request
            .headers()
            .get(AUTHORIZATION)
            .is_some_and(|v| v.as_bytes().starts_with(b"Basic ") && v.len() > 6);
        let path = request.uri().path();
        let (status, body) = if !authorized {
            (StatusCode::UNAUTHORIZED, &routes.unauthorized)
        } else if request.method() != http::Method::GET {
            (StatusCode::NOT_FOUND, &routes.not_found)
        } else if path == routes.version_path {
            (StatusCode::OK, &routes.version)
        } else if path == routes.version_1_path {
            (StatusCode::OK, &routes.version_1)
        } else if path == routes.versions_path {
            (StatusCode::OK, &routes.versions)
        } else if path == routes.details_path {
            (StatusCode::OK, &routes.file)
        } else {
            (StatusCode::NOT_FOUND, &routes.not_found)
        };
        let mut response = Response::new(Full::new(body.clone()));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        headers.insert("x-ik-requestid", HeaderValue::from_static(fixtures::REQUEST_ID));
        response
    }
}

/// Starts `load serve` as a child process and reads its base URL.
struct ServerChild {
    child: Child,
    base_url: String,
}

impl ServerChild {
    fn start() -> Result<Self, BoxError> {
        let mut child = Command::new(std::env::current_exe()?)
            .args(["serve", "--port", "0", "--exit-on-stdin-eof"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout from the server")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let base_url = line
            .trim()
            .strip_prefix("listening: ")
            .ok_or_else(|| format!("the server said {line:?}"))?
            .to_owned();
        Ok(Self { child, base_url })
    }
}

impl Drop for ServerChild {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One measurement in this process.
mod measure {
    use super::*;
    use hyper_util::client::legacy::Client as PooledClient;
    use hyper_util::client::legacy::connect::HttpConnector;
    use hyper_util::rt::{TokioExecutor, TokioTimer};

    /// One get-file-version-details call; `Clone` is how each in-flight task gets its handle.
    pub trait Caller: Clone + Send + Sync + 'static {
        fn call(&self) -> impl Future<Output = Result<File, BoxError>> + Send;
    }

    #[derive(Clone)]
    struct ClientCaller(imagekit_core::Client);

    impl Caller for ClientCaller {
        async fn call(&self) -> Result<File, BoxError> {
            Ok(self.0.files().versions().get(FILE_ID, VERSION_2_ID).await?)
        }
    }

    type RawClient = PooledClient<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

    /// A bare hyper client: what a hand-written call costs.
    #[derive(Clone)]
    struct RawCaller {
        client: RawClient,
        base_url: Arc<str>,
        authorization: HeaderValue,
        user_agent: HeaderValue,
    }

    impl RawCaller {
        fn new(base_url: &str) -> Result<Self, BoxError> {
            // The same connector and pool settings as imagekit_hyper::HyperTransport's defaults.
            let mut http = HttpConnector::new();
            http.enforce_http(false);
            http.set_connect_timeout(Some(Duration::from_secs(10)));
            http.set_nodelay(true);
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let connector = hyper_rustls::HttpsConnectorBuilder::new()
                .with_provider_and_webpki_roots(provider)?
                .https_or_http()
                .enable_http1()
                .enable_http2()
                .wrap_connector(http);
            let client = PooledClient::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .pool_idle_timeout(Duration::from_secs(90))
                .pool_max_idle_per_host(usize::MAX)
                .build(connector);
            use base64::Engine as _;
            let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"));
            let mut authorization = HeaderValue::try_from(format!("Basic {basic}"))?;
            authorization.set_sensitive(true);
            Ok(Self {
                client,
                base_url: base_url.into(),
                authorization,
                user_agent: HeaderValue::from_static(imagekit_core::config::DEFAULT_USER_AGENT),
            })
        }
    }

    impl Caller for RawCaller {
        async fn call(&self) -> Result<File, BoxError> {
            // The URL is built per call from the ids, as any call for a given file and version must.
            let uri = Uri::try_from(format!("{}/v1/files/{FILE_ID}/versions/{VERSION_2_ID}", self.base_url))?;
            let request = Request::get(uri)
                .header(AUTHORIZATION, self.authorization.clone())
                .header(USER_AGENT, self.user_agent.clone())
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .body(Full::new(Bytes::new()))?;
            let response = self.client.request(request).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            if !status.is_success() {
                return Err(format!("status {status}").into());
            }
            Ok(serde_json::from_slice::<File>(&body)?)
        }
    }

    pub fn main(args: &[String]) -> Result<(), BoxError> {
        let flags = parse_flags(
            args,
            &["base-url", "requests", "concurrency", "warmup", "batch"],
            &["raw", "no-timeout", "interleave", "control"],
        )?;
        let requests = parse_num(&flags, "requests", 20_000)?;
        let concurrency = parse_num(&flags, "concurrency", 16)?.max(1);
        let warmup = parse_num(&flags, "warmup", (requests / 10).clamp(concurrency * 4, 5_000))?;
        let raw = flag(&flags, "raw").is_some();
        let (server, base_url) = target(&flags)?;
        let t0 = std::env::var(T0_ENV).ok().and_then(|v| v.parse::<u128>().ok());
        let runtime = runtime()?;
        let client = || -> Result<ClientCaller, BoxError> {
            // The ready client as users get it: default transport, timeout and retries.
            let mut builder = imagekit_hyper::builder()?;
            if flag(&flags, "no-timeout").is_some() {
                builder = builder.timeout(None);
            }
            let client = builder.private_key(KEY).base_url(base_url.as_str()).build()?;
            Ok(ClientCaller(client))
        };
        if flag(&flags, "interleave").is_some() {
            let batch = parse_num(&flags, "batch", (concurrency * 10).max(500))?.max(1);
            let control = flag(&flags, "control").is_some();
            let raw = || RawCaller::new(&base_url);
            let report = if control {
                // Raw hyper against itself: the spread this measurement has when the two sides
                // do exactly the same work.
                runtime.block_on(interleave(raw, raw, requests, concurrency, warmup, batch))?
            } else {
                runtime.block_on(interleave(&client, raw, requests, concurrency, warmup, batch))?
            };
            drop(runtime);
            drop(server);
            if control {
                println!("mode: control (raw hyper against raw hyper, in the \"client\" lines)");
            }
            println!("mode: interleaved (client and raw hyper in alternating batches, one process)");
            println!("base url: {base_url}");
            println!("requests per mode: {requests}");
            println!("concurrency: {concurrency}");
            println!("batch: {batch}");
            println!("warm-up requests per mode: {warmup}");
            println!("client requests/s: {:.1}", report.client_rps);
            println!("raw requests/s: {:.1}", report.raw_rps);
            println!("median batch-pair ratio: {:.3}", report.median_pair_ratio);
            println!("ratio: {:.3}", report.client_rps / report.raw_rps);
            println!("client cpu us/request: {:.2}", report.client_cpu_us);
            println!("raw cpu us/request: {:.2}", report.raw_cpu_us);
            return Ok(());
        }
        let report = if raw {
            runtime.block_on(measure(RawCaller::new(&base_url)?, requests, concurrency, warmup, t0))?
        } else {
            runtime.block_on(measure(client()?, requests, concurrency, warmup, t0))?
        };
        drop(runtime);
        drop(server);

        println!("mode: {}", if raw { "raw-hyper" } else { "imagekit-rs" });
        println!("base url: {base_url}");
        println!("requests: {requests}");
        println!("concurrency: {concurrency}");
        println!("warm-up requests: {warmup}");
        match report.cold_start {
            Some(d) => println!("cold start ms: {:.2}", d.as_secs_f64() * 1e3),
            None => println!(
                "first call ms: {:.2} (set {T0_ENV} for cold start)",
                report.first.as_secs_f64() * 1e3
            ),
        }
        println!("elapsed s: {:.3}", report.elapsed.as_secs_f64());
        println!("cpu us/request: {:.2}", report.cpu.as_secs_f64() * 1e6 / requests as f64);
        println!("peak rss KiB: {}", peak_rss_kib().unwrap_or(0));
        println!("allocator: system");
        println!("requests/s: {:.1}", requests as f64 / report.elapsed.as_secs_f64());
        Ok(())
    }

    struct Report {
        cold_start: Option<Duration>,
        first: Duration,
        elapsed: Duration,
        cpu: Duration,
    }

    async fn measure<C: Caller>(
        caller: C,
        requests: usize,
        concurrency: usize,
        warmup: usize,
        t0: Option<u128>,
    ) -> Result<Report, BoxError> {
        let started = Instant::now();
        caller.call().await?;
        let first = started.elapsed();
        let cold_start = t0.map(|t0| Duration::from_nanos(epoch_ns().saturating_sub(t0) as u64));
        run(&caller, warmup, concurrency).await?;
        let cpu = cpu_time();
        let started = Instant::now();
        run(&caller, requests, concurrency).await?;
        let elapsed = started.elapsed();
        let cpu = cpu_time().saturating_sub(cpu);
        Ok(Report { cold_start, first, elapsed, cpu })
    }

    struct Interleaved {
        client_rps: f64,
        raw_rps: f64,
        median_pair_ratio: f64,
        /// CPU time (user and system, all threads) per call while each mode's batches ran.
        client_cpu_us: f64,
        raw_cpu_us: f64,
    }

    /// Both modes in this process, in alternating batches (ABBA): a change in machine load
    /// lasts longer than a batch, so it hits both modes alike. Each pair of batches runs on new
    /// clients with new pools: where the runtime happens to place a pool's connection tasks
    /// (with the caller's task on one worker, or across both) moves throughput by up to 10 %
    /// for as long as the pool lives, so a pool per pair turns that into noise the median
    /// removes, instead of a bias that lasts the whole run.
    async fn interleave<A: Caller, B: Caller>(
        new_client: impl Fn() -> Result<A, BoxError>,
        new_raw: impl Fn() -> Result<B, BoxError>,
        requests: usize,
        concurrency: usize,
        warmup: usize,
        batch: usize,
    ) -> Result<Interleaved, BoxError> {
        let (client, raw) = (new_client()?, new_raw()?);
        client.call().await?;
        raw.call().await?;
        run(&client, warmup, concurrency).await?;
        run(&raw, warmup, concurrency).await?;
        drop((client, raw));
        let (mut client_time, mut raw_time) = (Duration::ZERO, Duration::ZERO);
        let mut cpu = [Duration::ZERO; 2];
        let (mut done, mut pair) = (0, 0);
        let mut ratios = Vec::new();
        while done < requests {
            let n = batch.min(requests - done);
            let order = if pair % 2 == 0 { [0, 1] } else { [1, 0] };
            let (client, raw) = if order[0] == 0 {
                let client = new_client()?;
                (client, new_raw()?)
            } else {
                let raw = new_raw()?;
                (new_client()?, raw)
            };
            // Untimed: open the pools' connections, in the order the batches run.
            for mode in order {
                if mode == 0 {
                    run(&client, 2 * concurrency, concurrency).await?;
                } else {
                    run(&raw, 2 * concurrency, concurrency).await?;
                }
            }
            let mut times = [Duration::ZERO; 2];
            for mode in order {
                let (started, cpu_before) = (Instant::now(), cpu_time());
                if mode == 0 {
                    run(&client, n, concurrency).await?;
                } else {
                    run(&raw, n, concurrency).await?;
                }
                times[mode] = started.elapsed();
                cpu[mode] += cpu_time().saturating_sub(cpu_before);
            }
            client_time += times[0];
            raw_time += times[1];
            ratios.push(times[1].as_secs_f64() / times[0].as_secs_f64());
            done += n;
            pair += 1;
        }
        ratios.sort_by(f64::total_cmp);
        let median_pair_ratio = ratios[ratios.len() / 2];
        Ok(Interleaved {
            client_rps: requests as f64 / client_time.as_secs_f64(),
            raw_rps: requests as f64 / raw_time.as_secs_f64(),
            median_pair_ratio,
            client_cpu_us: cpu[0].as_secs_f64() * 1e6 / requests as f64,
            raw_cpu_us: cpu[1].as_secs_f64() * 1e6 / requests as f64,
        })
    }

    /// `requests` calls, `concurrency` of them in flight, each task taking the next call.
    async fn run<C: Caller>(caller: &C, requests: usize, concurrency: usize) -> Result<(), BoxError> {
        let next = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..concurrency.min(requests.max(1)))
            .map(|_| {
                let (caller, next) = (caller.clone(), next.clone());
                tokio::spawn(async move {
                    while next.fetch_add(1, Ordering::Relaxed) < requests {
                        let file = caller.call().await?;
                        std::hint::black_box(file);
                    }
                    Ok::<_, BoxError>(())
                })
            })
            .collect();
        for task in tasks {
            task.await??;
        }
        Ok(())
    }
}

/// Client and raw hyper side by side. The ratio comes from one process that runs both in
/// alternating batches; peak RSS, CPU per call and cold start from separate processes per mode.
mod compare {
    use super::*;

    #[derive(Clone, Copy, Default)]
    struct Run {
        rps: f64,
        rss_kib: f64,
        cold_ms: f64,
    }

    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n == 0 {
            0.0
        } else if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }

    /// Runs this program with `args` and returns its output.
    fn child(args: &[String]) -> Result<String, BoxError> {
        let mut command = Command::new(std::env::current_exe()?);
        command.args(args).env(T0_ENV, epoch_ns().to_string()).stderr(Stdio::inherit());
        let output = command.output()?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            return Err(format!("a measurement failed ({}): {stdout}", output.status).into());
        }
        Ok(stdout)
    }

    /// The number after `name` on its line of `output`.
    fn field(output: &str, name: &str) -> Result<f64, BoxError> {
        let line = output
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .ok_or_else(|| format!("no {name:?} in: {output}"))?;
        Ok(line.split_whitespace().next().unwrap_or("").parse()?)
    }

    fn one(
        base_url: &str,
        requests: usize,
        concurrency: usize,
        raw: bool,
        extra: &[String],
    ) -> Result<Run, BoxError> {
        let mut args: Vec<String> = ["--base-url", base_url, "--requests"].map(String::from).to_vec();
        args.extend([requests.to_string(), "--concurrency".into(), concurrency.to_string()]);
        if raw {
            args.push("--raw".into());
        } else {
            args.extend(extra.iter().cloned());
        }
        let out = child(&args)?;
        Ok(Run {
            rps: field(&out, "requests/s:")?,
            rss_kib: field(&out, "peak rss KiB:")?,
            cold_ms: field(&out, "cold start ms:")?,
        })
    }

    struct Row {
        concurrency: usize,
        client_rps: f64,
        raw_rps: f64,
        ratio: f64,
        aggregate_ratio: f64,
        separate_ratio: f64,
        control_ratio: f64,
        client_cpu_us: f64,
        raw_cpu_us: f64,
        client: Vec<Run>,
        raw: Vec<Run>,
    }

    pub fn main(args: &[String]) -> Result<(), BoxError> {
        let flags = parse_flags(
            args,
            &["base-url", "requests", "separate-requests", "concurrency", "rounds"],
            &["no-timeout"],
        )?;
        // Passed on to every run of the client (not to raw hyper, which has no timeout).
        let extra: Vec<String> =
            if flag(&flags, "no-timeout").is_some() { vec!["--no-timeout".into()] } else { Vec::new() };
        let requests = parse_num(&flags, "requests", 60_000)?;
        let separate_requests = parse_num(&flags, "separate-requests", 20_000)?;
        let rounds = parse_num(&flags, "rounds", 3)?.max(1);
        let levels = flag(&flags, "concurrency")
            .unwrap_or("1,16,64")
            .split(',')
            .map(|c| c.trim().parse::<usize>().map_err(|_| format!("--concurrency: {c:?}")))
            .collect::<Result<Vec<_>, _>>()?;
        let (server, base_url) = target(&flags)?;
        println!("server: {base_url} (a separate process)");
        if !extra.is_empty() {
            println!("client runs with --no-timeout: no per-call timer (raw hyper never has one)");
        }
        println!(
            "per concurrency: one interleaved run of {requests} calls per mode, then {rounds} separate runs \
             per mode of {separate_requests} calls, alternating raw/client"
        );
        let mut rows = Vec::new();
        for &c in &levels {
            let args: Vec<String> = vec![
                "--interleave".into(),
                "--base-url".into(),
                base_url.clone(),
                "--requests".into(),
                requests.to_string(),
                "--concurrency".into(),
                c.to_string(),
            ];
            let out = child(&[args.clone(), extra.clone()].concat())?;
            let (client_rps, raw_rps) = (field(&out, "client requests/s:")?, field(&out, "raw requests/s:")?);
            let (ratio, aggregate_ratio) = (field(&out, "median batch-pair ratio:")?, field(&out, "ratio:")?);
            let (client_cpu_us, raw_cpu_us) =
                (field(&out, "client cpu us/request:")?, field(&out, "raw cpu us/request:")?);
            println!(
                "C={c:<3} interleaved: client {client_rps:>9.1} req/s, raw {raw_rps:>9.1} req/s, \
                 median batch-pair ratio {ratio:.3}, aggregate {aggregate_ratio:.3}"
            );
            let control = child(&[args, vec!["--control".into()]].concat())?;
            let control_ratio = field(&control, "median batch-pair ratio:")?;
            println!(
                "C={c:<3} control (raw hyper against itself): median batch-pair ratio {control_ratio:.3}"
            );
            let (mut client, mut raw, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..rounds {
                // ABBA ordering, so a drift in machine load does not favour either side.
                let order = if round % 2 == 0 { [true, false] } else { [false, true] };
                let mut pair = [Run::default(); 2];
                for is_raw in order {
                    pair[usize::from(is_raw)] = one(&base_url, separate_requests, c, is_raw, &extra)?;
                }
                let [k, r] = pair;
                println!(
                    "C={c:<3} separate round {}: client {:>9.1} req/s, raw {:>9.1} req/s, ratio {:.3}",
                    round + 1,
                    k.rps,
                    r.rps,
                    k.rps / r.rps
                );
                ratios.push(k.rps / r.rps);
                client.push(k);
                raw.push(r);
            }
            let separate_ratio = median(ratios);
            rows.push(Row {
                concurrency: c,
                client_rps,
                raw_rps,
                ratio,
                aggregate_ratio,
                separate_ratio,
                control_ratio,
                client_cpu_us,
                raw_cpu_us,
                client,
                raw,
            });
        }
        drop(server);

        println!();
        println!(
            "ratio: client/raw throughput, median over batch pairs of the interleaved run; control: the same \
             measure of raw hyper against itself; CPU: per call over the interleaved batches; RSS and cold \
             start: medians of the separate runs"
        );
        println!(
            "| C | client req/s | raw hyper req/s | ratio | control ratio | aggregate ratio | separate-runs ratio | \
             client CPU us/call | raw CPU us/call | client peak RSS | raw peak RSS | client cold start | raw cold start |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        let mut worst = f64::INFINITY;
        for row in &rows {
            let m = |v: &[Run], f: fn(&Run) -> f64| median(v.iter().map(f).collect());
            worst = worst.min(row.ratio);
            println!(
                "| {} | {:.0} | {:.0} | {:.3} | {:.3} | {:.3} | {:.3} | {:.1} | {:.1} | {:.1} MiB | {:.1} MiB | {:.1} ms | {:.1} ms |",
                row.concurrency,
                row.client_rps,
                row.raw_rps,
                row.ratio,
                row.control_ratio,
                row.aggregate_ratio,
                row.separate_ratio,
                row.client_cpu_us,
                row.raw_cpu_us,
                m(&row.client, |r| r.rss_kib) / 1024.0,
                m(&row.raw, |r| r.rss_kib) / 1024.0,
                m(&row.client, |r| r.cold_ms),
                m(&row.raw, |r| r.cold_ms),
            );
        }
        println!("lowest ratio: {worst:.3}");
        Ok(())
    }
}
