//! A small hand-written SVG plot writer for the tutorials: line, marker and bar
//! series on linear or log10 axes, with ticks, labels and a legend.

#![allow(dead_code)]

/// One data series.
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Points (x, y).
    pub points: Vec<(f64, f64)>,
    /// CSS colour.
    pub color: &'static str,
    /// Draw as bars instead of a line with markers.
    pub bars: bool,
    /// Draw markers only, no connecting line.
    pub markers_only: bool,
}

/// A plot: axes, labels, series.
pub struct Plot {
    /// Title at the top.
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Log10 x axis.
    pub log_x: bool,
    /// Log10 y axis.
    pub log_y: bool,
    /// The series.
    pub series: Vec<Series>,
}

/// Default colours, in order.
pub const COLORS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#555555",
];

impl Plot {
    /// An empty plot.
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Self {
        Plot {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_x: false,
            log_y: false,
            series: vec![],
        }
    }

    /// Adds a line series with markers.
    pub fn line(mut self, label: &str, points: Vec<(f64, f64)>) -> Self {
        let color = COLORS[self.series.len() % COLORS.len()];
        self.series.push(Series {
            label: label.into(),
            points,
            color,
            bars: false,
            markers_only: false,
        });
        self
    }

    /// Adds a marker-only series.
    pub fn markers(mut self, label: &str, points: Vec<(f64, f64)>) -> Self {
        let color = COLORS[self.series.len() % COLORS.len()];
        self.series.push(Series {
            label: label.into(),
            points,
            color,
            bars: false,
            markers_only: true,
        });
        self
    }

    /// Adds a bar series.
    pub fn bars(mut self, label: &str, points: Vec<(f64, f64)>) -> Self {
        let color = COLORS[self.series.len() % COLORS.len()];
        self.series.push(Series {
            label: label.into(),
            points,
            color,
            bars: true,
            markers_only: false,
        });
        self
    }

    /// Writes the SVG file.
    pub fn write(&self, path: &str) -> std::io::Result<()> {
        let (w, h, ml, mr, mt, mb) = (720.0, 460.0, 80.0, 20.0, 40.0, 60.0);
        let tx = |v: f64| if self.log_x { v.log10() } else { v };
        let ty = |v: f64| if self.log_y { v.log10() } else { v };
        let pts: Vec<(f64, f64)> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|&(x, y)| (tx(x), ty(y))))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        let (mut x0, mut x1) = pts
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(p.0), b.max(p.0))
            });
        let (mut y0, mut y1) = pts
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(p.1), b.max(p.1))
            });
        let bars_from_zero = self.series.iter().any(|s| s.bars) && !self.log_y;
        if bars_from_zero {
            y0 = y0.min(0.0);
        }
        if x1 <= x0 {
            x1 = x0 + 1.0;
        }
        if y1 <= y0 {
            y1 = y0 + 1.0;
        }
        let pad = (y1 - y0) * 0.05;
        y1 += pad;
        if !bars_from_zero {
            y0 -= pad;
        }
        let padx = (x1 - x0) * 0.02;
        x0 -= padx;
        x1 += padx;
        let px = |x: f64| ml + (tx(x) - x0) / (x1 - x0) * (w - ml - mr);
        let py = |y: f64| h - mb - (ty(y) - y0) / (y1 - y0) * (h - mt - mb);
        let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s += &format!(
            "<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{}</text>\n",
            w / 2.0,
            esc(&self.title)
        );
        s += &format!("<rect x=\"{ml}\" y=\"{mt}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n", w - ml - mr, h - mt - mb);
        for i in 0..=5 {
            let fx = x0 + (x1 - x0) * i as f64 / 5.0;
            let fy = y0 + (y1 - y0) * i as f64 / 5.0;
            let (vx, vy) = (
                if self.log_x { 10f64.powf(fx) } else { fx },
                if self.log_y { 10f64.powf(fy) } else { fy },
            );
            let xp = ml + (w - ml - mr) * i as f64 / 5.0;
            let yp = h - mb - (h - mt - mb) * i as f64 / 5.0;
            s += &format!("<line x1=\"{xp}\" y1=\"{}\" x2=\"{xp}\" y2=\"{}\" stroke=\"#ddd\"/><text x=\"{xp}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", mt, h - mb, h - mb + 16.0, fmt(vx));
            s += &format!("<line x1=\"{ml}\" y1=\"{yp}\" x2=\"{}\" y2=\"{yp}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", w - mr, ml - 6.0, yp + 4.0, fmt(vy));
        }
        s += &format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            (ml + w - mr) / 2.0,
            h - 16.0,
            esc(&self.x_label)
        );
        s += &format!("<text x=\"18\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {})\">{}</text>\n", (mt + h - mb) / 2.0, (mt + h - mb) / 2.0, esc(&self.y_label));
        for (k, se) in self.series.iter().enumerate() {
            let ok: Vec<(f64, f64)> = se
                .points
                .iter()
                .copied()
                .filter(|&(x, y)| tx(x).is_finite() && ty(y).is_finite())
                .collect();
            if se.bars {
                let bw = if ok.len() > 1 {
                    ((px(ok[1].0) - px(ok[0].0)).abs() * 0.8).max(1.0)
                } else {
                    4.0
                };
                for &(x, y) in &ok {
                    let base = if self.log_y { h - mb } else { py(0.0) };
                    let top = py(y);
                    s += &format!("<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{bw:.2}\" height=\"{:.2}\" fill=\"{}\"/>\n", px(x) - bw / 2.0, top.min(base), (base - top).abs(), se.color);
                }
            } else {
                if !se.markers_only && ok.len() > 1 {
                    let d: Vec<String> = ok
                        .iter()
                        .map(|&(x, y)| format!("{:.2},{:.2}", px(x), py(y)))
                        .collect();
                    s += &format!("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"/>\n", d.join(" "), se.color);
                }
                for &(x, y) in &ok {
                    s += &format!(
                        "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"3\" fill=\"{}\"/>\n",
                        px(x),
                        py(y),
                        se.color
                    );
                }
            }
            let ly = mt + 16.0 + 16.0 * k as f64;
            s += &format!("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"4\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>\n", ml + 10.0, ly - 6.0, se.color, ml + 28.0, ly, esc(&se.label));
        }
        s += "</svg>\n";
        std::fs::write(path, s)
    }
}

fn fmt(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e4 || v.abs() < 1e-2) {
        format!("{v:.1e}")
    } else {
        format!("{v:.3}")
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Least-squares slope and intercept of log10(y) on log10(x).
pub fn loglog_fit(points: &[(f64, f64)]) -> (f64, f64) {
    let v: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.0 > 0.0 && p.1 > 0.0)
        .map(|p| (p.0.log10(), p.1.log10()))
        .collect();
    let n = v.len() as f64;
    let (sx, sy) = v.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (mx, my) = (sx / n, sy / n);
    let sxy: f64 = v.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = v.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let slope = sxy / sxx;
    (slope, my - slope * mx)
}
