//! `plaza doctor`.
