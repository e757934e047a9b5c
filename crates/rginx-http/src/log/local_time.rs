//! `$time_local` and `$time_iso8601` as the access log writes them. nginx
//! formats its time strings once a second (ngx_time_update); formatting
//! the local time per log line with chrono cost more than the rest of the
//! line, so each thread keeps the strings of the current second.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

/// The current second's strings.
struct Second {
    at: i64,
    /// `28/Sep/1970:12:00:00 +0600`
    common_log: String,
    /// `1970-09-28T12:00:00+06:00`
    iso8601: String,
}

thread_local! {
    static CURRENT: RefCell<Option<Second>> = const { RefCell::new(None) };
}

fn with_now<R>(read: impl FnOnce(&Second) -> R) -> R {
    let at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    CURRENT.with(|current| {
        let mut current = current.borrow_mut();
        let fresh = match current.take() {
            Some(second) if second.at == at => second,
            _ => format(at),
        };
        let result = read(&fresh);
        *current = Some(fresh);
        result
    })
}

fn format(at: i64) -> Second {
    use chrono::TimeZone;
    let local = chrono::Local
        .timestamp_opt(at, 0)
        .single()
        .unwrap_or_else(chrono::Local::now);
    Second {
        at,
        common_log: local.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
        iso8601: local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    }
}

/// Appends `$time_local`.
pub fn common_log(out: &mut Vec<u8>) {
    with_now(|now| out.extend_from_slice(now.common_log.as_bytes()));
}

/// Appends `$time_iso8601`.
pub fn iso8601(out: &mut Vec<u8>) {
    with_now(|now| out.extend_from_slice(now.iso8601.as_bytes()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn strings_have_nginx_shapes() {
        let mut common = Vec::new();
        common_log(&mut common);
        let common = String::from_utf8(common).unwrap();
        // dd/Mon/yyyy:hh:mm:ss +zzzz
        assert_eq!(common.len(), 26, "{common}");
        assert_eq!(&common[2..3], "/");
        assert_eq!(&common[11..12], ":");
        assert!(common[21..22] == *"+" || common[21..22] == *"-");
        let mut iso = Vec::new();
        iso8601(&mut iso);
        let iso = String::from_utf8(iso).unwrap();
        assert_eq!(iso.len(), 25, "{iso}");
        assert_eq!(&iso[10..11], "T");
        // The cached second gives the same strings again.
        let mut again = Vec::new();
        iso8601(&mut again);
        let again = String::from_utf8(again).unwrap();
        assert!(again >= iso);
    }

    #[test]
    fn a_known_second() {
        let second = format(0);
        let utc = chrono::Local
            .timestamp_opt(0, 0)
            .single()
            .map(|t| t.format("%d/%b/%Y:%H:%M:%S %z").to_string());
        assert_eq!(Some(second.common_log), utc);
    }
}
