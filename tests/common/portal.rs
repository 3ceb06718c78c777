//! The library's generated portal (`govscore::demo::portal`) served by the test server.

#![allow(dead_code)]

#[allow(unused_imports)]
pub use govscore::demo::portal::{EXTERNAL_HOSTS, Spec, as_of};

use super::Reply;

pub const HOST: &str = "www.example-city.gov.cn";

/// The routes of the portal, for [`super::Server::start_with`].
pub fn routes(port: u16, spec: &Spec) -> Vec<(String, Reply)> {
    govscore::demo::portal::routes(port, spec)
        .into_iter()
        .map(|(path, page)| (path, Reply::bytes(200, &page.content_type, page.body)))
        .collect()
}

/// The `--resolve` arguments that serve the portal and its external hosts from `port`.
pub fn resolve_args(port: u16) -> Vec<String> {
    hosts()
        .iter()
        .map(|h| format!("{h}:{port}:127.0.0.1"))
        .collect()
}

pub fn site_line(port: u16, name: &str, categories: &str, spec: &Spec) -> String {
    format!("{} {categories} {name}", spec.url(port))
}

/// Every host name the portal's certificate must cover.
pub fn hosts() -> Vec<&'static str> {
    std::iter::once(HOST).chain(EXTERNAL_HOSTS).collect()
}
