//! The crawl log: one JSON object a line per site, beside its WARC file. The WARC holds
//! what was said on the wire; the log holds what the crawler decided and measured — timings,
//! error classes, robots decisions, link checks, probes, and the site's outcome — which the
//! scoring stage reads as evidence. The event types live here, with the archive that stores
//! them, so the crawler writes and scoring reads one definition.

use serde::{Deserialize, Serialize};

/// Why a URL was fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Robots,
    Page,
    LinkCheck,
    Probe,
}

/// One line of the crawl log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A fetch with its redirects, as one line.
    Fetch {
        url: String,
        final_url: String,
        method: String,
        purpose: Purpose,
        /// Link depth from the homepage, for pages.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        depth: Option<u32>,
        /// Status of the last hop; absent when there was no response.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        status: Option<u16>,
        /// Every hop's URL after the first, in order.
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        redirects: Vec<String>,
        /// Time of the last hop, from sending to the end of the body.
        ms: u64,
        bytes: u64,
        #[serde(skip_serializing_if = "std::ops::Not::not", default)]
        truncated: bool,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        content_type: Option<String>,
        /// The encoding an HTML body was decoded with, and where that came from.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        charset: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        charset_source: Option<crate::charset::CharsetSource>,
        attempts: u32,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        error: Option<LoggedError>,
    },
    /// What an origin's robots.txt decided.
    RobotsFile {
        origin: String,
        outcome: String,
        reason: String,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        crawl_delay: Option<f32>,
        /// The interval between requests in force for the host after this file.
        interval_ms: u64,
    },
    /// A URL robots.txt disallows: recorded, never fetched.
    Disallowed { url: String, from: String },
    /// A link checked (or fetched as a page), with the page that links it.
    Link {
        from: String,
        url: String,
        text: String,
        /// Inside the site's scope.
        internal: bool,
        /// On the homepage (whose broken links cost more).
        on_homepage: bool,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        status: Option<u16>,
        ok: bool,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        error: Option<LoggedError>,
    },
    /// A link leaving the site's scope: not crawled, kept as evidence.
    Outlink {
        from: String,
        url: String,
        text: String,
    },
    /// One homepage availability probe.
    Probe {
        n: u32,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        status: Option<u16>,
        ms: u64,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        error: Option<LoggedError>,
    },
    /// The site's outcome; the last line of a finished log.
    Site {
        url: String,
        name: String,
        status: SiteStatus,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        reason: Option<String>,
        final_url: String,
        pages: u32,
        errors: u32,
        bytes: u64,
        seconds: f64,
    },
}

/// Why a fetch produced no response. The class is what scoring and the log reason about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// The name does not resolve.
    Dns,
    /// The address guard refused the address (literal, resolved, or a redirect hop).
    Refused,
    Connect,
    Timeout,
    Tls,
    TooManyRedirects,
    RedirectLoop,
    /// A redirect without a usable `Location`.
    BadRedirect,
    /// A redirect to a URL robots.txt disallows.
    Disallowed,
    /// The connection broke while reading the body, or any other transport failure.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedError {
    pub class: ErrorClass,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    Ok,
    Unreachable,
}
