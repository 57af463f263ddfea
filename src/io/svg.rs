//! A stage-layered flow picture (Sankey style) as self-contained SVG.
//!
//! Stages are columns, left to right in value-chain order; each country
//! active at a stage is a bar whose height is its throughput there (the
//! larger of what it receives and what it ships, or its output when that
//! is larger); each flow is a band whose width is its tonnes. Flows that
//! stay at one stage across a border loop out to the right of their column;
//! flows back from recycling run below the chart, dashed. Countries beyond
//! the largest few of each stage are drawn as one "other" bar.
//!
//! [`FlowDiagram::compare`] draws a before/after picture in one frame: the
//! bars and bands of *before* in grey, and *after* in colour on top, so a
//! shock shows as bands that shrink or vanish.
//!
//! The file needs no fonts, scripts or network fetches: open it in any
//! browser, or convert it with `rsvg-convert -o chain.png chain.svg`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::graphml::escape;
use super::util::{write_file, writer_error};
use crate::chain::{NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Stage, group_thousands};

/// Options of the flow picture.
///
/// Defaults: every mineral, no title, 1,200 × 700 px, the eight largest
/// countries of each stage drawn by name.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, io::SvgOptions};
/// let opts = SvgOptions::new().mineral(Mineral::RARE_EARTHS).title("Rare earths, 2023").countries_per_stage(6);
/// assert_eq!(opts.countries_per_stage, 6);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SvgOptions {
    /// Only the nodes and flows of this mineral; `None`: every mineral (the
    /// default; bars then add tonnes of different minerals, so pick one for
    /// a picture that means something).
    pub mineral: Option<Mineral>,
    /// A title above the picture.
    pub title: Option<String>,
    /// A note below the picture (a source line, a caveat on bases).
    pub note: Option<String>,
    /// Width in pixels (at least 400).
    pub width: f64,
    /// Height in pixels (at least 300).
    pub height: f64,
    /// How many countries of each stage get their own bar (at least 1); the
    /// rest are one "other" bar.
    pub countries_per_stage: usize,
}

impl Default for SvgOptions {
    fn default() -> SvgOptions {
        SvgOptions {
            mineral: None,
            title: None,
            note: None,
            width: 1200.0,
            height: 700.0,
            countries_per_stage: 8,
        }
    }
}

impl SvgOptions {
    /// The defaults.
    pub fn new() -> SvgOptions {
        SvgOptions::default()
    }

    /// Only this mineral.
    pub fn mineral(mut self, mineral: Mineral) -> SvgOptions {
        self.mineral = Some(mineral);
        self
    }

    /// A title above the picture.
    pub fn title(mut self, title: impl Into<String>) -> SvgOptions {
        self.title = Some(title.into());
        self
    }

    /// A note below the picture.
    pub fn note(mut self, note: impl Into<String>) -> SvgOptions {
        self.note = Some(note.into());
        self
    }

    /// Width in pixels.
    pub fn width(mut self, width: f64) -> SvgOptions {
        self.width = width;
        self
    }

    /// Height in pixels.
    pub fn height(mut self, height: f64) -> SvgOptions {
        self.height = height;
        self
    }

    /// How many countries of each stage get their own bar.
    pub fn countries_per_stage(mut self, n: usize) -> SvgOptions {
        self.countries_per_stage = n;
        self
    }

    fn check(&self) -> Result<()> {
        let dim = |field: &'static str, v: f64, min: f64| {
            if v.is_finite() && v >= min && v <= 100_000.0 {
                Ok(())
            } else {
                Err(Error::OutOfDomain {
                    field,
                    value: v.to_string(),
                    expected: format!("must be between {min} and 100000 pixels"),
                })
            }
        };
        dim("SvgOptions::width", self.width, 400.0)?;
        dim("SvgOptions::height", self.height, 300.0)?;
        if self.countries_per_stage == 0 {
            return Err(Error::OutOfDomain {
                field: "SvgOptions::countries_per_stage",
                value: "0".to_string(),
                expected: "must be at least 1".to_string(),
            });
        }
        Ok(())
    }
}

/// One flow of a picture: from one node to another, tonnes a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagramLink {
    /// The sending node.
    pub from: NodeKey,
    /// The receiving node.
    pub to: NodeKey,
    /// Tonnes a year (non-negative; NaN counts as zero).
    pub tonnes: f64,
}

/// A bar: one country (or "other") at one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Country(Country),
    Other,
}

impl Who {
    fn label(self) -> String {
        match self {
            Who::Country(c) => c.to_string(),
            Who::Other => "other".to_string(),
        }
    }
}

type BarKey = (Stage, Who);

/// Tonnes of a band before and, when comparing, after.
type BandTonnes = (f64, Option<f64>);

/// A stage-layered flow picture, ready to write as SVG.
///
/// Stages are columns, left to right in value-chain order; each country
/// active at a stage is a bar whose height is its throughput there (the
/// larger of what it receives and what it ships); each flow is a band
/// whose width is its tonnes. Flows that stay at one stage across a border
/// loop out to the right of their column; flows back from recycling run
/// below the chart, dashed. Countries beyond the largest few of each stage
/// are one "other" bar. [`FlowDiagram::compare`] draws before and after in
/// one frame: *before* in grey, *after* in colour on top. The file needs no
/// fonts, scripts or network fetches: open it in a browser, or convert it
/// with `rsvg-convert -o chain.png chain.svg`.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
/// use critical_minerals::io::{FlowDiagram, SvgOptions};
/// let ree = Mineral::RARE_EARTHS;
/// let mut chain = SupplyChain::new();
/// let mine = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
/// let plant = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
/// chain.add_flow(mine, plant, Flow::new(Tonnes::new(10_000.0)?))?;
/// let svg = FlowDiagram::from_chain(&chain, &SvgOptions::new().mineral(ree))?.to_svg();
/// assert!(svg.starts_with("<svg") && svg.contains("MYS"));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FlowDiagram {
    options: SvgOptions,
    /// Every bar with its height in tonnes (before, when comparing).
    bars: BTreeMap<BarKey, f64>,
    /// Bands between bars: tonnes before and, when comparing, after.
    bands: BTreeMap<(BarKey, BarKey), BandTonnes>,
    /// Bar heights after, when comparing.
    bars_after: Option<BTreeMap<BarKey, f64>>,
    /// Each country's colour index (by size over the whole picture).
    colours: BTreeMap<Country, usize>,
}

const PALETTE: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#1f77b4", "#8c564b", "#17becf",
];

impl FlowDiagram {
    /// The picture of a chain's flows (of the selected mineral). O(V + E +
    /// C log C).
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] for a width, height or country count out of
    /// range; [`Error::NoData`] when the chain has no flow of the mineral.
    pub fn from_chain(chain: &SupplyChain, options: &SvgOptions) -> Result<FlowDiagram> {
        let links: Vec<DiagramLink> = chain
            .flows()
            .filter(|f| {
                options
                    .mineral
                    .as_ref()
                    .is_none_or(|m| *m == f.from_key.mineral)
            })
            .map(|f| DiagramLink {
                from: f.from_key.clone(),
                to: f.to_key.clone(),
                tonnes: f.tonnes().get(),
            })
            .collect();
        FlowDiagram::from_links(&links, options)
    }

    /// The picture of a list of links (the flows of a simulation's result,
    /// say). Links of other minerals than the selected one are left out.
    ///
    /// # Errors
    /// As [`FlowDiagram::from_chain`].
    pub fn from_links(links: &[DiagramLink], options: &SvgOptions) -> Result<FlowDiagram> {
        FlowDiagram::build(links, None, options)
    }

    /// One picture of two states of the same chain: bars and bands of
    /// `before` in grey, `after` in colour on top, on the scale and layout
    /// of `before` (links of `after` that `before` lacks are drawn too).
    ///
    /// # Errors
    /// As [`FlowDiagram::from_chain`].
    pub fn compare(
        before: &[DiagramLink],
        after: &[DiagramLink],
        options: &SvgOptions,
    ) -> Result<FlowDiagram> {
        FlowDiagram::build(before, Some(after), options)
    }

    fn build(
        before: &[DiagramLink],
        after: Option<&[DiagramLink]>,
        options: &SvgOptions,
    ) -> Result<FlowDiagram> {
        options.check()?;
        let keep = |l: &&DiagramLink| {
            options
                .mineral
                .as_ref()
                .is_none_or(|m| *m == l.from.mineral && *m == l.to.mineral)
        };
        let tonnes = |l: &DiagramLink| {
            if l.tonnes.is_finite() {
                l.tonnes.max(0.0)
            } else {
                0.0
            }
        };
        let before: Vec<&DiagramLink> = before.iter().filter(keep).collect();
        let after: Option<Vec<&DiagramLink>> = after.map(|a| a.iter().filter(keep).collect());

        // Each node's throughput before: the larger of in and out.
        let mut inflow: BTreeMap<(Stage, Country), f64> = BTreeMap::new();
        let mut outflow: BTreeMap<(Stage, Country), f64> = BTreeMap::new();
        for l in before.iter().chain(after.iter().flatten()) {
            // Nodes of `after` only still need a place.
            inflow.entry((l.to.stage, l.to.country)).or_default();
            outflow.entry((l.from.stage, l.from.country)).or_default();
        }
        for l in &before {
            *outflow.entry((l.from.stage, l.from.country)).or_default() += tonnes(l);
            *inflow.entry((l.to.stage, l.to.country)).or_default() += tonnes(l);
        }
        let mut through: BTreeMap<(Stage, Country), f64> = BTreeMap::new();
        for (k, v) in inflow.iter().chain(outflow.iter()) {
            let e = through.entry(*k).or_default();
            *e = e.max(*v);
        }
        if through.values().all(|v| *v <= 0.0) && after.is_none() {
            return Err(Error::NoData {
                what: match &options.mineral {
                    Some(m) => format!("flows of {m} to draw"),
                    None => "flows to draw".to_string(),
                },
            });
        }

        // The largest countries of each stage keep their own bar.
        let mut by_stage: BTreeMap<Stage, Vec<(Country, f64)>> = BTreeMap::new();
        for (&(s, c), &t) in &through {
            by_stage.entry(s).or_default().push((c, t));
        }
        let mut named: BTreeMap<(Stage, Country), Who> = BTreeMap::new();
        for (s, list) in &mut by_stage {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for (i, (c, _)) in list.iter().enumerate() {
                let who = if i < options.countries_per_stage {
                    Who::Country(*c)
                } else {
                    Who::Other
                };
                named.insert((*s, *c), who);
            }
        }
        let bar_of = |s: Stage, c: Country| -> BarKey {
            (s, named.get(&(s, c)).copied().unwrap_or(Who::Other))
        };
        let mut bars: BTreeMap<BarKey, f64> = BTreeMap::new();
        for (&(s, c), &t) in &through {
            *bars.entry(bar_of(s, c)).or_default() += t;
        }
        let mut bands: BTreeMap<(BarKey, BarKey), BandTonnes> = BTreeMap::new();
        for l in &before {
            let k = (
                bar_of(l.from.stage, l.from.country),
                bar_of(l.to.stage, l.to.country),
            );
            bands.entry(k).or_insert((0.0, None)).0 += tonnes(l);
        }
        let mut bars_after = None;
        if let Some(after) = &after {
            let mut ba: BTreeMap<BarKey, f64> = BTreeMap::new();
            let mut ain: BTreeMap<BarKey, f64> = BTreeMap::new();
            let mut aout: BTreeMap<BarKey, f64> = BTreeMap::new();
            for band in bands.values_mut() {
                band.1 = Some(0.0);
            }
            for l in after {
                let from = bar_of(l.from.stage, l.from.country);
                let to = bar_of(l.to.stage, l.to.country);
                let e = bands.entry((from, to)).or_insert((0.0, Some(0.0)));
                e.1 = Some(e.1.unwrap_or(0.0) + tonnes(l));
                *aout.entry(from).or_default() += tonnes(l);
                *ain.entry(to).or_default() += tonnes(l);
            }
            for k in bars.keys() {
                let v = ain.get(k).copied().unwrap_or(0.0);
                let w = aout.get(k).copied().unwrap_or(0.0);
                ba.insert(*k, v.max(w));
            }
            bars_after = Some(ba);
        }

        // Colours follow each country's size over the whole picture.
        let mut size: BTreeMap<Country, f64> = BTreeMap::new();
        for (&(_, c), &t) in &through {
            *size.entry(c).or_default() += t;
        }
        let mut order: Vec<(Country, f64)> = size.into_iter().collect();
        order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let colours = order
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (*c, i % PALETTE.len()))
            .collect();

        Ok(FlowDiagram {
            options: options.clone(),
            bars,
            bands,
            bars_after,
            colours,
        })
    }

    /// The number of bars (countries, or "other", at each stage).
    pub fn bar_count(&self) -> usize {
        self.bars.len()
    }

    /// The number of bands (links between bars).
    pub fn band_count(&self) -> usize {
        self.bands.len()
    }

    fn colour(&self, who: Who) -> &'static str {
        match who {
            Who::Country(c) => self
                .colours
                .get(&c)
                .map_or("#999999", |&i| PALETTE[i % PALETTE.len()]),
            Who::Other => "#6b6b6b",
        }
    }

    /// The picture as an SVG document. O(B log B) in the number of bands.
    pub fn to_svg(&self) -> String {
        let o = &self.options;
        let (w, h) = (o.width, o.height);
        let stages: Vec<Stage> = {
            let mut s: Vec<Stage> = self.bars.keys().map(|k| k.0).collect();
            s.dedup();
            s
        };
        let top = if o.title.is_some() { 70.0 } else { 40.0 };
        let bottom = if o.note.is_some() { 70.0 } else { 45.0 };
        // Labels sit right of their bar: the last column needs room for them.
        let (left, right) = (
            30.0,
            if self.bars_after.is_some() {
                250.0
            } else {
                160.0
            },
        );
        let bar_w = 14.0;
        let gap = 12.0;
        let cols = stages.len().max(1);
        let col_x = |s: Stage| -> f64 {
            let i = stages.iter().position(|x| *x == s).unwrap_or(0);
            if cols == 1 {
                left
            } else {
                left + i as f64 * (w - left - right) / (cols - 1) as f64
            }
        };
        // One scale for every column: the fullest column fits the height.
        let mut col_total: BTreeMap<Stage, (f64, usize)> = BTreeMap::new();
        for (&(s, _), &t) in &self.bars {
            let e = col_total.entry(s).or_default();
            e.0 += t;
            e.1 += 1;
        }
        let avail = h - top - bottom;
        let scale = col_total
            .values()
            .map(|(t, n)| {
                let room = (avail - gap * (*n as f64 - 1.0)).max(avail * 0.3);
                if *t > 0.0 { room / t } else { f64::INFINITY }
            })
            .fold(f64::INFINITY, f64::min);
        let scale = if scale.is_finite() { scale } else { 0.0 };

        // Bars: largest first down each column, "other" last.
        let mut y_of: BTreeMap<BarKey, (f64, f64)> = BTreeMap::new();
        for &s in &stages {
            let mut list: Vec<(BarKey, f64)> = self
                .bars
                .iter()
                .filter(|(k, _)| k.0 == s)
                .map(|(k, t)| (*k, *t))
                .collect();
            list.sort_by(|a, b| {
                (a.0.1 == Who::Other)
                    .cmp(&(b.0.1 == Who::Other))
                    .then(b.1.total_cmp(&a.1))
                    .then(a.0.cmp(&b.0))
            });
            let mut y = top;
            for (k, t) in list {
                let hgt = (t * scale).max(1.0);
                y_of.insert(k, (y, hgt));
                y += hgt + gap;
            }
        }

        let mut svg = String::new();
        let _ = writeln!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">"
        );
        let _ = writeln!(
            svg,
            "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>"
        );
        if let Some(t) = &o.title {
            let _ = writeln!(
                svg,
                "<text x=\"{left}\" y=\"28\" font-size=\"18\" font-weight=\"bold\">{}</text>",
                escape(t)
            );
        }
        for &s in &stages {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"bold\" fill=\"#333333\">{}</text>",
                col_x(s),
                top - 10.0,
                s
            );
        }

        // Bands: stacked along each bar's side in the order of the other
        // end's height, so they do not cross at the bars.
        let mut out_off: BTreeMap<BarKey, f64> = BTreeMap::new();
        let mut in_off: BTreeMap<BarKey, f64> = BTreeMap::new();
        let mut side_off: BTreeMap<BarKey, f64> = BTreeMap::new();
        let mut bands: Vec<(&(BarKey, BarKey), &BandTonnes)> = self.bands.iter().collect();
        let ymid = |k: &BarKey| y_of.get(k).map_or(0.0, |(y, _)| *y);
        bands.sort_by(|a, b| {
            ymid(&a.0.0)
                .total_cmp(&ymid(&b.0.0))
                .then(ymid(&a.0.1).total_cmp(&ymid(&b.0.1)))
                .then(a.0.cmp(b.0))
        });
        let mut ghost = String::new();
        let mut live = String::new();
        let below = h - bottom + 18.0;
        for ((from, to), (before, after)) in bands {
            let width_b = before * scale;
            let width_a = after.map(|a| a * scale);
            let lane = width_b.max(width_a.unwrap_or(0.0));
            let (Some(&(fy, _)), Some(&(ty, _))) = (y_of.get(from), y_of.get(to)) else {
                continue;
            };
            let fo = out_off.entry(*from).or_default();
            let y0 = fy + *fo + lane / 2.0;
            *fo += lane;
            let x0 = col_x(from.0) + bar_w;
            let same = from.0 == to.0;
            let back = to.0 < from.0;
            let (x1, y1) = if same {
                let so = side_off.entry(*to).or_default();
                let y = ty + *so + lane / 2.0;
                *so += lane;
                (col_x(to.0) + bar_w, y)
            } else {
                let io = in_off.entry(*to).or_default();
                let y = ty + *io + lane / 2.0;
                *io += lane;
                (col_x(to.0), y)
            };
            let path = if same {
                let bulge = 40.0 + (y1 - y0).abs() * 0.25;
                format!(
                    "M{x0:.1},{y0:.1} C{:.1},{y0:.1} {:.1},{y1:.1} {x1:.1},{y1:.1}",
                    x0 + bulge,
                    x1 + bulge
                )
            } else if back {
                format!(
                    "M{x0:.1},{y0:.1} C{:.1},{y0:.1} {:.1},{below:.1} {:.1},{below:.1} L{:.1},{below:.1} C{:.1},{below:.1} {:.1},{y1:.1} {x1:.1},{y1:.1}",
                    x0 + 50.0,
                    x0 + 50.0,
                    x0,
                    x1,
                    x1 - 50.0,
                    x1 - 50.0
                )
            } else {
                let xm = (x0 + x1) / 2.0;
                format!("M{x0:.1},{y0:.1} C{xm:.1},{y0:.1} {xm:.1},{y1:.1} {x1:.1},{y1:.1}")
            };
            let dash = if back {
                " stroke-dasharray=\"6 4\""
            } else {
                ""
            };
            let title = format!(
                "{} {} → {} {}: {} t",
                from.1.label(),
                from.0,
                to.1.label(),
                to.0,
                group_thousands(*before, 0)
            );
            match width_a {
                None => {
                    let _ = writeln!(
                        live,
                        "<path d=\"{path}\" fill=\"none\" stroke=\"{}\" stroke-opacity=\"0.45\" stroke-width=\"{:.2}\"{dash}><title>{}</title></path>",
                        self.colour(from.1),
                        width_b.max(0.5),
                        escape(&title)
                    );
                }
                Some(wa) => {
                    if width_b > 0.0 {
                        let _ = writeln!(
                            ghost,
                            "<path d=\"{path}\" fill=\"none\" stroke=\"#dedede\" stroke-opacity=\"0.8\" stroke-width=\"{:.2}\"{dash}><title>{} before</title></path>",
                            width_b.max(0.5),
                            escape(&title)
                        );
                    }
                    if wa > 0.0 {
                        let _ = writeln!(
                            live,
                            "<path d=\"{path}\" fill=\"none\" stroke=\"{}\" stroke-opacity=\"0.55\" stroke-width=\"{:.2}\"{dash}><title>{} after: {} t</title></path>",
                            self.colour(from.1),
                            wa.max(0.5),
                            escape(&format!(
                                "{} {} → {} {}",
                                from.1.label(),
                                from.0,
                                to.1.label(),
                                to.0
                            )),
                            group_thousands(after.unwrap_or(0.0), 0)
                        );
                    }
                }
            }
        }
        svg.push_str(&ghost);
        svg.push_str(&live);

        // Bars and their labels on top of the bands.
        for (k, (y, hgt)) in &y_of {
            let x = col_x(k.0);
            let t = self.bars.get(k).copied().unwrap_or(0.0);
            let label = match &self.bars_after {
                Some(after) => {
                    let a = after.get(k).copied().unwrap_or(0.0);
                    let ha = (a * scale).min(*hgt);
                    let _ = writeln!(
                        svg,
                        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{hgt:.2}\" fill=\"#e0e0e0\"/>"
                    );
                    if ha > 0.0 {
                        let _ = writeln!(
                            svg,
                            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{ha:.2}\" fill=\"{}\"/>",
                            self.colour(k.1)
                        );
                    }
                    format!(
                        "{} {} → {} t",
                        k.1.label(),
                        group_thousands(t, 0),
                        group_thousands(a, 0)
                    )
                }
                None => {
                    let _ = writeln!(
                        svg,
                        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{hgt:.2}\" fill=\"{}\"/>",
                        self.colour(k.1)
                    );
                    format!("{} {} t", k.1.label(), group_thousands(t, 0))
                }
            };
            if *hgt >= 9.0 || self.bars.len() <= 24 {
                let _ = writeln!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"middle\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\" fill=\"#222222\">{}</text>",
                    x + bar_w + 4.0,
                    y + hgt / 2.0,
                    escape(&label)
                );
            }
        }
        let legend = if self.bars_after.is_some() {
            "band width ∝ tonnes a year; grey: before, colour: after"
        } else {
            "band width ∝ tonnes a year"
        };
        let _ = writeln!(
            svg,
            "<text x=\"{left}\" y=\"{:.1}\" fill=\"#555555\">{legend}</text>",
            h - bottom + 36.0
        );
        if let Some(n) = &o.note {
            let _ = writeln!(
                svg,
                "<text x=\"{left}\" y=\"{:.1}\" fill=\"#555555\" font-size=\"11\">{}</text>",
                h - bottom + 54.0,
                escape(n)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// Writes the flow picture of `chain` as SVG (see [`FlowDiagram`]).
///
/// # Errors
/// As [`FlowDiagram::from_chain`]; [`Error::Io`] when writing fails.
pub fn write_svg<W: Write>(chain: &SupplyChain, mut writer: W, options: &SvgOptions) -> Result<()> {
    let svg = FlowDiagram::from_chain(chain, options)?.to_svg();
    writer.write_all(svg.as_bytes()).map_err(writer_error)?;
    writer.flush().map_err(writer_error)
}

/// Writes the flow picture of `chain` to a file.
///
/// # Errors
/// As [`write_svg`], with the file named in [`Error::Io`].
pub fn write_svg_file(
    chain: &SupplyChain,
    path: impl AsRef<Path>,
    options: &SvgOptions,
) -> Result<()> {
    let svg = FlowDiagram::from_chain(chain, options)?.to_svg();
    write_file(path.as_ref(), |w| {
        w.write_all(svg.as_bytes()).map_err(writer_error)
    })
}
