//! The real government pages of `tests/fixtures/realworld/` (see its PROVENANCE.md) read by
//! the extractor: each must yield exactly the identifiers a careful evaluator finds in it,
//! and the same page re-encoded as GBK with only a `<meta charset>` must yield the same facts.

use std::path::Path;

use chrono::NaiveDate;
use govscore::charset::decode_html;
use govscore::extract::facts::{Jiucuo, PageFacts, Zone};
use govscore::extract::{ExtractConfig, page_facts};
use url::Url;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/realworld")
            .join(name),
    )
    .unwrap()
}

fn facts_of(bytes: &[u8], url: &str) -> PageFacts {
    let url = Url::parse(url).unwrap();
    let decoded = decode_html(bytes, Some("text/html"), url.host_str());
    page_facts(&decoded.text, &url, &ExtractConfig::default())
}

fn read(name: &str, url: &str) -> PageFacts {
    facts_of(&fixture(name), url)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn guangzhou() {
    let f = read(
        "gz-gov-article.html",
        "https://www.gz.gov.cn/ysgz/xwdt/ysdt/content/post_9360641.html",
    );
    assert_eq!(
        f.meta.get("siteidcode").map(String::as_str),
        Some("4401000004")
    );
    assert_eq!(f.marks.site_code.as_deref(), Some("4401000004"));
    assert_eq!(f.marks.icp.as_deref(), Some("粤ICP备2022092331号-1"));
    assert_eq!(
        f.marks.police.as_deref(),
        Some("粤公网安备 44010602000929号")
    );
    assert!(f.marks.conac);
    assert_eq!(
        f.marks.jiucuo,
        Some(Jiucuo::Widget {
            sitecode: Some("4401000004".into())
        })
    );
    assert!(f.meta.contains_key("viewport"));
    assert_eq!(f.pub_date, date(2023, 12, 5));
    let nav: Vec<&str> = f
        .links
        .iter()
        .filter(|l| l.zone == Zone::Nav)
        .map(|l| l.text.as_str())
        .collect();
    for column in [
        "政务公开",
        "政务服务",
        "互动交流",
        "新闻发布会",
        "网站地图",
        "英文版",
        "微信",
        "关怀版",
    ] {
        assert!(
            f.links.iter().any(|l| l.text == column),
            "{column} not among links; nav: {nav:?}"
        );
    }
}

#[test]
fn sichuan() {
    let f = read(
        "sc-gov-article.html",
        "https://www.sc.gov.cn/10462/index.html",
    );
    assert_eq!(
        f.meta.get("siteidcode").map(String::as_str),
        Some("5100000062")
    );
    assert_eq!(f.marks.site_code.as_deref(), Some("5100000062"));
    assert_eq!(f.marks.icp.as_deref(), Some("蜀ICP备 13001288号"));
    assert_eq!(
        f.marks.police.as_deref(),
        Some("川公网安备 51010402000507号")
    );
    assert!(f.marks.conac);
    match &f.marks.jiucuo {
        Some(Jiucuo::Link { url }) => assert!(
            url.contains("/exposure/jiucuo.html?site_code=5100000062"),
            "{url}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(f.pub_date, date(2022, 10, 14));
}

#[test]
fn shanxi() {
    let f = read(
        "shanxi-gov-article.html",
        "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_1.shtml",
    );
    assert_eq!(
        f.meta.get("siteidcode").map(String::as_str),
        Some("1400000045")
    );
    assert_eq!(f.marks.site_code.as_deref(), Some("1400000045"));
    assert_eq!(f.marks.icp.as_deref(), Some("晋ICP备12000773号"));
    assert_eq!(
        f.marks.police.as_deref(),
        Some("晋公网安备 14010502050691号")
    );
    assert!(f.marks.conac);
    assert_eq!(
        f.marks.jiucuo,
        Some(Jiucuo::Widget {
            sitecode: Some("1400000045".into())
        })
    );
    assert_eq!(f.pub_date, date(2019, 9, 18));
}

#[test]
fn zhejiang_fgw_has_an_empty_meta_code_and_a_footer_code() {
    let f = read(
        "zj-fgw-article.html",
        "http://fzggw.zj.gov.cn/art/2019/1/1/art_1.html",
    );
    assert_eq!(f.meta.get("siteidcode").map(String::as_str), Some(""));
    assert_eq!(f.marks.site_code.as_deref(), Some("3300000020"));
    assert_eq!(f.marks.icp.as_deref(), Some("浙ICP备05018911号"));
    assert_eq!(
        f.marks.police.as_deref(),
        Some("浙公网安备 33010602009328号")
    );
    // The 找错 entry is commented out, and the one link left is hidden and points at an IP
    // address: the page offers none.
    assert_eq!(f.marks.jiucuo, None);
}

#[test]
fn gov_cn_uses_the_department_code_form() {
    let f = read(
        "gov-cn-document.html",
        "https://www.gov.cn/zhengce/content/2019-01/01/content_1.htm",
    );
    assert_eq!(f.marks.site_code.as_deref(), Some("bm01000001"));
    assert_eq!(f.marks.icp.as_deref(), Some("京ICP备05070218号"));
    assert_eq!(
        f.marks.police.as_deref(),
        Some("京公网安备11010202000001号")
    );
    assert!(f.marks.conac);
    match &f.marks.jiucuo {
        Some(Jiucuo::Text { url }) => assert_eq!(url, "https://www.gov.cn/fuwu/jiucuopage.html"),
        other => panic!("{other:?}"),
    }
}

/// The same page in GBK, declared only by `<meta charset>`, reads the same.
#[test]
fn gbk_copies_yield_the_same_facts() {
    let declared =
        regex::Regex::new(r#"(?i)<meta[^>]*charset\s*=\s*["']?utf-8["']?[^>]*>"#).unwrap();
    for (name, url) in [
        ("gz-gov-article.html", "https://www.gz.gov.cn/a.html"),
        ("sc-gov-article.html", "https://www.sc.gov.cn/a.html"),
        ("shanxi-gov-article.html", "http://www.shanxi.gov.cn/a.html"),
        ("zj-fgw-article.html", "http://fzggw.zj.gov.cn/a.html"),
        ("gov-cn-document.html", "https://www.gov.cn/a.html"),
    ] {
        let utf8 = String::from_utf8(fixture(name)).unwrap();
        let original = facts_of(utf8.as_bytes(), url);
        let gbk_text = declared.replace_all(&utf8, r#"<meta charset="gbk">"#);
        let gbk_text = if gbk_text.contains(r#"<meta charset="gbk">"#) {
            gbk_text.into_owned()
        } else {
            utf8.replacen("<head>", r#"<head><meta charset="gbk">"#, 1)
        };
        // Characters GBK cannot hold become numeric character references, which HTML reads
        // back as the same characters.
        let (bytes, _, _) = encoding_rs::GBK.encode(&gbk_text);
        let reencoded = facts_of(&bytes, url);
        let a = serde_json::to_value(&original).unwrap();
        let b = serde_json::to_value(&reencoded).unwrap();
        assert_eq!(a, b, "{name}");
    }
}

/// The identifiers an evaluator quotes, as each page writes them: the conac mark's id from its
/// link, and the 主办单位 of the footer.
#[test]
fn the_conac_id_and_the_sponsor_are_read_as_written() {
    for (name, url, conac, sponsor) in [
        (
            "gz-gov-article.html",
            "https://www.gz.gov.cn/a.html",
            Some("17C0E2483D0F4652E053022819ACBE93"),
            Some("广州市人民政府办公厅"),
        ),
        (
            "sc-gov-article.html",
            "https://www.sc.gov.cn/a.html",
            Some("0B69D405429E0E7AE053012819AC9DDD"),
            Some("四川省人民政府办公厅"),
        ),
        (
            "shanxi-gov-article.html",
            "http://www.shanxi.gov.cn/a.html",
            Some("09EC618E4FB304A9E053012819AC9B09"),
            Some("山西省人民政府办公厅"),
        ),
        (
            "gov-cn-document.html",
            "https://www.gov.cn/a.html",
            Some("081D1D6883441A53E053012819AC0DAA"),
            Some("国务院办公厅"),
        ),
        (
            "zj-fgw-article.html",
            "http://fzggw.zj.gov.cn/a.html",
            Some("6E7CB5B74E9C6470E053022E1AAC62CE"),
            None,
        ),
    ] {
        let f = read(name, url);
        assert_eq!(f.marks.conac_id.as_deref(), conac, "{name}");
        assert_eq!(f.marks.sponsor.as_deref(), sponsor, "{name}");
    }
}

/// None of the real pages shows a sign of tampering: the links they hide are the 找错 service
/// and the like, which the indicator file trusts; the scripts they load from other hosts are
/// statistics, sharing and 找错 ones, trusted too; no visible link to another site carries a
/// spam word.
#[test]
fn real_pages_show_no_sign_of_tampering() {
    let set = govscore::input::IndicatorSet::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators.yaml"),
    )
    .unwrap();
    let config = ExtractConfig::for_method(&set);
    let untrusted = |url: &str| {
        !Url::parse(url)
            .unwrap()
            .host_str()
            .is_some_and(|h| set.severe.trusts(h))
    };
    let mut trusted_hidden = 0;
    let mut trusted_scripts = 0;
    for (name, url) in [
        ("gz-gov-article.html", "https://www.gz.gov.cn/zwgk/a.html"),
        ("sc-gov-article.html", "https://www.sc.gov.cn/10462/a.shtml"),
        (
            "shanxi-gov-article.html",
            "http://www.shanxi.gov.cn/a.shtml",
        ),
        ("zj-fgw-article.html", "https://fzggw.zj.gov.cn/art/a.html"),
        ("gov-cn-document.html", "https://www.gov.cn/zhengce/a.htm"),
    ] {
        let url = Url::parse(url).unwrap();
        let decoded = decode_html(&fixture(name), Some("text/html"), url.host_str());
        let facts = page_facts(&decoded.text, &url, &config);
        let hidden: Vec<_> = facts
            .hidden_links
            .iter()
            .filter(|l| untrusted(&l.url))
            .collect();
        assert!(hidden.is_empty(), "{name}: {hidden:#?}");
        trusted_hidden += facts.hidden_links.len();
        let scripts: Vec<_> = facts.scripts.iter().filter(|s| untrusted(&s.url)).collect();
        assert!(scripts.is_empty(), "{name}: {scripts:#?}");
        trusted_scripts += facts.scripts.len();
        assert!(
            facts.spam_links.is_empty(),
            "{name}: {:#?}",
            facts.spam_links
        );
    }
    // The pages do hide 找错 links and load such scripts: the test sees them, and trusts them.
    assert!(trusted_hidden > 0 && trusted_scripts >= 3);
}
