//! Installs and runs Stoplight Prism, a validating mock server of an OpenAPI document.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Prism release the suite is pinned to, so runs are reproducible.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli@5.14.2";
const READY_WITHIN: Duration = Duration::from_secs(90);

/// A running Prism; stopped when dropped.
pub struct Prism {
    child: Child,
    pub base_url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Installs Prism into `<tools>/prism` with npm unless it is already there.
fn install(tools: &Path) -> Result<PathBuf, String> {
    let prefix = tools.join("prism");
    let binary = prefix.join("node_modules/.bin/prism");
    if binary.exists() {
        return Ok(binary);
    }
    println!("installing {PRISM_PACKAGE} into {}", prefix.display());
    std::fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
        .arg(&prefix)
        .arg(PRISM_PACKAGE)
        .status()
        .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
    if !status.success() || !binary.exists() {
        return Err(format!("npm install {PRISM_PACKAGE} failed ({status})"));
    }
    Ok(binary)
}

/// Starts Prism on a free loopback port serving `spec`, and waits until it answers.
pub fn start(tools: &Path, spec: &Path) -> Result<Prism, String> {
    let binary = install(tools)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let child = Command::new(&binary)
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let mut prism = Prism { child, base_url: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = prism.child.try_wait() {
            return Err(format!("prism exited before it was ready ({status})"));
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(prism);
        }
        if started.elapsed() > READY_WITHIN {
            return Err(format!("prism was not ready within {READY_WITHIN:?}"));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}
