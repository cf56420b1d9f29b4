//! A minimal SVG heat map of a function on a tensor grid, beside the line
//! plots of `plot.rs`, for the 2-D and 3-D economies' fields. Cells are
//! averaged down to at most `MAX_CELLS` per axis so that files stay small.
//!
//! ```ignore
//! use common::heatmap::HeatMap;
//! // values[ix + nx * iy] at (xs[ix], ys[iy])
//! HeatMap::new("g(a, z)", &xs, &ys, &values).x_label("a").y_label("z").write("g.svg")?;
//! ```

use std::fmt::Write as _;

const W: f64 = 900.0;
const H: f64 = 460.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 56.0;
const MAX_CELLS: usize = 96;

/// A heat map of `values[ix + nx iy]` over the points `(xs[ix], ys[iy])`.
pub struct HeatMap {
    title: String,
    x_label: String,
    y_label: String,
    xs: Vec<f64>,
    ys: Vec<f64>,
    values: Vec<f64>,
    x_max: Option<f64>,
}

impl HeatMap {
    /// A heat map (`values.len()` must be `xs.len() * ys.len()`).
    pub fn new(title: &str, xs: &[f64], ys: &[f64], values: &[f64]) -> Self {
        assert_eq!(values.len(), xs.len() * ys.len(), "heat map shape");
        Self {
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            xs: xs.to_vec(),
            ys: ys.to_vec(),
            values: values.to_vec(),
            x_max: None,
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
    /// Draws only the points with `x <= x_max`.
    pub fn x_max(mut self, x: f64) -> Self {
        self.x_max = Some(x);
        self
    }

    /// The SVG document.
    pub fn to_svg(&self) -> String {
        let nx_all = self.xs.len();
        let nx = match self.x_max {
            Some(m) => self.xs.iter().filter(|x| **x <= m).count().max(2),
            None => nx_all,
        };
        let ny = self.ys.len();
        // Average blocks of points down to at most MAX_CELLS per axis.
        let (bx, by) = (nx.div_ceil(MAX_CELLS), ny.div_ceil(MAX_CELLS));
        let (cx, cy) = (nx.div_ceil(bx), ny.div_ceil(by));
        let mut cells = vec![0.0; cx * cy];
        for (jy, row) in cells.chunks_mut(cx).enumerate() {
            for (jx, c) in row.iter_mut().enumerate() {
                let (mut s, mut k) = (0.0, 0);
                for iy in jy * by..((jy + 1) * by).min(ny) {
                    for ix in jx * bx..((jx + 1) * bx).min(nx) {
                        s += self.values[ix + nx_all * iy];
                        k += 1;
                    }
                }
                *c = s / k.max(1) as f64;
            }
        }
        let lo = cells.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = cells.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        let (x0, x1) = (self.xs[0], self.xs[nx - 1]);
        let (y0, y1) = (self.ys[0], self.ys[ny - 1]);
        let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
        let (cw, ch) = (pw / cx as f64, ph / cy as f64);
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
        for jy in 0..cy {
            for jx in 0..cx {
                let v = cells[jx + cx * jy];
                let _ = write!(
                    s,
                    r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{}"/>"#,
                    LEFT + jx as f64 * cw,
                    TOP + ph - (jy + 1) as f64 * ch,
                    cw + 0.3,
                    ch + 0.3,
                    color((v - lo) / span)
                );
            }
        }
        let _ = write!(
            s,
            r##"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>"##
        );
        for i in 0..=5 {
            let f = i as f64 / 5.0;
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                LEFT + f * pw,
                TOP + ph + 16.0,
                tick(x0 + f * (x1 - x0))
            );
            let _ = write!(
                s,
                r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
                LEFT - 6.0,
                TOP + (1.0 - f) * ph + 4.0,
                tick(y0 + f * (y1 - y0))
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
        // Colour bar.
        let bx0 = LEFT + pw + 24.0;
        for k in 0..50 {
            let f = k as f64 / 49.0;
            let _ = write!(
                s,
                r#"<rect x="{bx0}" y="{:.2}" width="18" height="{:.2}" fill="{}"/>"#,
                TOP + (1.0 - f) * (ph - ph / 50.0),
                ph / 50.0 + 0.3,
                color(f)
            );
        }
        for (f, v) in [(0.0, lo), (0.5, 0.5 * (lo + hi)), (1.0, hi)] {
            let _ = write!(
                s,
                r#"<text x="{}" y="{:.1}">{}</text>"#,
                bx0 + 24.0,
                TOP + (1.0 - f) * ph + 4.0,
                tick(v)
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

/// A perceptual-ish blue-green-yellow ramp (viridis' end points) on [0, 1].
fn color(f: f64) -> String {
    let f = if f.is_finite() {
        f.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let stops = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = f * (stops.len() - 1) as f64;
    let k = (t.floor() as usize).min(stops.len() - 2);
    let u = t - k as f64;
    let (a, b) = (stops[k], stops[k + 1]);
    let mix = |p: f64, q: f64| (p + u * (q - p)).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

fn tick(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-2 {
        format!("{v:.1e}")
    } else {
        format!("{:.3}", v)
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
