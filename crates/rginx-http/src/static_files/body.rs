//! Response bodies read from a file: small files are read at once (from the
//! page cache, as nginx does without `sendfile`), large ones are streamed in
//! chunks so a 1 GiB file never sits in memory; multipart range bodies
//! interleave in-memory part headers with file ranges. A small file whose
//! contents the worker keeps (`content_cache`) is sliced instead of read.

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Bodies up to this size are read whole before the response starts.
pub const READ_AT_ONCE: u64 = 64 * 1024;

/// How much one streamed chunk reads: nginx's `output_buffers 2 32k`.
/// Measured on loopback (1 MiB file, 50 clients): 32 KiB chunks cost 226 us
/// of kernel time per response, 512 KiB ones 260 us, and 64 KiB ones 490 us
/// (one more byte than a 65,483-byte segment goes out as a second, tiny
/// one); small chunks also keep a read buffer in the CPU's cache until it
/// is sent.
const CHUNK: u64 = 32 * 1024;

/// One piece of a body.
#[derive(Debug)]
pub enum Segment {
    Bytes(Bytes),
    /// `[start, end)` of the file.
    File {
        start: u64,
        end: u64,
    },
}

/// Where a response's file ranges come from.
#[derive(Clone, Debug)]
pub enum Source {
    File(Arc<File>),
    /// The whole file, already in memory.
    Memory(Bytes),
}

impl Source {
    /// `[start, end)` of the file.
    pub fn read_range(&self, start: u64, end: u64) -> io::Result<Bytes> {
        match self {
            Source::File(file) => FileBody::read_range(file, start, end),
            Source::Memory(content) => {
                let range = usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(end).ok())
                    .filter(|(s, e)| s <= e && *e <= content.len());
                match range {
                    Some((s, e)) => Ok(content.slice(s..e)),
                    None => Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "file was truncated",
                    )),
                }
            }
        }
    }
}

/// A body made of file ranges and literal bytes, read lazily.
pub struct FileBody {
    source: Source,
    segments: VecDeque<Segment>,
    remaining: u64,
}

impl FileBody {
    pub fn new(source: Source, segments: Vec<Segment>) -> FileBody {
        let remaining = segments
            .iter()
            .map(|s| match s {
                Segment::Bytes(b) => b.len() as u64,
                Segment::File { start, end } => end - start,
            })
            .sum();
        FileBody {
            source,
            segments: segments.into(),
            remaining,
        }
    }

    /// Reads `[start, end)` of the file into memory; a file that shrank
    /// since it was opened is an error, as nginx's "file was truncated".
    /// One `pread` per range, as nginx reads, straight into the new
    /// buffer's spare capacity (neither zeroed first nor read in steps).
    pub fn read_range(file: &File, start: u64, end: u64) -> io::Result<Bytes> {
        let len = usize::try_from(end.saturating_sub(start))
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "range too large"))?;
        let mut buf = Vec::with_capacity(len);
        while buf.len() < len {
            let offset = start + buf.len() as u64;
            let room = rustix::buffer::spare_capacity(&mut buf);
            match rustix::io::pread(file, room, offset) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "file was truncated",
                    ));
                }
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => {}
                Err(errno) => return Err(errno.into()),
            }
        }
        // A capacity larger than asked may have taken bytes past `end`.
        buf.truncate(len);
        Ok(Bytes::from(buf))
    }

    fn next_chunk(&mut self) -> Option<io::Result<Bytes>> {
        loop {
            match self.segments.pop_front()? {
                Segment::Bytes(bytes) if bytes.is_empty() => continue,
                Segment::Bytes(bytes) => return Some(Ok(bytes)),
                Segment::File { start, end } if start >= end => continue,
                Segment::File { start, end } => {
                    let stop = end.min(start.saturating_add(CHUNK));
                    if stop < end {
                        self.segments.push_front(Segment::File { start: stop, end });
                    }
                    return Some(self.source.read_range(start, stop));
                }
            }
        }
    }
}

impl Body for FileBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        // A read from the page cache does not block for long; nginx makes
        // the same blocking read() in its event loop when aio is off.
        let this = self.get_mut();
        match this.next_chunk() {
            None => Poll::Ready(None),
            Some(Ok(bytes)) => {
                this.remaining = this.remaining.saturating_sub(bytes.len() as u64);
                Poll::Ready(Some(Ok(Frame::data(bytes))))
            }
            Some(Err(e)) => {
                this.segments.clear();
                this.remaining = 0;
                Poll::Ready(Some(Err(e)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

/// Bytes sent as a body of unknown length (chunked on HTTP/1.1), for
/// responses nginx sends without `Content-Length`, such as listings.
pub struct UnsizedBody(Option<Bytes>);

impl UnsizedBody {
    pub fn new(bytes: Bytes) -> UnsizedBody {
        UnsizedBody(Some(bytes))
    }
}

impl Body for UnsizedBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        Poll::Ready(self.get_mut().0.take().map(|bytes| Ok(Frame::data(bytes))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[test]
    fn segments_stream_in_order_and_in_chunks() {
        let dir = std::env::temp_dir().join(format!("rginx-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let data: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let file = Arc::new(File::open(&path).unwrap());
        let mut body = FileBody::new(
            Source::File(file),
            vec![
                Segment::Bytes(Bytes::from_static(b"<")),
                Segment::File {
                    start: 10,
                    end: 590_000,
                },
                Segment::Bytes(Bytes::from_static(b">")),
            ],
        );
        assert_eq!(body.size_hint().exact(), Some(1 + 589_990 + 1));
        let mut out = Vec::new();
        let mut frames = 0;
        while let Some(chunk) = body.next_chunk() {
            let chunk = chunk.unwrap();
            assert!(chunk.len() as u64 <= CHUNK);
            out.extend_from_slice(&chunk);
            frames += 1;
        }
        // The two literal pieces, and the file range cut into chunks.
        assert_eq!(frames, 2 + 589_990u64.div_ceil(CHUNK));
        assert_eq!(out[0], b'<');
        assert_eq!(&out[1..out.len() - 1], &data[10..590_000]);
        assert_eq!(*out.last().unwrap(), b'>');
        std::fs::remove_dir_all(&dir).unwrap();
        let _ = body.boxed();
    }
}
