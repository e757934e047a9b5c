//! Listening sockets, bound once by the master and inherited by every
//! worker: which sockets a configuration needs (nginx's wildcard sharing and
//! `reuseport` copies), binding them with nginx's options, retries and
//! messages, and keeping the unchanged ones across a reload so that an
//! address is never closed and bound again while rginx runs.

use crate::log::LogSet;
use rginx_conf::error::os_error_suffix;
use rginx_http::Config;
use rginx_http::http_core::listen::{ListenAddr, ListenOptions, SoKeepalive};
use rginx_http::serve::{ListenSocket, Listener};
use socket2::{Domain, SockAddr, Socket, TcpKeepalive, Type};
use std::io;
use std::os::fd::AsRawFd;
use std::time::Duration;

/// One listening socket: an address and, with `reuseport`, the worker whose
/// copy it is (nginx clones such a socket once per worker).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SocketKey {
    pub addr: ListenAddr,
    pub worker: Option<usize>,
}

impl SocketKey {
    fn text(&self) -> String {
        self.addr.text()
    }
}

/// A socket a configuration asks for.
#[derive(Clone, Debug)]
pub struct Wanted {
    pub key: SocketKey,
    pub options: ListenOptions,
}

/// The sockets a configuration needs, in the order of its addresses. On
/// each port a wildcard address takes the addresses that did not ask for a
/// socket of their own (`bind` or any socket option): the worker then picks
/// the server by the connection's local address.
pub fn wanted(config: &Config, workers: usize) -> Vec<Wanted> {
    let Some(http) = config.http.as_ref() else {
        return Vec::new();
    };
    let entries: Vec<_> = http.addresses.iter().map(|a| &a.entry).collect();
    let mut out = Vec::new();
    for entry in &entries {
        let shares_wildcard = !entry.wildcard
            && !entry.options.bind
            && entries
                .iter()
                .any(|other| other.wildcard && other.addr.same_port(&entry.addr));
        if shares_wildcard {
            continue;
        }
        if entry.options.reuseport && workers > 1 {
            for worker in 0..workers {
                out.push(Wanted {
                    key: SocketKey {
                        addr: entry.addr.clone(),
                        worker: Some(worker),
                    },
                    options: entry.options.clone(),
                });
            }
        } else {
            out.push(Wanted {
                key: SocketKey {
                    addr: entry.addr.clone(),
                    worker: None,
                },
                options: entry.options.clone(),
            });
        }
    }
    out
}

/// A bound, listening socket.
#[derive(Debug)]
pub struct Bound {
    pub key: SocketKey,
    pub options: ListenOptions,
    pub socket: Socket,
}

impl Bound {
    /// Closes the socket; a unix socket's file is removed, as nginx does
    /// when the master lets go of an address.
    pub fn close(self) {
        if let ListenAddr::Unix(path) = &self.key.addr {
            let _ = std::fs::remove_file(path);
        }
    }

    /// The socket as the worker receives it.
    fn into_listener(self) -> Listener {
        let socket = match self.key.addr {
            ListenAddr::Inet(_) => ListenSocket::Tcp(self.socket.into()),
            ListenAddr::Unix(_) => ListenSocket::Unix(self.socket.into()),
        };
        Listener {
            addr: self.key.addr,
            socket,
        }
    }
}

/// The master's listening sockets.
#[derive(Debug, Default)]
pub struct Sockets {
    pub bound: Vec<Bound>,
}

/// Why a socket could not be opened; the message is already logged.
struct BindFailed {
    in_use: bool,
}

/// nginx tries this many times when an address is in use, 500ms apart.
const BIND_TRIES: usize = 5;
const BIND_RETRY: Duration = Duration::from_millis(500);

impl Sockets {
    /// Opens the sockets `wanted` lists, taking the ones `current` already
    /// has (same address, same worker copy) instead of binding them again.
    /// On success `current` is left with the sockets no longer wanted, for
    /// the caller to close; on failure (logged) nothing changed.
    pub fn open(
        wanted: &[Wanted],
        current: &mut Sockets,
        logs: &mut LogSet,
    ) -> Result<Sockets, ()> {
        let mut fresh: Vec<Bound> = Vec::new();
        let missing = |fresh: &[Bound], w: &Wanted| {
            !current.bound.iter().any(|b| b.key == w.key) && !fresh.iter().any(|b| b.key == w.key)
        };
        let mut failed = false;
        for _ in 0..BIND_TRIES {
            failed = false;
            for w in wanted {
                if !missing(&fresh, w) {
                    continue;
                }
                match bind(w, logs) {
                    Ok(socket) => fresh.push(Bound {
                        key: w.key.clone(),
                        options: w.options.clone(),
                        socket,
                    }),
                    Err(BindFailed { in_use: true }) => failed = true,
                    Err(BindFailed { in_use: false }) => {
                        fresh.into_iter().for_each(Bound::close);
                        return Err(());
                    }
                }
            }
            if !failed {
                break;
            }
            logs.notice("try again to bind() after 500ms");
            std::thread::sleep(BIND_RETRY);
        }
        if failed {
            logs.emerg("still could not bind()");
            fresh.into_iter().for_each(Bound::close);
            return Err(());
        }
        let mut out = Vec::with_capacity(wanted.len());
        for w in wanted {
            if let Some(at) = current.bound.iter().position(|b| b.key == w.key) {
                let mut kept = current.bound.remove(at);
                if kept.options != w.options {
                    reconfigure(&kept, &w.options, logs);
                    kept.options = w.options.clone();
                }
                out.push(kept);
            } else if let Some(at) = fresh.iter().position(|b| b.key == w.key) {
                out.push(fresh.remove(at));
            }
        }
        Ok(Sockets { bound: out })
    }

    /// Closes every socket (the master does so on QUIT and on exit).
    pub fn close_all(&mut self) {
        std::mem::take(&mut self.bound)
            .into_iter()
            .for_each(Bound::close);
    }

    /// In a freshly forked worker: the sockets worker `index` serves (every
    /// shared socket, and its own `reuseport` copies); the others are closed
    /// in this process only.
    pub fn take_for_worker(&mut self, index: usize) -> Vec<Listener> {
        std::mem::take(&mut self.bound)
            .into_iter()
            .filter(|b| b.key.worker.is_none_or(|w| w == index))
            .map(Bound::into_listener)
            .collect()
    }
}

/// socket(), options, bind(), listen(): nginx's `ngx_open_listening_sockets`
/// for one address, with its messages.
fn bind(w: &Wanted, logs: &mut LogSet) -> Result<Socket, BindFailed> {
    let text = w.key.text();
    let fatal = |logs: &mut LogSet, what: String, err: io::Error| {
        logs.emerg(&format!("{what} failed {}", os_error_suffix(&err)));
        BindFailed {
            in_use: err.raw_os_error() == Some(libc::EADDRINUSE),
        }
    };
    let (domain, address) = match &w.key.addr {
        ListenAddr::Inet(addr) => (Domain::for_address(*addr), SockAddr::from(*addr)),
        ListenAddr::Unix(path) => (
            Domain::UNIX,
            SockAddr::unix(path).map_err(|err| fatal(logs, format!("socket() {text}"), err))?,
        ),
    };
    let socket = Socket::new(domain, Type::STREAM, None)
        .map_err(|err| fatal(logs, format!("socket() {text}"), err))?;
    let not_in_use = |mut failed: BindFailed| {
        failed.in_use = false;
        failed
    };
    socket
        .set_reuse_address(true)
        .map_err(|err| not_in_use(fatal(logs, format!("setsockopt(SO_REUSEADDR) {text}"), err)))?;
    if w.options.reuseport {
        socket.set_reuse_port(true).map_err(|err| {
            not_in_use(fatal(logs, format!("setsockopt(SO_REUSEPORT) {text}"), err))
        })?;
    }
    if domain == Domain::IPV6
        && let Err(err) = socket.set_only_v6(w.options.ipv6only)
    {
        logs.emerg(&format!(
            "setsockopt(IPV6_V6ONLY) {text} failed, ignored {}",
            os_error_suffix(&err)
        ));
    }
    // Workers put the socket in their event loop; nginx makes it
    // non-blocking in the master, once, for every process.
    socket
        .set_nonblocking(true)
        .map_err(|err| not_in_use(fatal(logs, format!("ioctl(FIONBIO) {text}"), err)))?;
    socket
        .bind(&address)
        .map_err(|err| fatal(logs, format!("bind() to {text}"), err))?;
    if let ListenAddr::Unix(path) = &w.key.addr {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o666);
        if let Err(err) = std::fs::set_permissions(path, mode) {
            logs.emerg(&format!(
                "chmod() \"{}\" failed {}",
                path.display(),
                os_error_suffix(&err)
            ));
        }
    }
    if let Err(err) = socket.listen(w.options.backlog) {
        let failed = fatal(
            logs,
            format!("listen() to {text}, backlog {}", w.options.backlog),
            err,
        );
        if let ListenAddr::Unix(path) = &w.key.addr {
            let _ = std::fs::remove_file(path);
        }
        return Err(failed);
    }
    configure(&socket, &text, &w.options, logs);
    Ok(socket)
}

/// A kept socket whose `listen` options changed: nginx calls listen() again
/// for a new backlog and re-applies the socket options.
fn reconfigure(bound: &Bound, options: &ListenOptions, logs: &mut LogSet) {
    let text = bound.key.text();
    if bound.options.backlog != options.backlog
        && let Err(err) = bound.socket.listen(options.backlog)
    {
        logs.alert(&format!(
            "listen() to {text}, backlog {} failed, ignored {}",
            options.backlog,
            os_error_suffix(&err)
        ));
    }
    configure(&bound.socket, &text, options, logs);
}

/// The options nginx sets after listen() (`ngx_configure_listening_sockets`);
/// a failure is an `[alert]` and is ignored, as there.
fn configure(socket: &Socket, text: &str, options: &ListenOptions, logs: &mut LogSet) {
    let mut ignored = |what: String, result: io::Result<()>| {
        if let Err(err) = result {
            logs.alert(&format!(
                "{what} {text} failed, ignored {}",
                os_error_suffix(&err)
            ));
        }
    };
    if let Some(size) = options.rcvbuf {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        ignored(
            format!("setsockopt(SO_RCVBUF, {size})"),
            socket.set_recv_buffer_size(size),
        );
    }
    if let Some(size) = options.sndbuf {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        ignored(
            format!("setsockopt(SO_SNDBUF, {size})"),
            socket.set_send_buffer_size(size),
        );
    }
    match options.so_keepalive {
        SoKeepalive::Unset => {}
        SoKeepalive::On => ignored(
            "setsockopt(SO_KEEPALIVE, 1)".into(),
            socket.set_keepalive(true),
        ),
        SoKeepalive::Off => ignored(
            "setsockopt(SO_KEEPALIVE, 0)".into(),
            socket.set_keepalive(false),
        ),
        SoKeepalive::Tuned {
            idle,
            interval,
            count,
        } => {
            ignored(
                "setsockopt(SO_KEEPALIVE, 1)".into(),
                socket.set_keepalive(true),
            );
            let mut params = TcpKeepalive::new();
            if let Some(idle) = idle.filter(|d| !d.is_zero()) {
                params = params.with_time(idle);
            }
            if let Some(interval) = interval.filter(|d| !d.is_zero()) {
                params = params.with_interval(interval);
            }
            if let Some(count) = count.filter(|c| *c > 0) {
                params = params.with_retries(u32::try_from(count).unwrap_or(u32::MAX));
            }
            ignored(
                "setsockopt(TCP_KEEPIDLE)".into(),
                socket.set_tcp_keepalive(&params),
            );
        }
    }
    if let Some(queue) = options.fastopen {
        let queue = i32::try_from(queue).unwrap_or(i32::MAX);
        ignored(
            format!("setsockopt(TCP_FASTOPEN, {queue})"),
            set_int(socket, libc::IPPROTO_TCP, libc::TCP_FASTOPEN, queue),
        );
    }
    if options.deferred {
        // nginx waits up to client_header_timeout for the first bytes; its
        // default, 60s, is what the kernel is told here.
        ignored(
            "setsockopt(TCP_DEFER_ACCEPT, 60)".into(),
            set_int(socket, libc::IPPROTO_TCP, libc::TCP_DEFER_ACCEPT, 60),
        );
    }
}

/// An integer socket option socket2 does not wrap.
fn set_int(socket: &Socket, level: i32, name: i32, value: i32) -> io::Result<()> {
    // SAFETY: the descriptor is an open socket owned by `socket`; the option
    // value is a live local `c_int` and its exact size is passed.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            level,
            name,
            std::ptr::addr_of!(value).cast(),
            std::mem::size_of::<i32>() as libc::socklen_t,
        )
    };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{SocketAddr, TcpListener};

    fn wanted_at(addr: SocketAddr) -> Wanted {
        Wanted {
            key: SocketKey {
                addr: ListenAddr::Inet(addr),
                worker: None,
            },
            options: ListenOptions::default(),
        }
    }

    /// Logs to a file of its own, so tests print nothing.
    fn quiet_logs(name: &str) -> (LogSet, std::path::PathBuf) {
        use rginx_http::core_main::{ErrorLog, LogDestination, LogLevel};
        let dir = std::env::temp_dir().join(format!("rginx-sockets-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("error.log");
        let _ = std::fs::remove_file(&path);
        let mut logs = LogSet::open(&[ErrorLog {
            destination: LogDestination::File(path.clone()),
            level: LogLevel::Notice,
        }])
        .unwrap();
        logs.echo = false;
        (logs, path)
    }

    #[test]
    fn kept_sockets_are_not_bound_again() {
        let (mut logs, _log) = quiet_logs("kept");
        let w = wanted_at("127.0.0.1:0".parse().unwrap());
        let mut none = Sockets::default();
        let first = Sockets::open(std::slice::from_ref(&w), &mut none, &mut logs).unwrap();
        let fd = first.bound[0].socket.as_raw_fd();
        let mut current = first;
        let second = Sockets::open(std::slice::from_ref(&w), &mut current, &mut logs).unwrap();
        assert_eq!(second.bound[0].socket.as_raw_fd(), fd);
        assert!(current.bound.is_empty());
    }

    #[test]
    fn removed_sockets_are_left_for_the_caller() {
        let (mut logs, _log) = quiet_logs("removed");
        let a = wanted_at("127.0.0.1:0".parse().unwrap());
        let mut none = Sockets::default();
        let mut current = Sockets::open(std::slice::from_ref(&a), &mut none, &mut logs).unwrap();
        let next = Sockets::open(&[], &mut current, &mut logs).unwrap();
        assert!(next.bound.is_empty());
        assert_eq!(current.bound.len(), 1);
    }

    #[test]
    fn address_in_use_is_an_error_and_binds_nothing() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let w = wanted_at(taken.local_addr().unwrap());
        let (mut logs, log) = quiet_logs("inuse");
        let mut none = Sockets::default();
        let started = std::time::Instant::now();
        assert!(Sockets::open(&[w], &mut none, &mut logs).is_err());
        // nginx's five tries, 500ms apart.
        assert!(started.elapsed() >= Duration::from_millis(2400));
        let text = std::fs::read_to_string(&log).unwrap();
        let bind = format!(
            "bind() to {} failed (98: Address already in use)",
            taken.local_addr().unwrap()
        );
        assert_eq!(text.matches(&bind).count(), 5, "{text}");
        assert!(text.ends_with("still could not bind()\n"), "{text}");
    }

    #[test]
    fn reuseport_gives_each_worker_its_copy() {
        let (mut logs, _log) = quiet_logs("reuseport");
        let options = ListenOptions {
            reuseport: true,
            ..ListenOptions::default()
        };
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = ListenAddr::Inet(probe.local_addr().unwrap());
        drop(probe);
        let wanted: Vec<Wanted> = (0..2)
            .map(|worker| Wanted {
                key: SocketKey {
                    addr: addr.clone(),
                    worker: Some(worker),
                },
                options: options.clone(),
            })
            .collect();
        let mut none = Sockets::default();
        let mut sockets = Sockets::open(&wanted, &mut none, &mut logs).unwrap();
        assert_eq!(sockets.bound.len(), 2);
        let listeners = sockets.take_for_worker(1);
        assert_eq!(listeners.len(), 1);
        assert_eq!(listeners[0].addr, addr);
    }
}

#[cfg(test)]
mod wanted_tests {
    use super::*;
    use rginx_http::CompileOptions;
    use std::path::{Path, PathBuf};

    fn compile(text: &str) -> Config {
        let parsed = rginx_conf::parse_bytes(text.as_bytes(), Path::new("/test/nginx.conf"));
        let options = CompileOptions {
            prefix: PathBuf::from("/test/"),
            conf_file: PathBuf::from("/test/nginx.conf"),
            conf_prefix: PathBuf::from("/test/"),
            is_root: false,
        };
        match rginx_http::compile(&parsed, None, options) {
            Ok(config) => config,
            Err(failure) => panic!("{}", failure.error),
        }
    }

    fn keys(config: &Config, workers: usize) -> Vec<(String, Option<usize>)> {
        wanted(config, workers)
            .into_iter()
            .map(|w| (w.key.addr.text(), w.key.worker))
            .collect()
    }

    #[test]
    fn wildcard_takes_plain_addresses_of_its_port() {
        let config = compile(
            "events {}\nhttp {\n\
             server { listen 18080; listen 127.0.0.1:18080; }\n\
             server { listen 127.0.0.2:18080 bind; listen 127.0.0.1:18081; }\n\
             }\n",
        );
        let mut got = keys(&config, 2);
        got.sort();
        assert_eq!(
            got,
            [
                ("0.0.0.0:18080".to_string(), None),
                ("127.0.0.1:18081".to_string(), None),
                ("127.0.0.2:18080".to_string(), None),
            ]
        );
        assert_eq!(got.len(), config.http.as_ref().unwrap().listening_sockets());
    }

    #[test]
    fn reuseport_is_one_socket_per_worker() {
        let config = compile("events {}\nhttp { server { listen 127.0.0.1:18082 reuseport; } }\n");
        assert_eq!(
            keys(&config, 3),
            [
                ("127.0.0.1:18082".to_string(), Some(0)),
                ("127.0.0.1:18082".to_string(), Some(1)),
                ("127.0.0.1:18082".to_string(), Some(2)),
            ]
        );
        assert_eq!(keys(&config, 1), [("127.0.0.1:18082".to_string(), None)]);
    }

    #[test]
    fn no_http_block_no_sockets() {
        assert!(keys(&compile("events {}\n"), 4).is_empty());
    }
}
