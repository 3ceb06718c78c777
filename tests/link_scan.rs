//! Two readers of the token stream held to the document a browser builds, on every HTML page
//! of the real sites in `../shared/realsites/` and the real pages of `tests/fixtures/`:
//!
//! - the crawler's link scan, which reads links without building the document
//!   (`extract::links`): the same links as the document queried for
//!   `a[href], area[href], frame[src], iframe[src]`, in the same order, with the same text;
//! - the score stage's bounded parse (`extract::parse`), which drops nesting deeper than a
//!   browser's and hands the tree builder each run of text as one token: node for node the
//!   tree html5ever builds by itself, in the same order.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use govscore::charset::decode_html;
use govscore::extract::{anchor_text, links, parse::parse_document};
use scraper::Selector;
use url::Url;

/// The links of a page as the full parse shows them: the reference the scan is held to.
fn links_of_document(html: &str, page: &Url) -> Vec<(String, String, &'static str)> {
    let all = Selector::parse("a[href], area[href], frame[src], iframe[src], base[href]").unwrap();
    let doc = parse_document(html).doc;
    let mut base = page.clone();
    let mut base_seen = false;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for el in doc.select(&all) {
        let name = el.value().name();
        if name == "base" {
            // The first `<base href>` is the document's base, as the page's facts take it.
            if !base_seen && let Some(href) = el.value().attr("href") {
                base_seen = true;
                if let Ok(b) = page.join(href.trim()) {
                    base = b;
                }
            }
            continue;
        }
        let (attr, tag) = match name {
            "a" => ("href", "a"),
            "area" => ("href", "area"),
            "frame" => ("src", "frame"),
            _ => ("src", "iframe"),
        };
        let Some(url) = el
            .value()
            .attr(attr)
            .and_then(|h| govscore::urls::normalize(&base, h))
        else {
            continue;
        };
        if !seen.insert(url.to_string()) {
            continue;
        }
        out.push((url.to_string(), anchor_text(el), tag));
    }
    out
}

/// Where the bounded parse's tree first differs from html5ever's own, node by node in the
/// order they were made (each with its parent), if it does.
fn tree_difference(html: &str) -> Option<String> {
    let ours = parse_document(html);
    let theirs = scraper::Html::parse_document(html);
    if ours.cut_tags > 0 {
        return Some(format!("{} tags cut", ours.cut_tags));
    }
    let node =
        |n: ego_tree::NodeRef<'_, scraper::Node>| (n.value().clone(), n.parent().map(|p| p.id()));
    let (a, b): (Vec<_>, Vec<_>) = (
        ours.doc.tree.nodes().map(node).collect(),
        theirs.tree.nodes().map(node).collect(),
    );
    if a == b {
        return None;
    }
    let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    Some(format!(
        "the trees differ at node {at} of {} (bounded parse) and {} (html5ever): {:?} against {:?}",
        a.len(),
        b.len(),
        a.get(at).map(|(n, p)| (n, p)),
        b.get(at).map(|(n, p)| (n, p)),
    ))
}

fn scanned(html: &str, page: &Url) -> Vec<(String, String, &'static str)> {
    links(html, page)
        .into_iter()
        .map(|l| (l.url.to_string(), l.text, l.tag))
        .collect()
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "html" | "htm" | "shtml" | "jsp" | "asp" | "aspx" | "php"
            )
        }) {
            out.push(path);
        }
    }
}

/// Compares the scan with the document on every page under `root`; returns the pages and
/// links compared, and each difference.
fn compare(root: &Path) -> (usize, usize, Vec<String>) {
    let mut files = Vec::new();
    html_files(root, &mut files);
    let mut links_seen = 0;
    let mut differences = Vec::new();
    for file in &files {
        let body = std::fs::read(file).unwrap();
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let page = Url::parse("http://www.example.gov.cn/")
            .unwrap()
            .join(&rel)
            .unwrap();
        let html = decode_html(&body, None, page.host_str()).text;
        if let Some(difference) = tree_difference(&html) {
            differences.push(format!("{}: {difference}", file.display()));
        }
        let want = links_of_document(&html, &page);
        let got = scanned(&html, &page);
        links_seen += want.len();
        if want != got {
            let first = want
                .iter()
                .zip(&got)
                .find(|(w, g)| w != g)
                .map(|(w, g)| format!("document {w:?}, scan {g:?}"))
                .unwrap_or_else(|| {
                    format!(
                        "{} links in the document, {} scanned",
                        want.len(),
                        got.len()
                    )
                });
            differences.push(format!("{}: {first}", file.display()));
        }
    }
    (files.len(), links_seen, differences)
}

#[test]
fn the_scan_finds_what_the_document_holds_on_the_real_sites() {
    let Some(dir) = common::realsites() else {
        return;
    };
    let (pages, links, differences) = compare(&dir);
    eprintln!(
        "{pages} pages, {links} links compared, {} differ",
        differences.len()
    );
    assert!(pages > 1_000, "{pages} pages");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn the_scan_finds_what_the_document_holds_on_the_real_pages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (pages, links, differences) = compare(&root);
    eprintln!("{pages} pages, {links} links compared");
    assert!(pages >= 5 && links > 500, "{pages} pages, {links} links");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// Pages as they are written in the wild, closed and not: each must scan as it parses.
#[test]
fn the_scan_follows_the_parser_on_unclosed_and_odd_markup() {
    let page = Url::parse("http://www.a.gov.cn/dir/index.html").unwrap();
    let cases = [
        // An unclosed link in a list item ends with the item.
        "<ul><li><a href=1.html>一<li><a href=2.html>二</ul>",
        "<ul><li><a href=1.html>一<span>[2026-11-01]</span><li>二</ul>",
        // A nested list does not close the item the link sits in.
        "<ul><li><a href=1.html>一<ul><li>内</ul>外</a></ul>",
        // Definitions and cells.
        "<dl><dt><a href=1.html>题<dd>说明</dl>",
        "<table><tr><td><a href=1.html>格<td>旁<tr><td><a href=2.html>下</table>",
        // A paragraph closed by a block.
        "<p><a href=1.html>段<div>块</div>",
        "<div><a href=1.html>外<div>内</div>尾</a></div>",
        // The next link closes the previous one.
        "<a href=1.html>一<a href=2.html>二</a>",
        // Scripts, styles, noscript and textareas hold text, not links.
        "<script>document.write('<a href=no.html>no</a>')</script><a href=1.html>是</a>",
        "<script src=x.js /><a href=no.html>no</a></script><a href=1.html>是</a>",
        "<noscript><a href=no.html>no</a></noscript><textarea><a href=no.html></textarea>",
        "<style>a{}</style><title><a href=no.html></title><a href=1.html>是</a>",
        // An iframe's fallback text is its text; frames take their title.
        "<body><iframe src=f.html>不支持框架</iframe>",
        // An iframe inside a link: the link's text runs on through the iframe's and after it.
        "<a href=x.html>前<iframe src=f.html>框架</iframe>后<img alt=图></a><a href=y.html title=标题><iframe src=g.html></iframe></a>",
        "<html><frameset><frame src=g.html title=导航><frame src=h.html></frameset></html>",
        // Text, else title, else an image's alt; entities decoded; whitespace collapsed.
        "<a href=1.html title=' '><img src=x.png><img alt='图&amp;片'></a><a href=2.html title=标题> </a>",
        "<a href='3.html'>&nbsp;通知\n\u{3000}公告&lt;</a><area href=4.html title=区>",
        // A base applies to the links after it; fragments and javascript are no links.
        "<a href=1.html>前</a><base href=/sub/><a href=1.html>后</a><a href=#top>顶</a><a href='javascript:;'>空</a>",
        // The first base is the document's; a second one changes nothing.
        "<head><base href=/one/><base href=/two/></head><body><a href=x.html>x</a>",
        // Stray end tags are ignored.
        "<div><a href=1.html>一</span>二</b></a></div>",
        "<a href=1.html>一</div>二</a>",
    ];
    for html in cases {
        assert_eq!(
            scanned(html, &page),
            links_of_document(html, &page),
            "{html}"
        );
    }
}
