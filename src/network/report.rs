//! The chokepoint report: which nodes and countries can, by failing, starve
//! a target, ranked by the supply they put at risk, each with the kinds of
//! risk found and a plain-language reason.
//!
//! One report combines five analyses of the same flow network (see
//! [`FlowNetwork::from_chain`] for its semantics):
//!
//! | kind | meaning | from |
//! |---|---|---|
//! | [`RiskKind::Dominator`] | every supply path to the target passes through it | [`supply_dominators`] |
//! | [`RiskKind::Critical`] | removing it cuts at least the chosen share of deliverable supply | [`SupplyEngine::node_criticality`] |
//! | [`RiskKind::MinimumCut`] | its own limit caps deliverable supply, or it is one of the fewest nodes whose loss disconnects the target | [`SupplyEngine::min_cut`], [`FlowNetwork::min_node_cut_ids`] |
//! | [`RiskKind::Concentration`] | it holds at least the chosen share of a stage whose HHI is in the "highly concentrated" band | [`SupplyChain::concentration`] |
//! | [`RiskKind::ArticulationPoint`] | removing it splits the undirected trade network | [`chain_cuts`] |
//!
//! Only nodes that lie on some supply path to the target are considered: a
//! concentrated stage or an articulation point elsewhere in the chain puts
//! nothing of this target at risk.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::analysis::table::{Align, Table};
use crate::analysis::{Band, Concentration, ConcentrationOptions, Guideline};
use crate::chain::{NodeId, NodeKey, SupplyChain};
use crate::error::Result;
use crate::model::{Country, Mineral, Share, Stage, Tonnes, group_thousands};
use crate::network::articulation::chain_cuts;
use crate::network::batch::SupplyEngine;
use crate::network::criticality::CountryCriticality;
use crate::network::dominators::{on_supply_paths, supply_dominators};
use crate::network::flownet::{FlowNetwork, FlowOptions, NodeLimit, Target};
use crate::network::mincut::CountryPairCut;

/// A kind of supply risk a node or country poses to the target. Ordered from
/// the hardest finding to the softest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// Options for [`ChokepointReport::new`]: which flow network, which
/// thresholds, how many rows to print.
///
/// # Example
/// ```
/// use critical_minerals::{Mineral, Share};
/// use critical_minerals::analysis::Guideline;
/// use critical_minerals::network::ChokepointOptions;
/// let opts = ChokepointOptions::new()
///     .mineral(Mineral::COBALT)
///     .guideline(Guideline::Merger2010)
///     .critical_share(Share::from_percent(5.0)?);
/// assert_eq!(opts.critical_threshold().percent(), 5.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ChokepointOptions {
    flow: FlowOptions,
    concentration: ConcentrationOptions,
    critical_share: Share,
    producer_share: Share,
    rows: usize,
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

    /// Only this mineral (shorthand for the flow options' mineral).
    pub fn mineral(mut self, m: Mineral) -> Self {
        self.flow = self.flow.mineral(m);
        self
    }

    /// Which node figure limits the flow (shorthand for the flow options').
    pub fn limit(mut self, limit: NodeLimit) -> Self {
        self.flow = self.flow.limit(limit);
        self
    }

    /// All flow-network options at once.
    pub fn flow_options(mut self, flow: FlowOptions) -> Self {
        self.flow = flow;
        self
    }

    /// The guideline whose "highly concentrated" band flags a stage.
    pub fn guideline(mut self, g: Guideline) -> Self {
        self.concentration = self.concentration.guideline(g);
        self
    }

    /// The share of deliverable supply whose loss makes a node or country
    /// [`RiskKind::Critical`] (default 10%).
    pub fn critical_share(mut self, s: Share) -> Self {
        self.critical_share = s;
        self
    }

    /// The share of a highly concentrated stage that makes a producer
    /// [`RiskKind::Concentration`] (default 25%).
    pub fn producer_share(mut self, s: Share) -> Self {
        self.producer_share = s;
        self
    }

    /// How many node and country rows `Display` prints (default 12; every
    /// row stays in the report's vectors).
    pub fn rows(mut self, n: usize) -> Self {
        self.rows = n;
        self
    }

    /// The flow-network options.
    pub fn flow(&self) -> &FlowOptions {
        &self.flow
    }

    /// The critical threshold.
    pub fn critical_threshold(&self) -> Share {
        self.critical_share
    }
}

/// One node that puts the target at risk.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct CountryRisk {
    /// The country.
    pub country: Country,
    /// Every kind of risk it poses, hardest first.
    pub kinds: Vec<RiskKind>,
    /// Deliverable supply lost when all its nodes are removed.
    pub lost: Tonnes,
    /// `lost` as a share of deliverable supply.
    pub criticality: Share,
    /// Why, in plain language.
    pub reason: String,
}

/// A stage flagged as highly concentrated, with its HHI.
#[derive(Debug, Clone, PartialEq)]
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
/// plain-language reason. `Display` prints it as tables.
///
/// Build it with [`ChokepointReport::new`] or
/// [`SupplyChain::chokepoint_report`].
#[derive(Debug, Clone, PartialEq)]
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
    rows: usize,
    guideline: Guideline,
}

impl ChokepointReport {
    /// Builds the report for `target` under `options`.
    ///
    /// Cost: one flow network and baseline max flow, node and country
    /// criticality (warm-started removals, see [`SupplyEngine`]), dominators
    /// O((V + E) log V), country cuts O(C·(V + E)), the minimum node cut
    /// O(E √V), articulation points O(V + E), and one concentration per
    /// stage.
    ///
    /// # Errors
    /// As [`FlowNetwork::from_chain`]: no node of the selected mineral(s)
    /// matches the target, a target node of another mineral, or tonnes
    /// beyond the flow engine's limit.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{ChokepointOptions, ChokepointReport, RiskKind, Target};
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
    /// let report = ChokepointReport::new(&chain, &target, &ChokepointOptions::new().mineral(ree))?;
    /// assert_eq!(report.deliverable_supply.get(), 30.0);
    /// assert_eq!(report.nodes[0].node, chn);
    /// assert!(report.nodes[0].kinds.contains(&RiskKind::Dominator));
    /// assert!(report.nodes[0].reason.starts_with(
    ///     "every tonne of rare earths reaching USA manufacturing passes through CHN refining"));
    /// println!("{report}");
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn new(
        chain: &SupplyChain,
        target: &Target,
        options: &ChokepointOptions,
    ) -> Result<ChokepointReport> {
        let net = FlowNetwork::from_chain(chain, target, &options.flow)?;
        let engine = SupplyEngine::new(&net);
        let base = engine.deliverable_supply();
        let node_crit = engine.node_criticality()?;
        let targets: BTreeSet<u32> = net.demand().iter().map(|&(v, _)| v).collect();
        let country_crit = engine.country_criticality_sparing(|v| targets.contains(&v))?;
        let min_cut = engine.min_cut()?;
        let min_node_cut = net.min_node_cut_ids()?;
        let dom = supply_dominators(&net);
        // Nodes on some supply path, less the target's own: they are the
        // demand, not a risk to it.
        let upstream: BTreeSet<NodeId> = on_supply_paths(&net)
            .into_iter()
            .filter(|v| !targets.contains(v))
            .filter_map(|v| net.chain_node(v))
            .collect();
        let cuts = chain_cuts(chain, &options.flow);
        let mineral = options.flow.selected_mineral().cloned();
        let words = Words {
            mineral: mineral
                .as_ref()
                .map_or_else(|| "supply".to_string(), |m| m.as_str().replace('-', " ")),
            target: target_words(target),
            base,
            multi_mineral: mineral.is_none(),
        };

        // Concentration of every (mineral, stage) on the supply paths.
        let mut concentrated_stages = Vec::new();
        let mut stage_conc: BTreeMap<(Mineral, Stage), Concentration> = BTreeMap::new();
        let pairs: BTreeSet<(Mineral, Stage)> = upstream
            .iter()
            .filter_map(|&id| chain.node(id))
            .map(|n| (n.mineral().clone(), n.stage()))
            .collect();
        for (m, s) in pairs {
            if let Ok(c) = chain.concentration(&m, s, &options.concentration) {
                if c.band == Band::HighlyConcentrated {
                    concentrated_stages.push(ConcentratedStage {
                        mineral: m.clone(),
                        stage: s,
                        concentration: c.clone(),
                    });
                    stage_conc.insert((m, s), c);
                }
            }
        }

        let node_cut: BTreeSet<NodeId> = min_node_cut.iter().flatten().copied().collect();
        let mut binding: BTreeMap<NodeId, (Tonnes, &'static str)> = BTreeMap::new();
        for c in &min_cut.supplies {
            binding.insert(c.node, (c.tonnes, "supply"));
        }
        for c in &min_cut.node_limits {
            let what = match options.flow.limit_kind() {
                NodeLimit::Output => "output",
                NodeLimit::Capacity => "capacity",
            };
            binding.insert(c.node, (c.tonnes, what));
        }
        let dominators: BTreeSet<NodeId> = dom.chokepoints.iter().copied().collect();

        let mut nodes = Vec::new();
        let mut country_kinds: BTreeMap<Country, BTreeSet<RiskKind>> = BTreeMap::new();
        let mut country_cut_nodes: BTreeMap<Country, Vec<String>> = BTreeMap::new();
        let mut country_notes: BTreeMap<Country, Vec<String>> = BTreeMap::new();
        for c in &node_crit {
            if !upstream.contains(&c.node) {
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
            if cuts.is_articulation_point(c.node) {
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

        let country_dominators: BTreeSet<Country> = dom.countries.iter().copied().collect();
        let mut countries = Vec::new();
        for &CountryCriticality {
            country,
            lost,
            criticality,
            ..
        } in &country_crit
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

        Ok(ChokepointReport {
            mineral,
            target: target.clone(),
            deliverable_supply: base,
            nodes,
            countries,
            cut_country_pairs: min_cut.country_pairs,
            min_node_cut,
            concentrated_stages,
            rows: options.rows,
            guideline: options.concentration.guideline,
        })
    }

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
    /// The chokepoint report for `target`; see [`ChokepointReport::new`].
    ///
    /// # Errors
    /// As [`ChokepointReport::new`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{ChokepointOptions, Target};
    /// let co = Mineral::COBALT;
    /// let mut chain = SupplyChain::new();
    /// let cod = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
    /// chain.add_flow(cod, chn, Flow::new(Tonnes::new(100.0)?))?;
    /// let report = chain.chokepoint_report(&Target::Stage(Stage::Refining), &ChokepointOptions::new())?;
    /// // The only mine is a hard chokepoint of all refining.
    /// assert_eq!(report.countries[0].country, Country::COD);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn chokepoint_report(
        &self,
        target: &Target,
        options: &ChokepointOptions,
    ) -> Result<ChokepointReport> {
        ChokepointReport::new(self, target, options)
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

        writeln!(f, "\nCountries (all their nodes removed together)")?;
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
