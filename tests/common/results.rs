//! Reading a site's result out of `results.json`, as every scoring test does.

use serde_json::Value;

/// The ids of the vetoes a site hit, in order.
pub fn veto_ids(site: &Value) -> Vec<String> {
    site["veto"]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|h| h["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every check of a site, in the indicator file's order.
pub fn checks(site: &Value) -> Vec<&Value> {
    site["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["children"].as_array().unwrap())
        .collect()
}

/// One check of a site, by id.
pub fn check<'a>(site: &'a Value, id: &str) -> &'a Value {
    checks(site)
        .into_iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}
