//! nginx's ssl module on rustls: the `ssl_*` directives with nginx's
//! validation and messages, the per-server TLS material built once at
//! configuration time (certificates and keys loaded, cipher strings
//! evaluated, ticket keys made), the `listen ... ssl` checks, and (in
//! [`accept`]) the handshake a worker runs on a TLS port.
//!
//! As in nginx, the protocol versions, ciphers, session cache and ticket
//! keys of a TLS port come from the default server of its address; the
//! certificate comes from the server that the client's SNI names.

pub mod accept;
pub mod certs;
pub mod ciphers;
pub mod client;
pub mod der;
pub mod http2;
pub mod session;
pub mod verify;

use crate::compile::{Compiler, Target};
use crate::http_core::Server;
use crate::http_core::listen::AddressTable;
use crate::registry::Spec;
use crate::values;
use rginx_conf::{Arg, ConfError, Directive, Loc};
use rustls::sign::CertifiedKey;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// `ssl_protocols` bits, nginx's `NGX_SSL_*`.
pub const SSLV2: u32 = 0x0002;
pub const SSLV3: u32 = 0x0004;
pub const TLSV1: u32 = 0x0008;
pub const TLSV1_1: u32 = 0x0010;
pub const TLSV1_2: u32 = 0x0020;
pub const TLSV1_3: u32 = 0x0040;

const PROTOCOL_NAMES: &[(&str, u32)] = &[
    ("SSLv2", SSLV2),
    ("SSLv3", SSLV3),
    ("TLSv1", TLSV1),
    ("TLSv1.1", TLSV1_1),
    ("TLSv1.2", TLSV1_2),
    ("TLSv1.3", TLSV1_3),
];

/// nginx 1.22's default `ssl_protocols TLSv1 TLSv1.1 TLSv1.2`: TLS 1.3
/// only when asked for (OpenSSL 3 refuses TLS 1.0/1.1 at its default
/// security level, so what nginx 1.22 on Debian really speaks is TLS 1.2).
const DEFAULT_PROTOCOLS: u32 = TLSV1 | TLSV1_1 | TLSV1_2;

/// nginx's `NGX_DEFAULT_CIPHERS`.
pub const DEFAULT_CIPHERS: &str = "HIGH:!aNULL:!MD5";

/// `ssl_verify_client`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verify {
    Off,
    On,
    Optional,
    OptionalNoCa,
}

/// `ssl_session_cache`'s built-in part, nginx's `builtin_session_cache`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinCache {
    /// `off`: no session cache at all.
    Off,
    /// `none` (the default): sessions are not cached, tickets still work.
    None,
    /// Only a `shared:` zone was named.
    NoBuiltin,
    /// `builtin[:N]` (`None`: OpenSSL's 20480 sessions).
    Builtin(Option<u64>),
}

/// A `shared:NAME:SIZE` session cache zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheZone {
    pub name: Vec<u8>,
    pub size: u64,
}

/// The ssl module's server-level configuration (also set at `http` level
/// and inherited by each server).
#[derive(Clone, Debug, Default)]
pub struct SrvConf {
    enable: Option<bool>,
    /// Where `ssl on|off` was given (nginx's `file`, `line`).
    enable_loc: Option<Loc>,
    certificates: Option<Vec<Arg>>,
    certificate_keys: Option<Vec<Arg>>,
    passwords: Option<Arc<Vec<Vec<u8>>>>,
    dhparam: Option<Arg>,
    ecdh_curve: Option<Arg>,
    protocols: Option<u32>,
    ciphers: Option<Arg>,
    buffer_size: Option<u64>,
    verify: Option<Verify>,
    verify_depth: Option<u64>,
    client_certificate: Option<Arg>,
    trusted_certificate: Option<Arg>,
    crl: Option<Arg>,
    prefer_server_ciphers: Option<bool>,
    builtin_session_cache: Option<BuiltinCache>,
    shm_zone: Option<CacheZone>,
    session_tickets: Option<bool>,
    session_ticket_keys: Option<Vec<Arg>>,
    session_timeout: Option<Duration>,
    stapling: Option<bool>,
    stapling_file: Option<Arg>,
    stapling_responder: Option<Arg>,
    stapling_verify: Option<bool>,
    early_data: Option<bool>,
    reject_handshake: Option<bool>,
    /// The http2 module's server-level settings.
    pub h2: http2::SrvConf,
    /// What the merge built: the server's TLS material, when it has any
    /// (nginx's `sscf->ssl.ctx`).
    pub tls: Option<Arc<ServerTls>>,
    /// `ssl on` in force after the merge.
    pub enabled: bool,
}

/// The http block's part: its server-level defaults and the session
/// cache zones declared so far (a name used twice must keep its size).
#[derive(Clone, Debug, Default)]
pub struct HttpSsl {
    pub srv: SrvConf,
    zones: Vec<CacheZone>,
    /// The end of the http block: where nginx reports errors found while
    /// merging (its parser is there by then).
    pub end: Option<Loc>,
}

/// One server's TLS material, ready for handshakes.
pub struct ServerTls {
    /// The certificate/key pairs (several: RSA and ECDSA side by side).
    pub certs: Vec<Arc<CertifiedKey>>,
    pub reject_handshake: bool,
    /// Protocol versions, cipher suites and session settings of this
    /// server; a TLS port uses those of its default server.
    pub config: Arc<rustls::ServerConfig>,
    /// Sessions the session-id cache holds (0: no cache).
    pub session_cache_sessions: usize,
    pub session_timeout: Duration,
    /// `ssl_buffer_size`.
    pub buffer_size: usize,
    /// `ssl_protocols` had no version rustls speaks.
    pub no_protocols: bool,
    /// `ssl_verify_client` and its certificates, when not `off`.
    pub client_verify: Option<verify::ClientVerify>,
    /// What `config` was made from, for a port that must ask for client
    /// certificates for another server's sake (rustls fixes the client
    /// verifier when a configuration is built).
    pub provider: Arc<rustls::crypto::CryptoProvider>,
    pub versions: Vec<&'static rustls::SupportedProtocolVersion>,
}

impl std::fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTls")
            .field("certs", &self.certs.len())
            .field("reject_handshake", &self.reject_handshake)
            .finish_non_exhaustive()
    }
}

fn srv_conf<'a>(target: &'a mut Target<'_>) -> Result<&'a mut SrvConf, ConfError> {
    match target {
        Target::Http(http) => Ok(&mut http.ssl.srv),
        Target::Server(_, server) => Ok(&mut server.ssl),
        _ => Err(ConfError::bare(
            "internal error: ssl directive out of place",
        )),
    }
}

fn str_slot(slot: &mut Option<Arg>, d: &Directive) -> Result<(), ConfError> {
    values::set_once(slot, d, d.args[0].clone())
}

fn set_ssl(compiler: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = srv_conf(t)?;
    values::flag_slot(&mut conf.enable, d)?;
    conf.enable_loc = Some(d.loc.clone());
    compiler.warn(ConfError::at(
        &d.loc,
        "the \"ssl\" directive is deprecated, use the \"listen ... ssl\" directive instead",
    ));
    Ok(())
}

fn push_arg(slot: &mut Option<Vec<Arg>>, d: &Directive) {
    slot.get_or_insert_with(Vec::new).push(d.args[0].clone());
}

fn set_certificate(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    push_arg(&mut srv_conf(t)?.certificates, d);
    Ok(())
}

fn set_certificate_key(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    push_arg(&mut srv_conf(t)?.certificate_keys, d);
    Ok(())
}

fn set_password_file(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let conf = srv_conf(t)?;
    if conf.passwords.is_some() {
        return Err(values::duplicate(d));
    }
    let path = conf_path(compiler, &d.args[0]);
    conf.passwords = Some(Arc::new(certs::read_password_file(&path, &d.loc)?));
    Ok(())
}

fn set_dhparam(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.dhparam, d)
}

fn set_ecdh_curve(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.ecdh_curve, d)
}

/// `ssl_protocols`: nginx's bitmask slot (a second directive adds bits).
fn set_protocols(
    compiler: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let conf = srv_conf(t)?;
    conf.protocols = Some(values::bitmask(
        compiler,
        d,
        conf.protocols.unwrap_or(0),
        PROTOCOL_NAMES,
    )?);
    Ok(())
}

fn set_ciphers(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.ciphers, d)
}

fn set_buffer_size(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::size_slot(&mut srv_conf(t)?.buffer_size, d)
}

fn set_verify_client(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = srv_conf(t)?;
    if conf.verify.is_some() {
        return Err(values::duplicate(d));
    }
    let value = &d.args[0];
    conf.verify = Some(match value.as_bytes() {
        b"off" => Verify::Off,
        b"on" => Verify::On,
        b"optional" => Verify::Optional,
        b"optional_no_ca" => Verify::OptionalNoCa,
        _ => return Err(values::invalid_value(d, value)),
    });
    Ok(())
}

fn set_verify_depth(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::number_slot(&mut srv_conf(t)?.verify_depth, d)
}

fn set_client_certificate(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.client_certificate, d)
}

fn set_trusted_certificate(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.trusted_certificate, d)
}

fn set_crl(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.crl, d)
}

fn set_prefer_server_ciphers(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut srv_conf(t)?.prefer_server_ciphers, d)
}

/// `ssl_session_cache off | none | [builtin[:size]] [shared:name:size]`.
fn set_session_cache(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let (zones, conf) = match t {
        Target::Http(http) => (&mut http.ssl.zones, &mut http.ssl.srv),
        Target::Server(http, server) => (&mut http.ssl.zones, &mut server.ssl),
        _ => {
            return Err(ConfError::bare(
                "internal error: ssl directive out of place",
            ));
        }
    };
    for arg in &d.args {
        let value = arg.as_bytes();
        let invalid = || ConfError::at(&d.loc, format!("invalid session cache \"{arg}\""));
        match value {
            b"off" => conf.builtin_session_cache = Some(BuiltinCache::Off),
            b"none" => conf.builtin_session_cache = Some(BuiltinCache::None),
            b"builtin" => conf.builtin_session_cache = Some(BuiltinCache::Builtin(None)),
            _ if value.len() > 8 && value.starts_with(b"builtin:") => {
                let n = values::atoi(&value[8..]).ok_or_else(invalid)?;
                conf.builtin_session_cache = Some(BuiltinCache::Builtin(Some(n)));
            }
            _ if value.len() > 7 && value.starts_with(b"shared:") => {
                let rest = &value[7..];
                let name_len = rest.iter().position(|&b| b == b':').unwrap_or(rest.len());
                if name_len == 0 {
                    return Err(invalid());
                }
                let size_text = rest.get(name_len + 1..).unwrap_or_default();
                let size = values::parse_size(size_text).ok_or_else(invalid)?;
                // nginx's minimum: 8 pages.
                if size < 8 * 4096 {
                    return Err(ConfError::at(
                        &d.loc,
                        format!("session cache \"{arg}\" is too small"),
                    ));
                }
                let name = rest[..name_len].to_vec();
                add_zone(zones, &name, size, &d.loc)?;
                conf.shm_zone = Some(CacheZone { name, size });
            }
            _ => return Err(invalid()),
        }
    }
    if conf.shm_zone.is_some() && conf.builtin_session_cache.is_none() {
        conf.builtin_session_cache = Some(BuiltinCache::NoBuiltin);
    }
    Ok(())
}

/// nginx's `ngx_shared_memory_add` checks for a zone named again.
fn add_zone(
    zones: &mut Vec<CacheZone>,
    name: &[u8],
    size: u64,
    loc: &Loc,
) -> Result<(), ConfError> {
    if let Some(existing) = zones.iter().find(|zone| zone.name == name) {
        if existing.size != size {
            return Err(ConfError::at(
                loc,
                format!(
                    "the size {size} of shared memory zone \"{}\" conflicts with already declared size {}",
                    String::from_utf8_lossy(name),
                    existing.size
                ),
            ));
        }
        return Ok(());
    }
    zones.push(CacheZone {
        name: name.to_vec(),
        size,
    });
    Ok(())
}

fn set_session_tickets(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut srv_conf(t)?.session_tickets, d)
}

fn set_session_ticket_key(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    push_arg(&mut srv_conf(t)?.session_ticket_keys, d);
    Ok(())
}

fn set_session_timeout(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::sec_slot(&mut srv_conf(t)?.session_timeout, d)
}

fn set_stapling(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut srv_conf(t)?.stapling, d)
}

fn set_stapling_file(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.stapling_file, d)
}

fn set_stapling_responder(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    str_slot(&mut srv_conf(t)?.stapling_responder, d)
}

fn set_stapling_verify(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut srv_conf(t)?.stapling_verify, d)
}

fn set_early_data(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut srv_conf(t)?.early_data, d)
}

fn set_reject_handshake(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut srv_conf(t)?.reject_handshake, d)
}

/// A file named in the configuration: nginx resolves these against the
/// directory of the configuration file (`ngx_conf_full_name(.., 1)`).
pub fn conf_path(compiler: &Compiler, arg: &Arg) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(arg.as_bytes()));
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        compiler.options.conf_prefix.join(path)
    }
}

impl SrvConf {
    /// nginx's `ngx_http_ssl_merge_srv_conf`: inherit from `http`, check
    /// what must go together, and build the server's TLS material.
    fn merge(
        &mut self,
        prev: &SrvConf,
        compiler: &mut Compiler,
        end: Option<&Loc>,
    ) -> Result<(), ConfError> {
        if self.enable.is_none()
            && let Some(enable) = prev.enable
        {
            self.enable = Some(enable);
            self.enable_loc.clone_from(&prev.enable_loc);
        }
        macro_rules! inherit {
            ($($field:ident),*) => {
                $(if self.$field.is_none() {
                    self.$field.clone_from(&prev.$field);
                })*
            };
        }
        inherit!(
            session_timeout,
            prefer_server_ciphers,
            early_data,
            reject_handshake,
            protocols,
            buffer_size,
            verify,
            verify_depth,
            certificates,
            certificate_keys,
            passwords,
            dhparam,
            client_certificate,
            trusted_certificate,
            crl,
            ecdh_curve,
            ciphers,
            stapling,
            stapling_verify,
            stapling_file,
            stapling_responder,
            builtin_session_cache,
            shm_zone,
            session_tickets,
            session_ticket_keys
        );
        self.h2.merge(&prev.h2);
        let enable = self.enable.unwrap_or(false);
        self.enabled = enable;
        let reject_handshake = self.reject_handshake.unwrap_or(false);
        let at = || {
            self.enable_loc
                .as_ref()
                .map_or_else(String::new, |loc| loc.to_string())
        };
        let certificates = self.certificates.clone().unwrap_or_default();
        let keys = self.certificate_keys.clone().unwrap_or_default();
        if enable {
            if !certificates.is_empty() {
                if keys.is_empty() {
                    return Err(ConfError::bare(format!(
                        "no \"ssl_certificate_key\" is defined for the \"ssl\" directive in {}",
                        at()
                    )));
                }
                if keys.len() < certificates.len() {
                    return Err(ConfError::bare(format!(
                        "no \"ssl_certificate_key\" is defined for certificate \"{}\" and the \"ssl\" directive in {}",
                        certificates[certificates.len() - 1],
                        at()
                    )));
                }
            } else if !reject_handshake {
                return Err(ConfError::bare(format!(
                    "no \"ssl_certificate\" is defined for the \"ssl\" directive in {}",
                    at()
                )));
            }
        } else if !certificates.is_empty() {
            if keys.len() < certificates.len() {
                return Err(ConfError::bare(format!(
                    "no \"ssl_certificate_key\" is defined for certificate \"{}\"",
                    certificates[certificates.len() - 1]
                )));
            }
        } else if !reject_handshake {
            return Ok(());
        }
        self.tls = Some(Arc::new(self.build(compiler, &certificates, &keys, end)?));
        Ok(())
    }

    /// The TLS material of one server, in the order nginx checks things:
    /// ciphers, certificates, client verification, dhparam, curves,
    /// session cache, ticket keys, stapling.
    fn build(
        &self,
        compiler: &mut Compiler,
        certificates: &[Arg],
        keys: &[Arg],
        end: Option<&Loc>,
    ) -> Result<ServerTls, ConfError> {
        let ciphers_text = self
            .ciphers
            .clone()
            .unwrap_or_else(|| Arg::new(DEFAULT_CIPHERS));
        let suites = ciphers::select(&ciphers_text)?;
        for (cert, key) in certificates.iter().zip(keys) {
            if cert.as_bytes().contains(&b'$') || key.as_bytes().contains(&b'$') {
                return Err(ConfError::bare(format!(
                    "variables in \"ssl_certificate\" and \"ssl_certificate_key\" directives are not supported by rginx (\"{cert}\")"
                )));
            }
        }
        let mut loaded = Vec::new();
        for (cert, key) in certificates.iter().zip(keys) {
            let cert_path = conf_path(compiler, cert);
            let key_path = conf_path(compiler, key);
            loaded.push(certs::load_pair(
                &cert_path,
                &key_path,
                self.passwords.as_deref().map(Vec::as_slice),
            )?);
        }
        if let Some(verify) = self.verify
            && verify != Verify::Off
            && self.client_certificate.is_none()
            && verify != Verify::OptionalNoCa
        {
            return Err(ConfError::bare(
                "no ssl_client_certificate for ssl_verify_client",
            ));
        }
        let client_verify = match self.verify {
            Some(mode) if mode != Verify::Off => Some(verify::ClientVerify::build(
                mode,
                self.verify_depth.unwrap_or(1),
                self.client_certificate
                    .as_ref()
                    .map(|file| conf_path(compiler, file))
                    .as_deref(),
                self.trusted_certificate
                    .as_ref()
                    .map(|file| conf_path(compiler, file))
                    .as_deref(),
            )?),
            _ => None,
        };
        if let Some(dhparam) = &self.dhparam {
            // rustls has no finite-field DHE suites: the file is checked as
            // nginx checks it, then not needed.
            certs::check_dhparam(&conf_path(compiler, dhparam))?;
        }
        let kx_groups = ciphers::curves(self.ecdh_curve.as_ref())?;
        let session_timeout = self.session_timeout.unwrap_or(Duration::from_secs(300));
        let tickets = if self.session_tickets.unwrap_or(true) {
            let mut key_files = Vec::new();
            for key in self.session_ticket_keys.iter().flatten() {
                key_files.push(conf_path(compiler, key));
            }
            Some(session::TicketKeys::new(&key_files, session_timeout, end)?)
        } else {
            None
        };
        if self.stapling.unwrap_or(false) {
            match &self.stapling_file {
                Some(file) => {
                    let response = certs::read_stapling_file(&conf_path(compiler, file))?;
                    for pair in &mut loaded {
                        pair.ocsp = Some(response.clone());
                    }
                }
                None => {
                    let trusted = match &self.trusted_certificate {
                        Some(file) => certs::load_ca_file(&conf_path(compiler, file))?,
                        None => Vec::new(),
                    };
                    for (cert, pair) in certificates.iter().zip(&loaded) {
                        let name = conf_path(compiler, cert);
                        let warning = stapling_warning(
                            pair,
                            &trusted,
                            self.stapling_responder.is_some(),
                            &name,
                        );
                        compiler.warn(ConfError::bare(warning));
                    }
                }
            }
        }
        let protocols = self.protocols.unwrap_or(DEFAULT_PROTOCOLS);
        let mut versions: Vec<&'static rustls::SupportedProtocolVersion> = Vec::new();
        if protocols & TLSV1_2 != 0 {
            versions.push(&rustls::version::TLS12);
        }
        if protocols & TLSV1_3 != 0 {
            versions.push(&rustls::version::TLS13);
        }
        let no_protocols = versions.is_empty();
        if no_protocols {
            compiler.warn(ConfError::bare(
                "\"ssl_protocols\" names no protocol rginx supports (TLSv1.2, TLSv1.3): every handshake will fail",
            ));
            versions.push(&rustls::version::TLS13);
        }
        let certs: Vec<Arc<CertifiedKey>> = loaded.into_iter().map(Arc::new).collect();
        let provider = rustls::crypto::CryptoProvider {
            cipher_suites: suites,
            kx_groups,
            ..rustls::crypto::aws_lc_rs::default_provider()
        };
        let provider = Arc::new(provider);
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(|err| ConfError::bare(format!("cannot set up TLS: {err}")))?;
        let builder = match &client_verify {
            Some(client_verify) => {
                builder.with_client_cert_verifier(Arc::new(verify::PortVerifier {
                    hints: client_verify.hints.clone(),
                    provider: provider.clone(),
                }))
            }
            None => builder.with_no_client_auth(),
        };
        let mut config = builder.with_cert_resolver(Arc::new(accept::OwnCerts(certs.clone())));
        config.ignore_client_order = self.prefer_server_ciphers.unwrap_or(false);
        if let Some(tickets) = tickets {
            config.ticketer = Arc::new(tickets);
        }
        let buffer_size = self.buffer_size.unwrap_or(16 * 1024);
        if buffer_size < 16 * 1024 {
            // A smaller record size, as nginx's ssl_buffer_size gives.
            config.max_fragment_size = Some(usize::try_from(buffer_size.max(64)).unwrap_or(16384));
        }
        let session_cache_sessions = match self.builtin_session_cache {
            Some(BuiltinCache::Builtin(n)) => usize::try_from(n.unwrap_or(20480)).unwrap_or(20480),
            _ => 0,
        } + self
            .shm_zone
            .as_ref()
            // nginx: one megabyte holds about 4000 sessions.
            .map_or(0, |zone| {
                usize::try_from(zone.size / 256).unwrap_or(usize::MAX)
            });
        Ok(ServerTls {
            certs,
            reject_handshake: self.reject_handshake.unwrap_or(false),
            config: Arc::new(config),
            session_cache_sessions,
            session_timeout,
            buffer_size: usize::try_from(buffer_size).unwrap_or(usize::MAX),
            no_protocols,
            client_verify,
            provider,
            versions,
        })
    }
}

/// Why `ssl_stapling on` (without `ssl_stapling_file`) staples nothing for
/// a certificate: nginx's own warnings where nginx would give up too (no
/// issuer, no responder URL), else that rginx does not query responders.
fn stapling_warning(
    pair: &CertifiedKey,
    trusted: &[rustls::pki_types::CertificateDer<'static>],
    responder_given: bool,
    name: &std::path::Path,
) -> String {
    let leaf = pair.cert.first().map_or(&[][..], |c| c.as_ref());
    let issuer = der::issuer_and_subject(leaf).map(|(issuer, _)| issuer);
    let issuer_known = issuer.is_some_and(|issuer| {
        pair.cert[1..].iter().chain(trusted).any(|candidate| {
            der::issuer_and_subject(candidate).is_some_and(|(_, subject)| subject == issuer)
        })
    });
    if !issuer_known {
        return format!(
            "\"ssl_stapling\" ignored, issuer certificate not found for certificate \"{}\"",
            name.display()
        );
    }
    if !responder_given && der::ocsp_url(leaf).is_none() {
        return format!(
            "\"ssl_stapling\" ignored, no OCSP responder URL in the certificate \"{}\"",
            name.display()
        );
    }
    format!(
        "\"ssl_stapling\" ignored, rginx does not query OCSP responders (use \"ssl_stapling_file\") for certificate \"{}\"",
        name.display()
    )
}

/// End of the http block, after the core module's merge: each server's
/// ssl settings are merged and built (nginx's merge, run in server order).
pub fn merge_servers(
    compiler: &mut Compiler,
    http: &HttpSsl,
    servers: &mut [Server],
) -> Result<(), ConfError> {
    for server in servers.iter_mut() {
        server.ssl.merge(&http.srv, compiler, http.end.as_ref())?;
    }
    Ok(())
}

/// nginx's `ngx_http_ssl_init`: every `listen ... ssl` address needs a
/// certificate in its default server (or, with `ssl_reject_handshake` there,
/// in every server of the address that does not reject handshakes).
pub fn check_addresses(addresses: &AddressTable, servers: &[Server]) -> Result<(), ConfError> {
    let missing = |server: &Server| {
        let at = server
            .loc
            .as_ref()
            .map_or_else(String::new, ToString::to_string);
        ConfError::bare(format!(
            "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive in {at}"
        ))
    };
    for entry in &addresses.entries {
        if !entry.options.ssl {
            continue;
        }
        let Some(default) = servers.get(entry.default_server) else {
            continue;
        };
        if has_certificates(default) {
            continue;
        }
        if !rejects(default) {
            return Err(missing(default));
        }
        for &index in &entry.servers {
            let Some(server) = servers.get(index) else {
                continue;
            };
            if !has_certificates(server) && !rejects(server) {
                return Err(missing(server));
            }
        }
    }
    Ok(())
}

fn has_certificates(server: &Server) -> bool {
    server
        .ssl
        .tls
        .as_ref()
        .is_some_and(|tls| !tls.certs.is_empty())
}

fn rejects(server: &Server) -> bool {
    server
        .ssl
        .tls
        .as_ref()
        .is_some_and(|tls| tls.reject_handshake)
}

const SSL: &str = "ngx_http_ssl_module";

pub static SPECS: &[Spec] = &[
    Spec {
        module: SSL,
        name: "ssl",
        set: set_ssl,
        note: "deprecated form of listen ... ssl, with nginx's [warn]",
    },
    Spec {
        module: SSL,
        name: "ssl_certificate",
        set: set_certificate,
        note: "PEM certificate and chain; several (RSA and ECDSA) per server",
    },
    Spec {
        module: SSL,
        name: "ssl_certificate_key",
        set: set_certificate_key,
        note: "PEM key (PKCS#8, RSA, EC), checked against its certificate at -t",
    },
    Spec {
        module: SSL,
        name: "ssl_password_file",
        set: set_password_file,
        note: "passwords for encrypted (PKCS#8) keys, tried in order",
    },
    Spec {
        module: SSL,
        name: "ssl_dhparam",
        set: set_dhparam,
        note: "file checked as nginx checks it; rustls has no DHE suites",
    },
    Spec {
        module: SSL,
        name: "ssl_ecdh_curve",
        set: set_ecdh_curve,
        note: "auto or a list of X25519, prime256v1, secp384r1, secp521r1",
    },
    Spec {
        module: SSL,
        name: "ssl_protocols",
        set: set_protocols,
        note: "TLSv1.2 and TLSv1.3 (older names accepted, never negotiated)",
    },
    Spec {
        module: SSL,
        name: "ssl_ciphers",
        set: set_ciphers,
        note: "OpenSSL cipher strings, evaluated as OpenSSL does, onto rustls's suites",
    },
    Spec {
        module: SSL,
        name: "ssl_buffer_size",
        set: set_buffer_size,
        note: "below 16k: the TLS record size",
    },
    Spec {
        module: SSL,
        name: "ssl_verify_client",
        set: set_verify_client,
        note: "on, optional, optional_no_ca: verified per request as nginx does ($ssl_client_verify)",
    },
    Spec {
        module: SSL,
        name: "ssl_verify_depth",
        set: set_verify_depth,
        note: "intermediate certificates allowed in a client's chain",
    },
    Spec {
        module: SSL,
        name: "ssl_client_certificate",
        set: set_client_certificate,
        note: "CAs for client certificates, sent to clients as acceptable names",
    },
    Spec {
        module: SSL,
        name: "ssl_trusted_certificate",
        set: set_trusted_certificate,
        note: "CAs for client certificates, not sent to clients",
    },
    Spec {
        module: SSL,
        name: "ssl_crl",
        set: set_crl,
        note: "accepted: revocation lists are not checked yet",
    },
    Spec {
        module: SSL,
        name: "ssl_prefer_server_ciphers",
        set: set_prefer_server_ciphers,
        note: "server's cipher order instead of the client's",
    },
    Spec {
        module: SSL,
        name: "ssl_session_cache",
        set: set_session_cache,
        note: "off, none, builtin[:n], shared:name:size (per worker process)",
    },
    Spec {
        module: SSL,
        name: "ssl_session_tickets",
        set: set_session_tickets,
        note: "TLS 1.2 and 1.3 tickets, keys shared by all workers",
    },
    Spec {
        module: SSL,
        name: "ssl_session_ticket_key",
        set: set_session_ticket_key,
        note: "48 or 80 byte key files, as nginx (first one encrypts)",
    },
    Spec {
        module: SSL,
        name: "ssl_session_timeout",
        set: set_session_timeout,
        note: "lifetime of cached sessions and tickets",
    },
    Spec {
        module: SSL,
        name: "ssl_stapling",
        set: set_stapling,
        note: "staples ssl_stapling_file; rginx does not query OCSP responders ([warn])",
    },
    Spec {
        module: SSL,
        name: "ssl_stapling_file",
        set: set_stapling_file,
        note: "DER OCSP response stapled to the handshake",
    },
    Spec {
        module: SSL,
        name: "ssl_stapling_responder",
        set: set_stapling_responder,
        note: "accepted: rginx does not query OCSP responders",
    },
    Spec {
        module: SSL,
        name: "ssl_stapling_verify",
        set: set_stapling_verify,
        note: "accepted: rginx does not query OCSP responders",
    },
    Spec {
        module: SSL,
        name: "ssl_early_data",
        set: set_early_data,
        note: "accepted; 0-RTT data is declined (clients resend it after the handshake)",
    },
    Spec {
        module: SSL,
        name: "ssl_reject_handshake",
        set: set_reject_handshake,
        note: "refuse handshakes for the server (e.g. an unknown SNI name)",
    },
];
