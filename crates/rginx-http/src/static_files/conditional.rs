//! nginx's not-modified filter: `If-Unmodified-Since` and `If-Match` (412),
//! `If-Modified-Since` and `If-None-Match` (304), with nginx's date parser
//! (`ngx_parse_http_time`) and its entity-tag list matching.

use crate::http_core::LocConf;
use crate::http_core::headers_in::first;
use crate::http_core::request::Outcome;
use http::{HeaderMap, HeaderValue};

/// `if_modified_since`: how a date in `If-Modified-Since` is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImsMode {
    Off,
    Exact,
    Before,
}

/// What the conditional headers decide for a 200 response.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Send the response.
    Send,
    /// 304 Not Modified.
    NotModified,
    /// 412 Precondition Failed.
    PreconditionFailed,
}

/// The response facts the conditions are checked against.
pub struct Validators<'a> {
    /// `Last-Modified` as a Unix time, if the response has one.
    pub last_modified: Option<i64>,
    /// The `ETag` value, quotes included.
    pub etag: Option<&'a str>,
}

/// The not-modified filter's own answer for `verdict`: a 304 carrying the
/// validators, or a 412, which nginx answers from inside the filter
/// (`ngx_http_filter_finalize_request`) and so closes the connection after
/// its page although the header said keep-alive. `None`: send the response.
pub fn answer(
    verdict: Verdict,
    conf: &LocConf,
    last_modified: &Option<HeaderValue>,
    etag: Option<&str>,
) -> Option<Outcome> {
    match verdict {
        Verdict::Send => None,
        Verdict::NotModified => {
            let mut outcome = Outcome::status(304, conf);
            outcome.last_modified = last_modified.clone();
            outcome.headers.extend(
                etag.and_then(|e| HeaderValue::from_str(e).ok())
                    .map(|value| (http::header::ETAG, value)),
            );
            Some(outcome)
        }
        Verdict::PreconditionFailed => {
            let mut outcome = Outcome::status(412, conf);
            outcome.close_after = true;
            Some(outcome)
        }
    }
}

/// The not-modified filter for a 200 response.
pub fn check(headers: &HeaderMap, mode: ImsMode, v: &Validators<'_>) -> Verdict {
    if let Some(value) = first(headers, &http::header::IF_UNMODIFIED_SINCE) {
        let unmodified = match v.last_modified {
            None => false,
            Some(lm) => parse_http_time(value) >= lm,
        };
        if !unmodified {
            return Verdict::PreconditionFailed;
        }
    }
    if let Some(value) = first(headers, &http::header::IF_MATCH)
        && !etag_matches(value, v.etag, false)
    {
        return Verdict::PreconditionFailed;
    }
    let ims = first(headers, &http::header::IF_MODIFIED_SINCE);
    let inm = first(headers, &http::header::IF_NONE_MATCH);
    if ims.is_none() && inm.is_none() {
        return Verdict::Send;
    }
    if let Some(value) = ims
        && modified_since(value, mode, v.last_modified)
    {
        return Verdict::Send;
    }
    if let Some(value) = inm
        && !etag_matches(value, v.etag, true)
    {
        return Verdict::Send;
    }
    Verdict::NotModified
}

fn modified_since(value: &[u8], mode: ImsMode, last_modified: Option<i64>) -> bool {
    let Some(lm) = last_modified else {
        return true;
    };
    if mode == ImsMode::Off {
        return true;
    }
    let ims = parse_http_time(value);
    if ims == lm {
        return false;
    }
    mode == ImsMode::Exact || ims < lm
}

/// `ngx_http_test_if_match`: `*`, or one of a comma-separated list of tags
/// equal to the response's; `weak` (If-None-Match) ignores `W/` on both.
pub fn etag_matches(list: &[u8], etag: Option<&str>, weak: bool) -> bool {
    if list == b"*" {
        return true;
    }
    let Some(etag) = etag else {
        return false;
    };
    let mut etag = etag.as_bytes();
    if weak && etag.len() > 2 && etag.starts_with(b"W/") {
        etag = &etag[2..];
    }
    let mut p = 0;
    let end = list.len();
    while p < end {
        if weak && end - p > 2 && list[p..].starts_with(b"W/") {
            p += 2;
        }
        if etag.len() > end - p {
            return false;
        }
        if list[p..].starts_with(etag) {
            let mut q = p + etag.len();
            while q < end && (list[q] == b' ' || list[q] == b'\t') {
                q += 1;
            }
            if q == end || list[q] == b',' {
                return true;
            }
            p = q;
        }
        while p < end && list[p] != b',' {
            p += 1;
        }
        while p < end && matches!(list[p], b' ' | b'\t' | b',') {
            p += 1;
        }
    }
    false
}

const MDAY: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// `ngx_parse_http_time`: RFC 1123, RFC 850 and asctime dates; -1 (nginx's
/// NGX_ERROR) for anything else, which callers compare as a time, as nginx
/// does.
pub fn parse_http_time(value: &[u8]) -> i64 {
    parse(value).unwrap_or(-1)
}

#[derive(PartialEq)]
enum Format {
    Unknown,
    Rfc822,
    Rfc850,
    Isoc,
}

fn parse(value: &[u8]) -> Option<i64> {
    // nginx's strings end in NUL: reading past the end sees 0.
    let at = |i: usize| value.get(i).copied().unwrap_or(0);
    let digit = |i: usize| at(i).is_ascii_digit();
    let num = |i: usize| u64::from(at(i) - b'0');
    let end = value.len();
    let mut fmt = Format::Unknown;
    let mut p = 0;
    while p < end {
        if value[p] == b',' {
            break;
        }
        if value[p] == b' ' {
            fmt = Format::Isoc;
            break;
        }
        p += 1;
    }
    p += 1;
    while p < end && value[p] == b' ' {
        p += 1;
    }
    if end.saturating_sub(p) < 18 || p > end {
        return None;
    }
    let mut day = 0;
    if fmt != Format::Isoc {
        if !digit(p) || !digit(p + 1) {
            return None;
        }
        day = num(p) * 10 + num(p + 1);
        p += 2;
        if at(p) == b' ' {
            if end - p < 18 {
                return None;
            }
            fmt = Format::Rfc822;
        } else if at(p) == b'-' {
            fmt = Format::Rfc850;
        } else {
            return None;
        }
        p += 1;
    }
    let month: i64 = match at(p) {
        b'J' => {
            if at(p + 1) == b'a' {
                0
            } else if at(p + 2) == b'n' {
                5
            } else {
                6
            }
        }
        b'F' => 1,
        b'M' => {
            if at(p + 2) == b'r' {
                2
            } else {
                4
            }
        }
        b'A' => {
            if at(p + 1) == b'p' {
                3
            } else {
                7
            }
        }
        b'S' => 8,
        b'O' => 9,
        b'N' => 10,
        b'D' => 11,
        _ => return None,
    };
    p += 3;
    if (fmt == Format::Rfc822 && at(p) != b' ') || (fmt == Format::Rfc850 && at(p) != b'-') {
        return None;
    }
    p += 1;
    let mut year = 0;
    if fmt == Format::Rfc822 {
        if !(digit(p) && digit(p + 1) && digit(p + 2) && digit(p + 3)) {
            return None;
        }
        year = num(p) * 1000 + num(p + 1) * 100 + num(p + 2) * 10 + num(p + 3);
        p += 4;
    } else if fmt == Format::Rfc850 {
        if !digit(p) || !digit(p + 1) {
            return None;
        }
        year = num(p) * 10 + num(p + 1);
        year += if year < 70 { 2000 } else { 1900 };
        p += 2;
    }
    if fmt == Format::Isoc {
        if at(p) == b' ' {
            p += 1;
        }
        if !digit(p) {
            return None;
        }
        day = num(p);
        p += 1;
        if at(p) != b' ' {
            if !digit(p) {
                return None;
            }
            day = day * 10 + num(p);
            p += 1;
        }
        if end.saturating_sub(p) < 14 {
            return None;
        }
    }
    if at(p) != b' ' {
        return None;
    }
    p += 1;
    if !digit(p) || !digit(p + 1) {
        return None;
    }
    let hour = num(p) * 10 + num(p + 1);
    p += 2;
    if at(p) != b':' {
        return None;
    }
    p += 1;
    if !digit(p) || !digit(p + 1) {
        return None;
    }
    let min = num(p) * 10 + num(p + 1);
    p += 2;
    if at(p) != b':' {
        return None;
    }
    p += 1;
    if !digit(p) || !digit(p + 1) {
        return None;
    }
    let sec = num(p) * 10 + num(p + 1);
    if fmt == Format::Isoc {
        p += 2;
        if at(p) != b' ' {
            return None;
        }
        p += 1;
        if !(digit(p) && digit(p + 1) && digit(p + 2) && digit(p + 3)) {
            return None;
        }
        year = num(p) * 1000 + num(p + 1) * 100 + num(p + 2) * 10 + num(p + 3);
    }
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    let month_index = usize::try_from(month).ok()?;
    if day == 29 && month == 1 {
        if (year & 3) != 0 || (year % 100 == 0 && year % 400 != 0) {
            return None;
        }
    } else if day > MDAY[month_index] {
        return None;
    }
    // Gauss' formula counts from March: shift the year start there.
    let mut month = month;
    let mut year = year as i64;
    month -= 1;
    if month <= 0 {
        month += 12;
        year -= 1;
    }
    let days = 365 * year + year / 4 - year / 100 + year / 400 + 367 * month / 12 - 30 + day as i64
        - 1
        - 719527
        + 31
        + 28;
    Some(days * 86400 + (hour * 3600 + min * 60 + sec) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_date_formats() {
        assert_eq!(parse_http_time(b"Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
        assert_eq!(
            parse_http_time(b"Sunday, 06-Nov-94 08:49:37 GMT"),
            784111777
        );
        assert_eq!(parse_http_time(b"Sun Nov  6 08:49:37 1994"), 784111777);
        assert_eq!(parse_http_time(b"Thu, 01 Jan 1970 00:00:00 GMT"), 0);
        assert_eq!(parse_http_time(b"Tue, 29 Feb 2000 12:00:00 GMT"), 951825600);
    }

    #[test]
    fn bad_dates_are_minus_one() {
        assert_eq!(parse_http_time(b""), -1);
        assert_eq!(parse_http_time(b"yesterday"), -1);
        assert_eq!(parse_http_time(b"Sun, 06 Nov 1994 24:49:37 GMT"), -1);
        assert_eq!(parse_http_time(b"Fri, 29 Feb 2019 00:00:00 GMT"), -1);
        assert_eq!(parse_http_time(b"Sun, 31 Apr 1994 08:49:37 GMT"), -1);
        assert_eq!(parse_http_time(b"Sun, 06 Xyz 1994 08:49:37 GMT"), -1);
    }

    #[test]
    fn entity_tag_lists() {
        let tag = Some("\"5f-1a\"");
        assert!(etag_matches(b"\"5f-1a\"", tag, false));
        assert!(etag_matches(b"\"x\", \"5f-1a\"", tag, false));
        assert!(etag_matches(b"\"x\",\"5f-1a\" ", tag, false));
        assert!(!etag_matches(b"\"5f-1a\"x", tag, false));
        assert!(!etag_matches(b"W/\"5f-1a\"", tag, false));
        assert!(etag_matches(b"W/\"5f-1a\"", tag, true));
        assert!(etag_matches(b"\"5f-1a\"", Some("W/\"5f-1a\""), true));
        assert!(etag_matches(b"*", None, false));
        assert!(!etag_matches(b"\"5f-1a\"", None, false));
    }

    #[test]
    fn verdicts() {
        let mut headers = HeaderMap::new();
        let v = Validators {
            last_modified: Some(784111777),
            etag: Some("\"a\""),
        };
        assert_eq!(check(&headers, ImsMode::Exact, &v), Verdict::Send);
        headers.insert(
            "if-modified-since",
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(check(&headers, ImsMode::Exact, &v), Verdict::NotModified);
        assert_eq!(check(&headers, ImsMode::Off, &v), Verdict::Send);
        headers.insert(
            "if-modified-since",
            "Sun, 06 Nov 1994 09:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(check(&headers, ImsMode::Exact, &v), Verdict::Send);
        assert_eq!(check(&headers, ImsMode::Before, &v), Verdict::NotModified);
        headers.insert("if-none-match", "\"b\"".parse().unwrap());
        assert_eq!(check(&headers, ImsMode::Before, &v), Verdict::Send);
        headers.insert("if-match", "\"b\"".parse().unwrap());
        assert_eq!(
            check(&headers, ImsMode::Before, &v),
            Verdict::PreconditionFailed
        );
        let mut headers = HeaderMap::new();
        headers.insert("if-unmodified-since", "garbage".parse().unwrap());
        assert_eq!(
            check(&headers, ImsMode::Exact, &v),
            Verdict::PreconditionFailed
        );
    }
}
