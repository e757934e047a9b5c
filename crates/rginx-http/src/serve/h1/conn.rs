//! The life of one plain HTTP/1.x connection, as nginx leads it
//! (ngx_http_request.c): wait for a request (`client_header_timeout` for the
//! first, `keepalive_timeout` between requests), read its head
//! (`client_header_timeout` for the whole head), hand it to the handler,
//! write the response, drop what is left of the request body (nginx's
//! discard, bounded by its lingering timeouts), then keep the connection
//! for the next request (pipelined ones are already in the buffer) or close
//! it, lingering when the client may still be sending so that it reads the
//! response rather than a reset.
//!
//! A draining worker (QUIT) answers the next request of each connection
//! with `Connection: close` (the handler does) and closes a connection that
//! stays idle for `DRAIN_GRACE`.

use super::chunked;
use super::chunked::Decoder;
use super::head::{Framing as BodyFraming, Head, HeadReader, Limits, Refusal, Step};
use super::io::{BodyState, Continue, RequestBody, Rewind, SharedIo, Stream};
use super::write::{self, Answering, Framing};
use crate::http_core::limits::{LingeringClose, Tuning};
use crate::log::pending::ClaimedLog;
use crate::serve::answer::AnswerBody;
use crate::serve::handler::{self, Body, ConnInfo, Responding, Shared};
use crate::serve::{DRAIN_GRACE, ExpectContinue, Refused, Upgrade, UpgradedStream};
use bytes::{Bytes, BytesMut};
use http::Version;
use http_body_util::BodyExt;
use hyper::body::Body as _;
use std::future::poll_fn;
use std::io;
use std::os::fd::RawFd;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;
use tokio::sync::{oneshot, watch};
use tokio::time::{Instant, sleep_until, timeout, timeout_at};

/// Response bytes gathered before a write.
const WRITE_BATCH: usize = 64 * 1024;

/// nginx's interim response to `Expect: 100-continue`.
const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// The connection's settings, from the default server of its address.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub limits: Limits,
    pub header_timeout: Duration,
    pub keepalive_timeout: Duration,
    /// The socket, for `reset_timedout_connection` (`None`: not a socket
    /// rginx can reset).
    pub fd: Option<RawFd>,
    /// The default server's lingering, send and rate settings, for what is
    /// answered before a request has a location.
    pub tuning: Tuning,
}

/// What follows a request.
enum Next {
    KeepAlive,
    /// Close; `linger`: read what the client still sends first, as the
    /// request's `lingering_*` settings say.
    Close {
        linger: bool,
        tuning: Tuning,
    },
    /// The connection is gone or handed over.
    Done,
    /// Closed on a timeout (or `return 444`): with a reset when
    /// `reset_timedout_connection` is on.
    Abort {
        tuning: Tuning,
    },
}

/// Serves requests on `stream` until the connection ends.
pub async fn serve(
    stream: Stream,
    conn: Arc<ConnInfo>,
    shared: Arc<Shared>,
    settings: Settings,
    stop: watch::Receiver<bool>,
) {
    let io = SharedIo::new(stream);
    let accepted = Instant::now();
    let mut drain: Option<Instant> = stop.borrow().then(Instant::now);
    // One wait for the worker's stop for the connection's life: a new
    // `changed()` per request registered with the channel every time,
    // which showed in profiles.
    let mut stopping = std::pin::pin!(stopped(stop));
    let mut first = true;
    // One idle timer for the connection's life, moved on for each wait:
    // moving a tokio timer later is an atomic store, while a new timer per
    // request took the driver's lock and woke it through its eventfd.
    let mut idle = std::pin::pin!(sleep_until(accepted + settings.header_timeout));
    loop {
        let buffered = !io.lock().buf.is_empty();
        if !buffered
            && !wait_request(
                &io,
                &settings,
                first,
                accepted,
                stopping.as_mut(),
                &mut drain,
                idle.as_mut(),
            )
            .await
        {
            return;
        }
        // nginx's header timer runs from the accept for the first request,
        // from its first bytes for the next ones.
        let deadline = if first {
            accepted + settings.header_timeout
        } else {
            Instant::now() + settings.header_timeout
        };
        first = false;
        let next = match read_head(&io, settings.limits, deadline).await {
            HeadRead::Head(head) => serve_request(&io, head, &conn, &shared, &settings).await,
            HeadRead::Refused(refusal) => {
                answer_refusal(&io, *refusal, &conn, &shared, &settings, true).await
            }
            HeadRead::Gone(refusal) => {
                answer_refusal(&io, *refusal, &conn, &shared, &settings, false).await
            }
        };
        match next {
            Next::KeepAlive => {}
            Next::Close { linger, tuning } => {
                let plain = conn.tls.is_none();
                close(
                    &io,
                    linger,
                    plain,
                    &tuning,
                    stopping.as_mut(),
                    drain.is_some(),
                )
                .await;
                return;
            }
            Next::Done => return,
            Next::Abort { tuning } => {
                if tuning.reset_timedout_connection {
                    reset(settings.fd);
                }
                return;
            }
        }
    }
}

/// Resolves once the worker is told to stop (or its stop channel is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// Waits for the first bytes of a request; `false`: close the connection
/// (the client left, the wait timed out, or the worker is draining).
async fn wait_request(
    io: &SharedIo,
    settings: &Settings,
    first: bool,
    accepted: Instant,
    mut stopping: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
    drain: &mut Option<Instant>,
    mut timer: std::pin::Pin<&mut tokio::time::Sleep>,
) -> bool {
    let idle_since = Instant::now();
    let limit = if first {
        accepted + settings.header_timeout
    } else {
        idle_since + settings.keepalive_timeout
    };
    loop {
        let deadline = match drain {
            Some(started) => limit.min((*started).max(idle_since) + DRAIN_GRACE),
            None => limit,
        };
        if timer.deadline() != deadline {
            timer.as_mut().reset(deadline);
        }
        // Biased: the read first (a request that is there wins over a
        // timer that fired meanwhile), and no random pick per wait.
        tokio::select! {
            biased;
            read = io.fill() => return matches!(read, Ok(n) if n > 0),
            _ = timer.as_mut() => return false,
            () = stopping.as_mut(), if drain.is_none() => *drain = Some(Instant::now()),
        }
    }
}

enum HeadRead {
    Head(Box<Head>),
    Refused(Box<Refusal>),
    /// The client closed or timed out before its head was whole.
    Gone(Box<Refusal>),
}

async fn read_head(io: &SharedIo, limits: Limits, deadline: Instant) -> HeadRead {
    let mut reader = HeadReader::new(limits);
    loop {
        let step = {
            let mut io = io.lock();
            reader.advance(&mut io.buf)
        };
        match step {
            Step::More => {}
            Step::Head(head) => return HeadRead::Head(head),
            Step::Refused(refusal) => return HeadRead::Refused(refusal),
        }
        let (status, message) = match timeout_at(deadline, io.fill()).await {
            Ok(Ok(n)) if n > 0 => continue,
            Ok(_) => (400, "client prematurely closed connection"),
            Err(_) => (408, "client timed out"),
        };
        let io = io.lock();
        return HeadRead::Gone(reader.abandoned(&io.buf, status, message));
    }
}

fn empty_body() -> crate::serve::RequestBody {
    http_body_util::Empty::new()
        .map_err(|never| match never {})
        .boxed()
}

/// A refused head: nginx's answer (or only its log line), then close.
async fn answer_refusal(
    io: &SharedIo,
    refusal: Refusal,
    conn: &Arc<ConnInfo>,
    shared: &Arc<Shared>,
    settings: &Settings,
    respond: bool,
) -> Next {
    let Refusal {
        status,
        message,
        mut parts,
        raw,
        lingering,
    } = refusal;
    parts.extensions.insert(Refused {
        status,
        message,
        respond,
    });
    let method = parts.method.clone();
    let version = parts.version;
    // Not answered: the client timed out (or left) before its head was
    // whole.
    let answered = handler::respond(
        parts,
        Some(raw),
        empty_body(),
        None,
        conn.clone(),
        shared.clone(),
    )
    .await;
    let (response, tuning) = match handled(answered, settings) {
        Ok(handled) => handled,
        Err(abort) => return abort,
    };
    let answering = Answering {
        method: &method,
        version,
    };
    match write_response(io, response, answering, &tuning).await {
        Ok(_) => Next::Close {
            linger: lingering,
            tuning,
        },
        Err(err) => failed_write(&err, tuning),
    }
}

/// What the handler's answer means for the connection: the answer and the
/// settings to send it and close after it with, or the abort that closes
/// the connection without an answer. (A plain function, not a wrapping
/// future: each future level copied the handler's future once more.)
fn handled(
    result: Result<Responding, handler::Abort>,
    settings: &Settings,
) -> Result<(Responding, Tuning), Next> {
    match result {
        Ok(response) => {
            let tuning = response.answer.tuning.unwrap_or(settings.tuning);
            Ok((response, tuning))
        }
        Err(abort) => Err(Next::Abort {
            tuning: abort.tuning.unwrap_or(settings.tuning),
        }),
    }
}

/// After a failed response write: a send timeout is a timed-out close.
fn failed_write(err: &io::Error, tuning: Tuning) -> Next {
    if err.kind() == io::ErrorKind::TimedOut {
        Next::Abort { tuning }
    } else {
        Next::Done
    }
}

/// `reset_timedout_connection`: SO_LINGER 0, so that the close that
/// follows sends RST and drops what is unsent.
fn reset(fd: Option<RawFd>) {
    use nix::sys::socket::{setsockopt, sockopt};
    let Some(fd) = fd else {
        return;
    };
    // SAFETY: the descriptor belongs to the connection's stream, which is
    // still open (it closes when the connection's IO drops, after this).
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    let linger = nix::libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    let _ = setsockopt(&fd, sockopt::Linger, &linger);
}

async fn serve_request(
    io: &SharedIo,
    mut head: Box<Head>,
    conn: &Arc<ConnInfo>,
    shared: &Arc<Shared>,
    settings: &Settings,
) -> Next {
    {
        let mut io = io.lock();
        io.body = match head.framing {
            BodyFraming::None => BodyState::Done,
            BodyFraming::Length(length) => BodyState::Length(length),
            BodyFraming::Chunked => BodyState::Chunked(Decoder::default()),
        };
        io.continue_ = Continue::No;
        io.expect = None;
        if head.expect_continue {
            let expect = ExpectContinue::default();
            head.parts.extensions.insert(expect.clone());
            io.expect = Some(expect);
            io.continue_ = Continue::Pending;
        }
    }
    let preread = preread_state(io);
    if preread == Preread::Complete {
        head.parts
            .extensions
            .insert(crate::serve::ChunkedBodyPreread);
    }
    if preread == Preread::Invalid {
        // nginx reads (discarding or keeping) the body bytes that came
        // with the head before it answers, and refuses a broken chunked
        // body at once.
        io.lock().body = BodyState::Done;
        let refusal = Refusal {
            status: 400,
            message: "client sent invalid chunked body".into(),
            parts: head.parts,
            raw: head.raw,
            lingering: false,
        };
        return answer_refusal(io, refusal, conn, shared, settings, true).await;
    }
    let method = head.parts.method.clone();
    let version = head.parts.version;
    let (upgrade, upgraded) = if head.wants_upgrade && version == Version::HTTP_11 {
        let (tx, rx) = oneshot::channel::<Box<dyn UpgradedStream>>();
        let upgrade = Upgrade::from_future(async move {
            rx.await
                .map_err(|_| io::Error::other("the connection was not upgraded"))
        });
        (Some(upgrade), Some(tx))
    } else {
        (None, None)
    };
    let body = RequestBody::new(io.clone()).boxed();
    // `return 444`: close at once, without a response.
    let answered = handler::respond(
        head.parts,
        Some(head.raw),
        body,
        upgrade,
        conn.clone(),
        shared.clone(),
    )
    .await;
    let (response, tuning) = match handled(answered, settings) {
        Ok(handled) => handled,
        Err(abort) => return abort,
    };
    let answering = Answering {
        method: &method,
        version,
    };
    let switching = response.answer.head.status == 101;
    let close = match write_response(io, response, answering, &tuning).await {
        Ok(close) => close,
        Err(err) => return failed_write(&err, tuning),
    };
    if switching {
        if let (Some(tx), Some((stream, rest))) = (upgraded, io.take_stream()) {
            let stream: Box<dyn UpgradedStream> = Box::new(Rewind::new(stream, rest));
            // Nobody waiting for it: the tunnel was given up; the stream
            // closes as it drops.
            let _ = tx.send(stream);
        }
        return Next::Done;
    }
    if !discard_body(io, &tuning).await {
        return Next::Done;
    }
    if close {
        Next::Close {
            linger: false,
            tuning,
        }
    } else {
        Next::KeepAlive
    }
}

/// What the chunked body bytes that came with the head hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preread {
    /// Not chunked, nothing yet, or a valid start.
    Partial,
    /// The whole body, last chunk and trailer included.
    Complete,
    Invalid,
}

fn preread_state(io: &SharedIo) -> Preread {
    let io = io.lock();
    if !matches!(io.body, BodyState::Chunked(_)) || io.buf.is_empty() {
        return Preread::Partial;
    }
    let mut decoder = Decoder::default();
    let mut preread = BytesMut::from(&io.buf[..]);
    loop {
        match decoder.decode(&mut preread) {
            Ok(chunked::Chunk::Data(_)) => {}
            Ok(chunked::Chunk::Done) => return Preread::Complete,
            Ok(chunked::Chunk::More) => return Preread::Partial,
            Err(_) => return Preread::Invalid,
        }
    }
}

/// Writes `response`; `Ok(true)` when the connection must close after it.
async fn write_response(
    io: &SharedIo,
    response: Responding,
    answering: Answering<'_>,
    tuning: &Tuning,
) -> io::Result<bool> {
    let Responding {
        answer,
        in_flight: _in_flight,
    } = response;
    let mut answer = answer;
    let mut w = Writer::new(io, tuning);
    // A small body is copied in behind the head: room for it now rather
    // than growing the buffer.
    let small_body = match &answer.body {
        AnswerBody::Full(bytes) if bytes.len() < w.batch / 4 => bytes.len(),
        _ => 0,
    };
    let mut out = BytesMut::with_capacity(CONTINUE.len() + 512 + small_body + 64);
    {
        let mut io = io.lock();
        // nginx sends `100 Continue` when it starts reading or discarding
        // the body; a handler that never read it gets it now, unless its
        // answer is a special response.
        match io.continue_ {
            Continue::Pending if !answer.head.no_continue => {
                out.extend_from_slice(CONTINUE);
                if let Some(expect) = &io.expect {
                    expect.mark_sent();
                }
            }
            Continue::Sending(sent) => out.extend_from_slice(&CONTINUE[sent..]),
            _ => {}
        }
        io.continue_ = Continue::No;
    }
    let plan = write::write_head(&answer.head, answer.body.exact_len(), answering, &mut out);
    let mut log = ClaimedLog::new(answer.log.take());
    log.sent.head = Some(plan.head_len as u64);
    let mut body = match std::mem::replace(&mut answer.body, AnswerBody::Empty) {
        _ if plan.framing == Framing::None => None,
        AnswerBody::Empty => None,
        AnswerBody::Full(bytes) => Some(FrameSource::Once(Some(bytes))),
        AnswerBody::Stream(body) => Some(FrameSource::Body(body)),
    };
    let Some(body) = body.as_mut() else {
        log.finish();
        w.send(&out).await?;
        w.flush().await?;
        return Ok(plan.close);
    };
    let mut sent: u64 = 0;
    // Chunk framing bytes, which nginx counts as body bytes sent.
    let mut framing: u64 = 0;
    let mut complete = true;
    loop {
        let frame = match body.next_now().await {
            Poll::Ready(frame) => frame,
            Poll::Pending => {
                // Nothing more right now: what is gathered goes out first.
                if !out.is_empty() {
                    w.send(&out).await?;
                    out.clear();
                    w.flush().await?;
                }
                body.next().await
            }
        };
        let data = match frame {
            None => break,
            Some(Err(())) => {
                // The body broke (an upstream went away): what was sent
                // cannot be completed, the connection closes.
                complete = false;
                break;
            }
            Some(Ok(data)) => data,
        };
        if data.is_empty() {
            continue;
        }
        let data = match plan.framing {
            Framing::Length(length) => {
                let room = length.saturating_sub(sent);
                if room == 0 {
                    continue;
                }
                data.slice(..usize::try_from(room).unwrap_or(usize::MAX).min(data.len()))
            }
            _ => data,
        };
        sent += data.len() as u64;
        if plan.framing == Framing::Chunked {
            let before = out.len();
            chunked::chunk_head(data.len(), &mut out);
            framing += (out.len() - before + chunked::CHUNK_END.len()) as u64;
        }
        // A write that fails logs what went before it.
        log.sent.body = sent + framing;
        w.put(&mut out, data).await?;
        if plan.framing == Framing::Chunked {
            out.extend_from_slice(chunked::CHUNK_END);
        }
        if out.len() >= w.batch {
            w.send(&out).await?;
            out.clear();
        }
    }
    if let Framing::Length(length) = plan.framing
        && sent != length
    {
        complete = false;
    }
    if complete && plan.framing == Framing::Chunked {
        out.extend_from_slice(chunked::LAST_CHUNK);
        framing += chunked::LAST_CHUNK.len() as u64;
    }
    // Logged before the last write, so that a client that has the whole
    // response finds its line in the log.
    log.sent.body = sent + framing;
    log.finish();
    w.send(&out).await?;
    w.flush().await?;
    Ok(plan.close || !complete)
}

/// Where a response's body bytes come from: one piece in hand, or a body
/// to poll.
enum FrameSource {
    Once(Option<Bytes>),
    Body(Body),
}

impl FrameSource {
    /// The next piece: `None` at the end, `Some(Err)` when the body broke.
    fn poll_next(&mut self, cx: &mut std::task::Context<'_>) -> Poll<Option<Result<Bytes, ()>>> {
        match self {
            FrameSource::Once(bytes) => Poll::Ready(bytes.take().map(Ok)),
            FrameSource::Body(body) => loop {
                match std::pin::Pin::new(&mut *body).poll_frame(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Ready(Some(Err(_))) => return Poll::Ready(Some(Err(()))),
                    Poll::Ready(Some(Ok(frame))) => {
                        if let Ok(data) = frame.into_data() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
            },
        }
    }

    /// The next piece if it is there now.
    async fn next_now(&mut self) -> Poll<Option<Result<Bytes, ()>>> {
        poll_fn(|cx| Poll::Ready(self.poll_next(cx))).await
    }

    async fn next(&mut self) -> Option<Result<Bytes, ()>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }
}

/// The response's writes: `send_timeout` on each, `limit_rate` after
/// `limit_rate_after` bytes, `postpone_output` deciding the batching.
struct Writer<'a> {
    io: &'a SharedIo,
    send_timeout: Duration,
    /// Body bytes gathered before a write (`postpone_output 0`: none).
    batch: usize,
    rate: Option<Pacer>,
}

/// nginx's `limit_rate`: by `elapsed` after the response started, at most
/// `rate * (elapsed + 1s) + after` bytes may have been sent.
struct Pacer {
    rate: u64,
    after: u64,
    started: Instant,
    sent: u64,
}

impl Pacer {
    /// How many bytes may go now, or how long to wait before any may.
    fn allowance(&self) -> Result<u64, Duration> {
        let elapsed = self.started.elapsed().as_millis() as u64;
        let allowed = self.rate.saturating_mul(elapsed.saturating_add(1000)) / 1000 + self.after;
        if allowed > self.sent {
            Ok(allowed - self.sent)
        } else {
            let missing = self.sent - allowed + 1;
            Err(Duration::from_millis(
                missing.saturating_mul(1000) / self.rate + 1,
            ))
        }
    }
}

impl<'a> Writer<'a> {
    fn new(io: &'a SharedIo, tuning: &Tuning) -> Writer<'a> {
        Writer {
            io,
            send_timeout: tuning.send_timeout,
            batch: if tuning.postpone_output == 0 {
                0
            } else {
                WRITE_BATCH
            },
            rate: (tuning.limit_rate > 0).then(|| Pacer {
                rate: tuning.limit_rate,
                after: tuning.limit_rate_after,
                started: Instant::now(),
                sent: 0,
            }),
        }
    }

    /// Adds body bytes to the output, writing large ones directly rather
    /// than copying them.
    async fn put(&mut self, out: &mut BytesMut, data: Bytes) -> io::Result<()> {
        if data.len() < self.batch / 4 {
            out.extend_from_slice(&data);
            return Ok(());
        }
        if !out.is_empty() {
            self.send(out).await?;
            out.clear();
        }
        self.send(&data).await
    }

    async fn send(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let n = match self.rate.as_mut() {
                None => data.len(),
                Some(pacer) => match pacer.allowance() {
                    Ok(room) => {
                        let n = usize::try_from(room).unwrap_or(usize::MAX).min(data.len());
                        pacer.sent += n as u64;
                        n
                    }
                    Err(wait) => {
                        // What is written goes out before the pause.
                        self.flush().await?;
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                },
            };
            within(self.send_timeout, self.io.write_all(&data[..n])).await?;
            data = &data[n..];
        }
        Ok(())
    }

    async fn flush(&mut self) -> io::Result<()> {
        within(self.send_timeout, self.io.flush()).await
    }
}

/// `send_timeout` around a write: the timer is armed only when the write
/// cannot complete at once (a timer per write showed in profiles, and most
/// writes go straight into the socket buffer).
async fn within<T>(
    limit: Duration,
    write: impl std::future::Future<Output = io::Result<T>>,
) -> io::Result<T> {
    let mut write = std::pin::pin!(write);
    if let Poll::Ready(done) = poll_fn(|cx| Poll::Ready(write.as_mut().poll(cx))).await {
        return done;
    }
    timeout(limit, write)
        .await
        .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
}

/// nginx's discard of an unread request body: read and drop it, waiting
/// at most `lingering_timeout` for each piece and `lingering_time` in all;
/// `false` when the body did not end well (the connection is unusable).
async fn discard_body(io: &SharedIo, tuning: &Tuning) -> bool {
    let deadline = Instant::now() + tuning.lingering_time;
    loop {
        match io.lock().body {
            BodyState::Done => return true,
            BodyState::Failed => return false,
            _ => {}
        }
        let wait = deadline
            .saturating_duration_since(Instant::now())
            .min(tuning.lingering_timeout);
        match timeout(wait, io.body_data()).await {
            Ok(Some(Ok(_))) => {}
            Ok(None) => return true,
            Ok(Some(Err(_))) | Err(_) => return false,
        }
    }
}

/// Closes the connection. When the client may still be sending (bytes
/// are buffered or waiting), nginx's lingering close: stop sending, read
/// and drop what comes until the client closes, it pauses for
/// `lingering_timeout`, `lingering_time` passes, or the worker drains.
/// `lingering_close always` lingers whatever the client does, `off` never.
async fn close(
    io: &SharedIo,
    linger: bool,
    plain: bool,
    tuning: &Tuning,
    mut stopping: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
    stopped_already: bool,
) {
    let linger = match tuning.lingering_close {
        LingeringClose::Off => false,
        LingeringClose::On => linger || io.readable_now(),
        LingeringClose::Always => true,
    };
    if !linger && plain {
        // The close sends the FIN: nginx shuts the socket down only to
        // linger (TLS still says close_notify first).
        return;
    }
    let _ = timeout(tuning.lingering_timeout, io.shutdown()).await;
    if !linger {
        return;
    }
    let deadline = Instant::now() + tuning.lingering_time;
    loop {
        io.lock().buf.clear();
        let wait = deadline
            .saturating_duration_since(Instant::now())
            .min(tuning.lingering_timeout);
        if wait.is_zero() {
            return;
        }
        tokio::select! {
            read = timeout(wait, io.fill()) => {
                if !matches!(read, Ok(Ok(n)) if n > 0) {
                    return;
                }
            }
            () = stopping.as_mut(), if !stopped_already => return,
        }
    }
}
