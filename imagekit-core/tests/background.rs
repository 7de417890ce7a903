//! Helpers for background and chunked work: waiting for folder jobs and purges, and bulk
//! operations over more files than one request takes.

use std::time::Duration;

use http::Method;
use imagekit_core::resources::background::Polling;
use imagekit_core::{Client, RetryPolicy};
use imagekit_mock::{InstantSleep, ScriptedTransport, fixtures};
use serde_json::json;

fn client(transport: &ScriptedTransport, sleep: &InstantSleep) -> Client {
    Client::builder()
        .private_key("k")
        .transport(transport.clone())
        .sleeper(sleep.clone())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("file{i:03}")).collect()
}

#[tokio::test]
async fn a_bulk_delete_of_250_files_is_three_requests_merged() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let all = ids(250);
    for chunk in all.chunks(100) {
        transport.push_json(200, json!({"successfullyDeletedFileIds": chunk}));
    }
    let result = client(&transport, &sleep).files().bulk().delete_all(all.clone()).await.unwrap();
    assert_eq!(result.file_ids, all);
    assert!(result.is_complete());
    let sizes: Vec<usize> = transport
        .requests()
        .iter()
        .map(|r| r.json::<serde_json::Value>().unwrap()["fileIds"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    // One request at most 100: the plain operation still refuses more, and says where to go.
    let error = client(&transport, &sleep).files().bulk().delete(all).await.unwrap_err();
    assert!(error.to_string().contains("100"), "{error}");
}

#[tokio::test]
async fn missing_files_are_listed_and_the_rest_of_their_chunk_sent_again() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let all = ids(120);
    // The first chunk names two missing files: nothing in it was deleted, so it goes again.
    transport.push_json(
        404,
        json!({"message": "The requested file(s) does not exist.", "missingFileIds": ["file003", "file050"]}),
    );
    transport.push_json(200, json!({"successfullyDeletedFileIds": all[..100].iter().filter(|i| *i != "file003" && *i != "file050").collect::<Vec<_>>()}));
    // The second chunk fails for another reason: its files are listed with it.
    transport.push_json(500, json!({"message": "boom"}));
    let result = client(&transport, &sleep).files().bulk().delete_all(all).await.unwrap();
    assert_eq!(result.file_ids.len(), 98);
    assert!(result.partial);
    let failed: Vec<&str> = result.errors.iter().filter_map(|e| e.file_id.as_deref()).collect();
    assert_eq!(failed.len(), 2 + 20);
    assert!(failed.contains(&"file003") && failed.contains(&"file119"));
    let boom = result.errors.iter().find(|e| e.file_id.as_deref() == Some("file119")).unwrap();
    assert!(boom.error.as_deref().unwrap().contains("boom"));
    assert_eq!(transport.request_count(), 3);
    let resent: serde_json::Value = transport.requests()[1].json().unwrap();
    assert_eq!(resent["fileIds"].as_array().unwrap().len(), 98);
}

#[tokio::test]
async fn wrong_credentials_end_a_chunked_operation_at_once() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    transport.push_response(fixtures::unauthorized());
    let error = client(&transport, &sleep).files().bulk().add_tags_all(ids(120), ["sale"]).await.unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(transport.request_count(), 1);
}

#[tokio::test]
async fn tag_changes_go_50_files_a_request() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let all = ids(120);
    for chunk in all.chunks(50) {
        transport
            .expect(Method::POST, "/v1/files/removeAITags")
            .respond_json(200, json!({"successfullyUpdatedFileIds": chunk}));
    }
    let result =
        client(&transport, &sleep).files().bulk().remove_ai_tags_all(all.clone(), ["Shoe"]).await.unwrap();
    assert_eq!(result.file_ids, all);
    assert_eq!(transport.request_count(), 3);
    transport.assert_all_consumed();
}

#[tokio::test]
async fn waiting_polls_a_folder_job_with_growing_waits_until_it_completes() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    let pending = json!({"jobId": "j1", "type": "COPY_FOLDER", "status": "Pending"});
    transport
        .push_json(200, pending.clone())
        .push_json(200, pending)
        .push_json(200, json!({"jobId": "j1", "status": "Completed"}));
    let job = client(&transport, &sleep).folders().job().wait("j1", Polling::default()).await.unwrap();
    assert_eq!(job.status, Some(imagekit_core::models::JobStatus::Completed));
    assert_eq!(sleep.waits(), [Duration::from_millis(500), Duration::from_millis(750)]);
}

#[tokio::test]
async fn waiting_gives_up_at_its_deadline_with_a_timeout() {
    let (transport, sleep) = (ScriptedTransport::new(), InstantSleep::new());
    for _ in 0..10 {
        transport.push_json(200, json!({"status": "Pending"}));
    }
    let polling = Polling::within(Duration::from_secs(2));
    let error = client(&transport, &sleep).cache().invalidation().wait("p1", polling).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(error.to_string().contains("still pending"), "{error}");
    let waited: Duration = sleep.waits().iter().sum();
    assert!(waited <= Duration::from_secs(2), "{waited:?}");
}
