//! `sites.txt`: the sites to evaluate, one a line, as `<url> <category>[,<category>…] <name>`.
//!
//! A site's identity is its host (without a leading `www.`) and its explicit port: two lines
//! naming `https://www.chengdu.gov.cn/` and `http://chengdu.gov.cn` are the same site and an
//! error, while two sites on one address with different ports are two sites (that is how the
//! tests serve several portals from 127.0.0.1). The path and a trailing slash do not count.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use url::Url;

use super::diagnostic::{Diagnostics, InputError};

/// A category id from `sites.txt`; the three of the national evaluation have Chinese display
/// names, any other id is shown as written.
/// In results it is written as its id.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Category(String);

impl Category {
    /// The category with id `id`, as written in `sites.txt` (any id is accepted).
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as written in `sites.txt`, e.g. `provincial-capital`; results record this.
    pub fn id(&self) -> &str {
        &self.0
    }

    /// The name the ranked tables are titled with.
    pub fn display_name(&self) -> &str {
        match self.0.as_str() {
            "provincial-capital" => "省会城市",
            "sub-provincial" => "副省级城市",
            "district" => "区县",
            other => other,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What makes two entries the same site: host without `www.` and the explicit port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteKey {
    host: String,
    port: Option<u16>,
}

impl SiteKey {
    /// The key of an absolute URL; `None` when the URL has no host.
    pub fn of(url: &Url) -> Option<Self> {
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let host = match host.strip_prefix("www.") {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => host,
        };
        Some(Self {
            host,
            port: url.port(),
        })
    }
}

impl SiteKey {
    /// The host, lower-cased, without `www.` and a trailing dot.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port the URL gives; `None` for the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }
}

impl fmt::Display for SiteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// One line of `sites.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The homepage the crawl starts from.
    pub url: Url,
    /// In file order, without repeats; a site is ranked in each of them.
    pub categories: Vec<Category>,
    /// The name the tables and reports show (成都市); the rest of the line, spaces included.
    pub name: String,
    /// Where the site is listed, for messages about it.
    pub line: usize,
}

impl Site {
    /// The site's identity: cases and manual points are matched by it, and the crawl archive
    /// names the site's files after it.
    pub fn key(&self) -> SiteKey {
        SiteKey::of(&self.url).expect("site URLs are checked to have a host when parsed")
    }
}

/// How a reference to a site matched the sites it could mean.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'a, T> {
    /// The one site meant.
    Found(&'a T),
    /// No site matches.
    Missing,
    /// Several sites match a partial name: the user must say which.
    Ambiguous(Vec<&'a T>),
}

impl<'a, T> Lookup<'a, T> {
    /// The site, when exactly one was meant.
    pub fn found(self) -> Option<&'a T> {
        match self {
            Lookup::Found(t) => Some(t),
            Lookup::Missing | Lookup::Ambiguous(_) => None,
        }
    }
}

/// The one site of `items` that `reference` means: by URL or host (with or without `www.`,
/// by [`SiteKey`]), by its full name, else by a prefix of one name only, else by a part of
/// one name only (`示范市` finds 示范市人民政府). A partial name that fits several sites is
/// ambiguous, never a guess.
pub fn lookup<'a, T>(
    reference: &str,
    items: &'a [T],
    key: impl Fn(&T) -> Option<SiteKey>,
    name: impl Fn(&T) -> &str,
) -> Lookup<'a, T> {
    let reference = reference.trim();
    if reference.is_empty() {
        return Lookup::Missing;
    }
    let as_url = if reference.contains("://") {
        Url::parse(reference).ok()
    } else {
        Url::parse(&format!("http://{reference}")).ok()
    };
    if let Some(wanted) = as_url.as_ref().and_then(SiteKey::of)
        && let Some(found) = items.iter().find(|i| key(i).as_ref() == Some(&wanted))
    {
        return Lookup::Found(found);
    }
    if let Some(found) = items.iter().find(|i| name(i) == reference) {
        return Lookup::Found(found);
    }
    let partial: [&dyn Fn(&str) -> bool; 2] = [&|n: &str| n.starts_with(reference), &|n: &str| {
        n.contains(reference)
    }];
    for fits in partial {
        let matches: Vec<&T> = items.iter().filter(|i| fits(name(i))).collect();
        match matches.len() {
            0 => continue,
            1 => return Lookup::Found(matches[0]),
            _ => return Lookup::Ambiguous(matches),
        }
    }
    Lookup::Missing
}

/// The parsed `sites.txt`, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteList {
    /// In file order, no site twice (by [`SiteKey`]).
    pub sites: Vec<Site>,
}

impl SiteList {
    /// Reads and validates a sites file.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        Self::read_source(&super::Source::File(path.to_path_buf())).map(|(list, _)| list)
    }

    /// Reads and validates the site list of `source`, a file or the built-in list.
    pub fn read_source(source: &super::Source) -> Result<(Self, String), InputError> {
        let text = source.read()?;
        let list = Self::parse(&text, &source.shown())?;
        Ok((list, text))
    }

    /// Parses `text`, naming `file` in every problem.
    pub fn parse(text: &str, file: &str) -> Result<Self, InputError> {
        let mut diags = Diagnostics::new(file);
        let list = Self::parse_lenient(text, &mut diags);
        diags.finish(list)
    }

    /// Parses what can be parsed, reporting the other lines: `check` still validates the
    /// cases file against the good lines when some lines of `sites.txt` are bad.
    pub fn parse_lenient(text: &str, diags: &mut Diagnostics) -> Self {
        let mut sites: Vec<Site> = Vec::new();
        let mut seen: HashMap<SiteKey, usize> = HashMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let content = strip_comment(raw).trim();
            if content.is_empty() {
                continue;
            }
            let Some(site) = parse_line(content, line_no, diags) else {
                continue;
            };
            let key = site.key();
            if let Some(first) = seen.get(&key) {
                diags.at(
                    line_no,
                    None,
                    format!(
                        "`{}` is the same site as line {first} ({key}); list each site once, with all its categories",
                        site.url
                    ),
                );
                continue;
            }
            seen.insert(key, line_no);
            sites.push(site);
        }
        if sites.is_empty() && diags.is_empty() {
            diags.at(
                1,
                None,
                "no sites listed; add lines of the form `https://www.example.gov.cn/ provincial-capital 示例市`",
            );
        }
        Self { sites }
    }

    /// The site a user or an evaluators' file refers to (see [`lookup`]).
    pub fn find(&self, reference: &str) -> Lookup<'_, Site> {
        lookup(reference, &self.sites, |s| Some(s.key()), |s| &s.name)
    }

    /// The key of the site a file names at `line:column`; a name that matches no site, or
    /// several, is reported there.
    pub(crate) fn key_named(
        &self,
        reference: &str,
        line: usize,
        column: usize,
        diags: &mut Diagnostics,
    ) -> Option<SiteKey> {
        match self.find(reference) {
            Lookup::Found(site) => Some(site.key()),
            Lookup::Missing => {
                diags.at(
                    line,
                    Some(column),
                    format!("site `{reference}` is not in the sites file; name it by a URL, host or name listed there"),
                );
                None
            }
            Lookup::Ambiguous(sites) => {
                let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
                diags.at(
                    line,
                    Some(column),
                    format!(
                        "site `{reference}` could be any of {}; give more of the name, or the URL",
                        names.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// Every category used, in order of first appearance, for one table each.
    pub fn categories(&self) -> Vec<Category> {
        let mut out: Vec<Category> = Vec::new();
        for site in &self.sites {
            for c in &site.categories {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
        }
        out
    }
}

/// Cuts a `#` comment: at the start of a line or after whitespace, so a URL with a
/// `#fragment` is not cut in the middle.
fn strip_comment(line: &str) -> &str {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            return &line[..i];
        }
        prev_space = c.is_whitespace();
    }
    line
}

const FORMAT: &str = "expected `<url> <category>[,<category>…] <name>`";

fn parse_line(content: &str, line_no: usize, diags: &mut Diagnostics) -> Option<Site> {
    let mut fields = content.split_whitespace();
    let url_text = fields.next()?;
    let url = parse_url(url_text, line_no, diags);
    let categories_text = fields.next();
    let name = fields.collect::<Vec<_>>().join(" ");

    let Some(categories_text) = categories_text else {
        diags.at(
            line_no,
            None,
            format!("missing category and name; {FORMAT}"),
        );
        return None;
    };
    if name.is_empty() {
        // One word after the URL: a name without a category reads as Chinese text, a
        // category without a name as an ASCII id.
        let message = if categories_text.is_ascii() {
            format!("missing the site's name after the category `{categories_text}`; {FORMAT}")
        } else {
            format!("missing the category before the name `{categories_text}`; {FORMAT}")
        };
        diags.at(line_no, None, message);
        return None;
    }
    let mut categories: Vec<Category> = Vec::new();
    let mut ok = true;
    for id in categories_text.split(',') {
        if id.is_empty() {
            diags.at(
                line_no,
                None,
                format!("empty category in `{categories_text}`; separate categories with single commas and no spaces"),
            );
            ok = false;
        } else if categories.iter().any(|c| c.id() == id) {
            diags.at(line_no, None, format!("category `{id}` is listed twice"));
            ok = false;
        } else {
            categories.push(Category::new(id));
        }
    }
    let url = url?;
    ok.then_some(Site {
        url,
        categories,
        name,
        line: line_no,
    })
}

/// Whether a domain name (as the URL parser wrote it: lower case, IDNs in punycode) is one
/// DNS could hold: labels of letters, digits and inner hyphens, none empty, at most 63
/// characters each and 253 in all (RFC 1035 and 1123). One trailing dot is allowed.
fn check_host_name(host: &str) -> Result<(), String> {
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.len() > 253 {
        return Err(format!(
            "the host name is {} characters long; at most 253 are possible",
            name.len()
        ));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Err(format!(
                "the host name `{host}` has an empty part between dots"
            ));
        }
        if label.len() > 63 {
            return Err(format!(
                "the host name `{host}` has a part longer than 63 characters"
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            let hint = match c {
                '_' => " (a port is written after a colon: `host:8080`)",
                _ => "",
            };
            return Err(format!("`{c}` cannot be part of a host name{hint}"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "the host name `{host}` has a part that starts or ends with `-`"
            ));
        }
    }
    Ok(())
}

fn parse_url(text: &str, line_no: usize, diags: &mut Diagnostics) -> Option<Url> {
    let mut url = match Url::parse(text) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            diags.at(
                line_no,
                None,
                format!("`{text}` is not an absolute URL; write it with its scheme, e.g. `https://{text}`"),
            );
            return None;
        }
        Err(err) => {
            diags.at(line_no, None, format!("`{text}` is not a valid URL: {err}"));
            return None;
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        diags.at(
            line_no,
            None,
            format!(
                "`{text}` uses the scheme `{}`; only http and https sites can be evaluated",
                url.scheme()
            ),
        );
        return None;
    }
    if url.host_str().is_none_or(str::is_empty) {
        diags.at(line_no, None, format!("`{text}` has no host name"));
        return None;
    }
    if let Some(url::Host::Domain(host)) = url.host()
        && let Err(why) = check_host_name(host)
    {
        diags.at(line_no, None, format!("`{text}`: {why}"));
        return None;
    }
    if !url.username().is_empty() || url.password().is_some() {
        diags.at(
            line_no,
            None,
            format!("`{text}` carries a user name or password; list the public homepage address"),
        );
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match SiteList::parse(text, "sites.txt") {
            Ok(list) => panic!("expected errors, parsed {list:?}"),
            Err(err) => err.diagnostics().iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn parses_sites_comments_and_categories() {
        let text = "# the capitals\n\
                    https://www.chengdu.gov.cn/ provincial-capital,sub-provincial 成都市  # both lists\n\
                    \n\
                    http://www.pidu.gov.cn district 郫都区\n\
                    http://127.0.0.1:8081/ prefecture Test City\n";
        let list = SiteList::parse(text, "sites.txt").unwrap();
        assert_eq!(list.sites.len(), 3);
        let chengdu = &list.sites[0];
        assert_eq!(chengdu.name, "成都市");
        assert_eq!(chengdu.line, 2);
        assert_eq!(chengdu.categories[0].display_name(), "省会城市");
        assert_eq!(chengdu.categories[1].display_name(), "副省级城市");
        assert_eq!(list.sites[1].categories[0].display_name(), "区县");
        // Unknown category ids are accepted and shown as written; names may have spaces.
        assert_eq!(list.sites[2].categories[0].display_name(), "prefecture");
        assert_eq!(list.sites[2].name, "Test City");
        let ids: Vec<_> = list
            .categories()
            .iter()
            .map(|c| c.id().to_owned())
            .collect();
        assert_eq!(
            ids,
            [
                "provincial-capital",
                "sub-provincial",
                "district",
                "prefecture"
            ]
        );
    }

    #[test]
    fn a_fragment_is_not_a_comment() {
        let list = SiteList::parse("https://a.gov.cn/#top district 甲区\n", "s").unwrap();
        assert_eq!(list.sites[0].url.as_str(), "https://a.gov.cn/");
        assert_eq!(list.sites[0].name, "甲区");
    }

    #[test]
    fn rejects_urls_that_are_not_absolute_http() {
        let e = errors("www.chengdu.gov.cn district 成都\n");
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("sites.txt:1: `www.chengdu.gov.cn` is not an absolute URL"),
            "{e:?}"
        );
        let e = errors("ftp://a.gov.cn district 甲\n\nmailto:x@a.gov.cn district 乙\n");
        assert!(
            e[0].starts_with("sites.txt:1:") && e[0].contains("scheme `ftp`"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("sites.txt:3:") && e[1].contains("scheme `mailto`"),
            "{e:?}"
        );
        let e = errors("http://[::1 district 甲\n");
        assert!(e[0].contains("not a valid URL"), "{e:?}");
        let e = errors("https://user:pw@a.gov.cn/ district 甲\n");
        assert!(e[0].contains("user name or password"), "{e:?}");
    }

    #[test]
    fn rejects_missing_category_or_name() {
        let e = errors("https://a.gov.cn\nhttps://b.gov.cn district\nhttps://c.gov.cn 丙区\n");
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("sites.txt:1: missing category and name"));
        assert!(e[1].starts_with("sites.txt:2: missing the site's name"));
        assert!(e[2].starts_with("sites.txt:3: missing the category"));
        let e = errors(
            "https://a.gov.cn district,,sub-provincial 甲\nhttps://b.gov.cn district,district 乙\n",
        );
        assert!(e[0].starts_with("sites.txt:1: empty category"), "{e:?}");
        assert!(
            e[1].starts_with("sites.txt:2: category `district` is listed twice"),
            "{e:?}"
        );
    }

    #[test]
    fn rejects_the_same_site_twice() {
        let text = "https://www.chengdu.gov.cn/ provincial-capital 成都市\n\
                    http://chengdu.gov.cn sub-provincial 成都\n\
                    https://CHENGDU.gov.cn./index.html district 又一个\n\
                    http://127.0.0.1:8081/ district 甲\n\
                    http://127.0.0.1:8082/ district 乙\n\
                    http://127.0.0.1:8081 district 丙\n";
        let e = errors(text);
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].starts_with(
                "sites.txt:2: `http://chengdu.gov.cn/` is the same site as line 1 (chengdu.gov.cn)"
            ),
            "{e:?}"
        );
        assert!(e[1].starts_with("sites.txt:3:"), "{e:?}");
        assert!(
            e[2].starts_with("sites.txt:6:") && e[2].contains("line 4 (127.0.0.1:8081)"),
            "{e:?}"
        );
    }

    #[test]
    fn reports_every_bad_line_and_an_empty_list() {
        let e = errors("bad district 甲\nhttps://ok.gov.cn district 乙\nalso-bad\n");
        assert!(e[0].starts_with("sites.txt:1:"), "{e:?}");
        assert!(e.iter().any(|m| m.starts_with("sites.txt:3:")), "{e:?}");
        assert!(!e.iter().any(|m| m.starts_with("sites.txt:2:")), "{e:?}");
        let e = errors("# nothing here\n\n");
        assert!(e[0].contains("no sites listed"), "{e:?}");
    }

    #[test]
    fn hosts_that_dns_could_not_hold_are_refused() {
        let e = errors(
            "http://.../ district 甲\nhttp://x.gov.cn_8080/ district 乙\nhttp://a..gov.cn/ district 丙\nhttp://-a.gov.cn/ district 丁\nhttp://x.gov.cn.:8080/ district 戊\n",
        );
        assert_eq!(e.len(), 4, "{e:#?}");
        assert!(
            e[0].starts_with("sites.txt:1:") && e[0].contains("empty part"),
            "{e:#?}"
        );
        assert!(
            e[1].starts_with("sites.txt:2:") && e[1].contains("`_` cannot be part of a host name"),
            "{e:#?}"
        );
        assert!(e[2].starts_with("sites.txt:3:"), "{e:#?}");
        assert!(
            e[3].starts_with("sites.txt:4:") && e[3].contains("`-`"),
            "{e:#?}"
        );
    }

    #[test]
    fn finds_sites_by_url_host_or_name() {
        let list = SiteList::parse(
            "https://www.chengdu.gov.cn/ provincial-capital 成都市\nhttp://127.0.0.1:9000/ district 甲区\n",
            "s",
        )
        .unwrap();
        let find = |r: &str| list.find(r).found();
        assert_eq!(find("http://chengdu.gov.cn/x").unwrap().name, "成都市");
        assert_eq!(find("www.chengdu.gov.cn").unwrap().name, "成都市");
        assert_eq!(find("成都市").unwrap().line, 1);
        assert_eq!(find("127.0.0.1:9000").unwrap().name, "甲区");
        assert!(find("127.0.0.1:9001").is_none());
        assert!(find("www.xa.gov.cn").is_none());
    }

    #[test]
    fn a_part_of_one_name_finds_its_site_and_of_several_names_none() {
        let list = SiteList::parse(
            "http://www.sf.gov.cn/ district 示范市人民政府
http://www.xl.gov.cn/ district 西岭市
http://www.xlq.gov.cn/ district 西岭区
",
            "s",
        )
        .unwrap();
        assert_eq!(list.find("示范市").found().unwrap().name, "示范市人民政府");
        assert_eq!(
            list.find("人民政府").found().unwrap().name,
            "示范市人民政府"
        );
        assert_eq!(list.find("西岭市").found().unwrap().name, "西岭市");
        let Lookup::Ambiguous(both) = list.find("西岭") else {
            panic!("西岭 is two sites")
        };
        let names: Vec<&str> = both.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["西岭市", "西岭区"]);
        assert_eq!(list.find("东江"), Lookup::Missing);
        assert_eq!(list.find("  "), Lookup::Missing);
    }
}
