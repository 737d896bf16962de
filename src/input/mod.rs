//! Inputs: where blobs come from (the file system, git history and index,
//! archives and app packages, deployed sites), scanned into a
//! [`crate::outcome::ScanOutcome`].
pub mod archive;
pub(crate) mod cache_tree;
pub mod fs;
pub mod git;
pub(crate) mod pack;
pub mod project;
pub mod refs;
pub mod remote;
pub(crate) mod tree_filter;
pub mod url;
