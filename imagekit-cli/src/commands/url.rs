//! `imagekit url SRC`: a delivery URL from the library's URL builder, signed if asked.

use imagekit_core::url::{SrcOptions, Transformation, TransformationPosition, UrlBuilder};

use crate::args::Url;
use crate::failure::Failure;
use crate::output;

/// The environment variable of the URL endpoint. The library takes the endpoint as an option
/// of each URL and reads no variable for it, so the tool names one, after the others.
pub(crate) const ENV_URL_ENDPOINT: &str = "IMAGEKIT_URL_ENDPOINT";

/// Builds the URL as the official SDKs' `buildSrc` does. `--tr` steps are raw transformation
/// strings, chained in order; signing needs `IMAGEKIT_PRIVATE_KEY`, an unsigned URL does not.
pub(crate) fn run(args: &Url, json: bool) -> Result<(), Failure> {
    let endpoint = args
        .url_endpoint
        .clone()
        .or_else(|| std::env::var(ENV_URL_ENDPOINT).ok().filter(|v| !v.trim().is_empty()))
        .ok_or_else(|| {
            Failure::usage(format!(
                "no URL endpoint: give --url-endpoint or set {ENV_URL_ENDPOINT} (e.g. https://ik.imagekit.io/your_id)"
            ))
        })?;
    let mut options = SrcOptions::new(endpoint.trim(), args.src.as_str()).signed(args.sign);
    for step in &args.transformations {
        if step.trim().is_empty() {
            return Err(Failure::usage("--tr needs a transformation, e.g. --tr 'w-300,h-200'"));
        }
        options = options.transformation(Transformation::new().raw(step.as_str()));
    }
    if args.tr_in_path {
        options = options.transformation_position(TransformationPosition::Path);
    }
    if let Some(seconds) = args.expires {
        if seconds == 0 {
            return Err(Failure::usage("--expires must be at least 1 second"));
        }
        options = options.expires_in(seconds);
    }
    let key = if args.sign { crate::connect::private_key()? } else { String::new() };
    let url = UrlBuilder::new(key)
        .build_src(&options)
        .map_err(|error| Failure::usage(format!("cannot build the URL: {error}")))?;
    if url.is_empty() {
        return Err(Failure::usage(format!("{:?} is not a URL or a path", args.src)));
    }
    if json { output::json(&serde_json::json!({ "url": url })) } else { output::line(url) }
}
