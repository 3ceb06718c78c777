//! govscore evaluates Chinese government websites on the national performance-evaluation
//! indicators and ranks them by category.
//!
//! The library follows the pipeline, and data flows one way through it:
//!
//! - [`input`]: the files a run starts from (`sites.txt`, `indicators.yaml`, the cases and
//!   manual files), parsed and validated with `file:line[:col]` diagnostics;
//! - [`crawl`]: the only stage on the network — polite, bounded, guarded fetching of every
//!   site, each response archived as it arrives ([`archive`]);
//! - [`extract`]: every HTML parse, reading pages into compact facts (decoded by [`charset`],
//!   dated by [`dates`]);
//! - [`evaluate`]: a crawl folder read back into each site's evidence, then [`score`] (pure
//!   functions: rules, vetoes, deductions, bonus) and [`rank`];
//! - [`report`]: the tables and the report folder; [`diff`] and [`explain`] read results back;
//!   [`shard`] splits a run and merges its parts; [`demo`] serves sample portals.
//!
//! The binary (`src/main.rs`) only parses arguments and prints.

pub mod archive;
pub mod charset;
pub mod crawl;
pub mod dates;
pub mod demo;
pub mod diff;
pub mod evaluate;
pub mod explain;
pub mod extract;
pub mod input;
pub mod rank;
pub mod report;
pub mod score;
pub mod shard;
