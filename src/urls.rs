//! URLs as govscore reads them: what belongs to a site ([`SiteScope`]), a site's
//! registrable domain, the one link normaliser, and which links are attachments. The crawler,
//! extraction and sharding all use these, so a link is judged the same way at every stage.
//!
//! A site is its registrable domain under the public suffix list: `gov.cn` is a public
//! suffix, so `www.chengdu.gov.cn` covers `*.chengdu.gov.cn` (portals keep their disclosure
//! columns on subdomains). An explicit port is part of the scope, and an IP-address host is a
//! scope of its own, so two test sites on 127.0.0.1 with different ports stay apart. Links
//! leaving the scope are not crawled but are recorded: links to the provincial service
//! platform, to 中国政府网 or to conac are evidence.

use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use url::{Host, Url};

/// The hosts and port a site's crawl stays within.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteScope {
    /// Registrable domains (or IP addresses, as text), each with its explicit port: the
    /// homepage's, plus the one its homepage redirected to, if different.
    roots: Vec<(String, Option<u16>)>,
}

impl SiteScope {
    /// The scope of a site whose homepage is `url`.
    pub fn of(url: &Url) -> Self {
        let mut scope = Self { roots: Vec::new() };
        scope.include(url);
        scope
    }

    /// Widens the scope to the registrable domain and port of `url` (a homepage that
    /// redirects from `http://x.gov.cn:8080/` to `https://www.cd.gov.cn/` has moved, and its
    /// new address is the site).
    pub fn include(&mut self, url: &Url) {
        if let Some(root) = root_of(url) {
            let entry = (root, url.port());
            if !self.roots.contains(&entry) {
                self.roots.push(entry);
            }
        }
    }

    /// Whether `url` is within the site: the registrable domain (or IP address) and the
    /// explicit port of one of its roots. The scheme does not count.
    pub fn contains(&self, url: &Url) -> bool {
        root_of(url).is_some_and(|r| {
            self.roots
                .iter()
                .any(|(root, port)| *root == r && *port == url.port())
        })
    }
}

/// The registrable domain of a URL's host, or the IP address itself.
pub fn root_of(url: &Url) -> Option<String> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip).to_string()),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip).to_string()),
        Host::Domain(name) => {
            let name = name.trim_end_matches('.');
            Some(psl::domain_str(name).unwrap_or(name).to_ascii_lowercase())
        }
    }
}

/// Resolves an `href` against its page and normalises it: only http(s), no fragment, no
/// `javascript:`/`mailto:`/`tel:`; the `url` crate already lower-cases hosts, drops default
/// ports and resolves `..`. Returns `None` for links that are not fetchable pages.
pub fn normalize(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// [`normalize`] for the pages of one site, each result kept: a portal repeats its menus,
/// footer and list links on every page, and resolving an `href` (the `url` crate's parse)
/// cost about 2 500 instructions, a twentieth of the score stage. A result is reused only
/// where it cannot differ: an absolute `http(s)://` href whatever the base, a path from
/// the root (`/a/b.html`) for the same scheme, user, host and port, a path from the page's
/// folder for the same folder, anything else for the same base. Bounded: the table is
/// emptied when it holds [`Resolver::MAX_ENTRIES`].
#[derive(Default)]
pub struct Resolver {
    /// By key (see `resolve`): the base's part that matters, a line feed, the href as
    /// written. A serialised URL holds no line feed, so the key is read one way only.
    resolved: foldhash::HashMap<String, Option<Url>>,
    key: String,
}

impl Resolver {
    /// Entries kept at most: more than the distinct links of a large portal's pages read by
    /// one thread, small enough (about a megabyte) to hold one per thread.
    pub const MAX_ENTRIES: usize = 4096;

    /// What [`normalize`] gives for `href` on a page whose base is `base`.
    pub fn resolve(&mut self, base: &Url, href: &str) -> Option<Url> {
        let trimmed = href.trim();
        let prefix = if starts_with_ignore_case(trimmed, "http://")
            || starts_with_ignore_case(trimmed, "https://")
        {
            // The parser takes an absolute URL of a special scheme whole.
            ""
        } else if trimmed.starts_with(['/', '\\']) && !trimmed[1..].starts_with(['/', '\\']) {
            // A path from the root keeps only the base's scheme, user, host and port (a
            // backslash is a slash in http(s) addresses; two of them start a host).
            &base[..url::Position::BeforePath]
        } else if trimmed
            .starts_with(|c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '%'))
        {
            // A path from the page's folder (`a.html`, `../b/c.html`) keeps the base up to
            // the last slash of its path: most of a portal's pages link their neighbours
            // so. The parser only drops tabs, line feeds and the ends' controls, so such an
            // href stays a path (or an absolute URL). A query (`?page=2`), or an href that
            // is empty once the parser has read it, takes the whole base.
            let path_start = base[..url::Position::BeforePath].len();
            let folder = base.path().rfind('/').map_or(0, |slash| slash + 1);
            &base.as_str()[..path_start + folder]
        } else {
            base.as_str()
        };
        self.key.clear();
        self.key.push_str(prefix);
        self.key.push('\n');
        self.key.push_str(href);
        if let Some(url) = self.resolved.get(&self.key) {
            return url.clone();
        }
        let url = normalize(base, href);
        if self.resolved.len() >= Self::MAX_ENTRIES {
            self.resolved.clear();
        }
        self.resolved.insert(self.key.clone(), url.clone());
        url
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The host of a URL that the `url` crate wrote (every link of the page facts is one), as
/// [`Url::host_str`] gives it, read off the text: scoring asks it of every link of a page for
/// each link rule, and parsing each link again for it was most of that work.
pub fn host_of(url: &str) -> Option<&str> {
    // The first `://`, found from the colons: `str::find` sets up a substring searcher on
    // each call, which cost more than the search on addresses this short (a million
    // instructions a site).
    let bytes = url.as_bytes();
    let colon = memchr::memchr_iter(b':', bytes).find(|&i| bytes[i + 1..].starts_with(b"//"))?;
    let rest = &url[colon + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        &host_port[..=host_port.find(']')?]
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then_some(host)
}

/// Whether a URL names a file to download (an attachment) rather than a page, by its
/// extension: attachments are status-checked, never downloaded whole.
pub fn is_attachment(url: &Url) -> bool {
    const EXTENSIONS: &[&str] = &[
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "zip", "rar", "7z",
        "gz", "tar", "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "mp3", "mp4", "avi",
        "flv", "wmv", "mov", "exe", "apk", "dmg", "iso", "txt", "csv", "xml", "json", "css", "js",
    ];
    let path = url.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    match last.rsplit_once('.') {
        Some((_, ext)) => EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
        None => false,
    }
}

/// The address shapes content management systems give article pages, each named as shown
/// in evidence: a page at such an address is an article, and a link to it a headline, never a
/// column.
static ARTICLE_SHAPES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        (
            "/YYYY-MM-DD/N.html",
            r"/[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/[^/]+$",
        ),
        ("/YYYYMM/tYYYYMMDD_N.html", r"/t[0-9]{8}_[0-9]+\.s?html?$"),
        ("art_N_M.html", r"/art_[0-9]+_[0-9]+\.s?html?$"),
        ("content_N.htm", r"/content_[0-9]+\.s?html?$"),
        (
            "/YYYY/M/D/N.html",
            r"/[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}/[^/]+\.s?html?$",
        ),
        ("/YYYYMM/DD/N.html", r"/[0-9]{6}/[0-9]{2}/[^/]+\.s?html?$"),
        (
            "articleinfo-N.html",
            r"/(?:article|pic)info-[0-9]+\.s?html?$",
        ),
        ("contents/N/N.html", r"/contents/[0-9]+/[0-9]+\.s?html?$"),
        (
            "detail_N.html",
            r"/(?:detail|show|view)[_-]?[0-9]+\.s?html?$",
        ),
    ]
    .into_iter()
    .map(|(name, re)| (name, Regex::new(re).expect("static regex")))
    .collect()
});

/// The article address shape `url`'s path has, if any (see [`ARTICLE_SHAPES`]).
pub fn article_shape(url: &Url) -> Option<&'static str> {
    let path = url.path();
    ARTICLE_SHAPES
        .iter()
        .find(|(_, re)| re.is_match(path))
        .map(|(name, _)| *name)
}

/// A host of China's government network (`gov.cn` and its subdomains): a link there from a
/// hidden menu is the government's own navigation, not a planted link.
pub fn is_government_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "gov.cn" || host.ends_with(".gov.cn")
}

/// `scheme://host[:port]`: the unit robots.txt applies to (RFC 9309), and so the unit the
/// crawler's politeness is kept per — two ports of one host are two servers.
pub fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every href against every base, in an order that makes each base meet the results
    /// the others left: the resolver must give what `normalize` gives, each time.
    #[test]
    fn the_resolver_gives_what_normalize_gives_whatever_it_resolved_before() {
        let bases = [
            "http://www.a.gov.cn/dir/page.html",
            "http://www.a.gov.cn/other/deep/page.html?x=1",
            "https://www.a.gov.cn/dir/page.html",
            "http://www.a.gov.cn:8080/dir/page.html",
            "http://user:pw@www.a.gov.cn/dir/page.html",
            "http://www.b.gov.cn/dir/",
            "http://www.a.gov.cn/dir/other.html",
            "http://www.a.gov.cn/dir/page.html?x=2",
            "http://www.a.gov.cn/dir",
            "file:///C:/dir/page.html",
            "mailto:someone@a.gov.cn",
        ];
        let hrefs = [
            "/p/1.html",
            " /p/1.html ",
            "p/1.html",
            "../p/1.html",
            "./",
            "?page=2",
            "#top",
            "",
            "//www.c.gov.cn/x",
            "/\\www.c.gov.cn/x",
            "\\p\\1.html",
            "\\\\www.c.gov.cn/x",
            "http://www.c.gov.cn/x#frag",
            "HTTPS://WWW.C.GOV.CN/X",
            "http:p/1.html",
            "https:/p/1.html",
            "javascript:void(0)",
            "/a\tb\n/c.html",
            "\u{3000}/p/1.html",
            "\u{1}?q=1",
            "\u{1}",
            "\u{1}#x",
            "a.html\t?q",
            "a\n.html",
            "%E6%94%BF.html",
            "政务.html",
            "-x/../y.html",
            "_p/./q.html",
            "c:/x.html",
        ];
        let mut resolver = Resolver::default();
        for round in 0..2 {
            for (i, base) in bases.iter().enumerate() {
                let base = Url::parse(base).unwrap();
                for href in hrefs.iter().cycle().skip(i + round).take(hrefs.len()) {
                    assert_eq!(
                        resolver.resolve(&base, href),
                        normalize(&base, href),
                        "{href:?} on {base}"
                    );
                }
            }
        }
        // A hostile site's endless links: the table stays bounded, the answers right.
        let base = Url::parse("http://www.a.gov.cn/dir/page.html").unwrap();
        for n in 0..Resolver::MAX_ENTRIES + 500 {
            let href = format!("/p/{n}.html");
            assert_eq!(resolver.resolve(&base, &href), normalize(&base, &href));
            assert!(resolver.resolved.len() <= Resolver::MAX_ENTRIES);
        }
    }

    #[test]
    fn a_written_urls_host_is_read_as_the_parser_reads_it() {
        for text in [
            "http://www.gov.cn/",
            "https://zwfw.sc.gov.cn:8443/a/b?x=1#f",
            "http://user:pw@www.a.gov.cn/",
            "http://[::1]:8080/x",
            "http://127.0.0.1:18081/index.html",
            "http://中国政府网.cn/?q=a/b",
            "https://www.A.GOV.cn?x=http://b.com/",
        ] {
            let written = Url::parse(text).unwrap().to_string();
            assert_eq!(
                host_of(&written),
                Url::parse(&written).unwrap().host_str(),
                "{written}"
            );
        }
        assert_eq!(host_of("not a url"), None);
        // Text that is not a written URL: the first `://` wherever it is, as before.
        for (text, host) in [
            ("mailto:a@b.cn?u=http://c.cn/", Some("c.cn")),
            ("a:/b://c.cn:1/", Some("c.cn")),
            ("trailing:", None),
            ("://", None),
            (":///x", None),
        ] {
            assert_eq!(host_of(text), host, "{text}");
        }
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_gov_cn_site_covers_its_subdomains_only() {
        let scope = SiteScope::of(&url("https://www.chengdu.gov.cn/"));
        assert!(scope.contains(&url("http://gk.chengdu.gov.cn/list.html")));
        assert!(scope.contains(&url("https://chengdu.gov.cn")));
        assert!(!scope.contains(&url("https://www.sc.gov.cn/")));
        assert!(!scope.contains(&url("https://www.gov.cn/")));
        assert!(!scope.contains(&url("https://sczwfw.gov.cn/")));
        assert!(!scope.contains(&url("https://www.chengdu.gov.cn:8443/")));
        assert_eq!(
            root_of(&url("http://WWW.Pidu.GOV.CN./")).as_deref(),
            Some("pidu.gov.cn")
        );
    }

    #[test]
    fn ports_and_ip_hosts_are_part_of_the_scope() {
        let a = SiteScope::of(&url("http://127.0.0.1:8081/"));
        assert!(a.contains(&url("http://127.0.0.1:8081/page")));
        assert!(!a.contains(&url("http://127.0.0.1:8082/")));
        assert!(!a.contains(&url("http://127.0.0.2:8081/")));
        let named = SiteScope::of(&url("http://www.example-city.gov.cn:9000/"));
        assert!(named.contains(&url("http://xxgk.example-city.gov.cn:9000/")));
        assert!(!named.contains(&url("http://xxgk.example-city.gov.cn/")));
        assert!(!named.contains(&url("http://www.other-city.gov.cn:9000/")));
    }

    #[test]
    fn include_widens_to_a_redirect_target_with_its_own_port() {
        let mut scope = SiteScope::of(&url("http://chengdu.gov.cn:8080/"));
        scope.include(&url("https://www.cd.gov.cn/"));
        assert!(scope.contains(&url("https://news.cd.gov.cn/")));
        assert!(scope.contains(&url("http://chengdu.gov.cn:8080/x")));
        assert!(!scope.contains(&url("https://news.cd.gov.cn:8080/")));
    }

    #[test]
    fn normalises_links() {
        let base = url("http://www.a.gov.cn/xxgk/index.html");
        assert_eq!(
            normalize(&base, " ../tzgg/1.html#top ").unwrap().as_str(),
            "http://www.a.gov.cn/tzgg/1.html"
        );
        assert_eq!(
            normalize(&base, "HTTP://WWW.A.GOV.CN:80/")
                .unwrap()
                .as_str(),
            "http://www.a.gov.cn/"
        );
        assert_eq!(
            normalize(&base, "?page=2").unwrap().as_str(),
            "http://www.a.gov.cn/xxgk/index.html?page=2"
        );
        for skipped in [
            "javascript:void(0)",
            "mailto:x@a.gov.cn",
            "tel:12345",
            "#",
            "",
            "ftp://a.gov.cn/f",
            "data:text/html,x",
        ] {
            assert!(normalize(&base, skipped).is_none(), "{skipped}");
        }
    }

    #[test]
    fn article_addresses_by_their_shape() {
        for (u, shape) in [
            (
                "http://a.gov.cn/2018-07-27/10366.html",
                Some("/YYYY-MM-DD/N.html"),
            ),
            (
                "http://a.gov.cn/xxgk/201708/t20170804_633612.html",
                Some("/YYYYMM/tYYYYMMDD_N.html"),
            ),
            (
                "http://a.gov.cn/art/2018/7/27/art_1229_12.html",
                Some("art_N_M.html"),
            ),
            (
                "http://a.gov.cn/zwgk/content_5421.htm",
                Some("content_N.htm"),
            ),
            (
                "http://a.gov.cn/scedu/c1/2019/3/20/82f0.html",
                Some("/YYYY/M/D/N.html"),
            ),
            (
                "http://a.gov.cn/col3/articleinfo-222.html",
                Some("articleinfo-N.html"),
            ),
            (
                "http://a.gov.cn/contents/18111/345.html",
                Some("contents/N/N.html"),
            ),
            ("http://a.gov.cn/tzgg/index.html", None),
            ("http://a.gov.cn/channels/18141_7.html", None),
            ("http://a.gov.cn/col3/articlecolumn.html", None),
            ("http://a.gov.cn/", None),
        ] {
            assert_eq!(article_shape(&url(u)), shape, "{u}");
        }
    }

    #[test]
    fn attachments_by_extension() {
        assert!(is_attachment(&url("http://a.gov.cn/files/2018年报.PDF")));
        assert!(is_attachment(&url("http://a.gov.cn/f.docx?x=1")));
        assert!(!is_attachment(&url("http://a.gov.cn/tzgg/index.html")));
        assert!(!is_attachment(&url("http://a.gov.cn/tzgg/")));
        assert!(!is_attachment(&url("http://a.gov.cn/show.jsp")));
    }
}
