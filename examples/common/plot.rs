//! Minimal SVG line, scatter and bar plots, so that the examples can draw a
//! picture without a plotting dependency. Not part of the library: a tensor
//! network crate's users bring their own plotter. Its tests run from
//! `tests/plot.rs`, which includes this file (cargo runs no tests inside
//! examples).
//!
//! ```ignore
//! use common::plot::Plot;
//! let pts: Vec<(f64, f64)> = (0..50).map(|i| (i as f64, (i as f64 / 8.0).sin())).collect();
//! Plot::new("sin").x_label("x").y_label("y").line("sin(x/8)", &pts).write("sin.svg").unwrap();
//! ```

use std::fmt::Write as _;

const W: f64 = 900.0;
const H: f64 = 440.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 330.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 56.0;
const COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

/// How a series is drawn.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Line,
    Markers,
    Bars,
}

/// One named series of points.
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
    style: Style,
}

/// A 2-D plot with optional logarithmic axes, written as an SVG file.
pub struct Plot {
    title: String,
    x_label: String,
    y_label: String,
    log_x: bool,
    log_y: bool,
    series: Vec<Series>,
}

impl Plot {
    /// An empty plot with a title.
    pub fn new(title: &str) -> Self {
        Self {
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            log_x: false,
            log_y: false,
            series: Vec::new(),
        }
    }
    /// Sets the x-axis label.
    pub fn x_label(mut self, s: &str) -> Self {
        self.x_label = s.into();
        self
    }
    /// Sets the y-axis label.
    pub fn y_label(mut self, s: &str) -> Self {
        self.y_label = s.into();
        self
    }
    /// Logarithmic x axis (non-positive points are skipped).
    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }
    /// Logarithmic y axis (non-positive points are skipped).
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }
    fn push(mut self, name: &str, points: &[(f64, f64)], style: Style) -> Self {
        self.series.push(Series {
            name: name.into(),
            points: points.to_vec(),
            style,
        });
        self
    }
    /// Adds a series drawn as a polyline.
    pub fn line(self, name: &str, points: impl AsRef<[(f64, f64)]>) -> Self {
        self.push(name, points.as_ref(), Style::Line)
    }
    /// Adds a series drawn as markers.
    pub fn scatter(self, name: &str, points: impl AsRef<[(f64, f64)]>) -> Self {
        self.push(name, points.as_ref(), Style::Markers)
    }
    /// Adds a series drawn as vertical bars from the bottom of the plot.
    pub fn bars(self, name: &str, points: impl AsRef<[(f64, f64)]>) -> Self {
        self.push(name, points.as_ref(), Style::Bars)
    }

    fn tx(&self, v: f64) -> Option<f64> {
        let v = if self.log_x {
            (v > 0.0).then(|| v.log10())?
        } else {
            v
        };
        v.is_finite().then_some(v)
    }
    fn ty(&self, v: f64) -> Option<f64> {
        let v = if self.log_y {
            (v > 0.0).then(|| v.log10())?
        } else {
            v
        };
        v.is_finite().then_some(v)
    }

    /// The SVG document.
    pub fn to_svg(&self) -> String {
        let pts: Vec<(f64, f64)> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter_map(|&(x, y)| Some((self.tx(x)?, self.ty(y)?)))
            .collect();
        let (mut x0, mut x1, mut y0, mut y1) = pts.iter().fold(
            (
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ),
            |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
        );
        if !x0.is_finite() {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        if x1 - x0 < 1e-300 {
            (x0, x1) = (x0 - 0.5, x1 + 0.5);
        }
        if y1 - y0 < 1e-300 {
            (y0, y1) = (y0 - 0.5, y1 + 0.5);
        }
        let pad = 0.04 * (y1 - y0);
        // Bars on a linear axis stand on zero.
        let bars_on_zero = !self.log_y && self.series.iter().any(|s| s.style == Style::Bars);
        let (y0, y1) = if bars_on_zero && y0 >= 0.0 {
            (0.0, y1 + pad)
        } else {
            (y0 - pad, y1 + pad)
        };
        let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
        let sx = |x: f64| LEFT + (x - x0) / (x1 - x0) * pw;
        let sy = |y: f64| TOP + (1.0 - (y - y0) / (y1 - y0)) * ph;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">"#
        );
        let _ = write!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
        let _ = write!(
            s,
            r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
            LEFT + pw / 2.0,
            escape(&self.title)
        );
        let _ = write!(
            s,
            r##"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>"##
        );
        for i in 0..=5 {
            let f = i as f64 / 5.0;
            let (xv, yv) = (x0 + f * (x1 - x0), y0 + f * (y1 - y0));
            let (px, py) = (sx(xv), sy(yv));
            let _ = write!(
                s,
                r##"<line x1="{px}" y1="{TOP}" x2="{px}" y2="{}" stroke="#ddd"/><text x="{px}" y="{}" text-anchor="middle">{}</text>"##,
                TOP + ph,
                TOP + ph + 16.0,
                tick(xv, self.log_x)
            );
            let _ = write!(
                s,
                r##"<line x1="{LEFT}" y1="{py}" x2="{}" y2="{py}" stroke="#ddd"/><text x="{}" y="{}" text-anchor="end">{}</text>"##,
                LEFT + pw,
                LEFT - 6.0,
                py + 4.0,
                tick(yv, self.log_y)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            LEFT + pw / 2.0,
            H - 14.0,
            escape(&self.x_label)
        );
        let _ = write!(
            s,
            r#"<text x="16" y="{}" text-anchor="middle" transform="rotate(-90 16 {})">{}</text>"#,
            TOP + ph / 2.0,
            TOP + ph / 2.0,
            escape(&self.y_label)
        );
        for (i, series) in self.series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let mapped: Vec<(f64, f64)> = series
                .points
                .iter()
                .filter_map(|&(x, y)| Some((sx(self.tx(x)?), sy(self.ty(y)?))))
                .collect();
            if series.style == Style::Markers {
                for (x, y) in &mapped {
                    let _ = write!(
                        s,
                        r#"<circle cx="{x:.2}" cy="{y:.2}" r="3" fill="{color}"/>"#
                    );
                }
            } else if series.style == Style::Bars {
                let width = (0.8 * pw / mapped.len().max(1) as f64).max(1.0);
                for (x, y) in &mapped {
                    let _ = write!(
                        s,
                        r#"<rect x="{:.2}" y="{y:.2}" width="{width:.2}" height="{:.2}" fill="{color}"/>"#,
                        x - width / 2.0,
                        (TOP + ph - y).max(0.0)
                    );
                }
            } else if !mapped.is_empty() {
                let path: Vec<String> = mapped
                    .iter()
                    .map(|(x, y)| format!("{x:.2},{y:.2}"))
                    .collect();
                let _ = write!(
                    s,
                    r#"<polyline fill="none" stroke="{color}" stroke-width="1.8" points="{}"/>"#,
                    path.join(" ")
                );
            }
            let ly = TOP + 14.0 + 18.0 * i as f64;
            let lx = LEFT + pw + 12.0;
            let _ = write!(
                s,
                r#"<rect x="{lx}" y="{}" width="14" height="4" fill="{color}"/><text x="{}" y="{}">{}</text>"#,
                ly - 4.0,
                lx + 20.0,
                ly + 1.0,
                escape(&series.name)
            );
        }
        s.push_str("</svg>\n");
        s
    }

    /// Writes the SVG document to `path`.
    pub fn write(&self, path: impl AsRef<std::path::Path>) -> qtt::Result<()> {
        std::fs::write(path, self.to_svg()).map_err(Into::into)
    }
}

/// Least-squares slope and intercept of `log10 y` against `log10 x` over the
/// points with positive coordinates: the convergence order of an error curve.
pub fn loglog_fit(points: &[(f64, f64)]) -> (f64, f64) {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(x, y)| x > 0.0 && y > 0.0)
        .map(|&(x, y)| (x.log10(), y.log10()))
        .collect();
    let n = logs.len() as f64;
    let (sx, sy) = logs
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let (sxy, sxx) = logs.iter().fold((0.0, 0.0), |(a, b), &(x, y)| {
        (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
    });
    let slope = sxy / sxx;
    (slope, my - slope * mx)
}

fn tick(v: f64, log: bool) -> String {
    if log {
        // Log ticks rarely fall on round numbers: two significant digits.
        return format!("{:.1e}", 10f64.powf(v));
    }
    if v != 0.0 && (v.abs() >= 1e4 || v.abs() < 1e-2) {
        format!("{v:.1e}")
    } else {
        format!("{v:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_series_and_skips_nonpositive_on_log_axes() {
        let svg = Plot::new("t <1>")
            .log_y()
            .line("a", [(0.0, 1.0), (1.0, 10.0), (2.0, 0.0)])
            .scatter("b", [(0.5, 2.0)])
            .to_svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("t &lt;1&gt;"));
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 1);
        // the point with y = 0 is dropped on a log axis: two points remain
        let line = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(line.split(' ').count(), 2);
        let bars = Plot::new("b")
            .bars("p", vec![(0.0, 0.5), (1.0, 0.25)])
            .to_svg();
        assert_eq!(bars.matches("<rect x=").count(), 2 + 1 + 1);
    }

    #[test]
    fn loglog_fit_recovers_a_power_law() {
        let pts: Vec<(f64, f64)> = (1..10)
            .map(|k| (k as f64, 3.0 * (k as f64).powf(-0.5)))
            .collect();
        let (slope, intercept) = loglog_fit(&pts);
        assert!((slope + 0.5).abs() < 1e-12);
        assert!((intercept - 3f64.log10()).abs() < 1e-12);
    }
}
