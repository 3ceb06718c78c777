//! The one way tests run the `govscore` binary: a command to add arguments to, and its
//! outcome with the exit code and both streams as text. Every run is checked for a panic,
//! which is never an acceptable way for the binary to fail.

use std::path::{Path, PathBuf};

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code; -1 when the process was killed by a signal.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary's path, for tests that spawn and kill it themselves.
pub fn govscore_path() -> PathBuf {
    PathBuf::from(assert_cmd::cargo::cargo_bin!("govscore"))
}

/// The binary as a command, for tests that set its folder, environment or time limit.
pub fn govscore_cmd() -> assert_cmd::Command {
    assert_cmd::Command::new(govscore_path())
}

/// Runs `cmd` to the end and returns what it produced.
pub fn finish(cmd: &mut assert_cmd::Command) -> Outcome {
    let out = cmd.output().expect("the govscore binary runs");
    let outcome = Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !outcome.stderr.contains("panicked"),
        "govscore panicked:\n{}",
        outcome.stderr
    );
    outcome
}

/// `govscore ARGS` in the test's current folder.
pub fn govscore(args: &[&str]) -> Outcome {
    finish(govscore_cmd().args(args))
}

/// `govscore ARGS` in `dir`.
pub fn govscore_in(dir: &Path, args: &[&str]) -> Outcome {
    finish(govscore_cmd().current_dir(dir).args(args))
}
