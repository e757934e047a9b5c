//! The results of a benchmark run, as written to `docs/bench/results.json` and rendered
//! into `docs/performance.md`.

use serde::Serialize;

use super::stats::median;

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub date_utc: String,
    pub nproc: usize,
    pub cpu_model: String,
    pub kernel: String,
    pub nginx_version: String,
    pub wrk_version: String,
    pub rginx_commit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub quick: bool,
    pub rounds: u32,
    pub duration_s: u32,
    pub warmup_s: u32,
    pub conf_test_runs: usize,
    /// Timed reloads per server (after one untimed).
    pub reload_runs: usize,
    /// `taskset` CPU lists when `--pin` was given.
    pub server_cpus: Option<String>,
    pub load_cpus: Option<String>,
}

/// What one server measured in one round of one case.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunMetrics {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Socket errors plus non-2xx/3xx responses.
    pub errors: f64,
    pub requests: f64,
    /// Bytes wrk read per request (headers and body): a cheap check that both servers sent
    /// the same thing (gzip on, same file).
    pub bytes_per_request: f64,
    /// Sum of the workers' VmRSS after start-up, before any request.
    pub rss_idle_kib: f64,
    /// Peak of the same sum while wrk ran.
    pub rss_load_kib: f64,
    /// utime + stime of master and workers during the run, per 100k requests.
    pub cpu_s_per_100k: f64,
}

impl RunMetrics {
    /// The field-wise median of several rounds.
    pub fn median_of(runs: &[RunMetrics]) -> Option<RunMetrics> {
        let m = |f: fn(&RunMetrics) -> f64| median(&runs.iter().map(f).collect::<Vec<_>>());
        Some(RunMetrics {
            requests_per_sec: m(|r| r.requests_per_sec)?,
            p50_ms: m(|r| r.p50_ms)?,
            p99_ms: m(|r| r.p99_ms)?,
            max_ms: m(|r| r.max_ms)?,
            errors: m(|r| r.errors)?,
            requests: m(|r| r.requests)?,
            bytes_per_request: m(|r| r.bytes_per_request)?,
            rss_idle_kib: m(|r| r.rss_idle_kib)?,
            rss_load_kib: m(|r| r.rss_load_kib)?,
            cpu_s_per_100k: m(|r| r.cpu_s_per_100k)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Both servers measured.
    #[serde(rename = "ok")]
    Ok,
    /// rginx cannot serve this scenario yet (its `-t` fails or it does not answer);
    /// nginx was measured alone as the baseline.
    #[serde(rename = "not yet")]
    NotYet,
    /// Not selected in this run.
    #[serde(rename = "not run")]
    NotRun,
    /// The harness or nginx failed; see `note`.
    #[serde(rename = "failed")]
    Failed,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotYet => "not yet",
            Status::NotRun => "not run",
            Status::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ServerResult {
    pub rounds: Vec<RunMetrics>,
    pub median: Option<RunMetrics>,
}

impl ServerResult {
    pub fn from_rounds(rounds: Vec<RunMetrics>) -> ServerResult {
        let median = RunMetrics::median_of(&rounds);
        ServerResult { rounds, median }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub scenario: String,
    pub workers: u32,
    pub connections: u32,
    pub status: Status,
    pub note: Option<String>,
    pub nginx: Option<ServerResult>,
    pub rginx: Option<ServerResult>,
    /// rginx/nginx requests per second, one per round (both ran in that round).
    pub round_ratios: Vec<f64>,
    /// Median of `round_ratios`.
    pub ratio: Option<f64>,
}

impl CaseResult {
    pub fn label(&self) -> String {
        format!("{} w{} c{}", self.scenario, self.workers, self.connections)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfTestResult {
    pub name: String,
    pub config: String,
    pub runs: usize,
    /// Every run's wall time; the first of each is a warm-up, left out of the median.
    pub nginx_ms: Vec<f64>,
    pub rginx_ms: Vec<f64>,
    pub nginx_median_ms: Option<f64>,
    pub rginx_median_ms: Option<f64>,
    /// rginx time / nginx time: below 1 means rginx checks the config faster.
    pub time_ratio: Option<f64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub machine: Machine,
    pub settings: Settings,
    pub conf_tests: Vec<ConfTestResult>,
    /// Reload latency, in the shape of a conf-test (times and their ratio).
    pub reload: Option<ConfTestResult>,
    pub cases: Vec<CaseResult>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rps: f64, p99: f64) -> RunMetrics {
        RunMetrics {
            requests_per_sec: rps,
            p99_ms: p99,
            ..Default::default()
        }
    }

    #[test]
    fn field_wise_median() {
        let m =
            RunMetrics::median_of(&[run(100.0, 9.0), run(300.0, 1.0), run(200.0, 5.0)]).unwrap();
        assert_eq!(m.requests_per_sec, 200.0);
        assert_eq!(m.p99_ms, 5.0);
        assert!(RunMetrics::median_of(&[]).is_none());
    }

    #[test]
    fn status_serializes_as_its_label() {
        for s in [Status::Ok, Status::NotYet, Status::NotRun, Status::Failed] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.label())
            );
        }
    }
}
