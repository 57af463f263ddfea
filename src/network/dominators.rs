//! Supply dominators in domain terms: the nodes and countries every supply
//! path to the target passes through (the engine's dominator tree is
//! [`flow::dominators`](crate::flow::dominators)).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::chain::NodeId;
use crate::flow::{dominators, mark_reachable, on_paths};
use crate::model::Country;
use crate::network::ChainNetwork;

/// The hard chokepoints of a chain network's target: what every supply path
/// passes through. From [`ChainNetwork::supply_dominators`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SupplyDominators {
    /// Chain nodes that every path from any supplied extraction node to any
    /// target node passes through (the dominators of the super-sink), nearest
    /// the target first. Target nodes themselves are left out: that supply
    /// ends at a target is no finding.
    pub chokepoints: Vec<NodeId>,
    /// Per reached target node (in id order), the chain nodes every path to
    /// *that* node passes through, nearest first. A node can be a chokepoint
    /// of one target without being one for the whole target.
    pub per_target: Vec<(NodeId, Vec<NodeId>)>,
    /// Target nodes that no supply path reaches, in id order.
    pub unreached: Vec<NodeId>,
    /// Countries whose nodes, removed together, leave no supply path to any
    /// target (a country chokepoint even when no single node of it is one,
    /// e.g. its processing and its refining on two parallel routes), in
    /// code order. Empty when no path reaches the target to begin with.
    pub countries: Vec<Country>,
}

impl ChainNetwork {
    /// The hard chokepoints of the target: the dominators of the super-sink
    /// from the super-source, per target node, and the countries that cut
    /// every path. Flows of zero capacity and nodes of zero limit are not
    /// routes.
    ///
    /// O((V + E) log V) for the nodes; O(C·(V + E)) for the countries, where
    /// C counts only countries with a node on some supply path to the target.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
    /// use critical_minerals::network::{ChainNetwork, FlowOptions, Target};
    /// let ree = Mineral::RARE_EARTHS;
    /// let mut chain = SupplyChain::new();
    /// let aus = chain.add_node(Node::new(Country::AUS, ree.clone(), Stage::Extraction))?;
    /// let mmr = chain.add_node(Node::new(Country::parse("MMR")?, ree.clone(), Stage::Extraction))?;
    /// let chn = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining))?;
    /// let usa = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(aus, chn, Flow::new(Tonnes::new(10.0)?))?;
    /// chain.add_flow(mmr, chn, Flow::new(Tonnes::new(40.0)?))?;
    /// chain.add_flow(chn, usa, Flow::new(Tonnes::new(30.0)?))?;
    /// let target = Target::country_stage(Country::USA, Stage::Manufacturing);
    /// let net = ChainNetwork::new(&chain, &target, &FlowOptions::new().mineral(ree))?;
    /// let dom = net.supply_dominators();
    /// // Two mines, one refinery that every tonne passes through.
    /// assert_eq!(dom.chokepoints, vec![chn]);
    /// assert_eq!(dom.countries, vec![Country::CHN]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn supply_dominators(&self) -> SupplyDominators {
        let net = &self.net;
        let g = net.supply_graph();
        let (s, t) = (net.source(), net.sink());
        // The source is always a node of `g`, so this cannot fail; an empty
        // answer is the safe fallback should that ever change.
        let Ok(dom) = dominators(&g, s) else {
            return SupplyDominators::default();
        };
        let targets: BTreeSet<u32> = net.demand().iter().map(|&(v, _)| v).collect();
        let chain_ids = |vs: Vec<u32>| -> Vec<NodeId> {
            vs.into_iter()
                .filter(|v| *v != s && *v != t)
                .filter_map(|v| self.chain_node(v))
                .collect()
        };
        let chokepoints = chain_ids(
            dom.strict_dominators(t)
                .into_iter()
                .filter(|v| !targets.contains(v))
                .collect(),
        );
        let mut per_target = Vec::new();
        let mut unreached = Vec::new();
        let mut by_id: Vec<(NodeId, u32)> = targets
            .iter()
            .filter_map(|&v| self.chain_node(v).map(|id| (id, v)))
            .collect();
        by_id.sort_unstable();
        for (id, v) in by_id {
            if dom.is_reachable(v) {
                per_target.push((id, chain_ids(dom.strict_dominators(v))));
            } else {
                unreached.push(id);
            }
        }

        // Country chokepoints: only countries with a node that lies on some
        // S ⇝ T path can matter (reachable from S and reaching T).
        let mut countries = Vec::new();
        if dom.is_reachable(t) {
            let mut seen = Vec::new();
            let mut members: BTreeMap<Country, Vec<u32>> = BTreeMap::new();
            for v in on_paths(&g, s, t) {
                if let Some(key) = self.node_key(v) {
                    members.entry(key.country).or_default().push(v);
                }
            }
            let mut blocked = vec![false; g.node_count()];
            for (country, vs) in members {
                if vs.iter().all(|v| targets.contains(v)) {
                    continue;
                }
                for &v in &vs {
                    blocked[v as usize] = !targets.contains(&v);
                }
                mark_reachable(&g, s, &blocked, &mut seen);
                if !seen[t as usize] {
                    countries.push(country);
                }
                for &v in &vs {
                    blocked[v as usize] = false;
                }
            }
        }
        SupplyDominators {
            chokepoints,
            per_target,
            unreached,
            countries,
        }
    }

    /// The chain nodes that lie on some supply path to the target, the
    /// target's own nodes left out (they are the demand, not a risk to
    /// it), in id order. A path ends at the first target it reaches. O(V + E).
    pub fn upstream_nodes(&self) -> BTreeSet<NodeId> {
        let targets: BTreeSet<u32> = self.net.demand().iter().map(|&(v, _)| v).collect();
        self.net
            .on_supply_paths()
            .into_iter()
            .filter(|v| !targets.contains(v))
            .filter_map(|v| self.chain_node(v))
            .collect()
    }
}
