//! Regular expressions as nginx uses them (locations, server names, `map`,
//! `if`): compiled once at config time.
//!
//! Every pattern is first compiled by PCRE2, the library nginx itself uses,
//! so a bad pattern gets nginx's exact `pcre2_compile() failed: ...` message.
//! Matching then runs on `regex::bytes` (fast, linear time) when it can
//! express the pattern, and on PCRE2 for what only PCRE has (lookaround,
//! backreferences), so real-world configs keep working. The `regex::bytes`
//! automaton is built on first use, in the worker: `-t` and the master only
//! pay for PCRE2's validation, as nginx does.

use rginx_conf::{Arg, ConfError, Loc};

/// A compiled nginx regex.
#[derive(Clone, Debug)]
pub struct Regex {
    pub pattern: Arg,
    pub caseless: bool,
    pcre: pcre2::bytes::Regex,
    /// The `regex::bytes` engine, built on first match; `None` inside when
    /// the pattern needs PCRE.
    fast: std::sync::OnceLock<Option<regex::bytes::Regex>>,
    /// Names of the named captures, by group index.
    pub capture_names: Vec<Option<String>>,
}

enum Engine<'a> {
    Fast(&'a regex::bytes::Regex),
    Pcre(&'a pcre2::bytes::Regex),
}

impl Regex {
    /// Compiles `pattern` as nginx's `ngx_regex_compile` would, with nginx's
    /// error message on failure.
    pub fn compile(pattern: &Arg, caseless: bool, loc: &Loc) -> Result<Regex, ConfError> {
        let text = pattern.lossy();
        let pcre = pcre2::bytes::RegexBuilder::new()
            .caseless(caseless)
            .build(&text)
            .map_err(|err| ConfError::at(loc, pcre_message(&text, &err)))?;
        let capture_names = pcre.capture_names().to_vec();
        Ok(Regex {
            pattern: pattern.clone(),
            caseless,
            pcre,
            fast: std::sync::OnceLock::new(),
            capture_names,
        })
    }

    fn engine(&self) -> Engine<'_> {
        let fast = self.fast.get_or_init(|| {
            let text = self.pattern.to_str()?;
            if uses_pcre_only_semantics(text) {
                return None;
            }
            regex::bytes::RegexBuilder::new(text)
                .case_insensitive(self.caseless)
                .unicode(false)
                .build()
                .ok()
        });
        match fast {
            Some(fast) => Engine::Fast(fast),
            None => Engine::Pcre(&self.pcre),
        }
    }

    /// Number of capture groups (without the whole match).
    pub fn captures_len(&self) -> usize {
        self.capture_names.len().saturating_sub(1)
    }

    /// Whether the subject matches; a PCRE2 runtime failure counts as no match.
    pub fn is_match(&self, subject: &[u8]) -> bool {
        match self.engine() {
            Engine::Fast(re) => re.is_match(subject),
            Engine::Pcre(re) => re.is_match(subject).unwrap_or(false),
        }
    }

    /// The offsets of the whole match and every group, as nginx's captures.
    pub fn captures(&self, subject: &[u8]) -> Option<Vec<Option<(usize, usize)>>> {
        match self.engine() {
            Engine::Fast(re) => re.captures(subject).map(|caps| {
                (0..caps.len())
                    .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
                    .collect()
            }),
            Engine::Pcre(re) => re.captures(subject).ok().flatten().map(|caps| {
                (0..caps.len())
                    .map(|i| caps.get(i).map(|m| (m.start(), m.end())))
                    .collect()
            }),
        }
    }

    /// Whether the fast engine runs this pattern (for tests and `-T` notes).
    pub fn is_fast(&self) -> bool {
        matches!(self.engine(), Engine::Fast(_))
    }
}

/// Constructs where PCRE and the `regex` crate agree on syntax but differ
/// in meaning: `$` matches before a final newline in PCRE, and `\Z`, `\z`
/// are PCRE anchors. Such patterns stay on PCRE2.
fn uses_pcre_only_semantics(pattern: &str) -> bool {
    pattern.contains("\\Z") || pattern.contains("\\G")
}

/// nginx's wording: `pcre2_compile() failed: MSG in "PATTERN" at "REST"`,
/// without the `at` part when the error is at the end of the pattern.
fn pcre_message(pattern: &str, err: &pcre2::Error) -> String {
    let full = err.to_string();
    let message = full.rsplit_once(": ").map_or(full.as_str(), |(_, m)| m);
    match err.offset() {
        Some(offset) if offset < pattern.len() => format!(
            "pcre2_compile() failed: {message} in \"{pattern}\" at \"{}\"",
            pattern.get(offset..).unwrap_or("")
        ),
        _ => format!("pcre2_compile() failed: {message} in \"{pattern}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Loc {
        Loc {
            file: None,
            line: 1,
        }
    }

    #[test]
    fn plain_patterns_run_on_the_fast_engine() {
        let re = Regex::compile(&Arg::new("^/images/(.+)\\.(png|jpg)$"), false, &loc()).unwrap();
        assert!(re.is_fast());
        assert!(re.is_match(b"/images/a.png"));
        assert!(!re.is_match(b"/images/a.gif"));
        assert_eq!(re.captures_len(), 2);
    }

    #[test]
    fn lookaround_falls_back_to_pcre() {
        let re = Regex::compile(&Arg::new("^/(?!api)"), false, &loc()).unwrap();
        assert!(!re.is_fast());
        assert!(re.is_match(b"/web"));
        assert!(!re.is_match(b"/api"));
    }

    #[test]
    fn caseless_is_honoured_by_both_engines() {
        let fast = Regex::compile(&Arg::new("\\.PNG$"), true, &loc()).unwrap();
        assert!(fast.is_match(b"/a.png"));
        let pcre = Regex::compile(&Arg::new("(?<=x)\\.PNG$"), true, &loc()).unwrap();
        assert!(pcre.is_match(b"/x.png"));
    }

    #[test]
    fn bad_patterns_get_pcre2s_message() {
        let err = Regex::compile(&Arg::new("(abc"), false, &loc()).unwrap_err();
        assert_eq!(
            err.message,
            "pcre2_compile() failed: missing closing parenthesis in \"(abc\""
        );
        let err = Regex::compile(&Arg::new("a)b"), false, &loc()).unwrap_err();
        assert!(
            err.message.ends_with("in \"a)b\" at \")b\""),
            "{}",
            err.message
        );
    }
}
