//! The client side of TLS, for `proxy_pass https://...`: the `proxy_ssl_*`
//! settings of a location turned into a rustls client configuration once,
//! when the configuration is merged (nginx's `ngx_http_proxy_set_ssl`), and
//! the words nginx logs when a handshake to an upstream fails.
//!
//! As in nginx, `proxy_ssl_verify off` (the default) accepts any
//! certificate; the handshake signatures are still checked, so the upstream
//! proves it holds the key of the certificate it sent. With `on`, the chain
//! is verified against `proxy_ssl_trusted_certificate` and the name against
//! `proxy_ssl_name` (default: the `proxy_pass` host), and a failure is
//! reported as OpenSSL's verify error would be.

use super::certs;
use super::verify::openssl_error;
use rginx_conf::{Arg, ConfError};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WebPkiServerVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// nginx 1.22's default `proxy_ssl_protocols TLSv1 TLSv1.1 TLSv1.2`: TLS 1.3
/// to upstreams only when asked for, as in nginx.
pub const DEFAULT_PROTOCOLS: u32 = super::TLSV1 | super::TLSV1_1 | super::TLSV1_2;

/// nginx's default `proxy_ssl_ciphers`.
pub const DEFAULT_CIPHERS: &str = "DEFAULT";

/// The merged `proxy_ssl_*` settings the client configuration is made of
/// (files already resolved against the configuration's directory).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub protocols: u32,
    pub ciphers: Arg,
    pub verify: bool,
    pub verify_depth: u64,
    pub trusted_certificate: Option<PathBuf>,
    pub certificate: Option<(Arg, PathBuf)>,
    pub certificate_key: Option<PathBuf>,
    pub passwords: Option<Arc<Vec<Vec<u8>>>>,
    pub session_reuse: bool,
    pub server_name: bool,
}

/// A location's TLS to its upstreams, ready for handshakes.
pub struct UpstreamTls {
    pub connector: tokio_rustls::TlsConnector,
    /// Distinguishes the keep-alive connections made with this
    /// configuration from plain ones and from other locations' (a cached
    /// connection must not be reused with other TLS settings).
    pub id: u64,
    /// `proxy_ssl_server_name`: SNI is sent.
    pub server_name: bool,
    /// `proxy_ssl_protocols` named no version rustls speaks: every
    /// handshake fails, as nginx's would.
    pub no_protocols: bool,
}

impl std::fmt::Debug for UpstreamTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamTls")
            .field("id", &self.id)
            .field("server_name", &self.server_name)
            .finish_non_exhaustive()
    }
}

/// Why a handshake with an upstream failed, in nginx's words (without the
/// `while SSL handshaking to upstream` nginx appends).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The chain does not verify: OpenSSL's code and text.
    #[error("upstream SSL certificate verify error: ({code}:{text})")]
    Chain { code: u32, text: &'static str },
    /// The certificate is not for `proxy_ssl_name`.
    #[error("upstream SSL certificate does not match \"{0}\"")]
    Name(String),
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// nginx's `ngx_http_proxy_set_ssl`, in its order: client certificate,
/// ciphers, trusted certificates (with `proxy_ssl_verify`), session cache.
pub fn build(settings: &Settings) -> Result<UpstreamTls, ConfError> {
    let certified = match (&settings.certificate, &settings.certificate_key) {
        (Some((arg, _)), None) => {
            return Err(ConfError::bare(format!(
                "no \"proxy_ssl_certificate_key\" is defined for certificate \"{arg}\""
            )));
        }
        (Some((_, cert)), Some(key)) => Some(Arc::new(certs::load_pair(
            cert,
            key,
            settings.passwords.as_deref().map(Vec::as_slice),
        )?)),
        (None, _) => None,
    };
    let suites = super::ciphers::select(&settings.ciphers)?;
    let provider = Arc::new(rustls::crypto::CryptoProvider {
        cipher_suites: suites,
        ..rustls::crypto::aws_lc_rs::default_provider()
    });
    let verifier = if settings.verify {
        let Some(trusted) = &settings.trusted_certificate else {
            return Err(ConfError::bare(
                "no proxy_ssl_trusted_certificate for proxy_ssl_verify",
            ));
        };
        let mut roots = rustls::RootCertStore::empty();
        for cert in certs::load_ca_file(trusted)? {
            // OpenSSL skips what it cannot use as an anchor; so does this.
            let _ = roots.add(cert);
        }
        let webpki = if roots.is_empty() {
            None
        } else {
            Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|err| ConfError::bare(format!("cannot set up TLS: {err}")))?,
            )
        };
        Verifier {
            webpki,
            verify: true,
            depth: settings.verify_depth,
            provider: provider.clone(),
        }
    } else {
        Verifier {
            webpki: None,
            verify: false,
            depth: settings.verify_depth,
            provider: provider.clone(),
        }
    };
    let mut versions: Vec<&'static rustls::SupportedProtocolVersion> = Vec::new();
    if settings.protocols & super::TLSV1_2 != 0 {
        versions.push(&rustls::version::TLS12);
    }
    if settings.protocols & super::TLSV1_3 != 0 {
        versions.push(&rustls::version::TLS13);
    }
    let no_protocols = versions.is_empty();
    if no_protocols {
        versions.push(&rustls::version::TLS13);
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|err| ConfError::bare(format!("cannot set up TLS: {err}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    let mut config = match certified {
        Some(key) => builder.with_client_cert_resolver(Arc::new(OneCert(key))),
        None => builder.with_no_client_auth(),
    };
    config.enable_sni = settings.server_name;
    config.resumption = if settings.session_reuse {
        rustls::client::Resumption::in_memory_sessions(256)
    } else {
        rustls::client::Resumption::disabled()
    };
    Ok(UpstreamTls {
        connector: tokio_rustls::TlsConnector::from(Arc::new(config)),
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        server_name: settings.server_name,
        no_protocols,
    })
}

/// `proxy_ssl_certificate`: the one certificate offered to upstreams that
/// ask for one.
#[derive(Debug)]
struct OneCert(Arc<CertifiedKey>);

impl ResolvesClientCert for OneCert {
    fn resolve(&self, _: &[&[u8]], _: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// `proxy_ssl_verify`: off accepts any certificate; on verifies the chain
/// (within `proxy_ssl_verify_depth`) and the name.
#[derive(Debug)]
struct Verifier {
    /// `None` with `verify`: the trusted file held no certificate, so
    /// nothing verifies (OpenSSL's "unable to get local issuer").
    webpki: Option<Arc<WebPkiServerVerifier>>,
    verify: bool,
    depth: u64,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

fn verify_failure(error: VerifyError) -> rustls::Error {
    rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
        Arc::new(error),
    )))
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !self.verify {
            return Ok(ServerCertVerified::assertion());
        }
        // OpenSSL's depth counts the intermediates below the anchor.
        if intermediates.len() as u64 > self.depth {
            return Err(verify_failure(VerifyError::Chain {
                code: 22,
                text: "certificate chain too long",
            }));
        }
        let Some(webpki) = &self.webpki else {
            let (code, text) = openssl_error(
                &rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
                end_entity,
                intermediates,
            );
            return Err(verify_failure(VerifyError::Chain { code, text }));
        };
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Ok(verified) => Ok(verified),
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. },
            )) => Err(verify_failure(VerifyError::Name(
                server_name.to_str().into_owned(),
            ))),
            Err(err) => {
                let (code, text) = openssl_error(&err, end_entity, intermediates);
                Err(verify_failure(VerifyError::Chain { code, text }))
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What nginx logs for a failed handshake with an upstream (without
/// `while SSL handshaking to upstream`).
pub fn handshake_error(err: &std::io::Error) -> String {
    let tls = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    if let Some(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other))) = tls
        && let Some(verify) = other.0.downcast_ref::<VerifyError>()
    {
        return verify.to_string();
    }
    match tls {
        Some(tls) => format!("SSL_do_handshake() failed (SSL: {tls})"),
        None => format!(
            "SSL_do_handshake() failed {}",
            rginx_conf::error::os_error_suffix(err)
        ),
    }
}

/// The name for SNI and verification (nginx's `ngx_http_upstream_ssl_name`:
/// a `:port` is cut off), as rustls wants it; `None` when there is none
/// usable.
pub fn server_name(name: &[u8]) -> Option<ServerName<'static>> {
    let name = match name.iter().position(|&b| b == b':') {
        // An IPv6 literal keeps its colons (nginx skips SNI for `[`).
        Some(_) if name.first() == Some(&b'[') => name
            .strip_prefix(b"[")
            .and_then(|rest| rest.split(|&b| b == b']').next())
            .unwrap_or(name),
        Some(colon) => &name[..colon],
        None => name,
    };
    let text = std::str::from_utf8(name).ok()?;
    ServerName::try_from(text.to_string()).ok()
}
