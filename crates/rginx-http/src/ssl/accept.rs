//! The TLS side of a worker: which ports speak TLS, the certificate a
//! ClientHello gets (SNI picks the server as `server_name` does; no match
//! means the address's default server), and what `$ssl_*` variables report
//! about a finished handshake.
//!
//! As in nginx, a TLS port also answers plain HTTP: the first byte tells
//! (0x16 or a set high bit is a handshake), and a plain request gets
//! nginx's 400 "The plain HTTP request was sent to HTTPS port".

use super::ServerTls;
use crate::Config;
use crate::http_core::listen::ListenAddr;
use crate::serve::handler::ConnInfo;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{ServerConnection, SignatureScheme, SupportedCipherSuite};
use std::collections::HashMap;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The protocols offered by ALPN: nginx's list, `h2` first where the
/// listen has `http2`.
const ALPN_HTTP1: &[&[u8]] = &[b"http/1.1", b"http/1.0", b"http/0.9"];

/// What a finished handshake tells the request (`$ssl_*`, `$https`).
#[derive(Clone, Debug)]
pub struct TlsInfo {
    /// `TLSv1.2`, `TLSv1.3`.
    pub protocol: &'static str,
    /// OpenSSL's name of the cipher.
    pub cipher: &'static str,
    /// The SNI name the client sent.
    pub server_name: Option<String>,
    pub alpn: Option<Vec<u8>>,
    /// The session was resumed (`$ssl_session_reused` is `r`).
    pub resumed: bool,
    /// The client's certificate and chain, when it sent one.
    pub peer_certs: Option<Arc<Vec<rustls::pki_types::CertificateDer<'static>>>>,
    /// The verdict on them, reached when a request first needs it.
    pub verdict: Arc<std::sync::OnceLock<super::verify::Verdict>>,
}

impl TlsInfo {
    pub fn of(connection: &ServerConnection) -> TlsInfo {
        let protocol = match connection.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3",
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2",
            _ => "",
        };
        TlsInfo {
            protocol,
            cipher: connection
                .negotiated_cipher_suite()
                .map_or("", super::ciphers::openssl_name),
            server_name: connection.server_name().map(str::to_string),
            alpn: connection.alpn_protocol().map(<[u8]>::to_vec),
            resumed: connection.handshake_kind() == Some(rustls::HandshakeKind::Resumed),
            peer_certs: connection
                .peer_certificates()
                .filter(|chain| !chain.is_empty())
                .map(|chain| Arc::new(chain.to_vec())),
            verdict: Arc::default(),
        }
    }
}

/// How a port talks.
pub enum PortProtocol {
    Http1,
    /// `listen ... http2` without `ssl`: HTTP/2 with prior knowledge.
    H2c,
    Tls(Arc<PortTls>),
}

/// The handshake of one TLS address.
pub struct PortTls {
    pub acceptor: tokio_rustls::TlsAcceptor,
    /// The listen has `http2`: ALPN `h2` is served with HTTP/2.
    pub http2: bool,
}

/// Every TLS address of a worker, by listening address. Built once per
/// worker (each worker has its own session-id cache, as each nginx worker
/// has its own `builtin` cache).
#[derive(Default)]
pub struct TlsPorts {
    ports: HashMap<ListenAddr, Arc<PortTls>>,
}

impl TlsPorts {
    pub fn build(config: &Arc<Config>) -> TlsPorts {
        let mut ports = HashMap::new();
        let Some(http) = &config.http else {
            return TlsPorts { ports };
        };
        for (index, address) in http.addresses.iter().enumerate() {
            let Some(default) = http.servers.get(address.entry.default_server) else {
                continue;
            };
            // `ssl on` in the default server makes the whole port TLS.
            if !address.entry.options.ssl && !default.ssl.enabled {
                continue;
            }
            let Some(tls) = default.ssl.tls.clone() else {
                continue;
            };
            let mut server_config = match port_verifier(http, &address.entry.servers, &tls) {
                Some(config) => config,
                None => (*tls.config).clone(),
            };
            server_config.cert_resolver = Arc::new(SniResolver {
                config: config.clone(),
                address: index,
                suites: server_config.crypto_provider().cipher_suites.clone(),
            });
            server_config.session_storage = if tls.session_cache_sessions > 0 {
                Arc::new(super::session::SessionCache::new(
                    tls.session_cache_sessions,
                    tls.session_timeout,
                ))
            } else {
                Arc::new(rustls::server::NoServerSessionStorage {})
            };
            let http2 = address.entry.options.http2;
            let mut alpn: Vec<Vec<u8>> = Vec::new();
            if http2 {
                alpn.push(b"h2".to_vec());
            }
            alpn.extend(ALPN_HTTP1.iter().map(|p| p.to_vec()));
            server_config.alpn_protocols = alpn;
            ports.insert(
                address.entry.addr.clone(),
                Arc::new(PortTls {
                    acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(server_config)),
                    http2,
                }),
            );
        }
        TlsPorts { ports }
    }

    /// What a new connection speaks, from the address it belongs to (a
    /// wildcard socket may serve a more specific address's connections).
    pub fn protocol(&self, config: &Config, conn: &ConnInfo) -> PortProtocol {
        let Some(address) = config
            .http
            .as_ref()
            .and_then(|http| crate::http_core::request::find_address(http, conn))
        else {
            return PortProtocol::Http1;
        };
        if let Some(port) = self.ports.get(&address.entry.addr) {
            return PortProtocol::Tls(port.clone());
        }
        if address.entry.options.http2 {
            return PortProtocol::H2c;
        }
        PortProtocol::Http1
    }

    pub fn is_empty(&self) -> bool {
        self.ports.is_empty()
    }
}

/// A port whose default server does not ask for client certificates but
/// another of its servers does: the port's configuration must ask (the
/// certificate is requested before SNI has chosen the server in rustls).
/// Servers with `ssl_verify_client off` ignore what is sent.
fn port_verifier(
    http: &crate::http_core::HttpConf,
    servers: &[usize],
    tls: &ServerTls,
) -> Option<rustls::ServerConfig> {
    if tls.client_verify.is_some() {
        return None;
    }
    let verifying: Vec<&super::verify::ClientVerify> = servers
        .iter()
        .filter_map(|index| http.servers.get(*index))
        .filter_map(|server| server.ssl.tls.as_deref()?.client_verify.as_ref())
        .collect();
    if verifying.is_empty() {
        return None;
    }
    let hints = verifying
        .iter()
        .flat_map(|verify| verify.hints.iter().cloned())
        .collect();
    let mut config = rustls::ServerConfig::builder_with_provider(tls.provider.clone())
        .with_protocol_versions(&tls.versions)
        .ok()?
        .with_client_cert_verifier(Arc::new(super::verify::PortVerifier {
            hints,
            provider: tls.provider.clone(),
        }))
        .with_cert_resolver(tls.config.cert_resolver.clone());
    let base = &tls.config;
    config.ignore_client_order = base.ignore_client_order;
    config.ticketer = base.ticketer.clone();
    config.max_fragment_size = base.max_fragment_size;
    config.send_tls13_tickets = base.send_tls13_tickets;
    Some(config)
}

/// A server's own certificates (the resolver of the configuration built at
/// `-t`, before addresses are known).
#[derive(Debug)]
pub struct OwnCerts(pub Vec<Arc<CertifiedKey>>);

impl ResolvesServerCert for OwnCerts {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        choose(&self.0, &hello, &[])
    }
}

/// Picks the certificate by SNI among the servers of one address.
struct SniResolver {
    config: Arc<Config>,
    address: usize,
    suites: Vec<SupportedCipherSuite>,
}

impl std::fmt::Debug for SniResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SniResolver")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl ResolvesServerCert for SniResolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let http = self.config.http.as_ref()?;
        let address = http.addresses.get(self.address)?;
        let default = address.entry.default_server;
        let named = hello
            .server_name()
            .and_then(|name| crate::http_core::uri::validate_host(name.as_bytes()))
            .and_then(|host| address.names.find(&host))
            .unwrap_or(default);
        let server = http.servers.get(named)?;
        // nginx: the named server's `ssl_reject_handshake` refuses; a
        // server without certificates of its own keeps the default's.
        let tls: &ServerTls = match server.ssl.tls.as_deref() {
            Some(tls) if tls.reject_handshake && tls.certs.is_empty() => return None,
            Some(tls) if tls.reject_handshake => return None,
            Some(tls) if !tls.certs.is_empty() => tls,
            _ => {
                let default_tls = http.servers.get(default)?.ssl.tls.as_deref()?;
                if default_tls.reject_handshake || default_tls.no_protocols {
                    return None;
                }
                default_tls
            }
        };
        choose(&tls.certs, &hello, &self.suites)
    }
}

/// Among a server's certificates (RSA, ECDSA), the first the client can
/// use: in the order of the client's signature schemes, and (for TLS 1.2)
/// with a cipher suite both sides have for that key type.
fn choose(
    certs: &[Arc<CertifiedKey>],
    hello: &ClientHello<'_>,
    suites: &[SupportedCipherSuite],
) -> Option<Arc<CertifiedKey>> {
    let offered = hello.cipher_suites();
    let tls13 = offered.iter().any(|suite| {
        matches!(
            suite,
            rustls::CipherSuite::TLS13_AES_128_GCM_SHA256
                | rustls::CipherSuite::TLS13_AES_256_GCM_SHA384
                | rustls::CipherSuite::TLS13_CHACHA20_POLY1305_SHA256
        )
    });
    let usable = |cert: &CertifiedKey| {
        if tls13 || suites.is_empty() {
            return true;
        }
        suites.iter().any(|suite| match suite {
            SupportedCipherSuite::Tls12(s) => {
                offered.contains(&s.common.suite) && cert.key.choose_scheme(s.sign).is_some()
            }
            SupportedCipherSuite::Tls13(_) => false,
        })
    };
    for scheme in hello.signature_schemes() {
        if let Some(cert) = certs
            .iter()
            .find(|cert| supports(cert, *scheme) && usable(cert))
        {
            return Some(cert.clone());
        }
    }
    certs
        .iter()
        .find(|cert| usable(cert))
        .or(certs.first())
        .cloned()
}

fn supports(cert: &CertifiedKey, scheme: SignatureScheme) -> bool {
    cert.key.choose_scheme(&[scheme]).is_some()
}

/// Whether the first byte of a connection starts a TLS handshake (nginx:
/// 0x16 is a TLS record, a set high bit an SSLv2-style hello).
pub fn is_handshake(first: u8) -> bool {
    first == 0x16 || first & 0x80 != 0
}

/// How much of a TLS port's connection is read to see how it starts: what
/// rustls asks the socket for in one read, so the handshake takes from the
/// socket what it took when it read it itself.
pub const FIRST_READ: usize = 4096;

/// A TLS port's socket with the bytes read to see how the connection starts
/// (nginx peeks at them instead; reading them saves a `recv` per
/// connection): they come first, to the handshake or the plain HTTP codec.
pub struct Prefixed<S> {
    prefix: bytes::Bytes,
    inner: S,
}

impl<S> Prefixed<S> {
    pub fn new(inner: S, prefix: bytes::Bytes) -> Prefixed<S> {
        Prefixed { prefix, inner }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.prefix.is_empty() {
            let n = self.prefix.len().min(buf.remaining());
            buf.put_slice(&self.prefix[..n]);
            if n == self.prefix.len() {
                // Not a split: an emptied `Bytes` would keep the buffer.
                self.prefix = bytes::Bytes::new();
            } else {
                bytes::Buf::advance(&mut self.prefix, n);
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl<S: AsRawFd> AsRawFd for Prefixed<S> {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}
