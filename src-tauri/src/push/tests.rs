//! Orchestration tests: filled in below.
