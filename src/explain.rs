//! `govscore explain`: why a site scored what it did — every indicator and check with the
//! points got and possible and its evidence, the vetoes, deductions and bonus with theirs;
//! with `--pages`, how the page model read each of its pages.

use std::fmt::Write as _;

use url::Url;

use crate::extract::PageClass;
use crate::input::{Lookup, SiteKey, lookup};
use crate::lang::Lang;
use crate::points::fmt_cents as p;
use crate::results::Results;
use crate::score::{PageSummary, SiteResult};

/// The site a user means: by URL, host, full name, or a part of one name only (see
/// [`lookup`]).
pub fn find<'a>(results: &'a Results, reference: &str) -> Lookup<'a, SiteResult> {
    lookup(
        reference,
        &results.sites,
        |s| Url::parse(&s.url).ok().as_ref().and_then(SiteKey::of),
        |s| &s.name,
    )
}

/// The explanation as text, its prose and notes in `lang`; names as the indicator file and
/// the site list give them.
pub fn explain(results: &Results, site: &SiteResult, lang: Lang) -> String {
    let mut out = String::new();
    let l = |zh, en| lang.pick(zh, en);
    let names: Vec<String> = site
        .categories
        .iter()
        .map(|c| {
            results
                .categories
                .iter()
                .find(|i| &i.id == c)
                .map_or(c.to_string(), |i| i.name.clone())
        })
        .collect();
    let _ = writeln!(
        out,
        "{} {} ({})",
        site.name,
        site.url,
        names.join(l("、", ", "))
    );
    findings(&mut out, site, lang);
    let base: f64 = site.indicators.iter().map(|i| i.score).sum();
    let (total, base, minus, plus, as_of) = (
        p(site.total),
        p(base),
        p(site.deductions),
        p(site.bonus),
        results.as_of,
    );
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Zh => format!(
                "总分 {total} = 指标得分 {base} − 扣分 {minus} + 加分 {plus}（评估日期 {as_of}）"
            ),
            Lang::En => format!(
                "total {total} = {base} from the indicators − {minus} deductions + {plus} bonus (evaluated {as_of})"
            ),
        }
    );
    let ranks: Vec<String> = site
        .categories
        .iter()
        .zip(&names)
        .map(|(c, name)| {
            match results
                .rankings
                .get(c)
                .and_then(|r| r.iter().find(|e| e.url == site.url))
            {
                Some(e) => {
                    let (rank, of) = (e.rank, results.rankings[c].len());
                    match lang {
                        Lang::Zh => format!("{name}第{rank}名（共{of}个）"),
                        Lang::En => format!("{name} #{rank} of {of}"),
                    }
                }
                None => format!("{name}{}", l("：未排名", ": not ranked")),
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "{}{}",
        l("排名：", "rank: "),
        ranks.join(l("；", "; "))
    );
    if let Some(identity) = &site.identity {
        let _ = writeln!(out, "\n{}", l("网站标识：", "identity:"));
        for (name, read) in identity.rows() {
            let _ = writeln!(out, "  {name} {} ({})", read.value, read.url);
        }
        if identity.site_code_agrees == Some(false) {
            let _ = writeln!(
                out,
                "  {}",
                l(
                    "页脚的网站标识码与SiteIDCode标签不一致",
                    "the footer's 网站标识码 and the SiteIDCode tag disagree"
                )
            );
        }
    }
    if let Some(cut) = &site.crawl.cut_short {
        let _ = writeln!(out, "\n{}", cut.get(lang));
    }
    if let Some(reason) = site.status.reason() {
        let _ = writeln!(
            out,
            "\n{}{}",
            l("无法访问：", "unreachable: "),
            reason.get(lang)
        );
    }
    if let Some(hits) = &site.veto {
        let _ = writeln!(out, "\n{}", l("不合格，触发单项否决：", "vetoes hit:"));
        for h in hits {
            let _ = writeln!(
                out,
                "  {} ({}){}{}",
                h.name,
                h.id,
                l("：", ": "),
                h.reason.get(lang)
            );
            for e in &h.evidence {
                let _ = writeln!(out, "      {}", e.get(lang));
            }
        }
    }
    for ind in &site.indicators {
        let _ = writeln!(out, "\n{} {}/{}", ind.name, p(ind.score), p(ind.max));
        for c in &ind.children {
            let _ = writeln!(
                out,
                "  {} ({}) {}/{} — {}",
                c.name,
                c.id,
                p(c.score),
                p(c.max),
                c.evidence.note.get(lang)
            );
            for u in &c.evidence.urls {
                let _ = writeln!(out, "      {u}");
            }
        }
    }
    let _ = writeln!(out, "\n{} −{}", l("扣分", "deductions"), p(site.deductions));
    for d in &site.deduction_items {
        let (points, count) = (p(d.points), d.count);
        let _ = writeln!(
            out,
            "  {} ({}) {} — {}",
            d.name,
            d.id,
            match lang {
                Lang::Zh => format!("−{points}，共{count}处"),
                Lang::En => format!("−{points} for {count}"),
            },
            d.evidence.note.get(lang)
        );
        for u in d.evidence.urls.iter().take(20) {
            let _ = writeln!(out, "      {u}");
        }
    }
    let _ = writeln!(out, "\n{} +{}", l("加分", "bonus"), p(site.bonus));
    for b in &site.bonus_cases {
        let _ = writeln!(out, "  {} +{}", b.title, p(b.points));
    }
    out
}

/// Other pages of a finding `explain` names; results.json keeps them all.
const ALSO_ON_SHOWN: usize = 5;

/// The severe-problem findings, first of all: what an evaluator must look at before any
/// score, each with its id (to confirm it in manual.yaml), page, element and items.
fn findings(out: &mut String, site: &SiteResult, lang: Lang) {
    if site.findings.is_empty() {
        return;
    }
    let l = |zh, en| lang.pick(zh, en);
    let _ = writeln!(
        out,
        "\n{}",
        l(
            "严重问题线索（待评估人员核实；在 manual.yaml 中以 {site, confirm: 编号} 确认后否决，以 {site, dismiss: 编号} 排除）：",
            "severe-problem findings (to verify; in manual.yaml, {site, confirm: ID} makes one veto, {site, dismiss: ID} clears it):"
        )
    );
    for f in &site.findings {
        let status = f.status.label(lang);
        let severe = if f.severe {
            l("【严重】", "[severe] ")
        } else {
            ""
        };
        let _ = writeln!(out, "  {} [{status}] {severe}{}", f.id, f.note.get(lang));
        if let Some(note) = &f.evaluator_note {
            let _ = writeln!(out, "      {}{note}", l("评估人员：", "evaluator: "));
        }
        if !f.also_on.is_empty() {
            let shown = f.also_on.len().min(ALSO_ON_SHOWN);
            let mut pages = f.also_on[..shown].join(" ");
            if f.also_on.len() > shown {
                let more = f.also_on.len() - shown;
                pages.push_str(&match lang {
                    Lang::Zh => format!(" ……另有{more}个页面"),
                    Lang::En => format!(" … {more} more pages"),
                });
            }
            let _ = writeln!(
                out,
                "      {}{pages}",
                l("同样也见于：", "the same is also on: "),
            );
        }
        for item in f.items.iter().take(20) {
            let _ = writeln!(out, "      {item}");
        }
        if f.items.len() > 20 {
            let more = f.items.len() - 20;
            let _ = writeln!(
                out,
                "      {}",
                match lang {
                    Lang::Zh => format!("……另有{more}条"),
                    Lang::En => format!("… {more} more"),
                }
            );
        }
    }
}

/// The pages of a site as the page model read them (`explain --pages`): each page's class
/// and the signals that chose it, grouped by class, the homepage first.
pub fn pages(site: &SiteResult, lang: Lang) -> String {
    let mut out = String::new();
    let l = |zh, en| lang.pick(zh, en);
    if site.pages.is_empty() {
        let _ = writeln!(
            out,
            "{}{}",
            site.name,
            l(
                "：没有记录页面（网站无法访问，或结果文件早于页面模型）",
                ": no pages recorded (unreachable, or results written before the page model)"
            )
        );
        return out;
    }
    let n = site.pages.len();
    let _ = writeln!(
        out,
        "{} {}{}",
        site.name,
        site.url,
        match lang {
            Lang::Zh => format!("：共{n}个页面"),
            Lang::En => format!(": {n} pages"),
        }
    );
    let mut classes: Vec<PageClass> = site.pages.iter().map(|p| p.class).collect();
    classes.sort();
    classes.dedup();
    for class in classes {
        let of_class: Vec<&PageSummary> = site.pages.iter().filter(|p| p.class == class).collect();
        let _ = writeln!(out, "\n{} ({})", class.name(lang), of_class.len());
        for page in of_class {
            let from = if page.platform {
                l(" [政务服务平台]", " [service platform]")
            } else {
                ""
            };
            let _ = writeln!(out, "  {}{from}", page.url);
            let signals: Vec<&str> = page.signals.iter().map(|s| s.get(lang)).collect();
            let _ = writeln!(out, "      {}", signals.join(l("；", "; ")));
        }
    }
    out
}
