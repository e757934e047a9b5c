//! Request header lookups on the per-request path. A request carries a
//! handful of headers and a request makes ten-odd lookups (conditional and
//! range checks, keep-alive, the access log's `$http_*`): a pass over a few
//! entries costs less than hashing the name for each lookup, as nginx
//! keeps direct pointers to the headers it knows instead of searching.

use http::{HeaderMap, HeaderName, HeaderValue};

/// Up to this many header values the lookup scans instead of hashing.
const SCAN_MAX: usize = 12;

/// The first value of `name`, as `HeaderMap::get`.
pub fn get<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h HeaderValue> {
    if headers.len() <= SCAN_MAX {
        headers
            .iter()
            .find_map(|(n, value)| (n == name).then_some(value))
    } else {
        headers.get(name)
    }
}

/// The first value of `name` as bytes.
pub fn first<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Option<&'h [u8]> {
    get(headers, name).map(HeaderValue::as_bytes)
}

/// Every value of `name` in the order received, as `HeaderMap::get_all`.
pub fn all<'h, 'n>(
    headers: &'h HeaderMap,
    name: &'n HeaderName,
) -> impl Iterator<Item = &'h HeaderValue> + use<'h, 'n> {
    let small = headers.len() <= SCAN_MAX;
    let scanned = small.then(|| {
        headers
            .iter()
            .filter_map(move |(n, value)| (n == name).then_some(value))
    });
    let hashed = (!small).then(|| headers.get_all(name).iter());
    scanned
        .into_iter()
        .flatten()
        .chain(hashed.into_iter().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(lines: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in lines {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        headers
    }

    /// Both ways (a small map scanned, a large one hashed) answer as the
    /// map's own lookups, repeated names included.
    #[test]
    fn lookups_match_the_maps_own() {
        let mut lines = vec![
            ("host", "a"),
            ("x-one", "1"),
            ("cookie", "c=1"),
            ("X-One", "2"),
            ("cookie", "d=2"),
        ];
        for extra in 0..2 {
            if extra == 1 {
                for i in 0..SCAN_MAX {
                    lines.push(("x-filler", if i % 2 == 0 { "f" } else { "g" }));
                }
                lines.push(("x-late", "z"));
            }
            let headers = map(&lines);
            assert_eq!(headers.len() > SCAN_MAX, extra == 1);
            for name in ["host", "x-one", "cookie", "x-filler", "x-late", "absent"] {
                let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
                assert_eq!(get(&headers, &name), headers.get(&name), "{name}");
                assert_eq!(
                    all(&headers, &name).collect::<Vec<_>>(),
                    headers.get_all(&name).iter().collect::<Vec<_>>(),
                    "{name}"
                );
            }
        }
    }
}
