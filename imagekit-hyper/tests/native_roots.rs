//! With the `native-roots` feature the trusted roots are the operating system's, or those of
//! the file `SSL_CERT_FILE` names when it is set (rustls-native-certs reads it). Each case runs
//! in a child process of this test with its own environment: changing the environment of a
//! running, multi-threaded process is unsound.
//!
//! `cargo test -p imagekit-hyper --no-default-features --features rustls-ring,native-roots,http2 --test native_roots`

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use common::{Authority, client, get_version, tls_server};
use imagekit_core::{Error, TransportErrorKind};
use imagekit_hyper::HyperTransport;

/// Set in a child: the base URL it calls.
const CHILD: &str = "IMAGEKIT_HYPER_NATIVE_ROOTS_CHILD";

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    match std::env::var(CHILD) {
        Ok(base_url) => runtime.block_on(child(&base_url)),
        Err(_) => runtime.block_on(parent()),
    }
}

/// Calls `base_url` with the default roots and prints what came of it.
async fn child(base_url: &str) -> ExitCode {
    let transport = HyperTransport::builder().no_proxy().build().unwrap();
    match get_version(&client(transport, base_url)).await {
        Ok(_) => println!("ok"),
        Err(Error::Transport(e)) if e.kind() == TransportErrorKind::Tls => {
            println!("tls: {}", imagekit_core::error::Report::new(&e))
        }
        Err(other) => println!("other: {}", other.report()),
    }
    ExitCode::SUCCESS
}

/// What a child printed, calling `base_url` with `SSL_CERT_FILE` set to `roots`.
async fn run_child(base_url: &str, roots: &Path) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.env(CHILD, base_url).env("SSL_CERT_FILE", roots).env_remove("SSL_CERT_DIR");
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn pem_file(name: &str, authority: &Authority) -> PathBuf {
    let path = std::env::temp_dir().join(format!("imagekit-hyper-{name}-{}.pem", std::process::id()));
    std::fs::write(&path, authority.pem()).unwrap();
    path
}

async fn parent() -> ExitCode {
    let (authority, other) = (Authority::new("native roots test CA"), Authority::new("another CA"));
    let server = tls_server(&authority.leaf(&["localhost"]), &[b"http/1.1"]).await;
    let base_url = format!("https://localhost:{}", server.port);
    let (trusted, untrusted) = (pem_file("trusted-ca", &authority), pem_file("other-ca", &other));

    let with_the_ca = run_child(&base_url, &trusted).await;
    let with_another = run_child(&base_url, &untrusted).await;
    let _ = (std::fs::remove_file(&trusted), std::fs::remove_file(&untrusted));

    assert_eq!(with_the_ca, "ok", "the CA in SSL_CERT_FILE is trusted");
    assert!(
        with_another.starts_with("tls: ") && with_another.contains("UnknownIssuer"),
        "with another CA in SSL_CERT_FILE the server is refused: {with_another}"
    );
    assert_eq!(server.seen.requests().len(), 1);
    println!("native roots: 2 passed, 0 failed");
    ExitCode::SUCCESS
}
