//! The README's tour gives the same output in process and over HTTP through imagekit-hyper.

// The tour is the `file_versions` example's own, compiled here as a module so the two stay one.
// Its `main` and its online half are not used here.
#[allow(dead_code)]
#[path = "../examples/file_versions.rs"]
mod file_versions;

use file_versions::{TOUR_KEY, tour};
use imagekit_core::Client;
use imagekit_mock::emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tour_is_the_same_in_process_and_over_http() {
    let in_process =
        Client::builder().private_key(TOUR_KEY).transport(Emulator::new(TOUR_KEY)).build().unwrap();
    let local = tour(&in_process).await.unwrap();

    let emulator = Emulator::new(TOUR_KEY);
    let server = emulator.serve_on_free_port().unwrap();
    let over_http =
        imagekit_hyper::builder().unwrap().private_key(TOUR_KEY).base_url(server.base_url()).build().unwrap();
    let remote = tour(&over_http).await.unwrap();
    assert_eq!(local, remote);

    let lines: Vec<&str> = local.lines().collect();
    assert!(lines[0].ends_with("Version 1") && lines[1].ends_with("Version 2"), "{local}");
    assert!(lines.iter().any(|l| l.starts_with("5. restore it") && l.contains("Version 3")), "{local}");
    let last_two = &lines[lines.len() - 2..];
    assert!(
        last_two[0].contains("Version 1")
            && last_two[1].contains("Version 3")
            && last_two[1].ends_with("<- current")
    );
    assert_eq!(emulator.file_count(), 1);
}
