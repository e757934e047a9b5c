//! TLS test helpers: certificates made by the test (rcgen), and a blocking
//! rustls client that reports what the server presented and negotiated.

#![allow(dead_code)]

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A self-signed certificate and its key, as PEM.
pub struct TestCert {
    pub cert_pem: String,
    pub key_pem: String,
    pub der: Vec<u8>,
}

/// A certificate for `names`: ECDSA P-256, or RSA 2048 when `rsa`.
pub fn make_cert(names: &[&str], rsa: bool) -> TestCert {
    let key = if rsa {
        rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap()
    } else {
        rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap()
    };
    let params =
        rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .unwrap();
    let cert = params.self_signed(&key).unwrap();
    TestCert {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        der: cert.der().to_vec(),
    }
}

/// Accepts any certificate and remembers the one presented; offers only
/// `schemes` (all of rustls's when empty), which steers the server's choice
/// between RSA and ECDSA certificates.
#[derive(Debug)]
pub struct Recorder {
    pub seen: Mutex<Option<Vec<u8>>>,
    schemes: Vec<SignatureScheme>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl Recorder {
    pub fn new(schemes: Vec<SignatureScheme>) -> Arc<Recorder> {
        Arc::new(Recorder {
            seen: Mutex::new(None),
            schemes,
            provider: Arc::new(rustls::crypto::aws_lc_rs::default_provider()),
        })
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        *self.seen.lock().unwrap() = Some(end_entity.to_vec());
        Ok(ServerCertVerified::assertion())
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
        if self.schemes.is_empty() {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        } else {
            self.schemes.clone()
        }
    }
}

/// A client configuration: the given protocol versions (both when empty),
/// ALPN protocols, and a recorder for the server's certificate.
pub fn client_config(
    versions: &[&'static rustls::SupportedProtocolVersion],
    alpn: &[&[u8]],
    recorder: Arc<Recorder>,
) -> Arc<ClientConfig> {
    client_config_with(versions, alpn, recorder, None)
}

/// As [`client_config`], offering only `suites` when given (in that order).
pub fn client_config_with(
    versions: &[&'static rustls::SupportedProtocolVersion],
    alpn: &[&[u8]],
    recorder: Arc<Recorder>,
    suites: Option<Vec<rustls::SupportedCipherSuite>>,
) -> Arc<ClientConfig> {
    let versions = if versions.is_empty() {
        vec![&rustls::version::TLS13, &rustls::version::TLS12]
    } else {
        versions.to_vec()
    };
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    if let Some(suites) = suites {
        provider.cipher_suites = suites;
    }
    let mut config = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&versions)
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(recorder)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}

/// What one TLS exchange showed.
pub struct Exchange {
    pub response: String,
    pub protocol: Option<rustls::ProtocolVersion>,
    pub resumed: bool,
    pub alpn: Option<Vec<u8>>,
}

/// Connects with SNI `name` (none when empty), sends `request`, reads to
/// the end. `Err` when the handshake fails.
pub fn tls_exchange(
    port: u16,
    name: &str,
    config: Arc<ClientConfig>,
    request: &[u8],
) -> Result<Exchange, String> {
    let server_name = if name.is_empty() {
        ServerName::IpAddress(std::net::Ipv4Addr::LOCALHOST.into())
    } else {
        ServerName::try_from(name.to_string()).unwrap()
    };
    let mut connection = ClientConnection::new(config, server_name).unwrap();
    let socket = connect(port);
    let mut socket = socket;
    while connection.is_handshaking() {
        connection
            .complete_io(&mut socket)
            .map_err(|err| err.to_string())?;
    }
    let protocol = connection.protocol_version();
    let alpn = connection.alpn_protocol().map(<[u8]>::to_vec);
    let resumed = connection.handshake_kind() == Some(rustls::HandshakeKind::Resumed);
    let mut stream = StreamOwned::new(connection, socket);
    stream.write_all(request).map_err(|err| err.to_string())?;
    stream.flush().map_err(|err| err.to_string())?;
    let mut response = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    Ok(Exchange {
        response: String::from_utf8_lossy(&response).into_owned(),
        protocol,
        resumed,
        alpn,
    })
}

/// A `GET /` that closes the connection, with the given Host.
pub fn get(host: &str) -> Vec<u8> {
    format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").into_bytes()
}

pub fn connect(port: u16) -> TcpStream {
    for _ in 0..300 {
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            return stream;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("nothing listens on 127.0.0.1:{port}");
}

/// The body of an HTTP/1 response.
pub fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

/// A certificate authority made by the test, to issue certificates with.
pub struct TestCa {
    pub cert_pem: String,
    params: rcgen::CertificateParams,
    key: rcgen::KeyPair,
}

/// A certificate issued by a [`TestCa`] (or self-signed), with its key in
/// PEM (for configuration files) and DER (for rustls).
pub struct IssuedCert {
    pub cert_pem: String,
    pub key_pem: String,
    pub der: Vec<u8>,
    pub key_der: Vec<u8>,
}

/// A CA (ECDSA P-256) whose subject is `CN=<cn>`.
pub fn make_ca(cn: &str) -> TestCa {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    let cert = params.self_signed(&key).unwrap();
    TestCa {
        cert_pem: cert.pem(),
        params,
        key,
    }
}

impl TestCa {
    /// A leaf certificate for `names` with subject `O=<org>, CN=<cn>`.
    pub fn issue(&self, names: &[&str], cn: &str, org: &str) -> IssuedCert {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let params = leaf_params(names, cn, org);
        let issuer = rcgen::Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).unwrap();
        IssuedCert {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            der: cert.der().to_vec(),
            key_der: key.serialize_der(),
        }
    }
}

fn leaf_params(names: &[&str], cn: &str, org: &str) -> rcgen::CertificateParams {
    let mut params =
        rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .unwrap();
    // rcgen's default subject is replaced: O first, then CN, in DER order.
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, org);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, cn);
    params
}

/// A self-signed leaf certificate for `names`, subject `O=<org>, CN=<cn>`.
pub fn self_signed(names: &[&str], cn: &str, org: &str) -> IssuedCert {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let cert = leaf_params(names, cn, org).self_signed(&key).unwrap();
    IssuedCert {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        der: cert.der().to_vec(),
        key_der: key.serialize_der(),
    }
}

/// As [`client_config`] (any server certificate, both TLS versions),
/// presenting `cert` when the server asks for a client certificate.
pub fn client_config_with_cert(cert: &IssuedCert) -> Arc<ClientConfig> {
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(rustls::pki_types::PrivatePkcs8KeyDer::from(
        cert.key_der.clone(),
    ));
    let config = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Recorder::new(Vec::new()))
        .with_client_auth_cert(vec![CertificateDer::from(cert.der.clone())], key)
        .unwrap();
    Arc::new(config)
}
