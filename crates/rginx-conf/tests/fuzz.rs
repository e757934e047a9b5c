//! Bounded property tests that run with every `cargo test`: the parser never
//! panics or hangs on any input, and writing a tree out with
//! `dump::to_text` and reading it back gives the same tree.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rginx_conf::dump::to_text;
use rginx_conf::{Arg, Block, Directive, Loc, parse_bytes};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Includes in generated text resolve here, where nothing exists, so a
/// generated `include` can never read a real file.
const NAME: &str = "/nonexistent-rginx-fuzz/nginx.conf";

/// Runs `body` on another thread and fails if it does not finish in time:
/// a parser that loops forever must fail the test, not hang it.
fn within(limit: Duration, body: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        body();
        let _ = done.send(());
    });
    match finished.recv_timeout(limit) {
        Ok(()) => worker.join().expect("property thread"),
        // The thread panicked (a failed property): re-raise its panic.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("no answer within {limit:?}"),
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Pieces that exercise every rule of the tokenizer, for text that is
/// neither hopeless noise nor always valid. Generated as indexes into this
/// table (cheap for proptest to make and to shrink); indexes past its end
/// stand for the raw byte itself.
#[rustfmt::skip]
const PIECES: &[&[u8]] = &[
    b"a", b"a", b"a", b"bc", b"bc", b" ", b" ", b" ", b"\n", b"\n", b"\r\n", b"\t",
    b";", b";", b";", b"{", b"{", b"}", b"}", b"\"", b"\"", b"'", b"'", b"\\", b"\\",
    b"#", b"$", b"$", b"${v}", b")", b"(", b"\\t", b"\\n", b"\xff\xfe", b"\0",
];

fn piece_of(index: u8) -> Vec<u8> {
    match PIECES.get(usize::from(index) % (PIECES.len() + 8)) {
        Some(piece) => piece.to_vec(),
        None => vec![index],
    }
}

fn soup(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
        .prop_map(|indexes| indexes.into_iter().flat_map(piece_of).collect())
}

#[test]
fn arbitrary_bytes_never_panic() {
    within(Duration::from_secs(60), || {
        runner(1000)
            .run(&proptest::collection::vec(any::<u8>(), 0..3000), |bytes| {
                let _ = parse_bytes(&bytes, Path::new(NAME));
                Ok(())
            })
            .expect("random bytes");
        runner(3000)
            .run(&soup(200), |bytes| {
                let _ = parse_bytes(&bytes, Path::new(NAME));
                Ok(())
            })
            .expect("token soup");
        // Long runs reach the 4096-byte buffer refills.
        let long = proptest::collection::vec((any::<u8>(), 1usize..5000), 1..4).prop_map(|runs| {
            runs.into_iter()
                .flat_map(|(index, n)| piece_of(index).repeat(n))
                .collect::<Vec<u8>>()
        });
        runner(60)
            .run(&long, |bytes| {
                let _ = parse_bytes(&bytes, Path::new(NAME));
                Ok(())
            })
            .expect("long runs");
    });
}

fn same_shape(a: &[Directive], b: &[Directive]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_shape(y))
}

/// Words written in every way the tokenizer reads them.
#[rustfmt::skip]
const WORDS: &[&[u8]] = &[
    b"a", b"listen", b"\"q w\"", b"'x y'", b"a\"b", b"a'b", b"${v}x", b"a${v}", b"a}b", b"a#b",
    b"\"\"", b"''", b"\"a\\\\\"", b"\"\\\"\"", b"'\\''", b"\\t", b"a\\nb", b"a\\qb", b"a\\ b",
    b"\\;", b"\\{", b"$", b"\"${\"", b"\"a;b{c}d#e\"", b"\"l1\nl2\"", b"\"\xff\"", b"\xfe",
    b"(", b"($a", b"b)", b"\"q\")", b"~*", b"\"^/a{2}$\"",
];
#[rustfmt::skip]
const SPACES: &[&[u8]] = &[b" ", b"\t", b"\n", b"\r\n", b" # c ; { } \" '\n", b"\n\n"];

/// Always well-formed text, built from choices: words, `;`, blocks opened and
/// closed only where nginx allows, all open blocks closed at the end.
fn statements() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..80).prop_map(|choices| {
        let mut out = Vec::new();
        let mut words = 0;
        let mut depth = 0;
        for choice in choices {
            let pick = usize::from(choice);
            match choice % 8 {
                0..=3 => {
                    out.extend_from_slice(WORDS[pick % WORDS.len()]);
                    out.extend_from_slice(SPACES[pick % SPACES.len()]);
                    words += 1;
                }
                4 | 5 if words > 0 => {
                    out.extend_from_slice(b";");
                    words = 0;
                }
                6 if words > 0 => {
                    out.extend_from_slice(b"{");
                    words = 0;
                    depth += 1;
                }
                7 if words == 0 && depth > 0 => {
                    out.extend_from_slice(b"}");
                    depth -= 1;
                }
                _ => out.extend_from_slice(SPACES[pick % SPACES.len()]),
            }
        }
        if words > 0 {
            out.push(b';');
        }
        out.extend(std::iter::repeat_n(b'}', depth));
        out
    })
}

/// parse -> to_text -> parse gives the same tree, for every input that
/// parses. Returns how many of the inputs parsed.
fn check_round_trip(strategy: impl Strategy<Value = Vec<u8>>, cases: u32) -> usize {
    let parsed = AtomicUsize::new(0);
    runner(cases)
        .run(&strategy, |bytes| {
            let first = parse_bytes(&bytes, Path::new(NAME));
            if first.error.is_some() {
                return Ok(());
            }
            parsed.fetch_add(1, Ordering::Relaxed);
            let text = to_text(&first.directives);
            let second = parse_bytes(&text, Path::new(NAME));
            prop_assert!(
                second.error.is_none(),
                "{:?} -> {:?}: {:?}",
                String::from_utf8_lossy(&bytes),
                String::from_utf8_lossy(&text),
                second.error
            );
            prop_assert!(
                same_shape(&first.directives, &second.directives),
                "{:?} -> {:?}",
                String::from_utf8_lossy(&bytes),
                String::from_utf8_lossy(&text)
            );
            Ok(())
        })
        .expect("round trip of parsed text");
    parsed.into_inner()
}

#[test]
fn parse_to_text_parse_keeps_the_tree() {
    within(Duration::from_secs(60), || {
        // Noise: only some of it parses, and that is what is checked.
        let parsed = check_round_trip(soup(40), 4000);
        assert!(parsed > 100, "only {parsed} noisy inputs parsed");
        // Well-formed text, all of which must parse.
        let cases = 1500;
        let parsed = check_round_trip(statements(), cases);
        assert_eq!(parsed, cases as usize, "generated text failed to parse");
    });
}

/// Bytes the tokenizer treats specially, which words should be full of.
const SPECIAL: &[u8] = b"\"'\\${};# \n\r\t)tn\xff";

/// A word: arbitrary bytes, half of them from `SPECIAL`.
fn word() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<(bool, u8)>(), 0..12).prop_map(|bytes| {
        bytes
            .into_iter()
            .map(|(special, b)| {
                if special {
                    SPECIAL[usize::from(b) % SPECIAL.len()]
                } else {
                    b
                }
            })
            .collect()
    })
}

fn leaf() -> impl Strategy<Value = Directive> {
    (word(), proptest::collection::vec(word(), 0..4)).prop_map(|(name, args)| Directive {
        name: Arg::new(name),
        args: args.into_iter().map(Arg::new).collect(),
        block: None,
        loc: Loc {
            file: None,
            line: 1,
        },
    })
}

fn tree() -> impl Strategy<Value = Directive> {
    leaf().prop_recursive(4, 40, 5, |inner| {
        (leaf(), proptest::collection::vec(inner, 0..5)).prop_map(|(mut directive, children)| {
            directive.block = Some(Block {
                directives: children,
                end: None,
            });
            directive
        })
    })
}

/// `include x;` is expanded when read, so it cannot round-trip: it is the one
/// tree `to_text` documents as not representable.
fn representable(directives: &[Directive]) -> bool {
    directives.iter().all(|d| match &d.block {
        None => !(d.name == "include" && d.args.len() == 1),
        Some(block) => representable(&block.directives),
    })
}

#[test]
fn to_text_then_parse_gives_the_same_tree() {
    within(Duration::from_secs(60), || {
        runner(2000)
            .run(&proptest::collection::vec(tree(), 0..5), |directives| {
                prop_assume!(representable(&directives));
                let text = to_text(&directives);
                let parsed = parse_bytes(&text, Path::new(NAME));
                prop_assert!(
                    parsed.error.is_none(),
                    "{:?}: {:?}",
                    String::from_utf8_lossy(&text),
                    parsed.error
                );
                prop_assert!(
                    same_shape(&directives, &parsed.directives),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
                Ok(())
            })
            .expect("round trip of generated trees");
    });
}
