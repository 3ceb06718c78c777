//! The generated gov-like portals the crawl benches serve, and the separate process that
//! serves them (so a bench's peak memory is its crawler's own). A page is about 15 KB, with
//! navigation, dated list items linking to other pages and the footer's identifiers. `/`
//! links to the first twenty pages and every page to ten others, so a breadth-first crawl to
//! depth 3 reaches them all.

#![allow(dead_code)] // each bench uses its part

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

/// The bench's arguments, without the `--bench` cargo adds.
pub fn args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect()
}

/// Starts this bench's own binary as the server (`serve PAGES`) and returns it with the
/// port it listens on.
pub fn spawn_server(pages: usize) -> (Child, u16) {
    let mut server = Command::new(std::env::current_exe().unwrap())
        .args(["serve", &pages.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (server, line.trim().parse().unwrap())
}

/// The server's socket on an ephemeral loopback port, the port printed for [`spawn_server`].
pub async fn listen() -> tokio::net::TcpListener {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("{}", listener.local_addr().unwrap().port());
    std::io::stdout().flush().unwrap();
    listener
}

/// `sites` sites under the names `host(i)`, all served by the server on `port`: the site
/// list's text, and the `--resolve` overrides that send each name to 127.0.0.1.
pub fn loopback_sites(
    sites: usize,
    port: u16,
    host: impl Fn(usize) -> String,
) -> (String, Vec<govscore::crawl::guard::NameOverride>) {
    let list = (0..sites)
        .map(|i| format!("http://{}:{port}/ district 第{i}区\n", host(i)))
        .collect();
    let resolve = (0..sites)
        .map(|i| govscore::crawl::guard::NameOverride {
            host: host(i),
            port,
            addr: "127.0.0.1".parse().unwrap(),
        })
        .collect();
    (list, resolve)
}

/// The page number of `path`: `/` is 0, `/p/{n}.html` is n.
pub fn page_number(path: &str) -> Option<usize> {
    if path == "/" {
        return Some(0);
    }
    path.strip_prefix("/p/")
        .and_then(|p| p.strip_suffix(".html"))
        .and_then(|p| p.parse().ok())
}

/// A `/proc/self/status` figure in KiB (`VmRSS:`, `VmHWM:`); 0 where there is none.
pub fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Page `n` of a portal of `pages` pages (`/` is page 0, the others `/p/{n}.html`).
pub fn page(n: usize, pages: usize) -> String {
    let links: Vec<usize> = if n == 0 {
        (1..pages.min(21)).collect()
    } else {
        (0..10)
            .map(|k| (n * 7 + k * 13 + 1) % pages)
            .filter(|&p| p != 0)
            .collect()
    };
    let mut html = String::with_capacity(16 * 1024);
    html.push_str(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>示例区人民政府门户网站</title>",
    );
    html.push_str("<meta name=\"SiteName\" content=\"示例区人民政府\"><meta name=\"SiteIDCode\" content=\"5101000001\"></head><body>");
    html.push_str("<div class=\"nav\"><a href=\"/\">首页</a><a href=\"/p/1.html\">要闻动态</a><a href=\"/p/2.html\">通知公告</a><a href=\"/p/3.html\">政策文件</a><a href=\"/p/4.html\">政务服务</a><a href=\"/p/5.html\">互动交流</a></div><ul>");
    for l in links {
        html.push_str(&format!("<li><a href=\"/p/{l}.html\">关于做好第{l}项重点工作的通知</a><span>[2026-11-{:02}]</span></li>", 1 + l % 28));
    }
    html.push_str("</ul><div class=\"content\">");
    for _ in 0..40 {
        html.push_str("<p>为深入贯彻落实党中央、国务院决策部署，进一步提升政府网站建设管理水平，推进政务公开和政务服务工作，现将有关事项通知如下。</p>");
    }
    html.push_str("</div><div class=\"footer\">主办单位：示例区人民政府办公室 网站标识码：5101000001 蜀ICP备12345678号 川公网安备 51010402000507号</div></body></html>");
    html
}
