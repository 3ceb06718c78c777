//! The single-item vetoes (单项否决): each kind of the indicator file checked against a
//! site's evidence with the file's thresholds. A site that hits one keeps its points and is
//! listed as 不合格 with every veto it hit.

use super::rules::{Ctx, age};
use super::{Page, VetoHit};
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
                guide_patterns,
                elements,
                missing_elements,
            } => services_unusable(
                ctx,
                entry_patterns,
                guide_patterns,
                elements,
                *missing_elements,
            ),
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

fn homepage_not_updated(ctx: &Ctx, max_age_days: u32) -> Hit {
    let home = ctx.ev.homepage()?;
    let newest = home.facts.dated_items.iter().map(|i| i.date).max();
    match newest {
        None => Some((
            "no dated item on the homepage (undated items count as not updated)".to_owned(),
            vec![home.facts.url.clone()],
        )),
        Some(d) if age(d, ctx.as_of) > i64::from(max_age_days) => Some((
            format!(
                "newest item on the homepage is {d}, {} days before {}; the limit is {max_age_days}",
                age(d, ctx.as_of),
                ctx.as_of
            ),
            vec![home.facts.url.clone()],
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
            let Some(list) = find.list else { continue };
            if counted.contains(&list.facts.url) || list.facts.dated_items.is_empty() {
                continue;
            }
            counted.push(list.facts.url.clone());
            let newest = find.newest().expect("non-empty list");
            if age(newest, ctx.as_of) > i64::from(class.update_within) {
                late.push(format!(
                    "{} ({}, newest {newest}, limit {} days)",
                    find.link.text, list.facts.url, class.update_within
                ));
                if class.key {
                    late_key += 1;
                }
            }
        }
    }
    // A blank column: a navigation link of the homepage to a crawled page that lists
    // nothing — no dated item and no link in its body.
    let blank: Vec<&Page> = ctx
        .ev
        .homepage()
        .map(|home| {
            let mut pages: Vec<&Page> = Vec::new();
            for link in home.facts.links.iter().filter(|l| l.zone == Zone::Nav) {
                if let Some(page) = link.url.as_deref().and_then(|u| ctx.ev.page(u))
                    && page.depth > 0
                    && page.facts.dated_items.is_empty()
                    && !page.facts.links.iter().any(|l| l.zone == Zone::Body)
                    && !pages.iter().any(|p| p.facts.url == page.facts.url)
                {
                    pages.push(page);
                }
            }
            pages
        })
        .unwrap_or_default();
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

/// How mailbox lists mark a message still waiting for its answer.
const UNANSWERED: [&str; 6] = ["未回复", "待回复", "未答复", "待答复", "未办结", "未处理"];

/// No consultation channel; or, on the lists the channels lead to, a message marked as not
/// answered that is older than the limit.
fn poor_response(ctx: &Ctx, channels: &[regex::Regex], max_days: u32) -> Hit {
    let any_channel = ctx
        .ev
        .pages
        .iter()
        .flat_map(|p| &p.facts.links)
        .any(|l| !l.text.is_empty() && channels.iter().any(|re| re.is_match(&l.text)));
    if !any_channel {
        return Some((
            "no online consultation channel (咨询/信箱/留言) found on the crawled pages".to_owned(),
            vec![ctx.ev.homepage_url.clone()],
        ));
    }
    let mut late: Vec<String> = Vec::new();
    for find in ctx.find_columns(channels) {
        let Some(list) = find.list else { continue };
        for item in &list.facts.dated_items {
            let days = age(item.date, ctx.as_of);
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
    for page in &ctx.ev.pages {
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

fn services_unusable(
    ctx: &Ctx,
    entry: &[regex::Regex],
    guide: &[regex::Regex],
    elements: &[String],
    missing_limit: u32,
) -> Hit {
    if ctx.find_columns(entry).is_empty() {
        return Some((
            "no 办事服务 entry found on the homepage or in the navigation".to_owned(),
            vec![ctx.ev.homepage_url.clone()],
        ));
    }
    let mut poor: Vec<String> = Vec::new();
    for page in ctx.guide_pages(guide) {
        let missing: Vec<&str> = elements
            .iter()
            .filter(|e| !page.facts.text.contains(e.as_str()))
            .map(String::as_str)
            .collect();
        if missing.len() as u32 >= missing_limit {
            poor.push(format!("{} lacks {}", page.facts.url, missing.join("、")));
        }
    }
    (!poor.is_empty()).then(|| {
        (
            format!(
                "{} service guides miss {missing_limit} or more key elements",
                poor.len()
            ),
            poor,
        )
    })
}
