//! The single-item vetoes (单项否决): each kind of the indicator file checked against a
//! site's evidence with the file's thresholds. A site that hits one keeps its points and is
//! listed as 不合格 with every veto it hit.

use chrono::NaiveDate;

use super::freshness::age;
use super::rules::Ctx;
use super::{Page, VetoHit};
use crate::extract::PageClass;
use crate::extract::facts::Zone;
use crate::input::indicators::{IndicatorSet, Patterns, VetoRule};
use crate::lang::Text;
use crate::tr;

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

/// What tripped a veto, and the lines (each with its URL) that show it.
type Hit = Option<(Text, Vec<Text>)>;

fn site_unreachable(ctx: &Ctx, timeout_secs: f64, failure_share: f64) -> Hit {
    let home = Text::same(ctx.ev.homepage_url.clone());
    if let Some(Text { zh, en }) = ctx.ev.status.reason() {
        return Some((
            tr!("首页无法打开：{zh}", "the homepage did not open: {en}"),
            vec![home],
        ));
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
            let ms = visits[0].ms;
            (
                tr!(
                    "首页打开用时{ms}毫秒，超过{timeout_secs}秒",
                    "the homepage took {ms} ms, over {timeout_secs} s"
                ),
                vec![home],
            )
        });
    }
    (share >= failure_share).then(|| {
        let (n, pct, limit) = (visits.len(), share * 100.0, failure_share * 100.0);
        (
            tr!(
                "{n}次访问首页中{failed}次失败或超过{timeout_secs}秒（{pct:.1}%，上限{limit:.1}%）",
                "{failed} of {n} homepage visits failed or took over {timeout_secs} s ({pct:.1}%, limit {limit:.1}%)"
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
        let n = urls.len();
        (
            newest,
            tr!(
                "首页没有列出条目，已读取它链接的{n}个栏目页",
                "the homepage lists no items; its {n} column pages were read"
            ),
            urls,
        )
    } else {
        (own.newest, own.describe(), vec![home.facts.url.clone()])
    };
    let urls: Vec<Text> = urls.into_iter().map(Text::same).collect();
    let Text { zh: hz, en: he } = how;
    match newest {
        None => Some((
            tr!(
                "首页没有带日期的条目（{hz}）；无日期的条目按未更新计",
                "no dated item on the homepage ({he}); undated items count as not updated"
            ),
            urls,
        )),
        Some(d) if age(d, ctx.as_of) > i64::from(max_age_days) => {
            let (days, as_of) = (age(d, ctx.as_of), ctx.as_of);
            Some((
                tr!(
                    "首页最新条目为{d}，距{as_of}已{days}天，上限{max_age_days}天（{hz}）",
                    "newest item on the homepage is {d}, {days} days before {as_of}; the limit is {max_age_days} ({he})"
                ),
                urls,
            ))
        }
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
    let mut late: Vec<Text> = Vec::new();
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
                let (name, url, limit) = (find.link.name(), &list.facts.url, class.update_within);
                late.push(tr!(
                    "「{name}」（{url}，最新{newest}，时限{limit}天）",
                    "{name} ({url}, newest {newest}, limit {limit} days)"
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
        reasons.push(tr!(
            "{late_key}个重点栏目未及时更新（上限{key_limit}个）",
            "{late_key} key columns not updated in time (limit {key_limit})"
        ));
    }
    if late_count >= late_limit {
        reasons.push(tr!(
            "{late_count}个栏目未及时更新（上限{late_limit}个）",
            "{late_count} columns not updated in time (limit {late_limit})"
        ));
    }
    let blank_count = blank.len();
    if blank_count as u32 >= blank_limit {
        reasons.push(tr!(
            "空白栏目{blank_count}个（上限{blank_limit}个）",
            "{blank_count} blank columns (limit {blank_limit})"
        ));
    }
    if reasons.is_empty() {
        return None;
    }
    let mut evidence: Vec<Text> = late;
    evidence.extend(blank.iter().map(|p| {
        let url = &p.facts.url;
        tr!("空白栏目：{url}", "blank: {url}")
    }));
    Some((Text::join(&reasons, "；", "; "), evidence))
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
fn poor_response(ctx: &Ctx, channels: &Patterns, max_days: u32) -> Hit {
    // A channel is a link that reads as a column's name: a headline that mentions 咨询投诉
    // is news about channels, not one.
    if ctx.find_columns(channels).is_empty() {
        return Some((
            tr!(
                "已抓取的页面上未找到在线咨询渠道（咨询/信箱/留言）",
                "no online consultation channel (咨询/信箱/留言) found on the crawled pages"
            ),
            vec![Text::same(ctx.ev.homepage_url.clone())],
        ));
    }
    let mut late: Vec<Text> = Vec::new();
    for find in ctx.find_columns(channels) {
        let Some(list) = find.list() else { continue };
        for item in &list.facts.items {
            let Some((date, _)) = ctx.item_date(item) else {
                continue;
            };
            let days = age(date, ctx.as_of);
            if days > i64::from(max_days) && UNANSWERED.iter().any(|m| item.text.contains(m)) {
                let (text, url, on) = (&item.text, &item.url, &list.facts.url);
                late.push(tr!(
                    "{on}：{text}（{url}，{days}天）",
                    "{text} ({url}, {days} days) on {on}"
                ));
            }
        }
    }
    late.sort_by(|a, b| a.en.cmp(&b.en));
    late.dedup();
    (!late.is_empty()).then(|| {
        let n = late.len();
        (
            tr!(
                "{n}条咨询留言超过{max_days}天仍标为未答复",
                "{n} consultation messages listed as unanswered for more than {max_days} days"
            ),
            late,
        )
    })
}

fn severe_errors(ctx: &Ctx, phrases: &[String], min_hits: u32) -> Hit {
    let mut found: Vec<Text> = Vec::new();
    for page in ctx.ev.own_pages() {
        for phrase in phrases {
            if page.facts.text.contains(phrase.as_str()) {
                let url = &page.facts.url;
                found.push(tr!("{url}：“{phrase}”", "{phrase} at {url}"));
            }
        }
    }
    (found.len() as u32 >= min_hits && !found.is_empty()).then(|| {
        let n = found.len();
        (
            tr!(
                "发现评估人员所列严重错误{n}处",
                "{n} severe errors from the evaluators' list found"
            ),
            found,
        )
    })
}

/// No services entry; or `min_failing` or more guides (事项) each missing `missing_limit` or
/// more of the key elements. Fewer failing guides cost the guide check's points instead.
fn services_unusable(ctx: &Ctx, entry: &Patterns, missing_limit: u32, min_failing: u32) -> Hit {
    if ctx.find_columns(entry).is_empty() {
        return Some((
            tr!(
                "首页及导航中未找到办事服务入口",
                "no 办事服务 entry found on the homepage or in the navigation"
            ),
            vec![Text::same(ctx.ev.homepage_url.clone())],
        ));
    }
    let mut poor: Vec<Text> = Vec::new();
    for page in ctx.guides() {
        let missing = ctx.missing_elements(page);
        if missing.len() as u32 >= missing_limit {
            let (url, lacks) = (&page.facts.url, missing.join("、"));
            poor.push(if page.platform {
                tr!(
                    "{url}（政务服务平台）缺少{lacks}",
                    "{url} (service platform) lacks {lacks}"
                )
            } else {
                tr!("{url}缺少{lacks}", "{url} lacks {lacks}")
            });
        }
    }
    (poor.len() as u32 >= min_failing).then(|| {
        let n = poor.len();
        (
            tr!(
                "{n}个办事指南缺少{missing_limit}项及以上关键要素（上限{min_failing}个）",
                "{n} service guides miss {missing_limit} or more key elements (limit {min_failing} guides)"
            ),
            poor,
        )
    })
}
