//! nginx's proxy module: `proxy_pass` to an address or an upstream group,
//! request and response header rules, streaming bodies, failover
//! (`proxy_next_upstream`), the keep-alive pool, and WebSocket tunnels.
//!
//! The request path follows nginx's upstream module step by step: pick the
//! peer (the group's balancer), take a cached connection to it or connect,
//! send, read the response head, and then either give up on the peer
//! (`ngx_http_upstream_next`: account the failure, try the next one if the
//! conditions allow) or pass the response on, its body streamed from the
//! upstream socket to the client.

pub mod body;
pub mod client;
pub mod conf;
pub mod directives;
pub mod request;
pub mod response;
pub mod state;
pub mod tunnel;

use crate::core_main::LogLevel;
use crate::http_core::LocationKind;
use crate::http_core::request::{Ctx, OutBody, Outcome};
use crate::ssl::client::UpstreamTls;
use crate::upstream::conn::{Conn, TlsKey};
use crate::upstream::peers::{self, Group, Inputs, Selection};
use crate::upstream::{Method, Registry};
use bytes::Bytes;
use client::{End, Framing, HeadError, UpstreamBody};
use conf::{PassTarget, ProxyPass, Vars, ft};
use http_body_util::BodyExt;
use rustls::pki_types::ServerName;
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Instant;

pub use conf::ProxyConf;
pub use directives::SPECS;
pub use state::UpstreamState;

/// Whether the proxy is the content handler of the request's location
/// (the location, or its `if` / `limit_except` block, has `proxy_pass`).
pub fn handles(ctx: &Ctx<'_>) -> bool {
    pass_of(ctx).is_some()
}

fn pass_of<'a>(ctx: &Ctx<'a>) -> Option<&'a ProxyPass> {
    let noname = ctx
        .location
        .is_some_and(|location| matches!(location.kind, LocationKind::Noname));
    ctx.loc_conf()
        .proxy
        .effective_pass(noname)
        .map(|pass| &**pass)
}

/// The group and URL parts a request goes to.
struct Target<'p> {
    group: Arc<Group>,
    /// The upstream block's index (for its `hash` key), if any.
    upstream: Option<usize>,
    /// A literal `proxy_pass`'s parts are the configuration's own.
    vars: Cow<'p, Vars>,
    /// `https://`.
    https: bool,
}

/// The target of a `proxy_pass` without variables: known from the config.
fn static_target<'p>(
    http: &crate::http_core::HttpConf,
    pass: &'p ProxyPass,
    upstream: usize,
    vars: &'p Vars,
) -> Result<Target<'p>, u16> {
    let group = http
        .upstreams
        .get(upstream)
        .and_then(|u| u.group.clone())
        .ok_or(500u16)?;
    Ok(Target {
        group,
        upstream: Some(upstream),
        vars: Cow::Borrowed(vars),
        https: pass.https,
    })
}

/// nginx's `ngx_http_proxy_eval` (variables in `proxy_pass`) and the
/// upstream search of `ngx_http_upstream_init_request`.
async fn target<'p>(ctx: &mut Ctx<'_>, pass: &'p ProxyPass) -> Result<Target<'p>, u16> {
    let http = ctx.http;
    match &pass.target {
        PassTarget::Static { upstream, vars } => static_target(http, pass, *upstream, vars),
        PassTarget::Dynamic(template) => {
            let url = crate::variables::eval::render(ctx, template);
            let scheme = directives::split_scheme(&url).filter(|(rest, _)| !rest.is_empty());
            let (rest, https) = if let Some(split) = scheme {
                split
            } else {
                crate::log::error(
                    ctx,
                    LogLevel::Error,
                    &format!(
                        "invalid URL prefix in \"{}\"",
                        String::from_utf8_lossy(&url)
                    ),
                );
                return Err(500);
            };
            let mut parsed = match directives::parse_pass_url(rest, true, https) {
                Ok(parsed) => parsed,
                Err(err) => {
                    crate::log::error(
                        ctx,
                        LogLevel::Error,
                        &format!("{err} in upstream \"{}\"", String::from_utf8_lossy(rest)),
                    );
                    return Err(500);
                }
            };
            if parsed.uri.first() == Some(&b'?') {
                parsed.uri.insert(0, b'/');
            }
            let vars = directives::vars_for(&parsed, https);
            if let Some(index) =
                Registry::find(&http.upstreams, &parsed.host, parsed.port, parsed.no_port)
                && let Some(group) = http.upstreams[index].group.clone()
            {
                return Ok(Target {
                    group,
                    upstream: Some(index),
                    vars: Cow::Owned(vars),
                    https,
                });
            }
            let limits = &ctx.loc_conf().limits;
            if parsed.addrs.is_empty()
                && let Some(resolver) = &limits.resolver
            {
                // nginx's resolver: the name is looked up now, for this
                // request.
                let host = String::from_utf8_lossy(&parsed.host).into_owned();
                let timeout = limits.resolver_timeout();
                match crate::resolver::resolve(resolver, &parsed.host, timeout).await {
                    Ok(addrs) => {
                        for ip in addrs {
                            let addr = std::net::SocketAddr::new(ip, parsed.port);
                            parsed.addrs.push(crate::upstream::Addr {
                                addr: crate::upstream::PeerAddr::Inet(addr),
                                name: addr.to_string(),
                            });
                        }
                    }
                    Err(err) => {
                        crate::log::error(
                            ctx,
                            LogLevel::Error,
                            &format!("{host} could not be resolved ({err})"),
                        );
                        return Err(502);
                    }
                }
            }
            if parsed.addrs.is_empty() {
                crate::log::error(
                    ctx,
                    LogLevel::Error,
                    &format!(
                        "no resolver defined to resolve {}",
                        String::from_utf8_lossy(&parsed.host)
                    ),
                );
                return Err(502);
            }
            let addrs = parsed
                .addrs
                .iter()
                .map(|a| (a.addr.clone(), a.name.clone()));
            Ok(Target {
                group: Arc::new(Group::resolved(
                    addrs.collect(),
                    String::from_utf8_lossy(&parsed.host).into_owned(),
                )),
                upstream: None,
                vars: Cow::Owned(vars),
                https,
            })
        }
    }
}

/// Why a try failed, with what nginx logs about it.
struct Failure {
    ft: u32,
    level: LogLevel,
    message: String,
    /// nginx's `log->action` when it happened.
    action: &'static str,
}

const CONNECTING: &str = "connecting to upstream";
const SENDING: &str = "sending request to upstream";
const READING_HEADER: &str = "reading response header from upstream";
const HANDSHAKING: &str = "SSL handshaking to upstream";

impl Failure {
    fn new(ft: u32, action: &'static str, message: String) -> Failure {
        Failure {
            ft,
            level: LogLevel::Error,
            message: format!("{message} while {action}"),
            action,
        }
    }

    fn timed_out(action: &'static str) -> Failure {
        Failure::new(
            ft::TIMEOUT,
            action,
            "upstream timed out (110: Connection timed out)".into(),
        )
    }
}

fn io_failure(err: &std::io::Error, syscall: &str, action: &'static str) -> Failure {
    if err.kind() == std::io::ErrorKind::TimedOut {
        return Failure::timed_out(action);
    }
    Failure::new(
        ft::ERROR,
        action,
        format!(
            "{syscall}() failed {}",
            rginx_conf::error::os_error_suffix(err)
        ),
    )
}

/// The status nginx answers with when it gives up after a failure.
fn status_of(ft_type: u32) -> u16 {
    match ft_type {
        ft::TIMEOUT | ft::HTTP_504 => 504,
        ft::HTTP_500 => 500,
        ft::HTTP_503 => 503,
        ft::HTTP_403 => 403,
        ft::HTTP_404 => 404,
        ft::HTTP_429 => 429,
        _ => 502,
    }
}

/// nginx's `ngx_http_upstream_next_errors`.
fn next_error(status: u16) -> Option<u32> {
    Some(match status {
        500 => ft::HTTP_500,
        502 => ft::HTTP_502,
        503 => ft::HTTP_503,
        504 => ft::HTTP_504,
        403 => ft::HTTP_403,
        404 => ft::HTTP_404,
        429 => ft::HTTP_429,
        _ => return None,
    })
}

/// A request's trip through the peers of a group.
struct Trip<'p> {
    conf: &'p ProxyConf,
    selection: Selection,
    /// The chosen peer holds a slot (nginx's `u->peer.sockaddr` is set).
    holding: bool,
    request_sent: bool,
    cached: bool,
    started: Instant,
    /// When the try in progress started.
    tried: Instant,
    non_idempotent: bool,
    streaming: bool,
}

enum Next {
    Retry,
    GiveUp(u16),
}

impl Trip<'_> {
    /// nginx's `ngx_http_upstream_next`.
    fn next(&mut self, ctx: &mut Ctx<'_>, mut ft_type: u32, action: &str) -> Next {
        if self.holding {
            self.holding = false;
            let outcome = if matches!(ft_type, ft::HTTP_403 | ft::HTTP_404) {
                peers::Outcome::Next
            } else {
                peers::Outcome::Failed
            };
            if self.selection.free(outcome) {
                crate::log::error(
                    ctx,
                    LogLevel::Warn,
                    &format!("upstream server temporarily disabled while {action}"),
                );
            }
        }
        if self.cached && ft_type == ft::ERROR {
            self.selection.tries += 1;
        }
        let status = status_of(ft_type);
        if let Some(attempt) = ctx.upstream.as_mut().and_then(|s| s.attempts.last_mut()) {
            attempt.status = status;
        }
        if self.request_sent && self.non_idempotent {
            ft_type |= ft::NON_IDEMPOTENT;
        }
        let mask = self.conf.next_upstream();
        let timeout = self.conf.next_upstream_timeout.filter(|t| !t.is_zero());
        if self.selection.tries == 0
            || mask & ft_type != ft_type
            || (self.request_sent && self.streaming)
            || timeout.is_some_and(|t| self.started.elapsed() >= t)
        {
            return Next::GiveUp(status);
        }
        Next::Retry
    }

    /// nginx's `ngx_http_upstream_test_next`: whether an upstream error
    /// status sends the request to the next peer.
    fn test_next(&self, status: u16) -> Option<u32> {
        let bit = next_error(status)?;
        let mut mask = bit;
        if self.request_sent && self.non_idempotent {
            mask |= ft::NON_IDEMPOTENT;
        }
        let timeout = self.conf.next_upstream_timeout.filter(|t| !t.is_zero());
        (self.selection.tries > 1
            && self.conf.next_upstream() & mask == mask
            && !(self.request_sent && self.streaming)
            && timeout.is_none_or(|t| self.started.elapsed() < t))
        .then_some(bit)
    }

    /// The peer is released without blame (nginx's free with state 0).
    fn release(&mut self) {
        if self.holding {
            self.holding = false;
            self.selection.free(peers::Outcome::Ok);
        }
    }
}

fn finish_attempt(ctx: &mut Ctx<'_>, tried: Instant) {
    if let Some(attempt) = ctx.upstream.as_mut().and_then(|s| s.attempts.last_mut())
        && attempt.response_time.is_none()
    {
        attempt.response_time = Some(tried.elapsed());
    }
}

/// The content phase of a proxied location.
pub async fn content(ctx: &mut Ctx<'_>) -> Outcome {
    let loc = ctx.loc_conf();
    let conf = &loc.proxy;
    let Some(pass) = pass_of(ctx) else {
        return Outcome::status(500, loc);
    };
    let state = ctx.upstream.get_or_insert_with(UpstreamState::default);
    if !state.attempts.is_empty() {
        // A second upstream request of this request (an internal redirect
        // proxied again): nginx separates the two lists.
        state.attempts.push(state::Attempt::default());
    }
    // A variable target may wait for the resolver, a future of a
    // kilobyte: boxed, so that the proxy's future (copied into its box for
    // every request) stays small for the usual static target.
    let target = match &pass.target {
        PassTarget::Static { upstream, vars } => static_target(ctx.http, pass, *upstream, vars),
        PassTarget::Dynamic(_) => Box::pin(target(ctx, pass)).await,
    };
    let target = match target {
        Ok(target) => target,
        Err(status) => return Outcome::status(status, loc),
    };
    if let Some(state) = ctx.upstream.as_mut() {
        state.proxy_host.clone_from(&target.vars.host_header);
        state.proxy_port.clone_from(&target.vars.port);
        state.response = None;
    }
    let mut prepared = match body::prepare(ctx, conf).await {
        Ok(prepared) => prepared,
        Err(outcome) => return *outcome,
    };
    let client_method = ctx.method.clone();
    let method: Cow<'_, [u8]> = match &conf.method {
        Some(template) => Cow::Owned(crate::variables::eval::render(ctx, template)),
        None => Cow::Borrowed(client_method.as_str().as_bytes()),
    };
    let head_request = method.eq_ignore_ascii_case(b"HEAD");
    let Some(uri) = request::uri(ctx, pass, &target.vars) else {
        crate::log::error(ctx, LogLevel::Error, "zero length URI to proxy");
        return Outcome::status(500, loc);
    };
    let head = request::head(ctx, conf, &method, &uri, &prepared);
    let key = match target
        .upstream
        .and_then(|i| ctx.http.upstreams.get(i))
        .map(|u| &u.method)
    {
        Some(Method::Hash { key, .. }) => crate::variables::eval::render(ctx, key),
        _ => Vec::new(),
    };
    let client = ctx.conn.peer.map(|peer| peer.ip());
    let mut selection = Selection::new(target.group.clone(), Inputs { client, key: &key });
    if let Some(limit) = conf.next_upstream_tries.filter(|n| *n != 0)
        && selection.tries as u64 > limit
    {
        selection.tries = usize::try_from(limit).unwrap_or(usize::MAX);
    }
    let started = Instant::now();
    let mut trip = Trip {
        conf,
        selection,
        holding: false,
        request_sent: false,
        cached: false,
        started,
        tried: started,
        non_idempotent: matches!(ctx.method.as_str(), "POST" | "LOCK" | "PATCH"),
        streaming: prepared.streaming(),
    };
    let group = target.group.clone();
    let tls = if target.https {
        let Some(tls) = conf.tls.clone() else {
            // Only a configuration that compiled without TLS for this
            // location could get here; nginx has no such state.
            crate::log::error(
                ctx,
                LogLevel::Error,
                "no TLS configured for an https upstream",
            );
            return Outcome::status(500, loc);
        };
        // nginx's ngx_http_upstream_ssl_name: proxy_ssl_name, else the
        // upstream's host.
        let name = match &conf.ssl.name {
            Some(template) => crate::variables::eval::render(ctx, template),
            None => group.name.as_bytes().to_vec(),
        };
        Some((tls, name))
    } else {
        None
    };
    let scheme = if tls.is_some() { "https://" } else { "http://" };
    let mut first = true;
    loop {
        // ngx_http_upstream_connect; only a retry has an earlier try to
        // finish (and a start of its own to read from the clock).
        if !first {
            finish_attempt(ctx, trip.tried);
            trip.tried = Instant::now();
        }
        first = false;
        trip.request_sent = false;
        trip.cached = false;
        let picked = trip.selection.get();
        let peer_name = picked
            .as_ref()
            .map_or_else(|| group.name.clone(), |p| p.name.clone());
        if let Some(state) = ctx.upstream.as_mut() {
            let separator = match &picked {
                Some(p) if matches!(p.addr, crate::upstream::PeerAddr::Unix(_)) => ":",
                _ => "",
            };
            let uri = String::from_utf8_lossy(&uri);
            let mut target =
                String::with_capacity(scheme.len() + peer_name.len() + separator.len() + uri.len());
            target.push_str(scheme);
            target.push_str(&peer_name);
            target.push_str(separator);
            target.push_str(&uri);
            state.log_target = Some(target);
            state.attempts.push(state::Attempt {
                peer: Some(peer_name),
                ..state::Attempt::default()
            });
        }
        let Some(peer) = picked else {
            crate::log::error(
                ctx,
                LogLevel::Error,
                "no live upstreams while connecting to upstream",
            );
            match trip.next(ctx, ft::NOLIVE, CONNECTING) {
                Next::Retry => continue,
                Next::GiveUp(status) => {
                    finish_attempt(ctx, trip.tried);
                    return Outcome::status(status, loc);
                }
            }
        };
        trip.holding = true;
        let tls_key = tls.as_ref().map(|(tls, name)| TlsKey {
            id: tls.id,
            name: name.clone(),
        });
        let pooled = group
            .pool
            .as_ref()
            .and_then(|pool| pool.take(&peer.addr, tls_key.as_ref()));
        let attempt = match pooled {
            Some(conn) => {
                trip.cached = true;
                Ok(conn)
            }
            None => {
                let upstream_tls = tls
                    .as_ref()
                    .zip(tls_key)
                    .map(|((tls, name), key)| (&**tls, name.as_slice(), key));
                // Boxed for the same reason: connecting (TLS included)
                // is a future of two kilobytes, and a pooled connection
                // needs none.
                Box::pin(connect(&peer.addr, conf, upstream_tls)).await
            }
        };
        let mut conn = match attempt {
            Ok(conn) => conn,
            Err(failure) => {
                crate::log::error(ctx, failure.level, &failure.message);
                match trip.next(ctx, failure.ft, failure.action) {
                    Next::Retry => continue,
                    Next::GiveUp(status) => {
                        finish_attempt(ctx, trip.tried);
                        return Outcome::status(status, loc);
                    }
                }
            }
        };
        if let Some(attempt) = ctx.upstream.as_mut().and_then(|s| s.attempts.last_mut()) {
            attempt.connect_time = Some(trip.tried.elapsed());
        }
        conn.send_timeout = conf.send_timeout();
        conn.requests += 1;
        trip.request_sent = true;
        let sent = body::send(&mut conn, &head, &mut prepared.body).await;
        let failure = match sent {
            Ok(bytes) => {
                if let Some(attempt) = ctx.upstream.as_mut().and_then(|s| s.attempts.last_mut()) {
                    attempt.bytes_sent = bytes;
                }
                None
            }
            Err(body::SendError::Client) => {
                crate::log::error(
                    ctx,
                    LogLevel::Info,
                    "client prematurely closed connection while sending request to upstream",
                );
                trip.release();
                finish_attempt(ctx, trip.tried);
                let mut outcome = Outcome::status(400, loc);
                outcome.close = true;
                return outcome;
            }
            Err(body::SendError::Upstream(err)) => Some(io_failure(&err, "writev", SENDING)),
        };
        let received = match failure {
            Some(failure) => Err(failure),
            None => client::read_head(&mut conn, conf.buffer_size(), conf.read_timeout())
                .await
                .map_err(|err| head_failure(&err)),
        };
        let head = match received {
            Ok(head) => head,
            Err(failure) => {
                crate::log::error(ctx, failure.level, &failure.message);
                match trip.next(ctx, failure.ft, failure.action) {
                    Next::Retry => continue,
                    Next::GiveUp(status) => {
                        finish_attempt(ctx, trip.tried);
                        return Outcome::status(status, loc);
                    }
                }
            }
        };
        if head.http09 {
            crate::log::error(
                ctx,
                LogLevel::Error,
                "upstream sent no valid HTTP/1.0 header while reading response header from upstream",
            );
        }
        if let Some(state) = ctx.upstream.as_mut() {
            if let Some(attempt) = state.attempts.last_mut() {
                let elapsed = trip.tried.elapsed();
                attempt.header_time = Some(elapsed);
                attempt.status = head.status;
                // What was read with the head counts even when the response
                // is not passed on (a retry, an intercepted error), as
                // nginx counts every read.
                attempt.bytes_received = head.wire_len + conn.buf.len() as u64;
                if head.status < 300 {
                    // Passed on at once: the try ends now (one clock read
                    // for both times).
                    attempt.response_time = Some(elapsed);
                }
            }
            state.response = Some(head.clone());
        }
        if head.status >= 300 {
            if let Some(bit) = trip.test_next(head.status) {
                match trip.next(ctx, bit, READING_HEADER) {
                    Next::Retry => continue,
                    Next::GiveUp(status) => {
                        finish_attempt(ctx, trip.tried);
                        return Outcome::status(status, loc);
                    }
                }
            }
            if conf.intercept_errors.unwrap_or(false)
                && loc
                    .error_pages
                    .as_ref()
                    .is_some_and(|pages| pages.iter().any(|p| p.status == head.status))
            {
                trip.release();
                finish_attempt(ctx, trip.tried);
                return Outcome::status(head.status, loc);
            }
        }
        finish_attempt(ctx, trip.tried);
        return respond(ctx, trip, group, peer.addr, conn, head, head_request);
    }
}

fn head_failure(err: &HeadError) -> Failure {
    match err {
        HeadError::Closed => Failure::new(
            ft::ERROR,
            READING_HEADER,
            "upstream prematurely closed connection".into(),
        ),
        HeadError::Io(err) => io_failure(err, "recv", READING_HEADER),
        HeadError::TimedOut => Failure::timed_out(READING_HEADER),
        HeadError::TooBig => Failure::new(
            ft::INVALID_HEADER,
            READING_HEADER,
            "upstream sent too big header".into(),
        ),
        HeadError::Invalid(line) => Failure::new(
            ft::INVALID_HEADER,
            READING_HEADER,
            format!("upstream sent invalid header: \"{line}\""),
        ),
    }
}

/// Connects within `proxy_connect_timeout` and, for an https upstream,
/// makes the TLS handshake within what is left of it (nginx's connect
/// timer runs until the handshake ends).
async fn connect(
    addr: &crate::upstream::PeerAddr,
    conf: &ProxyConf,
    tls: Option<(&UpstreamTls, &[u8], TlsKey)>,
) -> Result<Conn, Failure> {
    let deadline = tokio::time::Instant::now() + conf.connect_timeout();
    // The connect timer becomes the connection's read timer: one timer
    // for a new connection instead of two.
    let mut timer = Box::pin(tokio::time::sleep_until(deadline));
    let connecting = Conn::connect(addr);
    tokio::pin!(connecting);
    let mut conn = tokio::select! {
        biased;
        connected = &mut connecting => match connected {
            Err(err) => return Err(io_failure(&err, "connect", CONNECTING)),
            Ok(conn) => conn,
        },
        () = timer.as_mut() => return Err(Failure::timed_out(CONNECTING)),
    };
    conn.keep_timer(timer);
    if conf.socket_keepalive.unwrap_or(false)
        && let crate::upstream::conn::Socket::Tcp(stream) = &conn.socket
    {
        let _ = nix::sys::socket::setsockopt(stream, nix::sys::socket::sockopt::KeepAlive, &true);
    }
    let Some((tls, name, key)) = tls else {
        return Ok(conn);
    };
    if tls.no_protocols {
        return Err(Failure::new(
            ft::ERROR,
            HANDSHAKING,
            "SSL_do_handshake() failed (SSL: no protocols available)".into(),
        ));
    }
    // A name rustls cannot use (empty, or not a host name): the peer's
    // address stands in; SNI is never sent for an address.
    let server_name = crate::ssl::client::server_name(name).unwrap_or_else(|| match addr {
        crate::upstream::PeerAddr::Inet(inet) => ServerName::IpAddress(inet.ip().into()),
        crate::upstream::PeerAddr::Unix(_) => {
            ServerName::IpAddress(std::net::IpAddr::from([127, 0, 0, 1]).into())
        }
    });
    match tokio::time::timeout_at(deadline, conn.start_tls(&tls.connector, server_name, key)).await
    {
        Err(_) => Err(Failure::timed_out(HANDSHAKING)),
        Ok(Err(err)) => Err(Failure::new(
            ft::ERROR,
            HANDSHAKING,
            crate::ssl::client::handshake_error(&err),
        )),
        Ok(Ok(conn)) => Ok(conn),
    }
}

/// Passes the upstream's response to the client.
fn respond(
    ctx: &mut Ctx<'_>,
    mut trip: Trip<'_>,
    group: Arc<Group>,
    addr: crate::upstream::PeerAddr,
    mut conn: Conn,
    head: client::ResponseHead,
    head_request: bool,
) -> Outcome {
    let loc = ctx.loc_conf();
    let conf = trip.conf;
    if let Some(target) = head
        .accel_redirect
        .as_deref()
        .filter(|_| !conf.ignores(conf::ign::XA_REDIRECT))
        .map(<[u8]>::to_vec)
    {
        trip.release();
        drop(conn);
        if ctx.method != http::Method::HEAD {
            ctx.method = http::Method::GET;
        }
        if target.first() == Some(&b'@') {
            return crate::http_core::request::named_location(ctx, &target);
        }
        return match response::accel_target(&target) {
            Some((uri, args)) => crate::http_core::request::internal_redirect(ctx, uri, args),
            None => Outcome::status(404, loc),
        };
    }
    // The body bytes that came with the head (counted in bytes_received
    // when the head was read); a streamed body adds the rest as it reads.
    // nginx counts the body as read, chunk framing included.
    let attempt = ctx
        .upstream
        .as_mut()
        .and_then(|state| state.attempts.last_mut());
    if let Some(attempt) = attempt {
        attempt.response_length = conn.buf.len() as u64;
    }
    let passed = response::pass(ctx, conf, &head);
    let mut outcome = Outcome {
        status: head.status,
        reason: (!head.http09).then(|| head.reason.clone()),
        content_type: passed.content_type,
        location: passed.location,
        headers: passed.headers,
        header_case: passed.header_case,
        server_tokens: loc.server_tokens.unwrap_or(true),
        ..Outcome::default()
    };
    if head.status == 101
        && ctx.parts.headers.contains_key(http::header::UPGRADE)
        && let Some(upgrade) = ctx.upgrade.take()
    {
        let selection = trip.selection;
        let holding = trip.holding;
        tunnel::spawn(upgrade, conn, conf.read_timeout(), move || {
            let mut selection = selection;
            if holding {
                selection.free(peers::Outcome::Ok);
            }
        });
        return outcome;
    }
    let framing = Framing::of(&head, head_request);
    let keep_alive = !head.connection_close;
    if framing == Framing::Empty {
        let reusable = keep_alive && conn.buf.is_empty();
        if let Some(pool) = group.pool.as_ref().filter(|_| reusable) {
            pool.put(addr, conn);
        }
        trip.release();
        outcome.body = Some(match head.content_length {
            Some(length) if length > 0 => OutBody::Sized(empty_body(), length),
            _ if matches!(head.status, 204 | 304) || head_request => OutBody::Stream(empty_body()),
            _ => OutBody::Full(Bytes::new()),
        });
        return outcome;
    }
    if let Framing::Length(length) = framing
        && conn.buf.len() as u64 == length
    {
        // The whole body came with the head (a small response): it is
        // passed on as it is, and the connection is free at once, as the
        // streamed body would have freed it on its last bytes.
        let body = conn.buf.split().freeze();
        if let Some(pool) = group.pool.as_ref().filter(|_| keep_alive) {
            pool.put(addr, conn);
        }
        trip.release();
        outcome.body = Some(OutBody::Full(body));
        return outcome;
    }
    let owner = BodyOwner {
        pool: group.pool.clone(),
        addr,
        selection: trip.selection,
        holding: trip.holding,
        log: crate::log::detach(ctx),
    };
    // The try lasts until the body ends (nginx's response time).
    let progress = Arc::new(state::BodyProgress::new(trip.tried));
    if let Some(attempt) = ctx.upstream.as_mut().and_then(|s| s.attempts.last_mut()) {
        attempt.response_time = None;
        attempt.streaming = Some(progress.clone());
    }
    let body = UpstreamBody::new(
        conn,
        framing,
        head.connection_close,
        conf.read_timeout(),
        owner,
        progress,
    )
    .boxed();
    outcome.body = Some(match framing {
        Framing::Length(length) => OutBody::Sized(body, length),
        _ => OutBody::Stream(body),
    });
    outcome
}

/// What a streamed response body gives back when it ends: the connection
/// to the keep-alive pool, the peer to its balancer, and errors to the
/// request's error log.
struct BodyOwner {
    pool: Option<Arc<crate::upstream::pool::Pool>>,
    addr: crate::upstream::PeerAddr,
    selection: Selection,
    holding: bool,
    log: crate::log::Detached,
}

impl client::Owner for BodyOwner {
    fn end(mut self, end: End) {
        if let (
            End::Complete {
                conn,
                reusable: true,
            },
            Some(pool),
        ) = (end, &self.pool)
        {
            pool.put(self.addr, conn);
        }
        if self.holding {
            self.selection.free(peers::Outcome::Ok);
        }
    }

    fn error(&self, level: LogLevel, message: &str) {
        self.log.error(level, message);
    }
}

fn empty_body() -> crate::serve::handler::Body {
    http_body_util::Empty::<Bytes>::new()
        .map_err(|never| match never {})
        .boxed()
}

/// A check for the http block's end: the first `proxy_*` buffer setting
/// nginx's merge refuses.
pub fn check_merged(
    servers: &[crate::http_core::Server],
    end: &rginx_conf::Loc,
) -> Option<rginx_conf::ConfError> {
    conf::first_merge_error(servers).map(|error| conf::merge_error_at(error, end))
}
