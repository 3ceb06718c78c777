//! Signs of tampering (篡改): what a hijacked site shows readers and search engines. Spam in
//! what is visible — links to other sites carrying spam words, a head (title, keywords,
//! description) whose spam words the page's own text does not contain, a page of spam —; titles
//! that no longer carry the name the site's other titles carry (title drift); and the
//! scripts the site loads from hosts outside gov.cn, its own domain and the trusted list.
//! Each is a finding for an evaluator, listed with its page, element and quoted text; none
//! judges a page by one word its own business may use (体育彩票公益金, 打击赌博).

use std::collections::HashMap;

use url::Url;

use super::findings::{Finding, FindingKind, finding_id, status};
use super::rules::Ctx;
use crate::extract::PageClass;
use crate::extract::facts::PageFacts;
use crate::input::indicators::Severe;
use crate::lang::Text;
use crate::tr;
use crate::urls::root_of;

/// The domains that are the site's own: its listed address's, its homepage's, and the one
/// its homepage declares in `<meta name="SiteDomain">` (a copy served elsewhere, or a site
/// moved to a new address, still loads its scripts from the domain it names there).
pub(super) struct Scope(Vec<Option<String>>);

impl Scope {
    pub(super) fn of(ctx: &Ctx) -> Self {
        let declared = ctx
            .ev
            .own_pages()
            .find(|p| p.class == PageClass::Homepage)
            .and_then(|p| p.facts.meta.get("sitedomain"))
            .map(|d| {
                if d.contains("://") {
                    d.clone()
                } else {
                    format!("http://{d}")
                }
            });
        let roots = [
            Some(ctx.ev.url.clone()),
            Some(ctx.ev.homepage_url.clone()),
            declared,
        ]
        .into_iter()
        .flatten()
        .filter_map(|u| Url::parse(&u).ok())
        .map(|u| root_of(&u))
        .filter(Option::is_some)
        .collect();
        Self(roots)
    }

    /// Whether `url` is another site, not a trusted one: what the detectors list.
    pub(super) fn foreign(&self, url: &str, severe: &Severe) -> bool {
        Url::parse(url).is_ok_and(|u| {
            !self.0.contains(&root_of(&u)) && !u.host_str().is_some_and(|h| severe.trusts(h))
        })
    }
}

/// Up to this many characters either side of a spam word quoted from a page's text.
const QUOTE_CHARS: usize = 12;

/// Spam in what a page shows: links to other sites, an unbacked head, a page of spam words.
pub(super) fn spam_content(facts: &PageFacts, severe: &Severe, scope: &Scope) -> Option<Finding> {
    let mut items: Vec<String> = Vec::new();
    let mut location = String::new();
    for link in facts
        .spam_links
        .iter()
        .filter(|l| scope.foreign(&l.url, severe))
    {
        if location.is_empty() {
            location = link.location.clone();
        }
        items.push(format!("{} {} {}", link.location, link.url, link.text));
    }
    let links = items.len();
    // Words a search engine reads in the head but a reader never sees in the page: the head
    // of a hijacked page, rewritten for the search engines.
    let head = [
        ("head > title", facts.title.as_str()),
        (
            "head > meta[name=\"keywords\"]",
            facts.meta.get("keywords").map_or("", String::as_str),
        ),
        (
            "head > meta[name=\"description\"]",
            facts.meta.get("description").map_or("", String::as_str),
        ),
    ];
    let mut head_words = 0;
    for (place, value) in head {
        let unbacked: Vec<&str> = severe
            .spam_in(value)
            .into_iter()
            .filter(|w| !facts.text.contains(w))
            .collect();
        if !unbacked.is_empty() {
            if location.is_empty() {
                location = place.to_owned();
            }
            head_words += unbacked.len();
            items.push(format!("{place} [{}] {value}", unbacked.join("、")));
        }
    }
    let in_text = severe.spam_in(&facts.text);
    let text_words = if in_text.len() >= severe.spam_content_min_words as usize {
        items.extend(in_text.iter().map(|w| quote(&facts.text, w)));
        in_text.len()
    } else {
        0
    };
    if items.is_empty() {
        return None;
    }
    let url = &facts.url;
    let mut parts: Vec<Text> = Vec::new();
    if links > 0 {
        parts.push(tr!(
            "{links}个指向其他网站的链接含赌博、色情等词",
            "{links} links to other sites carry spam words"
        ));
    }
    if head_words > 0 {
        parts.push(tr!(
            "标题或关键词中有{head_words}个正文没有的赌博、色情等词",
            "its title or keywords carry {head_words} spam words its text does not"
        ));
    }
    if text_words > 0 {
        parts.push(tr!(
            "正文含{text_words}个不同的赌博、色情等词",
            "its text carries {text_words} different spam words"
        ));
    }
    let mut note = tr!("可疑内容：{url} ", "spam content: {url}: ");
    note.push(&Text::join(&parts, "；", "; "));
    Some(Finding {
        id: finding_id(FindingKind::SpamContent, &format!("{url} {location}")),
        kind: FindingKind::SpamContent,
        severe: true,
        url: url.clone(),
        location,
        note,
        items,
        also_on: Vec::new(),
        status: status(severe.spam_content),
        evaluator_note: None,
    })
}

/// `word` with a few characters of `text` either side of its first occurrence.
fn quote(text: &str, word: &str) -> String {
    let Some(at) = text.find(word) else {
        return word.to_owned();
    };
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(QUOTE_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let end_from = at + word.len();
    let end = text[end_from..]
        .char_indices()
        .nth(QUOTE_CHARS)
        .map_or(text.len(), |(i, _)| end_from + i);
    format!("{word}: …{}…", &text[start..end])
}

/// A title's parts, as sites join their page's name with the site's (`通知公告-某某局`,
/// `[科室]-某某局`, `某某局_首页`): the runs between separators, two characters or longer.
fn segments(title: &str) -> impl Iterator<Item = &str> {
    title
        .split(|c: char| {
            c.is_whitespace() || "-–—_|·:：,，、[]【】()（）<>《》「」»!！".contains(c)
        })
        .filter(|s| s.chars().count() >= 2)
}

/// Pages whose title no longer carries the site's name while their siblings' titles do, and
/// whose title is not the page's own words either (or carries spam words).
pub(super) fn title_drift(ctx: &Ctx, severe: &Severe) -> Vec<Finding> {
    let pages: Vec<(&PageFacts, bool)> = ctx
        .ev
        .own_pages()
        .filter(|p| !p.facts.title.is_empty())
        .map(|p| (&p.facts, p.class == PageClass::Homepage))
        .collect();
    let n = pages.len();
    if n < severe.title_drift_min_pages as usize {
        return Vec::new();
    }
    // The site's name in titles: a part at least half the titles carry that the homepage's
    // title, its SiteName meta or the listed name also says (so a template's `Document` is
    // not a name, and a defaced homepage still has one).
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (facts, _) in &pages {
        let mut parts: Vec<&str> = segments(&facts.title).collect();
        parts.sort_unstable();
        parts.dedup();
        for part in parts {
            *counts.entry(part).or_default() += 1;
        }
    }
    let home = ctx.ev.own_pages().find(|p| p.class == PageClass::Homepage);
    let names: Vec<&str> = [
        home.map(|p| p.facts.title.as_str()),
        home.and_then(|p| p.facts.meta.get("sitename").map(String::as_str)),
        Some(ctx.ev.name.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter(|name| !name.is_empty())
    .collect();
    let mut marks: Vec<&str> = counts
        .iter()
        .filter(|(part, count)| {
            **count * 2 >= n
                && names
                    .iter()
                    .any(|name| name.contains(**part) || part.contains(name))
        })
        .map(|(part, _)| *part)
        .collect();
    if marks.is_empty() {
        return Vec::new();
    }
    marks.sort_unstable_by_key(|m| (std::cmp::Reverse(m.chars().count()), *m));
    let carries = |title: &str| marks.iter().any(|m| title.contains(m));
    let folder = |url: &str| {
        Url::parse(url).ok().map(|u| {
            let path = u.path();
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            format!("{}{dir}", u.host_str().unwrap_or_default())
        })
    };
    let mut by_folder: HashMap<Option<String>, (usize, usize)> = HashMap::new();
    for (facts, _) in &pages {
        let entry = by_folder.entry(folder(&facts.url)).or_default();
        entry.0 += 1;
        entry.1 += usize::from(carries(&facts.title));
    }
    let carrying = pages.iter().filter(|(f, _)| carries(&f.title)).count();
    let mark = marks[0];
    let mut out = Vec::new();
    for (facts, is_home) in &pages {
        let title = &facts.title;
        if carries(title) {
            continue;
        }
        // The others this page is measured against: its folder's pages, or for the homepage
        // every page of the site.
        let (others, with_name) = if *is_home {
            (n - 1, carrying)
        } else {
            let (all, with) = by_folder[&folder(&facts.url)];
            (all - 1, with)
        };
        if others < 2 || (with_name as f64) < severe.title_drift_min_share * others as f64 {
            continue;
        }
        // Spam words count where the page's text does not back them: a notice on 体育彩票
        // 公益金 may say 彩票 in its bare title.
        let spam: Vec<&str> = severe
            .spam_in(title)
            .into_iter()
            .filter(|w| !facts.text.contains(w))
            .collect();
        let own_words = segments(title).any(|s| facts.text.contains(s));
        // A page of another template names itself in its title (`[教育系统管理]-…网站群`):
        // its own words excuse it. The homepage is the site's face: without the name it
        // has drifted whatever its text says (a defaced homepage says the defacer's words).
        if !*is_home && own_words && spam.is_empty() {
            continue;
        }
        let url = &facts.url;
        let mut note = if *is_home {
            tr!(
                "标题异常：首页 {url} 的标题《{title}》不含本站{with_name}/{others}个页面标题都有的「{mark}」",
                "title drift: the homepage {url} is titled “{title}”, without “{mark}” that {with_name} of the site's {others} other titles carry"
            )
        } else {
            tr!(
                "标题异常：{url} 的标题《{title}》不含同目录{with_name}/{others}个页面标题都有的「{mark}」",
                "title drift: {url} is titled “{title}”, without “{mark}” that {with_name} of the {others} other pages of its folder carry"
            )
        };
        if !own_words {
            note.push(&tr!(
                "，页面正文也不见标题中的词",
                ", and the page's text does not say the title's words either"
            ));
        }
        let mut items = vec![format!("head > title {title}")];
        if !spam.is_empty() {
            let words = spam.join("、");
            note.push(&tr!(
                "，标题含赌博、色情等词：{words}",
                "; the title carries spam words: {words}"
            ));
            items.push(format!("[{words}]"));
        }
        out.push(Finding {
            id: finding_id(FindingKind::TitleDrift, url),
            kind: FindingKind::TitleDrift,
            severe: !spam.is_empty(),
            url: url.clone(),
            location: "head > title".to_owned(),
            note,
            items,
            also_on: Vec::new(),
            status: status(severe.title_drift),
            evaluator_note: None,
        });
    }
    out
}

/// One finding per host outside gov.cn, the site and the trusted list that the site's pages
/// load scripts from, with every script address and page.
pub(super) fn external_scripts(ctx: &Ctx, severe: &Severe, scope: &Scope) -> Vec<Finding> {
    // Hosts in the order first met, each with its first page and element, its scripts and
    // the other pages that load from it.
    let mut hosts: Vec<(String, Finding)> = Vec::new();
    for page in ctx.ev.own_pages() {
        for script in &page.facts.scripts {
            if !scope.foreign(&script.url, severe) {
                continue;
            }
            let Some(host) = Url::parse(&script.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
            else {
                continue;
            };
            let url = &page.facts.url;
            match hosts.iter_mut().find(|(h, _)| *h == host) {
                Some((_, f)) => {
                    if !f.items.contains(&script.url) {
                        f.items.push(script.url.clone());
                    }
                    if f.url != *url && !f.also_on.contains(url) {
                        f.also_on.push(url.clone());
                    }
                }
                None => hosts.push((
                    host.clone(),
                    Finding {
                        id: finding_id(FindingKind::ExternalScripts, &host),
                        kind: FindingKind::ExternalScripts,
                        severe: severe.spam_words.any_in(&script.url),
                        url: url.clone(),
                        location: script.location.clone(),
                        note: Text::default(),
                        items: vec![script.url.clone()],
                        also_on: Vec::new(),
                        status: status(severe.external_scripts),
                        evaluator_note: None,
                    },
                )),
            }
        }
    }
    hosts
        .into_iter()
        .map(|(host, mut f)| {
            let (pages, url, location) = (f.also_on.len() + 1, &f.url, &f.location);
            f.note = tr!(
                "外部脚本：{pages}个页面从 {host} 加载脚本（首见于 {url} 的 {location}），请核实其来源",
                "external scripts: {pages} pages load scripts from {host} (first {location} on {url}); verify where they come from"
            );
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_parts_split_on_the_separators_sites_use() {
        let parts: Vec<&str> = segments("[纪检监察组]-岚皋县教育体育局").collect();
        assert_eq!(parts, ["纪检监察组", "岚皋县教育体育局"]);
        let parts: Vec<&str> = segments("课题研究——江苏省物价局-江苏省物价局网站").collect();
        assert_eq!(parts, ["课题研究", "江苏省物价局", "江苏省物价局网站"]);
        assert_eq!(segments("A - b").count(), 0);
    }

    #[test]
    fn quotes_keep_a_few_characters_around_the_word() {
        let text = "一二三四五六七八九十一二三四五六百家乐七八九十一二三四五六七八九十一二三";
        assert_eq!(
            quote(text, "百家乐"),
            "百家乐: …五六七八九十一二三四五六百家乐七八九十一二三四五六七八…"
        );
        assert_eq!(quote("百家乐", "百家乐"), "百家乐: …百家乐…");
    }
}
