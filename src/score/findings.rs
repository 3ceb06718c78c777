//! Severe-problem findings (严重问题): what the detectors of the indicator file's `severe`
//! section see on a site — hidden blocks of links to other sites (暗链), signs of tampering
//! (篡改, in [`super::tamper`]), identity and mobile numbers on public notices (个人信息泄露),
//! items dated after the evaluation date (伪造发稿日期 signs). A finding is evidence for an
//! evaluator to verify, with the page, the element and the quoted links, text or masked
//! numbers; it vetoes only once the evaluator confirms it by its id in `manual.yaml`, or at
//! once when its detector has `auto_veto`; a dismissed one no longer flags the site.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Extras;
use super::rules::Ctx;
use super::tamper::{self, Scope};
use crate::extract::PageClass;
use crate::extract::facts::HiddenLink;
use crate::extract::personal::PersonalKind;
use crate::files::sha256_hex;
use crate::input::indicators::Detector;
use crate::input::manual::{ManualScores, Ruling};
use crate::input::sites::SiteKey;
use crate::lang::{Lang, Text};
use crate::tr;

/// The kind of a finding: which detector made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A hidden block of links to other sites (暗链).
    HiddenLinks,
    /// Spam in what a page shows readers or search engines (篡改 sign).
    SpamContent,
    /// A title without the name the site's titles carry (篡改 sign).
    TitleDrift,
    /// Scripts loaded from a host outside gov.cn, the site and the trusted list.
    ExternalScripts,
    /// Identity or mobile numbers on a public notice or list of people (个人信息泄露).
    PersonalData,
    /// Items or an article dated after the evaluation date (伪造发稿日期 sign).
    FutureDates,
}

impl FindingKind {
    /// The id prefix and the name reports give the kind.
    pub fn slug(self) -> &'static str {
        match self {
            FindingKind::HiddenLinks => "hidden-links",
            FindingKind::SpamContent => "spam-content",
            FindingKind::TitleDrift => "title-drift",
            FindingKind::ExternalScripts => "external-scripts",
            FindingKind::PersonalData => "personal-data",
            FindingKind::FutureDates => "future-dates",
        }
    }

    /// The kind's name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            FindingKind::HiddenLinks => lang.pick("暗链", "hidden links"),
            FindingKind::SpamContent => lang.pick("可疑内容", "spam content"),
            FindingKind::TitleDrift => lang.pick("标题异常", "title drift"),
            FindingKind::ExternalScripts => lang.pick("外部脚本", "external scripts"),
            FindingKind::PersonalData => lang.pick("个人信息", "personal data"),
            FindingKind::FutureDates => lang.pick("未来日期", "future dates"),
        }
    }
}

/// Where a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    /// Waiting for an evaluator's word (待核实): flags the site, vetoes nothing.
    Pending,
    /// Confirmed by an evaluator in `manual.yaml`: vetoes.
    Confirmed,
    /// Its detector vetoes without confirmation (`auto_veto: true`).
    AutoVeto,
    /// Found harmless by an evaluator in `manual.yaml`: no flag, no veto.
    Dismissed,
}

impl FindingStatus {
    /// How reports and `explain` say it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FindingStatus::Pending => lang.pick("待核实", "to verify"),
            FindingStatus::Confirmed => lang.pick("已确认，否决", "confirmed: vetoes"),
            FindingStatus::AutoVeto => lang.pick("自动否决", "auto veto"),
            FindingStatus::Dismissed => lang.pick("已排除", "dismissed"),
        }
    }
}

/// One finding, with what an evaluator needs to check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable across runs of the same pages: the kind and a digest of the page and place.
    pub id: String,
    /// The detector that made it.
    pub kind: FindingKind,
    /// Spam words (gambling, pornography, quack medicine) among its links or text.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub severe: bool,
    /// The page it is on.
    pub url: String,
    /// The element, as a CSS path (empty when the finding is the page's text as a whole).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub location: String,
    /// One line on what was found.
    pub note: Text,
    /// The links (URL and text), masked numbers or dated items found.
    pub items: Vec<String>,
    /// Other pages that show the very same block (a template's planted links appear on
    /// every page it renders, and `/` and `/index.html` are often one page).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub also_on: Vec<String>,
    /// Pending, confirmed, or vetoing by itself.
    pub status: FindingStatus,
    /// The evaluator's words on confirming or dismissing it.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        alias = "confirmed_note"
    )]
    pub evaluator_note: Option<String>,
}

impl Finding {
    /// Whether it vetoes the site.
    pub fn vetoes(&self) -> bool {
        matches!(
            self.status,
            FindingStatus::Confirmed | FindingStatus::AutoVeto
        )
    }
}

/// A new finding's status: from its detector's `auto_veto`, until an evaluator rules.
pub(super) fn status(d: Detector) -> FindingStatus {
    if d.auto_veto {
        FindingStatus::AutoVeto
    } else {
        FindingStatus::Pending
    }
}

/// `kind-` and eight hex digits of the SHA-256 of what places the finding.
pub(super) fn finding_id(kind: FindingKind, place: &str) -> String {
    format!("{}-{}", kind.slug(), &sha256_hex(place.as_bytes())[..8])
}

/// Every finding of a site, pages in crawl order; statuses from the detectors' `auto_veto`
/// and the evaluators' confirmations.
pub fn findings(ctx: &Ctx, extras: &Extras) -> Vec<Finding> {
    let ev = ctx.ev;
    let severe = &ctx.set.severe;
    let scope = Scope::of(ctx);
    let mut out: Vec<Finding> = Vec::new();
    for page in ev.own_pages() {
        let facts = &page.facts;
        if severe.hidden_links.enabled && !facts.hidden_links.is_empty() {
            // One finding per hiding block, blocks and links in page order.
            let mut blocks: Vec<(&str, Vec<&HiddenLink>)> = Vec::new();
            for link in facts
                .hidden_links
                .iter()
                .filter(|l| scope.foreign(&l.url, severe))
            {
                match blocks.iter_mut().find(|(b, _)| *b == link.block) {
                    Some((_, links)) => links.push(link),
                    None => blocks.push((&link.block, vec![link])),
                }
            }
            for (block, links) in blocks {
                let spammy = links
                    .iter()
                    .filter(|l| {
                        severe.spam_words.any_in(&l.text) || severe.spam_words.any_in(&l.url)
                    })
                    .count();
                if links.len() < severe.hidden_links_min as usize && spammy == 0 {
                    continue;
                }
                let items: Vec<String> = links
                    .iter()
                    .map(|l| format!("{} {}", l.url, l.text))
                    .collect();
                if let Some(same) = out.iter_mut().find(|f| {
                    f.kind == FindingKind::HiddenLinks && f.location == block && f.items == items
                }) {
                    same.also_on.push(facts.url.clone());
                    continue;
                }
                let (n, how, url) = (links.len(), links[0].how.to_string(), &facts.url);
                let mut note = tr!(
                    "暗链：{url} 的 {block} 以 {how} 隐藏了{n}个指向其他网站的链接",
                    "hidden links: {block} on {url} hides {n} links to other sites ({how})"
                );
                if spammy > 0 {
                    note.push(&tr!(
                        "，其中{spammy}个含赌博、色情等词",
                        ", {spammy} with gambling, pornographic or other spam words"
                    ));
                }
                out.push(Finding {
                    id: finding_id(FindingKind::HiddenLinks, &format!("{url} {block}")),
                    kind: FindingKind::HiddenLinks,
                    severe: spammy > 0,
                    url: url.clone(),
                    location: block.to_owned(),
                    note,
                    items,
                    also_on: Vec::new(),
                    status: status(severe.hidden_links),
                    evaluator_note: None,
                });
            }
        }
        if severe.spam_content.enabled
            && let Some(found) = tamper::spam_content(facts, severe, &scope)
        {
            match out.iter_mut().find(|f| {
                f.kind == found.kind && f.location == found.location && f.items == found.items
            }) {
                Some(same) => same.also_on.push(found.url),
                None => out.push(found),
            }
        }
        if severe.personal_data.enabled
            && !facts.personal.is_empty()
            && severe
                .personal_data_pages
                .iter()
                .any(|w| facts.title.contains(w.as_str()))
        {
            let ids = facts
                .personal
                .iter()
                .filter(|p| p.kind == PersonalKind::IdNumber)
                .count();
            let phones = facts.personal.len() - ids;
            let url = &facts.url;
            out.push(Finding {
                id: finding_id(FindingKind::PersonalData, url),
                kind: FindingKind::PersonalData,
                severe: ids > 0,
                url: url.clone(),
                location: facts
                    .personal
                    .iter()
                    .map(|p| p.location.clone())
                    .find(|l| !l.is_empty())
                    .unwrap_or_default(),
                note: tr!(
                    "个人信息：{url}（{}）公开了{ids}个身份证号、{phones}个手机号",
                    "personal data: {url} ({}) shows {ids} identity numbers and {phones} mobile numbers",
                    facts.title
                ),
                items: facts
                    .personal
                    .iter()
                    .map(|p| format!("{} {}", p.masked, p.location).trim_end().to_owned())
                    .collect(),
                also_on: Vec::new(),
                status: status(severe.personal_data),
                evaluator_note: None,
            });
        }
        if severe.future_dates.enabled {
            let mut future: Vec<String> = Vec::new();
            if page.class == PageClass::Article
                && let Some(d) = facts.article_date.filter(|d| *d > ctx.as_of)
            {
                future.push(format!("{d} {}", facts.url));
            }
            for item in &facts.items {
                if let Some((d, _)) = ctx.item_date(item).filter(|(d, _)| *d > ctx.as_of) {
                    future.push(format!("{d} {} {}", item.url, item.text));
                }
            }
            future.sort();
            future.dedup();
            if !future.is_empty() {
                let (n, url, as_of) = (future.len(), &facts.url, ctx.as_of);
                out.push(Finding {
                    id: finding_id(FindingKind::FutureDates, url),
                    kind: FindingKind::FutureDates,
                    severe: false,
                    url: url.clone(),
                    location: String::new(),
                    note: tr!(
                        "未来日期：{url} 上有{n}条的日期晚于评估日期{as_of}",
                        "future dates: {n} items on {url} are dated after the evaluation date {as_of}"
                    ),
                    items: future,
                    also_on: Vec::new(),
                    status: status(severe.future_dates),
                    evaluator_note: None,
                });
            }
        }
    }
    if severe.title_drift.enabled {
        out.extend(tamper::title_drift(ctx, severe));
    }
    if severe.external_scripts.enabled {
        out.extend(tamper::external_scripts(ctx, severe, &scope));
    }
    if let Some(manual) = extras.manual {
        for f in &mut out {
            if let Some(v) = manual.verdict(&ev.key, &f.id) {
                f.status = match v.ruling {
                    Ruling::Confirm => FindingStatus::Confirmed,
                    Ruling::Dismiss => FindingStatus::Dismissed,
                };
                f.evaluator_note = v.note.clone();
            }
        }
    }
    out
}

/// The evaluators' rulings on `site` that name no finding of this run (the pages changed, the
/// detector was switched off, or the id was mistyped): each rules on nothing, and says so.
pub fn unmatched_verdicts(manual: &ManualScores, site: &SiteKey, found: &[Finding]) -> Vec<Text> {
    manual
        .verdicts
        .iter()
        .filter(|v| &v.site == site && !found.iter().any(|f| f.id == v.finding))
        .map(|v| {
            let (id, line, key) = (&v.finding, v.line, v.ruling.key());
            tr!(
                "manual.yaml 第{line}行的 {key}: {id} 不是本次评估中 {site} 的发现（页面已变化、检测已关闭或编号有误），未生效",
                "manual.yaml line {line}: `{key}: {id}` names no finding of {site} in this run (the pages changed, the detector is off, or the id is mistyped); it has no effect"
            )
        })
        .collect()
}

/// The flag a site with pending findings carries in the tables: `待核实：暗链 2、个人信息 1`.
pub fn flag(findings: &[Finding], lang: Lang) -> Option<String> {
    let mut counts: BTreeMap<FindingKind, usize> = BTreeMap::new();
    for f in findings
        .iter()
        .filter(|f| f.status == FindingStatus::Pending)
    {
        *counts.entry(f.kind).or_default() += 1;
    }
    if counts.is_empty() {
        return None;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{} {n}", k.name(lang)))
        .collect();
    Some(match lang {
        Lang::Zh => format!("待核实：{}", parts.join("、")),
        Lang::En => format!("to verify: {}", parts.join(", ")),
    })
}
