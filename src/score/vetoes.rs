//! The single-item vetoes (单项否决): each kind of the indicator file checked against a
//! site's evidence with the file's thresholds. A site that hits one keeps its points and is
//! listed as 不合格 with every veto it hit.

use chrono::NaiveDate;

use super::rules::{Ctx, age};
use super::{Page, VetoHit};
use crate::extract::PageClass;
use crate::extract::facts::Zone;
use crate::input::indicators::{IndicatorSet, VetoRule};

pub fn evaluate(ctx: &Ctx, set: &IndicatorSet) -> Vec<VetoHit> {
    let mut hits = Vec::new();
    for veto in &set.vetoes {
        let unreachable = !ctx.ev.status.is_ok();
        // An unreachable site is judged by the availability veto alone: nothing else of it
        // could be seen.
        if unreachable && !matches!(veto.rule, VetoRule::SiteUnreachable { .. }) {
            continue;
        }
        let found = match &veto.rule {
            VetoRule::SiteUnreachable {
                timeout_secs,
                failure_share,
            } => site_unreachable(ctx, *timeout_secs, *failure_share),
            VetoRule::HomepageNotUpdated { max_age_days } => {
                homepage_not_updated(ctx, *max_age_days)
            }
            VetoRule::ColumnsNotUpdated {
                late_key_columns,
                late_columns,
                blank_columns,
            } => columns_not_updated(ctx, set, *late_key_columns, *late_columns, *blank_columns),
            VetoRule::SevereErrors { phrases, min_hits } => severe_errors(ctx, phrases, *min_hits),
            VetoRule::PoorResponse {
                channel_patterns,
                max_unanswered_days,
            } => poor_response(ctx, channel_patterns, *max_unanswered_days),
            VetoRule::ServicesUnusable {
                entry_patterns,
                missing_elements,
                min_failing_guides,
            } => services_unusable(ctx, entry_patterns, *missing_elements, *min_failing_guides),
        };
        if let Some((reason, evidence)) = found {
            hits.push(VetoHit {
                id: veto.id.clone(),
                name: veto.name.clone(),
                reason,
                evidence,
            });
        }
    }
    hits
}

type Hit = Option<(String, Vec<String>)>;

fn site_unreachable(ctx: &Ctx, timeout_secs: f64, failure_share: f64) -> Hit {
    let home = ctx.ev.homepage_url.clone();
    if let Some(reason) = ctx.ev.status.reason() {
        return Some((format!("the homepage did not open: {reason}"), vec![home]));
    }
    let limit_ms = timeout_secs * 1000.0;
    let visits = &ctx.ev.visits;
    if visits.is_empty() {
        return None;
    }
    let failed = visits
        .iter()
        .filter(|v| !v.ok || v.ms as f64 > limit_ms)
        .count();
    let share = failed as f64 / visits.len() as f64;
    if visits.len() == 1 {
        return (failed == 1).then(|| {
            (
                format!(
                    "the homepage took {} ms, over {timeout_secs} s",
                    visits[0].ms
                ),
                vec![home],
            )
        });
    }
    (share >= failure_share).then(|| {
        (
            format!(
                "{failed} of {} homepage visits failed or took over {timeout_secs} s ({:.1}%, limit {:.1}%)",
                visits.len(),
                share * 100.0,
                failure_share * 100.0
            ),
            vec![home],
        )
    })
}

/// The homepage's newest item, every item dated through the chain (row, linked article,
/// address). A homepage that only navigates, with no items, is judged by the column pages
/// it leads to.
fn homepage_not_updated(ctx: &Ctx, max_age_days: u32) -> Hit {
    let home = ctx.ev.homepage()?;
    let own = ctx.freshness(home, None);
    let (newest, how, urls) = if home.facts.items.is_empty() {
        let mut newest: Option<NaiveDate> = None;
        let mut urls = Vec::new();
        for link in home.facts.links.iter().filter(|l| l.zone != Zone::Footer) {
            if let Some(page) = link.url.as_deref().and_then(|u| ctx.page(u))
                && page.class == PageClass::List
                && page.depth == 1
                && !urls.contains(&page.facts.url)
            {
                newest = newest.max(ctx.freshness(page, None).newest);
                urls.push(page.facts.url.clone());
            }
        }
        (
            newest,
            format!(
                "the homepage lists no items; its {} column pages were read",
                urls.len()
            ),
            urls,
        )
    } else {
        (own.newest, own.describe(), vec![home.facts.url.clone()])
    };
    match newest {
        None => Some((
            format!("no dated item on the homepage ({how}); undated items count as not updated"),
            urls,
        )),
        Some(d) if age(d, ctx.as_of) > i64::from(max_age_days) => Some((
            format!(
                "newest item on the homepage is {d}, {} days before {}; the limit is {max_age_days} ({how})",
                age(d, ctx.as_of),
                ctx.as_of
            ),
            urls,
        )),
        Some(_) => None,
    }
}

fn columns_not_updated(
    ctx: &Ctx,
    set: &IndicatorSet,
    key_limit: u32,
    late_limit: u32,
    blank_limit: u32,
) -> Hit {
    let mut late: Vec<String> = Vec::new();
    let mut late_key = 0u32;
    let mut counted: Vec<String> = Vec::new();
    for class in &set.columns {
        for find in ctx.find_columns(&class.patterns) {
            // Only a list has freshness: a static page is never late.
            let Some(list) = find.list() else { continue };
            if counted.contains(&list.facts.url) {
                continue;
            }
            counted.push(list.facts.url.clone());
            let Some(newest) = ctx.freshness(list, None).newest else {
                continue;
            };
            if age(newest, ctx.as_of) > i64::from(class.update_within) {
                late.push(format!(
                    "{} ({}, newest {newest}, limit {} days)",
                    find.link.name(),
                    list.facts.url,
                    class.update_within
                ));
                if class.key {
                    late_key += 1;
                }
            }
        }
    }
    let blank = blank_columns(ctx, set.pages.blank_min_text_chars);
    let late_count = late.len() as u32;
    let mut reasons = Vec::new();
    if late_key >= key_limit {
        reasons.push(format!(
            "{late_key} key columns not updated in time (limit {key_limit})"
        ));
    }
    if late_count >= late_limit {
        reasons.push(format!(
            "{late_count} columns not updated in time (limit {late_limit})"
        ));
    }
    if blank.len() as u32 >= blank_limit {
        reasons.push(format!(
            "{} blank columns (limit {blank_limit})",
            blank.len()
        ));
    }
    if reasons.is_empty() {
        return None;
    }
    let mut evidence: Vec<String> = late;
    evidence.extend(blank.iter().map(|p| format!("blank: {}", p.facts.url)));
    Some((reasons.join("; "), evidence))
}

/// Blank columns (栏目空白): pages the homepage's navigation names as columns that show no
/// content — no list items, less main text than `min_text`, and no more than a couple of
/// links of their own. A static page with text is content, not blank.
pub fn blank_columns<'a>(ctx: &Ctx<'a>, min_text: u32) -> Vec<&'a Page> {
    let Some(home) = ctx.ev.homepage() else {
        return Vec::new();
    };
    let mut pages: Vec<&Page> = Vec::new();
    for link in home.facts.links.iter().filter(|l| l.zone == Zone::Nav) {
        if let Some(page) = link.url.as_deref().and_then(|u| ctx.page(u))
            && page.depth > 0
            && page.facts.items.is_empty()
            && page.facts.structure.main_text_chars < min_text
            && page
                .facts
                .links
                .iter()
                .filter(|l| l.zone == Zone::Body)
                .count()
                < 3
            && !pages.iter().any(|p| p.facts.url == page.facts.url)
        {
            pages.push(page);
        }
    }
    pages
}

/// How mailbox lists mark a message still waiting for its answer.
const UNANSWERED: [&str; 6] = ["未回复", "待回复", "未答复", "待答复", "未办结", "未处理"];

/// No consultation channel; or, on the lists the channels lead to, a message marked as not
/// answered that is older than the limit.
fn poor_response(ctx: &Ctx, channels: &[regex::Regex], max_days: u32) -> Hit {
    // A channel is a link that reads as a column's name: a headline that mentions 咨询投诉
    // is news about channels, not one.
    if ctx.find_columns(channels).is_empty() {
        return Some((
            "no online consultation channel (咨询/信箱/留言) found on the crawled pages".to_owned(),
            vec![ctx.ev.homepage_url.clone()],
        ));
    }
    let mut late: Vec<String> = Vec::new();
    for find in ctx.find_columns(channels) {
        let Some(list) = find.list() else { continue };
        for item in &list.facts.items {
            let Some((date, _)) = ctx.item_date(item) else {
                continue;
            };
            let days = age(date, ctx.as_of);
            if days > i64::from(max_days) && UNANSWERED.iter().any(|m| item.text.contains(m)) {
                late.push(format!(
                    "{} ({}, {days} days) on {}",
                    item.text, item.url, list.facts.url
                ));
            }
        }
    }
    late.sort();
    late.dedup();
    (!late.is_empty()).then(|| {
        (
            format!(
                "{} consultation messages listed as unanswered for more than {max_days} days",
                late.len()
            ),
            late,
        )
    })
}

fn severe_errors(ctx: &Ctx, phrases: &[String], min_hits: u32) -> Hit {
    let mut found: Vec<String> = Vec::new();
    for page in ctx.ev.own_pages() {
        for phrase in phrases {
            if page.facts.text.contains(phrase.as_str()) {
                found.push(format!("{phrase} at {}", page.facts.url));
            }
        }
    }
    (found.len() as u32 >= min_hits && !found.is_empty()).then(|| {
        (
            format!(
                "{} severe errors from the evaluators' list found",
                found.len()
            ),
            found,
        )
    })
}

/// No services entry; or `min_failing` or more guides (事项) each missing `missing_limit` or
/// more of the key elements. Fewer failing guides cost the guide check's points instead.
fn services_unusable(
    ctx: &Ctx,
    entry: &[regex::Regex],
    missing_limit: u32,
    min_failing: u32,
) -> Hit {
    if ctx.find_columns(entry).is_empty() {
        return Some((
            "no 办事服务 entry found on the homepage or in the navigation".to_owned(),
            vec![ctx.ev.homepage_url.clone()],
        ));
    }
    let mut poor: Vec<String> = Vec::new();
    for page in ctx.guides() {
        let missing = ctx.missing_elements(page);
        if missing.len() as u32 >= missing_limit {
            let from = if page.platform {
                " (service platform)"
            } else {
                ""
            };
            poor.push(format!(
                "{}{from} lacks {}",
                page.facts.url,
                missing.join("、")
            ));
        }
    }
    (poor.len() as u32 >= min_failing).then(|| {
        (
            format!(
                "{} service guides miss {missing_limit} or more key elements (limit {min_failing} guides)",
                poor.len()
            ),
            poor,
        )
    })
}
