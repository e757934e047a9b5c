//! The request path up to the content phase: server selection (listen
//! address, then Host), URI normalisation, location search, and the
//! response outcome handed back to the connection layer.

use super::header_filter;
use super::location::LocationBuild;
use super::uri;
use super::{Address, HttpConf, LocConf, Server};
use crate::Config;
use crate::serve::handler::{Body, ConnInfo};
use crate::variables::UserKind;
use bytes::Bytes;
use http::request::Parts;
use http::{HeaderName, HeaderValue, Method, Version};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::net::SocketAddr;
use std::time::Instant;

/// What rginx needs of a request head, taken from hyper's parts.
#[derive(Debug)]
pub struct RequestHead {
    pub method: Method,
    pub version: Version,
    /// The request target from its path on, as sent (`$request_uri`).
    pub target: Bytes,
    /// The whole request target as sent (in `$request`).
    pub raw_target: Bytes,
    /// From the absolute-form target, if any (it overrides Host).
    pub target_host: Option<Vec<u8>>,
    pub host_header: Option<HeaderValue>,
    pub host_header_count: usize,
    pub keep_alive: bool,
    /// The head as the HTTP/1 codec received it (`None` for HTTP/2).
    pub raw: Option<crate::serve::RawRequest>,
}

impl RequestHead {
    pub fn from_parts(parts: &Parts, raw: Option<crate::serve::RawRequest>) -> RequestHead {
        let raw_target = match raw.as_ref().and_then(crate::serve::RawRequest::target) {
            Some(raw) => raw,
            // HTTP/2 has no request line: nginx's `$request` shows the
            // :path (the :scheme and :authority are not part of it).
            None if parts.version == Version::HTTP_2 => parts
                .uri
                .path_and_query()
                .map_or(Bytes::from_static(b"/"), |pq| {
                    Bytes::copy_from_slice(pq.as_str().as_bytes())
                }),
            None => Bytes::from(parts.uri.to_string()),
        };
        // nginx's unparsed URI starts at the path, also in an absolute-form
        // target (`GET http://host/path`).
        let target = if raw_target.first() == Some(&b'/') {
            raw_target.clone()
        } else {
            let after_scheme = raw_target
                .windows(3)
                .position(|w| w == b"://")
                .map_or(0, |at| at + 3);
            match raw_target[after_scheme..].iter().position(|&b| b == b'/') {
                Some(at) => raw_target.slice(after_scheme + at..),
                None => Bytes::from_static(b"/"),
            }
        };
        let mut hosts = super::headers_in::all(&parts.headers, &http::header::HOST);
        let host_header = hosts.next().cloned();
        let host_header_count = usize::from(host_header.is_some()) + hosts.count();
        let connection_has = |token: &str| {
            super::headers_in::all(&parts.headers, &http::header::CONNECTION)
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|t| t.trim().eq_ignore_ascii_case(token))
        };
        let keep_alive = match parts.version {
            Version::HTTP_10 => connection_has("keep-alive"),
            Version::HTTP_11 => !connection_has("close"),
            _ => true,
        };
        RequestHead {
            raw_target,
            method: parts.method.clone(),
            version: parts.version,
            target,
            target_host: match &raw {
                Some(raw) => raw.target_host().map(<[u8]>::to_vec),
                None => parts.uri.host().map(|h| h.as_bytes().to_vec()),
            },
            host_header,
            host_header_count,
            keep_alive,
            raw,
        }
    }
}

/// A response body.
pub enum OutBody {
    /// In memory.
    Full(Bytes),
    /// A stream whose length is known (`Content-Length` is sent).
    Sized(Body, u64),
    /// A stream of unknown length (chunked on HTTP/1.1).
    Stream(Body),
}

impl std::fmt::Debug for OutBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutBody::Full(bytes) => write!(f, "Full({} bytes)", bytes.len()),
            OutBody::Sized(_, len) => write!(f, "Sized({len} bytes)"),
            OutBody::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl OutBody {
    /// The length, when known before sending.
    pub fn known_len(&self) -> Option<u64> {
        match self {
            OutBody::Full(bytes) => Some(bytes.len() as u64),
            OutBody::Sized(_, len) => Some(*len),
            OutBody::Stream(_) => None,
        }
    }
}

/// What the request came to: a status, maybe a body, headers.
#[derive(Debug, Default)]
pub struct Outcome {
    pub status: u16,
    /// The reason phrase of a proxied response's status line (nginx passes
    /// the upstream's); `None`: nginx's phrase for the status.
    pub reason: Option<Bytes>,
    /// `None`: nginx's built-in page for the status, if it has one.
    pub body: Option<OutBody>,
    pub content_type: Option<String>,
    /// `Last-Modified` (sent before `Connection`, as nginx does).
    pub last_modified: Option<HeaderValue>,
    /// `Location` (sent before `Connection`, as nginx does).
    pub location: Option<HeaderValue>,
    /// Every other header, in order, sent after `Connection` (`ETag`,
    /// `Accept-Ranges`, `Expires`, `add_header`s ...).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// How to spell header names that nginx writes as it got them rather
    /// than in its usual capitalisation (`add_header x-name` as
    /// configured); names not listed get rginx's spelling.
    pub header_case: Vec<Bytes>,
    /// Close the connection after this response.
    pub close: bool,
    /// `server_tokens` in force where the request ended.
    pub server_tokens: bool,
    /// HEAD: send the headers only.
    pub head_only: bool,
    /// `return 444`: close the connection without a response.
    pub abort: bool,
    /// `Keep-Alive: timeout=N` (sent after Connection when keeping alive).
    pub keepalive_header: Option<u64>,
    /// Append nginx's MSIE/Chrome padding to the built-in error page.
    pub msie_padding: bool,
    /// A handler's internal redirect, performed by the phase engine.
    pub redirect: Option<super::phases::Redirect>,
    /// The headers filter (`add_header`, `expires`) already ran.
    pub headers_filtered: bool,
    /// The body is nginx's built-in page for the status (a special
    /// response: no `100 Continue` goes before it).
    pub special_response: bool,
    /// Close the connection after this response although its header says
    /// keep-alive (nginx's keep-alive decisions made after the header).
    pub close_after: bool,
    /// The access-log lines, waiting for the response to be sent.
    pub log: Option<crate::log::pending::PendingLog>,
    /// The lingering, send and rate settings of the location the request
    /// ended in, for the codec (`None`: it never reached a server).
    pub tuning: Option<super::limits::Tuning>,
}

impl Outcome {
    /// A response with nginx's built-in page for `status`.
    pub fn status(status: u16, conf: &LocConf) -> Outcome {
        Outcome {
            status,
            server_tokens: conf.server_tokens.unwrap_or(true),
            close: matches!(status, 400 | 408 | 413 | 414 | 494..=497 | 500 | 501),
            ..Outcome::default()
        }
    }

    /// A response with the given body and content type.
    pub fn with_body(
        status: u16,
        conf: &LocConf,
        body: OutBody,
        content_type: Option<String>,
    ) -> Outcome {
        Outcome {
            status,
            body: Some(body),
            content_type,
            server_tokens: conf.server_tokens.unwrap_or(true),
            ..Outcome::default()
        }
    }
}

/// Offsets of a regex match's groups in its subject (`None`: group unset).
pub type Offsets = Vec<Option<(usize, usize)>>;

/// What the log phase and `$status`-like variables know of the response.
#[derive(Clone, Debug, Default)]
pub struct ResponseInfo {
    pub status: u16,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body_bytes: u64,
    pub bytes: u64,
    pub complete: bool,
}

/// One request while rginx works on it: what variables read and phases
/// change.
pub struct Ctx<'a> {
    pub config: &'a Config,
    pub http: &'a HttpConf,
    pub conn: &'a ConnInfo,
    pub parts: &'a Parts,
    pub head: &'a RequestHead,
    pub server: &'a Server,
    /// The location the request is in, once found.
    pub location: Option<&'a LocationBuild>,
    /// `$uri`, changed by rewrites and internal redirects.
    pub uri: Vec<u8>,
    /// `$args`.
    pub args: Option<Vec<u8>>,
    /// The validated Host (or absolute-form host), lowercased.
    pub host: Option<Vec<u8>>,
    /// The subject and offsets of the last regex match (`$1`..`$9`).
    pub captures: Option<(Vec<u8>, Offsets)>,
    /// Values of `set` variables and named captures, by variable id.
    pub slots: Vec<Option<Vec<u8>>>,
    pub started: Instant,
    pub connection_requests: u64,
    pub response: Option<ResponseInfo>,
    /// The method phases see (`error_page` turns it into GET).
    pub method: Method,
    /// The request reached its location by an internal redirect.
    pub internal: bool,
    /// An `error_page` already redirected this request.
    pub error_page_used: bool,
    /// Location searches and internal redirects left (nginx's uri_changes).
    uri_changes: u8,
    /// The request body, until a handler takes it (the proxy streams it).
    pub body: Option<crate::serve::RequestBody>,
    /// The connection's upgrade (WebSocket), for a handler that tunnels.
    pub upgrade: Option<crate::serve::Upgrade>,
    /// The proxy's trips upstream (`$upstream_*`, `$proxy_host`).
    pub upstream: Option<crate::proxy::UpstreamState>,
    request_id: OnceCell<String>,
    /// The client address in force (`$remote_addr`, allow/deny, geo,
    /// logs): the peer's, or the one the realip module put in its place;
    /// `None` for a unix-domain client.
    pub client: Option<SocketAddr>,
    /// The realip module replaced the address (it does so once).
    pub realip_set: bool,
    /// `WWW-Authenticate` values auth_basic added to the response.
    pub www_authenticate: Vec<HeaderValue>,
    /// The find-config phase ran (nginx checks its keep-alive limits
    /// there; a request answered before it skips them).
    pub location_searched: bool,
}

impl<'a> Ctx<'a> {
    /// The location-level settings in force.
    pub fn loc_conf(&self) -> &'a LocConf {
        match self.location {
            Some(location) => &location.conf,
            None => &self.server.conf,
        }
    }

    /// Counts one location search or internal redirect; `false` (after
    /// logging nginx's message) when the request is in a redirection cycle.
    pub fn count_uri_change(&mut self) -> bool {
        self.uri_changes = self.uri_changes.saturating_sub(1);
        if self.uri_changes == 0 {
            crate::log::error(
                self,
                crate::core_main::LogLevel::Error,
                &format!(
                    "rewrite or internal redirection cycle while processing \"{}\"",
                    String::from_utf8_lossy(&self.uri)
                ),
            );
            return false;
        }
        true
    }

    /// nginx's `ngx_http_set_content_type`: the type of `$uri`'s extension
    /// from `types`, else `default_type`.
    pub fn mime_type(&self) -> String {
        let conf = self.loc_conf();
        let last_segment = self.uri.rsplit(|&b| b == b'/').next().unwrap_or_default();
        let extension = last_segment
            .iter()
            .rposition(|&b| b == b'.')
            .map(|dot| &last_segment[dot + 1..]);
        let found = extension.and_then(|ext| conf.types.as_ref().and_then(|t| t.lookup(ext)));
        match found.or(conf.default_type.as_ref()) {
            Some(mime) => mime.lossy().into_owned(),
            None => "text/plain".to_string(),
        }
    }

    /// `$n` of the last regex match.
    pub fn capture(&self, n: usize) -> Option<&[u8]> {
        let (subject, offsets) = self.captures.as_ref()?;
        let (start, end) = (*offsets.get(n)?)?;
        subject.get(start..end)
    }

    /// Remembers a regex match for `$1`..`$9` and its named captures.
    pub fn set_captures(
        &mut self,
        subject: &[u8],
        offsets: Vec<Option<(usize, usize)>>,
        names: &[Option<String>],
    ) {
        for (i, name) in names.iter().enumerate() {
            let Some(name) = name else { continue };
            let Some(id) = self
                .http
                .variables
                .user
                .iter()
                .position(|v| v.name == *name)
            else {
                continue;
            };
            let value = offsets
                .get(i)
                .copied()
                .flatten()
                .and_then(|(start, end)| subject.get(start..end))
                .map(<[u8]>::to_vec);
            if let Some(slot) = self.slots.get_mut(id) {
                *slot = value;
            }
        }
        self.captures = Some((subject.to_vec(), offsets));
    }

    /// The value of a configuration-defined variable.
    pub fn user_value(&self, id: usize) -> Option<Cow<'_, [u8]>> {
        match self.http.variables.user.get(id)?.kind.as_ref()? {
            UserKind::Slot => self.slots.get(id)?.as_deref().map(Cow::Borrowed),
            UserKind::Computed {
                module: "map",
                index,
            } => {
                let map = self.http.maps.get(*index)?;
                Some(Cow::Owned(crate::map::evaluate(self, map)))
            }
            UserKind::Computed {
                module: "split_clients",
                index,
            } => {
                let split = self.http.split_clients.get(*index)?;
                Some(Cow::Owned(crate::split_clients::evaluate(self, split)))
            }
            UserKind::Computed {
                module: "geo",
                index,
            } => {
                let geo = self.http.geos.get(*index)?;
                Some(Cow::Owned(crate::geo::evaluate(self, geo)))
            }
            UserKind::Computed { .. } => None,
        }
    }

    /// `$request_length`: the request line and headers as received.
    pub fn request_length(&self) -> u64 {
        let line = self.head.method.as_str().len() + 1 + self.head.target.len() + 1 + 8 + 2;
        let headers: usize = self
            .parts
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + 2 + value.len() + 2)
            .sum();
        (line + headers + 2) as u64
    }

    /// `$request_id`: 16 random bytes in hex, fixed for the request.
    pub fn request_id(&self) -> String {
        self.request_id
            .get_or_init(|| {
                let mut bytes = [0u8; 16];
                if getrandom_bytes(&mut bytes).is_err() {
                    let nanos = self.started.elapsed().as_nanos();
                    bytes = nanos.to_le_bytes();
                }
                bytes.iter().map(|b| format!("{b:02x}")).collect()
            })
            .clone()
    }
}

fn getrandom_bytes(buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}

/// Runs a request through routing and the phases.
pub async fn process(
    config: &Config,
    conn: &ConnInfo,
    parts: &Parts,
    head: &RequestHead,
    body: crate::serve::RequestBody,
    upgrade: Option<crate::serve::Upgrade>,
) -> Box<Outcome> {
    let Some(http) = &config.http else {
        return Box::default();
    };
    let Some(address) = find_address(http, conn) else {
        return Box::new(Outcome::status(500, &LocConf::default()));
    };
    let default_server = &http.servers[address.entry.default_server];
    // A request refused before it has a server and a URI is answered (and
    // logged) in the default server, with the raw target as its URI.
    let host = host_of(head);
    let found = host
        .as_ref()
        .ok()
        .and_then(|host| host.as_deref())
        .and_then(|host| address.names.find_with_match(host));
    let (server, name_match) = match found {
        Some((i, name_match)) => (&http.servers[i], name_match),
        None => (default_server, None),
    };
    // A request the codec refused (nginx's errors while reading the head)
    // has no URI either.
    let early = parts.extensions.get::<crate::serve::Refused>();
    let uri = match &host {
        Ok(_) if early.is_none() => {
            uri::normalise(&head.target, server.merge_slashes.unwrap_or(true))
        }
        _ => None,
    };
    let refused = uri.is_none();
    let (path, args) = match uri {
        Some(uri) => (uri.path, uri.args),
        None => (head.target.to_vec(), None),
    };
    let mut ctx = Ctx {
        config,
        http,
        conn,
        parts,
        head,
        server: if host.is_err() {
            default_server
        } else {
            server
        },
        location: None,
        uri: path,
        args,
        host: host.unwrap_or(None),
        captures: None,
        slots: vec![None; http.variables.slot_count()],
        started: Instant::now(),
        connection_requests: conn.requests(),
        response: None,
        method: head.method.clone(),
        internal: false,
        error_page_used: false,
        uri_changes: super::phases::URI_CHANGES,
        body: Some(body),
        upgrade,
        upstream: None,
        request_id: OnceCell::new(),
        client: conn.peer,
        realip_set: false,
        www_authenticate: Vec::new(),
        location_searched: false,
    };
    if let (Some((regex, offsets)), Some(host)) = (name_match, ctx.host.clone()) {
        ctx.set_captures(&host, offsets, &regex.capture_names);
    }
    let mut outcome = if let Some(early) = early {
        crate::log::error(&ctx, crate::core_main::LogLevel::Info, &early.message);
        let mut outcome = if early.respond {
            super::phases::finalize(&mut ctx, early.status).await
        } else {
            // The client left or timed out: logged, not answered.
            Box::new(Outcome {
                status: early.status,
                abort: true,
                ..Outcome::status(early.status, &ctx.server.conf)
            })
        };
        // nginx refuses these before its keep-alive decision is made.
        outcome.close = true;
        outcome
    } else if refused {
        Box::new(Outcome::status(400, &ctx.server.conf))
    } else if conn.plain_on_tls {
        crate::log::error(
            &ctx,
            crate::core_main::LogLevel::Info,
            "client sent plain HTTP request to HTTPS port",
        );
        super::phases::finalize(&mut ctx, 497).await
    } else if let Some((status, message)) = crate::ssl::verify::check_request(&ctx) {
        // ssl_verify_client: nginx refuses before the phases (495/496).
        crate::log::error(&ctx, crate::core_main::LogLevel::Info, &message);
        super::phases::finalize(&mut ctx, status).await
    } else {
        crate::realip::post_read(&mut ctx);
        super::phases::run(&mut ctx).await
    };
    crate::auth::add_challenges(&ctx, &mut outcome);
    if !outcome.headers_filtered {
        crate::headers_filter::apply(&ctx, &ctx.loc_conf().static_files.headers, &mut outcome);
    }
    crate::charset::filter(&ctx, &mut outcome);
    crate::gzip::filter(&ctx, &mut outcome);
    header_filter::absolute_location(&ctx, &mut outcome);
    // nginx's keepalive_time, checked with the other keep-alive limits
    // when the location is found.
    if ctx.location_searched && conn.started.elapsed() > ctx.loc_conf().limits.keepalive_time() {
        outcome.close = true;
    }
    header_filter::keepalive(&ctx, &mut outcome);
    header_filter::msie_padding(&ctx, &mut outcome);
    header_filter::status_headers(&mut outcome);
    header_filter::builtin_page(&mut outcome);
    if head.method == Method::HEAD {
        outcome.head_only = true;
    }
    ctx.response = Some(header_filter::response_info(
        &outcome,
        http.variables.sent_headers_used,
    ));
    // The codec writes the response and closes the connection with the
    // settings of the location the request ended in.
    outcome.tuning = Some(ctx.loc_conf().limits.tuning());
    // nginx counts an interim `100 Continue` in the bytes it sent.
    let mut extra = 0;
    if let (Some(expect), Some(info)) = (
        parts.extensions.get::<crate::serve::ExpectContinue>(),
        ctx.response.as_mut(),
    ) && (expect.sent() || !outcome.special_response)
    {
        extra = crate::serve::ExpectContinue::LEN;
        info.body_bytes += extra;
        info.bytes += extra;
    }
    let log = crate::log::log_request(&ctx, extra);
    if outcome.abort {
        // Nothing will be sent.
        log.finish(crate::log::pending::Sent {
            body: 0,
            head: Some(0),
        });
    } else if !log.is_empty() {
        outcome.log = Some(log);
    }
    outcome
}

/// The default server of the address a connection came in on: its
/// settings govern the connection before a request names its server.
pub fn default_server<'a>(config: &'a Config, conn: &ConnInfo) -> Option<&'a Server> {
    let http = config.http.as_ref()?;
    let address = find_address(http, conn)?;
    http.servers.get(address.entry.default_server)
}

/// The address entry a connection belongs to: its listening socket's, or,
/// for a wildcard socket shared with specific addresses, the entry of the
/// address the client actually connected to.
pub fn find_address<'a>(http: &'a HttpConf, conn: &ConnInfo) -> Option<&'a Address> {
    // A connection's address entry never changes: found once per
    // connection rather than per request.
    let index = *conn
        .address_index
        .get_or_init(|| lookup_address(http, conn).map(|found| found.0));
    http.addresses.get(index?)
}

fn lookup_address<'a>(http: &'a HttpConf, conn: &ConnInfo) -> Option<(usize, &'a Address)> {
    if let (Some(local), super::listen::ListenAddr::Inet(listen)) = (conn.local, &conn.listen)
        && listen.ip().is_unspecified()
    {
        let specific = http.addresses.iter().enumerate().find(|(_, a)| {
            matches!(&a.entry.addr, super::listen::ListenAddr::Inet(addr) if same_socket(*addr, local))
        });
        if let Some(found) = specific {
            return Some(found);
        }
    }
    http.addresses
        .iter()
        .enumerate()
        .find(|(_, a)| a.entry.addr == conn.listen)
}

fn same_socket(a: SocketAddr, b: SocketAddr) -> bool {
    let normal = |s: SocketAddr| match s {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(v4.into(), v6.port()),
            None => s,
        },
        v4 => v4,
    };
    normal(a) == normal(b)
}

/// The validated host of the request (absolute-form target first, then
/// Host); `Err` for a request nginx answers with 400.
fn host_of(head: &RequestHead) -> Result<Option<Vec<u8>>, ()> {
    if head.host_header_count > 1 {
        return Err(());
    }
    if let Some(host) = &head.target_host {
        return uri::validate_host(host).map(Some).ok_or(());
    }
    match &head.host_header {
        Some(host) => uri::validate_host(host.as_bytes()).map(Some).ok_or(()),
        None if head.version == Version::HTTP_11 => Err(()),
        None => Ok(None),
    }
}

pub use super::phases::{Flow, find_config, internal_redirect, named_location};
