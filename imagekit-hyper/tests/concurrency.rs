//! One client shared by 64 tasks making 20 000 calls against a loopback server: every call
//! succeeds and the connection pool stays bounded by the concurrency.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use imagekit_mock::fixtures;
use tokio::net::TcpListener;

const TASKS: usize = 64;
const CALLS: usize = 20_000;

/// Resident memory of this process (Linux), for the report; 0 elsewhere.
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("VmRSS: 0 kB");
    line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_share_one_client_for_twenty_thousand_calls() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let opened = connections.clone();
    let body = bytes::Bytes::from(fixtures::file_version().to_string());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            opened.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_request: http::Request<hyper::body::Incoming>| {
                    let body = body.clone();
                    async move {
                        let mut response = http::Response::new(Full::new(body));
                        response.headers_mut().insert("content-type", "application/json".parse().unwrap());
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });

    let client =
        imagekit_hyper::builder().unwrap().private_key("private_k").base_url(&base_url).build().unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let (client, next) = (client.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = 0;
            while let n @ 0..CALLS = next.fetch_add(1, Ordering::SeqCst) {
                if n == CALLS / 10 {
                    println!("resident memory after {n} calls: {} KiB", resident_kib());
                }
                let file =
                    client.files().versions().get(fixtures::FILE_ID, fixtures::VERSION_2_ID).await.unwrap();
                assert_eq!(file.file_id.as_deref(), Some(fixtures::FILE_ID));
                done += 1;
            }
            done
        }));
    }
    let mut succeeded = 0;
    for task in tasks {
        succeeded += task.await.unwrap();
    }
    let opened = connections.load(Ordering::SeqCst);
    println!("resident memory after {CALLS} calls: {} KiB", resident_kib());
    println!("{succeeded} calls over {opened} connections");
    assert_eq!(succeeded, CALLS);
    // Bounded by the concurrency, not by the number of calls: one connection per task, plus
    // the connects hyper starts while a task waits for an idle connection that then comes back
    // first (hyper keeps those too). Seen here: 66 to 99 on a busy 2-core machine.
    assert!(opened <= 2 * TASKS, "the pool opened {opened} connections for {TASKS} tasks");
}
