//! The client every API command uses: the environment as the library reads it, the base URL
//! flags on top, the private key from `IMAGEKIT_PRIVATE_KEY` only.

use imagekit_core::config::ENV_PRIVATE_KEY;
use imagekit_core::{Client, ClientBuilder};
use imagekit_hyper::HyperTransport;

use crate::args::Global;
use crate::failure::Failure;

/// The private key from the environment, or the usage error saying how to give it. The key is
/// never taken from the command line, where it would stay in the shell's history and show in
/// the process list.
pub(crate) fn private_key() -> Result<String, Failure> {
    match std::env::var(ENV_PRIVATE_KEY) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_owned()),
        _ => Err(Failure::usage(format!(
            "{ENV_PRIVATE_KEY} is not set: export your private API key (from the ImageKit dashboard, \
             Developer options) as {ENV_PRIVATE_KEY}"
        ))),
    }
}

/// A client over imagekit-hyper with the library's retry policy and the Tokio timer, from
/// `ClientBuilder::from_env` (IMAGEKIT_BASE_URL, IMAGEKIT_UPLOAD_BASE_URL, IMAGE_KIT_CUSTOM_HEADERS,
/// ...) with `--base-url` and `--upload-base-url` on top.
pub(crate) fn client(global: &Global) -> Result<Client, Failure> {
    private_key()?;
    let mut builder = ClientBuilder::from_env()
        .user_agent(concat!("imagekit-cli/", env!("CARGO_PKG_VERSION")))
        .transport(HyperTransport::new().map_err(imagekit_core::Error::from)?)
        .sleeper(tokio::time::sleep);
    if let Some(url) = &global.base_url {
        builder = builder.base_url(url);
    }
    if let Some(url) = &global.upload_base_url {
        builder = builder.upload_base_url(url);
    }
    Ok(builder.build()?)
}
