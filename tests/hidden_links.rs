//! The hidden-link (暗链) reader on generated pages: one page per way of hiding a block of
//! links to commercial sites, each found with the element that hides it; and a decoy for each
//! way a real portal hides or shows links innocently, none of them found.

use govscore::extract::ExtractConfig;
use govscore::extract::facts::page_facts;
use govscore::extract::hidden::Concealment;
use url::Url;

const SPAM: &str = "<a href=\"https://www.bocai-example.com/\">澳门娱乐城</a>\
                    <a href=\"https://www.nanke-example.com/\">男科医院</a>";

fn hidden_links(body: &str) -> Vec<(String, String, Concealment)> {
    let url = Url::parse("https://www.example.gov.cn/index.html").unwrap();
    let html =
        format!("<html><head><title>示例市人民政府</title></head><body>{body}</body></html>");
    page_facts(&html, &url, &ExtractConfig::default())
        .hidden_links
        .into_iter()
        .map(|l| (l.url, l.block, l.how))
        .collect()
}

#[test]
fn every_way_of_hiding_a_block_is_seen() {
    for (wrapper, how) in [
        (
            "<div style=\"display:none\">{}</div>",
            Concealment::DisplayNone,
        ),
        (
            "<div style=\"visibility: hidden\">{}</div>",
            Concealment::VisibilityHidden,
        ),
        (
            "<div style=\"font-size:0px\">{}</div>",
            Concealment::TinyFont,
        ),
        (
            "<div style=\"height:1px;overflow:hidden\">{}</div>",
            Concealment::TinyBox,
        ),
        (
            "<div style=\"position:absolute;left:-9999px;top:-9999px\">{}</div>",
            Concealment::OffScreen,
        ),
        (
            "<div style=\"text-indent:-9999px\">{}</div>",
            Concealment::OffScreen,
        ),
        ("<div hidden>{}</div>", Concealment::HiddenAttribute),
        (
            "<marquee height=\"1\" width=\"1\">{}</marquee>",
            Concealment::TinyMarquee,
        ),
        (
            "<style>.yqlj{display:none}</style><div class=\"yqlj\">{}</div>",
            Concealment::StyleRule(".yqlj".into()),
        ),
        (
            "<style>#friend { position: absolute; top: -1000px }</style><p id=\"friend\">{}</p>",
            Concealment::StyleRule("#friend".into()),
        ),
    ] {
        let found = hidden_links(&format!("<p>正文</p>{}", wrapper.replace("{}", SPAM)));
        assert_eq!(found.len(), 2, "{wrapper}: {found:#?}");
        assert_eq!(found[0].0, "https://www.bocai-example.com/");
        assert_eq!(found[0].2, how, "{wrapper}");
        assert_eq!(found[0].1, found[1].1, "one block hides both");
    }
}

#[test]
fn innocent_hidden_or_visible_links_are_not_seen() {
    for decoy in [
        // A visible footer list of links to other sites.
        "<div class=\"footer\"><a href=\"https://www.xinhuanet.com/\">新华网</a><a href=\"https://www.people.com.cn/\">人民网</a></div>",
        // A folded menu, hidden until hovered, linking to the site's own pages.
        "<ul class=\"nav\"><li>信息公开<ul style=\"display:none\"><li><a href=\"/xxgk/\">政府信息公开</a></li><li><a href=\"https://xxgk.example.gov.cn/\">目录</a></li></ul></li></ul>",
        // A slide-out panel linking other government sites.
        "<div style=\"display:none\"><a href=\"https://www.gdzwfw.gov.cn/\">我要办</a></div>",
        // A fallback for readers without scripts: shown, not hidden.
        "<noscript><a href=\"https://www.bocai-example.com/\">澳门娱乐城</a></noscript>",
        // (The 找错 service and a CMS vendor's credit, hidden by every portal that has them,
        // are read here and left out by scoring, from the indicator file's trusted hosts:
        // tests/tampering.rs.)
        // Tiny but not hidden: a 1px box whose overflow shows.
        "<div style=\"height:1px\"><a href=\"https://www.bocai-example.com/\">澳门娱乐城</a></div>",
    ] {
        assert!(
            hidden_links(decoy).is_empty(),
            "{decoy}: {:#?}",
            hidden_links(decoy)
        );
    }
}
