//! Builds the web client (`frontend/` → `frontend/dist`, served at `/`) when it is missing or older than its
//! sources, so `cargo run -p api` brings up the whole product on a fresh machine with Rust and Node.
//!
//! Never fails the Rust build: without npm, or when the web build fails, it prints a warning and the server
//! shows a page that says how to build the client. `CHORUS_SKIP_WEB_BUILD=1` skips it (CI and the test script
//! build the client themselves).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// What the built client depends on (relative to `frontend/`).
const INPUTS: [&str; 9] = [
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "tsconfig.app.json",
    "dist/index.html",
];

fn main() {
    println!("cargo:rerun-if-env-changed=CHORUS_SKIP_WEB_BUILD");
    let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let web = PathBuf::from(manifest).join("..").join("frontend");
    if !web.join("package.json").is_file() {
        return;
    }
    for input in INPUTS {
        println!("cargo:rerun-if-changed={}", web.join(input).display());
    }
    if std::env::var("CHORUS_SKIP_WEB_BUILD").is_ok_and(|v| v == "1" || v == "true") {
        return;
    }
    let built = modified(&web.join("dist").join("index.html"));
    let sources = INPUTS[..INPUTS.len() - 1]
        .iter()
        .filter_map(|p| newest(&web.join(p)))
        .max();
    if let (Some(built), Some(sources)) = (built, sources)
        && built >= sources
    {
        return;
    }
    if let Err(why) = build(&web) {
        println!("cargo:warning=web client not built: {why}");
        println!(
            "cargo:warning=build it with `npm ci && npm run build` in frontend/ (the server explains this at /)"
        );
    }
}

fn build(web: &Path) -> Result<(), String> {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    match Command::new(npm).arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => return Err("npm was not found (install Node.js 20 or newer)".into()),
    }
    let lock = web.join("package-lock.json");
    let installed = web.join("node_modules").join(".package-lock.json");
    let install_needed = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed < lock,
        _ => true,
    };
    if install_needed {
        let args: &[&str] = if lock.is_file() {
            &["ci", "--no-audit", "--no-fund", "--prefer-offline"]
        } else {
            &["install", "--no-audit", "--no-fund"]
        };
        run(web, npm, args)?;
    }
    // The generated GraphQL code is committed, so the build needs no codegen (and so does not touch src/).
    run(web, npm, &["run", "build:only"])
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        // Keep npm's chatter off stdout, which cargo reads for instructions.
        .stdout(std::process::Stdio::from(std::io::stderr()))
        .status()
        .map_err(|e| format!("running {program} {}: {e}", args.join(" ")))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file, or of any file under a directory.
fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| newest(&entry.path()))
        .max()
}
