//! The links a site's crawl remembers for its link checks. Every page may carry thousands of
//! links, but only a few of them are ever reported: those on the homepage (all checked),
//! those to pages the crawl fetches (their fetch is their check), those to the service
//! platform (fetched on its own budget), and the first `--check-links` others. Only those are
//! kept; of every other link a 64-bit hash remembers that it was seen, so a site of 300 pages
//! with 2,000 links each holds a few megabytes, not hundreds.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use url::Url;

/// A link seen on a crawled page, remembered for link checking.
#[derive(Debug, Clone)]
pub struct SeenLink {
    /// The link's target.
    pub url: Url,
    /// The page it was first seen on.
    pub from: Arc<Url>,
    /// Its anchor text.
    pub text: String,
    /// Seen on the homepage, where every link is checked.
    pub on_homepage: bool,
}

/// What the crawl will do with a link, which decides whether it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Queued to be fetched as a page: its fetch is its check.
    Queued,
    /// To the service platform, whose pages are fetched on their own budget.
    Platform,
    /// robots.txt already known to forbid it: it is never requested.
    Disallowed,
    /// Anything else: a candidate for the sampled link checks.
    Other,
}

/// The links kept, in the order they were first seen.
pub struct LinkBook {
    /// Every URL seen, by hash: only whether it was seen matters.
    seen: HashSet<u64>,
    /// The links kept, in first-seen order (homepage links even when seen again).
    kept: Vec<SeenLink>,
    /// The first referrer of each URL kept, as an index into `kept`.
    referrer: HashMap<String, usize>,
    /// Room left for candidates of the sampled checks.
    sample_room: usize,
    /// Room left for links to the platform.
    platform_room: usize,
}

fn key(url: &Url) -> u64 {
    // DefaultHasher::new() has fixed keys: the same URL hashes the same in every run.
    let mut h = DefaultHasher::new();
    url.as_str().hash(&mut h);
    h.finish()
}

impl LinkBook {
    /// A book with room for `sampled` checked links beyond the homepage's, and `platform`
    /// links to the service platform.
    pub fn new(sampled: usize, platform: usize) -> Self {
        Self {
            seen: HashSet::new(),
            kept: Vec::new(),
            referrer: HashMap::new(),
            sample_room: sampled,
            platform_room: platform,
        }
    }

    /// Notes a link found on `from`; keeps it when it can be reported. Only a link's first
    /// sight counts, except on the homepage, where every link is checked.
    pub fn take(&mut self, url: &Url, text: &str, from: &Arc<Url>, on_homepage: bool, fate: Fate) {
        let first = self.seen.insert(key(url));
        if !first && !on_homepage {
            return;
        }
        let keep = on_homepage
            || match fate {
                Fate::Queued => true,
                Fate::Disallowed => false,
                Fate::Platform if self.platform_room > 0 => {
                    self.platform_room -= 1;
                    true
                }
                Fate::Platform | Fate::Other if self.sample_room > 0 => {
                    self.sample_room -= 1;
                    true
                }
                Fate::Platform | Fate::Other => false,
            };
        if !keep {
            return;
        }
        self.referrer
            .entry(url.as_str().to_owned())
            .or_insert(self.kept.len());
        self.kept.push(SeenLink {
            url: url.clone(),
            from: from.clone(),
            text: text.to_owned(),
            on_homepage,
        });
    }

    /// The page a kept URL (every queued one is) was first found on.
    pub fn referrer(&self, url: &Url) -> Option<&Url> {
        self.referrer
            .get(url.as_str())
            .map(|&i| self.kept[i].from.as_ref())
    }

    /// The links kept, in first-seen order.
    pub fn kept(&self) -> &[SeenLink] {
        &self.kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_what_can_be_reported() {
        let u = |s: &str| Url::parse(s).unwrap();
        let home = Arc::new(u("http://a.gov.cn/"));
        let page = Arc::new(u("http://a.gov.cn/p"));
        let mut book = LinkBook::new(2, 1);
        book.take(&u("http://x.cn/1"), "一", &home, true, Fate::Other);
        book.take(&u("http://a.gov.cn/q"), "q", &page, false, Fate::Queued);
        for n in 0..1000 {
            book.take(
                &u(&format!("http://x.cn/o{n}")),
                "o",
                &page,
                false,
                Fate::Other,
            );
        }
        book.take(
            &u("http://a.gov.cn/no"),
            "no",
            &page,
            false,
            Fate::Disallowed,
        );
        book.take(
            &u("http://zwfw.gov.cn/1"),
            "z",
            &page,
            false,
            Fate::Platform,
        );
        // Seen again, off the homepage: not kept twice.
        book.take(&u("http://a.gov.cn/q"), "q", &page, false, Fate::Queued);
        let kept: Vec<&str> = book.kept().iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            kept,
            [
                "http://x.cn/1",
                "http://a.gov.cn/q",
                "http://x.cn/o0",
                "http://x.cn/o1",
                "http://zwfw.gov.cn/1"
            ]
        );
        assert_eq!(
            book.referrer(&u("http://a.gov.cn/q")).map(Url::as_str),
            Some("http://a.gov.cn/p")
        );
    }
}
