//! Calls own a clone of their client: their futures are `'static + Send`, so they can be
//! spawned on a runtime or gathered in a `JoinSet`. This file compiling is half the test.

use std::future::IntoFuture;

use imagekit_core::{Client, UploadSource};
use imagekit_mock::emulator::Emulator;
use tokio::task::JoinSet;

fn client(emulator: &Emulator) -> Client {
    Client::builder().private_key(emulator.private_key()).transport(emulator.clone()).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_can_be_spawned_and_joined() {
    let emulator = Emulator::new("private_spawn");
    let file_id = emulator.seed_file("/spawn/a.txt", &b"one"[..]).unwrap();
    emulator.seed_file("/spawn/a.txt", &b"two"[..]).unwrap();
    let client = client(&emulator);

    // The call outlives the borrow of `client` it was made from.
    let file = tokio::spawn(client.files().get(&file_id).send()).await.unwrap().unwrap();
    assert_eq!(file.id(), Some(file_id.as_str()));
    let awaited = tokio::spawn(client.files().get(&file_id).into_future()).await.unwrap().unwrap();
    assert_eq!(awaited.version_name(), Some("Version 2"));

    let mut set = JoinSet::new();
    for _ in 0..8 {
        set.spawn(client.files().versions().list(&file_id).send());
    }
    set.spawn(async { Ok(Vec::new()) });
    let mut lists = 0;
    while let Some(joined) = set.join_next().await {
        let versions = joined.unwrap().unwrap();
        assert!(versions.is_empty() || versions.len() == 2);
        lists += 1;
    }
    assert_eq!(lists, 9);

    // Uploads too, and a client dropped before its call runs.
    let upload = client.files().upload(UploadSource::bytes("three"), "b.txt").folder("/spawn").send();
    drop(client);
    let outcome = tokio::spawn(upload).await.unwrap().unwrap();
    assert!(outcome.uploaded().is_some());
}
