//! The page model's sections: `pages` (what names a column, what makes a page blank),
//! `guides` (a service guide's key elements with their synonyms) and `platform` (the
//! integrated service platform's hosts and crawl budget).

use super::super::{Detector, GuideElement, Guides, PageSettings, Platform, Severe, WordSet};
use super::{Loader, MapReader};

impl Loader<'_> {
    pub(super) fn pages(&mut self, root: &MapReader) -> Option<PageSettings> {
        let node = root.required("pages", self.diags)?;
        let m = node.map(
            self.diags,
            "`pages`",
            &["column_name_max_chars", "blank_min_text_chars"],
        )?;
        let name = m.positive_int("column_name_max_chars", true, self.diags);
        let blank = m.positive_int("blank_min_text_chars", true, self.diags);
        Some(PageSettings {
            column_name_max_chars: name?,
            blank_min_text_chars: blank?,
        })
    }

    pub(super) fn guides(&mut self, root: &MapReader) -> Option<Guides> {
        let node = root.required("guides", self.diags)?;
        let m = node.map(self.diags, "`guides`", &["min_elements", "elements"])?;
        let elements = self.list(&m, "elements", "a guide element", Self::guide_element);
        let min = match &elements {
            Some(e) => self.count_within(&m, "min_elements", Some(e.len())),
            None => m.positive_int("min_elements", true, self.diags),
        };
        let elements = elements?;
        let mut seen: Vec<&str> = Vec::new();
        for element in &elements {
            for heading in &element.synonyms {
                if seen.contains(&heading.as_str()) {
                    let loc = m.get("elements").map_or(m.loc(), |n| n.loc);
                    self.error(
                        loc,
                        format!("the heading `{heading}` names two guide elements; give it to one"),
                    );
                    return None;
                }
                seen.push(heading);
            }
        }
        Some(Guides::new(min?, elements))
    }

    fn guide_element(&mut self, node: &super::Node, what: &str) -> Option<GuideElement> {
        let m = node.map(self.diags, what, &["name", "headings"])?;
        let name = self.name(&m);
        let headings = self.words(&m, "headings");
        let (name, mut synonyms) = (name?, headings?);
        if !synonyms.contains(&name) {
            synonyms.insert(0, name.clone());
        }
        Some(GuideElement { name, synonyms })
    }

    pub(super) fn severe(&mut self, root: &MapReader) -> Option<Severe> {
        let node = root.required("severe", self.diags)?;
        let m = node.map(
            self.diags,
            "`severe`",
            &[
                "spam_words",
                "trusted_hosts",
                "hidden_links",
                "spam_content",
                "title_drift",
                "external_scripts",
                "personal_data",
                "future_dates",
            ],
        )?;
        let spam = self.words(&m, "spam_words");
        let trusted = self.hosts(&m, "trusted_hosts");
        let hidden = self.detector(&m, "hidden_links", &["min_links"]);
        let content = self.detector(&m, "spam_content", &["min_words"]);
        let drift = self.detector(&m, "title_drift", &["min_pages", "min_share"]);
        let scripts = self.detector(&m, "external_scripts", &[]);
        let personal = self.detector(&m, "personal_data", &["page_words"]);
        let future = self.detector(&m, "future_dates", &[]);
        let (hidden, hidden_m) = hidden?;
        let (content, content_m) = content?;
        let (drift, drift_m) = drift?;
        let (personal, personal_m) = personal?;
        let min = hidden_m.positive_int("min_links", true, self.diags);
        let min_words = content_m.positive_int("min_words", true, self.diags);
        let min_pages = drift_m.positive_int("min_pages", true, self.diags);
        let min_share = self.share(&drift_m, "min_share");
        let pages = self.words(&personal_m, "page_words");
        Some(Severe {
            spam_words: WordSet::new(spam?),
            trusted_hosts: trusted?,
            hidden_links: hidden,
            hidden_links_min: min?,
            spam_content: content,
            spam_content_min_words: min_words?,
            title_drift: drift,
            title_drift_min_pages: min_pages?,
            title_drift_min_share: min_share?,
            external_scripts: scripts?.0,
            personal_data: personal,
            personal_data_pages: pages?,
            future_dates: future?.0,
        })
    }

    /// A list of host names (`conac.cn`, or an IP address), lower-cased: no scheme, path or
    /// port, since each is matched against a link's host and the hosts under it.
    fn hosts(&mut self, m: &MapReader, key: &str) -> Option<Vec<String>> {
        let node = m.required(key, self.diags)?;
        let items = node.str_list(self.diags, &format!("`{key}`"))?;
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        let mut ok = true;
        for (host, loc) in items {
            let lower = host.trim().to_ascii_lowercase();
            let plain = !lower.is_empty()
                && !lower.starts_with('.')
                && !lower.ends_with('.')
                && !lower.contains("..")
                && lower
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
            if !plain {
                self.error(
                    loc,
                    format!("`{host}` in `{key}` is not a host name; write the host alone, such as `conac.cn` (it covers its subdomains)"),
                );
                ok = false;
            } else if out.contains(&lower) {
                self.error(loc, format!("`{host}` is listed twice in `{key}`"));
                ok = false;
            } else {
                out.push(lower);
            }
        }
        ok.then_some(out)
    }

    /// A detector's map: `enabled` and `auto_veto` (both required, so a file says what it
    /// does), and the detector's own `keys`.
    fn detector<'n>(
        &mut self,
        m: &MapReader<'n>,
        key: &str,
        keys: &[&str],
    ) -> Option<(Detector, MapReader<'n>)> {
        let node = m.required(key, self.diags)?;
        let mut allowed = vec!["enabled", "auto_veto"];
        allowed.extend_from_slice(keys);
        let what = format!("`severe.{key}`");
        let d = node.map(self.diags, &what, &allowed)?;
        let enabled = d
            .required("enabled", self.diags)
            .and_then(|n| n.bool(self.diags, "`enabled`"));
        let auto_veto = d
            .required("auto_veto", self.diags)
            .and_then(|n| n.bool(self.diags, "`auto_veto`"));
        Some((
            Detector {
                enabled: enabled?,
                auto_veto: auto_veto?,
            },
            d,
        ))
    }

    pub(super) fn platform(&mut self, root: &MapReader) -> Option<Platform> {
        let node = root.required("platform", self.diags)?;
        let m = node.map(
            self.diags,
            "`platform`",
            &["hosts", "max_pages", "max_depth"],
        )?;
        let hosts = m
            .required("hosts", self.diags)
            .and_then(|n| self.patterns(n, "`hosts`"));
        let pages = m.positive_int("max_pages", true, self.diags);
        let depth = m.positive_int("max_depth", true, self.diags);
        Some(Platform {
            hosts: hosts?,
            max_pages: pages?,
            max_depth: depth?,
        })
    }
}
