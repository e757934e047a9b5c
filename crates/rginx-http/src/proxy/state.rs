//! What a request keeps of its trips upstream, for `$upstream_*`,
//! `$proxy_host`/`$proxy_port` and the `upstream: "..."` part of error-log
//! lines (nginx's `r->upstream_states` and `u->headers_in`).

use super::client::ResponseHead;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;

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
                TimeKind::Response => a.response_time,
            };
            match time {
                Some(time) => {
                    let ms = time.as_millis();
                    out.extend_from_slice(format!("{}.{:03}", ms / 1000, ms % 1000).as_bytes());
                }
                None => out.push(b'-'),
            }
        })
    }

    /// `$upstream_response_length`, `$upstream_bytes_received`,
    /// `$upstream_bytes_sent`.
    pub fn length(&self, kind: LengthKind) -> Option<Vec<u8>> {
        self.join(|a, out| {
            let n = match kind {
                LengthKind::Response => a.response_length,
                LengthKind::Received => a.bytes_received,
                LengthKind::Sent => a.bytes_sent,
            };
            out.extend_from_slice(n.to_string().as_bytes());
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
}
