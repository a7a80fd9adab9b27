//! Builds the web client (`frontend/`) into the binary, so `cargo run -p api` brings up the whole product on
//! a fresh machine with Rust and Node.
//!
//! Everything is written under `OUT_DIR`: a copy of the client's sources with its own `node_modules`
//! (`npm ci`, again only when `package-lock.json` changes), the `vite build` output, and `web_client.rs`,
//! which lists the built files for `include_bytes!` (see `src/routes/spa.rs`). The source tree is only read.
//!
//! Never fails the Rust build: without npm, or when the web build fails, it prints a warning and embeds no
//! client; the server then shows a page at `/` that says how to get one. `CHORUS_SKIP_WEB_BUILD=1` skips it
//! (Rust-only work, and CI jobs that build the client themselves).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What the built client depends on (relative to `frontend/`); copied as they are.
const INPUTS: [&str; 9] = [
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "tsconfig.app.json",
    "tsconfig.node.json",
];

fn main() {
    println!("cargo:rerun-if-env-changed=CHORUS_SKIP_WEB_BUILD");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let web = manifest.join("..").join("frontend");
    let dist = out.join("web-dist");
    let files = if !web.join("package.json").is_file() {
        Vec::new()
    } else {
        for input in INPUTS {
            println!("cargo:rerun-if-changed={}", web.join(input).display());
        }
        if std::env::var("CHORUS_SKIP_WEB_BUILD").is_ok_and(|v| v == "1" || v == "true") {
            Vec::new()
        } else {
            match build(&web, &out.join("web"), &dist) {
                Ok(files) => files,
                Err(why) => {
                    println!("cargo:warning=web client not built: {why}");
                    println!(
                        "cargo:warning=the server runs without it; the next build tries again (install Node.js 20+ and npm, or set CHORUS_SKIP_WEB_BUILD=1)"
                    );
                    // A path that never exists makes Cargo run this script at every build until it succeeds.
                    println!(
                        "cargo:rerun-if-changed={}",
                        out.join("web-client-retry").display()
                    );
                    Vec::new()
                }
            }
        }
    };
    let generated = out.join("web_client.rs");
    std::fs::write(&generated, listing(&dist, &files))
        .unwrap_or_else(|e| panic!("writing {}: {e}", generated.display()));
}

/// Copies the sources to `work`, installs the packages there when the lock file changed, builds into
/// `dist`, and returns the built files.
fn build(web: &Path, work: &Path, dist: &Path) -> Result<Vec<PathBuf>, String> {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    match Command::new(npm).arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => return Err("npm was not found (install Node.js 20 or newer)".into()),
    }
    std::fs::create_dir_all(work).map_err(|e| format!("creating {}: {e}", work.display()))?;
    for input in INPUTS {
        let (from, to) = (web.join(input), work.join(input));
        remove(&to)?;
        if from.exists() {
            copy(&from, &to)?;
        }
    }

    let lock = std::fs::read(work.join("package-lock.json")).ok();
    let installed_lock = work.join("node_modules").join(".chorus-installed-lock");
    let installed = std::fs::read(&installed_lock).ok();
    if lock.is_none() || installed != lock {
        let args: &[&str] = if lock.is_some() {
            &["ci", "--no-audit", "--no-fund", "--prefer-offline"]
        } else {
            &["install", "--no-audit", "--no-fund"]
        };
        run(work, npm, args)?;
        if let Some(lock) = &lock {
            std::fs::write(&installed_lock, lock)
                .map_err(|e| format!("writing {}: {e}", installed_lock.display()))?;
        }
    }
    // The generated GraphQL code is committed, so the build needs no codegen.
    let out_dir = format!("--outDir={}", dist.display());
    run(
        work,
        npm,
        &["run", "build:only", "--", &out_dir, "--emptyOutDir"],
    )?;
    let mut files = Vec::new();
    walk(dist, &mut files).map_err(|e| format!("reading {}: {e}", dist.display()))?;
    if !files.iter().any(|f| f == &dist.join("index.html")) {
        return Err(format!("{} has no index.html", dist.display()));
    }
    files.sort();
    Ok(files)
}

/// `web_client.rs`: one `Asset` per built file, with its URL path, an ETag and the bytes.
fn listing(dist: &Path, files: &[PathBuf]) -> String {
    let mut code = String::from("&[\n");
    for file in files {
        let bytes =
            std::fs::read(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let relative = file.strip_prefix(dist).expect("under dist");
        let url = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let _ = writeln!(
            code,
            "    Asset {{ path: {:?}, etag: \"\\\"{:016x}\\\"\", bytes: include_bytes!({:?}) }},",
            format!("/{url}"),
            fnv1a(&bytes),
            file.display().to_string(),
        );
    }
    code.push(']');
    code
}

/// A content hash for ETags (stable, no dependency needed).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        // Browsers are never downloaded by a build (the e2e tests use the system's Chromium).
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        // Keep npm's chatter off stdout, which cargo reads for instructions.
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .map_err(|e| format!("running {program} {}: {e}", args.join(" ")))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn remove(path: &Path) -> Result<(), String> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(_) => return Ok(()),
    };
    result.map_err(|e| format!("removing {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("copying {} to {}: {e}", from.display(), to.display());
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(fail)?;
        for entry in std::fs::read_dir(from).map_err(fail)? {
            let entry = entry.map_err(fail)?;
            copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ()).map_err(fail)
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
