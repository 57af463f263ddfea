//! A year's world chain: production from one source per mineral and stage,
//! and every BACI flow of the year.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::dataset::Dataset;
use super::trade::{BACI_SOURCE, TradeQuery, TradeRow, TradeTable};
use super::wmd::{WMD_SOURCE, WmdFlag, WorldMiningData};
use crate::analysis::text::Table;
use crate::chain::{Flow, Node, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::io::{FlowMeasure, receiving_stage};
use crate::model::{Basis, Country, Mineral, Provenance, Stage, Status, Tonnes};

/// Where a world chain's production figures come from. Whatever the
/// choice, one (mineral, stage) total never mixes the two sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductionSource {
    /// For each mineral and stage: USGS Mineral Commodity Summaries 2025
    /// (`production.csv`) when it has figures for the year, else World
    /// Mining Data (the default).
    #[default]
    UsgsThenWmd,
    /// USGS only (2022–2024, some minerals).
    Usgs,
    /// World Mining Data only (2018–2024).
    Wmd,
    /// No production nodes: trade only.
    None,
}

/// Where one (mineral, stage)'s production nodes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductionOrigin {
    /// USGS MCS 2025 (`production.csv`).
    Usgs,
    /// World Mining Data (`wmd_production.csv`).
    Wmd,
}

impl fmt::Display for ProductionOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ProductionOrigin::Usgs => "USGS MCS 2025",
            ProductionOrigin::Wmd => "World Mining Data",
        })
    }
}

/// Options of [`Dataset::world_chain`].
///
/// # Example
/// ```
/// use critical_minerals::data::{ProductionSource, WorldChainOptions};
/// let opts = WorldChainOptions::new(2023).production(ProductionSource::Wmd);
/// assert_eq!((opts.year, opts.production), (2023, ProductionSource::Wmd));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WorldChainOptions {
    /// The year (BACI has 2019–2024).
    pub year: i16,
    /// Where production figures come from (default
    /// [`ProductionSource::UsgsThenWmd`]).
    pub production: ProductionSource,
    /// Whether the dataset's agreements and export restrictions are added
    /// (default `true`, so bilateral profiles show them).
    pub policy: bool,
    /// Which figure a trade row must have (the trade loaders' rule).
    /// [`FlowMeasure::Quantity`](crate::io::FlowMeasure::Quantity), the
    /// default: rows without a quantity (6.7% of BACI's) are left out and
    /// counted as [`WorldSkip::NoQuantity`].
    /// [`FlowMeasure::Value`](crate::io::FlowMeasure::Value): they are kept
    /// as flows that carry their value, 0 t and status
    /// [`Status::Withheld`], so value-based questions see them; tonnage
    /// totals then read as lower bounds.
    pub measure: FlowMeasure,
}

impl Default for WorldChainOptions {
    /// The latest BACI year, 2024.
    fn default() -> WorldChainOptions {
        WorldChainOptions::new(2024)
    }
}

impl WorldChainOptions {
    /// The world chain of `year` with the default choices.
    pub fn new(year: i16) -> WorldChainOptions {
        WorldChainOptions {
            year,
            production: ProductionSource::UsgsThenWmd,
            policy: true,
            measure: FlowMeasure::Quantity,
        }
    }

    /// Sets which figure a trade row must have.
    pub fn measure(mut self, measure: FlowMeasure) -> WorldChainOptions {
        self.measure = measure;
        self
    }

    /// Sets the year.
    pub fn year(mut self, year: i16) -> WorldChainOptions {
        self.year = year;
        self
    }

    /// Sets where production figures come from.
    pub fn production(mut self, source: ProductionSource) -> WorldChainOptions {
        self.production = source;
        self
    }

    /// Sets whether agreements and restrictions are added.
    pub fn policy(mut self, policy: bool) -> WorldChainOptions {
        self.policy = policy;
        self
    }
}

/// Why a row was not turned into a node or a flow of the world chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WorldSkip {
    /// A world-total production row (`WLD`): a node would count the world
    /// twice.
    WorldTotal,
    /// A World Mining Data row whose (commodity, country, year) appears
    /// twice with different figures (gold, `GUY`): neither can be taken as
    /// the country's output.
    ConflictingDuplicate,
    /// A trade row of another year than the chain's (only with
    /// [`Dataset::world_chain_from_rows`]).
    OtherYear,
    /// A trade row whose exporter is its importer: not trade.
    SelfTrade,
    /// A trade row with a value but no quantity, under
    /// [`FlowMeasure::Quantity`](crate::io::FlowMeasure::Quantity) (the
    /// default): a tonnage is never invented for it. Keep it by value with
    /// [`WorldChainOptions::measure`].
    NoQuantity,
}

impl fmt::Display for WorldSkip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            WorldSkip::WorldTotal => "world total (WLD), not a node",
            WorldSkip::ConflictingDuplicate => "conflicting duplicate WMD row",
            WorldSkip::OtherYear => "trade row of another year",
            WorldSkip::SelfTrade => "exporter = importer",
            WorldSkip::NoQuantity => "no quantity (keep by value: FlowMeasure::Value)",
        })
    }
}

/// Which source gave one (mineral, stage)'s production nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductionPick {
    /// The mineral.
    pub mineral: Mineral,
    /// The stage.
    pub stage: Stage,
    /// The source.
    pub origin: ProductionOrigin,
    /// How many nodes it gave.
    pub nodes: usize,
}

/// What [`Dataset::world_chain`] built and left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorldChainReport {
    /// The year.
    pub year: i16,
    /// The production rule used.
    pub production_source: ProductionSource,
    /// For each (mineral, stage) with production nodes, which source gave
    /// them, and how many nodes.
    pub production: Vec<ProductionPick>,
    /// Production nodes added (named countries, and USGS "other countries"
    /// rows as `ROW` nodes).
    pub production_nodes: usize,
    /// Of those, nodes whose figure USGS withholds (no output).
    pub withheld: usize,
    /// Trade rows read for the year.
    pub trade_rows: usize,
    /// Flows added: one per trade row kept.
    pub flows: usize,
    /// Trade rows without a quantity. Under the default
    /// [`FlowMeasure::Quantity`](crate::io::FlowMeasure::Quantity) they are
    /// left out (and also counted in `skipped`); under
    /// [`FlowMeasure::Value`](crate::io::FlowMeasure::Value) their flows
    /// carry the value, tonnes 0 and status [`Status::Withheld`] (a lower
    /// bound, never a figure).
    pub rows_without_quantity: usize,
    /// The measure the chain was built with.
    pub measure: FlowMeasure,
    /// Rows left out, by reason.
    pub skipped: BTreeMap<WorldSkip, usize>,
}

impl WorldChainReport {
    fn skip(&mut self, why: WorldSkip) {
        *self.skipped.entry(why).or_default() += 1;
    }
}

impl fmt::Display for WorldChainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "World chain {}: {} production nodes ({} withheld), {} flows from {} BACI rows \
             ({} without quantity, {})",
            self.year,
            self.production_nodes,
            self.withheld,
            self.flows,
            self.trade_rows,
            self.rows_without_quantity,
            match self.measure {
                FlowMeasure::Quantity => "left out",
                FlowMeasure::Value => "kept by value",
            }
        )?;
        if !self.skipped.is_empty() {
            let mut t = Table::new(["left out", "rows"]);
            for (why, n) in &self.skipped {
                t.row([why.to_string(), n.to_string()]);
            }
            t.write(f, "  ")?;
        }
        Ok(())
    }
}

/// A year's world chain and what building it did.
#[derive(Debug, Clone)]
pub struct WorldChain {
    /// The chain.
    pub chain: SupplyChain,
    /// What was built and left out.
    pub report: WorldChainReport,
}

impl Dataset {
    /// The built-in BACI trade table, parsed on first use (not by
    /// [`Dataset::builtin`]) and cached. See [`TradeTable`].
    ///
    /// # Errors
    /// As [`TradeTable::builtin`].
    pub fn trade(&self) -> Result<&'static TradeTable> {
        TradeTable::builtin()
    }

    /// The built-in World Mining Data table, parsed on first use and
    /// cached. See [`WorldMiningData`].
    ///
    /// # Errors
    /// As [`WorldMiningData::builtin`].
    pub fn world_mining_data(&self) -> Result<&'static WorldMiningData> {
        WorldMiningData::builtin()
    }

    /// A year's world chain: every mineral with trade or production that
    /// year.
    ///
    /// - **Production nodes**, per (mineral, stage), from one source (see
    ///   [`ProductionSource`]): output in tonnes, [`Node::basis`] from the
    ///   source's `basis` column, provenance = the source id, the status
    ///   (USGS reported / estimated / withheld; WMD `r` → reported, `e` →
    ///   estimated, `p` → reported with "preliminary" in the note) and a
    ///   note naming the commodity or basis. World totals are not nodes;
    ///   USGS "other countries" rows are `ROW` nodes, as in
    ///   [`Dataset::chain`].
    /// - **Flows**: one per BACI row of the year, from the exporter's node
    ///   at the code's stage to the importer's node at
    ///   [`receiving_stage`] of it (the trade loaders' rule), with the
    ///   year, [`Flow::hs6`], the value (kUSD → [`Usd`](crate::Usd)),
    ///   [`Basis::PRODUCT_WEIGHT`] and the source
    ///   `cepii_baci_hs92_v202401b`. A row without quantity is left out by
    ///   default and counted in the report as [`WorldSkip::NoQuantity`];
    ///   only under [`WorldChainOptions::measure`] =
    ///   [`FlowMeasure::Value`](crate::io::FlowMeasure::Value) does it
    ///   become a flow of 0 t with status [`Status::Withheld`] and the value
    ///   (usable by value, its tonnes a lower bound), as the loaders do.
    /// - **Policy**: every agreement and restriction, unless
    ///   [`WorldChainOptions::policy`] is `false`; every source.
    ///
    /// Which analyses are meaningful on it as shipped is in the
    /// [`data`](crate::data) module docs ("The world chain").
    ///
    /// Complexity: O(R + P) for the year's R trade rows and P production
    /// rows, after the one-off parse of the trade table.
    ///
    /// # Errors
    /// As [`Dataset::trade`] and [`Dataset::world_mining_data`];
    /// [`Error::NoData`] for a year with neither trade nor production.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset};
    /// use critical_minerals::data::WorldChainOptions;
    /// let data = Dataset::builtin()?;
    /// let world = data.world_chain(&WorldChainOptions::new(2023))?;
    /// // 2023, Malaysia → US, rare-earth compounds (HS 284690).
    /// let f = world.chain.flows_between(Country::MYS, Country::USA)
    ///     .find(|f| f.flow.hs6 == Some(284690)).unwrap();
    /// assert_eq!(f.flow.tonnes.get(), 1_502.435);
    /// assert_eq!(f.flow.value.unwrap().get(), 4_977_746.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn world_chain(&self, options: &WorldChainOptions) -> Result<WorldChain> {
        let trade = self.trade()?;
        let query = TradeQuery::new().year(options.year);
        self.world_chain_from_rows(options, trade.rows(&query))
    }

    /// A world chain from the given trade rows (any subset of the table,
    /// or rows of the caller's own), with the production of
    /// [`Dataset::world_chain`]. Rows of another year than the options'
    /// are skipped and counted.
    ///
    /// # Errors
    /// As [`Dataset::world_chain`]; [`Error::Invalid`] naming the row (its
    /// index in `rows`, exporter, importer, code and year) around
    /// [`Error::UnknownValue`] for a code not in the trade concordance or
    /// [`Error::InvalidQuantity`] for a negative or non-finite value.
    /// Nothing is built on error.
    pub fn world_chain_from_rows<'r>(
        &self,
        options: &WorldChainOptions,
        rows: impl IntoIterator<Item = &'r TradeRow>,
    ) -> Result<WorldChain> {
        let trade = self.trade()?;
        let year = options.year;
        let mut report = WorldChainReport {
            year,
            production_source: options.production,
            production: Vec::new(),
            production_nodes: 0,
            withheld: 0,
            trade_rows: 0,
            flows: 0,
            rows_without_quantity: 0,
            measure: options.measure,
            skipped: BTreeMap::new(),
        };
        let mut chain = SupplyChain::new();
        for s in self.sources() {
            chain.add_source(s.clone())?;
        }
        self.add_production(&mut chain, options, &mut report)?;

        let mut pending = Vec::new();
        for (i, r) in rows.into_iter().enumerate() {
            let at = || {
                format!(
                    "trade row {i} ({} -> {}, HS {:06}, {})",
                    r.exporter, r.importer, r.hs6, r.year
                )
            };
            if r.year != year {
                report.skip(WorldSkip::OtherYear);
                continue;
            }
            report.trade_rows += 1;
            if r.exporter == r.importer {
                report.skip(WorldSkip::SelfTrade);
                continue;
            }
            let product = trade.product(r.hs6).ok_or_else(|| {
                Error::UnknownValue {
                    field: "hs6",
                    value: format!("{:06}", r.hs6),
                    expected: "a code of data/trade_hs92_concordance.csv",
                }
                .at(at())
            })?;
            let mut prov = Provenance::reported(BACI_SOURCE);
            let tonnes = match r.tonnes {
                Some(t) => t,
                None if options.measure == FlowMeasure::Quantity => {
                    report.rows_without_quantity += 1;
                    report.skip(WorldSkip::NoQuantity);
                    continue;
                }
                None => {
                    report.rows_without_quantity += 1;
                    prov.status = Status::Withheld;
                    prov.note = Some(
                        "BACI gives no quantity: tonnes 0 is not a figure; use the value".into(),
                    );
                    Tonnes::ZERO
                }
            };
            let flow = Flow::new(tonnes)
                .value(r.value().map_err(|e| e.at(at()))?)
                .year(year)
                .hs6(r.hs6)
                .basis(Basis::PRODUCT_WEIGHT)
                .provenance(prov);
            let m = &product.mineral;
            pending.push((
                NodeKey::new(r.exporter, m.clone(), product.stage),
                NodeKey::new(r.importer, m.clone(), receiving_stage(product.stage)),
                flow,
            ));
        }
        report.flows = pending.len();
        chain.add_flows_by_key(pending)?;
        if options.policy {
            for a in self.agreements() {
                chain.add_agreement(a.clone())?;
            }
            for r in self.restrictions() {
                chain.add_restriction(r.clone())?;
            }
        }
        if chain.node_count() == 0 {
            return Err(Error::NoData {
                what: format!("trade or production for {year}"),
            });
        }
        Ok(WorldChain { chain, report })
    }

    fn add_production(
        &self,
        chain: &mut SupplyChain,
        options: &WorldChainOptions,
        report: &mut WorldChainReport,
    ) -> Result<()> {
        let year = options.year;
        let (usgs, wmd) = match options.production {
            ProductionSource::UsgsThenWmd => (true, true),
            ProductionSource::Usgs => (true, false),
            ProductionSource::Wmd => (false, true),
            ProductionSource::None => return Ok(()),
        };
        let mut covered: BTreeSet<(Mineral, Stage)> = BTreeSet::new();
        if usgs {
            let groups: BTreeSet<(&Mineral, Stage)> = self
                .production_rows()
                .iter()
                .filter(|r| r.year == year)
                .map(|r| (&r.mineral, r.stage))
                .collect();
            for (mineral, stage) in groups {
                let p = self.production(mineral, stage, year);
                if p.world_total().is_some() {
                    report.skip(WorldSkip::WorldTotal);
                }
                let mut n = 0;
                for r in p.countries().iter().copied().chain(p.rest_of_world()) {
                    let prov = r.provenance("USGS ");
                    let mut node = Node::new(r.country, r.mineral.clone(), r.stage)
                        .basis(Basis::new(r.basis.as_str())?)
                        .provenance(prov);
                    node.output = r.tonnes();
                    report.withheld += usize::from(node.output.is_none());
                    chain.add_node(node)?;
                    n += 1;
                }
                // A group with only a world total gives no node: World
                // Mining Data may still cover it.
                if n > 0 {
                    report.production_nodes += n;
                    report.production.push(ProductionPick {
                        mineral: mineral.clone(),
                        stage,
                        origin: ProductionOrigin::Usgs,
                        nodes: n,
                    });
                    covered.insert((mineral.clone(), stage));
                }
            }
        }
        if wmd {
            let data = self.world_mining_data()?;
            for c in data.commodities() {
                if covered.contains(&(c.mineral.clone(), c.stage)) {
                    continue;
                }
                let rows = data.year_of(&c.name, year);
                let mut n = 0;
                for (i, r) in rows.iter().enumerate() {
                    if r.country == Country::WLD {
                        report.skip(WorldSkip::WorldTotal);
                        continue;
                    }
                    let twin = |j: usize| rows.get(j).is_some_and(|o| o.country == r.country);
                    if twin(i + 1) || (i > 0 && twin(i - 1)) {
                        report.skip(WorldSkip::ConflictingDuplicate);
                        continue;
                    }
                    let (status, flag) = match r.flag {
                        Some(WmdFlag::Estimated) => (Status::Estimated, "e"),
                        Some(WmdFlag::Preliminary) => (Status::Reported, "p, preliminary"),
                        Some(WmdFlag::Reported) => (Status::Reported, "r"),
                        None => (Status::Reported, "none"),
                    };
                    let prov = Provenance::reported(WMD_SOURCE).note(format!(
                        "World Mining Data {} {}: {} (flag {flag}); basis: {}",
                        c.name, r.year, r.reported, c.basis
                    ));
                    let prov = Provenance { status, ..prov };
                    let node = Node::new(r.country, c.mineral.clone(), c.stage)
                        .output(r.reported.tonnes())
                        .basis(c.basis.clone())
                        .provenance(prov);
                    chain.add_node(node)?;
                    n += 1;
                }
                if n > 0 {
                    report.production_nodes += n;
                    report.production.push(ProductionPick {
                        mineral: c.mineral.clone(),
                        stage: c.stage,
                        origin: ProductionOrigin::Wmd,
                        nodes: n,
                    });
                }
            }
        }
        report
            .production
            .sort_by(|a, b| (&a.mineral, a.stage).cmp(&(&b.mineral, b.stage)));
        Ok(())
    }
}
