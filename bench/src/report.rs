//! One printed row per measurement.

#[derive(Clone)]
pub struct Row {
    pub scenario: String,
    pub params: String,
    pub figure: String,
    pub floor: String,
    pub ratio: String,
    pub cpu: String,
    pub rss: String,
    pub check: String,
}

impl Row {
    pub fn new(scenario: &str, params: String) -> Self {
        Self {
            scenario: scenario.to_owned(),
            params,
            figure: "—".to_owned(),
            floor: "—".to_owned(),
            ratio: "—".to_owned(),
            cpu: "—".to_owned(),
            rss: "—".to_owned(),
            check: "—".to_owned(),
        }
    }

    /// Printed as soon as it is measured, so a long run shows progress (and keeps what it got if cut off).
    pub fn print(&self) {
        println!("{}", self.markdown());
    }

    pub fn markdown(&self) -> String {
        format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            self.scenario,
            self.params,
            self.figure,
            self.floor,
            self.ratio,
            self.cpu,
            self.rss,
            self.check
        )
    }
}

pub const HEADER: &str = "| scenario | parameters | figure | floor | ratio | server CPU | server RSS | delivery check |\n| --- | --- | --- | --- | --- | --- | --- | --- |";

/// `x / floor` as `3.2×` when both are known.
pub fn ratio(figure: Option<f64>, floor: Option<f64>) -> String {
    match (figure, floor) {
        (Some(f), Some(b)) if b > 0.0 && f / b < 0.1 => format!("{:.3}×", f / b),
        (Some(f), Some(b)) if b > 0.0 => format!("{:.1}×", f / b),
        _ => "—".to_owned(),
    }
}

pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}
