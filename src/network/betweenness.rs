//! Betweenness centrality of a supply chain's nodes, directed along the
//! flows, by hop count or by tonnage, with a country projection. The
//! engine's betweenness is [`flow::betweenness`](crate::flow::betweenness).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::chain::{NodeId, SupplyChain};
use crate::flow::{Adjacency, BetweennessOptions, betweenness_with, weighted_betweenness};
use crate::model::{Country, Mineral};

/// How path length is measured for [`chain_betweenness`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PathLength {
    /// Every flow counts one step (classic betweenness, as the peers
    /// compute it).
    #[default]
    Hops,
    /// A flow of `t` tonnes has length `1 / t`: the shortest route between
    /// two nodes is the one through the heaviest trade links, so a node
    /// scores high when it sits on the routes most material actually
    /// takes. Using tonnes *as* the distance would do the opposite — send
    /// the shortest paths through the thinnest links and reward marginal
    /// routes. Flows of zero tonnes are not routes at all and are skipped.
    InverseTonnes,
}

/// Options for [`chain_betweenness`]: path length, an optional mineral
/// filter, and whether to use rayon.
///
/// # Example
/// ```
/// use critical_minerals::Mineral;
/// use critical_minerals::network::{ChainBetweennessOptions, PathLength};
/// let opts = ChainBetweennessOptions::new().length(PathLength::InverseTonnes).mineral(Mineral::COBALT);
/// assert_eq!(opts.length, PathLength::InverseTonnes);
/// assert!(opts.parallel);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChainBetweennessOptions {
    /// How path length is measured (default: hops).
    pub length: PathLength,
    /// Only the nodes and flows of this mineral (others score nothing and
    /// are left out of the result); `None` (the default): every mineral.
    pub mineral: Option<Mineral>,
    /// Parallel over sources (`true`, the default) or on the calling
    /// thread; the result is identical.
    pub parallel: bool,
}

impl Default for ChainBetweennessOptions {
    fn default() -> Self {
        ChainBetweennessOptions {
            length: PathLength::default(),
            mineral: None,
            parallel: BetweennessOptions::new().parallel,
        }
    }
}

impl ChainBetweennessOptions {
    /// Defaults: hop count, every mineral, parallel.
    pub fn new() -> ChainBetweennessOptions {
        ChainBetweennessOptions::default()
    }

    /// How path length is measured.
    pub fn length(mut self, length: PathLength) -> Self {
        self.length = length;
        self
    }

    /// Only the nodes and flows of this mineral (others score nothing and
    /// are left out of the result).
    pub fn mineral(mut self, mineral: Mineral) -> Self {
        self.mineral = Some(mineral);
        self
    }

    /// Parallel over sources (default) or on the calling thread; the result
    /// is identical.
    pub fn parallel(mut self, yes: bool) -> Self {
        self.parallel = yes;
        self
    }
}

/// Betweenness of the nodes of a [`SupplyChain`], from
/// [`chain_betweenness`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainBetweenness {
    scores: Vec<(NodeId, f64)>,
    length: PathLength,
    countries: BTreeMap<Country, f64>,
}

impl ChainBetweenness {
    /// Betweenness per node, in node-id order.
    pub fn scores(&self) -> &[(NodeId, f64)] {
        &self.scores
    }

    /// The betweenness of one node; `None` when the node is not in the
    /// analysed chain (or not of the chosen mineral).
    pub fn get(&self, id: NodeId) -> Option<f64> {
        self.scores
            .binary_search_by_key(&id, |&(n, _)| n)
            .ok()
            .map(|i| self.scores[i].1)
    }

    /// Nodes by betweenness, highest first (ties by node id).
    pub fn ranked(&self) -> Vec<(NodeId, f64)> {
        let mut r = self.scores.clone();
        r.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        r
    }

    /// Country projection: the sum of the betweenness of each country's
    /// nodes (the paths that pass through the country at some stage,
    /// counted once per stage they pass), by country.
    pub fn by_country(&self) -> &BTreeMap<Country, f64> {
        &self.countries
    }

    /// The path length the scores were computed with.
    pub fn length(&self) -> PathLength {
        self.length
    }
}

/// Betweenness centrality of every node of a supply chain (directed along
/// the flows, unnormalised; unweighted or tonnage-weighted, see
/// [`PathLength`]). O(V·E) for hops, O(V·E log V) for tonnage; parallel
/// over sources, deterministic.
///
/// # Example
/// ```
/// use critical_minerals::network::{ChainBetweennessOptions, PathLength, chain_betweenness};
/// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
/// let mut chain = SupplyChain::new();
/// let co = Mineral::COBALT;
/// let mine = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
/// let refinery = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
/// let plant = chain.add_node(Node::new(Country::JPN, co.clone(), Stage::Manufacturing))?;
/// chain.add_flow(mine, refinery, Flow::new(Tonnes::new(100.0)?))?;
/// chain.add_flow(refinery, plant, Flow::new(Tonnes::new(80.0)?))?;
/// let b = chain_betweenness(&chain, &ChainBetweennessOptions::new().length(PathLength::InverseTonnes));
/// // The refinery is on the only route from the mine to the plant.
/// assert_eq!(b.get(refinery), Some(1.0));
/// assert_eq!(b.by_country()[&Country::CHN], 1.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn chain_betweenness(
    chain: &SupplyChain,
    options: &ChainBetweennessOptions,
) -> ChainBetweenness {
    let keep = |m: &Mineral| options.mineral.as_ref().is_none_or(|x| x == m);
    let ids: Vec<NodeId> = chain
        .nodes()
        .filter(|(_, n)| keep(n.mineral()))
        .map(|(id, _)| id)
        .collect();
    let mut dense: BTreeMap<NodeId, u32> = BTreeMap::new();
    for (i, &id) in ids.iter().enumerate() {
        dense.insert(id, i as u32);
    }
    let mut edges = Vec::new();
    let mut lengths = Vec::new();
    for f in chain.flows() {
        let (Some(&a), Some(&b)) = (dense.get(&f.from), dense.get(&f.to)) else {
            continue;
        };
        let t = f.tonnes().get();
        if options.length == PathLength::InverseTonnes && t <= 0.0 {
            continue;
        }
        edges.push((a, b));
        lengths.push(1.0 / t);
    }
    // Sized by the chain itself (u32 ids), not by a caller: no size check.
    let g = Adjacency::build(ids.len(), &edges);
    let parallel = BetweennessOptions::new().parallel(options.parallel);
    let raw = match options.length {
        PathLength::Hops => betweenness_with(&g, &parallel),
        // Lengths are 1/t for t > 0: positive, so this cannot fail; fall
        // back to hops rather than panic should that ever change.
        PathLength::InverseTonnes => weighted_betweenness(&g, &lengths, &parallel)
            .unwrap_or_else(|_| betweenness_with(&g, &parallel)),
    };
    let scores: Vec<(NodeId, f64)> = ids.iter().copied().zip(raw).collect();
    let mut countries = BTreeMap::new();
    for &(id, b) in &scores {
        if let Some(n) = chain.node(id) {
            *countries.entry(n.country()).or_insert(0.0) += b;
        }
    }
    ChainBetweenness {
        scores,
        length: options.length,
        countries,
    }
}
