//! The upload idle timeout: an upload attempt that makes no progress for that long ends with a
//! timeout, long before its whole-exchange timeout; one that keeps making progress does not.

use std::time::{Duration, Instant};

use imagekit_core::{Client, RetryPolicy, TransportErrorKind, UploadSource};
use imagekit_hyper::HyperTransport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MS: Duration = Duration::from_millis(1);

/// Reads one request (head and `Content-Length` body) from `stream`, `chunk` bytes at a time
/// with `pause` between reads.
async fn read_request(stream: &mut TcpStream, chunk: usize, pause: Duration) {
    let mut seen = Vec::new();
    let mut buffer = vec![0u8; chunk];
    let head_end = loop {
        let n = stream.read(&mut buffer).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buffer[..n]);
        if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = seen.len() - head_end;
    while body < length {
        tokio::time::sleep(pause).await;
        let n = stream.read(&mut buffer).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        body += n;
    }
}

fn client(base_url: &str, idle: Duration) -> Client {
    Client::builder()
        .private_key("private_k")
        .upload_base_url(base_url)
        .transport(HyperTransport::new().unwrap())
        .sleeper(tokio::time::sleep)
        .retry_policy(RetryPolicy::none())
        .upload_timeout(Duration::from_secs(30))
        .upload_idle_timeout(Some(idle))
        .build()
        .unwrap()
}

/// The probe of the review: a server that takes the upload, then sends its status line one
/// byte at a time. Before, the attempt lasted until its hour-long timeout.
#[tokio::test]
async fn a_trickled_answer_ends_the_attempt_at_the_idle_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        read_request(&mut stream, 64 * 1024, Duration::ZERO).await;
        for byte in b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}" {
            if stream.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(200 * MS).await;
        }
    });
    let started = Instant::now();
    let error = client(&base_url, 600 * MS)
        .files()
        .upload(UploadSource::bytes(vec![b'x'; 64 * 1024]), "a.bin")
        .await
        .unwrap_err();
    let transport = error.as_transport().expect("a transport error");
    assert_eq!(transport.kind(), TransportErrorKind::Timeout, "{}", error.report());
    assert!(error.report().to_string().contains("idle"), "{}", error.report());
    let elapsed = started.elapsed();
    assert!(elapsed >= 500 * MS && elapsed < Duration::from_secs(5), "{elapsed:?}");
}

/// A server that stops reading the body stalls the upload: ended at the idle timeout too.
#[tokio::test]
async fn a_body_nobody_reads_ends_the_attempt_at_the_idle_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        // Hold the connection open without reading: the socket buffers fill and sending stops.
        tokio::time::sleep(Duration::from_secs(20)).await;
        drop(stream);
    });
    let started = Instant::now();
    let error = client(&base_url, 600 * MS)
        .files()
        .upload(UploadSource::bytes(vec![b'x'; 32 * 1024 * 1024]), "big.bin")
        .await
        .unwrap_err();
    assert_eq!(
        error.as_transport().map(|e| e.kind()),
        Some(TransportErrorKind::Timeout),
        "{}",
        error.report()
    );
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}

/// An answer that keeps coming, however slowly, is not cut: the idle timeout is not a speed
/// limit, and it is not the whole exchange's timeout.
#[tokio::test]
async fn an_answer_that_keeps_coming_is_not_cut() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        read_request(&mut stream, 64 * 1024, Duration::ZERO).await;
        let answer = imagekit_mock::fixtures::uploaded("slow.bin", "/", 1024).to_string();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        // About 1.2 s in all, never 400 ms without a chunk.
        for piece in answer.as_bytes().chunks(answer.len().div_ceil(8)) {
            tokio::time::sleep(150 * MS).await;
            let chunk = format!("{:x}\r\n{}\r\n", piece.len(), String::from_utf8_lossy(piece));
            let _ = stream.write_all(chunk.as_bytes()).await;
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    });
    let started = Instant::now();
    let outcome =
        client(&base_url, 400 * MS).files().upload(UploadSource::bytes(vec![b'x'; 1024]), "slow.bin").await;
    assert!(outcome.is_ok(), "{:?}", outcome.err().map(|e| e.report().to_string()));
    assert!(
        started.elapsed() > Duration::from_secs(1),
        "the answer really took longer than the idle timeout"
    );
}
