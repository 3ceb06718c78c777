//! The two languages govscore writes for people in. The evaluators who read the reports are
//! Chinese, so Chinese is the default; English serves everyone else. Every note scoring
//! writes (evidence, veto reasons, why a site was not reached) is a [`Text`] carrying both
//! languages, so one `results.json` can be read in either: `explain`, `diff` and the reports
//! pick the language when they print, never when they score. Names the indicator file gives
//! (indicators, checks, vetoes, categories) and names the crawl read (sites, link texts) are
//! never translated: they are the same in both.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

/// A language of the reports and of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文: the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Every language by the name a user types, the default first.
    pub const ALL: [(&'static str, Lang); 2] = [("zh", Lang::Zh), ("en", Lang::En)];

    /// The names a user may type.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|(n, _)| *n)
    }

    /// One of two words or phrases, by language: for prose that has no figures in it.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, l)| *l)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::names().collect();
                format!("`{s}` is not a language; use one of: {}", names.join(", "))
            })
    }
}

/// A line for people, written in both languages. In `results.json` it is an object
/// `{"zh": …, "en": …}`; a plain string (the notes of files written before notes were
/// bilingual, which were English) reads as that string in both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    /// The Chinese line.
    pub zh: String,
    /// The English line.
    pub en: String,
}

impl Text {
    /// A line from its two versions.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A line that reads the same in both languages: a name, a quoted text, a user's note.
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            zh: text.clone(),
            en: text,
        }
    }

    /// The line in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Appends `more` to both versions.
    pub fn push(&mut self, more: &Text) {
        self.zh.push_str(&more.zh);
        self.en.push_str(&more.en);
    }

    /// The lines joined, each language with its own separator (Chinese `；`, English `; `).
    pub fn join<'a>(parts: impl IntoIterator<Item = &'a Text>, zh: &str, en: &str) -> Text {
        let mut out = Text::default();
        for (n, part) in parts.into_iter().enumerate() {
            if n > 0 {
                out.zh.push_str(zh);
                out.en.push_str(en);
            }
            out.push(part);
        }
        out
    }

    /// Whether both versions are empty.
    pub fn is_empty(&self) -> bool {
        self.zh.is_empty() && self.en.is_empty()
    }
}

impl fmt::Display for Text {
    /// The Chinese line: what a report shows by default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Plain(String),
            Both { zh: String, en: String },
        }
        Ok(match Either::deserialize(d)? {
            Either::Plain(s) => Text::same(s),
            Either::Both { zh, en } => Text { zh, en },
        })
    }
}

/// A [`Text`] from two format strings, Chinese first, with the same arguments (inline
/// `{name}` captures, or arguments after the strings that both use).
#[macro_export]
macro_rules! tr {
    ($zh:literal, $en:literal $(,)?) => {
        $crate::lang::Text { zh: format!($zh), en: format!($en) }
    };
    ($zh:literal, $en:literal, $($arg:tt)+) => {
        $crate::lang::Text { zh: format!($zh, $($arg)+), en: format!($en, $($arg)+) }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_read_as_both_languages_and_objects_round_trip() {
        let old: Text = serde_json::from_str("\"3 of 4 pages\"").unwrap();
        assert_eq!(old, Text::same("3 of 4 pages"));
        let t = tr!("共{}页", "{} pages", 4);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"zh":"共4页","en":"4 pages"}"#);
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), t);
        assert_eq!(t.get(Lang::En), "4 pages");
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().unwrap_err().contains("zh, en"));
    }
}
