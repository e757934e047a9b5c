//! One request, from hyper's parsed head to the response: pick the server
//! (address, then Host), normalise the URI, find the location, run the
//! phases, and dress the response as nginx does (`Server`, `Date`,
//! `Connection`, status line reason).

use crate::Config;
use crate::http_core::listen::ListenAddr;
use crate::http_core::request::{self, OutBody, Outcome, RequestHead};
use crate::http_core::special_response;
use crate::log::pending::{PendingLog, Sent};
use crate::serve::answer::{Answer, AnswerBody, AnswerHead};
use bytes::Bytes;
use http::header::{self, HeaderName, HeaderValue};
use http::{Request, Response, Version};
use http_body_util::BodyExt;
use http_body_util::combinators::BoxBody;
use hyper::body::Incoming;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Response bodies of every kind rginx sends.
pub type Body = BoxBody<Bytes, std::io::Error>;

/// State shared by every connection of a worker.
pub struct Shared {
    pub config: Arc<Config>,
    pub active_connections: AtomicUsize,
    connection_counter: AtomicU64,
    /// The worker is shutting down gracefully: every response closes its
    /// connection.
    pub draining: std::sync::atomic::AtomicBool,
}

impl Shared {
    pub fn new(config: Arc<Config>) -> Shared {
        Shared {
            config,
            active_connections: AtomicUsize::new(0),
            connection_counter: AtomicU64::new(0),
            draining: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// nginx's `$connection`: a serial number per worker.
    pub fn next_connection_number(&self) -> u64 {
        self.connection_counter.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// USR1: reopen log files (access and error logs).
    pub fn reopen_logs(&self) {
        crate::log::reopen(&self.config);
    }
}

/// What is known about the connection a request came on.
#[derive(Debug)]
pub struct ConnInfo {
    /// The listening address (the key of its `Address` entry).
    pub listen: ListenAddr,
    pub peer: Option<SocketAddr>,
    pub local: Option<SocketAddr>,
    pub number: u64,
    pub started: std::time::Instant,
    /// Requests served on this connection so far (`$connection_requests`).
    pub requests: AtomicU64,
    /// Responses not yet fully sent.
    pub in_flight: AtomicUsize,
    /// When the last response finished, in ms since `started`.
    pub idle_since_ms: AtomicU64,
    /// The TLS handshake, on a TLS port (`$https`, `$ssl_*`).
    pub tls: Option<crate::ssl::accept::TlsInfo>,
    /// A plain HTTP request came to a TLS port (nginx's 497).
    pub plain_on_tls: bool,
    /// `$http2`: `h2` or `h2c` when the connection speaks HTTP/2.
    pub http2: Option<&'static str>,
    /// The addresses of the connection's PROXY header (`listen ...
    /// proxy_protocol`; `None` without one or when it names none).
    pub proxy_protocol: Option<super::proxy_protocol::ProxyAddrs>,
    /// The peer's address as text (`$remote_addr` of every request on the
    /// connection), written when first asked for.
    peer_text: std::sync::OnceLock<String>,
    /// The index of the connection's entry in its configuration's address
    /// table (`request::find_address`), found on first use.
    pub address_index: std::sync::OnceLock<Option<usize>>,
}

impl ConnInfo {
    pub fn tcp(listen: ListenAddr, peer: SocketAddr, local: Option<SocketAddr>) -> ConnInfo {
        ConnInfo {
            listen,
            peer: Some(peer),
            local,
            number: 0,
            started: std::time::Instant::now(),
            requests: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(0),
            tls: None,
            plain_on_tls: false,
            http2: None,
            proxy_protocol: None,
            peer_text: std::sync::OnceLock::new(),
            address_index: std::sync::OnceLock::new(),
        }
    }

    pub fn unix(listen: ListenAddr) -> ConnInfo {
        ConnInfo {
            listen,
            peer: None,
            local: None,
            number: 0,
            started: std::time::Instant::now(),
            requests: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(0),
            tls: None,
            plain_on_tls: false,
            http2: None,
            proxy_protocol: None,
            peer_text: std::sync::OnceLock::new(),
            address_index: std::sync::OnceLock::new(),
        }
    }

    /// Gives the connection its number; from here on it counts as an
    /// active connection until dropped.
    pub fn numbered(mut self, number: u64) -> ConnInfo {
        self.number = number;
        crate::stats::get().connection_opened();
        self
    }

    /// The peer's address as nginx prints it (`unix:` for a Unix socket).
    pub fn peer_text(&self) -> &str {
        self.peer_text.get_or_init(|| match self.peer {
            Some(peer) => crate::realip::addr_text(peer.ip()),
            None => "unix:".to_string(),
        })
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// How long the connection has been idle (no response in flight), if
    /// it has served a request and is idle now.
    pub fn idle_for(&self) -> Option<std::time::Duration> {
        if self.in_flight.load(Ordering::Acquire) > 0 || self.requests() == 0 {
            return None;
        }
        let since = self.idle_since_ms.load(Ordering::Acquire);
        let now = self.started.elapsed().as_millis() as u64;
        Some(std::time::Duration::from_millis(now.saturating_sub(since)))
    }
}

impl Drop for ConnInfo {
    fn drop(&mut self) {
        if self.number != 0 {
            crate::stats::get().connection_closed();
        }
    }
}

/// Marks a response in flight until its body is done (dropped).
pub struct InFlight(Arc<ConnInfo>);

impl InFlight {
    fn new(conn: Arc<ConnInfo>) -> InFlight {
        conn.in_flight.fetch_add(1, Ordering::AcqRel);
        crate::stats::get().request_started();
        InFlight(conn)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        crate::stats::get().request_done();
        let now = self.0.started.elapsed().as_millis() as u64;
        self.0.idle_since_ms.store(now, Ordering::Release);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InFlight({})", self.0.number)
    }
}

/// A response body for hyper (HTTP/2) that keeps its connection marked
/// busy until it is sent, and writes the request's access log when it
/// ends or is dropped.
struct Tracked {
    inner: Body,
    log: Option<PendingLog>,
    /// Body bytes handed to hyper so far.
    sent: u64,
    _in_flight: InFlight,
}

impl Tracked {
    fn finish_log(&mut self) {
        if let Some(log) = self.log.take() {
            log.finish(Sent {
                body: self.sent,
                head: None,
            });
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.finish_log();
    }
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, std::io::Error>>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            std::task::Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.sent += data.len() as u64;
                }
            }
            std::task::Poll::Ready(_) => self.finish_log(),
            std::task::Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// hyper's entry point for a request (HTTP/2).
pub async fn handle(
    request: Request<Incoming>,
    conn: Arc<ConnInfo>,
    shared: Arc<Shared>,
) -> Result<Response<Body>, Abort> {
    let (mut parts, body) = request.into_parts();
    let upgrade = parts
        .extensions
        .remove::<hyper::upgrade::OnUpgrade>()
        .map(|on_upgrade| {
            super::Upgrade::from_future(async move {
                let upgraded = on_upgrade.await.map_err(std::io::Error::other)?;
                Ok(Box::new(hyper_util::rt::TokioIo::new(upgraded))
                    as Box<dyn super::UpgradedStream>)
            })
        });
    let body = body.map_err(std::io::Error::other).boxed();
    let answer = respond(parts, None, body, upgrade, conn, shared).await?;
    let (response, log) = answer.answer.into_response();
    Ok(response.map(|inner| {
        Tracked {
            inner,
            log,
            sent: 0,
            _in_flight: answer.in_flight,
        }
        .boxed()
    }))
}

/// An answer and the mark that keeps its connection busy until the codec
/// has sent it (dropped).
#[derive(Debug)]
pub struct Responding {
    /// Boxed: the answer passes through several futures on its way to the
    /// codec, and moving ~500 bytes at each step cost more than the box.
    pub answer: Box<Answer>,
    pub in_flight: InFlight,
}

/// A request from any codec: its head (and the codec's copy as received),
/// its body, the connection's upgrade
/// (a request that asks for a protocol switch), to the response to write.
/// `Err(Abort)`: close the connection without a response (`return 444`, or
/// a request refused with no answer).
pub async fn respond(
    mut parts: http::request::Parts,
    raw: Option<super::RawRequest>,
    body: super::RequestBody,
    upgrade: Option<super::Upgrade>,
    conn: Arc<ConnInfo>,
    shared: Arc<Shared>,
) -> Result<Responding, Abort> {
    let underscores = request::default_server(&shared.config, &conn)
        .is_some_and(|server| server.underscores_in_headers());
    if !underscores {
        drop_underscored_headers(&mut parts.headers);
    }
    let head = RequestHead::from_parts(&parts, raw);
    let keep_alive = head.keep_alive;
    let version = parts.version;
    conn.requests.fetch_add(1, Ordering::Relaxed);
    let in_flight = InFlight::new(conn.clone());
    let outcome = request::process(&shared.config, &conn, &parts, &head, body, upgrade).await;
    if outcome.abort {
        // `return 444`: the codec closes the connection without writing a
        // response.
        return Err(Abort {
            tuning: outcome.tuning,
        });
    }
    let keep_alive = keep_alive && !shared.draining.load(Ordering::Acquire);
    Ok(Responding {
        answer: Box::new(finish(outcome, version, keep_alive)),
        in_flight,
    })
}

/// nginx ignores header lines whose names contain `_` unless
/// `underscores_in_headers on`.
fn drop_underscored_headers(headers: &mut http::HeaderMap) {
    if !headers.keys().any(|name| name.as_str().contains('_')) {
        return;
    }
    let names: Vec<HeaderName> = headers
        .keys()
        .filter(|name| name.as_str().contains('_'))
        .cloned()
        .collect();
    for name in names {
        headers.remove(name);
    }
}

/// The service's error: close the connection without a response.
#[derive(Debug, thiserror::Error)]
#[error("connection closed without a response (444)")]
pub struct Abort {
    /// The settings of the location the request ended in (whether a
    /// timed-out close resets), `None`: the connection's own.
    pub tuning: Option<crate::http_core::limits::Tuning>,
}

/// Turns an outcome into the response on the wire, with nginx's headers in
/// nginx's order: Server, Date, Content-Type, Content-Length, Last-Modified,
/// Location, Connection, then the rest (ETag, Accept-Ranges, add_header...).
fn finish(mut outcome: Box<Outcome>, version: Version, keep_alive: bool) -> Answer {
    let tokens = outcome.server_tokens;
    let status = special_response::wire_status(outcome.status);
    let mut content_type = outcome.content_type.take();
    let body = match outcome.body.take() {
        Some(body) => Some(body),
        None => match special_response::error_page(outcome.status, tokens) {
            Some(mut page) => {
                content_type = Some("text/html".to_string());
                if outcome.msie_padding {
                    page.push_str(special_response::MSIE_PADDING);
                }
                Some(OutBody::Full(Bytes::from(page)))
            }
            // nginx answers a status it has no page for with an empty body.
            None if outcome.status >= 300 && !matches!(outcome.status, 304) => {
                Some(OutBody::Full(Bytes::new()))
            }
            None => None,
        },
    };
    let content_length = body.as_ref().and_then(OutBody::known_len);
    let wire_body = match body {
        _ if outcome.head_only => AnswerBody::Empty,
        None => AnswerBody::Empty,
        Some(OutBody::Full(bytes)) if bytes.is_empty() => AnswerBody::Empty,
        Some(OutBody::Full(bytes)) => AnswerBody::Full(bytes),
        Some(OutBody::Sized(body, _)) | Some(OutBody::Stream(body)) => AnswerBody::Stream(body),
    };
    // nginx's reason phrases, and none at all ("HTTP/1.1 203 ") where
    // nginx has none; a proxied response keeps the upstream's.
    let reason = outcome
        .reason
        .take()
        .filter(|r| hyper::ext::ReasonPhrase::try_from(r.clone()).is_ok());
    // A proxied response passing the upstream's own Server or Date
    // (`proxy_pass_header`) carries it in its header list instead.
    let passes = |name: &HeaderName| outcome.headers.iter().any(|(n, _)| n == name);
    let server = (!passes(&header::SERVER)).then_some(if tokens {
        special_response::RGINX_VER
    } else {
        "rginx"
    });
    let date = if passes(&header::DATE) {
        None
    } else {
        date_now()
    };
    let close = !keep_alive || outcome.close;
    // nginx's header filter: a protocol switch says so.
    let connection =
        (version == Version::HTTP_11 || version == Version::HTTP_10).then_some(if status == 101 {
            "upgrade"
        } else if close {
            "close"
        } else {
            "keep-alive"
        });
    Answer {
        head: AnswerHead {
            status,
            reason,
            server,
            date,
            content_type: content_type.and_then(|t| HeaderValue::from_str(&t).ok()),
            content_length,
            last_modified: outcome.last_modified.take(),
            location: outcome.location.take(),
            connection,
            keep_alive_timeout: outcome.keepalive_header.filter(|_| !close),
            headers: std::mem::take(&mut outcome.headers),
            header_case: std::mem::take(&mut outcome.header_case),
            no_continue: outcome.special_response,
            close_after: outcome.close_after,
        },
        body: wire_body,
        log: outcome.log.take(),
        tuning: outcome.tuning,
    }
}

/// The `Date:` value for now. nginx formats its time strings once a
/// second; formatting per response showed in profiles, so each thread
/// keeps the string of the current second.
fn date_now() -> Option<HeaderValue> {
    use crate::static_files::file::{HttpTimeCache, http_time_value};
    thread_local! {
        static CACHE: HttpTimeCache = const { std::cell::RefCell::new(None) };
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    http_time_value(&CACHE, i64::try_from(now).unwrap_or(i64::MAX))
}
