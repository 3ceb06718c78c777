//! What a page takes from other sites or sends its readers to that tampering leaves behind:
//! scripts loaded from hosts that are neither the page's own domain nor government ones (a
//! hijacked template's redirect or miner script loads from its owner's host), and visible
//! links to other sites whose text or address carries a spam word. Both are recorded with the
//! element's CSS path; which hosts are trusted (conac, statistics) is the scoring's call,
//! from the indicator file.

use scraper::ElementRef;
use serde::Serialize;
use url::Url;

use super::hidden::css_path;
use crate::input::indicators::WordSet;
use crate::urls::{is_government_host, normalize, root_of};

/// A script the page loads from another site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignScript {
    /// The script's address, resolved against the page.
    pub url: String,
    /// A CSS path to its `<script>` element.
    pub location: String,
}

/// A visible link to another site whose text or address carries a spam word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpamLink {
    /// The link's target.
    pub url: String,
    /// Its anchor text.
    pub text: String,
    /// A CSS path to the link.
    pub location: String,
}

/// Whether `target` is on another site than the page's own domain `own_root`, and not a
/// government host: the only links and scripts the tampering detectors consider.
pub fn is_foreign(target: &Url, own_root: &Option<String>) -> bool {
    foreign_given_root(target, root_of(target).as_deref(), own_root.as_deref())
}

/// [`is_foreign`] with `target`'s registrable domain already found (`root`): the page's
/// link loop finds it once for every use.
pub fn foreign_given_root(target: &Url, root: Option<&str>, own_root: Option<&str>) -> bool {
    root != own_root && !target.host_str().is_some_and(is_government_host)
}

/// Of a page's `<script src>` elements (`scripts`, as [`super::elements_named`] gives
/// them), those that load from other, non-government sites, each address once.
pub fn foreign_scripts<'a>(
    scripts: impl IntoIterator<Item = ElementRef<'a>>,
    base: &Url,
    own_root: &Option<String>,
) -> Vec<ForeignScript> {
    let mut out: Vec<ForeignScript> = Vec::new();
    for script in scripts {
        let src = script.value().attr("src").unwrap_or_default();
        let Some(target) = normalize(base, src) else {
            continue;
        };
        if is_foreign(&target, own_root) && !out.iter().any(|s| s.url == target.as_str()) {
            out.push(ForeignScript {
                url: target.to_string(),
                location: css_path(script),
            });
        }
    }
    out
}

/// The link `a` to `target` with `text`, when it leaves the site (`foreign`, from
/// [`foreign_given_root`]) and carries one of `spam_words` in its text or address.
pub fn spam_link(
    a: ElementRef<'_>,
    target: &Url,
    text: &str,
    foreign: bool,
    spam_words: Option<&WordSet>,
) -> Option<SpamLink> {
    let words = spam_words.filter(|_| foreign)?;
    let url = target.as_str();
    (words.any_in(text) || words.any_in(url)).then(|| SpamLink {
        url: url.to_owned(),
        text: text.to_owned(),
        location: css_path(a),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_from_other_sites_only_once_each() {
        let doc = scraper::Html::parse_document(
            "<head><script src='/js/a.js'></script><script src='https://cdn.x.gov.cn/b.js'></script>\
             <script src='//evil.example.com/kb.js'></script><script src='https://static.example.org/c.js'></script>\
             </head><body><script src='//evil.example.com/kb.js'></script><script>var x</script></body>",
        );
        let base = Url::parse("https://www.site.cn/index.html").unwrap();
        let tags = scraper::Selector::parse("script[src]").unwrap();
        let scripts = foreign_scripts(doc.select(&tags), &base, &root_of(&base));
        let urls: Vec<&str> = scripts.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://evil.example.com/kb.js",
                "https://static.example.org/c.js"
            ]
        );
        assert_eq!(scripts[0].location, "html > head > script:nth-of-type(3)");
    }
}
