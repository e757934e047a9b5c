//! The streaming bodies of the gzip and gunzip filters: each wraps the
//! response body and (de)compresses it frame by frame with flate2 (zlib-rs),
//! so a large body never sits in memory whole. Also the one-shot gzip member
//! the access log writes.

use crate::serve::handler::Body;
use bytes::{Buf, Bytes};
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use http::HeaderMap;
use hyper::body::{Body as HttpBody, Frame};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

/// zlib's largest window (`MAX_WBITS`).
pub const MAX_WINDOW_BITS: u8 = 15;

/// nginx's trick for short data (`ngx_http_gzip_filter_memory`,
/// `ngx_http_log_gzip`): halve the window while the data would still fit
/// in it, which saves zlib memory and gives zlib's own output for that
/// window size.
pub fn window_bits_for(len: Option<u64>, largest: u8) -> u8 {
    let mut bits = largest.clamp(9, MAX_WINDOW_BITS);
    if let Some(len) = len.filter(|len| *len > 0) {
        // The usable window is 262 bytes smaller than its size.
        while bits > 9 && len + 262 < (1u64 << (bits - 1)) {
            bits -= 1;
        }
    }
    bits
}

/// A gzip compressor as nginx sets zlib up: `deflateInit2` with the gzip
/// wrapper, so the header is zlib's (no name, no time, OS Unix).
pub fn compressor(level: u32, window_bits: u8) -> Compress {
    Compress::new_gzip(Compression::new(level.clamp(1, 9)), window_bits)
}

/// Runs `input` through `z` with `flush`, appending to `out` but never past
/// `out`'s capacity. Returns how much of `input` was used and whether the
/// flush (if any) is complete.
fn deflate_step(
    z: &mut Compress,
    input: &[u8],
    flush: FlushCompress,
    out: &mut Vec<u8>,
) -> io::Result<(usize, bool)> {
    let mut used = 0;
    loop {
        let before_in = z.total_in();
        let before_out = out.len();
        let status = z
            .compress_vec(&input[used..], out, flush)
            .map_err(|e| io::Error::other(format!("deflate() failed: {e}")))?;
        used += (z.total_in() - before_in) as usize;
        let room_left = out.len() < out.capacity();
        let progressed = out.len() > before_out || used > 0;
        let done = match (status, flush) {
            (Status::StreamEnd, _) => true,
            // zlib has written all it owes once it stops with room to spare.
            (_, FlushCompress::Finish) => false,
            _ => used == input.len() && room_left,
        };
        if done || !room_left {
            return Ok((used, done));
        }
        if !progressed && status == Status::BufError {
            return Err(io::Error::other("deflate() made no progress"));
        }
    }
}

/// One complete gzip member holding `data` (what nginx's
/// `ngx_http_log_gzip` writes per buffer).
pub fn member(data: &[u8], level: u32) -> io::Result<Vec<u8>> {
    let bits = window_bits_for(Some(data.len() as u64), MAX_WINDOW_BITS);
    let mut z = compressor(level, bits);
    // deflateBound's conservative formula plus the gzip wrapper, as nginx
    // sizes its buffer: one pass is then enough.
    let len = data.len();
    let mut out = Vec::with_capacity(len + len.div_ceil(8) + len.div_ceil(64) + 5 + 18 + 64);
    let mut used = 0;
    loop {
        let (n, done) = deflate_step(&mut z, &data[used..], FlushCompress::Finish, &mut out)?;
        used += n;
        if done {
            return Ok(out);
        }
        out.reserve(out.capacity().max(64));
    }
}

/// Where a streaming body is.
enum State {
    /// Reading the inner body.
    Reading,
    /// The inner body ended (or sent its trailers): finishing the stream.
    Finishing,
    Done,
}

/// The gzip filter's body: compresses the inner body as it streams.
///
/// Data is compressed without flushing while the inner body keeps
/// producing; when it has nothing ready (a slow upstream) whatever was
/// compressed so far is sync-flushed out, as nginx flushes when the
/// upstream's buffers do, so a streamed response is not held back.
pub struct GzipBody {
    inner: Body,
    level: u32,
    window_bits: u8,
    /// Created on the first byte, as nginx allocates zlib's memory only
    /// once there is something to compress.
    z: Option<Compress>,
    input: Bytes,
    /// A sync flush was asked for once the current input is in.
    flush: bool,
    /// Data went in since the last flush.
    unflushed: bool,
    /// zlib's `total_in` when the last flush completed: what zlib may still
    /// hold back is at most what went in since.
    flushed_in: u64,
    out_size: usize,
    /// Output held back until a frame's worth gathers or a flush: nginx
    /// passes its gzip buffers on only when full, flushed or last, so a
    /// short body goes out as one piece (one chunk), header included.
    held: Vec<u8>,
    trailers: Option<HeaderMap>,
    state: State,
}

impl GzipBody {
    /// `out_size` bounds one output frame (the `gzip_buffers` total).
    pub fn new(inner: Body, level: u32, window_bits: u8, out_size: usize) -> GzipBody {
        GzipBody {
            inner,
            level,
            window_bits,
            z: None,
            input: Bytes::new(),
            flush: false,
            unflushed: false,
            flushed_in: 0,
            out_size: out_size.max(512),
            held: Vec::new(),
            trailers: None,
            state: State::Reading,
        }
    }

    /// Compresses what is pending into at most one output frame.
    fn produce(&mut self) -> io::Result<Option<Bytes>> {
        let finishing = matches!(self.state, State::Finishing);
        let mode = if finishing {
            FlushCompress::Finish
        } else if self.flush {
            FlushCompress::Sync
        } else {
            FlushCompress::None
        };
        let (level, bits) = (self.level, self.window_bits);
        let z = self.z.get_or_insert_with(|| compressor(level, bits));
        // Room for the remaining input if it does not shrink, plus, for a
        // flush or the end, what zlib may still hold of earlier input;
        // within the frame size.
        let mut pending = self.input.len() as u64;
        if mode != FlushCompress::None {
            pending += z.total_in() - self.flushed_in;
        }
        // Held output counts against the frame size.
        let room = self.out_size.saturating_sub(self.held.len()).max(1);
        let capacity = (pending + pending / 64 + 64).min(room as u64) as usize;
        let mut out = Vec::with_capacity(capacity);
        let (used, done) = deflate_step(z, &self.input, mode, &mut out)?;
        self.input.advance(used);
        if done {
            match mode {
                FlushCompress::Finish => {
                    self.state = State::Done;
                    self.z = None;
                }
                FlushCompress::Sync => {
                    self.flush = false;
                    self.flushed_in = z.total_in();
                }
                _ => {}
            }
        }
        if mode == FlushCompress::None && self.held.len() + out.len() < self.out_size {
            self.held.extend_from_slice(&out);
            return Ok(None);
        }
        if !self.held.is_empty() {
            let mut all = std::mem::take(&mut self.held);
            all.extend_from_slice(&out);
            out = all;
        }
        Ok((!out.is_empty()).then(|| Bytes::from(out)))
    }

    /// Something is waiting to be compressed or flushed.
    fn has_work(&self) -> bool {
        !self.input.is_empty() || self.flush || matches!(self.state, State::Finishing)
    }
}

impl HttpBody for GzipBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        loop {
            if matches!(this.state, State::Done) {
                return Poll::Ready(this.trailers.take().map(|t| Ok(Frame::trailers(t))));
            }
            if this.has_work() {
                match this.produce() {
                    Ok(Some(bytes)) => return Poll::Ready(Some(Ok(Frame::data(bytes)))),
                    Ok(None) => continue,
                    Err(e) => {
                        this.state = State::Done;
                        this.trailers = None;
                        return Poll::Ready(Some(Err(e)));
                    }
                }
            }
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => {
                        if !data.is_empty() {
                            this.input = data;
                            this.unflushed = true;
                        }
                    }
                    Err(frame) => {
                        // Trailers end the body: the stream is finished
                        // before they go out.
                        if let Ok(trailers) = frame.into_trailers() {
                            this.trailers = Some(trailers);
                            this.state = State::Finishing;
                        }
                    }
                },
                Poll::Ready(Some(Err(e))) => {
                    this.state = State::Done;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => this.state = State::Finishing,
                Poll::Pending => {
                    if !this.unflushed {
                        return Poll::Pending;
                    }
                    this.unflushed = false;
                    this.flush = true;
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self.state, State::Done) && self.trailers.is_none()
    }
}

/// The gunzip filter's body: inflates a gzip body (one member or several,
/// as nginx's gunzip accepts) as it streams.
pub struct GunzipBody {
    inner: Body,
    z: Decompress,
    input: Bytes,
    /// The current member has ended; more input starts a new one.
    member_done: bool,
    /// Any input at all was seen.
    started: bool,
    ended: bool,
    out_size: usize,
    trailers: Option<HeaderMap>,
    done: bool,
}

impl GunzipBody {
    pub fn new(inner: Body, out_size: usize) -> GunzipBody {
        GunzipBody {
            inner,
            z: Decompress::new_gzip(MAX_WINDOW_BITS),
            input: Bytes::new(),
            member_done: false,
            started: false,
            ended: false,
            out_size: out_size.max(512),
            trailers: None,
            done: false,
        }
    }

    /// Inflates pending input into at most one output frame.
    fn produce(&mut self) -> io::Result<Option<Bytes>> {
        if self.member_done {
            // Another member follows (nginx's inflateReset).
            self.z = Decompress::new_gzip(MAX_WINDOW_BITS);
            self.member_done = false;
        }
        // Inflated data is usually a few times larger than its input; the
        // loop below stops at a full buffer and resumes on the next poll.
        let capacity = (self.input.len().saturating_mul(4)).clamp(4096, self.out_size);
        let mut out = Vec::with_capacity(capacity);
        loop {
            let before_in = self.z.total_in();
            let before_out = out.len();
            let status = self
                .z
                .decompress_vec(&self.input, &mut out, FlushDecompress::None)
                .map_err(|e| io::Error::other(format!("inflate() failed: {e}")))?;
            let used = (self.z.total_in() - before_in) as usize;
            self.input.advance(used);
            if status == Status::StreamEnd {
                self.member_done = true;
                break;
            }
            if out.len() == out.capacity() || self.input.is_empty() {
                break;
            }
            if used == 0 && out.len() == before_out {
                return Err(io::Error::other("inflate() made no progress"));
            }
        }
        Ok((!out.is_empty()).then(|| Bytes::from(out)))
    }
}

impl HttpBody for GunzipBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(this.trailers.take().map(|t| Ok(Frame::trailers(t))));
            }
            if !this.input.is_empty() {
                match this.produce() {
                    Ok(Some(bytes)) => return Poll::Ready(Some(Ok(Frame::data(bytes)))),
                    Ok(None) => continue,
                    Err(e) => {
                        this.done = true;
                        this.trailers = None;
                        return Poll::Ready(Some(Err(e)));
                    }
                }
            }
            if this.ended {
                this.done = true;
                // nginx: "inflate() returned %d on response end".
                if this.started && !this.member_done {
                    this.trailers = None;
                    return Poll::Ready(Some(Err(io::Error::other(
                        "inflate() returned on response end: gzip data truncated",
                    ))));
                }
                continue;
            }
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => {
                        if !data.is_empty() {
                            this.started = true;
                            this.input = data;
                        }
                    }
                    Err(frame) => {
                        if let Ok(trailers) = frame.into_trailers() {
                            this.trailers = Some(trailers);
                            this.ended = true;
                        }
                    }
                },
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => this.ended = true,
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done && self.trailers.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use std::io::Read;

    fn gunzip_all(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(data)
            .read_to_end(&mut out)
            .expect("valid gzip");
        out
    }

    /// A body yielding `chunks`; with `stall`, it is not ready once
    /// before each chunk (as a slow upstream), waking itself at once.
    struct Chunks {
        chunks: std::collections::VecDeque<Bytes>,
        stall: bool,
        stalled: bool,
    }

    impl HttpBody for Chunks {
        type Data = Bytes;
        type Error = io::Error;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
            let this = self.get_mut();
            if this.stall && !this.stalled && !this.chunks.is_empty() {
                this.stalled = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            this.stalled = false;
            Poll::Ready(this.chunks.pop_front().map(|c| Ok(Frame::data(c))))
        }
    }

    fn body_of(chunks: Vec<Bytes>) -> Body {
        Chunks {
            chunks: chunks.into(),
            stall: false,
            stalled: false,
        }
        .boxed()
    }

    fn stalling_body_of(chunks: Vec<Bytes>) -> Body {
        Chunks {
            chunks: chunks.into(),
            stall: true,
            stalled: false,
        }
        .boxed()
    }

    async fn collect(body: impl HttpBody<Data = Bytes, Error = io::Error>) -> Vec<u8> {
        body.collect().await.expect("body").to_bytes().to_vec()
    }

    fn text(len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 64);
        let mut i = 0u64;
        while out.len() < len {
            out.extend_from_slice(
                format!("line {i}: {} lorem ipsum\n", i * 7919 % 1000).as_bytes(),
            );
            i += 1;
        }
        out.truncate(len);
        out
    }

    #[test]
    fn window_shrinks_for_short_data_as_nginx() {
        assert_eq!(window_bits_for(None, 15), 15);
        assert_eq!(window_bits_for(Some(0), 15), 15);
        assert_eq!(window_bits_for(Some(1_000_000), 15), 15);
        // 1000 < 1024 - 262 is false: nginx stops at 11.
        assert_eq!(window_bits_for(Some(1000), 15), 11);
        assert_eq!(window_bits_for(Some(700), 15), 10);
        assert_eq!(window_bits_for(Some(1), 15), 9);
        assert_eq!(window_bits_for(Some(1), 12), 9);
    }

    #[test]
    fn members_decompress() {
        for data in [Vec::new(), b"a".to_vec(), text(100_000)] {
            for level in [1, 6, 9] {
                let gz = member(&data, level).unwrap();
                assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
                assert_eq!(gunzip_all(&gz), data);
            }
        }
    }

    #[tokio::test]
    async fn gzip_body_round_trips_many_frames() {
        let data = text(3 * 1024 * 1024 + 17);
        let chunks: Vec<Bytes> = data.chunks(100_000).map(Bytes::copy_from_slice).collect();
        let count = chunks.len();
        let mut body = GzipBody::new(body_of(chunks), 1, 15, 64 * 1024);
        let mut gz = Vec::new();
        let mut frames = 0;
        while let Some(frame) = body.frame().await {
            gz.extend_from_slice(&frame.unwrap().into_data().unwrap());
            frames += 1;
        }
        assert!(gz.len() < data.len() / 3, "{} -> {}", data.len(), gz.len());
        assert_eq!(gunzip_all(&gz), data);
        // Frames are as large as the output allows, not slivers: about one
        // per input chunk, plus the end.
        assert!(
            frames <= count + gz.len() / (64 * 1024) + 2,
            "{frames} frames"
        );
    }

    #[tokio::test]
    async fn a_short_body_is_one_frame_after_the_header() {
        // zlib gives out the header at once, then holds everything until
        // the end, which must come out whole.
        let data = text(50_000);
        let mut body = GzipBody::new(body_of(vec![Bytes::from(data.clone())]), 6, 15, 128 * 1024);
        let mut frames = Vec::new();
        while let Some(frame) = body.frame().await {
            frames.push(frame.unwrap().into_data().unwrap());
        }
        let sizes: Vec<usize> = frames.iter().map(Bytes::len).collect();
        assert!(frames.len() <= 2, "{sizes:?}");
        assert_eq!(gunzip_all(&frames.concat()), data);
    }

    #[tokio::test]
    async fn gzip_body_of_nothing_is_an_empty_member() {
        let gz = collect(GzipBody::new(body_of(Vec::new()), 6, 15, 4096)).await;
        assert!(gunzip_all(&gz).is_empty());
        assert_eq!(&gz[..2], &[0x1f, 0x8b]);
    }

    #[tokio::test]
    async fn a_stalled_inner_body_gets_what_was_compressed_so_far() {
        // Each chunk is followed by a pause of the inner body: the output
        // up to that point must be decodable before the body ends.
        let parts: Vec<Vec<u8>> = (0..5).map(|i| text(1000 + i * 10)).collect();
        let chunks = parts.iter().map(|p| Bytes::copy_from_slice(p)).collect();
        let mut body = GzipBody::new(stalling_body_of(chunks), 6, 15, 64 * 1024);
        let mut gz = Vec::new();
        let mut decoded_lengths = Vec::new();
        while let Some(frame) = body.frame().await {
            gz.extend_from_slice(&frame.unwrap().into_data().unwrap());
            let mut z = Decompress::new_gzip(15);
            let mut plain = Vec::with_capacity(10_000);
            z.decompress_vec(&gz, &mut plain, FlushDecompress::Sync)
                .unwrap();
            decoded_lengths.push(plain.len());
        }
        // After each pause the client can read every chunk sent before it.
        let mut total = 0;
        for part in &parts {
            total += part.len();
            assert!(
                decoded_lengths.contains(&total),
                "{total} in {decoded_lengths:?}"
            );
        }
        assert_eq!(gunzip_all(&gz), parts.concat());
    }

    #[tokio::test]
    async fn frames_stay_within_the_output_size() {
        // Incompressible input: the output is as large as the input, so it
        // must come out in several bounded frames.
        let mut seed = 1u64;
        let data: Vec<u8> = (0..300_000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 56) as u8
            })
            .collect();
        let mut body = GzipBody::new(body_of(vec![Bytes::from(data.clone())]), 9, 15, 16 * 1024);
        let mut gz = Vec::new();
        let mut frames = 0;
        while let Some(frame) = body.frame().await {
            let chunk = frame.unwrap().into_data().unwrap();
            assert!(chunk.len() <= 16 * 1024);
            gz.extend_from_slice(&chunk);
            frames += 1;
        }
        assert!(frames >= 300_000 / (16 * 1024));
        assert_eq!(gunzip_all(&gz), data);
    }

    #[tokio::test]
    async fn gunzip_body_reads_several_members() {
        let a = text(50_000);
        let b = text(70_000);
        let mut gz = member(&a, 1).unwrap();
        gz.extend(member(&b, 9).unwrap());
        // Split at awkward places, including inside the second header.
        let cut = member(&a, 1).unwrap().len() + 3;
        let chunks = vec![
            Bytes::copy_from_slice(&gz[..7]),
            Bytes::copy_from_slice(&gz[7..cut]),
            Bytes::copy_from_slice(&gz[cut..]),
        ];
        let plain = collect(GunzipBody::new(body_of(chunks), 8192)).await;
        let mut expected = a.clone();
        expected.extend_from_slice(&b);
        assert_eq!(plain, expected);
    }

    #[tokio::test]
    async fn gunzip_body_fails_on_truncated_or_bad_data() {
        let gz = member(&text(10_000), 6).unwrap();
        let truncated = GunzipBody::new(
            body_of(vec![Bytes::copy_from_slice(&gz[..gz.len() - 9])]),
            4096,
        );
        assert!(truncated.collect().await.is_err());
        let garbage = GunzipBody::new(body_of(vec![Bytes::from_static(b"not gzip at all")]), 4096);
        assert!(garbage.collect().await.is_err());
    }
}
