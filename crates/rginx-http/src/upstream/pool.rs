//! nginx's upstream keepalive module: a cache of idle connections per
//! upstream group (`keepalive N`), most recently used first, searched by the
//! address the balancer chose; a connection is kept only if it served fewer
//! than `keepalive_requests` requests and is younger than `keepalive_time`,
//! and is closed after `keepalive_timeout` idle or when the peer closes it.

use super::conn::{Conn, TlsKey};
use super::url::PeerAddr;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `keepalive`, `keepalive_requests`, `keepalive_time`,
/// `keepalive_timeout` of an upstream block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeepaliveConf {
    pub max_cached: usize,
    pub requests: u64,
    pub time: Duration,
    pub timeout: Duration,
}

#[derive(Debug)]
struct Idle {
    addr: PeerAddr,
    conn: Conn,
    since: Instant,
}

#[derive(Debug, Default)]
struct Inner {
    /// Most recently cached first.
    idle: VecDeque<Idle>,
    /// A task closes connections idle past `keepalive_timeout`.
    sweeping: bool,
}

/// The idle connections of one upstream group in one worker.
#[derive(Debug)]
pub struct Pool {
    pub conf: KeepaliveConf,
    inner: Mutex<Inner>,
}

impl Pool {
    pub fn new(conf: KeepaliveConf) -> Pool {
        Pool {
            conf,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// An idle connection to `addr` that is still usable (nginx's
    /// `ngx_http_upstream_get_keepalive_peer`); dead or expired ones met on
    /// the way are closed. `tls`: only a connection made with the same TLS
    /// configuration and name (`None`: a plain one).
    pub fn take(&self, addr: &PeerAddr, tls: Option<&TlsKey>) -> Option<Conn> {
        let mut inner = self.lock();
        if inner.idle.is_empty() {
            return None;
        }
        let now = Instant::now();
        let timeout = self.conf.timeout;
        // Most recently cached first: the expired ones are at the back.
        while inner
            .idle
            .back()
            .is_some_and(|idle| now.saturating_duration_since(idle.since) >= timeout)
        {
            inner.idle.pop_back();
        }
        while let Some(position) = inner
            .idle
            .iter()
            .position(|idle| idle.addr == *addr && idle.conn.tls.as_ref() == tls)
        {
            let mut idle = inner.idle.remove(position)?;
            if idle.conn.is_reusable() {
                return Some(idle.conn);
            }
        }
        None
    }

    /// Whether a connection that served its request may be cached.
    fn accepts(&self, conn: &Conn, now: Instant) -> bool {
        conn.requests < self.conf.requests
            && now.saturating_duration_since(conn.created) <= self.conf.time
    }

    /// Caches a connection whose response was read completely (nginx's
    /// `ngx_http_upstream_free_keepalive_peer`); the least recently used is
    /// closed when the cache is full.
    pub fn put(self: &Arc<Self>, addr: PeerAddr, conn: Conn) {
        let now = Instant::now();
        if !self.accepts(&conn, now) || !conn.buf.is_empty() {
            return;
        }
        let start_sweeper = {
            let mut inner = self.lock();
            if inner.idle.len() >= self.conf.max_cached {
                inner.idle.pop_back();
            }
            inner.idle.push_front(Idle {
                addr,
                conn,
                since: now,
            });
            !std::mem::replace(&mut inner.sweeping, true)
        };
        if start_sweeper {
            self.spawn_sweeper();
        }
    }

    /// Idle connections now.
    pub fn idle(&self) -> usize {
        self.lock().idle.len()
    }

    /// Closes connections idle past `keepalive_timeout` or closed by their
    /// peer, until none is left.
    fn spawn_sweeper(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.lock().sweeping = false;
            return;
        };
        let pool = Arc::downgrade(self);
        let period =
            (self.conf.timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(period).await;
                let Some(pool) = pool.upgrade() else { return };
                let mut inner = pool.lock();
                let timeout = pool.conf.timeout;
                inner
                    .idle
                    .retain_mut(|idle| idle.since.elapsed() < timeout && idle.conn.is_reusable());
                if inner.idle.is_empty() {
                    inner.sweeping = false;
                    return;
                }
            }
        });
    }
}
