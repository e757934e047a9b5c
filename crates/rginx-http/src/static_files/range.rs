//! nginx's range filter: `Range: bytes=...` (single, suffix, open-ended,
//! several ranges as multipart/byteranges), `If-Range`, 416, and the
//! `Accept-Ranges: bytes` a rangeable response gets otherwise.

use super::conditional::parse_http_time;
use crate::http_core::headers_in::first;
use http::HeaderMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// One byte range, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

/// What the range filter decides.
#[derive(Debug, PartialEq, Eq)]
pub enum RangeVerdict {
    /// No usable Range: the whole body, with `Accept-Ranges: bytes`.
    Full,
    /// 206 with these ranges (one: `Content-Range`; several: multipart).
    Partial(Vec<ByteRange>),
    /// 416 with `Content-Range: bytes */LENGTH`.
    NotSatisfiable,
}

/// The response facts `If-Range` is checked against.
pub struct RangeInput<'a> {
    pub length: u64,
    pub last_modified: Option<i64>,
    pub etag: Option<&'a str>,
    /// `max_ranges`.
    pub max_ranges: u64,
}

/// The range header filter for a 200 response of known length.
pub fn check(headers: &HeaderMap, input: &RangeInput<'_>) -> RangeVerdict {
    let Some(range) = first(headers, &http::header::RANGE) else {
        return RangeVerdict::Full;
    };
    if range.len() < 7 || !range[..6].eq_ignore_ascii_case(b"bytes=") {
        return RangeVerdict::Full;
    }
    if let Some(if_range) = first(headers, &http::header::IF_RANGE) {
        if if_range.len() >= 2 && if_range.ends_with(b"\"") {
            match input.etag {
                Some(etag) if etag.as_bytes() == if_range => {}
                _ => return RangeVerdict::Full,
            }
        } else {
            let Some(lm) = input.last_modified else {
                return RangeVerdict::Full;
            };
            if parse_http_time(if_range) != lm {
                return RangeVerdict::Full;
            }
        }
    }
    parse(&range[6..], input.length, input.max_ranges)
}

/// `ngx_http_range_parse` over the text after `bytes=`.
pub fn parse(spec: &[u8], content_length: u64, max_ranges: u64) -> RangeVerdict {
    // nginx's strings end in NUL: reading past the end sees 0.
    let at = |i: usize| spec.get(i).copied().unwrap_or(0);
    let length = content_length as i64;
    let cutoff = i64::MAX / 10;
    let cutlim = i64::MAX % 10;
    let mut ranges = Vec::new();
    let mut allowed = max_ranges;
    let mut size: i64 = 0;
    let mut p = 0;
    loop {
        let mut start: i64 = 0;
        let mut end: i64 = 0;
        let mut suffix = false;
        while at(p) == b' ' {
            p += 1;
        }
        let mut open_ended = false;
        if at(p) != b'-' {
            if !at(p).is_ascii_digit() {
                return RangeVerdict::NotSatisfiable;
            }
            while at(p).is_ascii_digit() {
                let d = i64::from(at(p) - b'0');
                if start >= cutoff && (start > cutoff || d > cutlim) {
                    return RangeVerdict::NotSatisfiable;
                }
                start = start * 10 + d;
                p += 1;
            }
            while at(p) == b' ' {
                p += 1;
            }
            if at(p) != b'-' {
                return RangeVerdict::NotSatisfiable;
            }
            p += 1;
            while at(p) == b' ' {
                p += 1;
            }
            if at(p) == b',' || at(p) == 0 {
                end = length;
                open_ended = true;
            }
        } else {
            suffix = true;
            p += 1;
        }
        if !open_ended {
            if !at(p).is_ascii_digit() {
                return RangeVerdict::NotSatisfiable;
            }
            while at(p).is_ascii_digit() {
                let d = i64::from(at(p) - b'0');
                if end >= cutoff && (end > cutoff || d > cutlim) {
                    return RangeVerdict::NotSatisfiable;
                }
                end = end * 10 + d;
                p += 1;
            }
            while at(p) == b' ' {
                p += 1;
            }
            if at(p) != b',' && at(p) != 0 {
                return RangeVerdict::NotSatisfiable;
            }
            if suffix {
                start = if end < length { length - end } else { 0 };
                end = length - 1;
            }
            if end >= length {
                end = length;
            } else {
                end += 1;
            }
        }
        if start < end {
            ranges.push(ByteRange {
                start: start as u64,
                end: end as u64,
            });
            if size > i64::MAX - (end - start) {
                return RangeVerdict::NotSatisfiable;
            }
            size += end - start;
            if allowed == 0 {
                return RangeVerdict::Full;
            }
            allowed -= 1;
        } else if start == 0 {
            return RangeVerdict::Full;
        }
        let separator = at(p);
        p += 1;
        if separator != b',' {
            break;
        }
    }
    if ranges.is_empty() {
        return RangeVerdict::NotSatisfiable;
    }
    if size > length {
        return RangeVerdict::Full;
    }
    RangeVerdict::Partial(ranges)
}

/// nginx's multipart boundary: a counter (`ngx_next_temp_number`), printed
/// as 20 zero-padded digits; the first response of a worker gets 1.
pub fn next_boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    format!("{:020}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The pieces of a multipart/byteranges body: for each range the part
/// header to write before its bytes, then the closing boundary.
pub struct Multipart {
    pub content_type: String,
    pub part_headers: Vec<Vec<u8>>,
    pub trailer: Vec<u8>,
    pub length: u64,
}

/// Builds the multipart framing as `ngx_http_range_multipart_header` does.
pub fn multipart(ranges: &[ByteRange], content_type: &str, total: u64) -> Multipart {
    let boundary = next_boundary();
    let mut boundary_header = format!("\r\n--{boundary}\r\n");
    if !content_type.is_empty() {
        boundary_header.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    boundary_header.push_str("Content-Range: bytes ");
    let trailer = format!("\r\n--{boundary}--\r\n").into_bytes();
    let mut length = trailer.len() as u64;
    let mut part_headers = Vec::with_capacity(ranges.len());
    for range in ranges {
        let header = format!(
            "{boundary_header}{}-{}/{total}\r\n\r\n",
            range.start,
            range.end - 1
        );
        length += header.len() as u64 + (range.end - range.start);
        part_headers.push(header.into_bytes());
    }
    Multipart {
        content_type: format!("multipart/byteranges; boundary={boundary}"),
        part_headers,
        trailer,
        length,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: u64, end: u64) -> ByteRange {
        ByteRange { start, end }
    }

    #[test]
    fn range_forms() {
        let max = u64::from(u32::MAX >> 1);
        assert_eq!(parse(b"0-1", 26, max), RangeVerdict::Partial(vec![r(0, 2)]));
        assert_eq!(parse(b"5-", 26, max), RangeVerdict::Partial(vec![r(5, 26)]));
        assert_eq!(
            parse(b"-3", 26, max),
            RangeVerdict::Partial(vec![r(23, 26)])
        );
        assert_eq!(
            parse(b"-100", 26, max),
            RangeVerdict::Partial(vec![r(0, 26)])
        );
        assert_eq!(
            parse(b"20-100", 26, max),
            RangeVerdict::Partial(vec![r(20, 26)])
        );
        assert_eq!(
            parse(b"0-1, 5-6", 26, max),
            RangeVerdict::Partial(vec![r(0, 2), r(5, 7)])
        );
        assert_eq!(parse(b"100-", 26, max), RangeVerdict::NotSatisfiable);
        assert_eq!(parse(b"x", 26, max), RangeVerdict::NotSatisfiable);
        assert_eq!(parse(b"5-2", 26, max), RangeVerdict::NotSatisfiable);
        assert_eq!(parse(b"0-", 0, max), RangeVerdict::Full);
        assert_eq!(parse(b"0-1,2-3", 26, 1), RangeVerdict::Full);
        // Overlapping ranges larger than the body: the whole body.
        assert_eq!(parse(b"0-20,0-20", 26, max), RangeVerdict::Full);
    }

    #[test]
    fn if_range_by_etag_and_date() {
        let mut headers = HeaderMap::new();
        headers.insert("range", "bytes=0-0".parse().unwrap());
        let input = RangeInput {
            length: 10,
            last_modified: Some(0),
            etag: Some("\"e\""),
            max_ranges: 100,
        };
        assert_eq!(
            check(&headers, &input),
            RangeVerdict::Partial(vec![r(0, 1)])
        );
        headers.insert("if-range", "\"other\"".parse().unwrap());
        assert_eq!(check(&headers, &input), RangeVerdict::Full);
        headers.insert("if-range", "\"e\"".parse().unwrap());
        assert_eq!(
            check(&headers, &input),
            RangeVerdict::Partial(vec![r(0, 1)])
        );
        headers.insert("if-range", "Thu, 01 Jan 1970 00:00:00 GMT".parse().unwrap());
        assert_eq!(
            check(&headers, &input),
            RangeVerdict::Partial(vec![r(0, 1)])
        );
        headers.insert("if-range", "Thu, 01 Jan 1970 00:00:01 GMT".parse().unwrap());
        assert_eq!(check(&headers, &input), RangeVerdict::Full);
    }

    #[test]
    fn multipart_length_counts_every_byte() {
        let m = multipart(&[r(0, 2), r(5, 7)], "text/plain", 26);
        let body_len: u64 =
            m.part_headers.iter().map(|h| h.len() as u64).sum::<u64>() + 4 + m.trailer.len() as u64;
        assert_eq!(m.length, body_len);
        assert!(
            m.content_type
                .starts_with("multipart/byteranges; boundary=")
        );
    }
}
