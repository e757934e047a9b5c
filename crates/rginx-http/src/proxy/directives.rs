//! The proxy module's directive setters, with nginx's checks and words.

use super::conf::{self, PassTarget, Pattern, ProxyConf, ProxyPass, Rewrite, Vars, ft, ign};
use super::state::Shared;
use crate::compile::{Compiler, Target};
use crate::http_core::LocationKind;
use crate::registry::Spec;
use crate::upstream::{self, url};
use crate::values;
use crate::variables::{self, Template};
use rginx_conf::{Arg, ConfError, Directive};
use std::sync::Arc;

fn proxy_conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut ProxyConf, ConfError> {
    match t {
        Target::Http(http) => Ok(&mut http.conf.proxy),
        Target::Server(_, server) => Ok(&mut server.conf.proxy),
        Target::Location(location) => Ok(&mut location.conf.proxy),
        _ => Err(ConfError::bare(
            "internal error: proxy directive out of place",
        )),
    }
}

fn compile(c: &mut Compiler, d: &Directive, value: &Arg) -> Result<Template, ConfError> {
    variables::compile(value, &mut c.variables, &d.loc)
}

/// nginx's `ngx_http_proxy_set_vars` (`https`: the default port is 443).
fn vars_of(parsed: &url::Url, https: bool) -> Vars {
    if parsed.unix {
        return Vars {
            host_header: b"localhost".to_vec().into(),
            port: Shared::default(),
            uri: parsed.uri.clone(),
        };
    }
    let default_port: u16 = if https { 443 } else { 80 };
    let (host_header, port) = if parsed.no_port || parsed.port == default_port {
        (parsed.host.clone(), default_port.to_string().into_bytes())
    } else {
        let mut host = parsed.host.clone();
        host.push(b':');
        host.extend_from_slice(&parsed.port_text);
        (host, parsed.port_text.clone())
    };
    Vars {
        host_header: host_header.into(),
        port: port.into(),
        uri: parsed.uri.clone(),
    }
}

/// Parses the part of a `proxy_pass` URL after `http://` (or `https://`),
/// as `ngx_http_proxy_pass` and `ngx_http_proxy_eval` do.
pub fn parse_pass_url(
    rest: &[u8],
    no_resolve: bool,
    https: bool,
) -> Result<url::Url, &'static str> {
    url::parse(
        rest,
        url::Options {
            default_port: if https { 443 } else { 80 },
            uri_part: true,
            no_resolve,
        },
    )
}

pub(super) fn vars_for(parsed: &url::Url, https: bool) -> Vars {
    vars_of(parsed, https)
}

/// The URL after its scheme, and whether the scheme is `https://`.
pub fn split_scheme(url: &[u8]) -> Option<(&[u8], bool)> {
    if url.len() >= 7 && url[..7].eq_ignore_ascii_case(b"http://") {
        Some((&url[7..], false))
    } else if url.len() >= 8 && url[..8].eq_ignore_ascii_case(b"https://") {
        Some((&url[8..], true))
    } else {
        None
    }
}

fn set_proxy_pass(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let Target::Location(location) = t else {
        return Err(ConfError::bare("internal error: proxy_pass out of place"));
    };
    if location.conf.proxy.pass.is_some() {
        return Err(values::duplicate(d));
    }
    let url = &d.args[0];
    if url.as_bytes().contains(&b'$') {
        let template = compile(c, d, url)?;
        location.conf.proxy.pass = Some(Arc::new(ProxyPass {
            url: url.clone(),
            target: PassTarget::Dynamic(template),
            https: false,
            location: location.name.as_bytes().to_vec(),
        }));
        return Ok(());
    }
    let Some((rest, https)) = split_scheme(url.as_bytes()) else {
        return Err(ConfError::at(&d.loc, "invalid URL prefix"));
    };
    let parsed = parse_pass_url(rest, true, https).map_err(|err| {
        ConfError::at(
            &d.loc,
            format!("{err} in upstream \"{}\"", String::from_utf8_lossy(rest)),
        )
    })?;
    let upstream = c.upstreams.add_implicit(
        upstream::Wanted {
            url: &parsed,
            text: rest,
        },
        &d.loc,
    )?;
    let vars = vars_of(&parsed, https);
    let mut location_name = location.name.as_bytes().to_vec();
    if matches!(
        location.kind,
        LocationKind::Named | LocationKind::Regex(_) | LocationKind::Noname
    ) {
        if !vars.uri.is_empty() {
            return Err(ConfError::at(
                &d.loc,
                "\"proxy_pass\" cannot have URI part in location given by regular expression, \
                 or inside named location, or inside \"if\" statement, or inside \
                 \"limit_except\" block",
            ));
        }
        location_name.clear();
    }
    location.conf.proxy.pass = Some(Arc::new(ProxyPass {
        url: url.clone(),
        target: PassTarget::Static { upstream, vars },
        https,
        location: location_name,
    }));
    Ok(())
}

fn set_header(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let value = compile(c, d, &d.args[1])?;
    let conf = proxy_conf(t)?;
    let source = conf.headers_source.get_or_insert_with(Default::default);
    Arc::make_mut(source).push((d.args[0].clone(), value));
    Ok(())
}

fn set_http_version(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = proxy_conf(t)?;
    if conf.http_11.is_some() {
        return Err(values::duplicate(d));
    }
    conf.http_11 = Some(match d.args[0].as_bytes() {
        b"1.0" => false,
        b"1.1" => true,
        _ => {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid value \"{}\"", d.args[0]),
            ));
        }
    });
    Ok(())
}

fn set_method(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if proxy_conf(t)?.method.is_some() {
        return Err(values::duplicate(d));
    }
    let method = compile(c, d, &d.args[0])?;
    proxy_conf(t)?.method = Some(method);
    Ok(())
}

fn set_body(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if proxy_conf(t)?.set_body.is_some() {
        return Err(values::duplicate(d));
    }
    let body = compile(c, d, &d.args[0])?;
    proxy_conf(t)?.set_body = Some(body);
    Ok(())
}

macro_rules! flag_setter {
    ($name:ident, $field:ident) => {
        fn $name(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
            values::flag_slot(&mut proxy_conf(t)?.$field, d)
        }
    };
}

flag_setter!(set_pass_request_headers, pass_request_headers);
flag_setter!(set_pass_request_body, pass_request_body);
flag_setter!(set_buffering, buffering);
flag_setter!(set_request_buffering, request_buffering);
flag_setter!(set_intercept_errors, intercept_errors);
flag_setter!(set_socket_keepalive, socket_keepalive);

macro_rules! slot_setter {
    ($name:ident, $field:ident, $slot:ident) => {
        fn $name(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
            values::$slot(&mut proxy_conf(t)?.$field, d)
        }
    };
}

slot_setter!(set_connect_timeout, connect_timeout, msec_slot);
slot_setter!(set_send_timeout, send_timeout, msec_slot);
slot_setter!(set_read_timeout, read_timeout, msec_slot);
slot_setter!(set_next_upstream_timeout, next_upstream_timeout, msec_slot);
slot_setter!(set_next_upstream_tries, next_upstream_tries, number_slot);
slot_setter!(set_buffer_size, buffer_size, size_slot);
slot_setter!(set_busy_buffers_size, busy_buffers_size, size_slot);
slot_setter!(set_max_temp_file_size, max_temp_file_size, size_slot);
slot_setter!(set_temp_file_write_size, temp_file_write_size, size_slot);
slot_setter!(
    set_headers_hash_max_size,
    headers_hash_max_size,
    number_slot
);
slot_setter!(
    set_headers_hash_bucket_size,
    headers_hash_bucket_size,
    number_slot
);

/// nginx's `ngx_conf_set_bufs_slot`.
fn set_buffers(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::bufs_slot(&mut proxy_conf(t)?.buffers, d)
}

/// nginx's `ngx_conf_set_bitmask_slot`, marking the slot given
/// (`NGX_CONF_BITMASK_SET`).
fn bitmask_slot(
    c: &mut Compiler,
    d: &Directive,
    slot: &mut Option<u32>,
    names: &[(&str, u32)],
) -> Result<(), ConfError> {
    *slot = Some(values::bitmask(c, d, slot.unwrap_or(0), names)? | ft::SET);
    Ok(())
}

fn set_next_upstream(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    bitmask_slot(c, d, &mut proxy_conf(t)?.next_upstream, ft::NAMES)
}

fn set_ignore_headers(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    bitmask_slot(c, d, &mut proxy_conf(t)?.ignore_headers, ign::NAMES)
}

fn set_hide_header(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    proxy_conf(t)?
        .hide_headers
        .get_or_insert_with(Vec::new)
        .push(d.args[0].clone());
    Ok(())
}

fn set_pass_header(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    proxy_conf(t)?
        .pass_headers
        .get_or_insert_with(Vec::new)
        .push(d.args[0].clone());
    Ok(())
}

/// `~re` / `~*re` (with `caseless_only`, `~re` is already caseless, as
/// for `proxy_cookie_domain`).
fn regex_pattern(
    c: &mut Compiler,
    d: &Directive,
    value: &[u8],
    caseless_only: bool,
) -> Result<Pattern, ConfError> {
    let (pattern, caseless) = match value.strip_prefix(b"*") {
        Some(rest) if !caseless_only => (rest, true),
        _ => (value, caseless_only),
    };
    let regex = crate::regex::Regex::compile(&Arg::new(pattern), caseless, &d.loc)?;
    crate::rewrite::define_named_captures(c, &regex);
    Ok(Pattern::Regex(Arc::new(regex)))
}

fn set_redirect(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let conf = proxy_conf(t)?;
    if conf.redirect == Some(false) {
        return Err(values::duplicate(d));
    }
    conf.redirect = Some(true);
    let first = d.args[0].as_bytes();
    if d.args.len() == 1 {
        if first == b"off" {
            if conf.redirects.is_some() {
                return Err(values::duplicate(d));
            }
            conf.redirect = Some(false);
            return Ok(());
        }
        if first != b"default" {
            return Err(ConfError::at(
                &d.loc,
                format!("invalid parameter \"{}\"", d.args[0]),
            ));
        }
        let rule = match conf.pass.as_deref() {
            Some(ProxyPass {
                target: PassTarget::Dynamic(_),
                ..
            }) => {
                return Err(ConfError::at(
                    &d.loc,
                    "\"proxy_redirect default\" cannot be used with \"proxy_pass\" directive \
                     with variables",
                ));
            }
            Some(pass) => conf::default_redirect(pass),
            None => None,
        };
        let Some(rule) = rule else {
            return Err(ConfError::at(
                &d.loc,
                "\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive",
            ));
        };
        push_rule(&mut conf.redirects, rule);
        return Ok(());
    }
    let pattern = match first.strip_prefix(b"~") {
        Some(rest) => regex_pattern(c, d, rest, false)?,
        None => Pattern::Prefix(compile(c, d, &d.args[0])?),
    };
    let replacement = compile(c, d, &d.args[1])?;
    push_rule(
        &mut proxy_conf(t)?.redirects,
        Rewrite {
            pattern,
            replacement,
        },
    );
    Ok(())
}

fn push_rule(rules: &mut Option<Arc<Vec<Rewrite>>>, rule: Rewrite) {
    Arc::make_mut(rules.get_or_insert_with(Default::default)).push(rule);
}

/// The common part of `proxy_cookie_domain` and `proxy_cookie_path`.
fn cookie_rule(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
    domain: bool,
) -> Result<(), ConfError> {
    type Rules = Option<Option<Arc<Vec<Rewrite>>>>;
    fn slot_of(conf: &mut ProxyConf, domain: bool) -> &mut Rules {
        if domain {
            &mut conf.cookie_domains
        } else {
            &mut conf.cookie_paths
        }
    }
    let current = slot_of(proxy_conf(t)?, domain);
    if matches!(current, Some(None)) {
        return Err(values::duplicate(d));
    }
    if d.args.len() == 1 {
        if d.args[0].as_bytes() == b"off" {
            if current.is_some() {
                return Err(values::duplicate(d));
            }
            *current = Some(None);
            return Ok(());
        }
        return Err(ConfError::at(
            &d.loc,
            format!("invalid parameter \"{}\"", d.args[0]),
        ));
    }
    let first = d.args[0].as_bytes();
    let mut replacement = d.args[1].as_bytes();
    let pattern = match first.strip_prefix(b"~") {
        Some(rest) => regex_pattern(c, d, rest, domain)?,
        None if domain => {
            let pattern = first.strip_prefix(b".").unwrap_or(first);
            replacement = replacement.strip_prefix(b".").unwrap_or(replacement);
            Pattern::Domain(compile(c, d, &Arg::new(pattern))?)
        }
        None => Pattern::Prefix(compile(c, d, &d.args[0])?),
    };
    let replacement = compile(c, d, &Arg::new(replacement))?;
    let current = slot_of(proxy_conf(t)?, domain);
    let rules = current.get_or_insert_with(|| Some(Arc::default()));
    if let Some(rules) = rules {
        Arc::make_mut(rules).push(Rewrite {
            pattern,
            replacement,
        });
    }
    Ok(())
}

fn set_cookie_domain(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    cookie_rule(c, d, t, true)
}

fn set_cookie_path(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    cookie_rule(c, d, t, false)
}

fn ssl_conf<'a>(t: &'a mut Target<'_>) -> Result<&'a mut conf::SslConf, ConfError> {
    Ok(&mut proxy_conf(t)?.ssl)
}

fn set_ssl_session_reuse(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut ssl_conf(t)?.session_reuse, d)
}

fn set_ssl_server_name(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::flag_slot(&mut ssl_conf(t)?.server_name, d)
}

fn set_ssl_verify(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::flag_slot(&mut ssl_conf(t)?.verify, d)
}

fn set_ssl_verify_depth(
    _: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    values::number_slot(&mut ssl_conf(t)?.verify_depth, d)
}

/// `proxy_ssl_protocols`: nginx's `ngx_http_proxy_ssl_protocols` bitmask.
fn set_ssl_protocols(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    const NAMES: &[(&str, u32)] = &[
        ("SSLv2", crate::ssl::SSLV2),
        ("SSLv3", crate::ssl::SSLV3),
        ("TLSv1", crate::ssl::TLSV1),
        ("TLSv1.1", crate::ssl::TLSV1_1),
        ("TLSv1.2", crate::ssl::TLSV1_2),
        ("TLSv1.3", crate::ssl::TLSV1_3),
    ];
    bitmask_slot(c, d, &mut ssl_conf(t)?.protocols, NAMES)
}

fn set_ssl_ciphers(_: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    values::set_once(&mut ssl_conf(t)?.ciphers, d, d.args[0].clone())
}

/// `proxy_ssl_name`: a complex value (nginx's
/// `ngx_http_set_complex_value_slot`).
fn set_ssl_name(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    if ssl_conf(t)?.name.is_some() {
        return Err(values::duplicate(d));
    }
    let name = compile(c, d, &d.args[0])?;
    ssl_conf(t)?.name = Some(name);
    Ok(())
}

/// A file argument: refused with variables (nginx loads those per
/// connection; rginx does not), else resolved as nginx resolves it.
fn file_arg(c: &Compiler, d: &Directive) -> Result<std::path::PathBuf, ConfError> {
    if d.args[0].as_bytes().contains(&b'$') {
        return Err(ConfError::at(
            &d.loc,
            format!("variables in \"{}\" are not supported by rginx", d.name),
        ));
    }
    Ok(crate::ssl::conf_path(c, &d.args[0]))
}

fn set_ssl_trusted_certificate(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    let path = crate::ssl::conf_path(c, &d.args[0]);
    values::set_once(&mut ssl_conf(t)?.trusted_certificate, d, path)
}

fn set_ssl_crl(c: &mut Compiler, d: &Directive, t: &mut Target<'_>) -> Result<(), ConfError> {
    let path = crate::ssl::conf_path(c, &d.args[0]);
    values::set_once(&mut ssl_conf(t)?.crl, d, path)
}

fn set_ssl_certificate(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if ssl_conf(t)?.certificate.is_some() {
        return Err(values::duplicate(d));
    }
    let path = file_arg(c, d)?;
    ssl_conf(t)?.certificate = Some((d.args[0].clone(), path));
    Ok(())
}

fn set_ssl_certificate_key(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if ssl_conf(t)?.certificate_key.is_some() {
        return Err(values::duplicate(d));
    }
    let path = file_arg(c, d)?;
    ssl_conf(t)?.certificate_key = Some(path);
    Ok(())
}

fn set_ssl_password_file(
    c: &mut Compiler,
    d: &Directive,
    t: &mut Target<'_>,
) -> Result<(), ConfError> {
    if ssl_conf(t)?.passwords.is_some() {
        return Err(values::duplicate(d));
    }
    let path = crate::ssl::conf_path(c, &d.args[0]);
    let passwords = crate::ssl::certs::read_password_file(&path, &d.loc)?;
    ssl_conf(t)?.passwords = Some(Arc::new(passwords));
    Ok(())
}

const MODULE: &str = "ngx_http_proxy_module";
const STREAMED: &str = "accepted: responses are streamed with back-pressure, never spooled to disk";

macro_rules! spec {
    ($name:literal, $set:ident, $note:expr) => {
        Spec {
            module: MODULE,
            name: $name,
            set: $set,
            note: $note,
        }
    };
}

pub static SPECS: &[Spec] = &[
    spec!(
        "proxy_pass",
        set_proxy_pass,
        "upstream groups, host:port, unix:, URI replacement, variables"
    ),
    spec!(
        "proxy_set_header",
        set_header,
        "nginx's defaults (Host $proxy_host, Connection close) and inheritance"
    ),
    spec!("proxy_http_version", set_http_version, "1.0 or 1.1"),
    spec!("proxy_method", set_method, "method of the upstream request"),
    spec!("proxy_set_body", set_body, "body of the upstream request"),
    spec!(
        "proxy_pass_request_headers",
        set_pass_request_headers,
        "client headers passed or not"
    ),
    spec!(
        "proxy_pass_request_body",
        set_pass_request_body,
        "client body passed or not"
    ),
    spec!(
        "proxy_request_buffering",
        set_request_buffering,
        "read the whole body first (retries possible) or stream it"
    ),
    spec!(
        "proxy_buffering",
        set_buffering,
        "accepted: the response is streamed either way"
    ),
    spec!(
        "proxy_buffer_size",
        set_buffer_size,
        "largest response header accepted"
    ),
    spec!("proxy_buffers", set_buffers, STREAMED),
    spec!("proxy_busy_buffers_size", set_busy_buffers_size, STREAMED),
    spec!("proxy_max_temp_file_size", set_max_temp_file_size, STREAMED),
    spec!(
        "proxy_temp_file_write_size",
        set_temp_file_write_size,
        STREAMED
    ),
    spec!(
        "proxy_connect_timeout",
        set_connect_timeout,
        "504 and failover on expiry"
    ),
    spec!(
        "proxy_send_timeout",
        set_send_timeout,
        "between two writes to the upstream"
    ),
    spec!(
        "proxy_read_timeout",
        set_read_timeout,
        "between two reads; idle timeout of WebSocket tunnels"
    ),
    spec!(
        "proxy_next_upstream",
        set_next_upstream,
        "error, timeout, invalid_header, http_5xx/403/404/429, non_idempotent, off"
    ),
    spec!(
        "proxy_next_upstream_tries",
        set_next_upstream_tries,
        "limit on tries"
    ),
    spec!(
        "proxy_next_upstream_timeout",
        set_next_upstream_timeout,
        "limit on time spent trying"
    ),
    spec!(
        "proxy_intercept_errors",
        set_intercept_errors,
        "upstream errors go to error_page"
    ),
    spec!(
        "proxy_hide_header",
        set_hide_header,
        "on top of nginx's hidden headers"
    ),
    spec!(
        "proxy_pass_header",
        set_pass_header,
        "passes a header hidden by default"
    ),
    spec!(
        "proxy_ignore_headers",
        set_ignore_headers,
        "X-Accel-Redirect honoured unless ignored"
    ),
    spec!(
        "proxy_redirect",
        set_redirect,
        "default, off, prefix, regex, with variables"
    ),
    spec!(
        "proxy_cookie_domain",
        set_cookie_domain,
        "Set-Cookie domain rewriting"
    ),
    spec!(
        "proxy_cookie_path",
        set_cookie_path,
        "Set-Cookie path rewriting"
    ),
    spec!(
        "proxy_socket_keepalive",
        set_socket_keepalive,
        "SO_KEEPALIVE on upstream sockets"
    ),
    spec!(
        "proxy_ssl_session_reuse",
        set_ssl_session_reuse,
        "TLS sessions to upstreams resumed (per worker)"
    ),
    spec!(
        "proxy_ssl_protocols",
        set_ssl_protocols,
        "TLSv1.2 and TLSv1.3 (default TLSv1.2 only, as nginx 1.22)"
    ),
    spec!(
        "proxy_ssl_ciphers",
        set_ssl_ciphers,
        "OpenSSL cipher strings onto rustls's suites"
    ),
    spec!(
        "proxy_ssl_name",
        set_ssl_name,
        "name for SNI and verification, with variables"
    ),
    spec!(
        "proxy_ssl_server_name",
        set_ssl_server_name,
        "SNI sent to the upstream"
    ),
    spec!(
        "proxy_ssl_verify",
        set_ssl_verify,
        "chain and name of the upstream's certificate verified"
    ),
    spec!(
        "proxy_ssl_verify_depth",
        set_ssl_verify_depth,
        "intermediate certificates allowed"
    ),
    spec!(
        "proxy_ssl_trusted_certificate",
        set_ssl_trusted_certificate,
        "PEM CA bundle for proxy_ssl_verify"
    ),
    spec!(
        "proxy_ssl_crl",
        set_ssl_crl,
        "accepted: revocation lists are not checked yet"
    ),
    spec!(
        "proxy_ssl_certificate",
        set_ssl_certificate,
        "client certificate for upstreams (no variables)"
    ),
    spec!(
        "proxy_ssl_certificate_key",
        set_ssl_certificate_key,
        "its key (no variables)"
    ),
    spec!(
        "proxy_ssl_password_file",
        set_ssl_password_file,
        "passwords for an encrypted proxy_ssl_certificate_key"
    ),
    spec!(
        "proxy_headers_hash_max_size",
        set_headers_hash_max_size,
        "accepted: rginx's header tables need no sizing"
    ),
    spec!(
        "proxy_headers_hash_bucket_size",
        set_headers_hash_bucket_size,
        "accepted: rginx's header tables need no sizing"
    ),
];
