//! The client connection as the HTTP/1 codec shares it: the socket, the
//! bytes read but not yet used, and where the request body stands. The
//! connection loop reads heads and writes responses through it while the
//! handler reads the body through it (the proxy may still be sending the
//! body upstream while the response starts), so it sits behind a mutex that
//! is only ever held for one poll.

use super::chunked::{Chunk, Decoder};
use crate::serve::UpgradedStream;
use bytes::{Bytes, BytesMut};
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

pub type Stream = Box<dyn UpgradedStream>;

/// How much one read asks the socket for.
const READ_SIZE: usize = 16 * 1024;

/// nginx's interim response to `Expect: 100-continue`.
const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// Where the request body stands.
#[derive(Debug)]
pub enum BodyState {
    /// No body, or all of it read.
    Done,
    /// `Content-Length`: bytes still to come.
    Length(u64),
    Chunked(Decoder),
    /// The body broke (invalid chunk, client gone): the connection cannot
    /// be reused.
    Failed,
}

/// `Expect: 100-continue` as nginx handles it: the interim response goes
/// out when the body is first read, or before the response of a handler
/// that discards the body, never after an error response started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Continue {
    /// Not asked for, or already decided.
    No,
    /// Asked for and not sent yet.
    Pending,
    /// Being written: so many bytes of it are out.
    Sending(usize),
}

pub struct Io {
    stream: Option<Stream>,
    /// Read from the socket, not used yet (the rest of a head, body bytes,
    /// pipelined requests).
    pub buf: BytesMut,
    /// The client closed its side (or the socket failed).
    pub eof: bool,
    pub body: BodyState,
    pub continue_: Continue,
    /// Told when `100 Continue` goes out (for the log).
    pub expect: Option<crate::serve::ExpectContinue>,
}

/// The connection, shared by the loop and the request body.
#[derive(Clone)]
pub struct SharedIo(Arc<Mutex<Io>>);

impl SharedIo {
    pub fn new(stream: Stream) -> SharedIo {
        SharedIo(Arc::new(Mutex::new(Io {
            stream: Some(stream),
            buf: BytesMut::new(),
            eof: false,
            body: BodyState::Done,
            continue_: Continue::No,
            expect: None,
        })))
    }

    pub fn lock(&self) -> MutexGuard<'_, Io> {
        // A panic while holding the lock leaves plain data behind.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads more bytes into the buffer; `Ok(0)` at end of stream.
    pub async fn fill(&self) -> io::Result<usize> {
        poll_fn(|cx| self.lock().poll_fill(cx)).await
    }

    /// Writes all of `data`.
    pub async fn write_all(&self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let n = poll_fn(|cx| self.lock().poll_write(cx, data)).await?;
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            data = &data[n..];
        }
        Ok(())
    }

    pub async fn flush(&self) -> io::Result<()> {
        poll_fn(|cx| self.lock().poll_flush(cx)).await
    }

    /// Closes the sending side (lingering close: the client reads the
    /// response to its end, and rginx reads what it still sends).
    pub async fn shutdown(&self) -> io::Result<()> {
        poll_fn(|cx| self.lock().poll_shutdown(cx)).await
    }

    /// The next piece of the request body.
    pub async fn body_data(&self) -> Option<io::Result<Bytes>> {
        poll_fn(|cx| self.lock().poll_body(cx)).await
    }

    /// Whether the socket has bytes to read right now (or has closed),
    /// without waiting.
    pub fn readable_now(&self) -> bool {
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut io = self.lock();
        if !io.buf.is_empty() {
            return true;
        }
        matches!(io.poll_fill(&mut cx), Poll::Ready(_))
    }

    /// Takes the socket and the bytes read past the head, for a protocol
    /// switch.
    pub fn take_stream(&self) -> Option<(Stream, Bytes)> {
        let mut io = self.lock();
        let stream = io.stream.take()?;
        let rest = io.buf.split().freeze();
        Some((stream, rest))
    }
}

impl Io {
    fn stream(&mut self) -> io::Result<Pin<&mut Stream>> {
        match self.stream.as_mut() {
            Some(stream) => Ok(Pin::new(stream)),
            None => Err(handed_over()),
        }
    }

    pub fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.eof {
            return Poll::Ready(Ok(0));
        }
        // Reading into spare capacity: zeroing a read buffer before every
        // read cost more than the rest of a small request.
        if self.buf.capacity() - self.buf.len() < READ_SIZE {
            self.buf.reserve(READ_SIZE);
        }
        let result = match self.stream.as_mut() {
            Some(stream) => tokio_util::io::poll_read_buf(Pin::new(stream), cx, &mut self.buf),
            None => Poll::Ready(Err(handed_over())),
        };
        match &result {
            Poll::Ready(Ok(0)) | Poll::Ready(Err(_)) => self.eof = true,
            _ => {}
        }
        result
    }

    fn poll_write(&mut self, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        self.stream()?.poll_write(cx, data)
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stream()?.poll_flush(cx)
    }

    fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.stream()?.poll_shutdown(cx)
    }

    /// Sends `100 Continue` if it is due.
    fn poll_continue(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            let sent = match self.continue_ {
                Continue::No => return Poll::Ready(Ok(())),
                Continue::Pending => {
                    if let Some(expect) = &self.expect {
                        expect.mark_sent();
                    }
                    0
                }
                Continue::Sending(sent) => sent,
            };
            if sent == CONTINUE.len() {
                self.continue_ = Continue::No;
                return self.poll_flush(cx);
            }
            let n = ready!(self.poll_write(cx, &CONTINUE[sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.continue_ = Continue::Sending(sent + n);
        }
    }

    /// Decodes the next piece of body from the buffer, reading as needed.
    pub fn poll_body(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        if let Err(err) = ready!(self.poll_continue(cx)) {
            self.body = BodyState::Failed;
            return Poll::Ready(Some(Err(err)));
        }
        loop {
            match &mut self.body {
                BodyState::Done => return Poll::Ready(None),
                BodyState::Failed => {
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the request body is broken",
                    ))));
                }
                BodyState::Length(rest) => {
                    if !self.buf.is_empty() {
                        let take = usize::try_from(*rest)
                            .unwrap_or(usize::MAX)
                            .min(self.buf.len());
                        *rest -= take as u64;
                        if *rest == 0 {
                            self.body = BodyState::Done;
                        }
                        return Poll::Ready(Some(Ok(self.buf.split_to(take).freeze())));
                    }
                }
                BodyState::Chunked(decoder) => match decoder.decode(&mut self.buf) {
                    Ok(Chunk::Data(data)) => return Poll::Ready(Some(Ok(data))),
                    Ok(Chunk::Done) => {
                        self.body = BodyState::Done;
                        return Poll::Ready(None);
                    }
                    Ok(Chunk::More) => {}
                    Err(_) => {
                        self.body = BodyState::Failed;
                        return Poll::Ready(Some(Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "client sent invalid chunked body",
                        ))));
                    }
                },
            }
            match ready!(self.poll_fill(cx)) {
                Ok(0) => {
                    self.body = BodyState::Failed;
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "client prematurely closed connection",
                    ))));
                }
                Ok(_) => {}
                Err(err) => {
                    self.body = BodyState::Failed;
                    return Poll::Ready(Some(Err(err)));
                }
            }
        }
    }
}

fn handed_over() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        "the connection was handed over",
    )
}

/// The request body as handlers see it.
pub struct RequestBody {
    io: SharedIo,
}

impl RequestBody {
    pub fn new(io: SharedIo) -> RequestBody {
        RequestBody { io }
    }
}

impl hyper::body::Body for RequestBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, io::Error>>> {
        let mut io = self.io.lock();
        io.poll_body(cx)
            .map(|piece| piece.map(|result| result.map(hyper::body::Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.io.lock().body, BodyState::Done)
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self.io.lock().body {
            BodyState::Length(rest) => hyper::body::SizeHint::with_exact(rest),
            BodyState::Done => hyper::body::SizeHint::with_exact(0),
            _ => hyper::body::SizeHint::default(),
        }
    }
}

/// The stream after a protocol switch: the bytes the codec read past the
/// head come first.
pub struct Rewind {
    prefix: Bytes,
    inner: Stream,
}

impl Rewind {
    pub fn new(inner: Stream, prefix: Bytes) -> Rewind {
        Rewind { prefix, inner }
    }
}

impl AsyncRead for Rewind {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.prefix.is_empty() {
            let n = self.prefix.len().min(buf.remaining());
            let head = self.prefix.split_to(n);
            buf.put_slice(&head);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Rewind {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
