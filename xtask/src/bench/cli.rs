//! The command line of `cargo xtask bench`.

use super::{confgen, scenario};

pub const USAGE: &str = "usage: cargo xtask bench [--quick] [--write] [--pin] [--scenario NAME]... [--rounds N] [--duration SECS]

  --quick            every scenario, 1 round of 2 s: a smoke test of the harness; writes to
                     a temporary directory unless --write is given
  --write            with --quick, write docs/performance.md and docs/bench/ anyway
  --pin              servers and wrk on separate CPUs (taskset)
  --scenario NAME    run only this scenario (repeatable); the others are listed as \"not run\"
  --rounds N         rounds per case (default 3, --quick 1)
  --duration SECS    seconds per wrk run (default 10, --quick 2)
";

#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub quick: bool,
    pub write: bool,
    pub pin: bool,
    pub scenarios: Vec<String>,
    pub rounds: Option<u32>,
    pub duration: Option<u32>,
}

impl Options {
    pub fn selected(&self, name: &str) -> bool {
        self.scenarios.is_empty() || self.scenarios.iter().any(|s| s == name)
    }

    pub fn rounds(&self) -> u32 {
        self.rounds.unwrap_or(if self.quick { 1 } else { 3 })
    }

    pub fn duration(&self) -> u32 {
        self.duration.unwrap_or(if self.quick { 2 } else { 10 })
    }

    pub fn warmup(&self) -> u32 {
        if self.quick { 1 } else { 2 }
    }

    pub fn reload_runs(&self) -> usize {
        if self.quick { 3 } else { 10 }
    }

    pub fn conf_test_runs(&self) -> usize {
        if self.quick { 5 } else { 21 }
    }

    /// Whether results go to docs/ (or to a temporary directory).
    pub fn writes_docs(&self) -> bool {
        !self.quick || self.write
    }
}

fn known_names() -> Vec<&'static str> {
    confgen::CONF_TESTS
        .iter()
        .map(|c| c.name)
        .chain(std::iter::once(super::reload::NAME))
        .chain(scenario::SCENARIOS.iter().map(|s| s.name))
        .collect()
}

fn positive(flag: &str, v: Option<&String>) -> Result<u32, String> {
    v.and_then(|v| v.parse::<u32>().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{flag} needs a positive number\n\n{USAGE}"))
}

pub fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--write" => o.write = true,
            "--pin" => o.pin = true,
            "--rounds" => o.rounds = Some(positive(a, it.next())?),
            "--duration" => o.duration = Some(positive(a, it.next())?),
            "--scenario" => {
                let name = it
                    .next()
                    .ok_or_else(|| format!("--scenario needs a name\n\n{USAGE}"))?;
                if !known_names().contains(&name.as_str()) {
                    return Err(format!(
                        "unknown scenario {name:?}; known: {}",
                        known_names().join(", ")
                    ));
                }
                o.scenarios.push(name.clone());
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn defaults_and_quick() {
        let o = parse(&[]).unwrap();
        assert_eq!((o.rounds(), o.duration(), o.writes_docs()), (3, 10, true));
        assert!(o.selected("proxy") && o.selected("conf-test"));
        let q = parse(&args("--quick")).unwrap();
        assert_eq!((q.rounds(), q.duration(), q.writes_docs()), (1, 2, false));
        assert!(parse(&args("--quick --write")).unwrap().writes_docs());
    }

    #[test]
    fn scenario_selection() {
        let o = parse(&args("--scenario conf-test --scenario tls-1k --pin")).unwrap();
        assert!(o.pin);
        assert!(o.selected("conf-test") && o.selected("tls-1k"));
        assert!(!o.selected("conf-test-1000") && !o.selected("proxy"));
    }

    #[test]
    fn refuses_bad_input() {
        assert!(
            parse(&args("--scenario nope"))
                .unwrap_err()
                .contains("unknown scenario")
        );
        assert!(parse(&args("--scenario")).is_err());
        assert!(parse(&args("--rounds 0")).is_err());
        assert!(parse(&args("--duration x")).is_err());
        assert!(
            parse(&args("--fast"))
                .unwrap_err()
                .contains("unknown argument")
        );
        assert_eq!(parse(&args("--rounds 5")).unwrap().rounds(), 5);
    }
}
