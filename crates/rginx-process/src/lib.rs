//! The master/worker process model.
