//! Any bytes: the parser must not panic, and whatever parses must read back
//! the same after `dump::to_text`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rginx_conf::dump::to_text;
use rginx_conf::parse_bytes;
use std::path::Path;

/// Includes resolve here, where nothing exists.
const NAME: &str = "/nonexistent-rginx-fuzz/nginx.conf";

fuzz_target!(|data: &[u8]| {
    let first = parse_bytes(data, Path::new(NAME));
    if first.error.is_some() {
        return;
    }
    let text = to_text(&first.directives);
    let second = parse_bytes(&text, Path::new(NAME));
    assert!(second.error.is_none(), "to_text output failed to parse");
    assert_eq!(first.directives.len(), second.directives.len());
    assert!(
        first
            .directives
            .iter()
            .zip(&second.directives)
            .all(|(a, b)| a.same_shape(b)),
        "to_text changed the tree"
    );
});
