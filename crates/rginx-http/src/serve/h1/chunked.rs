//! Chunked transfer coding: the request-body decoder follows nginx's
//! `ngx_http_parse_chunked` (hex sizes of either case, extensions and
//! trailers read and dropped, a bare LF where CR LF belongs, sizes beyond
//! off_t refused), and the response encoder writes what nginx's chunked
//! filter writes (lowercase hex size, CR LF, data, CR LF; `0` CR LF CR LF
//! last).

use bytes::{Buf, BufMut, Bytes, BytesMut};

/// nginx's `NGX_MAX_OFF_T_VALUE`.
const MAX_OFF_T: u64 = i64::MAX as u64;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    #[default]
    ChunkStart,
    ChunkSize,
    ChunkExtension,
    ChunkExtensionAlmostDone,
    ChunkData,
    AfterData,
    AfterDataAlmostDone,
    LastChunkExtension,
    LastChunkExtensionAlmostDone,
    Trailer,
    TrailerAlmostDone,
    TrailerHeader,
    TrailerHeaderAlmostDone,
}

/// What the decoder found in the buffer.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk {
    /// Body bytes (taken out of the buffer).
    Data(Bytes),
    /// The buffer is used up before the body ends.
    More,
    /// The last chunk and the trailer are read.
    Done,
}

/// The body is not valid chunked coding ("client sent invalid chunked
/// body": 400).
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid;

/// Decodes a chunked body from a buffer that fills up over time.
#[derive(Debug, Default)]
pub struct Decoder {
    state: State,
    size: u64,
    done: bool,
}

fn hex(ch: u8) -> Option<u64> {
    match ch {
        b'0'..=b'9' => Some(u64::from(ch - b'0')),
        b'a'..=b'f' => Some(u64::from(ch - b'a' + 10)),
        b'A'..=b'F' => Some(u64::from(ch - b'A' + 10)),
        _ => None,
    }
}

impl Decoder {
    /// Takes what it can from `buf`: framing bytes are consumed and
    /// dropped, body bytes come back as `Data`.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Chunk, Invalid> {
        if self.done {
            return Ok(Chunk::Done);
        }
        if self.state == State::ChunkData && self.size == 0 {
            self.state = State::AfterData;
        }
        let mut used = 0;
        let result = loop {
            if self.state == State::ChunkData {
                if self.size > MAX_OFF_T - 5 {
                    break Err(Invalid);
                }
                buf.advance(used);
                used = 0;
                if buf.is_empty() {
                    break Ok(Chunk::More);
                }
                let take = usize::try_from(self.size)
                    .unwrap_or(usize::MAX)
                    .min(buf.len());
                self.size -= take as u64;
                if self.size == 0 {
                    self.state = State::AfterData;
                }
                break Ok(Chunk::Data(buf.split_to(take).freeze()));
            }
            let Some(&ch) = buf.get(used) else {
                break Ok(Chunk::More);
            };
            used += 1;
            match self.step(ch) {
                Ok(true) => break Ok(Chunk::Done),
                Ok(false) => {}
                Err(invalid) => break Err(invalid),
            }
        };
        buf.advance(used);
        self.done = result == Ok(Chunk::Done);
        result
    }

    /// One framing byte; `Ok(true)` at the end of the body.
    fn step(&mut self, ch: u8) -> Result<bool, Invalid> {
        use State as S;
        match self.state {
            S::ChunkStart => {
                self.size = hex(ch).ok_or(Invalid)?;
                self.state = S::ChunkSize;
            }
            S::ChunkSize => {
                if self.size > MAX_OFF_T / 16 {
                    return Err(Invalid);
                }
                if let Some(digit) = hex(ch) {
                    self.size = self.size * 16 + digit;
                } else {
                    let last = self.size == 0;
                    self.state = match ch {
                        b'\r' if last => S::LastChunkExtensionAlmostDone,
                        b'\n' if last => S::Trailer,
                        b';' | b' ' | b'\t' if last => S::LastChunkExtension,
                        b'\r' => S::ChunkExtensionAlmostDone,
                        b'\n' => S::ChunkData,
                        b';' | b' ' | b'\t' => S::ChunkExtension,
                        _ => return Err(Invalid),
                    };
                }
            }
            S::ChunkExtension => match ch {
                b'\r' => self.state = S::ChunkExtensionAlmostDone,
                b'\n' => self.state = S::ChunkData,
                _ => {}
            },
            S::ChunkExtensionAlmostDone => {
                if ch != b'\n' {
                    return Err(Invalid);
                }
                self.state = S::ChunkData;
            }
            S::ChunkData => unreachable!("data is taken by decode"),
            S::AfterData => match ch {
                b'\r' => self.state = S::AfterDataAlmostDone,
                b'\n' => self.state = S::ChunkStart,
                _ => return Err(Invalid),
            },
            S::AfterDataAlmostDone => {
                if ch != b'\n' {
                    return Err(Invalid);
                }
                self.state = S::ChunkStart;
            }
            S::LastChunkExtension => match ch {
                b'\r' => self.state = S::LastChunkExtensionAlmostDone,
                b'\n' => self.state = S::Trailer,
                _ => {}
            },
            S::LastChunkExtensionAlmostDone => {
                if ch != b'\n' {
                    return Err(Invalid);
                }
                self.state = S::Trailer;
            }
            S::Trailer => match ch {
                b'\r' => self.state = S::TrailerAlmostDone,
                b'\n' => return Ok(true),
                _ => self.state = S::TrailerHeader,
            },
            S::TrailerAlmostDone => {
                if ch != b'\n' {
                    return Err(Invalid);
                }
                return Ok(true);
            }
            S::TrailerHeader => match ch {
                b'\r' => self.state = S::TrailerHeaderAlmostDone,
                b'\n' => self.state = S::Trailer,
                _ => {}
            },
            S::TrailerHeaderAlmostDone => {
                if ch != b'\n' {
                    return Err(Invalid);
                }
                self.state = S::Trailer;
            }
        }
        Ok(false)
    }
}

/// The line before a chunk of `len` bytes.
pub fn chunk_head(len: usize, out: &mut BytesMut) {
    out.put_slice(format!("{len:x}\r\n").as_bytes());
}

/// The CR LF after a chunk's data.
pub const CHUNK_END: &[u8] = b"\r\n";

/// The last chunk, without trailers.
pub const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `input` fed in pieces of `step` bytes.
    fn decode(input: &[u8], step: usize) -> Result<(Vec<u8>, Vec<u8>), Invalid> {
        let mut decoder = Decoder::default();
        let mut buf = BytesMut::new();
        let mut body = Vec::new();
        let mut fed = 0;
        loop {
            match decoder.decode(&mut buf)? {
                Chunk::Data(data) => body.extend_from_slice(&data),
                Chunk::Done => return Ok((body, buf.to_vec())),
                Chunk::More => {
                    if fed >= input.len() {
                        panic!("body not finished: {:?}", String::from_utf8_lossy(input));
                    }
                    let end = (fed + step).min(input.len());
                    buf.extend_from_slice(&input[fed..end]);
                    fed = end;
                }
            }
        }
    }

    #[test]
    fn bodies_decode_whatever_the_pieces() {
        let input = b"3\r\nabc\r\nA;name=value\r\n0123456789\r\n0\r\n\r\nNEXT";
        for step in [1, 2, 5, 100] {
            let (body, rest) = decode(input, step).unwrap();
            assert_eq!(body, b"abc0123456789");
            // What follows the body stays for the next request.
            assert_eq!(rest, b"NEXT"[..rest.len()].to_vec(), "step {step}");
        }
    }

    #[test]
    fn nginx_leniencies() {
        // Bare LFs, uppercase hex, an extension after the last chunk,
        // trailers.
        assert_eq!(decode(b"3\nabc\n0\n\n", 3).unwrap().0, b"abc");
        assert_eq!(
            decode(b"B\r\n01234567890\r\n0\r\n\r\n", 7).unwrap().0,
            b"01234567890"
        );
        assert_eq!(decode(b"1 ; x\r\na\r\n0;y\r\n\r\n", 4).unwrap().0, b"a");
        assert_eq!(
            decode(b"1\r\na\r\n0\r\nX-T: 1\r\nY: 2\n\r\n", 2).unwrap().0,
            b"a"
        );
    }

    #[test]
    fn invalid_bodies() {
        for input in [
            &b"zz\r\nabc\r\n0\r\n\r\n"[..],
            b"3\r\nabcX\r\n",
            b"3x\r\nabc\r\n",
            b"3\r\rabc",
            b"-1\r\n",
            b"\r\n",
            b"0\r\n\rX",
            b"1\r\na\r\n0\r\nX: 1\rX",
        ] {
            assert_eq!(decode(input, 100).map(|_| ()), Err(Invalid), "{input:?}");
        }
        // Sizes past off_t.
        assert_eq!(
            decode(b"8000000000000000\r\n", 100).map(|_| ()),
            Err(Invalid)
        );
        assert_eq!(
            decode(b"7ffffffffffffffe\r\nab", 100).map(|_| ()),
            Err(Invalid)
        );
    }

    #[test]
    fn the_encoder_writes_lowercase_hex() {
        let mut out = BytesMut::new();
        chunk_head(255, &mut out);
        assert_eq!(&out[..], b"ff\r\n");
    }
}
