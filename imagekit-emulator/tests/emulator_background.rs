//! The helpers for background and chunked work against the emulator, which really runs the
//! folder jobs, purges and bulk operations: waiting until a job or purge completes, and bulk
//! operations over more files than one request takes.

mod common;

use std::time::Duration;

use common::KEY;
use imagekit_core::models::JobStatus;
use imagekit_core::resources::assets::ListAssets;
use imagekit_core::resources::background::Polling;
use imagekit_core::resources::folders::CopyFolder;
use imagekit_core::{Client, RetryPolicy};
use imagekit_emulator::Emulator;
use imagekit_mock::InstantSleep;

fn client(emulator: &Emulator, sleep: &InstantSleep) -> Client {
    Client::builder()
        .private_key(KEY)
        .transport(emulator.clone())
        .sleeper(sleep.clone())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Requests under `prefix`: status checks are the GETs, bulk changes the POSTs.
fn requests(emulator: &Emulator, method: http::Method, prefix: &str) -> usize {
    emulator.requests().iter().filter(|r| r.method == method && r.path.starts_with(prefix)).count()
}

#[tokio::test]
async fn a_folder_job_and_its_purge_are_waited_for_until_they_complete() {
    let emulator = Emulator::new(KEY).with_pending_polls(3);
    let sleep = InstantSleep::new();
    let client = client(&emulator, &sleep);
    emulator.seed_file("/src/a.txt", &b"a"[..]).unwrap();
    let job = client.folders().copy(CopyFolder::new("/src", "/dst")).await.unwrap();

    let done = client.folders().job().wait(&job.job_id, Polling::default()).await.unwrap();
    assert_eq!(done.status, Some(JobStatus::Completed));
    assert_eq!(
        requests(&emulator, http::Method::GET, "/v1/bulkJobs/"),
        4,
        "three pending answers, then completed"
    );
    assert_eq!(sleep.waits().len(), 3, "a wait before each poll after a pending answer");

    let purge =
        client.cache().invalidation().create("https://ik.imagekit.io/emulator/dst/a.txt").await.unwrap();
    let request_id = purge.request_id.unwrap();
    let done = client.cache().invalidation().wait(&request_id, Polling::default()).await.unwrap();
    assert_eq!(done.status, Some(JobStatus::Completed));
    assert_eq!(requests(&emulator, http::Method::GET, "/v1/files/purge/"), 4);
}

#[tokio::test]
async fn waiting_longer_than_the_deadline_is_a_timeout_that_says_the_work_is_pending() {
    let emulator = Emulator::new(KEY).with_pending_polls(1_000);
    let sleep = InstantSleep::new();
    let client = client(&emulator, &sleep);
    emulator.seed_file("/src/a.txt", &b"a"[..]).unwrap();
    let job = client.folders().copy(CopyFolder::new("/src", "/dst")).await.unwrap();
    let error =
        client.folders().job().wait(&job.job_id, Polling::within(Duration::from_secs(5))).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(error.to_string().contains("still pending"), "{error}");
    assert!(sleep.waits().iter().sum::<Duration>() <= Duration::from_secs(5));
}

#[tokio::test]
async fn bulk_operations_over_250_files_split_into_requests_the_api_takes() {
    let emulator = Emulator::new(KEY);
    let sleep = InstantSleep::new();
    let client = client(&emulator, &sleep);
    let ids: Vec<String> =
        (0..250).map(|i| emulator.seed_file(&format!("/many/f{i:03}.txt"), &b"x"[..]).unwrap()).collect();
    emulator.clear_requests();

    // The emulator refuses more than 50 files per tag request and 100 per delete, as ImageKit.
    let tagged = client.files().bulk().add_tags_all(ids.clone(), ["sale"]).await.unwrap();
    assert_eq!(tagged.file_ids, ids);
    assert!(tagged.is_complete());
    assert_eq!(requests(&emulator, http::Method::POST, "/v1/files/addTags"), 5);
    let listed = client.assets().list(ListAssets::new().search_query("tags IN [\"sale\"]")).await.unwrap();
    assert_eq!(listed.len(), 250);

    let untagged = client.files().bulk().remove_tags_all(ids.clone(), ["sale"]).await.unwrap();
    assert!(untagged.is_complete());

    // Two files are gone before the delete: they are reported, and the rest deleted.
    client.files().delete(&ids[7]).await.unwrap();
    client.files().delete(&ids[180]).await.unwrap();
    let deleted = client.files().bulk().delete_all(ids.clone()).await.unwrap();
    assert_eq!(deleted.file_ids.len(), 248);
    let missing: Vec<&str> = deleted.errors.iter().filter_map(|e| e.file_id.as_deref()).collect();
    assert_eq!(missing, [ids[7].as_str(), ids[180].as_str()]);
    assert!(client.assets().list(ListAssets::new()).await.unwrap().is_empty(), "everything else is deleted");
}
