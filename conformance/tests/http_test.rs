//! Every case under `testdata/http-cases/` served by nginx and by rginx, the
//! same raw requests to both: the suite fails on any mismatch and on any
//! case whose nginx answers differ from what the case expects. Pending cases
//! (rginx lacks a module, or does not serve yet) are listed, not failed.
//!
//! A second test serves every case with nginx twice: the cases must be
//! deterministic, or a mismatch against rginx would mean nothing.
//!
//! `HTTP_CASES=word` runs only the cases whose name contains `word`;
//! `HTTP_CASES_SHOW=1` prints nginx's transcripts (for writing cases).

use conformance::Verdict;
use conformance::http_cases::{Candidate, HttpCaseResult, case_dirs, run_cases, summary};
use std::path::{Path, PathBuf};

fn rginx_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("RGINX_BIN") {
        return PathBuf::from(path);
    }
    // target/<profile>/deps/http_test-HASH -> target/<profile>/rginx, built
    // by `cargo test --workspace` for the rginx package's own tests.
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps");
    profile_dir.join("rginx")
}

fn nginx_binary() -> PathBuf {
    let nginx =
        PathBuf::from(std::env::var_os("NGINX_BIN").unwrap_or_else(|| "/usr/sbin/nginx".into()));
    assert!(
        nginx.is_file(),
        "{} is missing: the reference nginx is Debian's (`apt-get install -y nginx`)",
        nginx.display()
    );
    nginx
}

/// The cases, or those `HTTP_CASES` names; `true` when filtered.
fn cases() -> (Vec<PathBuf>, bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/http-cases");
    let all = case_dirs(&root).expect("testdata/http-cases is readable");
    match std::env::var("HTTP_CASES") {
        Ok(filter) if !filter.is_empty() => (
            all.into_iter()
                .filter(|case| case.to_string_lossy().contains(&filter))
                .collect(),
            true,
        ),
        _ => (all, false),
    }
}

fn show(results: &[HttpCaseResult]) {
    if std::env::var_os("HTTP_CASES_SHOW").is_none() {
        return;
    }
    for result in results {
        println!("===== {} ({})", result.name, result.about);
        for (index, rendered) in result.reference.iter().enumerate() {
            println!("--- #{} {}\n{}", index + 1, rendered.label, rendered.text);
        }
    }
}

fn assert_no_failures(results: &[HttpCaseResult], filtered: bool) {
    if !filtered {
        assert!(results.len() >= 40, "only {} cases found", results.len());
    }
    let broken: Vec<&str> = results
        .iter()
        .filter(|r| !r.case_errors.is_empty())
        .map(|r| r.name.as_str())
        .collect();
    assert!(
        broken.is_empty(),
        "cases nginx does not answer as they expect: {broken:?}"
    );
    let mismatches: Vec<&str> = results
        .iter()
        .filter(|r| r.verdict == Verdict::Mismatch)
        .map(|r| r.name.as_str())
        .collect();
    assert!(mismatches.is_empty(), "mismatches: {mismatches:?}");
}

#[test]
fn nginx_and_rginx_answer_every_case_alike() {
    let rginx = rginx_binary();
    assert!(
        rginx.is_file(),
        "{} is missing: run the whole suite with `cargo test --workspace` (it builds rginx), \
         or set RGINX_BIN",
        rginx.display()
    );
    let (cases, filtered) = cases();
    let results = run_cases(&cases, &nginx_binary(), &rginx, Candidate::Rginx).expect("cases run");
    show(&results);
    println!("{}", summary(&results));
    assert_no_failures(&results, filtered);
}

#[test]
fn nginx_answers_every_case_alike_twice() {
    let nginx = nginx_binary();
    let (cases, filtered) = cases();
    let results = run_cases(&cases, &nginx, &nginx, Candidate::Nginx).expect("cases run");
    show(&results);
    println!("self-test: {}", summary(&results));
    assert_no_failures(&results, filtered);
    assert!(
        results.iter().all(|r| r.verdict == Verdict::Match),
        "nginx against itself must match everywhere"
    );
}
