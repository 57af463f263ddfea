//! The chokepoint report: which nodes and countries can, by failing, starve
//! a target, ranked by the supply they put at risk, each with the kinds of
//! risk found and a plain-language reason.
//!
//! One step per kind of risk, each returning plain findings from one
//! shared chain network; one pass then classifies and writes the reasons.
//!
//! Only nodes that lie on some supply path to the target are considered: a
//! concentrated stage or an articulation point elsewhere in the chain puts
//! nothing of this target at risk.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::text::{Align, Table};
use crate::analysis::{Band, Concentration, ConcentrationOptions, Guideline};
use crate::chain::{NodeId, NodeKey, SupplyChain};
use crate::error::Result;
use crate::model::{Country, Mineral, Share, Stage, Tonnes, group_thousands};
use crate::network::{
    ChainCuts, ChainNetwork, ChainSupply, CountryCriticality, CountryPairCut, FlowOptions, MinCut,
    NodeCriticality, NodeLimit, SupplyDominators, Target,
};

/// A kind of supply risk a node or country poses to the target. Ordered from
/// the hardest finding to the softest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RiskKind {
    /// Every supply path to the target passes through it: losing it cuts
    /// supply to zero whatever the capacities.
    Dominator,
    /// Removing it cuts at least [`ChokepointOptions::critical_share`] of
    /// deliverable supply.
    Critical,
    /// On a minimum cut: its own output, capacity or supply is one of the
    /// limits that cap deliverable supply, or it is one of the fewest nodes
    /// whose joint loss disconnects the target.
    MinimumCut,
    /// It holds at least [`ChokepointOptions::producer_share`] of a stage
    /// whose HHI is in the "highly concentrated" band of the chosen
    /// guideline.
    Concentration,
    /// Removing it splits the undirected trade network.
    ArticulationPoint,
}

impl fmt::Display for RiskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            RiskKind::Dominator => "dominator",
            RiskKind::Critical => "critical",
            RiskKind::MinimumCut => "min cut",
            RiskKind::Concentration => "concentrated",
            RiskKind::ArticulationPoint => "articulation point",
        })
    }
}

/// Options for [`SupplyChain::chokepoint_report`]: which flow network, which
/// thresholds, how many rows to print.
///
/// Not serialisable: [`ConcentrationOptions`] is not.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, Share};
/// use critical_minerals::analysis::{ChokepointOptions, Guideline};
/// let opts = ChokepointOptions::new()
///     .mineral(Mineral::COBALT)
///     .guideline(Guideline::Merger2010)
///     .critical_share(Share::from_percent(5.0)?);
/// assert_eq!(opts.critical_share.percent(), 5.0);
/// assert_eq!(opts.flow.mineral, Some(Mineral::COBALT));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChokepointOptions {
    /// How the chain's flow network is built (default: every mineral,
    /// observed outputs, supply entering where nodes originate it, links at
    /// their observed tonnes).
    pub flow: FlowOptions,
    /// Which guideline's "highly concentrated" band flags a stage (default:
    /// the 2023 merger guidelines).
    pub concentration: ConcentrationOptions,
    /// The share of deliverable supply whose loss makes a node or country
    /// [`RiskKind::Critical`] (default 10%).
    pub critical_share: Share,
    /// The share of a highly concentrated stage that makes a producer
    /// [`RiskKind::Concentration`] (default 25%).
    pub producer_share: Share,
    /// How many node and country rows `Display` prints (default 12; every
    /// row stays in the report's vectors).
    pub rows: usize,
}

impl Default for ChokepointOptions {
    fn default() -> Self {
        ChokepointOptions {
            flow: FlowOptions::new(),
            concentration: ConcentrationOptions::new(),
            // A tenth of supply is where losing one node stops being a
            // rounding matter for a downstream buyer.
            critical_share: Share::ratio(1.0, 10.0),
            // A quarter of a highly concentrated stage: large enough that the
            // producer alone drives the HHI past the band.
            producer_share: Share::ratio(1.0, 4.0),
            rows: 12,
        }
    }
}

impl ChokepointOptions {
    /// Defaults: every mineral, observed outputs, zero-tonne flows dropped
    /// ([`FlowOptions::new`]); 2023 merger guidelines; critical from 10% of
    /// supply; concentrated from a 25% share; 12 rows per printed table.
    pub fn new() -> ChokepointOptions {
        ChokepointOptions::default()
    }

    /// Sets the flow-network options.
    pub fn flow(mut self, flow: FlowOptions) -> Self {
        self.flow = flow;
        self
    }

    /// Sets the concentration options.
    pub fn concentration(mut self, c: ConcentrationOptions) -> Self {
        self.concentration = c;
        self
    }

    /// Sets the critical share.
    pub fn critical_share(mut self, s: Share) -> Self {
        self.critical_share = s;
        self
    }

    /// Sets the producer share.
    pub fn producer_share(mut self, s: Share) -> Self {
        self.producer_share = s;
        self
    }

    /// Sets how many rows `Display` prints.
    pub fn rows(mut self, n: usize) -> Self {
        self.rows = n;
        self
    }

    /// Only this mineral: shorthand for `.flow(flow.mineral(m))`, the
    /// question nearly every report asks.
    pub fn mineral(mut self, m: Mineral) -> Self {
        self.flow = self.flow.mineral(m);
        self
    }

    /// The guideline: shorthand for `.concentration(concentration.guideline(g))`.
    pub fn guideline(mut self, g: Guideline) -> Self {
        self.concentration = self.concentration.guideline(g);
        self
    }
}

/// One node that puts the target at risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeRisk {
    /// The node.
    pub node: NodeId,
    /// Its country, mineral and stage.
    pub key: NodeKey,
    /// Every kind of risk it poses, hardest first.
    pub kinds: Vec<RiskKind>,
    /// Deliverable supply lost when it alone is removed.
    pub lost: Tonnes,
    /// `lost` as a share of deliverable supply.
    pub criticality: Share,
    /// What it carries in the baseline maximum flow.
    pub throughput: Tonnes,
    /// Why, in plain language.
    pub reason: String,
}

/// One country that puts the target at risk (all its nodes together).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryRisk {
    /// The country.
    pub country: Country,
    /// Every kind of risk it poses, hardest first.
    pub kinds: Vec<RiskKind>,
    /// Deliverable supply lost when all its nodes *except the target's own*
    /// are removed together: the target's nodes are the demand, not a risk
    /// to it, so a country whose only nodes are in the target gets no row,
    /// and a target country's loss counts only its upstream nodes. For the
    /// loss with every node of the country removed, target included, ask
    /// [`ChainSupply::country_criticality`](crate::network::ChainSupply::country_criticality).
    pub lost: Tonnes,
    /// `lost` as a share of deliverable supply.
    pub criticality: Share,
    /// Why, in plain language.
    pub reason: String,
}

/// A stage flagged as highly concentrated, with its HHI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcentratedStage {
    /// The mineral.
    pub mineral: Mineral,
    /// The stage.
    pub stage: Stage,
    /// The stage's concentration (shares, HHI, band).
    pub concentration: Concentration,
}

/// Which nodes and countries can, by failing, starve a target — ranked by
/// the deliverable supply they put at risk, each with the kinds of risk and a
/// plain-language reason. `Display` prints it as tables; serde writes it as
/// plain data (the row count `Display` uses is left out).
///
/// One report combines five analyses of the same chain network (built once,
/// see [`ChainNetwork`] for its semantics), one step per kind of risk, each
/// returning plain findings; one pass then classifies every node and country
/// and writes the reasons:
///
/// | kind | meaning | from |
/// |---|---|---|
/// | [`RiskKind::Dominator`] | every supply path to the target passes through it | [`ChainNetwork::supply_dominators`] |
/// | [`RiskKind::Critical`] | removing it cuts at least the chosen share of deliverable supply | [`ChainSupply::node_criticality`], [`ChainSupply::country_criticality`] |
/// | [`RiskKind::MinimumCut`] | its own limit caps deliverable supply, or it is one of the fewest nodes whose loss disconnects the target | [`ChainSupply::min_cut`], [`ChainNetwork::min_node_cut`] |
/// | [`RiskKind::Concentration`] | it holds at least the chosen share of a stage whose HHI is in the "highly concentrated" band | [`SupplyChain::concentration`] |
/// | [`RiskKind::ArticulationPoint`] | removing it splits the undirected trade network | [`ChainNetwork::cuts`] |
///
/// Only nodes that lie on some supply path to the target are considered: a
/// concentrated stage or an articulation point elsewhere in the chain puts
/// nothing of this target at risk.
///
/// Build it with [`SupplyChain::chokepoint_report`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChokepointReport {
    /// The mineral analysed (`None`: every mineral).
    pub mineral: Option<Mineral>,
    /// The target.
    pub target: Target,
    /// Deliverable supply to the target: the maximum flow.
    pub deliverable_supply: Tonnes,
    /// Nodes with at least one kind of risk, most supply at risk first (ties:
    /// harder kind, then node id).
    pub nodes: Vec<NodeRisk>,
    /// Countries with at least one kind of risk, ranked likewise (ties by
    /// code).
    pub countries: Vec<CountryRisk>,
    /// The capacity minimum cut grouped by country pair, largest first: the
    /// trade links whose joint loss would leave nothing more to reroute.
    pub cut_country_pairs: Vec<CountryPairCut>,
    /// The fewest nodes whose joint loss disconnects the target (`None`
    /// when a target node is itself supplied, so no cut exists).
    pub min_node_cut: Option<Vec<NodeId>>,
    /// Stages flagged as highly concentrated, in mineral then stage order.
    pub concentrated_stages: Vec<ConcentratedStage>,
    #[serde(skip)]
    rows: usize,
    /// The guideline whose band flagged the concentrated stages.
    guideline: Guideline,
}

impl ChokepointReport {
    /// The nodes with a given kind of risk, in report order.
    pub fn nodes_of_kind(&self, kind: RiskKind) -> impl Iterator<Item = &NodeRisk> {
        self.nodes.iter().filter(move |n| n.kinds.contains(&kind))
    }

    /// The countries with a given kind of risk, in report order.
    pub fn countries_of_kind(&self, kind: RiskKind) -> impl Iterator<Item = &CountryRisk> {
        self.countries
            .iter()
            .filter(move |c| c.kinds.contains(&kind))
    }
}

impl SupplyChain {
    /// Which nodes and countries can, by failing, starve `target`, ranked,
    /// with the kinds of risk and a plain-language reason (see the
    /// [`ChokepointReport`] for the five kinds).
    ///
    /// Cost: one chain network and baseline max flow, node and country
    /// criticality (warm-started removals), dominators O((V + E) log V),
    /// country cuts O(C·(V + E)), the minimum node cut O(E √V),
    /// articulation points O(V + E), and one concentration per stage.
    ///
    /// # Errors
    /// As [`ChainNetwork::new`]: no node of the selected mineral(s) matches
    /// the target, a target node of another mineral, or tonnes beyond the
    /// flow engine's limit.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::analysis::{ChokepointOptions, RiskKind};
    /// use critical_minerals::network::Target;
    /// let ree = Mineral::RARE_EARTHS;
    /// let mut chain = SupplyChain::new();
    /// let t = |x: f64| Tonnes::new(x);
    /// let aus = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction).output(t(20.0)?))?;
    /// let chn_mine = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Extraction).output(t(80.0)?))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining).output(t(90.0)?))?;
    /// let usa = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(aus, chn, Flow::new(t(20.0)?))?;
    /// chain.add_flow(chn_mine, chn, Flow::new(t(70.0)?))?;
    /// chain.add_flow(chn, usa, Flow::new(t(30.0)?))?;
    /// let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    /// let report = chain.chokepoint_report(&target, &ChokepointOptions::new().mineral(ree))?;
    /// assert_eq!(report.deliverable_supply.get(), 30.0);
    /// assert_eq!(report.nodes[0].node, chn);
    /// assert!(report.nodes[0].kinds.contains(&RiskKind::Dominator));
    /// assert!(report.nodes[0].reason.starts_with(
    ///     "every tonne of rare earths reaching USA manufacturing passes through CHN refining"));
    /// println!("{report}");
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn chokepoint_report(
        &self,
        target: &Target,
        options: &ChokepointOptions,
    ) -> Result<ChokepointReport> {
        let net = ChainNetwork::new(self, target, &options.flow)?;
        let supply = net.solve();
        let upstream = net.upstream_nodes();
        let findings = Findings {
            deliverable_supply: supply.deliverable_supply(),
            dominators: dominator_step(&net),
            criticality: criticality_step(&supply),
            min_cut: min_cut_step(&net, &supply),
            concentrated_stages: concentration_step(self, &upstream, &options.concentration),
            cuts: structure_step(&net),
            upstream,
        };
        Ok(classify(findings, target, options))
    }
}

// ----- one step per kind of risk, each returning plain findings -------------

/// What the five steps found, before any classification or wording.
struct Findings {
    deliverable_supply: Tonnes,
    /// Nodes on some supply path, less the target's own.
    upstream: BTreeSet<NodeId>,
    dominators: SupplyDominators,
    criticality: Criticality,
    min_cut: MinCutFindings,
    concentrated_stages: Vec<ConcentratedStage>,
    cuts: ChainCuts,
}

struct Criticality {
    nodes: Vec<NodeCriticality>,
    /// The target's own nodes are spared when their country is removed:
    /// losing the target is no risk *to* it.
    countries: Vec<CountryCriticality>,
}

struct MinCutFindings {
    capacity: MinCut,
    nodes: Option<Vec<NodeId>>,
}

/// [`RiskKind::Dominator`]: nodes and countries every supply path passes through.
fn dominator_step(net: &ChainNetwork) -> SupplyDominators {
    net.supply_dominators()
}

/// [`RiskKind::Critical`]: supply lost per node and per country.
fn criticality_step(supply: &ChainSupply<'_>) -> Criticality {
    let targets: BTreeSet<u32> = supply
        .network()
        .flow_network()
        .demand()
        .iter()
        .map(|&(v, _)| v)
        .collect();
    Criticality {
        nodes: supply.node_criticality(),
        countries: supply.country_criticality_sparing(|v| targets.contains(&v)),
    }
}

/// [`RiskKind::MinimumCut`]: the capacity cut and the fewest-nodes cut.
fn min_cut_step(net: &ChainNetwork, supply: &ChainSupply<'_>) -> MinCutFindings {
    MinCutFindings {
        capacity: supply.min_cut(),
        nodes: net.min_node_cut(),
    }
}

/// [`RiskKind::Concentration`]: the highly concentrated (mineral, stage)
/// pairs among the upstream nodes, in mineral then stage order.
fn concentration_step(
    chain: &SupplyChain,
    upstream: &BTreeSet<NodeId>,
    options: &ConcentrationOptions,
) -> Vec<ConcentratedStage> {
    let pairs: BTreeSet<(Mineral, Stage)> = upstream
        .iter()
        .filter_map(|&id| chain.node(id))
        .map(|n| (n.mineral().clone(), n.stage()))
        .collect();
    pairs
        .into_iter()
        .filter_map(|(m, s)| {
            let c = chain.concentration(&m, s, options).ok()?;
            (c.band == Band::HighlyConcentrated).then_some(ConcentratedStage {
                mineral: m,
                stage: s,
                concentration: c,
            })
        })
        .collect()
}

/// [`RiskKind::ArticulationPoint`]: articulation points of the undirected
/// trade network.
fn structure_step(net: &ChainNetwork) -> ChainCuts {
    net.cuts()
}

// ----- one pass: classify and write the reasons ------------------------------

fn classify(f: Findings, target: &Target, options: &ChokepointOptions) -> ChokepointReport {
    let base = f.deliverable_supply;
    let mineral = options.flow.mineral.clone();
    let words = Words {
        mineral: mineral
            .as_ref()
            .map_or_else(|| "supply".to_string(), |m| m.as_str().replace('-', " ")),
        target: target_words(target),
        base,
        multi_mineral: mineral.is_none(),
    };
    let stage_conc: BTreeMap<(Mineral, Stage), &Concentration> = f
        .concentrated_stages
        .iter()
        .map(|c| ((c.mineral.clone(), c.stage), &c.concentration))
        .collect();
    let node_cut: BTreeSet<NodeId> = f.min_cut.nodes.iter().flatten().copied().collect();
    let mut binding: BTreeMap<NodeId, (Tonnes, &'static str)> = BTreeMap::new();
    for c in &f.min_cut.capacity.supplies {
        binding.insert(c.node, (c.tonnes, "supply"));
    }
    for c in &f.min_cut.capacity.node_limits {
        let what = match options.flow.limit {
            NodeLimit::Output => "output",
            NodeLimit::Capacity => "capacity",
        };
        binding.insert(c.node, (c.tonnes, what));
    }
    let dominators: BTreeSet<NodeId> = f.dominators.chokepoints.iter().copied().collect();

    let mut nodes = Vec::new();
    let mut country_kinds: BTreeMap<Country, BTreeSet<RiskKind>> = BTreeMap::new();
    let mut country_cut_nodes: BTreeMap<Country, Vec<String>> = BTreeMap::new();
    let mut country_notes: BTreeMap<Country, Vec<String>> = BTreeMap::new();
    for c in &f.criticality.nodes {
        if !f.upstream.contains(&c.node) {
            continue;
        }
        let label = words.node(&c.key);
        let mut kinds = BTreeSet::new();
        let mut why = Vec::new();
        let pct = c.criticality.to_string();
        if dominators.contains(&c.node) {
            kinds.insert(RiskKind::Dominator);
            why.push(format!(
                "every tonne of {} reaching {} passes through {label}; removing it cuts {pct}",
                words.mineral, words.target
            ));
        }
        if c.criticality.get() > 0.0 && c.criticality >= options.critical_share {
            kinds.insert(RiskKind::Critical);
            if !kinds.contains(&RiskKind::Dominator) {
                why.push(format!(
                    "removing {label} cuts {pct} ({} of {}) of the {} reaching {}",
                    c.lost, base, words.mineral, words.target
                ));
            }
        }
        if let Some((t, what)) = binding.get(&c.node) {
            kinds.insert(RiskKind::MinimumCut);
            why.push(format!(
                "its {what} of {t} is one of the limits that cap deliverable supply at {base}"
            ));
        }
        if node_cut.contains(&c.node) {
            // A dominator is a one-node cut already said; a binding
            // limit already explains the kind, and repeating "one of
            // the 13 nodes" on every mine of a wide stage is noise.
            let said = kinds.contains(&RiskKind::Dominator)
                || (kinds.contains(&RiskKind::MinimumCut) && node_cut.len() > 3);
            kinds.insert(RiskKind::MinimumCut);
            if !said {
                why.push(format!(
                    "one of the {} nodes whose joint loss disconnects {}",
                    node_cut.len(),
                    words.target
                ));
            }
        }
        if let Some(conc) = stage_conc.get(&(c.key.mineral.clone(), c.key.stage)) {
            let share = conc.share_of(c.key.country);
            if share.get() > 0.0 && share >= options.producer_share {
                kinds.insert(RiskKind::Concentration);
                let note = format!(
                    "{} holds {share} of {} {} (HHI {}, {} under the {})",
                    c.key.country,
                    c.key.mineral.as_str().replace('-', " "),
                    c.key.stage,
                    group_thousands(conc.hhi, 0),
                    conc.band,
                    conc.guideline
                );
                country_notes
                    .entry(c.key.country)
                    .or_default()
                    .push(note.clone());
                why.push(note);
            }
        }
        if f.cuts.is_articulation_point(c.node) {
            kinds.insert(RiskKind::ArticulationPoint);
            why.push(format!(
                "removing it splits the {} trade network into disconnected parts",
                words.mineral
            ));
        }
        if kinds.is_empty() {
            continue;
        }
        if kinds.contains(&RiskKind::MinimumCut) {
            country_cut_nodes
                .entry(c.key.country)
                .or_default()
                .push(label.clone());
        }
        let entry = country_kinds.entry(c.key.country).or_default();
        entry.extend(
            kinds
                .iter()
                .filter(|k| {
                    matches!(
                        k,
                        RiskKind::MinimumCut
                            | RiskKind::Concentration
                            | RiskKind::ArticulationPoint
                    )
                })
                .copied(),
        );
        nodes.push(NodeRisk {
            node: c.node,
            key: c.key.clone(),
            kinds: kinds.into_iter().collect(),
            lost: c.lost,
            criticality: c.criticality,
            throughput: c.throughput,
            reason: why.join("; "),
        });
    }
    nodes.sort_by(|a, b| {
        b.lost
            .get()
            .total_cmp(&a.lost.get())
            .then(a.kinds.first().cmp(&b.kinds.first()))
            .then(a.node.cmp(&b.node))
    });

    let country_dominators: BTreeSet<Country> = f.dominators.countries.iter().copied().collect();
    let mut countries = Vec::new();
    for &CountryCriticality {
        country,
        lost,
        criticality,
        ..
    } in &f.criticality.countries
    {
        let mut kinds = country_kinds.remove(&country).unwrap_or_default();
        let pct = criticality.to_string();
        let mut why = Vec::new();
        if country_dominators.contains(&country) {
            kinds.insert(RiskKind::Dominator);
            why.push(format!(
                "every tonne of {} reaching {} passes through {}; losing all its nodes cuts {pct}",
                words.mineral, words.target, country
            ));
        }
        if criticality.get() > 0.0 && criticality >= options.critical_share {
            kinds.insert(RiskKind::Critical);
            if !kinds.contains(&RiskKind::Dominator) {
                why.push(format!(
                    "losing every {} node cuts {pct} ({} of {})",
                    country, lost, base
                ));
            }
        }
        if kinds.contains(&RiskKind::MinimumCut) {
            let labels = country_cut_nodes.get(&country).cloned().unwrap_or_default();
            why.push(format!("on the minimum cut: {}", labels.join(", ")));
        }
        if let Some(notes) = country_notes.get(&country) {
            why.extend(notes.iter().cloned());
        }
        if kinds.contains(&RiskKind::ArticulationPoint) {
            why.push(format!(
                "has a node whose loss splits the {} trade network",
                words.mineral
            ));
        }
        if kinds.is_empty() {
            continue;
        }
        countries.push(CountryRisk {
            country,
            kinds: kinds.into_iter().collect(),
            lost,
            criticality,
            reason: why.join("; "),
        });
    }
    countries.sort_by(|a, b| {
        b.lost
            .get()
            .total_cmp(&a.lost.get())
            .then(a.kinds.first().cmp(&b.kinds.first()))
            .then(a.country.cmp(&b.country))
    });

    ChokepointReport {
        mineral,
        target: target.clone(),
        deliverable_supply: base,
        nodes,
        countries,
        cut_country_pairs: f.min_cut.capacity.country_pairs,
        min_node_cut: f.min_cut.nodes,
        concentrated_stages: f.concentrated_stages,
        rows: options.rows,
        guideline: options.concentration.guideline,
    }
}

/// Shared wording of one report.
struct Words {
    mineral: String,
    target: String,
    base: Tonnes,
    multi_mineral: bool,
}

impl Words {
    /// `CHN refining`, or `CHN rare-earths refining` across minerals.
    fn node(&self, key: &NodeKey) -> String {
        if self.multi_mineral {
            format!("{} {} {}", key.country, key.mineral, key.stage)
        } else {
            format!("{} {}", key.country, key.stage)
        }
    }
}

fn target_words(target: &Target) -> String {
    match target {
        Target::Stage(s) => format!("all {s} demand"),
        other => other.to_string(),
    }
}

impl fmt::Display for ChokepointReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = Words {
            mineral: self.mineral.as_ref().map_or_else(
                || "all minerals".to_string(),
                |m| m.as_str().replace('-', " "),
            ),
            target: target_words(&self.target),
            base: self.deliverable_supply,
            multi_mineral: self.mineral.is_none(),
        };
        writeln!(
            f,
            "Chokepoints: {} → {} (deliverable supply {})",
            words.mineral, words.target, words.base
        )?;
        if self.nodes.is_empty() && self.countries.is_empty() {
            return writeln!(f, "  no node or country puts this supply at risk");
        }

        writeln!(f, "\nNodes")?;
        let mut t = risk_table("node");
        for (i, n) in self.nodes.iter().take(self.rows).enumerate() {
            t.row_with_note(
                [
                    (i + 1).to_string(),
                    words.node(&n.key),
                    n.lost.to_string(),
                    n.criticality.to_string(),
                    join_kinds(&n.kinds),
                ],
                n.reason.as_str(),
            );
        }
        t.write(f, "  ")?;
        more(f, self.nodes.len(), self.rows)?;

        writeln!(
            f,
            "\nCountries (all their nodes but the target's own removed together)"
        )?;
        let mut t = risk_table("country");
        for (i, c) in self.countries.iter().take(self.rows).enumerate() {
            t.row_with_note(
                [
                    (i + 1).to_string(),
                    c.country.to_string(),
                    c.lost.to_string(),
                    c.criticality.to_string(),
                    join_kinds(&c.kinds),
                ],
                c.reason.as_str(),
            );
        }
        t.write(f, "  ")?;
        more(f, self.countries.len(), self.rows)?;

        if !self.cut_country_pairs.is_empty() {
            writeln!(f, "\nMinimum cut, trade links by country pair")?;
            for p in self.cut_country_pairs.iter().take(self.rows) {
                writeln!(
                    f,
                    "  {} → {}: {} ({} flow{})",
                    p.from,
                    p.to,
                    p.tonnes,
                    p.flows,
                    if p.flows == 1 { "" } else { "s" }
                )?;
            }
            more(f, self.cut_country_pairs.len(), self.rows)?;
        }
        match &self.min_node_cut {
            Some(cut) if !cut.is_empty() => {
                let labels: Vec<String> = cut
                    .iter()
                    .filter_map(|id| self.nodes.iter().find(|n| n.node == *id))
                    .map(|n| words.node(&n.key))
                    .collect();
                writeln!(
                    f,
                    "\nFewest nodes whose loss disconnects {} ({}): {}",
                    words.target,
                    cut.len(),
                    labels.join(", ")
                )?;
            }
            _ => {}
        }
        if !self.concentrated_stages.is_empty() {
            writeln!(f, "\nHighly concentrated stages ({})", self.guideline)?;
            for s in &self.concentrated_stages {
                let top: Vec<String> = s
                    .concentration
                    .shares
                    .iter()
                    .take(3)
                    .map(|p| format!("{} {}", p.country, p.share))
                    .collect();
                writeln!(
                    f,
                    "  {} {}: HHI {}; {}",
                    s.mineral,
                    s.stage,
                    group_thousands(s.concentration.hhi, 0),
                    top.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

fn join_kinds(kinds: &[RiskKind]) -> String {
    kinds
        .iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn more(f: &mut fmt::Formatter<'_>, total: usize, shown: usize) -> fmt::Result {
    if total > shown {
        writeln!(f, "  … and {} more", total - shown)?;
    }
    Ok(())
}

/// The node and country tables: rank and figures right-aligned, names and
/// kinds left, each row's reason on the line below it.
fn risk_table(what: &str) -> Table {
    Table::new(["#", what, "lost if removed", "share", "kinds"])
        .align(0, Align::Right)
        .align(1, Align::Left)
        .align(4, Align::Left)
        .rule('─')
}
