//! A worker process's serving side: it builds its own tokio runtime (after
//! the fork), adopts the listening sockets the master bound, and serves the
//! configuration it was forked with until told to stop.
//!
//! Signals a worker obeys, as nginx's workers do: QUIT = stop accepting and
//! finish what is in flight (bounded by `worker_shutdown_timeout`), TERM/INT =
//! exit at once, USR1 = reopen log files.

pub mod answer;
mod connection;
mod h1;
pub mod handler;
pub mod proxy_protocol;

use bytes::Bytes;
use std::future::Future;
use std::pin::Pin;
use tokio::io::{AsyncRead, AsyncWrite};

/// The request head exactly as the HTTP/1 codec received it, handed to
/// the handler with the request (`RequestHead::raw`): the request line as sent (`$request`), its
/// protocol part (`HTTP/1.10`; empty for HTTP/0.9), the target (fragment
/// and all; `$request_uri`), and the header lines with their names'
/// spelling and order, which the proxy passes on as nginx does (a
/// HeaderMap has lowercase names and groups values by name).
#[derive(Clone, Debug, Default)]
pub struct RawRequest {
    /// The bytes the offsets below index.
    pub head: Bytes,
    pub line: std::ops::Range<usize>,
    pub protocol: std::ops::Range<usize>,
    /// `None`: the request line never came whole.
    pub target: Option<std::ops::Range<usize>>,
    /// The host of an absolute-form target (`GET http://host/path`).
    pub host: Option<std::ops::Range<usize>>,
    /// Each kept header line, in the order received.
    pub lines: Vec<HeaderRange>,
}

/// Where a header line's name and value are in a request head.
#[derive(Clone, Debug, Default)]
pub struct HeaderRange {
    pub name: std::ops::Range<usize>,
    pub value: std::ops::Range<usize>,
}

impl RawRequest {
    pub fn line(&self) -> &[u8] {
        self.head.get(self.line.clone()).unwrap_or_default()
    }

    pub fn protocol(&self) -> &[u8] {
        self.head.get(self.protocol.clone()).unwrap_or_default()
    }

    /// The target as its own bytes (sharing the head's memory).
    pub fn target(&self) -> Option<Bytes> {
        let range = self.target.clone()?;
        (range.end <= self.head.len()).then(|| self.head.slice(range))
    }

    /// The host of an absolute-form target.
    pub fn target_host(&self) -> Option<&[u8]> {
        self.head.get(self.host.clone()?)
    }

    /// Each header line's name and value, in the order received.
    pub fn header_lines(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.lines.iter().filter_map(|line| {
            Some((
                self.head.get(line.name.clone())?,
                self.head.get(line.value.clone())?,
            ))
        })
    }
}

/// A request the codec refused before it was whole, as nginx refuses it
/// before any phase: the request goes to the log phase only, answered with
/// `status` (400, 405, 414, 494, 501, 505; none when `respond` is false: a
/// client that went away or timed out gets no answer, only its log line).
/// `message` is what nginx logs at the `info` level.
#[derive(Clone, Debug)]
pub struct Refused {
    pub status: u16,
    pub message: String,
    pub respond: bool,
}

/// Put in a request's extensions by a codec when a chunked body came
/// whole with the head. nginx's discard of such a body (before `return`
/// answers) leaves its length at 0, so `$content_length` says `0`.
#[derive(Clone, Copy, Debug)]
pub struct ChunkedBodyPreread;

/// Put in a request's extensions by a codec when the client waits for
/// `100 Continue` (HTTP/1.1 `Expect: 100-continue`): set once the interim
/// response is on its way, as nginx counts its bytes in `$bytes_sent`.
#[derive(Clone, Debug, Default)]
pub struct ExpectContinue(pub std::sync::Arc<std::sync::atomic::AtomicBool>);

impl ExpectContinue {
    /// The length of `HTTP/1.1 100 Continue` CR LF CR LF.
    pub const LEN: u64 = 25;

    pub fn sent(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }

    pub fn mark_sent(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Release);
    }
}

/// A request body as handlers see it, whatever HTTP codec read it.
pub type RequestBody = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

/// A byte stream after a protocol switch (101), for tunnels.
pub trait UpgradedStream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> UpgradedStream for T {}

/// The client side of a connection once the response to an `Upgrade`
/// request has been sent.
pub struct Upgrade {
    inner: UpgradeFuture,
}

type UpgradeFuture = Pin<Box<dyn Future<Output = std::io::Result<Box<dyn UpgradedStream>>> + Send>>;

impl Upgrade {
    pub fn from_future(
        future: impl Future<Output = std::io::Result<Box<dyn UpgradedStream>>> + Send + 'static,
    ) -> Upgrade {
        Upgrade {
            inner: Box::pin(future),
        }
    }

    /// Resolves once the 101 response is on the wire.
    pub async fn into_stream(self) -> std::io::Result<Box<dyn UpgradedStream>> {
        self.inner.await
    }
}

impl std::fmt::Debug for Upgrade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Upgrade")
    }
}

use crate::Config;
use crate::http_core::listen::ListenAddr;
use std::sync::Arc;
use std::time::Duration;

/// A socket bound by the master, inherited across fork.
#[derive(Debug)]
pub enum ListenSocket {
    Tcp(std::net::TcpListener),
    Unix(std::os::unix::net::UnixListener),
}

/// One listening socket and the address it serves (the key into
/// `HttpConf::addresses`).
#[derive(Debug)]
pub struct Listener {
    pub addr: ListenAddr,
    pub socket: ListenSocket,
}

/// Everything a worker needs; created by the master before fork.
pub struct WorkerContext {
    pub config: Arc<Config>,
    pub listeners: Vec<Listener>,
    /// 0-based worker number (nginx's `ngx_worker`).
    pub worker_index: usize,
}

/// Runs a worker until it is told to stop; returns the process exit code.
/// Must be called in a process that has no other threads yet (right after
/// fork), since it creates the runtime.
pub fn run_worker(context: WorkerContext) -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("rginx: [emerg] worker could not start its event loop: {err}");
            return 2;
        }
    };
    runtime.block_on(connection::serve(context))
}

/// How long a draining worker keeps an idle connection open for a request
/// that may already be on its way.
pub const DRAIN_GRACE: Duration = Duration::from_millis(1000);

/// How long a draining worker waits when `worker_shutdown_timeout` is unset:
/// nginx waits for in-flight requests without bound; rginx does too, but
/// polls at this interval.
pub const DRAIN_POLL: Duration = Duration::from_millis(50);
