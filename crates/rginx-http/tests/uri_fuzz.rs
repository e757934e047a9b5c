//! Bounded fuzzing of request-target normalisation and Host validation:
//! any bytes, no panic, and what comes out is a clean absolute path.

use proptest::prelude::*;
use rginx_http::http_core::uri::{normalise, validate_host};

fn target_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(
            prop_oneof![
                Just(b'/'),
                Just(b'.'),
                Just(b'%'),
                Just(b'?'),
                Just(b'#'),
                Just(b'a'),
                Just(b'2'),
                Just(b'e'),
                Just(b'F'),
                Just(b'0'),
            ],
            0..48
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn normalised_paths_are_clean(target in target_bytes(), merge in any::<bool>()) {
        if let Some(uri) = normalise(&target, merge) {
            prop_assert_eq!(uri.path.first(), Some(&b'/'));
            let segments: Vec<&[u8]> = uri.path.split(|&b| b == b'/').collect();
            for segment in &segments {
                prop_assert!(*segment != b"..", "{:?}", String::from_utf8_lossy(&uri.path));
                prop_assert!(*segment != b".", "{:?}", String::from_utf8_lossy(&uri.path));
            }
            if merge {
                prop_assert!(!uri.path.windows(2).any(|w| w == b"//"));
            }
            prop_assert!(!uri.path.contains(&0));
        }
    }

    #[test]
    fn hosts_never_panic_and_come_out_lowercase(host in proptest::collection::vec(any::<u8>(), 0..40)) {
        if let Some(valid) = validate_host(&host) {
            prop_assert!(!valid.is_empty());
            prop_assert!(!valid.iter().any(|b| b.is_ascii_uppercase()));
            prop_assert!(!valid.contains(&b'/'));
        }
    }
}
