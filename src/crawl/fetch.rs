//! Fetching one URL politely and within bounds: the one HTTP client of govscore.
//!
//! Every request goes through here: the address guard (literal IPs are checked before any
//! connection; names by the guarded resolver), a global bound on requests in flight, a
//! per-host bound with a minimum interval between request starts (raised by `Crawl-delay`,
//! paused by `Retry-After`), retries with exponential backoff for timeouts, connection
//! errors, 429 and 5xx (DNS, TLS and refused addresses are final), a cap on the body after
//! decompression read chunk by chunk (so a gzip bomb stops at the cap), and redirects
//! followed by hand — at most ten, with loop detection — so that every hop is archived and
//! guarded like any other request.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Version};
use serde::Serialize;
use tokio::sync::Semaphore;
use url::{Host, Url};

use super::guard::{AddressPolicy, GuardedResolver, NameOverride, ResolveError};
use crate::archive::log::ErrorClass;

/// Redirect hops followed before giving up, as browsers and curl do.
pub const MAX_REDIRECTS: usize = 10;

/// Body cap for a redirect's own body: it is archived, but nobody reads it.
const REDIRECT_BODY_BYTES: usize = 64 * 1024;

/// Host gates kept before idle ones are forgotten.
const PRUNE_GATES_AT: usize = 4096;

/// What the check that names resolve found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolverState {
    /// Some probe name resolved.
    pub works: bool,
    /// The names looked up.
    pub probed: Vec<String>,
    /// The one that answered, if any.
    pub resolved: Vec<String>,
}

/// How the fetcher behaves; built from the command line.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Requests in flight over all hosts.
    pub concurrency: usize,
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Minimum interval between request starts to one host.
    pub delay: Duration,
    /// Longest `Crawl-delay` honoured; a robots.txt asking for more gets this.
    pub max_crawl_delay: Duration,
    /// Longest `Retry-After` waited for; a server asking for more is given up on.
    pub max_retry_after: Duration,
    /// Whole-request time limit (connect, headers and body).
    pub timeout: Duration,
    /// Body size cap after decompression.
    pub max_bytes: usize,
    /// Retries after the first attempt, for the retryable failures.
    pub retries: u32,
    /// First backoff; doubled at each retry.
    pub backoff: Duration,
    /// `User-Agent` of every request; also recorded in the manifest and each `warcinfo`.
    pub user_agent: String,
    /// Certificate authorities trusted besides the system's (PEM): for portals behind a
    /// private CA, and for tests that serve HTTPS on loopback.
    pub extra_roots: Vec<reqwest::Certificate>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            concurrency: 512,
            per_host: 2,
            delay: Duration::from_millis(500),
            max_crawl_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            timeout: Duration::from_secs(15),
            max_bytes: 5 * 1024 * 1024,
            retries: 2,
            backoff: Duration::from_millis(500),
            user_agent: user_agent(),
            extra_roots: Vec::new(),
        }
    }
}

/// The product token robots.txt rules are matched against.
pub const ROBOTS_AGENT: &str = "govscore";

/// `govscore/<version> (+government website evaluator)`: names the tool and its version so
/// site operators can recognise it in their logs and address it in robots.txt.
pub fn user_agent() -> String {
    format!(
        "{ROBOTS_AGENT}/{} (government website evaluator; robots.txt token: {ROBOTS_AGENT})",
        env!("CARGO_PKG_VERSION")
    )
}

/// Failures worth another attempt: the next one may well succeed.
fn retryable(class: ErrorClass) -> bool {
    matches!(
        class,
        ErrorClass::Connect | ErrorClass::Timeout | ErrorClass::Other
    )
}

/// Why a request, or the following of its redirects, produced no usable response.
#[derive(Debug, Clone, Serialize)]
pub struct FetchError {
    /// What kind of failure: decides whether it is retried, and is written to the crawl log.
    pub class: ErrorClass,
    /// The cause in words, as the crawl log records it.
    pub message: String,
}

/// A response as stored: head rewritten to describe the stored body.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status of this hop.
    pub status: StatusCode,
    /// The HTTP version spoken; HTTP/2 is noted in the archive as `WARC-Protocol: h2`.
    pub version: Version,
    /// The headers as received, including those that describe the wire form of the body.
    pub headers: HeaderMap,
    /// The body after decompression, at most the size cap.
    pub body: Bytes,
    /// The body was cut at the size cap.
    pub truncated: bool,
    /// The server's address, when the client reports it; archived as `WARC-IP-Address`.
    pub ip: Option<IpAddr>,
}

impl Response {
    /// The first value of a header (name in any case); `None` when it is absent or not
    /// visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether to read the body as HTML: a `Content-Type` naming HTML, or a `text/plain`
    /// or missing one on a body whose first 512 bytes look like HTML.
    pub fn is_html(&self) -> bool {
        match self.header("content-type") {
            Some(ct) => {
                let ct = ct.to_ascii_lowercase();
                ct.contains("html") || ct.starts_with("text/plain") && looks_like_html(&self.body)
            }
            None => looks_like_html(&self.body),
        }
    }

    /// The status line and headers as archived. reqwest has already removed the transfer
    /// coding and the content coding, so the stored body is the decoded one; the headers
    /// that described the wire form are kept under `X-Archive-Orig-` names and
    /// `Content-Length` gives the stored length, as web archives do with decoded bodies.
    pub fn archived_head(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status.as_u16(),
            self.status.canonical_reason().unwrap_or("")
        )
        .into_bytes();
        for (name, value) in &self.headers {
            let lower = name.as_str();
            let rename = matches!(
                lower,
                "content-encoding" | "transfer-encoding" | "content-length"
            );
            if rename {
                head.extend_from_slice(b"X-Archive-Orig-");
            }
            head.extend_from_slice(name.as_str().as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value.as_bytes());
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(format!("Content-Length: {}\r\n\r\n", self.body.len()).as_bytes());
        head
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = &body[..body.len().min(512)];
    let lower = String::from_utf8_lossy(start).to_ascii_lowercase();
    lower.contains("<html")
        || lower.contains("<!doctype html")
        || lower.contains("<head")
        || lower.contains("<body")
}

/// One request and its result.
#[derive(Debug, Clone)]
pub struct Attempted {
    /// The URL of this hop.
    pub url: Url,
    /// The method of this hop; redirects keep the method of the first request.
    pub method: Method,
    /// Request line and headers, for the archive's `request` record.
    pub request_head: Vec<u8>,
    /// The response, or why the last attempt got none.
    pub outcome: Result<Response, FetchError>,
    /// Attempts made (1 without retries).
    pub attempts: u32,
    /// Time of the last attempt, from sending to the end of the body.
    pub elapsed: Duration,
}

/// A fetch with its redirect hops, first to last. The last hop is the answer.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Every request made, first to last; never empty.
    pub hops: Vec<Attempted>,
    /// Set when following the redirects failed (too many, a loop, a bad Location).
    pub redirect_error: Option<FetchError>,
}

impl Chain {
    /// The last hop: the answer, unless following the redirects failed.
    pub fn last(&self) -> &Attempted {
        self.hops.last().expect("a chain has at least one hop")
    }

    /// The final response, if the chain ended in one (and not in a redirect error).
    pub fn response(&self) -> Option<&Response> {
        if self.redirect_error.is_some() {
            return None;
        }
        self.last().outcome.as_ref().ok()
    }

    /// The final URL after redirects.
    pub fn final_url(&self) -> &Url {
        &self.last().url
    }

    /// Why the chain produced no usable response.
    pub fn error(&self) -> Option<&FetchError> {
        self.redirect_error
            .as_ref()
            .or_else(|| self.last().outcome.as_ref().err())
    }
}

/// Per-origin politeness state: an origin (`scheme://host:port`) is what robots.txt and its
/// `Crawl-delay` speak for, so another port of the same host keeps its own pace.
struct HostGate {
    permits: Semaphore,
    /// When the next request to this origin may start; also pushed out by `Retry-After`.
    next_start: tokio::sync::Mutex<Instant>,
    /// The interval in force (the crawl's delay, or a larger honoured `Crawl-delay`).
    interval: Mutex<Duration>,
}

/// The shared HTTP client with its politeness state.
pub struct Fetcher {
    client: reqwest::Client,
    policy: Arc<AddressPolicy>,
    /// The resolver the client uses, for the crawl's check that names resolve at all.
    resolver: GuardedResolver,
    /// Whether names resolve, probed once per crawl the first time it matters.
    resolver_state: tokio::sync::OnceCell<ResolverState>,
    global: Semaphore,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    /// The options the fetcher was built with.
    pub options: FetchOptions,
}

impl Fetcher {
    /// Builds the shared client: names resolved through the address guard and `overrides`,
    /// no proxies from the environment, and redirects left to [`Fetcher::fetch`].
    pub fn new(
        options: FetchOptions,
        policy: AddressPolicy,
        overrides: &[NameOverride],
    ) -> Result<Self, reqwest::Error> {
        let policy = Arc::new(policy);
        let resolver = GuardedResolver::new(policy.clone(), overrides);
        let client = reqwest::Client::builder()
            .user_agent(options.user_agent.clone())
            // Proxies from the environment would bypass the address guard (the proxy
            // connects, not us) and make results depend on the evaluator's shell.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .dns_resolver(Arc::new(resolver.clone()))
            .tls_certs_merge(options.extra_roots.iter().cloned())
            .gzip(true)
            .deflate(true)
            .brotli(true)
            // Idle connections are per host and hold buffers: kept briefly and few, so a crawl
            // of thousands of sites does not keep every finished site's sockets (measured:
            // peak memory grew with the number of sites at 30 s).
            .pool_idle_timeout(Duration::from_secs(2).max(options.delay * 2))
            .pool_max_idle_per_host(options.per_host.max(1))
            .build()?;
        Ok(Self {
            client,
            policy,
            resolver,
            resolver_state: tokio::sync::OnceCell::new(),
            global: Semaphore::new(options.concurrency.max(1)),
            hosts: Mutex::new(HashMap::new()),
            options,
        })
    }

    /// Whether the resolver works: the first time it is asked, `probes` (well-known names)
    /// are looked up, each within a few seconds; one answer is enough. A crawl from a machine
    /// whose resolver answers nothing must not call every external link broken.
    pub async fn resolver_state(&self, probes: &[String]) -> &ResolverState {
        self.resolver_state
            .get_or_init(|| async {
                let mut resolved = Vec::new();
                for name in probes {
                    let answer =
                        tokio::time::timeout(Duration::from_secs(3), self.resolver.lookup(name))
                            .await;
                    // A name whose addresses the guard refuses still resolved.
                    if matches!(answer, Ok(Ok(_) | Err(ResolveError::Refused { .. }))) {
                        resolved.push(name.clone());
                        break;
                    }
                }
                ResolverState {
                    works: !resolved.is_empty(),
                    probed: probes.to_vec(),
                    resolved,
                }
            })
            .await
    }

    /// The resolver's state, if the crawl checked it.
    pub fn probed_resolver(&self) -> Option<&ResolverState> {
        self.resolver_state.get()
    }

    /// The politeness gate of `url`'s origin.
    fn gate(&self, url: &Url) -> Arc<HostGate> {
        let origin = crate::urls::origin(url);
        let mut hosts = self.hosts.lock().expect("host map lock");
        if hosts.len() >= PRUNE_GATES_AT && !hosts.contains_key(&origin) {
            self.prune(&mut hosts);
        }
        hosts
            .entry(origin)
            .or_insert_with(|| {
                Arc::new(HostGate {
                    permits: Semaphore::new(self.options.per_host.max(1)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                    interval: Mutex::new(self.options.delay),
                })
            })
            .clone()
    }

    /// Forgets hosts nobody is using whose state says nothing the defaults do not: idle
    /// (no request holds the gate, the next slot has passed) and at the default interval.
    /// Link checks touch many external hosts once; without this the map would grow with
    /// every site crawled. Hosts slowed by a Crawl-delay are kept.
    fn prune(&self, hosts: &mut HashMap<String, Arc<HostGate>>) {
        let now = Instant::now();
        hosts.retain(|_, gate| {
            let idle = Arc::strong_count(gate) == 1
                && gate.next_start.try_lock().is_ok_and(|next| *next <= now)
                && *gate.interval.lock().expect("interval lock") == self.options.delay;
            !idle
        });
    }

    /// Applies a robots.txt `Crawl-delay` to `url`'s origin, up to the cap.
    pub fn set_crawl_delay(&self, url: &Url, seconds: f32) {
        if !(seconds.is_finite() && seconds > 0.0) {
            return;
        }
        // A robots.txt can ask for 1e20 seconds; converting that would overflow.
        let wanted = Duration::try_from_secs_f32(seconds)
            .unwrap_or(self.options.max_crawl_delay)
            .min(self.options.max_crawl_delay);
        let gate = self.gate(url);
        let mut interval = gate.interval.lock().expect("interval lock");
        if wanted > *interval {
            *interval = wanted;
        }
    }

    /// The interval now in force for `url`'s origin.
    pub fn origin_interval(&self, url: &Url) -> Duration {
        *self.gate(url).interval.lock().expect("interval lock")
    }

    /// Fetches `url`, following redirects. `may_fetch` is asked about every redirect target
    /// (the caller has asked about `url` itself): robots.txt rules apply to hops too.
    pub async fn fetch(
        &self,
        url: &Url,
        method: Method,
        max_bytes: usize,
        may_fetch: &(dyn Fn(&Url) -> bool + Send + Sync),
    ) -> Chain {
        let mut hops: Vec<Attempted> = Vec::new();
        let mut visited: HashSet<String> = HashSet::new();
        let mut current = url.clone();
        loop {
            visited.insert(current.as_str().to_owned());
            let hop = self.fetch_once(&current, method.clone(), max_bytes).await;
            let location = match &hop.outcome {
                Ok(resp)
                    if resp.status.is_redirection() && resp.status != StatusCode::NOT_MODIFIED =>
                {
                    // Portals send raw UTF-8 (Chinese paths) in Location; `join`
                    // percent-encodes it.
                    resp.headers
                        .get("location")
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
                }
                _ => {
                    hops.push(hop);
                    return Chain {
                        hops,
                        redirect_error: None,
                    };
                }
            };
            hops.push(hop);
            let next = location
                .filter(|l| !l.is_empty())
                .and_then(|l| current.join(&l).ok());
            let failure = match &next {
                None => Some((
                    ErrorClass::BadRedirect,
                    "redirect without a valid Location".to_owned(),
                )),
                Some(n) if !matches!(n.scheme(), "http" | "https") => Some((
                    ErrorClass::BadRedirect,
                    format!("redirect to a non-HTTP URL: {n}"),
                )),
                Some(n) if visited.contains(n.as_str()) => Some((
                    ErrorClass::RedirectLoop,
                    format!("redirect loop back to {n}"),
                )),
                Some(_) if hops.len() > MAX_REDIRECTS => Some((
                    ErrorClass::TooManyRedirects,
                    format!("more than {MAX_REDIRECTS} redirects"),
                )),
                Some(n) if !may_fetch(n) => Some((
                    ErrorClass::Disallowed,
                    format!("redirect to {n}, which robots.txt disallows"),
                )),
                Some(_) => None,
            };
            if let Some((class, message)) = failure {
                return Chain {
                    hops,
                    redirect_error: Some(FetchError { class, message }),
                };
            }
            current = next.expect("checked above");
        }
    }

    /// One URL, no redirects, with retries.
    async fn fetch_once(&self, url: &Url, method: Method, max_bytes: usize) -> Attempted {
        let request_head = request_head(url, &method, &self.options.user_agent);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (outcome, elapsed) = self.attempt(url, method.clone(), max_bytes).await;
            let retry_in = match &outcome {
                Ok(resp)
                    if resp.status == StatusCode::TOO_MANY_REQUESTS
                        || resp.status.is_server_error() =>
                {
                    match retry_after(resp) {
                        Some(wait) if wait > self.options.max_retry_after => None,
                        Some(wait) => Some(wait),
                        None => Some(self.backoff(attempts)),
                    }
                }
                Err(e) if retryable(e.class) => Some(self.backoff(attempts)),
                _ => None,
            };
            // A link check (HEAD: the crawler sends no other) that gets no answer is tried
            // again once at most: no answer leaves the link unverified anyway, and an offline
            // crawl must not wait out every retry of every external link.
            let retries = if method == Method::HEAD && outcome.is_err() {
                self.options.retries.min(1)
            } else {
                self.options.retries
            };
            match retry_in {
                Some(wait) if attempts <= retries => {
                    // The pause holds for every request to the origin, not only this one.
                    let gate = self.gate(url);
                    let mut next = gate.next_start.lock().await;
                    *next = (*next).max(Instant::now() + wait);
                    drop(next);
                    tokio::time::sleep(wait).await;
                }
                _ => {
                    return Attempted {
                        url: url.clone(),
                        method,
                        request_head,
                        outcome,
                        attempts,
                        elapsed,
                    };
                }
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.options
            .backoff
            .saturating_mul(1 << (attempt - 1).min(6))
    }

    /// One attempt: guard, politeness, request, bounded body; with the time from sending the
    /// request to the end of the body. The waits before it (the host's turn, a Crawl-delay,
    /// a global slot) are ours, not the site's, and a site's load time must not include them.
    async fn attempt(
        &self,
        url: &Url,
        method: Method,
        max_bytes: usize,
    ) -> (Result<Response, FetchError>, Duration) {
        // Literal addresses never reach the resolver, so they are checked here.
        let ip_host = match url.host() {
            Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        if let Some(ip) = ip_host
            && let Err(r) = self.policy.check(ip)
        {
            let refused = FetchError {
                class: ErrorClass::Refused,
                message: r.to_string(),
            };
            return (Err(refused), Duration::ZERO);
        }
        let gate = self.gate(url);
        // The host's turn first, the global slot last: a host slowed by a Crawl-delay or a
        // Retry-After must not sit on global slots that other hosts could use.
        let _host = gate
            .permits
            .acquire()
            .await
            .expect("semaphore never closed");
        {
            let mut next = gate.next_start.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep_until((*next).into()).await;
            }
            let interval = *gate.interval.lock().expect("interval lock");
            *next = Instant::now() + interval;
        }
        let _global = self.global.acquire().await.expect("semaphore never closed");
        let started = Instant::now();
        let outcome = self.request(url, method, max_bytes).await;
        (outcome, started.elapsed())
    }

    /// The request itself, and its body read up to the cap.
    async fn request(
        &self,
        url: &Url,
        method: Method,
        max_bytes: usize,
    ) -> Result<Response, FetchError> {
        let response = self
            .client
            .request(method, url.clone())
            .send()
            .await
            .map_err(classify)?;
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let ip = response.remote_addr().map(|a| a.ip());
        let cap = if status.is_redirection() {
            max_bytes.min(REDIRECT_BODY_BYTES)
        } else {
            max_bytes
        };
        let (body, truncated) = read_capped(response, cap).await?;
        Ok(Response {
            status,
            version,
            headers,
            body,
            truncated,
            ip,
        })
    }
}

/// Reads the body chunk by chunk and stops at the cap, so neither a huge file nor a gzip
/// bomb is held in memory.
async fn read_capped(
    mut response: reqwest::Response,
    max_bytes: usize,
) -> Result<(Bytes, bool), FetchError> {
    let mut buf = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        let room = max_bytes - buf.len();
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            return Ok((buf.freeze(), true));
        }
        buf.extend_from_slice(&chunk);
        if buf.len() == max_bytes {
            // Exactly at the cap: truncated only if more follows.
            let more = matches!(response.chunk().await, Ok(Some(c)) if !c.is_empty());
            return Ok((buf.freeze(), more));
        }
    }
    Ok((buf.freeze(), false))
}

/// The request as the archive records it. reqwest composes the real one; this is its
/// request line and the headers we set (reqwest adds only transport headers).
fn request_head(url: &Url, method: &Method, user_agent: &str) -> Vec<u8> {
    let mut target = url.path().to_owned();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {user_agent}\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n"
    )
    .into_bytes()
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(resp: &Response) -> Option<Duration> {
    let value = resp.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Sorts a reqwest failure into an error class by its source chain: our resolver's errors
/// say DNS or refused; certificate and handshake failures are TLS.
fn classify(err: reqwest::Error) -> FetchError {
    // reqwest's outer messages repeat the URL ("error sending request for url (…): client
    // error (Connect): …"); the innermost cause says what happened, and the class says it in
    // plain words before it.
    let mut innermost = err.to_string();
    let mut tls: Option<String> = None;
    let mut found: Option<(ErrorClass, String)> = None;
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&err);
    while let Some(e) = source {
        if let Some(r) = e.downcast_ref::<ResolveError>() {
            let class = match r {
                ResolveError::Refused { .. } => ErrorClass::Refused,
                _ => ErrorClass::Dns,
            };
            found = Some((class, r.to_string()));
            break;
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_parse() || h.is_parse_status() || h.is_parse_too_large() {
                let words = "the server's answer is not valid HTTP";
                found = Some((ErrorClass::Protocol, format!("{words} ({h})")));
                break;
            }
            if h.is_incomplete_message() {
                let words = "the connection closed before the answer was complete";
                found = Some((ErrorClass::Connect, format!("{words} ({h})")));
                break;
            }
        }
        let text = e.to_string();
        let lower = text.to_ascii_lowercase();
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            tls = Some(text.clone());
        }
        innermost = text;
        source = e.source();
    }
    let (class, message) = found.unwrap_or_else(|| {
        if let Some(tls) = tls {
            (ErrorClass::Tls, tls)
        } else if err.is_timeout() {
            let words = "no answer within the time limit";
            (ErrorClass::Timeout, format!("{words} ({innermost})"))
        } else if err.is_connect() {
            (
                ErrorClass::Connect,
                format!("could not connect ({innermost})"),
            )
        } else if err.is_decode() {
            let words = "the body's Content-Encoding could not be undone";
            (ErrorClass::Protocol, format!("{words} ({innermost})"))
        } else {
            (ErrorClass::Other, innermost)
        }
    });
    FetchError { class, message }
}

/// Headers of a response given as pairs, for tests and for building responses by hand.
pub fn header_map(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        if let Ok(v) = HeaderValue::from_str(v) {
            map.append(*k, v);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_head_describes_the_stored_body() {
        let resp = Response {
            status: StatusCode::OK,
            version: Version::HTTP_11,
            headers: header_map(&[
                ("content-type", "text/html; charset=gbk"),
                ("content-encoding", "gzip"),
                ("content-length", "42"),
            ]),
            body: Bytes::from_static(b"<html>hello</html>"),
            truncated: false,
            ip: None,
        };
        let head = String::from_utf8(resp.archived_head()).unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(head.contains("content-type: text/html; charset=gbk\r\n"));
        assert!(head.contains("X-Archive-Orig-content-encoding: gzip\r\n"));
        assert!(head.contains("X-Archive-Orig-content-length: 42\r\n"));
        assert!(head.ends_with("Content-Length: 18\r\n\r\n"));
        assert!(resp.is_html());
    }

    #[test]
    fn retry_after_in_seconds_or_date() {
        let mut resp = Response {
            status: StatusCode::TOO_MANY_REQUESTS,
            version: Version::HTTP_11,
            headers: header_map(&[("retry-after", "3")]),
            body: Bytes::new(),
            truncated: false,
            ip: None,
        };
        assert_eq!(retry_after(&resp), Some(Duration::from_secs(3)));
        resp.headers = header_map(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]);
        assert_eq!(retry_after(&resp), Some(Duration::ZERO));
        resp.headers = header_map(&[("retry-after", "soon")]);
        assert_eq!(retry_after(&resp), None);
    }

    #[test]
    fn request_head_names_host_port_and_query() {
        let url = Url::parse("http://www.a.gov.cn:8080/list.jsp?page=2").unwrap();
        let head = String::from_utf8(request_head(&url, &Method::HEAD, "ua")).unwrap();
        assert!(head.starts_with("HEAD /list.jsp?page=2 HTTP/1.1\r\nHost: www.a.gov.cn:8080\r\n"));
    }
}
