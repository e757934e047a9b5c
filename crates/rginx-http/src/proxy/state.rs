//! What a request keeps of its trips upstream, for `$upstream_*`,
//! `$proxy_host`/`$proxy_port` and the `upstream: "..."` part of error-log
//! lines (nginx's `r->upstream_states` and `u->headers_in`).

use super::client::ResponseHead;
use bytes::Bytes;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Bytes a request shares with the configuration (`$proxy_host`,
/// `$proxy_port` of a literal `proxy_pass`) instead of copying them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shared(Bytes);

impl Shared {
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Shared {
    fn from(bytes: Vec<u8>) -> Shared {
        Shared(Bytes::from(bytes))
    }
}

impl std::ops::Deref for Shared {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// One try of one peer (nginx's `ngx_http_upstream_state_t`); an entry
/// without a peer separates the tries of two upstream requests (an internal
/// redirect proxied again), shown as ` : `.
#[derive(Clone, Debug, Default)]
pub struct Attempt {
    pub peer: Option<Arc<str>>,
    /// 0: none yet (`-`).
    pub status: u16,
    pub connect_time: Option<Duration>,
    pub header_time: Option<Duration>,
    pub response_time: Option<Duration>,
    pub response_length: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// A body still streaming from this try: what it adds to
    /// `response_length` and `bytes_received` as it comes.
    pub streaming: Option<Arc<BodyProgress>>,
}

impl Attempt {
    /// Its `$upstream_response_time`: a streamed body's try lasts until the
    /// body ended.
    fn response_time(&self) -> Option<Duration> {
        self.response_time
            .or_else(|| self.streaming.as_ref().map(|p| p.response_time()))
    }

    /// Its `$upstream_response_length`, `$upstream_bytes_received` or
    /// `$upstream_bytes_sent` as it stands.
    fn length(&self, kind: LengthKind) -> u64 {
        let streamed = self.streaming.as_ref().map_or(0, |p| p.read());
        match kind {
            LengthKind::Response => self.response_length + streamed,
            LengthKind::Received => self.bytes_received + streamed,
            LengthKind::Sent => self.bytes_sent,
        }
    }
}

/// A streamed upstream body's progress, shared by the body and the
/// access-log lines that wait for it (nginx logs after the body ended):
/// the bytes read from its connection so far (nginx counts both lengths in
/// bytes read, chunk framing included) and when the try ended.
#[derive(Debug)]
pub struct BodyProgress {
    read: AtomicU64,
    /// When the try started (`$upstream_response_time` runs from there).
    started: Instant,
    ended: OnceLock<Duration>,
}

impl BodyProgress {
    pub fn new(started: Instant) -> BodyProgress {
        BodyProgress {
            read: AtomicU64::new(0),
            started,
            ended: OnceLock::new(),
        }
    }

    pub fn add(&self, read: u64) {
        self.read.fetch_add(read, Ordering::Relaxed);
    }

    pub fn read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    /// The body ended (read whole, failed or abandoned): the try's
    /// response time stops here.
    pub fn end(&self) {
        let _ = self.ended.set(self.started.elapsed());
    }

    /// The try's response time: until the body ended, or until now.
    pub fn response_time(&self) -> Duration {
        self.ended
            .get()
            .copied()
            .unwrap_or_else(|| self.started.elapsed())
    }
}

/// What of the last try grows while its body streams.
#[derive(Clone, Copy, Debug)]
pub enum Growing {
    ResponseLength,
    BytesReceived,
    ResponseTime,
}

/// An `$upstream_response_length`, `$upstream_bytes_received` or
/// `$upstream_response_time` whose last item waits for a streaming body:
/// the text before it, and where the rest comes from.
#[derive(Debug)]
pub struct LateUpstream {
    before: Vec<u8>,
    what: Growing,
    /// The bytes counted before the body streamed.
    base: u64,
    progress: Arc<BodyProgress>,
}

impl LateUpstream {
    /// The whole value as it stands now.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.before);
        match self.what {
            Growing::ResponseTime => write_time(self.progress.response_time(), out),
            _ => {
                let total = self.base + self.progress.read();
                out.extend_from_slice(itoa::Buffer::new().format(total).as_bytes());
            }
        }
    }
}

/// Seconds with milliseconds, as nginx prints `$upstream_*_time`.
fn write_time(time: Duration, out: &mut Vec<u8>) {
    let ms = time.as_millis();
    out.extend_from_slice(format!("{}.{:03}", ms / 1000, ms % 1000).as_bytes());
}

/// The tries of a request: the first in place (nearly every request
/// makes one), the others in a vector.
#[derive(Clone, Debug, Default)]
pub struct Attempts {
    first: Option<Attempt>,
    rest: Vec<Attempt>,
}

impl Attempts {
    pub fn push(&mut self, attempt: Attempt) {
        if self.first.is_none() {
            self.first = Some(attempt);
        } else {
            self.rest.push(attempt);
        }
    }

    pub fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    pub fn get(&self, index: usize) -> Option<&Attempt> {
        match index {
            0 => self.first.as_ref(),
            _ => self.rest.get(index - 1),
        }
    }

    pub fn last_mut(&mut self) -> Option<&mut Attempt> {
        match self.rest.last_mut() {
            Some(last) => Some(last),
            None => self.first.as_mut(),
        }
    }
}

/// The upstream side of a request.
#[derive(Clone, Debug, Default)]
pub struct UpstreamState {
    pub attempts: Attempts,
    /// `$proxy_host`, `$proxy_port`.
    pub proxy_host: Shared,
    pub proxy_port: Shared,
    /// The response head as the upstream sent it (`$upstream_http_*`).
    pub response: Option<ResponseHead>,
    /// `http://PEER/URI` of the try in progress, for error-log lines.
    pub log_target: Option<String>,
}

/// Which time `$upstream_*_time` shows.
#[derive(Clone, Copy, Debug)]
pub enum TimeKind {
    Connect,
    Header,
    Response,
}

/// Which length `$upstream_*` shows.
#[derive(Clone, Copy, Debug)]
pub enum LengthKind {
    Response,
    Received,
    Sent,
}

impl UpstreamState {
    /// nginx's list format: `, ` between tries, ` : ` between upstream
    /// requests (where an entry without a peer stands).
    fn join(&self, mut each: impl FnMut(&Attempt, &mut Vec<u8>)) -> Option<Vec<u8>> {
        if self.attempts.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(attempt) = self.attempts.get(i) {
            each(attempt, &mut out);
            i += 1;
            let Some(next) = self.attempts.get(i) else {
                break;
            };
            if next.peer.is_some() {
                out.extend_from_slice(b", ");
            } else {
                out.extend_from_slice(b" : ");
                i += 1;
            }
        }
        Some(out)
    }

    /// `$upstream_addr`.
    pub fn addr(&self) -> Option<Vec<u8>> {
        self.join(|a, out| {
            if let Some(peer) = &a.peer {
                out.extend_from_slice(peer.as_bytes());
            }
        })
    }

    /// `$upstream_status`.
    pub fn status(&self) -> Option<Vec<u8>> {
        self.join(|a, out| {
            if a.status != 0 {
                out.extend_from_slice(a.status.to_string().as_bytes());
            } else {
                out.push(b'-');
            }
        })
    }

    /// `$upstream_connect_time`, `$upstream_header_time`,
    /// `$upstream_response_time`: seconds with milliseconds.
    pub fn time(&self, kind: TimeKind) -> Option<Vec<u8>> {
        self.join(|a, out| {
            let time = match kind {
                TimeKind::Connect => a.connect_time,
                TimeKind::Header => a.header_time,
                TimeKind::Response => a.response_time(),
            };
            match time {
                Some(time) => write_time(time, out),
                None => out.push(b'-'),
            }
        })
    }

    /// `$upstream_response_length`, `$upstream_bytes_received`,
    /// `$upstream_bytes_sent`.
    pub fn length(&self, kind: LengthKind) -> Option<Vec<u8>> {
        self.join(|a, out| {
            out.extend_from_slice(itoa::Buffer::new().format(a.length(kind)).as_bytes());
        })
    }

    /// A value for a log line written after the body: `Some` when the
    /// last try's body is still streaming (its last item grows with it).
    pub fn late(&self, what: Growing) -> Option<LateUpstream> {
        let last = self.attempts.get(self.attempts.len().checked_sub(1)?)?;
        let progress = last.streaming.clone()?;
        // Every item but the last, which ends the text.
        let before = self.join(|a, out| {
            if std::ptr::eq(a, last) {
                return;
            }
            match what {
                Growing::ResponseLength => out.extend_from_slice(
                    itoa::Buffer::new()
                        .format(a.length(LengthKind::Response))
                        .as_bytes(),
                ),
                Growing::BytesReceived => out.extend_from_slice(
                    itoa::Buffer::new()
                        .format(a.length(LengthKind::Received))
                        .as_bytes(),
                ),
                Growing::ResponseTime => match a.response_time() {
                    Some(time) => write_time(time, out),
                    None => out.push(b'-'),
                },
            }
        })?;
        Some(LateUpstream {
            before,
            what,
            base: match what {
                Growing::ResponseLength => last.response_length,
                _ => last.bytes_received,
            },
            progress,
        })
    }

    /// `$upstream_http_NAME` (NAME lowercase with `-`): the first header of
    /// that name.
    pub fn header(&self, name: &[u8]) -> Option<&[u8]> {
        self.response.as_ref()?.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(peer: &str, status: u16) -> Attempt {
        Attempt {
            peer: Some(peer.into()),
            status,
            ..Attempt::default()
        }
    }

    #[test]
    fn lists_as_nginx_writes_them() {
        let mut state = UpstreamState::default();
        assert_eq!(state.addr(), None);
        state.attempts.push(attempt("127.0.0.1:1", 502));
        state.attempts.push(attempt("127.0.0.1:2", 200));
        assert_eq!(state.addr().unwrap(), b"127.0.0.1:1, 127.0.0.1:2");
        assert_eq!(state.status().unwrap(), b"502, 200");
        state.attempts.push(Attempt::default());
        state.attempts.push(attempt("u", 0));
        assert_eq!(
            state.addr().unwrap(),
            b"127.0.0.1:1, 127.0.0.1:2 : u".to_vec()
        );
        assert_eq!(state.status().unwrap(), b"502, 200 : -");
        assert_eq!(state.time(TimeKind::Header).unwrap(), b"-, - : -".to_vec());
    }

    /// A log line written after a streamed body shows the lengths as they
    /// ended; the earlier tries' numbers are fixed when the line is made.
    #[test]
    fn late_lengths_follow_the_streaming_body() {
        let mut state = UpstreamState::default();
        let mut failed = attempt("127.0.0.1:1", 502);
        failed.response_length = 7;
        failed.bytes_received = 100;
        state.attempts.push(failed);
        assert!(state.late(Growing::ResponseLength).is_none());
        let progress = Arc::new(BodyProgress::new(Instant::now()));
        let mut streaming = attempt("127.0.0.1:2", 200);
        streaming.response_length = 10;
        streaming.bytes_received = 150;
        streaming.bytes_sent = 60;
        streaming.streaming = Some(progress.clone());
        state.attempts.push(streaming);
        let response = state.late(Growing::ResponseLength).unwrap();
        let received = state.late(Growing::BytesReceived).unwrap();
        progress.add(32);
        let text = |late: &LateUpstream| {
            let mut out = Vec::new();
            late.write(&mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(text(&response), "7, 42");
        assert_eq!(text(&received), "100, 182");
        progress.add(8);
        assert_eq!(text(&response), "7, 50");
        assert_eq!(state.length(LengthKind::Response).unwrap(), b"7, 50");
        assert_eq!(state.length(LengthKind::Sent).unwrap(), b"0, 60");
    }

    /// A streamed body's try lasts until the body ends: a log line written
    /// after it shows that time, fixed once the body ended.
    #[test]
    fn response_time_runs_to_the_end_of_the_body() {
        let mut state = UpstreamState::default();
        let mut failed = attempt("127.0.0.1:1", 502);
        failed.response_time = Some(Duration::from_millis(3));
        state.attempts.push(failed);
        let started = Instant::now() - Duration::from_millis(1500);
        let progress = Arc::new(BodyProgress::new(started));
        let mut streaming = attempt("127.0.0.1:2", 200);
        streaming.streaming = Some(progress.clone());
        state.attempts.push(streaming);
        let late = state.late(Growing::ResponseTime).unwrap();
        let text = || {
            let mut out = Vec::new();
            late.write(&mut out);
            String::from_utf8(out).unwrap()
        };
        let running = text();
        assert!(running.starts_with("0.003, 1."), "{running}");
        progress.end();
        let ended = text();
        assert!(ended.starts_with("0.003, 1."), "{ended}");
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(text(), ended);
        assert_eq!(
            String::from_utf8(state.time(TimeKind::Response).unwrap()).unwrap(),
            ended
        );
    }
}
