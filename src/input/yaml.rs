//! The YAML input files (`indicators.yaml`, `cases.yaml`) read into a tree of nodes that keep
//! their line and column, and the small set of typed accessors the loaders use on it.
//!
//! serde-saphyr parses the YAML; deserialising straight into typed structs would stop at the
//! first wrong type or unknown key, while evaluators editing a weight want every problem of
//! the file at once. So the file is first read into [`Node`]s (any well-formed YAML succeeds),
//! and the loaders then walk the tree, collecting a [`Diagnostics`] entry for each unknown key,
//! missing key or wrong type, each with its `line:col`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::diagnostic::Diagnostics;

/// Where a node starts in its file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Loc {
    pub line: usize,
    pub column: usize,
}

/// A YAML value with its location.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order, duplicates kept so that they can be reported.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// How the node reads to a person, for "expected a number, found text" messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    fn wrong_type(&self, diags: &mut Diagnostics, what: &str, expected: &str) {
        diags.at(
            self.loc.line,
            Some(self.loc.column),
            format!("{what} must be {expected}, found {}", self.kind()),
        );
    }

    /// Text, or a diagnostic. Numbers are not silently turned into text: an id written as
    /// `2019` is almost always a mistake for a quoted `'2019'`, and saying so is cheaper than
    /// a confusing mismatch later.
    pub fn str(&self, diags: &mut Diagnostics, what: &str) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => {
                self.wrong_type(diags, what, "text");
                None
            }
        }
    }

    /// A number (integer or decimal), or a diagnostic.
    pub fn number(&self, diags: &mut Diagnostics, what: &str) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) if f.is_finite() => Some(f),
            _ => {
                self.wrong_type(diags, what, "a number");
                None
            }
        }
    }

    /// A whole number (`14`, not `14.5`), or a diagnostic.
    pub fn integer(&self, diags: &mut Diagnostics, what: &str) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => {
                self.wrong_type(diags, what, "a whole number");
                None
            }
        }
    }

    pub fn bool(&self, diags: &mut Diagnostics, what: &str) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(diags, what, "true or false");
                None
            }
        }
    }

    pub fn seq(&self, diags: &mut Diagnostics, what: &str) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => {
                self.wrong_type(diags, what, "a list");
                None
            }
        }
    }

    /// A list of text items; items of another type are reported and skipped.
    pub fn str_list<'n>(
        &'n self,
        diags: &mut Diagnostics,
        what: &str,
    ) -> Option<Vec<(&'n str, Loc)>> {
        let items = self.seq(diags, what)?;
        Some(
            items
                .iter()
                .filter_map(|n| {
                    n.str(diags, &format!("each item of {what}"))
                        .map(|s| (s, n.loc))
                })
                .collect(),
        )
    }

    /// Opens a mapping for keyed access; `allowed` lists the keys it may have, and every other
    /// key is reported at once (with a suggestion when it looks like a misspelling).
    pub fn map<'n>(
        &'n self,
        diags: &mut Diagnostics,
        what: &str,
        allowed: &[&str],
    ) -> Option<MapReader<'n>> {
        let Value::Map(entries) = &self.value else {
            self.wrong_type(diags, what, "a mapping of keys to values");
            return None;
        };
        let mut kept: Vec<(&'n str, &'n Node, &'n Node)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                diags.at(
                    key.loc.line,
                    Some(key.loc.column),
                    format!("keys of {what} must be text, found {}", key.kind()),
                );
                continue;
            };
            if let Some((_, first, _)) = kept.iter().find(|(k, _, _)| k == name) {
                diags.at(
                    key.loc.line,
                    Some(key.loc.column),
                    format!(
                        "key `{name}` appears twice in {what} (first at line {})",
                        first.loc.line
                    ),
                );
                continue;
            }
            if !allowed.contains(&name.as_str()) {
                let hint = match closest(name, allowed) {
                    Some(near) => format!("; did you mean `{near}`?"),
                    None => format!("; allowed keys: {}", allowed.join(", ")),
                };
                diags.at(
                    key.loc.line,
                    Some(key.loc.column),
                    format!("unknown key `{name}` in {what}{hint}"),
                );
                continue;
            }
            kept.push((name, key, value));
        }
        Some(MapReader {
            node: self,
            entries: kept,
            what: what.to_owned(),
        })
    }
}

/// Keyed access to a mapping whose unknown and duplicate keys have already been reported.
pub struct MapReader<'n> {
    node: &'n Node,
    entries: Vec<(&'n str, &'n Node, &'n Node)>,
    what: String,
}

impl<'n> MapReader<'n> {
    pub fn loc(&self) -> Loc {
        self.node.loc
    }

    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }

    /// The value of a key that must be present; a missing key is reported at the mapping.
    pub fn required(&self, key: &str, diags: &mut Diagnostics) -> Option<&'n Node> {
        let found = self.get(key);
        if found.is_none() {
            diags.at(
                self.node.loc.line,
                Some(self.node.loc.column),
                format!("{} is missing the key `{key}`", self.what),
            );
        }
        found
    }

    pub fn req_str(&self, key: &str, diags: &mut Diagnostics) -> Option<&'n str> {
        self.required(key, diags)?.str(diags, &format!("`{key}`"))
    }

    pub fn opt_str(&self, key: &str, diags: &mut Diagnostics) -> Option<&'n str> {
        self.get(key)?.str(diags, &format!("`{key}`"))
    }

    pub fn opt_bool(&self, key: &str, diags: &mut Diagnostics) -> Option<bool> {
        self.get(key)?.bool(diags, &format!("`{key}`"))
    }

    /// A number that must be above zero (thresholds, points, caps); reported at the value.
    pub fn positive(&self, key: &str, required: bool, diags: &mut Diagnostics) -> Option<f64> {
        let node = if required {
            self.required(key, diags)?
        } else {
            self.get(key)?
        };
        let v = node.number(diags, &format!("`{key}`"))?;
        if v <= 0.0 {
            diags.at(
                node.loc.line,
                Some(node.loc.column),
                format!("`{key}` must be greater than zero, found {v}"),
            );
            return None;
        }
        Some(v)
    }

    /// A whole number that must be at least 1 (days, counts); reported at the value.
    pub fn positive_int(&self, key: &str, required: bool, diags: &mut Diagnostics) -> Option<u32> {
        let node = if required {
            self.required(key, diags)?
        } else {
            self.get(key)?
        };
        let v = node.integer(diags, &format!("`{key}`"))?;
        match u32::try_from(v) {
            Ok(v) if v >= 1 => Some(v),
            _ => {
                diags.at(
                    node.loc.line,
                    Some(node.loc.column),
                    format!("`{key}` must be a whole number of at least 1, found {v}"),
                );
                None
            }
        }
    }
}

/// The allowed key nearest to a misspelt one, if it is near enough to be a likely typo.
pub(crate) fn closest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(name, a), *a))
        .filter(|(d, a)| *d <= (a.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Edits between two words, a swap of neighbours counting as one (optimal string
/// alignment): `titel` is one edit from `title`, as a typist would see it.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Parses YAML text into a node tree. A syntax error is reported as one diagnostic at its
/// position; the caller then has nothing to walk and stops.
pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Node> {
    match parse_optional(text, diags) {
        Ok(Some(node)) => Some(node),
        Ok(None) => {
            diags.at(1, Some(1), "the file is empty");
            None
        }
        Err(()) => None,
    }
}

/// Like [`parse`], for files where no content is a valid answer (a cases file with every
/// case commented out): `Ok(None)` for an empty document, `Err` after reporting a syntax error.
#[allow(clippy::result_unit_err)]
pub fn parse_optional(text: &str, diags: &mut Diagnostics) -> Result<Option<Node>, ()> {
    let mut options = serde_saphyr::Options::default();
    // Duplicate keys reach our visitor so they are reported with the rest, not as a lone
    // parse failure that hides every other problem.
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    match serde_saphyr::from_str_with_options::<Option<Node>>(text, options) {
        Ok(node) => Ok(node),
        Err(err) => {
            let loc = err.location();
            let (line, col) = loc
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((1, 1));
            diags.at(
                line,
                Some(col),
                format!("invalid YAML: {}", plain_message(&err)),
            );
            Err(())
        }
    }
}

/// serde-saphyr's message without its own "at line X column Y" suffix, since our
/// diagnostics carry the position in front.
fn plain_message(err: &serde_saphyr::Error) -> String {
    let full = err.to_string();
    let first = full.lines().next().unwrap_or_default().trim();
    match first.rfind(" at line ") {
        Some(cut) => first[..cut].trim_end_matches(',').to_owned(),
        None => first.to_owned(),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        Ok(Node {
            value: spanned.value,
            loc: Loc {
                line: spanned.referenced.line() as usize,
                column: spanned.referenced.column() as usize,
            },
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        let mut d = Diagnostics::new("t.yaml");
        let node = parse(text, &mut d).expect("parses");
        assert!(d.is_empty(), "{:?}", d.into_sorted());
        node
    }

    #[test]
    fn keeps_locations_of_nested_values() {
        let node = parse_ok("a: 1\nb:\n  - x\n  - {c: 2.5}\n");
        let Value::Map(entries) = &node.value else {
            panic!()
        };
        assert_eq!(entries[0].0.loc, Loc { line: 1, column: 1 });
        assert_eq!(entries[0].1.loc, Loc { line: 1, column: 4 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(items[0].loc.line, 3);
        assert!(matches!(items[1].value, Value::Map(_)));
        assert_eq!(items[1].loc.line, 4);
    }

    #[test]
    fn reports_unknown_duplicate_and_misspelt_keys() {
        let node = parse_ok("id: a\nid: b\npoitns: 3\nzzz: 1\n");
        let mut d = Diagnostics::new("t.yaml");
        let m = node.map(&mut d, "a check", &["id", "points"]).unwrap();
        assert_eq!(m.get("id").unwrap().str(&mut d, "id"), Some("a"));
        let msgs: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(
            msgs[0].starts_with("t.yaml:2:1: key `id` appears twice"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].contains("3:1: unknown key `poitns`")
                && msgs[1].contains("did you mean `points`")
        );
        assert!(
            msgs[2].contains("4:1: unknown key `zzz`")
                && msgs[2].contains("allowed keys: id, points")
        );
    }

    #[test]
    fn wrong_types_and_missing_keys_are_reported_where_they_are() {
        let node = parse_ok("points: many\ndays: 2.5\n");
        let mut d = Diagnostics::new("t.yaml");
        let m = node
            .map(&mut d, "a check", &["points", "days", "id"])
            .unwrap();
        let number = m
            .required("points", &mut d)
            .unwrap()
            .number(&mut d, "`points`");
        assert_eq!(number, None);
        let integer = m.get("days").unwrap().integer(&mut d, "`days`");
        assert_eq!(integer, None);
        assert_eq!(m.req_str("id", &mut d), None);
        let msgs: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(msgs[0], "t.yaml:1:1: a check is missing the key `id`");
        assert_eq!(msgs[1], "t.yaml:1:9: `points` must be a number, found text");
        assert_eq!(
            msgs[2],
            "t.yaml:2:7: `days` must be a whole number, found a number"
        );
    }

    #[test]
    fn syntax_errors_and_empty_files_have_a_position() {
        let mut d = Diagnostics::new("t.yaml");
        assert!(parse("a: [1, 2\nb: 3\n", &mut d).is_none());
        let msgs = d.into_sorted();
        assert_eq!(msgs.len(), 1);
        assert!(msgs[0].message.starts_with("invalid YAML"), "{}", msgs[0]);
        assert!(msgs[0].line >= 1);

        let mut d = Diagnostics::new("t.yaml");
        assert!(parse("# only a comment\n", &mut d).is_none());
        assert_eq!(
            d.into_sorted()[0].to_string(),
            "t.yaml:1:1: the file is empty"
        );
    }

    #[test]
    fn positive_thresholds() {
        let node = parse_ok("a: 0\nb: -2\nc: 3\n");
        let mut d = Diagnostics::new("t.yaml");
        let m = node.map(&mut d, "x", &["a", "b", "c"]).unwrap();
        assert_eq!(m.positive("a", true, &mut d), None);
        assert_eq!(m.positive_int("b", true, &mut d), None);
        assert_eq!(m.positive_int("c", true, &mut d), Some(3));
        let msgs = d.into_sorted();
        assert_eq!(msgs.len(), 2);
        assert_eq!(
            msgs[0].to_string(),
            "t.yaml:1:4: `a` must be greater than zero, found 0"
        );
        assert!(
            msgs[1]
                .to_string()
                .starts_with("t.yaml:2:4: `b` must be a whole number of at least 1")
        );
    }
}
