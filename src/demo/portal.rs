//! A generated government portal in the shape DOMAIN §3 describes — columns with dated
//! lists, static pages, interpretation, services with guides (on the portal or the
//! provincial platform), consultation channels, footer identifiers, meta tags on articles,
//! promotion features — with switches that break one thing at a time. `govscore
//! demo` serves several of them; the tests serve them to check each veto and deduction.

use chrono::{Duration, NaiveDate};

/// The evaluation date the portals are dated against.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("valid date")
}

/// Hosts every portal links to (the provincial service platform, the conac mark, the
/// national error-report service), served by the same server.
pub const EXTERNAL_HOSTS: [&str; 3] = ["www.sczwfw.gov.cn", "bszs.conac.cn", "zfwzgl.www.gov.cn"];

/// One answer of the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The `Content-Type` header it is served with.
    pub content_type: String,
    /// The bytes served, already in the page's encoding.
    pub body: Vec<u8>,
}

impl Page {
    /// A page of any type, from its `Content-Type` value and body.
    pub fn bytes(content_type: &str, body: Vec<u8>) -> Self {
        Self {
            content_type: content_type.to_owned(),
            body,
        }
    }
}

/// What the portal is and what is wrong with it.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The portal's host name, e.g. `www.shili.gov.cn`; the demo resolves it to loopback.
    pub host: String,
    /// The portal's name, as the site list and its page titles give it, e.g. 示例市.
    pub name: String,
    /// Pages in GBK, declared only by `<meta charset>`.
    pub gbk: bool,
    /// Homepage items all older than the 14-day limit.
    pub stale_homepage: bool,
    /// Homepage headlines shown without dates; the articles they link to carry theirs.
    pub undated_homepage: bool,
    /// A news item dated after the evaluation date.
    pub future_item: bool,
    /// Five more news columns (key columns), last updated long ago.
    pub stale_news_columns: bool,
    /// No consultation channel anywhere.
    pub no_consultation: bool,
    /// Service guides (办事事项) listed under 办事服务.
    pub guides: usize,
    /// How many of them show only 5 of the 10 key elements (missing 5: failing).
    pub failing_guides: usize,
    /// The guides live on the provincial service platform (`www.sczwfw.gov.cn`), not the
    /// portal.
    pub platform_guides: bool,
    /// The mailbox lists a message marked 未回复 from four months ago.
    pub unanswered: bool,
    /// Broken links on the homepage and on other pages.
    pub broken_home_links: usize,
    /// Broken links on the 通知公告 (`/notices/`) column page.
    pub broken_other_links: usize,
    /// A phrase placed in an article's text.
    pub phrase: Option<String>,
    /// Served over HTTPS (the external links too).
    pub https: bool,
    /// Navigation columns left out, by anchor text (e.g. `English`, `无障碍`).
    pub missing: Vec<String>,
    /// Navigation columns whose pages show nothing but their heading (栏目空白).
    pub blank_columns: usize,
    /// Homepage links to a host whose name does not exist (`*.invalid`).
    pub dead_name_links: usize,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            host: "www.example-city.gov.cn".to_owned(),
            name: "示例市人民政府".to_owned(),
            gbk: false,
            stale_homepage: false,
            undated_homepage: false,
            future_item: false,
            stale_news_columns: false,
            no_consultation: false,
            guides: 2,
            failing_guides: 0,
            platform_guides: false,
            unanswered: false,
            broken_home_links: 0,
            broken_other_links: 0,
            phrase: None,
            https: false,
            missing: Vec::new(),
            blank_columns: 0,
            dead_name_links: 0,
        }
    }
}

impl Spec {
    /// `https` when the portal is served over HTTPS, else `http`.
    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }

    /// An HTML page in the portal's encoding.
    fn html(&self, text: &str) -> Page {
        if self.gbk {
            Page::bytes("text/html", encoding_rs::GBK.encode(text).0.into_owned())
        } else {
            Page::bytes("text/html; charset=utf-8", text.as_bytes().to_vec())
        }
    }

    /// The portal's homepage URL when served on `port`.
    pub fn url(&self, port: u16) -> String {
        format!("{}://{}:{port}/", self.scheme(), self.host)
    }
}

/// Columns of the navigation: (path, anchor text).
const COLUMNS: &[(&str, &str)] = &[
    ("/news/", "要闻动态"),
    ("/notices/", "通知公告"),
    ("/policies/", "政策文件"),
    ("/xxgk/", "政府信息公开"),
    ("/xxgkzn/", "信息公开指南"),
    ("/nb/", "信息公开年报"),
    ("/gk/", "地区概况"),
    ("/ld/", "领导信息"),
    ("/jg/", "机构职能"),
    ("/gh/", "规划计划"),
    ("/cz/", "财政信息"),
    ("/tj/", "统计信息"),
    ("/xm/", "重大项目"),
    ("/rs/", "人事信息"),
    ("/jd/", "政策解读"),
    ("/tujie/", "图解"),
    ("/hy/", "回应关切"),
    ("/bs/", "办事服务"),
    ("/bm/", "便民服务"),
    ("/gr/", "个人办事"),
    ("/fr/", "法人办事"),
    ("/xj/", "信件选登"),
    ("/zj/", "意见征集"),
    ("/ft/", "在线访谈"),
    ("/map.html", "网站地图"),
    ("/wb/", "政务微博"),
    ("/m/", "手机版"),
    ("/wza/", "无障碍"),
    ("/en/", "English"),
];

/// Columns that are single pages of text, not lists: present, never stale.
const STATIC_COLUMNS: &[&str] = &[
    "/xxgkzn/",
    "/nb/",
    "/gk/",
    "/ld/",
    "/jg/",
    "/map.html",
    "/wb/",
    "/m/",
    "/wza/",
    "/en/",
    "/ly/",
];

const CONSULTATION: &[(&str, &str)] = &[("/xx/", "市长信箱"), ("/ly/", "我要写信")];

/// Extra news columns for the stale-columns case (news class, key columns).
const NEWS_COLUMNS: &[(&str, &str)] = &[
    ("/zwdt/", "政务动态"),
    ("/gzdt/", "工作动态"),
    ("/bmdt/", "部门动态"),
    ("/qxdt/", "区县动态"),
    ("/jryw/", "今日要闻"),
];

/// A guide's element headings as real guides write them (synonyms of the indicator file's
/// ten elements), each with its value.
const GUIDE_ROWS: [(&str, &str); 10] = [
    ("受理条件", "户籍在本市的居民均可申请"),
    ("申报材料", "居民身份证、户口簿原件及复印件"),
    ("法定依据", "《中华人民共和国户口登记条例》第十条"),
    ("承诺时限", "5个工作日"),
    ("咨询电话", "028-12345678"),
    ("实施主体", "市公安局"),
    ("办理地点", "市政务服务中心一楼3号窗口"),
    ("收费标准", "不收费"),
    ("办理时间", "工作日9:00-17:00"),
    ("办理流程", "申请、受理、审核、办结"),
];

/// The services a portal's guides are for.
const SERVICES: [&str; 8] = [
    "户口迁移",
    "营业执照",
    "居住证办理",
    "社保卡申领",
    "公积金提取",
    "出生登记",
    "建设工程规划许可",
    "食品经营许可",
];

/// Text of a static page: long enough to be content, with no date and no list.
const STATIC_TEXT: &str = "本栏目介绍本级人民政府的基本情况，包括行政区划、人口、自然地理、经济社会发展概况和主要工作职责。政府坚持以人民为中心的发展思想，全面履行经济调节、市场监管、社会管理、公共服务和生态环境保护等职能，持续推进法治政府和服务型政府建设，不断提高依法行政水平和行政效能。各部门按照职责分工做好本领域工作，主动接受社会监督，及时回应群众关切，为经济社会高质量发展提供有力保障。本页内容由政府办公室负责维护，如有变动将及时更新，欢迎社会各界提出意见建议。";

/// An article's text: one main block, long enough to be an article.
const ARTICLE_TEXT: &str = "为进一步提升政府网站建设水平，推进政务公开和政务服务工作，现将有关事项通知如下。各单位要高度重视，明确责任分工，加强信息发布审核，确保发布内容准确、及时、规范。要围绕中心工作，做好政策文件的发布和解读，及时回应社会关切，切实提升网站的权威性和实用性。";

/// A page of the portal, with its navigation and footer; `article` dates an article page,
/// which alone carries the `ArticleTitle` and `PubDate` tags, as real portals do.
fn page(
    port: u16,
    title: &str,
    column: &str,
    body: &str,
    spec: &Spec,
    nav: &str,
    article: Option<NaiveDate>,
) -> Page {
    let scheme = spec.scheme();
    let host = &spec.host;
    let site = &spec.name;
    let article_meta = article.map_or(String::new(), |date| {
        format!(
            r#"<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} 09:00">"#
        )
    });
    spec.html(&format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="{charset}"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="{site}"><meta name="SiteDomain" content="{host}">
<meta name="SiteIDCode" content="5101000001"><meta name="ColumnName" content="{column}">
{article_meta}
</head><body>
<div class="header"><form action="/search" method="get"><input type="search" name="q"><button>站内搜索</button></form></div>
<div class="nav">{nav}</div>
<div class="main">{body}<p><a href="/">返回首页</a></p></div>
<div class="footer"><p>主办单位：{site}办公室 网站标识码：5101000001 蜀ICP备12345678号-1 川公网安备 51010402000507号 政务服务热线12345</p>
<a href="{scheme}://bszs.conac.cn:{port}/sitename?method=show&amp;id=0123456789ABCDEF0123456789ABCDEF"><img src="/red.png" alt="党政机关"></a>
<script id="_jiucuo_" sitecode="5101000001" src="/jiucuo.js"></script></div>
</body></html>"#,
        charset = if spec.gbk { "gbk" } else { "utf-8" }
    ))
}

/// A list of headlines; a row shows its date unless it is `None`.
fn list(items: &[(String, String, Option<NaiveDate>)]) -> String {
    let mut s = String::from("<ul class=\"list\">");
    for (url, title, date) in items {
        let date = date.map_or(String::new(), |d| format!("<span>[{d}]</span>"));
        s.push_str(&format!("<li><a href=\"{url}\">{title}</a>{date}</li>"));
    }
    s.push_str("</ul>");
    s
}

/// A service guide: the key element headings with their values, `shown` of them.
fn guide_table(service: &str, shown: usize) -> String {
    let mut s = format!("<h1>{service}办事指南</h1><table class=\"guide\">");
    for (heading, value) in GUIDE_ROWS.iter().take(shown) {
        s.push_str(&format!("<tr><td>{heading}</td><td>{value}</td></tr>"));
    }
    s.push_str("</table>");
    s
}

/// A page of the provincial service platform: its own plain template, linking only within
/// the platform.
fn platform_page(title: &str, body: &str) -> Page {
    Page::bytes(
        "text/html; charset=utf-8",
        format!(
            r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head><body><div class="main">{body}</div><div class="footer">四川省一体化政务服务平台</div></body></html>"#
        )
        .into_bytes(),
    )
}

/// Every path of the portal with its answer; any other path is a 404.
pub fn routes(port: u16, spec: &Spec) -> Vec<(String, Page)> {
    let today = as_of();
    let days = |n: i64| today - Duration::days(n);
    let scheme = spec.scheme();
    let mut nav_items: Vec<(&str, &str)> = COLUMNS
        .iter()
        .copied()
        .filter(|(_, name)| !spec.missing.iter().any(|m| m == name))
        .collect();
    if !spec.no_consultation {
        nav_items.extend_from_slice(CONSULTATION);
    }
    if spec.stale_news_columns {
        nav_items.extend_from_slice(NEWS_COLUMNS);
    }
    let blank: Vec<(String, String)> = (1..=spec.blank_columns)
        .map(|i| (format!("/kb{i}/"), format!("专题栏目{i}")))
        .collect();
    let nav: String = nav_items
        .iter()
        .map(|(p, t)| (*p, *t))
        .chain(blank.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .map(|(p, t)| format!("<a href=\"{p}\">{t}</a>"))
        .collect();
    // Ten articles, article i published i days before the evaluation date.
    let articles: Vec<(String, String, NaiveDate)> = (1..=10)
        .map(|i| {
            (
                format!("/a/{i}.html"),
                format!("关于做好第{i}批重点工作的通知"),
                days(i - 1),
            )
        })
        .collect();
    let row = |i: usize, date: Option<NaiveDate>| {
        let (url, title, _) = &articles[i];
        (url.clone(), title.clone(), date)
    };
    let mut routes: Vec<(String, Page)> = Vec::new();

    // Homepage: a news list (dated, or not), a national headline that mentions 咨询投诉
    // (news, not a channel), the service platform, broken links on request.
    let mut home_rows: Vec<(String, String, Option<NaiveDate>)> = (0..6)
        .map(|i| {
            let date = if spec.stale_homepage {
                Some(days(40 + i as i64))
            } else if spec.undated_homepage {
                None
            } else {
                Some(articles[i].2)
            };
            row(i, date)
        })
        .collect();
    home_rows.push((
        "/a/10.html".to_owned(),
        "国务院办公厅：政务服务平台要畅通网上咨询投诉渠道".to_owned(),
        if spec.stale_homepage {
            Some(days(50))
        } else if spec.undated_homepage {
            None
        } else {
            Some(articles[9].2)
        },
    ));
    let mut home_body = list(&home_rows);
    home_body.push_str(&format!(
        r#"<p><a href="{scheme}://www.sczwfw.gov.cn:{port}/zwfw/">四川政务服务网</a></p>"#
    ));
    for i in 0..spec.dead_name_links {
        home_body.push_str(&format!(
            r#"<a href="http://www{i}.gone.invalid/">旧网站{i}</a>"#
        ));
    }
    for i in 0..spec.broken_home_links {
        home_body.push_str(&format!(r#"<a href="/gone/home-{i}.html">失效链接{i}</a>"#));
    }
    routes.push((
        "/".into(),
        page(
            port,
            &format!("{}门户网站", spec.name),
            "首页",
            &home_body,
            spec,
            &nav,
            None,
        ),
    ));

    // The guides: on the portal, or on the provincial platform.
    let guide_url = |i: usize| {
        if spec.platform_guides {
            format!("{scheme}://www.sczwfw.gov.cn:{port}/zwfw/guide{i}.html")
        } else {
            format!("/bs/zn{i}.html")
        }
    };
    let guides: Vec<(String, String, usize)> = (0..spec.guides)
        .map(|i| {
            let shown = if i < spec.failing_guides { 5 } else { 10 };
            (guide_url(i), SERVICES[i % SERVICES.len()].to_owned(), shown)
        })
        .collect();

    for (path, name) in COLUMNS.iter().chain(CONSULTATION).chain(NEWS_COLUMNS) {
        let dated = |n: usize, gap: i64, from: i64| -> Vec<(String, String, Option<NaiveDate>)> {
            (0..n)
                .map(|i| row(i, Some(days(from + gap * i as i64))))
                .collect()
        };
        let mut body = format!("<h1>{name}</h1>");
        match *path {
            "/news/" => {
                let mut rows: Vec<_> = (0..10).map(|i| row(i, Some(articles[i].2))).collect();
                if spec.future_item {
                    rows.insert(0, row(0, Some(today + Duration::days(3))));
                }
                body.push_str(&list(&rows));
            }
            "/notices/" | "/policies/" | "/jd/" | "/hy/" => body.push_str(&list(&dated(6, 10, 0))),
            "/xj/" => body.push_str(&list(&dated(6, 3, 0))),
            "/bs/" => {
                let rows: Vec<_> = guides
                    .iter()
                    .map(|(url, service, _)| (url.clone(), format!("{service}办事指南"), None))
                    .collect();
                body.push_str(&list(&rows));
            }
            "/xx/" => {
                // Answered messages, and on request one left waiting.
                let status = if spec.unanswered {
                    "未回复"
                } else {
                    "已回复"
                };
                body.push_str(&format!(
                    r#"<ul class="letters"><li><a href="/a/1.html">关于老旧小区加装电梯的咨询</a> [{}] {status}</li><li><a href="/a/2.html">关于公交线路调整的建议</a> [{}] 已回复</li><li><a href="/a/3.html">关于学校周边交通的建议</a> [{}] 已回复</li><li><a href="/a/4.html">关于社区医疗服务的咨询</a> [{}] 已回复</li><li><a href="/a/5.html">关于垃圾分类设施的建议</a> [{}] 已回复</li></ul>"#,
                    days(120),
                    days(5),
                    days(6),
                    days(7),
                    days(8)
                ));
            }
            p if NEWS_COLUMNS.iter().any(|(np, _)| *np == p) => {
                body.push_str(&list(&dated(5, 1, 400)))
            }
            p if STATIC_COLUMNS.contains(&p) => body.push_str(&format!("<p>{STATIC_TEXT}</p>")),
            _ => body.push_str(&list(&dated(5, 1, 30))),
        }
        if *path == "/notices/" {
            for i in 0..spec.broken_other_links {
                body.push_str(&format!(r#"<a href="/gone/other-{i}.html">失效{i}</a>"#));
            }
        }
        routes.push((
            path.to_string(),
            page(port, name, name, &body, spec, &nav, None),
        ));
    }
    for (path, name) in &blank {
        let body = format!("<h1>{name}</h1><p>暂无信息</p>");
        routes.push((
            path.clone(),
            page(port, name, name, &body, spec, &nav, None),
        ));
    }
    // The platform's entry: its guides when they live there, else a page without them.
    let platform_index: String = guides
        .iter()
        .filter(|_| spec.platform_guides)
        .map(|(url, service, _)| format!("<p><a href=\"{url}\">{service}</a></p>"))
        .collect();
    routes.push((
        "/zwfw/".into(),
        platform_page(
            "四川政务服务网",
            &format!("<h1>四川政务服务网</h1>{platform_index}"),
        ),
    ));
    for (i, (_, service, shown)) in guides.iter().enumerate() {
        let table = guide_table(service, *shown);
        if spec.platform_guides {
            routes.push((
                format!("/zwfw/guide{i}.html"),
                platform_page(&format!("{service}办事指南"), &table),
            ));
        } else {
            routes.push((
                format!("/bs/zn{i}.html"),
                page(
                    port,
                    &format!("{service}办事指南"),
                    "办事指南",
                    &table,
                    spec,
                    &nav,
                    None,
                ),
            ));
        }
    }
    for (i, (url, title, date)) in articles.iter().enumerate() {
        let mut body = format!("<h1>{title}</h1><p>发布时间：{date}</p><p>{ARTICLE_TEXT}</p>");
        if i == 0
            && let Some(phrase) = &spec.phrase
        {
            body.push_str(&format!("<p>{phrase}</p>"));
        }
        routes.push((
            url.clone(),
            page(port, title, "要闻动态", &body, spec, &nav, Some(*date)),
        ));
    }
    routes.push((
        "/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF".into(),
        spec.html("<p>党政机关网站标识</p>"),
    ));
    routes.push((
        "/jiucuo.js".into(),
        Page::bytes("application/javascript", b"/* widget */".to_vec()),
    ));
    routes.push((
        "/red.png".into(),
        Page::bytes("image/png", vec![0x89, b'P', b'N', b'G']),
    ));
    routes
}
