//! Client certificates (`ssl_verify_client`, `ssl_client_certificate`,
//! `ssl_trusted_certificate`, `ssl_verify_depth`) and what nginx says about
//! a certificate that does not verify.
//!
//! nginx's verify callback accepts every certificate during the handshake
//! and only records OpenSSL's verdict; the request then decides (nginx's
//! `ngx_http_process_request`): 400 "The SSL certificate error" for a bad
//! certificate, 400 "No required SSL certificate was sent" with
//! `ssl_verify_client on` and none, and `$ssl_client_verify` tells the
//! rest. rginx does the same: the port asks for a certificate, accepts any
//! (the handshake signature is still checked, so the client holds the key),
//! and the chain is verified when a request first needs the verdict, with
//! the settings of the request's server.

use super::{Verify, certs};
use crate::http_core::request::Ctx;
use rginx_conf::ConfError;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// A server's client-certificate settings, built once.
pub struct ClientVerify {
    pub mode: Verify,
    /// `ssl_verify_depth` (nginx's default 1).
    pub depth: u64,
    /// Verifies against `ssl_client_certificate` and
    /// `ssl_trusted_certificate`; `None` when they hold no certificate.
    pub webpki: Option<Arc<dyn ClientCertVerifier>>,
    /// The subjects of `ssl_client_certificate`, sent as the acceptable
    /// CA names (nginx sends these, not those of the trusted file).
    pub hints: Vec<DistinguishedName>,
}

impl std::fmt::Debug for ClientVerify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientVerify")
            .field("mode", &self.mode)
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}

impl ClientVerify {
    /// Loads the CA files (`client` is required unless `optional_no_ca`;
    /// the caller has checked that).
    pub fn build(
        mode: Verify,
        depth: u64,
        client: Option<&Path>,
        trusted: Option<&Path>,
    ) -> Result<ClientVerify, ConfError> {
        let mut roots = rustls::RootCertStore::empty();
        let mut hints = rustls::RootCertStore::empty();
        if let Some(path) = client {
            for cert in certs::load_ca_file(path)? {
                let _ = hints.add(cert.clone());
                let _ = roots.add(cert);
            }
        }
        if let Some(path) = trusted {
            for cert in certs::load_ca_file(path)? {
                let _ = roots.add(cert);
            }
        }
        let webpki = if roots.is_empty() {
            None
        } else {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            Some(
                rustls::server::WebPkiClientVerifier::builder_with_provider(
                    Arc::new(roots),
                    provider,
                )
                .build()
                .map_err(|err| ConfError::bare(format!("cannot set up TLS: {err}")))?,
            )
        };
        Ok(ClientVerify {
            mode,
            depth,
            webpki,
            hints: hints.subjects(),
        })
    }

    /// OpenSSL's verdict on a client's chain.
    pub fn verdict(&self, chain: &[CertificateDer<'static>]) -> Verdict {
        let Some((end_entity, intermediates)) = chain.split_first() else {
            return Verdict::None;
        };
        if intermediates.len() as u64 > self.depth {
            return Verdict::Failed {
                code: 22,
                text: "certificate chain too long",
            };
        }
        let Some(webpki) = &self.webpki else {
            let (code, text) = openssl_error(
                &rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
                end_entity,
                intermediates,
            );
            return Verdict::Failed { code, text };
        };
        match webpki.verify_client_cert(end_entity, intermediates, UnixTime::now()) {
            Ok(_) => Verdict::Success,
            Err(err) => {
                let (code, text) = openssl_error(&err, end_entity, intermediates);
                Verdict::Failed { code, text }
            }
        }
    }
}

/// `$ssl_client_verify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    None,
    Success,
    /// OpenSSL's `X509_V_ERR_*` code and its text.
    Failed {
        code: u32,
        text: &'static str,
    },
}

impl Verdict {
    pub fn text(self) -> Cow<'static, [u8]> {
        match self {
            Verdict::None => Cow::Borrowed(b"NONE"),
            Verdict::Success => Cow::Borrowed(b"SUCCESS"),
            Verdict::Failed { text, .. } => Cow::Owned(format!("FAILED:{text}").into_bytes()),
        }
    }
}

/// OpenSSL's verify error (code and OpenSSL 3's text) for what rustls's
/// webpki refused; "unknown issuer" becomes what OpenSSL would say about
/// that chain (a self-signed certificate, or a missing issuer).
pub fn openssl_error(
    err: &rustls::Error,
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
) -> (u32, &'static str) {
    use rustls::CertificateError as E;
    let self_signed = |cert: &CertificateDer<'_>| {
        super::der::issuer_and_subject(cert).is_some_and(|(issuer, subject)| issuer == subject)
    };
    let rustls::Error::InvalidCertificate(err) = err else {
        return (7, "certificate signature failure");
    };
    match err {
        E::Expired | E::ExpiredContext { .. } => (10, "certificate has expired"),
        E::NotValidYet | E::NotValidYetContext { .. } => (9, "certificate is not yet valid"),
        E::Revoked => (23, "certificate revoked"),
        E::BadSignature => (7, "certificate signature failure"),
        E::InvalidPurpose | E::InvalidPurposeContext { .. } => {
            (26, "unsupported certificate purpose")
        }
        E::UnknownIssuer => {
            if intermediates.is_empty() && self_signed(end_entity) {
                (18, "self-signed certificate")
            } else if intermediates.last().is_some_and(self_signed) {
                (19, "self-signed certificate in certificate chain")
            } else if intermediates.is_empty() {
                (21, "unable to verify the first certificate")
            } else {
                (20, "unable to get local issuer certificate")
            }
        }
        E::NotValidForName | E::NotValidForNameContext { .. } => (62, "hostname mismatch"),
        E::UnknownRevocationStatus => (3, "unable to get certificate CRL"),
        E::ExpiredRevocationList | E::ExpiredRevocationListContext { .. } => {
            (12, "CRL has expired")
        }
        _ => (7, "certificate signature failure"),
    }
}

/// nginx's `ngx_ssl_verify_error_optional`: the errors
/// `ssl_verify_client optional_no_ca` lets through.
fn optional_error(code: u32) -> bool {
    matches!(code, 18 | 19 | 2 | 20 | 27 | 21)
}

/// The port's verifier: asks for a certificate, takes any (the verdict is
/// reached per request), checks the handshake signature.
#[derive(Debug)]
pub struct PortVerifier {
    pub hints: Vec<DistinguishedName>,
    pub provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ClientCertVerifier for PortVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        // nginx completes the handshake and refuses the request instead.
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
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
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
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

/// The client-certificate settings of the request's server, if it asks
/// for certificates.
fn settings<'c>(ctx: &'c Ctx<'_>) -> Option<&'c ClientVerify> {
    ctx.server
        .ssl
        .tls
        .as_deref()?
        .client_verify
        .as_ref()
        .filter(|verify| verify.mode != Verify::Off)
}

/// The verdict on the connection's client certificate, reached once per
/// connection (with the first request's server).
pub fn verdict(ctx: &Ctx<'_>) -> Option<Verdict> {
    let tls = ctx.conn.tls.as_ref()?;
    let Some(settings) = settings(ctx) else {
        // nginx does not ask for a certificate then.
        return Some(Verdict::None);
    };
    let Some(chain) = tls.peer_certs.as_deref() else {
        return Some(Verdict::None);
    };
    Some(*tls.verdict.get_or_init(|| settings.verdict(chain)))
}

/// `$ssl_client_verify`.
pub fn client_verify(ctx: &Ctx<'_>) -> Option<Cow<'static, [u8]>> {
    verdict(ctx).map(Verdict::text)
}

/// `$ssl_client_s_dn` (`subject`) or `$ssl_client_i_dn`, in RFC 2253 form
/// as nginx 1.22 prints them; empty without a certificate.
pub fn client_dn(ctx: &Ctx<'_>, subject: bool) -> Option<Cow<'static, [u8]>> {
    let tls = ctx.conn.tls.as_ref()?;
    if settings(ctx).is_none() {
        return Some(Cow::Borrowed(b""));
    }
    let Some(cert) = tls.peer_certs.as_deref().and_then(|chain| chain.first()) else {
        return Some(Cow::Borrowed(b""));
    };
    let (issuer, own) = super::der::issuer_and_subject(cert)?;
    let name = if subject { own } else { issuer };
    Some(Cow::Owned(
        super::der::rfc2253(name).unwrap_or_default().into_bytes(),
    ))
}

/// nginx's check before the request's phases: the status (495 or 496, sent
/// as 400) and the `[info]` line, when the client certificate refuses it.
pub fn check_request(ctx: &Ctx<'_>) -> Option<(u16, String)> {
    let settings = settings(ctx)?;
    let tls = ctx.conn.tls.as_ref()?;
    match verdict(ctx)? {
        Verdict::Failed { code, text }
            if settings.mode != Verify::OptionalNoCa || !optional_error(code) =>
        {
            Some((
                495,
                format!("client SSL certificate verify error: ({code}:{text})"),
            ))
        }
        _ if settings.mode == Verify::On && tls.peer_certs.is_none() => {
            Some((496, "client sent no required SSL certificate".into()))
        }
        _ => None,
    }
}
