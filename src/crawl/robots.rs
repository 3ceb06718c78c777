//! robots.txt: fetched once per origin (through the same guarded, polite fetcher, and
//! archived like any other response) and obeyed for the `govscore` token. Parsing and
//! matching are `texting_robots`'; what a missing or failing file means follows RFC 9309:
//! a 4xx means no rules; a 5xx (and 429), or a file that cannot be fetched at all, means the
//! whole origin is off limits. The reason recorded carries the fetch error, so a site whose
//! robots.txt is unreachable because the whole host is shows the real cause.

use texting_robots::Robot;
use url::Url;

use super::fetch::{Chain, ROBOTS_AGENT};
use crate::archive::log::Unreached;

/// The robots.txt size RFC 9309 requires crawlers to parse at least.
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// The rules of one origin.
pub enum RobotsRules {
    AllowAll,
    /// The whole origin is off limits, why, and the kind of failure: the robots.txt fetch's
    /// own (a DNS failure is the site's real cause), or robots.txt itself for a 5xx.
    DisallowAll {
        reason: String,
        cause: Unreached,
    },
    Rules(Box<Robot>),
}

/// What the robots.txt fetch of an origin decided, for the crawl log.
#[derive(Debug, Clone)]
pub struct RobotsVerdict {
    pub outcome: &'static str,
    pub reason: String,
    pub crawl_delay: Option<f32>,
}

impl RobotsRules {
    pub fn from_fetch(chain: &Chain) -> (Self, RobotsVerdict) {
        let verdict = |outcome, reason: String, crawl_delay| RobotsVerdict {
            outcome,
            reason,
            crawl_delay,
        };
        let Some(resp) = chain.response() else {
            let why = chain.error().map(|e| e.message.clone()).unwrap_or_default();
            let cause = chain
                .error()
                .map_or(Unreached::NoAnswer, |e| Unreached::Fetch { class: e.class });
            // The fetch's own failure first: when the host cannot be reached, that is the
            // site's trouble, and robots.txt only where it was met.
            let reason = format!(
                "{why}; robots.txt could not be fetched, so the origin is off limits (RFC 9309)"
            );
            return (
                RobotsRules::DisallowAll {
                    reason: reason.clone(),
                    cause,
                },
                verdict("disallow_all", reason, None),
            );
        };
        let status = resp.status.as_u16();
        match status {
            200..=299 => match Robot::new(ROBOTS_AGENT, &resp.body) {
                Ok(robot) => {
                    let delay = robot.delay;
                    (
                        RobotsRules::Rules(Box::new(robot)),
                        verdict("rules", format!("HTTP {status}"), delay),
                    )
                }
                Err(e) => (
                    RobotsRules::AllowAll,
                    verdict(
                        "allow_all",
                        format!("robots.txt unparsable ({e}); no rules applied"),
                        None,
                    ),
                ),
            },
            429 | 500..=599 => {
                let reason = format!(
                    "robots.txt answered HTTP {status}: the origin is off limits (RFC 9309)"
                );
                (
                    RobotsRules::DisallowAll {
                        reason: reason.clone(),
                        cause: Unreached::Robots,
                    },
                    verdict("disallow_all", reason, None),
                )
            }
            _ => (
                RobotsRules::AllowAll,
                verdict(
                    "allow_all",
                    format!("robots.txt answered HTTP {status}: no rules"),
                    None,
                ),
            ),
        }
    }

    pub fn allowed(&self, url: &Url) -> bool {
        match self {
            RobotsRules::AllowAll => true,
            RobotsRules::DisallowAll { .. } => url.path() == "/robots.txt",
            RobotsRules::Rules(robot) => robot.allowed(url.as_str()),
        }
    }
}

pub use crate::urls::origin;

/// The robots.txt URL of an origin.
pub fn robots_url(url: &Url) -> Url {
    let mut robots = url.clone();
    robots.set_path("/robots.txt");
    robots.set_query(None);
    robots.set_fragment(None);
    robots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_our_token() {
        let robot = Robot::new(
            ROBOTS_AGENT,
            b"User-agent: *\nDisallow: /\n\nUser-agent: govscore\nDisallow: /private/\nCrawl-delay: 2\n",
        )
        .unwrap();
        let rules = RobotsRules::Rules(Box::new(robot));
        assert!(rules.allowed(&Url::parse("http://a.gov.cn/news/").unwrap()));
        assert!(!rules.allowed(&Url::parse("http://a.gov.cn/private/x.html").unwrap()));
    }

    #[test]
    fn robots_url_of_a_page() {
        let url = Url::parse("http://www.a.gov.cn:8080/x/y.html?q=1#f").unwrap();
        assert_eq!(
            robots_url(&url).as_str(),
            "http://www.a.gov.cn:8080/robots.txt"
        );
        assert_eq!(origin(&url), "http://www.a.gov.cn:8080");
    }
}
