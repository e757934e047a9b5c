//! Accept loops and connections of a worker (HTTP/1.x, TLS, HTTP/2), with
//! nginx's signals: QUIT drains, TERM/INT stop at once, USR1 reopens logs.

use super::handler::{self, ConnInfo, Shared};
use super::{DRAIN_GRACE, DRAIN_POLL, ListenSocket, WorkerContext};
use crate::ssl::accept::{PortProtocol, TlsPorts};
use bytes::BytesMut;
use hyper::server::conn::http2;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

/// Serves until a stop signal; returns the exit code.
pub async fn serve(context: WorkerContext) -> i32 {
    let shared = Arc::new(Shared::new(context.config.clone()));
    let tls_ports = Arc::new(TlsPorts::build(&context.config));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut accept_tasks = Vec::new();
    for listener in context.listeners {
        let shared = shared.clone();
        let stop_rx = stop_rx.clone();
        let addr = listener.addr.clone();
        let tls_ports = tls_ports.clone();
        match listener.socket {
            ListenSocket::Tcp(socket) => {
                if socket.set_nonblocking(true).is_err() {
                    continue;
                }
                let Ok(socket) = tokio::net::TcpListener::from_std(socket) else {
                    continue;
                };
                let proxy_protocol = super::proxy_protocol::on_socket(&shared.config, &addr);
                accept_tasks.push(tokio::spawn(async move {
                    loop {
                        let Ok((stream, peer)) = socket.accept().await else {
                            // EMFILE and friends: nginx logs and retries later.
                            tokio::time::sleep(DRAIN_POLL).await;
                            continue;
                        };
                        let _ = stream.set_nodelay(true);
                        let local = stream.local_addr().ok();
                        let info = ConnInfo::tcp(addr.clone(), peer, local);
                        let protocol = tls_ports.protocol(&shared.config, &info);
                        if proxy_protocol && super::proxy_protocol::expected(&shared.config, &info)
                        {
                            let tls = matches!(protocol, PortProtocol::Tls(_));
                            let (then_shared, then_stop) = (shared.clone(), stop_rx.clone());
                            spawn_proxy_protocol(stream, info, tls, shared.clone(), move |s, i| {
                                start(s, i, protocol, then_shared, then_stop)
                            });
                            continue;
                        }
                        start(stream, info, protocol, shared.clone(), stop_rx.clone());
                        // One connection per turn, as nginx's `multi_accept
                        // off`: the other workers, woken by the same
                        // readiness, get their share of a burst.
                        tokio::task::yield_now().await;
                    }
                }));
            }
            ListenSocket::Unix(socket) => {
                if socket.set_nonblocking(true).is_err() {
                    continue;
                }
                let Ok(socket) = tokio::net::UnixListener::from_std(socket) else {
                    continue;
                };
                let proxy_protocol = super::proxy_protocol::on_socket(&shared.config, &addr);
                accept_tasks.push(tokio::spawn(async move {
                    loop {
                        let Ok((stream, _)) = socket.accept().await else {
                            tokio::time::sleep(DRAIN_POLL).await;
                            continue;
                        };
                        let info = ConnInfo::unix(addr.clone());
                        if proxy_protocol && super::proxy_protocol::expected(&shared.config, &info)
                        {
                            let (then_shared, then_stop) = (shared.clone(), stop_rx.clone());
                            spawn_proxy_protocol(
                                stream,
                                info,
                                false,
                                shared.clone(),
                                move |s, i| spawn_connection(s, i, then_shared, then_stop),
                            );
                            continue;
                        }
                        spawn_connection(stream, info, shared.clone(), stop_rx.clone());
                    }
                }));
            }
        }
    }

    let (Ok(mut quit), Ok(mut term), Ok(mut int), Ok(mut usr1)) = (
        signal(SignalKind::quit()),
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::user_defined1()),
    ) else {
        eprintln!("rginx: [emerg] worker could not install its signal handlers");
        return 2;
    };
    loop {
        tokio::select! {
            _ = quit.recv() => break,
            _ = term.recv() => return 0,
            _ = int.recv() => return 0,
            _ = usr1.recv() => shared.reopen_logs(),
        }
    }

    // Graceful: stop accepting, let connections finish.
    for task in &accept_tasks {
        task.abort();
    }
    shared.draining.store(true, Ordering::Release);
    let _ = stop_tx.send(true);
    let deadline = shared
        .config
        .main
        .worker_shutdown_timeout
        .map(|timeout| Instant::now() + timeout);
    while shared.active_connections.load(Ordering::Acquire) > 0 {
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(DRAIN_POLL) => {}
            _ = term.recv() => return 0,
            _ = int.recv() => return 0,
        }
    }
    0
}

/// Starts a TCP connection as its port speaks.
fn start(
    stream: tokio::net::TcpStream,
    mut info: ConnInfo,
    protocol: PortProtocol,
    shared: Arc<Shared>,
    stop_rx: watch::Receiver<bool>,
) {
    match protocol {
        PortProtocol::Http1 => spawn_connection(stream, info, shared, stop_rx),
        PortProtocol::H2c => {
            info.http2 = Some("h2c");
            spawn_connection(stream, info, shared, stop_rx);
        }
        PortProtocol::Tls(port) => spawn_tls(stream, info, port, shared, stop_rx),
    }
}

/// A connection on a `proxy_protocol` address: its PROXY header comes
/// first (before a TLS handshake too), read within the default server's
/// client_header_timeout as nginx does; `then` starts the connection
/// proper. A broken header closes it with nginx's error-log line.
fn spawn_proxy_protocol<S>(
    stream: S,
    info: ConnInfo,
    tls: bool,
    shared: Arc<Shared>,
    then: impl FnOnce(S, ConnInfo) + Send + 'static,
) where
    S: super::proxy_protocol::PeekSocket + Send + Sync + 'static,
{
    shared.active_connections.fetch_add(1, Ordering::AcqRel);
    tokio::spawn(async move {
        let settings = ConnSettings::for_connection(&shared, &info);
        let (timeout, buffer) = (settings.header_timeout, settings.h1_limits.header_buffer);
        let accepted =
            super::proxy_protocol::accept(&stream, info, &shared, timeout, tls, buffer).await;
        shared.active_connections.fetch_sub(1, Ordering::AcqRel);
        if let Some(info) = accepted {
            then(stream, info);
        }
    });
}

/// A TLS port's connection: the first byte says whether it is a handshake
/// or plain HTTP (answered with nginx's 497 page); after the handshake,
/// ALPN `h2` on an `http2` listen means HTTP/2.
fn spawn_tls(
    mut stream: tokio::net::TcpStream,
    mut info: ConnInfo,
    port: Arc<crate::ssl::accept::PortTls>,
    shared: Arc<Shared>,
    stop_rx: watch::Receiver<bool>,
) {
    shared.active_connections.fetch_add(1, Ordering::AcqRel);
    // Boxed: the task then moves a pointer, not the whole handshake state,
    // when it is spawned and when it ends.
    tokio::spawn(Box::pin(async move {
        let settings = ConnSettings::for_connection(&shared, &info);
        let mut first = BytesMut::with_capacity(crate::ssl::accept::FIRST_READ);
        // nginx waits client_header_timeout for the first byte and for the
        // handshake.
        let read = tokio::time::timeout(settings.header_timeout, stream.read_buf(&mut first)).await;
        let first_byte = match read {
            Ok(Ok(_)) => first.first().copied(),
            _ => None,
        };
        let Some(first_byte) = first_byte else {
            shared.active_connections.fetch_sub(1, Ordering::AcqRel);
            return;
        };
        let stream = crate::ssl::accept::Prefixed::new(stream, first.freeze());
        if !crate::ssl::accept::is_handshake(first_byte) {
            info.plain_on_tls = true;
            shared.active_connections.fetch_sub(1, Ordering::AcqRel);
            spawn_connection(stream, info, shared, stop_rx);
            return;
        }
        let handshake =
            tokio::time::timeout(settings.header_timeout, port.acceptor.accept(stream)).await;
        shared.active_connections.fetch_sub(1, Ordering::AcqRel);
        let Ok(Ok(tls)) = handshake else {
            return;
        };
        let tls_info = crate::ssl::accept::TlsInfo::of(tls.get_ref().1);
        if port.http2 && tls_info.alpn.as_deref() == Some(b"h2") {
            info.http2 = Some("h2");
        }
        info.tls = Some(tls_info);
        spawn_connection(tls, info, shared, stop_rx);
    }));
}

fn spawn_connection<S>(
    stream: S,
    info: ConnInfo,
    shared: Arc<Shared>,
    stop_rx: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + std::os::fd::AsRawFd + 'static,
{
    shared.active_connections.fetch_add(1, Ordering::AcqRel);
    let connection_number = shared.next_connection_number();
    // Boxed: the connection's future is large (18 KiB on a TLS port: every
    // state of an HTTP/1 request, or hyper's HTTP/2 connection), and the
    // task would copy it when it is spawned and again as it finishes.
    tokio::spawn(Box::pin(async move {
        let info = Arc::new(info.numbered(connection_number));
        let settings = ConnSettings::for_connection(&shared, &info);
        let service_info = info.clone();
        let service_shared = shared.clone();
        let service = hyper::service::service_fn(move |request| {
            handler::handle(request, service_info.clone(), service_shared.clone())
        });
        if info.http2.is_some() {
            let h2 = crate::http_core::request::default_server(&shared.config, &info)
                .map(|server| server.ssl.h2.clone())
                .unwrap_or_default();
            let mut builder = http2::Builder::new(TokioExecutor::new());
            builder
                .timer(TokioTimer::new())
                .auto_date_header(false)
                .max_concurrent_streams(h2.max_concurrent_streams())
                .initial_stream_window_size(h2.initial_stream_window())
                .max_header_list_size(u32::try_from(settings.max_head_bytes).unwrap_or(u32::MAX));
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            drive(
                connection.as_mut(),
                |connection| connection.graceful_shutdown(),
                &info,
                &settings,
                stop_rx,
            )
            .await;
        } else {
            // HTTP/1.x: rginx's own codec, nginx's behaviour on the wire
            // (it also drains: the handler answers the next request with
            // `Connection: close`, an idle connection closes after
            // DRAIN_GRACE).
            let h1 = super::h1::Settings {
                limits: settings.h1_limits,
                header_timeout: settings.header_timeout,
                keepalive_timeout: settings.keepalive_timeout,
                fd: Some(stream.as_raw_fd()),
                tuning: settings.tuning,
            };
            drop(service);
            super::h1::serve(Box::new(stream), info.clone(), shared.clone(), h1, stop_rx).await;
        }
        shared.active_connections.fetch_sub(1, Ordering::AcqRel);
    }));
}

/// Runs a connection until it ends, its keep-alive expires, or (draining)
/// it stays idle for DRAIN_GRACE. `shutdown` starts a graceful close when
/// the drain begins (HTTP/2's GOAWAY).
async fn drive<F: std::future::Future>(
    mut connection: std::pin::Pin<&mut F>,
    mut shutdown: impl FnMut(std::pin::Pin<&mut F>),
    info: &ConnInfo,
    settings: &ConnSettings,
    mut stop_rx: watch::Receiver<bool>,
) {
    // Draining (QUIT): rather than closing idle connections at once as
    // nginx does (which resets a client whose next request is already on
    // the wire), answer the next request with `Connection: close` and
    // close only a connection that stays idle for DRAIN_GRACE.
    let mut drain_started: Option<std::time::Instant> =
        stop_rx.borrow().then(std::time::Instant::now);
    if drain_started.is_some() {
        shutdown(connection.as_mut());
    }
    let mut idle_check =
        tokio::time::interval(settings.idle_check_interval(drain_started.is_some()));
    loop {
        tokio::select! {
            _ = connection.as_mut() => break,
            _ = idle_check.tick() => {
                if info.idle_for().is_some_and(|idle| idle >= settings.keepalive_timeout) {
                    // keepalive_timeout: an idle keep-alive connection is closed.
                    break;
                }
                if let Some(started) = drain_started
                    && info.in_flight.load(Ordering::Acquire) == 0
                    && started.elapsed() >= DRAIN_GRACE
                    && info.idle_for().is_none_or(|idle| idle >= DRAIN_GRACE)
                {
                    break;
                }
            }
            changed = stop_rx.changed(), if drain_started.is_none() => {
                if changed.is_err() || *stop_rx.borrow() {
                    drain_started = Some(std::time::Instant::now());
                    shutdown(connection.as_mut());
                    idle_check = tokio::time::interval(settings.idle_check_interval(true));
                }
            }
        }
    }
}

/// The connection-level settings nginx takes from the default server of
/// the address (before a request names its server).
struct ConnSettings {
    header_timeout: Duration,
    max_head_bytes: usize,
    keepalive_timeout: Duration,
    /// The HTTP/1 codec's header buffers and header hygiene.
    h1_limits: super::h1::Limits,
    /// Lingering, send and rate settings before a request has a location.
    tuning: crate::http_core::limits::Tuning,
}

impl ConnSettings {
    fn for_connection(shared: &Shared, info: &handler::ConnInfo) -> ConnSettings {
        match crate::http_core::request::default_server(&shared.config, info) {
            Some(server) => ConnSettings {
                header_timeout: server.client_srv.client_header_timeout(),
                max_head_bytes: server.client_srv.max_head_bytes(),
                keepalive_timeout: server.conf.client.keepalive_timeout(),
                h1_limits: super::h1::Limits::of(&server.client_srv),
                tuning: server.conf.limits.tuning(),
            },
            None => ConnSettings {
                header_timeout: Duration::from_secs(60),
                max_head_bytes: 32 * 1024,
                keepalive_timeout: Duration::from_secs(75),
                h1_limits: super::h1::Limits::default(),
                tuning: Default::default(),
            },
        }
    }

    /// How often to look for an expired keep-alive: a tenth of the timeout,
    /// between 10 ms and 1 s (50 ms while draining).
    fn idle_check_interval(&self, draining: bool) -> Duration {
        let interval =
            (self.keepalive_timeout / 10).clamp(Duration::from_millis(10), Duration::from_secs(1));
        if draining {
            interval.min(Duration::from_millis(50))
        } else {
            interval
        }
    }
}
