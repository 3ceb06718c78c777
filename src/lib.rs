#![warn(missing_docs)]
//! govscore evaluates Chinese government websites on the national performance-evaluation
//! indicators and ranks them by category.
//!
//! The library follows the pipeline, and data flows one way through it — each module uses
//! only those listed before it:
//!
//! - leaves: [`points`] (rounding and printing points), [`files`] (atomic writes, digests),
//!   [`urls`] (a site's scope, the link normaliser), [`dates`] (the one date parser),
//!   [`charset`] (the one HTML decoder), [`lang`] (the two languages notes are written in),
//!   [`text`] (what may be printed);
//! - [`input`]: the files a run starts from (`sites.txt`, `indicators.yaml`, the cases and
//!   manual files), parsed and validated with `file:line[:col]` diagnostics; [`shard`] splits
//!   a site list across machines;
//! - [`archive`]: the crawl folder — per-site WARC files and the crawl log's events;
//! - [`extract`]: every HTML parse, reading pages into compact facts;
//! - [`crawl`]: the only stage on the network — polite, bounded, guarded fetching of every
//!   site, each response archived as it arrives;
//! - [`score`] (pure functions: rules, vetoes, deductions, bonus) and [`rank`];
//! - [`results`]: the `results.json` contract — read, write, merge the parts of a sharded run;
//! - [`evaluate`]: a crawl folder read back into each site's evidence, scored and ranked;
//! - [`report`]: the tables (one table model for every format) and the report folder;
//!   [`diff`] and [`explain`] read results back;
//! - [`pipeline`]: crawl → score → report as one sequence; [`demo`] serves sample portals
//!   and runs it.
//!
//! The binary (`src/main.rs`, `src/cli.rs`, `src/commands/`) only parses arguments, calls
//! these, and prints.

pub mod archive;
pub mod charset;
pub mod crawl;
pub mod dates;
pub mod demo;
pub mod diff;
pub mod evaluate;
pub mod explain;
pub mod extract;
pub mod files;
pub mod input;
pub mod lang;
pub mod pipeline;
pub mod points;
pub mod rank;
pub mod report;
pub mod results;
pub mod score;
pub mod shard;
pub mod text;
pub mod urls;
