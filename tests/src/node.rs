//! Clients written by others, run with Node.js from `frontend/` (whose `node_modules` holds them, pinned in
//! its lock file): the GraphQL over HTTP audit suite and the reference graphql-sse client.

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

/// How long one script may run.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(90);

fn frontend() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend")
}

/// Runs `node frontend/<script> <args>`; fails the test (with how to fix it) when Node.js or the packages
/// are missing, and prints what the script printed.
pub async fn run(script: &str, args: &[&str]) -> Output {
    let dir = frontend();
    for package in ["graphql-http", "graphql-sse"] {
        assert!(
            dir.join("node_modules").join(package).is_dir(),
            "frontend/node_modules/{package} is missing: run `npm ci` in frontend/ (scripts/test and .ci/run do)"
        );
    }
    let child = tokio::process::Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(SCRIPT_TIMEOUT, child)
        .await
        .unwrap_or_else(|_| panic!("node {script} ran longer than {SCRIPT_TIMEOUT:?}"))
        .unwrap_or_else(|e| panic!("running node (Node.js 20+ is needed): {e}"));
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    output
}
