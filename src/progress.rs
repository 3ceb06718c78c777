//! The crawl's progress bar on standard error: sites done of total, pages, errors, pages per
//! second. indicatif hides it when standard error is not a terminal, so logs and CI output
//! stay clean; `-q` hides it everywhere.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use govscore::archive::log::SiteStatus;
use govscore::crawl::Progress;
use govscore::input::Site;
use govscore::text::printable;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct CrawlBar {
    bar: ProgressBar,
    pages: AtomicU64,
    errors: AtomicU64,
    started: Instant,
}

impl CrawlBar {
    pub fn new(quiet: bool) -> Self {
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sites  {msg}",
            )
            .expect("static template"),
        );
        Self {
            bar,
            pages: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    fn refresh(&self) {
        let pages = self.pages.load(Ordering::Relaxed);
        let errors = self.errors.load(Ordering::Relaxed);
        let rate = pages as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        self.bar
            .set_message(format!("{pages} fetches, {errors} errors, {rate:.1}/s"));
    }
}

impl Progress for CrawlBar {
    fn start(&self, total: usize, done: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
        self.bar
            .enable_steady_tick(std::time::Duration::from_millis(250));
    }

    fn page(&self, _bytes: u64, error: bool) {
        self.pages.fetch_add(1, Ordering::Relaxed);
        if error {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        self.refresh();
    }

    fn site_done(&self, site: &Site, status: SiteStatus) {
        self.bar.inc(1);
        if status == SiteStatus::Unreachable {
            self.bar.println(printable(&format!(
                "unreachable: {} {}",
                site.name, site.url
            )));
        }
    }

    fn finish(&self) {
        self.refresh();
        self.bar.finish_and_clear();
    }
}
