//! What the kernel says about a server process: resident memory and CPU time, read from `/proc` so the api
//! and the floor server are measured the same way, whatever they report about themselves.

use std::time::Instant;

use anyhow::{Context, Result};

fn status_kib(pid: u32, field: &str) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/{pid}/status"))
}

/// Resident memory now, KiB.
pub fn rss_kib(pid: u32) -> Result<u64> {
    status_kib(pid, "VmRSS:")
}

/// Highest resident memory since the process started, KiB (each scenario starts a fresh process, so this is
/// the scenario's peak without sampling).
pub fn peak_rss_kib(pid: u32) -> Result<u64> {
    status_kib(pid, "VmHWM:")
}

/// User + system CPU time in clock ticks (fields 14 and 15 of `/proc/<pid>/stat`, counted after the
/// parenthesised command name, which may itself contain spaces).
fn cpu_ticks(pid: u32) -> Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("malformed /proc/<pid>/stat")?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // `after_name` starts at field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    let utime: u64 = fields.get(11).context("no utime")?.parse()?;
    let stime: u64 = fields.get(12).context("no stime")?.parse()?;
    Ok(utime + stime)
}

fn ticks_per_second() -> f64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .map(|t| t as f64)
        .unwrap_or(100.0)
}

/// CPU used by a process over a measured window.
pub struct CpuMeter {
    pid: u32,
    ticks: u64,
    started: Instant,
}

impl CpuMeter {
    pub fn start(pid: u32) -> Result<Self> {
        Ok(Self {
            pid,
            ticks: cpu_ticks(pid)?,
            started: Instant::now(),
        })
    }

    /// Share of one core used since `start`, in percent (200 % = both cores of this machine).
    pub fn percent(&self) -> Result<f64> {
        let used = cpu_ticks(self.pid)?.saturating_sub(self.ticks) as f64 / ticks_per_second();
        let wall = self.started.elapsed().as_secs_f64().max(1e-6);
        Ok(100.0 * used / wall)
    }
}

/// Raises this process's open-files soft limit to its hard limit (and the hard limit itself when allowed):
/// thousands of client sockets need it, and the api and floor processes inherit it.
pub fn raise_open_files_limit(wanted: u64) -> Result<u64> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft >= wanted {
        return Ok(soft);
    }
    // Root may raise the hard limit; anyone else gets as far as the hard limit allows.
    if hard < wanted && setrlimit(Resource::RLIMIT_NOFILE, wanted, wanted).is_ok() {
        return Ok(wanted);
    }
    let target = wanted.min(hard);
    setrlimit(Resource::RLIMIT_NOFILE, target, hard)?;
    Ok(target)
}
