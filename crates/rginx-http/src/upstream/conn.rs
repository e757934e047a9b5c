//! A connection to a peer: TCP or unix socket (TLS over either for
//! `proxy_pass https://`), with nginx's send timeout on
//! writes, the check for an idle connection closed by its peer, and the
//! bookkeeping the keep-alive pool needs.

use super::url::PeerAddr;
use bytes::BytesMut;
use std::future::Future;
use std::io;
use std::os::fd::AsRawFd;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, Interest, ReadBuf};
use tokio::net::{TcpStream, UnixStream};

/// The socket: TCP, a unix socket, or TLS over either.
#[derive(Debug)]
pub enum Socket {
    Tcp(TcpStream),
    Unix(UnixStream),
    /// `proxy_pass https://...`.
    Tls(Box<tokio_rustls::client::TlsStream<Socket>>),
}

impl Socket {
    /// The descriptor underneath.
    fn raw_fd(&self) -> std::os::fd::RawFd {
        match self {
            Socket::Tcp(s) => s.as_raw_fd(),
            Socket::Unix(s) => s.as_raw_fd(),
            Socket::Tls(s) => s.get_ref().0.raw_fd(),
        }
    }

    /// Whether nothing arrived on the transport (no byte, no end): the
    /// reactor's readiness answers without a system call unless an event
    /// came since the last read, as nginx's keepalive module learns of a
    /// closed cached connection from its read event; only then is a byte
    /// peeked (and the readiness cleared when there is none).
    fn transport_idle(&self) -> bool {
        let peeked = match self {
            Socket::Tcp(s) => s.try_io(Interest::READABLE, || peek(s.as_raw_fd())),
            Socket::Unix(s) => s.try_io(Interest::READABLE, || peek(s.as_raw_fd())),
            Socket::Tls(s) => return s.get_ref().0.transport_idle(),
        };
        matches!(peeked, Err(err) if err.kind() == io::ErrorKind::WouldBlock)
    }
}

/// One byte peeked without waiting: `WouldBlock` when nothing is there.
fn peek(fd: std::os::fd::RawFd) -> io::Result<usize> {
    let mut byte = [0u8; 1];
    let flags = nix::sys::socket::MsgFlags::MSG_PEEK | nix::sys::socket::MsgFlags::MSG_DONTWAIT;
    nix::sys::socket::recv(fd, &mut byte, flags).map_err(io::Error::from)
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_read(cx, buf),
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_write(cx, data),
            Socket::Unix(s) => Pin::new(s).poll_write(cx, data),
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, data),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Socket::Unix(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_flush(cx),
            Socket::Unix(s) => Pin::new(s).poll_flush(cx),
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Unix(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// What a TLS connection was made with: cached connections are reused
/// only for the same configuration and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsKey {
    /// The location's TLS configuration (`UpstreamTls::id`).
    pub id: u64,
    /// The name sent and verified.
    pub name: Vec<u8>,
}

/// An open connection to a peer.
#[derive(Debug)]
pub struct Conn {
    pub socket: Socket,
    /// Bytes read from the peer and not consumed yet.
    pub buf: BytesMut,
    /// Requests sent on this connection (`keepalive_requests`).
    pub requests: u64,
    pub created: Instant,
    /// nginx's `proxy_send_timeout`: the longest a write may wait.
    pub send_timeout: Duration,
    /// Set for TLS connections.
    pub tls: Option<TlsKey>,
    write_deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    /// When the read in progress times out (`proxy_read_timeout`).
    read_deadline: Option<tokio::time::Instant>,
    /// `TCP_NODELAY` is set (or does not apply).
    nodelay: bool,
    /// Writes since the last read.
    writes: u8,
    /// The timer behind `read_deadline`, kept for the connection's life
    /// and armed no later than it: a timer made and cancelled for every
    /// response cost more than the rest of reading it. It may fire early
    /// (it was armed for an earlier read); it is then moved on.
    read_timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Conn {
    /// Connects (the caller bounds the wait with `proxy_connect_timeout`).
    pub async fn connect(addr: &PeerAddr) -> io::Result<Conn> {
        // Nagle's algorithm holds back a small write only while earlier
        // data waits for its acknowledgement: a request written at once
        // after the previous response was read is never held, and
        // TCP_NODELAY is set (a system call) only when a request needs a
        // second write (see `poll_write`).
        let (socket, nodelay) = match addr {
            PeerAddr::Inet(addr) => (Socket::Tcp(TcpStream::connect(addr).await?), false),
            PeerAddr::Unix(path) => (Socket::Unix(UnixStream::connect(path).await?), true),
        };
        Ok(Conn {
            socket,
            buf: BytesMut::with_capacity(4096),
            requests: 0,
            created: Instant::now(),
            send_timeout: Duration::from_secs(60),
            tls: None,
            write_deadline: None,
            read_deadline: None,
            nodelay,
            writes: 0,
            read_timer: None,
        })
    }

    /// The TLS handshake on a new connection (the caller bounds the wait).
    pub async fn start_tls(
        mut self,
        connector: &tokio_rustls::TlsConnector,
        name: rustls::pki_types::ServerName<'static>,
        key: TlsKey,
    ) -> io::Result<Conn> {
        // The handshake writes without reading in between.
        self.set_nodelay();
        let Conn {
            socket,
            buf,
            requests,
            created,
            send_timeout,
            read_deadline,
            read_timer,
            ..
        } = self;
        let stream = connector.connect(name, socket).await?;
        Ok(Conn {
            socket: Socket::Tls(Box::new(stream)),
            buf,
            requests,
            created,
            send_timeout,
            tls: Some(key),
            write_deadline: None,
            read_deadline,
            nodelay: true,
            writes: 0,
            read_timer,
        })
    }

    /// Turns Nagle's algorithm off, once: for a second write before a
    /// read, which it would hold until the first is acknowledged, and for
    /// tunnels.
    pub fn set_nodelay(&mut self) {
        if self.nodelay {
            return;
        }
        self.nodelay = true;
        if let Socket::Tcp(stream) = &self.socket {
            let _ = stream.set_nodelay(true);
        }
    }

    /// The descriptor of the socket (under TLS, of the transport).
    pub fn raw_fd(&self) -> std::os::fd::RawFd {
        self.socket.raw_fd()
    }

    /// Whether an idle connection can be reused: nothing to read and not
    /// closed by the peer (nginx's keepalive close handler).
    /// Under TLS, nothing decrypted may be waiting either, and any record
    /// arriving while idle (an alert, a late ticket) retires it too.
    pub fn is_reusable(&mut self) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        if let Socket::Tls(tls) = &mut self.socket {
            let mut byte = [0u8; 1];
            let pending = std::io::Read::read(&mut tls.get_mut().1.reader(), &mut byte);
            if !matches!(pending, Err(err) if err.kind() == io::ErrorKind::WouldBlock) {
                return false;
            }
        }
        self.socket.transport_idle()
    }

    /// Reads what the socket has into `buf`; `Ok(0)` at the end.
    pub fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.buf.capacity() - self.buf.len() < 4096 {
            self.buf.reserve(16 * 1024);
        }
        // Into spare capacity without zeroing it first (tokio-util does the
        // bookkeeping of what the read initialised).
        let result = tokio_util::io::poll_read_buf(Pin::new(&mut self.socket), cx, &mut self.buf);
        if let Poll::Ready(Ok(_)) = result {
            self.writes = 0;
        }
        result
    }

    /// Takes a timer of the caller's (the connect timeout's) as the read
    /// timer, rather than making one for the first read.
    pub fn keep_timer(&mut self, timer: Pin<Box<tokio::time::Sleep>>) {
        self.read_timer = Some(timer);
    }

    /// Starts the time a read may wait, unless it runs already.
    pub fn start_read_timeout(&mut self, timeout: Duration) {
        if self.read_deadline.is_none() {
            self.read_deadline = Some(tokio::time::Instant::now() + timeout);
        }
    }

    /// The read that was timed is over.
    pub fn end_read_timeout(&mut self) {
        self.read_deadline = None;
    }

    /// Ready when the timed read has waited past its deadline.
    pub fn poll_read_timeout(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(deadline) = self.read_deadline else {
            return Poll::Pending;
        };
        let timer = self
            .read_timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if timer.deadline() > deadline {
            timer.as_mut().reset(deadline);
        }
        loop {
            match timer.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(()) if timer.deadline() >= deadline => return Poll::Ready(()),
                Poll::Ready(()) => timer.as_mut().reset(deadline),
            }
        }
    }

    fn poll_write_timeout(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let timeout = self.send_timeout;
        let deadline = self
            .write_deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.write_deadline = None;
                Poll::Ready(io::Error::from(io::ErrorKind::TimedOut))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.socket).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            this.writes = 0;
        }
        result
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.writes > 0 {
            this.set_nodelay();
        }
        let result = Pin::new(&mut this.socket).poll_write(cx, data);
        if let Poll::Ready(Ok(_)) = result {
            this.writes = this.writes.saturating_add(1);
        }
        match result {
            Poll::Pending => match this.poll_write_timeout(cx) {
                Poll::Ready(err) => Poll::Ready(Err(err)),
                Poll::Pending => Poll::Pending,
            },
            ready => {
                this.write_deadline = None;
                ready
            }
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.writes > 0 {
            this.set_nodelay();
        }
        let result = Pin::new(&mut this.socket).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(_)) = result {
            this.writes = this.writes.saturating_add(1);
        }
        match result {
            Poll::Pending => match this.poll_write_timeout(cx) {
                Poll::Ready(err) => Poll::Ready(Err(err)),
                Poll::Pending => Poll::Pending,
            },
            ready => {
                this.write_deadline = None;
                ready
            }
        }
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn nodelay(conn: &Conn) -> bool {
        match &conn.socket {
            Socket::Tcp(stream) => stream.nodelay().expect("TCP_NODELAY is readable"),
            _ => unreachable!("a TCP connection"),
        }
    }

    /// A listener on a free loopback port, and its address as a peer's.
    async fn peer_listener() -> (tokio::net::TcpListener, PeerAddr) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = PeerAddr::Inet(listener.local_addr().expect("address"));
        (listener, addr)
    }

    #[tokio::test]
    async fn nagle_is_turned_off_for_a_second_write_before_a_read() {
        let (listener, addr) = peer_listener().await;
        let peer = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("accept");
            let mut request = [0u8; 2];
            stream.read_exact(&mut request).await.expect("request");
            stream.write_all(b"r").await.expect("response");
            let mut rest = [0u8; 2];
            stream.read_exact(&mut rest).await.expect("more");
        });
        let mut conn = Conn::connect(&addr).await.expect("connect");
        conn.write_all(b"a").await.expect("write");
        assert!(!nodelay(&conn), "one write is never held back");
        conn.write_all(b"b").await.expect("write");
        assert!(nodelay(&conn), "a second write before a read");
        let mut response = [0u8; 1];
        conn.read_exact(&mut response).await.expect("read");
        conn.write_all(b"cd").await.expect("write");
        peer.await.expect("the peer ends");
    }

    #[tokio::test]
    async fn a_write_after_a_read_keeps_nagle() {
        let (listener, addr) = peer_listener().await;
        let peer = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("accept");
            let mut byte = [0u8; 1];
            stream.read_exact(&mut byte).await.expect("request");
            stream.write_all(b"r").await.expect("response");
            stream.read_exact(&mut byte).await.expect("request");
        });
        let mut conn = Conn::connect(&addr).await.expect("connect");
        conn.write_all(b"a").await.expect("write");
        let filled = std::future::poll_fn(|cx| conn.poll_fill(cx)).await;
        assert_eq!(filled.expect("read"), 1);
        conn.buf.clear();
        conn.write_all(b"b").await.expect("write");
        assert!(
            !nodelay(&conn),
            "each request written at once after a response"
        );
        peer.await.expect("the peer ends");
    }
}
