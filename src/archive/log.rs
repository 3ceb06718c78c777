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
    /// An origin's robots.txt, fetched before any other URL of that origin.
    Robots,
    /// A page crawled within the site's scope; the only fetch events scoring reads.
    Page,
    /// A status check of a link: `HEAD`, or a capped `GET` when `HEAD` gets 405 or 501.
    LinkCheck,
    /// An extra homepage fetch for the availability rule (`--probes`).
    Probe,
}

/// One line of the crawl log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A fetch with its redirects, as one line.
    Fetch {
        /// The URL asked for: the first hop.
        url: String,
        /// The last hop's URL; the same as `url` when there was no redirect.
        final_url: String,
        /// `GET`, or `HEAD` for a link check's first try; every hop uses the same method.
        method: String,
        /// Why it was fetched; scoring reads only `page` fetches.
        purpose: Purpose,
        /// Fetched from the integrated service platform on its own budget (its depth counts
        /// from the first platform page); left out for the portal's own pages.
        #[serde(skip_serializing_if = "std::ops::Not::not", default)]
        platform: bool,
        /// Link depth from the homepage, for pages.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        depth: Option<u32>,
        /// Status of the last hop; absent when there was no response.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        status: Option<u16>,
        /// Every hop's URL after the first, in order.
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        redirects: Vec<String>,
        /// How long the site took to answer, in milliseconds: each hop from sending its
        /// request to the end of its body, every redirect hop included; the crawler's own
        /// waits (politeness, Crawl-delay, retries) are not in it.
        ms: u64,
        /// Body bytes of the last hop as stored (decoded, after the cap); 0 without a response.
        bytes: u64,
        /// The last hop's body was cut at the size cap; written only when true.
        #[serde(skip_serializing_if = "std::ops::Not::not", default)]
        truncated: bool,
        /// The last hop's `Content-Type` header, as the server sent it.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        content_type: Option<String>,
        /// The encoding an HTML body was decoded with, and where that came from.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        charset: Option<String>,
        /// Where `charset` came from. Both are set only for 2xx HTML pages in scope, the
        /// ones decoded to find links.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        charset_source: Option<crate::charset::CharsetSource>,
        /// Requests made over all hops, retries included.
        attempts: u32,
        /// Why there was no usable response; absent when there was one, whatever its status.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        error: Option<LoggedError>,
    },
    /// What an origin's robots.txt decided.
    RobotsFile {
        /// `scheme://host[:port]`, the unit the file applies to.
        origin: String,
        /// `rules`, `allow_all` or `disallow_all`.
        outcome: String,
        /// Why, in words: the HTTP status, the parse error, or the fetch error.
        reason: String,
        /// The `Crawl-delay` the file asks of govscore, in seconds, before the
        /// `--max-crawl-delay` cap; absent when it asks none.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        crawl_delay: Option<f32>,
        /// The interval between requests in force for the host after this file.
        interval_ms: u64,
    },
    /// A URL robots.txt disallows: recorded, never fetched.
    Disallowed {
        /// The URL that was not fetched.
        url: String,
        /// The page that linked it; empty for the homepage.
        from: String,
    },
    /// A link checked (or fetched as a page), with the page that links it.
    Link {
        /// The page the link was found on.
        from: String,
        /// Where the link goes, normalised.
        url: String,
        /// The link's anchor text.
        text: String,
        /// Inside the site's scope.
        internal: bool,
        /// On the homepage (whose broken links cost more).
        on_homepage: bool,
        /// Status of the last hop; absent when there was no response.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        status: Option<u16>,
        /// No error and a status below 400: whether scoring counts the link as working.
        ok: bool,
        /// Why there was no usable response.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        error: Option<LoggedError>,
    },
    /// A link leaving the site's scope: not crawled, kept as evidence.
    Outlink {
        /// The page the link was found on.
        from: String,
        /// Where the link goes, normalised.
        url: String,
        /// The link's anchor text.
        text: String,
    },
    /// One homepage availability probe.
    Probe {
        /// Which probe, counting from 1.
        n: u32,
        /// Status of the last hop; absent when there was no response.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        status: Option<u16>,
        /// Time of the whole probe in milliseconds, as a fetch's `ms` counts it.
        ms: u64,
        /// Why there was no usable response.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        error: Option<LoggedError>,
    },
    /// Whether names resolve at all, checked when a link's name did not: a failed lookup is
    /// a broken link only when the resolver is known to work.
    Network {
        /// Some probe name resolved.
        resolver_works: bool,
        /// The names looked up.
        probed: Vec<String>,
    },
    /// The site's outcome; the last line of a finished log.
    Site {
        /// The homepage as the site list gives it.
        url: String,
        /// The site's name from the site list.
        name: String,
        /// Whether the homepage could be crawled; scoring takes this as the site's status.
        status: SiteStatus,
        /// Why the site is unreachable; absent when it is not.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        reason: Option<String>,
        /// What kind of failure the reason tells of, so notes can say it in either language;
        /// absent when the site was reached, and in logs written before it was recorded.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        cause: Option<Unreached>,
        /// Why the crawl stopped before it was done, when it did; absent when it finished.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        cut_short: Option<CutShort>,
        /// The homepage after redirects (the URL that failed, for an unreachable site).
        final_url: String,
        /// Page fetches made, the homepage included; link checks and probes are not counted.
        pages: u32,
        /// Page fetches that got no 2xx response.
        errors: u32,
        /// Body bytes archived for the site: every hop of every fetch, probes included.
        bytes: u64,
        /// Wall-clock time of the site's crawl, rounded to milliseconds.
        seconds: f64,
    },
}

/// Why a site's crawl stopped before it was done: the site is scored on what was fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CutShort {
    /// The site's time (`--site-timeout`) ran out.
    Deadline {
        /// The time allowed, in seconds.
        seconds: u64,
    },
    /// This many page fetches in a row timed out.
    Timeouts {
        /// How many.
        in_row: u32,
    },
}

/// Why the crawl could not open a site's homepage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unreached {
    /// robots.txt keeps the crawler off the homepage, or could not be read (RFC 9309 then
    /// puts the whole origin off limits).
    Robots,
    /// The homepage answered with this status, not 2xx.
    Http {
        /// The status of the last hop.
        status: u16,
    },
    /// The homepage's fetch failed before an answer.
    Fetch {
        /// What kind of failure.
        class: ErrorClass,
    },
    /// Neither an answer nor an error came.
    NoAnswer,
}

/// Why a fetch produced no response. The class is what scoring and the log reason about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// The name does not resolve.
    Dns,
    /// The address guard refused the address (literal, resolved, or a redirect hop).
    Refused,
    /// The connection failed or broke before a response (retried).
    Connect,
    /// The request exceeded `--timeout` (retried).
    Timeout,
    /// A certificate or handshake failure.
    Tls,
    /// More redirect hops than the crawler follows (ten, as browsers and curl do).
    TooManyRedirects,
    /// A redirect back to a URL already visited in the same chain.
    RedirectLoop,
    /// A redirect without a usable `Location`.
    BadRedirect,
    /// A redirect to a URL robots.txt disallows.
    Disallowed,
    /// The server answered, but not in HTTP: a malformed status line or headers, or a body
    /// whose encoding cannot be undone. An answer all the same: a browser shows an error.
    Protocol,
    /// The connection broke while reading the body, or any other transport failure.
    Other,
}

/// A fetch error as the crawl log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedError {
    /// What kind of failure, for scoring to reason about.
    pub class: ErrorClass,
    /// The cause in words; reports show it as evidence for a broken link.
    pub message: String,
}

/// How a site's crawl ended, as the `site` event records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    /// The homepage answered with a 2xx status, and the site was crawled.
    Ok,
    /// robots.txt kept the crawler off the homepage, or the homepage gave no 2xx response.
    Unreachable,
}
