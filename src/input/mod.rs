//! Inputs: where blobs come from (the file system, git history and index,
//! archives and app packages, deployed sites), scanned into a
//! [`crate::outcome::ScanOutcome`].
pub mod archive;
mod cache_tree;
pub mod fs;
pub mod git;
mod pack;
pub mod project;
pub mod refs;
pub mod remote;
mod tree_filter;
pub mod url;
