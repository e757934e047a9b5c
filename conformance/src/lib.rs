//! The conformance harness: runs the same inputs through Debian's nginx and
//! through rginx and compares what they say.
//!
//! Config cases (`testdata/conf-cases/<name>/nginx.conf` plus the files it
//! includes) are copied into a fresh prefix and checked with
//! `-t -p PREFIX/ -c PREFIX/nginx.conf -e PREFIX/error.log` by both servers;
//! the exit status and the first line of stderr must match once the program
//! name and the prefix are normalised.
//!
//! A case rginx refuses with `"X" directive is not supported by rginx` is
//! *pending* on the nginx module that declares X: the module's issue brings
//! it to matching. A case may carry a file `rginx-differs` whose text says why
//! rginx deliberately answers differently (e.g. a clearer message for an
//! include cycle); then only the verdict (success or failure) must match.

pub mod conf_cases;
pub mod http;
pub mod http_cases;
pub mod report;

pub use conf_cases::{CaseOutcome, CaseResult, Verdict, run_case, run_dir};
