//! Runs the in-memory ImageKit emulator on 127.0.0.1 until killed.
//!
//! ```text
//! cargo run -p imagekit-emulator -- [--port N] [--private-key KEY] [--url-endpoint URL]
//!     [--host ADDR [--allow-remote]] [--admin-token TOKEN] [--header-timeout SECS] [--body-timeout SECS]
//!     [--max-body-bytes N] [--max-in-flight-bytes N] [--max-connections N] [--write-timeout SECS]
//!     [--max-storage-bytes N]
//! ```
//!
//! Prints the base URL (`http://127.0.0.1:PORT`) on the first line of standard output. Use it as
//! both the API and the upload base URL, with the private key (default `private_emulator`) as
//! the Basic auth user name. Admin endpoints for fault injection live under `/__emulator/`; they
//! need `Authorization: Bearer TOKEN` when an admin token is given (with `--admin-token`, or in
//! `IMAGEKIT_EMULATOR_ADMIN_TOKEN` so that it stays out of the process list).

use std::io::Write as _;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use imagekit_emulator::{Emulator, ServeOptions};

const USAGE: &str = "usage: imagekit-emulator [--port N] [--private-key KEY] [--url-endpoint URL] \
[--host ADDR] [--allow-remote] [--admin-token TOKEN] [--header-timeout SECS] [--body-timeout SECS] \
[--max-body-bytes N] [--max-in-flight-bytes N] [--max-connections N] [--write-timeout SECS] \
[--max-storage-bytes N]
  --port 0 or none: a free port; --host: 127.0.0.1 unless set, a non-loopback one needs --allow-remote;
  the admin token may come from IMAGEKIT_EMULATOR_ADMIN_TOKEN instead";

/// The value of `name`, parsed, or the exit code of a usage error.
fn parse<T: FromStr>(name: &str, value: &str) -> Result<T, ExitCode> {
    value.parse().map_err(|_| {
        eprintln!("invalid {name} {value:?}\n{USAGE}");
        ExitCode::from(2)
    })
}

fn main() -> ExitCode {
    match run() {
        Ok(code) | Err(code) => code,
    }
}

fn run() -> Result<ExitCode, ExitCode> {
    let mut port: u16 = 0;
    let mut host = "127.0.0.1".to_owned();
    let mut private_key = "private_emulator".to_owned();
    let mut url_endpoint = None;
    let mut storage_limit = None;
    let mut options = ServeOptions::new();
    if let Ok(token) = std::env::var("IMAGEKIT_EMULATOR_ADMIN_TOKEN") {
        options = options.admin_token(token);
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        match name.as_str() {
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            "--allow-remote" => {
                options = options.allow_remote(true);
                continue;
            }
            _ => {}
        }
        let Some(value) = inline.or_else(|| args.next()) else {
            eprintln!("{name} needs a value\n{USAGE}");
            return Err(ExitCode::from(2));
        };
        let seconds = |value: &str| parse::<f64>(&name, value).map(Duration::try_from_secs_f64);
        match name.as_str() {
            "--port" => port = parse(&name, &value)?,
            "--host" => host = value,
            "--private-key" => private_key = value,
            "--url-endpoint" => url_endpoint = Some(value),
            "--admin-token" => options = options.admin_token(value),
            "--header-timeout" | "--body-timeout" | "--write-timeout" => {
                let Ok(timeout) = seconds(&value)? else {
                    eprintln!("invalid {name} {value:?}\n{USAGE}");
                    return Err(ExitCode::from(2));
                };
                options = match name.as_str() {
                    "--header-timeout" => options.header_read_timeout(timeout),
                    "--body-timeout" => options.body_read_timeout(timeout),
                    _ => options.write_timeout(timeout),
                };
            }
            "--max-body-bytes" => options = options.max_body_bytes(parse(&name, &value)?),
            "--max-in-flight-bytes" => options = options.max_in_flight_bytes(parse(&name, &value)?),
            "--max-connections" => options = options.max_connections(parse(&name, &value)?),
            "--max-storage-bytes" => storage_limit = Some(parse(&name, &value)?),
            _ => {
                eprintln!("unknown argument {name:?}\n{USAGE}");
                return Err(ExitCode::from(2));
            }
        }
    }
    let mut emulator = Emulator::new(private_key);
    if let Some(url) = url_endpoint {
        emulator = emulator.with_url_endpoint(url);
    }
    if let Some(limit) = storage_limit {
        emulator = emulator.with_storage_limit(limit);
    }
    match emulator.serve_with((host.as_str(), port), options) {
        Ok(server) => {
            println!("{}", server.base_url());
            let _ = std::io::stdout().flush();
            server.wait();
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("cannot listen on {host}:{port}: {}", error.report());
            Ok(ExitCode::FAILURE)
        }
    }
}
