//! Net import reliance as the USGS defines it.

use std::fmt;

use serde::Serialize;

use crate::chain::{NodeKey, SupplyChain};
use crate::model::{Country, Mineral, Share, Stage, Tonnes};

/// Net import reliance, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RelianceFigure {
    /// Net imports as a share of apparent consumption, `(I − E) / AC`.
    NetImports {
        /// The share.
        share: Share,
    },
    /// Exports exceed imports (USGS prints "E"): no reliance, and the net
    /// exports are given instead of a negative share.
    NetExporter {
        /// `E − I`.
        net_exports: Tonnes,
    },
    /// Production, imports and exports are all zero (or net to zero), so
    /// there is no consumption to rely on anything for.
    NoConsumption,
}

impl fmt::Display for RelianceFigure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelianceFigure::NetImports { share } => f.pad(&share.to_string()),
            RelianceFigure::NetExporter { net_exports } => {
                f.pad(&format!("E (net exporter, {net_exports} net)"))
            }
            RelianceFigure::NoConsumption => f.pad("no consumption"),
        }
    }
}

/// Where the production figure of an [`ImportReliance`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductionBasis {
    /// The node's output figure.
    Output,
    /// The node has no output figure: its outflows (domestic and exported)
    /// stand in for it.
    Outflows,
    /// The country has no node at that stage: production is zero.
    NoNode,
    /// Given directly ([`ImportReliance::from_figures`]).
    Given,
}

/// Net import reliance of a country for a mineral at a stage:
/// `NIR = (I − E) / AC` with apparent consumption `AC = P + I − E`
/// (USGS Mineral Commodity Summaries, "net import reliance as a percentage
/// of apparent consumption"; stock changes are not modelled).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReliance {
    /// The country (`None` when built from figures).
    pub country: Option<Country>,
    /// The mineral (`None` when built from figures).
    pub mineral: Option<Mineral>,
    /// The stage of the product (`None` when built from figures).
    pub stage: Option<Stage>,
    /// Domestic production `P`.
    pub production: Tonnes,
    /// Where `production` came from.
    pub production_basis: ProductionBasis,
    /// Imports `I`.
    pub imports: Tonnes,
    /// Exports `E`.
    pub exports: Tonnes,
    /// `AC = P + I − E`, floored at zero (a negative value means the data
    /// ship more than they produce and import, such as stock draws).
    pub apparent_consumption: Tonnes,
    /// The reliance.
    pub reliance: RelianceFigure,
}

impl ImportReliance {
    /// Net import reliance from production, imports and exports given
    /// directly (for example USGS salient statistics).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::{ImportReliance, RelianceFigure}, Tonnes};
    /// // P = 40, I = 100, E = 20: AC = 120, NIR = 80 / 120 = 66.7 %.
    /// let r = ImportReliance::from_figures(Tonnes::new(40.0)?, Tonnes::new(100.0)?,
    ///     Tonnes::new(20.0)?);
    /// let RelianceFigure::NetImports { share } = r.reliance else { unreachable!() };
    /// assert!((share.get() - 80.0 / 120.0).abs() < 1e-12);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn from_figures(production: Tonnes, imports: Tonnes, exports: Tonnes) -> ImportReliance {
        ImportReliance::build(None, production, ProductionBasis::Given, imports, exports)
    }

    fn build(
        key: Option<NodeKey>,
        production: Tonnes,
        production_basis: ProductionBasis,
        imports: Tonnes,
        exports: Tonnes,
    ) -> ImportReliance {
        let (p, i, e) = (production.get(), imports.get(), exports.get());
        let ac = p + i - e;
        let reliance = if e > i {
            RelianceFigure::NetExporter {
                net_exports: exports.saturating_sub(imports),
            }
        } else if ac > 0.0 {
            RelianceFigure::NetImports {
                share: Share::ratio(i - e, ac),
            }
        } else {
            RelianceFigure::NoConsumption
        };
        let (country, mineral, stage) = match key {
            Some(k) => (Some(k.country), Some(k.mineral), Some(k.stage)),
            None => (None, None, None),
        };
        ImportReliance {
            country,
            mineral,
            stage,
            production,
            production_basis,
            imports,
            exports,
            apparent_consumption: (production + imports).saturating_sub(exports),
            reliance,
        }
    }
}

impl SupplyChain {
    /// Net import reliance of `country` for `mineral` at `stage`, reading
    /// the stage as that of the product: `P` is the output of the country's
    /// node at `stage` (its outflows when it has no output figure), `E` the
    /// tonnes that node ships abroad, and `I` the tonnes of stage-`stage`
    /// material the country receives from abroad, into any of its nodes
    /// (refined metal imported by magnet makers counts as refined imports).
    ///
    /// Complexity: O(d log d) for the in- and out-degree d of the country's
    /// nodes of that mineral (six key lookups, then their flows).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::RelianceFigure, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ga = Mineral::GALLIUM;
    /// let cn = chain.add_node(Node::new(Country::CHN, ga.clone(), Stage::Refining))?;
    /// let us_ref = chain.add_node(Node::new(Country::USA, ga.clone(), Stage::Refining)
    ///     .output(Tonnes::new(0.0)?))?;
    /// let us_mfg = chain.add_node(Node::new(Country::USA, ga.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(cn, us_mfg, Flow::new(Tonnes::new(19.0)?))?;
    /// let r = chain.import_reliance(Country::USA, &ga, Stage::Refining);
    /// assert_eq!(r.reliance, RelianceFigure::NetImports { share: critical_minerals::Share::ONE });
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn import_reliance(
        &self,
        country: Country,
        mineral: &Mineral,
        stage: Stage,
    ) -> ImportReliance {
        let key = NodeKey::new(country, mineral.clone(), stage);
        let (production, basis, exports) = match self.node_by_key(&key) {
            None => (Tonnes::ZERO, ProductionBasis::NoNode, Tonnes::ZERO),
            Some((id, node)) => {
                let (mut exports, mut outflow) = (Tonnes::ZERO, Tonnes::ZERO);
                for f in self.flows_out(id) {
                    outflow = outflow + f.tonnes();
                    if !f.is_domestic() {
                        exports = exports + f.tonnes();
                    }
                }
                match node.output {
                    Some(o) => (o, ProductionBasis::Output, exports),
                    None => (outflow, ProductionBasis::Outflows, exports),
                }
            }
        };
        let imports: Tonnes = Stage::ALL
            .iter()
            .filter(|to| stage.can_flow_to(**to, true))
            .filter_map(|to| self.node_id(&NodeKey::new(country, mineral.clone(), *to)))
            .flat_map(|id| self.flows_in(id))
            .filter(|f| !f.is_domestic() && f.from_key.stage == stage)
            .map(|f| f.tonnes())
            .sum();
        ImportReliance::build(Some(key), production, basis, imports, exports)
    }
}

impl fmt::Display for ImportReliance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Net import reliance")?;
        if let (Some(c), Some(m), Some(s)) = (&self.country, &self.mineral, &self.stage) {
            write!(f, " of {c}, {m} ({s})")?;
        }
        writeln!(f, ": {}", self.reliance)?;
        let basis = match self.production_basis {
            ProductionBasis::Output => "",
            ProductionBasis::Outflows => " (from outflows: no output figure)",
            ProductionBasis::NoNode => " (no node at this stage)",
            ProductionBasis::Given => "",
        };
        writeln!(f, "  production            {}{basis}", self.production)?;
        writeln!(f, "  imports               {}", self.imports)?;
        writeln!(f, "  exports               {}", self.exports)?;
        writeln!(f, "  apparent consumption  {}", self.apparent_consumption)
    }
}
