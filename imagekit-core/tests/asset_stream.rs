//! The auto-paginating asset stream: lazy, stops on a short page, errors after what it yielded.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use futures_util::StreamExt;
use imagekit_core::models::Asset;
use imagekit_core::resources::assets::ListAssets;
use imagekit_core::{Client, Error};
use imagekit_mock::{ScriptedTransport, fixtures};

/// One attempt per call: the stream's own error handling is what is tested.
fn client(transport: &ScriptedTransport) -> Client {
    Client::builder()
        .private_key("k")
        .transport(transport.clone())
        .retry_policy(imagekit_core::RetryPolicy::none())
        .build()
        .unwrap()
}

/// Scripts the pages a catalogue of `total` files gives for pages of `limit` from `skip`, up to
/// and including the first short page.
fn script_catalog(transport: &ScriptedTransport, total: usize, skip: usize, limit: usize) {
    let mut at = skip;
    loop {
        let page = fixtures::asset_page(total, at, limit);
        let len = page.as_array().unwrap().len();
        transport.push_response(fixtures::ok(page));
        if len < limit {
            break;
        }
        at += len;
    }
}

fn name(asset: &Asset) -> String {
    asset.as_file().and_then(|f| f.name.clone()).unwrap_or_default()
}

fn queries(transport: &ScriptedTransport) -> Vec<String> {
    transport.requests().iter().map(|r| r.query().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn pages_are_fetched_only_when_needed() {
    let transport = ScriptedTransport::new();
    script_catalog(&transport, 25, 0, 10);
    let c = client(&transport);
    let mut stream = c.assets().list_all(ListAssets::new().search_query("format = \"jpg\"").limit(10));
    assert_eq!(transport.request_count(), 0, "nothing is sent before the stream is polled");

    for _ in 0..3 {
        stream.next().await.unwrap().unwrap();
    }
    assert_eq!(transport.request_count(), 1);
    for _ in 3..10 {
        stream.next().await.unwrap().unwrap();
    }
    assert_eq!(transport.request_count(), 1, "the tenth item comes from the first page");
    let eleventh = stream.next().await.unwrap().unwrap();
    assert_eq!(name(&eleventh), "product-010.jpg");
    assert_eq!(transport.request_count(), 2);

    let rest: Vec<Asset> = stream.map(Result::unwrap).collect().await;
    assert_eq!(rest.len(), 14);
    assert_eq!(name(rest.last().unwrap()), "product-024.jpg");
    assert_eq!(
        queries(&transport),
        [
            "searchQuery=format%20%3D%20%22jpg%22&limit=10&skip=0",
            "searchQuery=format%20%3D%20%22jpg%22&limit=10&skip=10",
            "searchQuery=format%20%3D%20%22jpg%22&limit=10&skip=20",
        ]
    );
    transport.assert_all_consumed();
}

#[tokio::test]
async fn a_full_last_page_costs_one_empty_page_and_skip_is_the_start() {
    let transport = ScriptedTransport::new();
    script_catalog(&transport, 25, 5, 10);
    let c = client(&transport);
    let all: Vec<Result<Asset, Error>> =
        c.assets().list_all(ListAssets::new().skip(5).limit(10)).collect().await;
    assert_eq!(all.len(), 20);
    assert_eq!(name(all[0].as_ref().unwrap()), "product-005.jpg");
    assert_eq!(queries(&transport), ["limit=10&skip=5", "limit=10&skip=15", "limit=10&skip=25"]);
}

#[tokio::test]
async fn the_default_page_is_the_api_maximum() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(fixtures::asset_page(3, 0, 1000)));
    let c = client(&transport);
    let all: Vec<_> = c.assets().list_all(ListAssets::new()).collect().await;
    assert_eq!(all.len(), 3);
    assert_eq!(queries(&transport), ["limit=1000&skip=0"]);
}

#[tokio::test]
async fn an_error_comes_after_the_items_already_fetched_and_ends_the_stream() {
    let transport = ScriptedTransport::new();
    transport.push_response(fixtures::ok(fixtures::asset_page(100, 0, 4)));
    transport.push_response(fixtures::rate_limited());
    let c = client(&transport);
    let mut stream = c.assets().list_all(ListAssets::new().limit(4));
    let mut names = Vec::new();
    let error = loop {
        match stream.next().await.expect("the stream yields the error before ending") {
            Ok(asset) => names.push(name(&asset)),
            Err(error) => break error,
        }
    };
    assert_eq!(names, ["product-000.jpg", "product-001.jpg", "product-002.jpg", "product-003.jpg"]);
    assert!(error.as_api().unwrap().is_rate_limited());
    assert!(stream.next().await.is_none(), "nothing after the error");
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn an_invalid_limit_is_an_error_before_anything_is_sent() {
    let transport = ScriptedTransport::new();
    let c = client(&transport);
    let all: Vec<_> = c.assets().list_all(ListAssets::new().limit(0)).collect().await;
    assert_eq!(all.len(), 1);
    assert!(matches!(&all[0], Err(Error::InvalidInput(e)) if e.parameter() == "limit"));
    assert_eq!(transport.request_count(), 0);
}

#[test]
fn the_stream_needs_no_runtime() {
    let transport = ScriptedTransport::new();
    script_catalog(&transport, 3, 0, 2);
    let c = client(&transport);
    let mut stream = pin!(c.assets().list_all(ListAssets::new().limit(2)));
    let mut cx = Context::from_waker(Waker::noop());
    let mut count = 0;
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(item)) => {
                item.unwrap();
                count += 1;
            }
            Poll::Ready(None) => break,
            Poll::Pending => continue,
        }
    }
    assert_eq!(count, 3);
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn a_server_that_ignores_skip_ends_the_stream_with_an_error_instead_of_looping() {
    let transport = ScriptedTransport::new();
    for _ in 0..3 {
        transport.push_response(fixtures::ok(fixtures::asset_page(100, 0, 5)));
    }
    let c = client(&transport);
    let items: Vec<Result<Asset, Error>> = c.assets().list_all(ListAssets::new().limit(5)).collect().await;
    assert_eq!(items.len(), 6, "the first page, then one error");
    assert!(items[..5].iter().all(Result::is_ok));
    assert!(matches!(&items[5], Err(Error::InvalidInput(e)) if e.parameter() == "skip"), "{:?}", items[5]);
    assert_eq!(transport.request_count(), 2);
}
