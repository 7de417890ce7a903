//! The rustls configuration (crypto provider, trusted roots) and what a refused certificate says.

use std::sync::Arc;

use imagekit_core::transport::{TransportError, TransportErrorKind};
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, ClientConfig, RootCertStore};

/// The crypto provider, chosen explicitly so rustls never falls back to a process default.
pub(crate) fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "rustls-aws-lc-rs")]
    return Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    // Chosen only when asked for: ring has no post-quantum key exchange, which is why rustls
    // deprecates its provider; the deprecation is the reason `rustls-aws-lc-rs` is the default.
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
    #[allow(deprecated)]
    return Arc::new(rustls::crypto::ring::default_provider());
}

/// A configuration trusting the roots of the enabled feature and `added` ones.
pub(crate) fn client_config(added: &[CertificateDer<'static>]) -> Result<ClientConfig, TransportError> {
    let mut roots = RootCertStore::empty();
    let defaults_missing = add_default_roots(&mut roots);
    for (index, certificate) in added.iter().enumerate() {
        roots.add(certificate.clone()).map_err(|error| {
            TransportError::with_message(
                TransportErrorKind::Other,
                format!("root certificate #{index} given to add_root_certificate is not usable: {error}"),
            )
        })?;
    }
    // Without any default roots, the added ones alone are enough: a private deployment may
    // trust nothing else.
    if roots.is_empty() {
        return Err(TransportError::with_message(
            TransportErrorKind::Other,
            defaults_missing.unwrap_or_default(),
        ));
    }
    let config = ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

/// Adds the roots of the enabled feature (`native-roots` wins over `webpki-roots`); when there
/// are none, says why.
fn add_default_roots(roots: &mut RootCertStore) -> Option<String> {
    #[cfg(feature = "native-roots")]
    {
        // Reads SSL_CERT_FILE and SSL_CERT_DIR instead of the system's store when either is set.
        let found = rustls_native_certs::load_native_certs();
        let (added, _unparsable) = roots.add_parsable_certificates(found.certs);
        if added > 0 {
            return None;
        }
        let errors: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
        Some(format!(
            "no usable root certificate in the operating system's store (or SSL_CERT_FILE / SSL_CERT_DIR){}",
            if errors.is_empty() { String::new() } else { format!(": {}", errors.join("; ")) }
        ))
    }
    #[cfg(all(feature = "webpki-roots", not(feature = "native-roots")))]
    {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        None
    }
    #[cfg(not(any(feature = "webpki-roots", feature = "native-roots")))]
    {
        let _ = roots;
        Some(
            "no trusted roots: enable the `webpki-roots` or `native-roots` feature, add one with \
             add_root_certificate, or pass tls_config"
                .to_owned(),
        )
    }
}

/// The error of a TLS failure: what a reader should know first, with rustls's error as the source.
pub(crate) fn refused(error: &rustls::Error) -> TransportError {
    let plain = match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::UnknownIssuer => Some(
                "the certificate is not signed by a trusted authority (UnknownIssuer); a private CA \
                 can be trusted with HyperTransportBuilder::add_root_certificate",
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Some("the certificate is for another host name (NotValidForName)")
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                Some("the certificate has expired (Expired)")
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                Some("the certificate is not valid yet (NotValidYet)")
            }
            CertificateError::Revoked => Some("the certificate was revoked (Revoked)"),
            _ => None,
        },
        _ => None,
    };
    let message = match plain {
        Some(plain) => plain.to_owned(),
        None => error.to_string(),
    };
    TransportError::new(TransportErrorKind::Tls, error.clone()).described(message)
}
