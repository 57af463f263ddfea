//! Upstream origin of a node's supply, and the share of it that passes
//! through a country (the model is in the [module docs](crate::analysis)).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::{Align, Table};
use crate::chain::{NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Share, Stage, Tonnes};

mod solve;
use solve::Upstream;

/// How recycled material is attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecyclingOrigin {
    /// Trace it back through the recycling node's inputs (end-of-life
    /// products) to where it was first mined (default).
    #[default]
    TraceThrough,
    /// Count a recycling node as an origin of its own: secondary supply
    /// originates where it is recovered.
    AsOrigin,
}

/// Options for [`SupplyChain::origin`] and [`SupplyChain::pass_through`].
///
/// # Example
/// ```
/// use critical_minerals::analysis::{OriginOptions, RecyclingOrigin};
/// let opts = OriginOptions::new().tolerance(1e-10).recycling(RecyclingOrigin::AsOrigin);
/// assert_eq!(opts.max_sweeps, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OriginOptions {
    /// Relative change below which a cyclic component counts as settled
    /// (default `1e-12`).
    pub tolerance: f64,
    /// Sweeps allowed per cyclic component before giving up (default
    /// 10,000).
    pub max_sweeps: usize,
    /// How recycled material is attributed.
    pub recycling: RecyclingOrigin,
}

impl Default for OriginOptions {
    fn default() -> OriginOptions {
        OriginOptions {
            tolerance: 1e-12,
            max_sweeps: 10_000,
            recycling: RecyclingOrigin::TraceThrough,
        }
    }
}

impl OriginOptions {
    /// Tolerance `1e-12`, 10,000 sweeps, recycling traced through.
    pub fn new() -> OriginOptions {
        OriginOptions::default()
    }

    /// Sets the relative tolerance.
    pub fn tolerance(mut self, tolerance: f64) -> OriginOptions {
        self.tolerance = tolerance;
        self
    }

    /// Sets the sweep limit per cyclic component.
    pub fn max_sweeps(mut self, max_sweeps: usize) -> OriginOptions {
        self.max_sweeps = max_sweeps;
        self
    }

    /// Sets how recycled material is attributed.
    pub fn recycling(mut self, recycling: RecyclingOrigin) -> OriginOptions {
        self.recycling = recycling;
        self
    }

    fn validate(&self) -> Result<()> {
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(Error::OutOfDomain {
                field: "origin tolerance",
                value: self.tolerance.to_string(),
                expected: "must be finite and positive".into(),
            });
        }
        if self.max_sweeps == 0 {
            return Err(Error::OutOfDomain {
                field: "origin max_sweeps",
                value: "0".into(),
                expected: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// Why a node counts as an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// Mine output (an extraction node, or an exploration node): its own
    /// output if it has a figure, else what it ships beyond its inputs.
    Extraction,
    /// A recycling node under [`RecyclingOrigin::AsOrigin`].
    Recycling,
    /// A processing, refining or manufacturing node (or a recycling node
    /// when traced through) that ships material but has no recorded
    /// inputs: domestic supply the chain does not explain, attributed to
    /// that node's country and stage.
    Unexplained,
    /// A node in a loop that no material enters and none originates in
    /// (trade going round in a circle with no source): its supply cannot
    /// be traced, so it is attributed to the first node of the loop the
    /// walk reaches. For [`SupplyChain::pass_through`] the walk still
    /// meets every node of the loop.
    ClosedLoop,
}

impl OriginKind {
    /// Whether this is a traced origin (extraction or recycling) rather
    /// than a gap in the chain.
    pub fn is_traced(self) -> bool {
        matches!(self, OriginKind::Extraction | OriginKind::Recycling)
    }
}

impl fmt::Display for OriginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            OriginKind::Extraction => "extraction",
            OriginKind::Recycling => "recycling",
            OriginKind::Unexplained => "unexplained (no inputs)",
            OriginKind::ClosedLoop => "closed loop (no source)",
        })
    }
}

/// A share of supply attributed to one origin.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OriginSource {
    /// The origin's country.
    pub country: Country,
    /// The origin node's stage.
    pub stage: Stage,
    /// Why it is an origin.
    pub kind: OriginKind,
    /// Its share of the target's supply.
    pub share: Share,
}

/// A country's share of something.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CountryShare {
    /// The country.
    pub country: Country,
    /// Its share.
    pub share: Share,
}

/// Where a node's supply originates; see [`SupplyChain::origin`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// The target node.
    pub target: NodeKey,
    /// The target's supply: its inflow plus what it originates itself.
    pub supply: Tonnes,
    /// Share by country (every kind of origin), largest first, ties by
    /// code. Sums to 1.
    pub by_country: Vec<CountryShare>,
    /// Share by origin node (country, stage, kind), largest first.
    pub sources: Vec<OriginSource>,
    /// The part that is not traced to extraction or recycling
    /// ([`OriginKind::Unexplained`] and [`OriginKind::ClosedLoop`]).
    pub untraced: Share,
    /// Nodes upstream of the target (the target included).
    pub upstream_nodes: usize,
    /// Flows among them.
    pub upstream_flows: usize,
    /// Gauss–Seidel sweeps over cyclic components, summed.
    pub sweeps: usize,
    /// How far the unnormalised shares summed from 1 (a measure of the
    /// solve's error).
    pub residual: f64,
}

impl Origin {
    /// The share originating in `country` (zero when none does).
    pub fn share_of(&self, country: Country) -> Share {
        share_in(&self.by_country, country)
    }
}

/// The share of a node's supply that passes through each country at any
/// stage; see [`SupplyChain::pass_through_all`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassThrough {
    /// The target node.
    pub target: NodeKey,
    /// Every country with a node upstream of the target, largest share
    /// first, ties by code. Shares do not add up to 1: material passes
    /// through several countries.
    pub shares: Vec<CountryShare>,
}

impl PassThrough {
    /// The share passing through `country` (zero when it is not upstream).
    pub fn share_of(&self, country: Country) -> Share {
        share_in(&self.shares, country)
    }
}

/// The share of `country` in `shares` (zero when it has no row).
fn share_in(shares: &[CountryShare], country: Country) -> Share {
    shares
        .iter()
        .find(|c| c.country == country)
        .map_or(Share::ZERO, |c| c.share)
}

/// Country, name and share of each row, in the given order.
fn country_table(shares: &[CountryShare]) -> Table {
    let mut t = Table::new(["country", "name", "share"]).align(1, Align::Left);
    for c in shares {
        t.row([
            c.country.to_string(),
            c.country.name().to_string(),
            c.share.to_string(),
        ]);
    }
    t
}

fn sort_shares(v: &mut [CountryShare]) {
    v.sort_by(|a, b| {
        b.share
            .get()
            .total_cmp(&a.share.get())
            .then(a.country.cmp(&b.country))
    });
}

impl SupplyChain {
    /// Where the supply of `target` originates, by country and by origin
    /// node, for every origin country at once: traced upstream through
    /// every intermediary in proportion to flows (each node's supply is a
    /// mix of its inputs in proportion to their tonnes), through recycling
    /// and trade loops (see the [module docs](crate::analysis) for the
    /// linear system and the tolerance).
    ///
    /// For a country's stage, the target is that node:
    /// `chain.node_id(&NodeKey::new(country, mineral, stage))`.
    ///
    /// Origins: an extraction (or exploration) node originates its own
    /// output (its output figure, else what it ships beyond its inputs);
    /// imported ore passes through it. A later-stage node with no recorded
    /// inputs is [`OriginKind::Unexplained`]: its supply is attributed to
    /// its own country and stage and counted in [`Origin::untraced`].
    ///
    /// Complexity: O(V + V_up + E_up + E_c × s): one O(V) index map, a
    /// breadth-first pass and Tarjan's components over the V_up nodes and
    /// E_up flows upstream of the target, then s sweeps over the E_c flows
    /// inside loops (s ≈ log(tolerance) / log(recirculation rate); a chain
    /// without loops needs none).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] when `target` is not in the chain;
    /// [`Error::OutOfDomain`] for a tolerance that is not positive or a
    /// zero sweep limit; [`Error::NotConverged`] when a loop does not settle
    /// within `max_sweeps`.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::OriginOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ree = Mineral::RARE_EARTHS;
    /// let mine = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Extraction)
    ///     .output(Tonnes::new(100.0)?))?;
    /// let refinery = chain.add_node(Node::new(Country::JPN, ree.clone(), Stage::Refining))?;
    /// let magnets = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(mine, refinery, Flow::new(Tonnes::new(50.0)?))?;
    /// chain.add_flow(refinery, magnets, Flow::new(Tonnes::new(40.0)?))?;
    /// // A US magnet maker that buys from Japan still depends on Chinese mining.
    /// let o = chain.origin(magnets, &OriginOptions::new())?;
    /// assert_eq!(o.share_of(Country::CHN).get(), 1.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn origin(&self, target: NodeId, options: &OriginOptions) -> Result<Origin> {
        options.validate()?;
        let up = Upstream::build(self, target, options)?;
        let (y, sweeps, _) = up.visits(None, options)?;
        let mut by_source: BTreeMap<(Country, Stage, OriginKind), f64> = BTreeMap::new();
        let mut total = 0.0;
        for (i, n) in up.nodes.iter().enumerate() {
            let m = y[i] * n.beta;
            if m > 0.0 {
                *by_source.entry((n.country, n.stage, n.kind)).or_insert(0.0) += m;
                total += m;
            }
        }
        let mut by_country_map: BTreeMap<Country, f64> = BTreeMap::new();
        let mut untraced = 0.0;
        let mut sources: Vec<OriginSource> = by_source
            .into_iter()
            .map(|((country, stage, kind), m)| {
                *by_country_map.entry(country).or_insert(0.0) += m;
                if !kind.is_traced() {
                    untraced += m;
                }
                OriginSource {
                    country,
                    stage,
                    kind,
                    share: Share::ratio(m, total),
                }
            })
            .collect();
        sources.sort_by(|a, b| {
            b.share
                .get()
                .total_cmp(&a.share.get())
                .then((a.country, a.stage, a.kind).cmp(&(b.country, b.stage, b.kind)))
        });
        let mut by_country: Vec<CountryShare> = by_country_map
            .into_iter()
            .map(|(country, m)| CountryShare {
                country,
                share: Share::ratio(m, total),
            })
            .collect();
        sort_shares(&mut by_country);
        Ok(Origin {
            target: up.target,
            supply: up.supply,
            by_country,
            sources,
            untraced: Share::ratio(untraced, total),
            upstream_nodes: up.nodes.len(),
            upstream_flows: up.flows,
            sweeps,
            residual: (1.0 - total).abs(),
        })
    }

    /// The share of `target`'s supply that passes through `country` at any
    /// stage upstream of it (the "vulnerability" of Cheng et al. 2024,
    /// *Nature Communications* 15, doi:10.1038/s41467-024-46418-1): the
    /// probability that the upstream walk of [`SupplyChain::origin`] meets a
    /// node of `country`. Always at least the share originating there; 1
    /// when the target itself is in `country`.
    ///
    /// A closed loop ([`OriginKind::ClosedLoop`]: trade going round with no
    /// source) is one origin for [`SupplyChain::origin`], but a walk that
    /// enters it goes round it for ever, so it meets every country of the
    /// loop: the share reaching the loop passes through all of them.
    ///
    /// Complexity: as [`SupplyChain::origin`], for one country.
    ///
    /// # Errors
    /// As [`SupplyChain::origin`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::OriginOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ree = Mineral::RARE_EARTHS;
    /// let au = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
    /// let cn = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining))?;
    /// let my = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
    /// let us = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(au, cn, Flow::new(Tonnes::new(60.0)?))?;
    /// chain.add_flow(au, my, Flow::new(Tonnes::new(40.0)?))?;
    /// chain.add_flow(cn, us, Flow::new(Tonnes::new(30.0)?))?;
    /// chain.add_flow(my, us, Flow::new(Tonnes::new(10.0)?))?;
    /// // All of it is Australian ore, and 30 of the 40 t were refined in China.
    /// let opts = OriginOptions::new();
    /// assert_eq!(chain.origin(us, &opts)?.share_of(Country::AUS).get(), 1.0);
    /// assert!((chain.pass_through(us, Country::CHN, &opts)?.get() - 0.75).abs() < 1e-12);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn pass_through(
        &self,
        target: NodeId,
        country: Country,
        options: &OriginOptions,
    ) -> Result<Share> {
        options.validate()?;
        let up = Upstream::build(self, target, options)?;
        up.pass_share(country, options)
    }

    /// [`SupplyChain::pass_through`] for every country with a node upstream
    /// of `target`, sharing one upstream pass.
    ///
    /// Complexity: O(V + K × (V_up + E_up + E_c × s)) for the K countries
    /// upstream (one absorbing walk per country).
    ///
    /// # Errors
    /// As [`SupplyChain::origin`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::OriginOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let co = Mineral::COBALT;
    /// let cd = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
    /// let cn = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
    /// let jp = chain.add_node(Node::new(Country::JPN, co.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(cd, cn, Flow::new(Tonnes::new(100.0)?))?;
    /// chain.add_flow(cn, jp, Flow::new(Tonnes::new(20.0)?))?;
    /// let p = chain.pass_through_all(jp, &OriginOptions::new())?;
    /// assert_eq!(p.share_of(Country::CHN).get(), 1.0);
    /// assert_eq!(p.shares.len(), 3);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn pass_through_all(&self, target: NodeId, options: &OriginOptions) -> Result<PassThrough> {
        options.validate()?;
        let up = Upstream::build(self, target, options)?;
        let countries: std::collections::BTreeSet<Country> =
            up.nodes.iter().map(|n| n.country).collect();
        let mut shares = Vec::with_capacity(countries.len());
        for c in countries {
            shares.push(CountryShare {
                country: c,
                share: up.pass_share(c, options)?,
            });
        }
        sort_shares(&mut shares);
        Ok(PassThrough {
            target: up.target,
            shares,
        })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Upstream origin of {} (supply {}; {} nodes, {} flows upstream)",
            self.target, self.supply, self.upstream_nodes, self.upstream_flows
        )?;
        country_table(&self.by_country).write(f, "  ")?;
        writeln!(f, "  By origin node:")?;
        let mut t = Table::new(["country", "stage", "kind", "share"])
            .align(1, Align::Left)
            .align(2, Align::Left);
        for s in &self.sources {
            t.row([
                s.country.to_string(),
                s.stage.to_string(),
                s.kind.to_string(),
                s.share.to_string(),
            ]);
        }
        t.write(f, "  ")?;
        if self.untraced.get() > 0.0 {
            writeln!(
                f,
                "  {} of the supply is not traced to extraction: nodes that ship more than the \
                 chain records them receiving.",
                self.untraced
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for PassThrough {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Share of {}'s supply passing through each country",
            self.target
        )?;
        country_table(&self.shares).write(f, "  ")
    }
}
