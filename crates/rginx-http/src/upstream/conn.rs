//! A connection to a peer: TCP or unix socket, with nginx's send timeout on
//! writes, the idle-closure check nginx's keepalive module makes
//! (`recv(MSG_PEEK)`), and the bookkeeping the keep-alive pool needs.

use super::url::PeerAddr;
use bytes::BytesMut;
use std::future::Future;
use std::io;
use std::os::fd::AsRawFd;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, UnixStream};

/// The socket.
#[derive(Debug)]
pub enum Socket {
    Tcp(TcpStream),
    Unix(UnixStream),
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
    write_deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Conn {
    /// Connects (the caller bounds the wait with `proxy_connect_timeout`).
    pub async fn connect(addr: &PeerAddr) -> io::Result<Conn> {
        let socket = match addr {
            PeerAddr::Inet(addr) => {
                let stream = TcpStream::connect(addr).await?;
                // nginx sets TCP_NODELAY on upstream keep-alive connections;
                // a proxy adds latency without it.
                let _ = stream.set_nodelay(true);
                Socket::Tcp(stream)
            }
            PeerAddr::Unix(path) => Socket::Unix(UnixStream::connect(path).await?),
        };
        Ok(Conn {
            socket,
            buf: BytesMut::with_capacity(4096),
            requests: 0,
            created: Instant::now(),
            send_timeout: Duration::from_secs(60),
            write_deadline: None,
        })
    }

    /// Whether an idle connection can be reused: nothing to read and not
    /// closed by the peer (nginx's keepalive close handler peeks one byte).
    pub fn is_reusable(&self) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        let fd = match &self.socket {
            Socket::Tcp(s) => s.as_raw_fd(),
            Socket::Unix(s) => s.as_raw_fd(),
        };
        let mut byte = [0u8; 1];
        let flags = nix::sys::socket::MsgFlags::MSG_PEEK | nix::sys::socket::MsgFlags::MSG_DONTWAIT;
        matches!(
            nix::sys::socket::recv(fd, &mut byte, flags),
            Err(nix::errno::Errno::EAGAIN)
        )
    }

    /// Reads what the socket has into `buf`; `Ok(0)` at the end.
    pub fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.buf.capacity() - self.buf.len() < 4096 {
            self.buf.reserve(16 * 1024);
        }
        let mut read = ReadBuf::uninit(self.buf.spare_capacity_mut());
        let result = match &mut self.socket {
            Socket::Tcp(s) => Pin::new(s).poll_read(cx, &mut read),
            Socket::Unix(s) => Pin::new(s).poll_read(cx, &mut read),
        };
        match result {
            Poll::Ready(Ok(())) => {
                let n = read.filled().len();
                // SAFETY: poll_read initialised the first `n` spare bytes.
                unsafe { self.buf.set_len(self.buf.len() + n) };
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => Poll::Pending,
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
        match &mut self.get_mut().socket {
            Socket::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Socket::Unix(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = match &mut this.socket {
            Socket::Tcp(s) => Pin::new(s).poll_write(cx, data),
            Socket::Unix(s) => Pin::new(s).poll_write(cx, data),
        };
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
        let result = match &mut this.socket {
            Socket::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Socket::Unix(s) => Pin::new(s).poll_write_vectored(cx, bufs),
        };
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
        match &mut self.get_mut().socket {
            Socket::Tcp(s) => Pin::new(s).poll_flush(cx),
            Socket::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().socket {
            Socket::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Socket::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}
