//! Access-log lines that wait for their response to be sent. nginx's log
//! phase runs when the request is finalised, after the last byte went to
//! the socket, so `$body_bytes_sent`, `$bytes_sent`, `$request_time` and
//! the log's clock fields describe the response as sent, streamed bodies
//! included. rginx renders everything else of a line when the response
//! head is ready (the request's context ends there) and fills in those
//! late fields when the body is done.

use super::file::LogFile;
use super::format::{Field, Late, Rendered};
use super::{Detached, script, write_late_field};
use crate::core_main::LogLevel;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Where a waiting line goes.
pub(super) enum Sink {
    File(Arc<LogFile>),
    Script(PathBuf, Option<super::FileCache>),
}

pub(super) struct Line {
    pub rendered: Rendered,
    pub sink: Sink,
}

/// The sizes the late fields report.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sent {
    /// Body bytes on the wire (chunk framing included, as nginx counts).
    pub body: u64,
    /// The response head as written, when the codec knows it exactly.
    pub head: Option<u64>,
}

/// A request's access-log lines, rendered up to the late fields.
pub struct PendingLog {
    pub(super) lines: Vec<Line>,
    pub(super) started: Instant,
    /// The head length as the header filter computed it.
    pub(super) head_estimate: u64,
    /// Bytes nginx counts that are not part of this response (an interim
    /// `100 Continue`).
    pub(super) extra: u64,
    /// The error log for a line that cannot be written (boxed: a pending
    /// log moves with its request's outcome, and this is rarely used).
    pub(super) errors: Option<Box<Detached>>,
}

impl PendingLog {
    /// Writes the lines with the response's final sizes.
    pub fn finish(self, sent: Sent) {
        let body = sent.body + self.extra;
        let bytes = sent.head.unwrap_or(self.head_estimate) + body;
        for line in &self.lines {
            let rendered = &line.rendered;
            let mut text = Vec::with_capacity(rendered.text.len() + 64);
            let mut from = 0;
            for (at, late) in &rendered.late {
                let at = *at;
                text.extend_from_slice(rendered.text.get(from..at).unwrap_or_default());
                match late {
                    Late::Field(field) => {
                        write_late_field(*field, self.started, body, bytes, &mut text);
                    }
                    Late::Upstream(value) => value.write(&mut text),
                }
                from = at;
            }
            text.extend_from_slice(rendered.text.get(from..).unwrap_or_default());
            text.push(b'\n');
            let failure = match &line.sink {
                Sink::File(file) => file.write_line(&text).err().map(|m| (LogLevel::Alert, m)),
                Sink::Script(path, cache) => script::write(path, &text, *cache).err(),
            };
            if let (Some((level, message)), Some(errors)) = (failure, &self.errors)
                && !message.is_empty()
            {
                errors.error(level, &format!("{message} while logging request"));
            }
        }
    }

    /// Whether any line is waiting.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Whether a field can only be known once the response is sent.
pub(super) fn is_late(field: Field) -> bool {
    matches!(
        field,
        Field::TimeLocal
            | Field::TimeIso8601
            | Field::Msec
            | Field::RequestTime
            | Field::BytesSent
            | Field::BodyBytesSent
    )
}

impl std::fmt::Debug for PendingLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PendingLog({} lines)", self.lines.len())
    }
}

/// A codec's hold on a request's log lines.
pub struct ClaimedLog {
    pending: Option<PendingLog>,
    /// What was written so far.
    pub sent: Sent,
}

impl ClaimedLog {
    /// A codec's guard of the lines (if any): they are written at the
    /// latest when it drops, with the sizes it was told.
    pub fn new(pending: Option<PendingLog>) -> ClaimedLog {
        ClaimedLog {
            pending,
            sent: Sent::default(),
        }
    }

    /// Writes the lines with the sizes in `sent`.
    pub fn finish(&mut self) {
        if let Some(pending) = self.pending.take() {
            pending.finish(self.sent);
        }
    }
}

impl Drop for ClaimedLog {
    fn drop(&mut self) {
        self.finish();
    }
}
