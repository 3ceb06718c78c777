//! The page model's sections: `pages` (what names a column, what makes a page blank),
//! `guides` (a service guide's key elements with their synonyms) and `platform` (the
//! integrated service platform's hosts and crawl budget).

use super::super::{Detector, GuideElement, Guides, PageSettings, Platform, Severe};
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
        Some(Guides {
            min_elements: min?,
            elements,
        })
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
                "hidden_links",
                "personal_data",
                "future_dates",
            ],
        )?;
        let spam = self.words(&m, "spam_words");
        let hidden = self.detector(&m, "hidden_links", &["min_links"]);
        let personal = self.detector(&m, "personal_data", &["page_words"]);
        let future = self.detector(&m, "future_dates", &[]);
        let (hidden, hidden_m) = hidden?;
        let (personal, personal_m) = personal?;
        let min = hidden_m.positive_int("min_links", true, self.diags);
        let pages = self.words(&personal_m, "page_words");
        Some(Severe {
            spam_words: spam?,
            hidden_links: hidden,
            hidden_links_min: min?,
            personal_data: personal,
            personal_data_pages: pages?,
            future_dates: future?.0,
        })
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
