//! HTTP modules.
