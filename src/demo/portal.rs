//! A generated government portal in the shape DOMAIN §3 describes — columns with dated
//! lists, interpretation, services with guides, consultation channels, footer identifiers,
//! meta tags, promotion features — with switches that break one thing at a time. `govscore
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
    /// Five more news columns (key columns), last updated long ago.
    pub stale_news_columns: bool,
    /// No consultation channel anywhere.
    pub no_consultation: bool,
    /// Service guides showing only 5 of the 10 key elements.
    pub poor_guides: bool,
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
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            host: "www.example-city.gov.cn".to_owned(),
            name: "示例市人民政府".to_owned(),
            gbk: false,
            stale_homepage: false,
            stale_news_columns: false,
            no_consultation: false,
            poor_guides: false,
            unanswered: false,
            broken_home_links: 0,
            broken_other_links: 0,
            phrase: None,
            https: false,
            missing: Vec::new(),
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

const CONSULTATION: &[(&str, &str)] = &[("/xx/", "市长信箱"), ("/ly/", "我要写信")];

/// Extra news columns for the stale-columns case (news class, key columns).
const NEWS_COLUMNS: &[(&str, &str)] = &[
    ("/zwdt/", "政务动态"),
    ("/gzdt/", "工作动态"),
    ("/bmdt/", "部门动态"),
    ("/qxdt/", "区县动态"),
    ("/jryw/", "今日要闻"),
];

const ELEMENTS: [&str; 10] = [
    "事项名称",
    "设定依据",
    "申请条件",
    "办理材料",
    "办理地点",
    "办理机构",
    "收费标准",
    "办理时间",
    "联系电话",
    "办理流程",
];

fn page(port: u16, title: &str, column: &str, body: &str, spec: &Spec, nav: &str) -> Page {
    let scheme = spec.scheme();
    let host = &spec.host;
    let site = &spec.name;
    spec.html(&format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="{charset}"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="{site}"><meta name="SiteDomain" content="{host}">
<meta name="SiteIDCode" content="5101000001"><meta name="ColumnName" content="{column}">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2026-11-18 09:00">
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

fn list(items: &[(String, NaiveDate)]) -> String {
    let mut s = String::from("<ul class=\"list\">");
    for (url, date) in items {
        s.push_str(&format!(
            "<li><a href=\"{url}\">关于做好重点工作的通知</a><span>[{date}]</span></li>"
        ));
    }
    s.push_str("</ul>");
    s
}

/// Every path of the portal with its answer; any other path is a 404.
pub fn routes(port: u16, spec: &Spec) -> Vec<(String, Page)> {
    let today = as_of();
    let days = |n: i64| today - Duration::days(n);
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
    let nav: String = nav_items
        .iter()
        .map(|(p, t)| format!("<a href=\"{p}\">{t}</a>"))
        .collect();
    let articles: Vec<String> = (1..=10).map(|i| format!("/a/{i}.html")).collect();
    let mut routes: Vec<(String, Page)> = Vec::new();

    // Homepage: fresh news list, the service platform, the hotline, broken links on request.
    let home_dates: Vec<(String, NaiveDate)> = articles
        .iter()
        .take(6)
        .enumerate()
        .map(|(i, a)| {
            (
                a.clone(),
                if spec.stale_homepage {
                    days(40 + i as i64)
                } else {
                    days(i as i64)
                },
            )
        })
        .collect();
    let mut home_body = list(&home_dates);
    home_body.push_str(&format!(
        r#"<p><a href="{}://www.sczwfw.gov.cn:{port}/">四川政务服务网</a></p>"#,
        spec.scheme()
    ));
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
        ),
    ));

    for (path, name) in COLUMNS.iter().chain(CONSULTATION).chain(NEWS_COLUMNS) {
        let items: Vec<(String, NaiveDate)> = match *path {
            "/news/" => articles
                .iter()
                .enumerate()
                .map(|(i, a)| (a.clone(), days(i as i64)))
                .collect(),
            "/notices/" | "/policies/" | "/jd/" | "/hy/" => articles
                .iter()
                .take(6)
                .enumerate()
                .map(|(i, a)| (a.clone(), days(10 * i as i64)))
                .collect(),
            "/xj/" => articles
                .iter()
                .take(6)
                .enumerate()
                .map(|(i, a)| (a.clone(), days(3 * i as i64)))
                .collect(),
            p if NEWS_COLUMNS.iter().any(|(np, _)| *np == p) => articles
                .iter()
                .take(3)
                .enumerate()
                .map(|(i, a)| (a.clone(), days(400 + i as i64)))
                .collect(),
            _ => articles
                .iter()
                .take(2)
                .enumerate()
                .map(|(i, a)| (a.clone(), days(30 + i as i64)))
                .collect(),
        };
        let mut body = format!("<h1>{name}</h1>{}", list(&items));
        if *path == "/xx/" {
            // Answered messages, and on request one left waiting.
            let status = if spec.unanswered {
                "未回复"
            } else {
                "已回复"
            };
            body.push_str(&format!(
                r#"<ul class="letters"><li><a href="/a/1.html">关于老旧小区加装电梯的咨询</a> [{}] {status}</li><li><a href="/a/2.html">关于公交线路调整的建议</a> [{}] 已回复</li></ul>"#,
                days(120),
                days(5)
            ));
        }
        if *path == "/bs/" {
            body.push_str(r#"<p><a href="/bs/zn1.html">办事指南：户口迁移</a> <a href="/bs/zn2.html">办事指南：营业执照</a></p>"#);
        }
        if *path == "/notices/" {
            for i in 0..spec.broken_other_links {
                body.push_str(&format!(r#"<a href="/gone/other-{i}.html">失效{i}</a>"#));
            }
        }
        routes.push((path.to_string(), page(port, name, name, &body, spec, &nav)));
    }
    let shown = if spec.poor_guides { 5 } else { 10 };
    for guide in ["/bs/zn1.html", "/bs/zn2.html"] {
        let body: String = ELEMENTS
            .iter()
            .take(shown)
            .map(|e| format!("<h3>{e}</h3><p>详见说明。</p>"))
            .collect();
        routes.push((
            guide.into(),
            page(port, "办事指南", "办事指南", &body, spec, &nav),
        ));
    }
    for (i, a) in articles.iter().enumerate() {
        let mut body = format!(
            "<h1>关于做好重点工作的通知（{i}）</h1><p>为进一步提升政府网站建设水平，现将有关事项通知如下。</p>"
        );
        if i == 0
            && let Some(phrase) = &spec.phrase
        {
            body.push_str(&format!("<p>{phrase}</p>"));
        }
        routes.push((
            a.clone(),
            page(
                port,
                "关于做好重点工作的通知",
                "要闻动态",
                &body,
                spec,
                &nav,
            ),
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
