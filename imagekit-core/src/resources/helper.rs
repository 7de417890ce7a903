//! `helper()`: what the official SDKs' `client.helper` does with the private key, without a
//! request: signed delivery URLs and credentials for client-side uploads.

use std::time::Duration;

use crate::caller::Caller;
use crate::error::Error;
use crate::resources::handle::resource;
use crate::upload::UploadFile;
use crate::upload::auth::{self, AuthenticationParameters};
use crate::url::{SrcOptions, UrlBuilder, UrlError};

resource! {
    /// Helpers that sign with the configured private key, from `helper()` on a client or a
    /// [`crate::Config`], as the SDKs' `client.helper`. Nothing here sends a request.
    Helper
}

impl<C: Caller> Helper<C> {
    /// A URL builder that signs with the private key and takes "now" from the configured clock.
    pub fn url_builder(&self) -> UrlBuilder {
        let config = self.caller.config();
        let builder = UrlBuilder::new(config.settings().private_key.as_str());
        match config.clock().now_unix() {
            Some(now) => builder.now_unix(now),
            None => builder,
        }
    }

    /// Builds a delivery URL, signed when `options` asks, as the SDKs' `helper.buildSrc`.
    ///
    /// ```
    /// # fn run(client: imagekit_core::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let options: imagekit_core::url::SrcOptions = serde_json::from_value(serde_json::json!({
    ///     "src": "/default-image.jpg",
    ///     "urlEndpoint": "https://ik.imagekit.io/demo",
    ///     "transformation": [{"width": 300, "height": 200}],
    ///     "signed": true,
    /// }))?;
    /// let url = client.helper().build_src(&options)?;
    /// assert!(url.contains("tr=w-300,h-200") && url.contains("ik-s="));
    /// # Ok(()) }
    /// ```
    pub fn build_src(&self, options: &SrcOptions) -> Result<String, UrlError> {
        self.url_builder().build_src(options)
    }

    /// v1 client-side upload credentials, as the SDKs' `getAuthenticationParameters`: hand them
    /// and your public key to a browser or app that uploads straight to ImageKit.
    ///
    /// `token` defaults to a random UUIDv4 and `expire` to now + 30 minutes on the configured
    /// clock (`None`, `""` and `0` mean "default"). An `expire` in the past or an hour or more
    /// ahead is refused. See [`auth::authentication_parameters`].
    ///
    /// ```
    /// # fn run(client: imagekit_core::Client) -> Result<(), imagekit_core::Error> {
    /// let params = client.helper().authentication_parameters(None, None)?;
    /// println!("{}", serde_json::to_string(&params).unwrap()); // {"token":..,"expire":..,"signature":..}
    /// # Ok(()) }
    /// ```
    pub fn authentication_parameters(
        &self,
        token: Option<&str>,
        expire: Option<u64>,
    ) -> Result<AuthenticationParameters, Error> {
        let config = self.caller.config();
        auth::authentication_parameters_with(
            &config.settings().private_key,
            token,
            expire,
            config.clock().now_unix(),
            config.random().map(|r| &**r),
        )
    }

    /// The JWT a client-side v2 upload of `params` sends as its `token`, signed now on the
    /// configured clock and valid for `expires_in` (less than an hour). See
    /// [`auth::upload_v2_token`].
    pub fn upload_v2_token(
        &self,
        public_key: &str,
        params: &UploadFile,
        expires_in: Duration,
    ) -> Result<String, Error> {
        let config = self.caller.config();
        let now = config.clock().now_unix().ok_or_else(|| {
            Error::invalid_input("iat", "no clock on this target: configure one with the builder's clock(..)")
        })?;
        let exp = now.saturating_add(expires_in.as_secs());
        auth::upload_v2_token(&config.settings().private_key, public_key, params, now, exp)
    }
}
