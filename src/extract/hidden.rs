//! Content a reader is not shown, and how it was hidden: what the hidden-link (暗链) detector
//! sees. A site whose CMS or lapsed domain was taken over carries blocks of links to
//! unrelated commercial sites, hidden so that readers do not notice them and search engines
//! do: by an inline style (`display:none`, `visibility:hidden`, a zero font, a 1-pixel box
//! with its overflow hidden, a position far off screen, zero opacity), by the `hidden`
//! attribute, in a 1-pixel `<marquee>`, or by a class or id that a `<style>` block of the same
//! page hides. Only the page itself is read: external style sheets are not fetched.

use std::collections::HashMap;
use std::fmt;

use html5ever::local_name;
use scraper::{ElementRef, Html};
use serde::{Deserialize, Serialize};

/// How an element was hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concealment {
    /// `display: none`.
    DisplayNone,
    /// `visibility: hidden`.
    VisibilityHidden,
    /// The `hidden` attribute.
    HiddenAttribute,
    /// A font size of a pixel or less.
    TinyFont,
    /// A box a pixel or less high or wide whose overflow is hidden.
    TinyBox,
    /// Placed far off screen (`left`/`top`/`margin` or `text-indent` of -500px or more).
    OffScreen,
    /// `opacity: 0`.
    Transparent,
    /// A `<marquee>` a pixel or less high or wide.
    TinyMarquee,
    /// A rule of the page's own `<style>` block: the selector that hides it.
    StyleRule(String),
}

impl fmt::Display for Concealment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Concealment::DisplayNone => f.write_str("display:none"),
            Concealment::VisibilityHidden => f.write_str("visibility:hidden"),
            Concealment::HiddenAttribute => f.write_str("hidden attribute"),
            Concealment::TinyFont => f.write_str("font-size ≤ 1px"),
            Concealment::TinyBox => f.write_str("1px box, overflow hidden"),
            Concealment::OffScreen => f.write_str("off screen"),
            Concealment::Transparent => f.write_str("opacity:0"),
            Concealment::TinyMarquee => f.write_str("1px marquee"),
            Concealment::StyleRule(selector) => write!(f, "<style> {selector}"),
        }
    }
}

/// A length in pixels as CSS writes it (`0`, `1px`, `-999px`, `0.5em`, `0pt`); `None` for
/// anything else (percentages, `auto`, …). Em and pt are taken at 16px and 4/3px.
fn px(value: &str) -> Option<f64> {
    let v = value.trim();
    let unit = |u: &str| {
        v.len() > u.len()
            && v.is_char_boundary(v.len() - u.len())
            && v[v.len() - u.len()..].eq_ignore_ascii_case(u)
    };
    let (number, factor) = if unit("rem") {
        (&v[..v.len() - 3], 16.0)
    } else if unit("px") {
        (&v[..v.len() - 2], 1.0)
    } else if unit("em") {
        (&v[..v.len() - 2], 16.0)
    } else if unit("pt") {
        (&v[..v.len() - 2], 4.0 / 3.0)
    } else {
        (v, 1.0)
    };
    let n: f64 = number.trim().parse().ok()?;
    // A bare number is only a length when it is 0.
    if number.len() == v.len() && n != 0.0 {
        return None;
    }
    Some(n * factor)
}

/// The properties [`hiding_declarations`] reads.
enum Prop {
    Display,
    Visibility,
    FontSize,
    Side,
    Overflow,
    Offset,
    Opacity,
}

/// Whether a declaration block (an inline `style`, or a rule's body) hides its element. It
/// runs on every inline style of every page, so it reads the declarations in place, without
/// allocating.
pub fn hiding_declarations(style: &str) -> Option<Concealment> {
    let (mut none, mut invisible, mut tiny_font, mut tiny_side) = (false, false, false, false);
    let (mut overflow_hidden, mut far, mut transparent) = (false, false, false);
    // Split with `memchr`: `str::split`'s searcher cost more to set up for each
    // declaration of an inline style than the few dozen bytes it read.
    let bytes = style.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b';', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let decl = start..end;
        start = end + 1;
        let Some(colon) = memchr::memchr(b':', &bytes[decl.clone()]) else {
            continue;
        };
        // Both cuts are at ASCII bytes, so on character boundaries.
        let (name, value) = (
            &style[decl.start..decl.start + colon],
            &style[decl.start + colon + 1..decl.end],
        );
        let name = name.trim();
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        // Which of the properties read here it is, before its value is looked at: most
        // declarations (colours, fonts, margins) are none of them, and are told apart by
        // their length and first letter before any name is compared.
        let first = name.as_bytes().first().map_or(0, |b| b | 0x20);
        let property = match (name.len(), first) {
            (7, b'd') if is("display") => Prop::Display,
            (10, b'v') if is("visibility") => Prop::Visibility,
            (9, b'f') if is("font-size") => Prop::FontSize,
            (6, b'h') if is("height") => Prop::Side,
            (5, b'w') if is("width") => Prop::Side,
            (8, b'o') if is("overflow") => Prop::Overflow,
            (4, b'l') if is("left") => Prop::Offset,
            (3, b't') if is("top") => Prop::Offset,
            (11, b'm') if is("margin-left") => Prop::Offset,
            (10, b'm') if is("margin-top") => Prop::Offset,
            (11, b't') if is("text-indent") => Prop::Offset,
            (7, b'o') if is("opacity") => Prop::Opacity,
            _ => continue,
        };
        let value = value.trim();
        let value = value
            .strip_suffix("!important")
            .map_or(value, str::trim_end);
        match property {
            Prop::Display => none = value.eq_ignore_ascii_case("none"),
            Prop::Visibility => invisible = value.eq_ignore_ascii_case("hidden"),
            Prop::FontSize => tiny_font = px(value).is_some_and(|n| n <= 1.0),
            Prop::Side => tiny_side |= px(value).is_some_and(|n| n <= 1.0),
            Prop::Overflow => overflow_hidden = value.eq_ignore_ascii_case("hidden"),
            Prop::Offset => far |= px(value).is_some_and(|n| n <= -500.0),
            Prop::Opacity => transparent = value.parse::<f64>() == Ok(0.0),
        }
    }
    if none {
        Some(Concealment::DisplayNone)
    } else if invisible {
        Some(Concealment::VisibilityHidden)
    } else if tiny_font {
        Some(Concealment::TinyFont)
    } else if tiny_side && overflow_hidden {
        Some(Concealment::TinyBox)
    } else if far {
        Some(Concealment::OffScreen)
    } else if transparent {
        Some(Concealment::Transparent)
    } else {
        None
    }
}

/// The classes and ids that the page's own `<style>` blocks hide, each with its selector.
/// Only rules whose selector is one compound naming a class or an id (`.ad`, `#links`,
/// `div.hide`) count: a rule for descendants (`.nav ul`) is how menus fold, not how links
/// are hidden for good, and a rule for a whole tag would hide every one of them.
#[derive(Debug, Default)]
pub struct StyleRules {
    classes: HashMap<String, String>,
    ids: HashMap<String, String>,
}

impl StyleRules {
    /// The hiding rules of every `<style>` element of `doc` (see
    /// [`super::elements_named`]), the first rule for a class or id winning.
    pub fn of(doc: &Html) -> Self {
        let mut rules = Self::default();
        for style in super::elements_named(doc, &local_name!("style")) {
            let css: String = style.text().collect();
            rules.add(&css);
        }
        rules
    }

    fn add(&mut self, css: &str) {
        let css = strip_comments(css);
        // Braces found with `memchr` (a portal's sheet runs to a thousand rules); each cut
        // is at an ASCII byte, so on a character boundary.
        let mut start = 0;
        while start < css.len() {
            let end =
                memchr::memchr(b'}', &css.as_bytes()[start..]).map_or(css.len(), |i| start + i);
            let rule = &css[start..end];
            start = end + 1;
            let Some(open) = memchr::memchr(b'{', rule.as_bytes()) else {
                continue;
            };
            let (selectors, body) = (&rule[..open], &rule[open + 1..]);
            // A rule inside `@media … {` (its text holds a second brace) is skipped: what a
            // page hides in print or on a small screen, it shows on the screen evaluated.
            if selectors.trim_start().starts_with('@')
                || memchr::memchr(b'{', body.as_bytes()).is_some()
            {
                continue;
            }
            // One compound naming a class or an id; the selectors are looked at before the
            // declarations, since most rules of a stylesheet are for descendants.
            let simple = || {
                selectors.split(',').map(str::trim).filter(|selector| {
                    !selector.is_empty()
                        && !selector.starts_with('@')
                        && !selector.bytes().any(|b| {
                            b.is_ascii_whitespace()
                                || matches!(b, b'\x0b' | b'>' | b'+' | b'~' | b':' | b'[' | b'*')
                        })
                        && (selector.is_ascii() || !selector.contains(char::is_whitespace))
                        && selector.contains(['.', '#'])
                })
            };
            if simple().next().is_none() || hiding_declarations(body).is_none() {
                continue;
            }
            for selector in simple() {
                // `div.a.b#c`: each class and the id hide the element when it has them all;
                // taking the last one is enough to find candidates, and `hides` checks all.
                if let Some(i) = selector.rfind(['.', '#']) {
                    let name = selector[i + 1..].to_owned();
                    let map = if selector.as_bytes()[i] == b'.' {
                        &mut self.classes
                    } else {
                        &mut self.ids
                    };
                    map.entry(name).or_insert_with(|| selector.to_owned());
                }
            }
        }
    }

    /// The rule that hides `el`, if one does; `id` and `class` are its attributes, read
    /// by the caller's one pass over them.
    fn hides(
        &self,
        el: ElementRef<'_>,
        id: Option<&str>,
        class: Option<&str>,
    ) -> Option<Concealment> {
        let matches = |selector: &str| compound_matches(selector, el);
        if let Some(s) = id.and_then(|id| self.ids.get(id))
            && matches(s)
        {
            return Some(Concealment::StyleRule(s.clone()));
        }
        if self.classes.is_empty() {
            return None;
        }
        // The attribute split as is: `classes()` would build and keep a list for every
        // element of the page.
        class
            .into_iter()
            .flat_map(str::split_ascii_whitespace)
            .filter_map(|c| self.classes.get(c))
            .find(|s| matches(s))
            .map(|s| Concealment::StyleRule(s.clone()))
    }
}

/// The style sheet without its comments; a sheet without any is not copied. A page's
/// `<style>` blocks run to tens of kilobytes: the comment marks are found with `memmem`.
fn strip_comments(css: &str) -> std::borrow::Cow<'_, str> {
    let open = |s: &str| memchr::memmem::find(s.as_bytes(), b"/*");
    if open(css).is_none() {
        return css.into();
    }
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = open(rest) {
        out.push_str(&rest[..start]);
        rest = memchr::memmem::find(&rest.as_bytes()[start + 2..], b"*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out.into()
}

/// Whether one compound selector (`div.a.b#c`) matches `el`.
fn compound_matches(selector: &str, el: ElementRef<'_>) -> bool {
    let v = el.value();
    // The tag, if any, comes before the first `.` or `#`.
    let first_end = selector.find(['.', '#']).unwrap_or(selector.len());
    let tag = &selector[..first_end];
    if !tag.is_empty() && !tag.eq_ignore_ascii_case(v.name()) {
        return false;
    }
    let mut rest = &selector[first_end..];
    while !rest.is_empty() {
        let kind = rest.as_bytes()[0];
        let body = &rest[1..];
        let end = body.find(['.', '#']).unwrap_or(body.len());
        let name = &body[..end];
        let ok = match kind {
            b'.' => v
                .attr("class")
                .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == name)),
            _ => v.id() == Some(name),
        };
        if !ok {
            return false;
        }
        rest = &body[end..];
    }
    true
}

/// How `el` itself is hidden — its inline style, its `hidden` attribute, a 1-pixel
/// `<marquee>`, or a rule of the page's `<style>` — not counting its ancestors.
pub fn concealment(el: ElementRef<'_>, rules: &StyleRules) -> Option<Concealment> {
    let v = el.value();
    // One pass over the attributes, their names compared as atoms: this runs on every
    // element of every page.
    let (mut style, mut id, mut class) = (None, None, None);
    for (name, value) in v.attrs.iter() {
        match name.local {
            local_name!("hidden") => return Some(Concealment::HiddenAttribute),
            local_name!("style") => style = Some(&**value),
            local_name!("id") => id = Some(&**value),
            local_name!("class") => class = Some(&**value),
            _ => {}
        }
    }
    if let Some(how) = style.and_then(hiding_declarations) {
        return Some(how);
    }
    if v.name.local == local_name!("marquee") {
        // HTML's `height` and `width` attributes count pixels without a unit.
        let tiny = |a: &str| {
            v.attr(a)
                .and_then(|x| x.trim().trim_end_matches("px").parse::<f64>().ok())
                .is_some_and(|n| n <= 1.0)
        };
        if tiny("height") || tiny("width") {
            return Some(Concealment::TinyMarquee);
        }
    }
    rules.hides(el, id, class)
}

/// A CSS path to `el` an evaluator can paste into a browser's console:
/// `html > body > div:nth-of-type(3)`, shortened at the nearest ancestor with an id
/// (`div#links > a:nth-of-type(2)`).
pub fn css_path(el: ElementRef<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(el);
    while let Some(e) = current {
        let name = e.value().name();
        if let Some(id) = e.value().id().filter(|id| is_plain_ident(id)) {
            parts.push(format!("{name}#{id}"));
            break;
        }
        let siblings_before = e
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .filter(|s| s.value().name() == name)
            .count();
        let siblings_after = e
            .next_siblings()
            .filter_map(ElementRef::wrap)
            .any(|s| s.value().name() == name);
        if siblings_before == 0 && !siblings_after {
            parts.push(name.to_owned());
        } else {
            parts.push(format!("{name}:nth-of-type({})", siblings_before + 1));
        }
        current = e.parent().and_then(ElementRef::wrap);
    }
    parts.reverse();
    parts.join(" > ")
}

/// An id a selector can name with `#` as it is.
fn is_plain_ident(id: &str) -> bool {
    id.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `<frameset>` takes the `<body>` out of the document; the style it held had applied,
    /// and still counts, as the selector engine read it.
    #[test]
    fn a_style_a_frameset_cut_out_still_counts() {
        let doc = Html::parse_document(
            "<body><style>.f{display:none}</style><frameset><frame class=f src=a.html></frameset>",
        );
        let rules = StyleRules::of(&doc);
        assert_eq!(rules.classes.get("f").map(String::as_str), Some(".f"));
    }

    fn first<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
        doc.select(&scraper::Selector::parse(css).unwrap())
            .next()
            .unwrap()
    }

    #[test]
    fn inline_styles_that_hide() {
        for (style, how) in [
            ("display:none", Concealment::DisplayNone),
            ("DISPLAY : None !important", Concealment::DisplayNone),
            ("visibility:hidden", Concealment::VisibilityHidden),
            ("font-size:0", Concealment::TinyFont),
            ("font-size: 0px; color:#fff", Concealment::TinyFont),
            ("height:1px;overflow:hidden", Concealment::TinyBox),
            ("width:0;overflow:hidden", Concealment::TinyBox),
            ("position:absolute;left:-9999px", Concealment::OffScreen),
            ("text-indent:-999em", Concealment::OffScreen),
            ("opacity:0", Concealment::Transparent),
            ("color:red;;display:none;", Concealment::DisplayNone),
            (
                "background:url(http://x.cn/a.png); VISIBILITY : hidden",
                Concealment::VisibilityHidden,
            ),
            ("; height:0 ;overflow:hidden;", Concealment::TinyBox),
        ] {
            assert_eq!(hiding_declarations(style), Some(how), "{style}");
        }
        for style in [
            "display:block",
            "font-size:12px",
            "height:1px",
            "left:-20px",
            "opacity:0.5",
            "width:100%;overflow:hidden",
        ] {
            assert_eq!(hiding_declarations(style), None, "{style}");
        }
    }

    #[test]
    fn style_blocks_hide_classes_and_ids_not_descendant_menus() {
        let doc = Html::parse_document(
            "<style>/* x */ .yqlj{display:none} #dl { position:absolute; top:-1000px }\
             .nav ul{display:none} @media print { .noprint { display:none } } p{font-size:0}</style>\
             <div class='box yqlj'>a</div><div id='dl'>b</div><div class='nav'><ul>c</ul></div><p>d</p>",
        );
        let rules = StyleRules::of(&doc);
        assert_eq!(
            concealment(first(&doc, "div.yqlj"), &rules),
            Some(Concealment::StyleRule(".yqlj".into()))
        );
        assert_eq!(
            concealment(first(&doc, "#dl"), &rules),
            Some(Concealment::StyleRule("#dl".into()))
        );
        assert_eq!(concealment(first(&doc, ".nav ul"), &rules), None);
        assert!(
            !rules.classes.contains_key("noprint"),
            "print-only rules do not hide"
        );
        assert_eq!(concealment(first(&doc, "p"), &rules), None);
    }

    #[test]
    fn css_paths_stop_at_an_id() {
        let doc = Html::parse_document(
            "<body><div>x</div><div id='main'><p>1</p><p><a href='/'>a</a></p></div></body>",
        );
        assert_eq!(
            css_path(first(&doc, "a")),
            "div#main > p:nth-of-type(2) > a"
        );
        assert_eq!(
            css_path(first(&doc, "div")),
            "html > body > div:nth-of-type(1)"
        );
    }
}
