//! The HTTP differential runner: each case under `testdata/http-cases/`
//! (a full `nginx.conf` with `{PORT}`/`{PORTn}`/`{PREFIX}` placeholders, the
//! files it serves, and a `requests` file, see `http::case`) is served by
//! Debian's nginx and then by rginx from identical prefixes on the same
//! ports; the same raw requests go to both (over TLS where the case says
//! so), and the normalised responses (`http::transcript`) and access logs
//! must be identical. A proxy case's `{BACKENDn}` placeholders are echo
//! backends (`http::backend`) the runner starts afresh for each server, on
//! the same ports for both; `{CLOSED}` is a port where nothing listens.
//!
//! A case is *pending* while rginx cannot run it: `rginx -t` says a
//! directive is not supported (the `-t` check is `conf_cases::run_case`, so
//! the pending module is named exactly as for config cases), or rginx does
//! not start. A case whose `rginx-differs` file explains a deliberate
//! difference only needs the same status codes. Every request may say what
//! nginx must answer (`expect=`): a case whose nginx answer differs from
//! that is a broken case, reported as such.
//!
//! The second server may be nginx too: that self-test proves the cases are
//! deterministic (all must match).

use crate::conf_cases::{self, Verdict};
use crate::http::backend;
use crate::http::case::{
    Expect, Ports, Request, Requests, backends_needed, parse_requests, ports_needed,
};
use crate::http::client::{self, Exchange};
use crate::http::server::{self, StartFailure, Stopped};
use crate::http::transcript::{Rendered, diff, normalise_access_log, render};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the second server is: only rginx has pending cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidate {
    Rginx,
    /// nginx against itself: the cases' self-test.
    Nginx,
}

#[derive(Clone, Debug)]
pub struct HttpCaseResult {
    pub name: String,
    pub about: String,
    pub verdict: Verdict,
    /// Why a case is pending, or what the mismatch is (a readable diff).
    pub detail: String,
    /// nginx did not answer as the case says it should.
    pub case_errors: Vec<String>,
    /// nginx's normalised transcripts, one per request.
    pub reference: Vec<Rendered>,
    /// The candidate's, when it ran.
    pub candidate: Vec<Rendered>,
}

/// The case directories under `root` (those with an `nginx.conf`), sorted.
pub fn case_dirs(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut cases: Vec<PathBuf> = fs::read_dir(root)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("nginx.conf").is_file())
        .collect();
    cases.sort();
    Ok(cases)
}

/// Runs the cases a few at a time (each on its own ports and prefix);
/// results in the order of `cases`. A case that cannot run at all (bad case
/// files, nginx not starting) is an error naming it.
pub fn run_cases(
    cases: &[PathBuf],
    reference: &Path,
    candidate: &Path,
    kind: Candidate,
) -> io::Result<Vec<HttpCaseResult>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<io::Result<HttpCaseResult>>>> =
        Mutex::new((0..cases.len()).map(|_| None).collect());
    // Cases spend most of their time waiting (for a server to start, for a
    // connection to stay open), not computing: more threads than CPUs pay.
    let threads = 8;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(index) else {
                        break;
                    };
                    let result = run_case(case, reference, candidate, kind).map_err(|e| {
                        io::Error::new(e.kind(), format!("case {}: {e}", case.display()))
                    });
                    results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(io::Error::other("case not run"))))
        .collect()
}

/// What one server did with a case.
struct SideRun {
    exchanges: Vec<Exchange>,
    access_log: Option<String>,
    stopped: Stopped,
}

/// Serves the case from `prefix` with `binary` (and fresh echo backends),
/// sends the requests, stops.
fn serve(
    binary: &Path,
    prefix: &Path,
    ports: &Ports,
    requests: &Requests,
) -> io::Result<Result<SideRun, StartFailure>> {
    let backends = match backend::start(&ports.backends) {
        Ok(backends) => backends,
        Err(e) => {
            return Ok(Err(StartFailure {
                output: format!("an echo backend did not start: {e}"),
                address_in_use: e.kind() == io::ErrorKind::AddrInUse,
            }));
        }
    };
    let running = match server::start(binary, prefix, &ports.listen)? {
        Ok(running) => running,
        Err(failure) => {
            backends.stop();
            return Ok(Err(failure));
        }
    };
    let exchanges = client::run(&requests.requests, requests.mode, &ports.listen);
    let answered = exchanges
        .iter()
        .filter(|e| e.final_response().is_some())
        .count();
    settle_access_log(&prefix.join("logs/access.log"), answered);
    let stopped = running.stop(prefix);
    backends.stop();
    let access_log = fs::read_to_string(prefix.join("logs/access.log")).ok();
    Ok(Ok(SideRun {
        exchanges,
        access_log,
        stopped,
    }))
}

/// Waits (briefly) until the access log has a line per answered request.
/// nginx logs a request when it is freed, which after a lingering close is
/// when the client's end of the connection closes: after the client saw
/// the response, and so possibly after the server was told to stop, which
/// would lose the line and make nginx disagree with itself.
fn settle_access_log(path: &Path, answered: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(500);
    while std::time::Instant::now() < deadline {
        let lines = fs::read_to_string(path).map_or(0, |text| text.lines().count());
        if lines >= answered {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Runs one case through both servers.
pub fn run_case(
    case: &Path,
    reference: &Path,
    candidate: &Path,
    kind: Candidate,
) -> io::Result<HttpCaseResult> {
    let name = case
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let conf = fs::read_to_string(case.join("nginx.conf"))?;
    let requests = parse_requests(&fs::read_to_string(case.join("requests"))?)?;
    let about = about_line(&conf)
        .or_else(|| requests.about.clone())
        .unwrap_or_default();
    let bad_case = |message: &str| io::Error::new(io::ErrorKind::InvalidData, message.to_string());
    if !conf.contains("access_log") {
        // Without it nginx writes to the system's /var/log/nginx/access.log.
        return Err(bad_case(
            "nginx.conf sets no access_log (use `access_log logs/access.log;`)",
        ));
    }
    let needed = ports_needed(&conf);
    if needed == 0 {
        return Err(bad_case("nginx.conf listens on no {PORT}"));
    }
    if let Some(request) = requests.requests.iter().find(|r| r.port > needed) {
        return Err(bad_case(&format!(
            "a request goes to port {} but the config has {needed}",
            request.port
        )));
    }
    // Unique per run of a case: two runs in one process (the rginx test and
    // the self-test) must not share a prefix. Both servers of one run do.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::SeqCst);
    let prefix =
        std::env::temp_dir().join(format!("rginx-http-{}-{run}-{name}", std::process::id()));

    let backend_count = requests.backends.max(backends_needed(&conf));
    let wants_closed = conf.contains("{CLOSED}");

    // nginx first; a port taken by someone else between allocation and
    // start is retried on fresh ports.
    let mut attempts = 0;
    let (ports, nginx_run) = loop {
        attempts += 1;
        let mut all = server::allocate_ports(needed + backend_count + usize::from(wants_closed));
        let closed = if wants_closed { all.pop() } else { None };
        let backends = all.split_off(needed);
        let ports = Ports {
            listen: all,
            backends,
            closed,
        };
        server::prepare(case, &prefix, &ports)?;
        match serve(reference, &prefix, &ports, &requests)? {
            Ok(run) => break (ports, run),
            Err(failure) if failure.address_in_use && attempts < 4 => continue,
            Err(failure) => {
                fs::remove_dir_all(&prefix)?;
                return Err(io::Error::other(format!(
                    "the reference server did not start:\n{}",
                    failure.output
                )));
            }
        }
    };
    let reference_rendered = render_all(&requests.requests, &nginx_run.exchanges);
    let case_errors = check_expectations(&requests.requests, &nginx_run.exchanges);
    let mut result = HttpCaseResult {
        name,
        about,
        verdict: Verdict::Match,
        detail: String::new(),
        case_errors,
        reference: reference_rendered,
        candidate: Vec::new(),
    };
    if nginx_run.stopped.killed {
        result
            .case_errors
            .push("the reference server ignored SIGQUIT and was killed".to_string());
    }

    server::prepare(case, &prefix, &ports)?;
    if kind == Candidate::Rginx {
        let checked = conf_cases::run_case(&prefix, reference, candidate)?;
        match checked.verdict {
            Verdict::Pending { module } => {
                result.verdict = Verdict::Pending { module };
                result.detail = checked.rginx.first_line;
                fs::remove_dir_all(&prefix)?;
                return Ok(result);
            }
            Verdict::Mismatch => {
                result.verdict = Verdict::Mismatch;
                result.detail = format!(
                    "`-t` differs: nginx (ok={}): {}\n  rginx (ok={}): {}\n",
                    checked.nginx.success,
                    checked.nginx.first_line,
                    checked.rginx.success,
                    checked.rginx.stderr
                );
                fs::remove_dir_all(&prefix)?;
                return Ok(result);
            }
            Verdict::Match | Verdict::DeliberateDifference { .. } => {}
        }
    }
    let candidate_run = serve(candidate, &prefix, &ports, &requests)?;
    let candidate_run = match candidate_run {
        Ok(run) => run,
        Err(failure) => {
            fs::remove_dir_all(&prefix)?;
            if kind == Candidate::Nginx {
                return Err(io::Error::other(format!(
                    "the second nginx did not start:\n{}",
                    failure.output
                )));
            }
            result.verdict = Verdict::Pending {
                module: start_failure_reason(&failure.output, &prefix),
            };
            result.detail = failure.output;
            return Ok(result);
        }
    };
    fs::remove_dir_all(&prefix)?;
    result.candidate = render_all(&requests.requests, &candidate_run.exchanges);
    let differs = fs::read_to_string(case.join("rginx-differs")).ok();
    let (verdict, detail) = judge(&result, &nginx_run, &candidate_run, differs);
    result.verdict = verdict;
    result.detail = detail;
    if candidate_run.stopped.killed {
        result.verdict = Verdict::Mismatch;
        result
            .detail
            .push_str("the server ignored SIGQUIT (nginx's graceful stop) and was killed\n");
    }
    Ok(result)
}

fn render_all(requests: &[Request], exchanges: &[Exchange]) -> Vec<Rendered> {
    requests
        .iter()
        .zip(exchanges)
        .map(|(request, exchange)| render(request, exchange))
        .collect()
}

/// Compares the two sides: transcripts request by request, then the access
/// logs. The detail is the readable diff (`-` nginx, `+` the candidate).
fn judge(
    result: &HttpCaseResult,
    nginx: &SideRun,
    candidate: &SideRun,
    differs: Option<String>,
) -> (Verdict, String) {
    let mut detail = String::new();
    let mut same_statuses = true;
    for (index, (a, b)) in result.reference.iter().zip(&result.candidate).enumerate() {
        if a.status != b.status {
            same_statuses = false;
        }
        if a.text != b.text {
            let _ = writeln!(detail, "  #{} {}:", index + 1, a.label);
            for line in diff(&a.text, &b.text).lines() {
                let _ = writeln!(detail, "      {line}");
            }
        }
    }
    let logs = (
        nginx
            .access_log
            .as_deref()
            .map(|log| normalise_access_log(log, &result.reference)),
        candidate
            .access_log
            .as_deref()
            .map(|log| normalise_access_log(log, &result.candidate)),
    );
    if logs.0 != logs.1 {
        let _ = writeln!(detail, "  access log:");
        let text = |log: &Option<String>| log.clone().unwrap_or_else(|| "[no access log]\n".into());
        for line in diff(&text(&logs.0), &text(&logs.1)).lines() {
            let _ = writeln!(detail, "      {line}");
        }
    }
    if detail.is_empty() {
        return (Verdict::Match, detail);
    }
    match differs {
        Some(reason) if same_statuses => (
            Verdict::DeliberateDifference {
                reason: reason.trim().to_string(),
            },
            detail,
        ),
        _ => (Verdict::Mismatch, detail),
    }
}

/// Each `expect=` against what nginx did.
fn check_expectations(requests: &[Request], exchanges: &[Exchange]) -> Vec<String> {
    let mut errors = Vec::new();
    for (index, (request, exchange)) in requests.iter().zip(exchanges).enumerate() {
        let got = match exchange.final_response() {
            Some(response) => format!("{}", response.status),
            None if exchange.responses.is_empty()
                && matches!(exchange.failure, Some(client::Failure::Closed(ref b)) if b.is_empty()) =>
            {
                "close".to_string()
            }
            None => format!("{:?}", exchange.failure),
        };
        let wanted = match request.expect {
            None => continue,
            Some(Expect::Status(code)) => code.to_string(),
            Some(Expect::Close) => "close".to_string(),
        };
        if got != wanted {
            errors.push(format!(
                "request #{}: nginx answered {got}, the case expects {wanted}",
                index + 1
            ));
        }
    }
    errors
}

/// The first `[emerg]`/`[alert]` line rginx printed, as the reason cases
/// wait (grouped in the summary).
fn start_failure_reason(output: &str, prefix: &Path) -> String {
    let normal = conf_cases::normalise(output, prefix);
    let line = normal
        .lines()
        .find(|line| line.contains("[emerg]") || line.contains("[alert]"))
        .unwrap_or("no error message");
    format!("rginx did not start: {line}")
}

fn about_line(conf: &str) -> Option<String> {
    conf.lines()
        .find_map(|line| line.trim().strip_prefix("# about:"))
        .map(|about| about.trim().to_string())
}

/// A readable summary: counts, pending cases by reason, deliberate
/// differences, broken cases and every mismatch with its diff.
pub fn summary(results: &[HttpCaseResult]) -> String {
    let mut out = String::new();
    let mut pending: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let (mut matched, mut deliberate, mut mismatched) = (0, 0, 0);
    for result in results {
        match &result.verdict {
            Verdict::Match => matched += 1,
            Verdict::DeliberateDifference { .. } => deliberate += 1,
            Verdict::Pending { module } => pending.entry(module).or_default().push(&result.name),
            Verdict::Mismatch => mismatched += 1,
        }
    }
    let requests: usize = results.iter().map(|r| r.reference.len()).sum();
    let pending_count: usize = pending.values().map(Vec::len).sum();
    let _ = writeln!(
        out,
        "HTTP conformance: {} cases ({requests} requests): {matched} match, {deliberate} \
         deliberate differences, {pending_count} pending, {mismatched} mismatch",
        results.len()
    );
    for (module, cases) in &pending {
        let _ = writeln!(out, "  pending on {module}: {}", cases.join(", "));
    }
    for result in results {
        for error in &result.case_errors {
            let _ = writeln!(out, "  BROKEN CASE {}: {error}", result.name);
        }
        match &result.verdict {
            Verdict::DeliberateDifference { reason } => {
                let _ = writeln!(out, "  deliberate: {}: {reason}", result.name);
            }
            Verdict::Mismatch => {
                let _ = writeln!(
                    out,
                    "  MISMATCH {} ({})\n{}",
                    result.name, result.about, result.detail
                );
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::client::{After, Failure, Response};

    fn exchange(status: Option<u16>) -> Exchange {
        match status {
            Some(status) => Exchange {
                responses: vec![Response {
                    status_line: format!("HTTP/1.1 {status} X").into_bytes(),
                    status,
                    ..Response::default()
                }],
                failure: None,
                after: After::Open,
            },
            None => Exchange {
                responses: Vec::new(),
                failure: Some(Failure::Closed(Vec::new())),
                after: After::Closed,
            },
        }
    }

    fn request(expect: Option<Expect>) -> Request {
        Request {
            bytes: b"GET / HTTP/1.1\r\n\r\n".to_vec(),
            port: 1,
            expect,
            tls: None,
        }
    }

    #[test]
    fn expectations_are_checked_against_nginx() {
        let requests = [
            request(Some(Expect::Status(200))),
            request(Some(Expect::Close)),
            request(Some(Expect::Status(404))),
            request(None),
        ];
        let exchanges = [
            exchange(Some(200)),
            exchange(None),
            exchange(Some(403)),
            exchange(Some(500)),
        ];
        assert_eq!(
            check_expectations(&requests, &exchanges),
            vec!["request #3: nginx answered 403, the case expects 404".to_string()]
        );
    }

    fn side(exchanges: Vec<Exchange>, log: &str) -> SideRun {
        SideRun {
            exchanges,
            access_log: Some(log.to_string()),
            stopped: Stopped {
                output: String::new(),
                killed: false,
            },
        }
    }

    #[test]
    fn judging_compares_transcripts_and_logs() {
        let requests = [request(None)];
        let result = |a: &SideRun, b: &SideRun| HttpCaseResult {
            name: "x".into(),
            about: String::new(),
            verdict: Verdict::Match,
            detail: String::new(),
            case_errors: Vec::new(),
            reference: render_all(&requests, &a.exchanges),
            candidate: render_all(&requests, &b.exchanges),
        };
        let ok = side(vec![exchange(Some(200))], "l 200\n");
        let same = side(vec![exchange(Some(200))], "l 200\n");
        assert_eq!(
            judge(&result(&ok, &same), &ok, &same, None).0,
            Verdict::Match
        );
        let other = side(vec![exchange(Some(404))], "l 200\n");
        let (verdict, detail) = judge(&result(&ok, &other), &ok, &other, None);
        assert_eq!(verdict, Verdict::Mismatch);
        assert!(detail.contains("- HTTP/1.1 200 X"), "{detail}");
        assert!(detail.contains("+ HTTP/1.1 404 X"), "{detail}");
        // A deliberate difference still needs the same statuses.
        let reason = Some("why".to_string());
        assert_eq!(
            judge(&result(&ok, &other), &ok, &other, reason.clone()).0,
            Verdict::Mismatch
        );
        let log_differs = side(vec![exchange(Some(200))], "other 200\n");
        let (verdict, detail) = judge(&result(&ok, &log_differs), &ok, &log_differs, None);
        assert_eq!(verdict, Verdict::Mismatch);
        assert!(detail.contains("access log"), "{detail}");
        assert!(matches!(
            judge(&result(&ok, &log_differs), &ok, &log_differs, reason).0,
            Verdict::DeliberateDifference { .. }
        ));
    }

    #[test]
    fn start_failures_name_their_reason() {
        let prefix = Path::new("/tmp/p");
        assert_eq!(
            start_failure_reason(
                "exit: 1\noutput:\nrginx: [emerg] serving is not implemented by rginx yet\n",
                prefix
            ),
            "rginx did not start: [emerg] serving is not implemented by rginx yet"
        );
        assert_eq!(
            start_failure_reason("exit: signal 11\n", prefix),
            "rginx did not start: no error message"
        );
    }
}
