//! Runs the in-memory ImageKit emulator on 127.0.0.1 until killed.
//!
//! ```text
//! cargo run -p imagekit-mock --bin imagekit-emulator -- [--port N] [--private-key KEY] [--url-endpoint URL]
//! ```
//!
//! Prints the base URL (`http://127.0.0.1:PORT`) on the first line of standard output. Use it as
//! both the API and the upload base URL, with the private key (default `private_emulator`) as
//! the Basic auth user name. Admin endpoints for fault injection live under `/__emulator/`.

use std::io::Write as _;
use std::process::ExitCode;

use imagekit_mock::emulator::Emulator;

const USAGE: &str = "usage: imagekit-emulator [--port N] [--private-key KEY] [--url-endpoint URL]  (port 0 or none: a free port)";

fn main() -> ExitCode {
    let mut port: u16 = 0;
    let mut private_key = "private_emulator".to_owned();
    let mut url_endpoint = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        if name == "--help" || name == "-h" {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        let Some(value) = inline.or_else(|| args.next()) else {
            eprintln!("{name} needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        match name.as_str() {
            "--port" => match value.parse() {
                Ok(p) => port = p,
                Err(_) => {
                    eprintln!("invalid port {value:?}\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--private-key" => private_key = value,
            "--url-endpoint" => url_endpoint = Some(value),
            _ => {
                eprintln!("unknown argument {name:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let mut emulator = Emulator::new(private_key);
    if let Some(url) = url_endpoint {
        emulator = emulator.with_url_endpoint(url);
    }
    match emulator.serve(("127.0.0.1", port)) {
        Ok(server) => {
            println!("{}", server.base_url());
            let _ = std::io::stdout().flush();
            server.wait();
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot listen on 127.0.0.1:{port}: {}", error.report());
            ExitCode::FAILURE
        }
    }
}
