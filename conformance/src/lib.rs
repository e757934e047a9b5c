//! The conformance harness: runs the same inputs through nginx and rginx and compares.
