//! A site's identity as an evaluator quotes it: the 网站标识码 of the footer and of the
//! `SiteIDCode` meta tag (and whether they agree), the ICP and 公安 record numbers as
//! written, the 党政机关网站标识 id, and the 主办单位 — each with the page it was read from.
//! A wrong or mismatched code is itself a finding, so values are kept as read, not checked
//! against a pattern here. They are read off the homepage, where an evaluator reads them.

use serde::{Deserialize, Serialize};

use super::SiteEvidence;

/// A value read off a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    /// The value as the page writes it.
    pub value: String,
    /// The page it was read from.
    pub url: String,
}

/// What identifies a site, each value with its page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// 网站标识码 in the footer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub site_code: Option<Read>,
    /// 网站标识码 in the `SiteIDCode` meta tag (an empty tag counts as absent).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub site_code_meta: Option<Read>,
    /// Whether footer and meta agree; absent unless both were read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub site_code_agrees: Option<bool>,
    /// ICP备案号, e.g. `豫ICP备15021526号-1`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub icp: Option<Read>,
    /// 公安机关备案号, e.g. `川公网安备 51010402000507号`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub police: Option<Read>,
    /// The 党政机关网站标识's id (`bszs.conac.cn/sitename?method=show&id=…`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub conac: Option<Read>,
    /// 主办单位.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sponsor: Option<Read>,
}

impl Identity {
    /// Read from the homepage, as an evaluator reads them: other pages may carry another
    /// site's footer (a 专题 copied in, a page left from a previous owner of the domain).
    pub fn of(ev: &SiteEvidence) -> Self {
        let Some(home) = ev.homepage() else {
            return Self::default();
        };
        let read = |value: Option<&String>| {
            value.map(|v| Read {
                value: v.clone(),
                url: home.facts.url.clone(),
            })
        };
        let marks = &home.facts.marks;
        let site_code = read(marks.site_code.as_ref());
        let meta = home
            .facts
            .meta
            .get("siteidcode")
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        let site_code_meta = read(meta.as_ref());
        let site_code_agrees = match (&site_code, &site_code_meta) {
            (Some(footer), Some(meta)) => Some(footer.value == meta.value),
            _ => None,
        };
        Self {
            site_code,
            site_code_meta,
            site_code_agrees,
            icp: read(marks.icp.as_ref()),
            police: read(marks.police.as_ref()),
            conac: read(marks.conac_id.as_ref()),
            sponsor: read(marks.sponsor.as_ref()),
        }
    }

    /// Each value with its name, for reports: (name, value, page).
    pub fn rows(&self) -> Vec<(&'static str, &Read)> {
        [
            ("网站标识码", &self.site_code),
            ("网站标识码 (SiteIDCode)", &self.site_code_meta),
            ("ICP备案号", &self.icp),
            ("公安机关备案号", &self.police),
            ("党政机关网站标识", &self.conac),
            ("主办单位", &self.sponsor),
        ]
        .into_iter()
        .filter_map(|(name, read)| read.as_ref().map(|r| (name, r)))
        .collect()
    }
}
