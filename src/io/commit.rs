//! Committing a batch of parsed flows to a chain, all or nothing.

use crate::chain::{Flow, FlowId, NodeId, NodeKey, SupplyChain};
use crate::error::Result;

/// A flow parsed from a file, between nodes named by key (they may not exist
/// yet).
#[derive(Debug)]
pub(crate) struct PendingFlow {
    pub(crate) from: NodeKey,
    pub(crate) to: NodeKey,
    pub(crate) flow: Flow,
}

/// What a commit added.
#[derive(Debug, Default)]
pub(crate) struct Committed {
    pub(crate) flows: Vec<FlowId>,
    pub(crate) nodes_added: usize,
}

/// Adds every pending flow, creating missing end nodes with
/// [`SupplyChain::ensure_node`], in order.
///
/// Callers validate each flow while parsing (so errors can name the line);
/// this re-checks through [`SupplyChain::add_flow`] and, should any flow
/// still be refused, removes everything it added before returning the
/// error, so the chain's nodes and flows are as they were. O(F) plus the
/// chain's own insertion costs.
pub(crate) fn commit_flows(
    chain: &mut SupplyChain,
    pending: Vec<PendingFlow>,
) -> Result<Committed> {
    let mut created: Vec<NodeId> = Vec::new();
    let mut done = Committed::default();
    let ensure = |chain: &mut SupplyChain, key: NodeKey, created: &mut Vec<NodeId>| match chain
        .node_id(&key)
    {
        Some(id) => id,
        None => {
            let id = chain.ensure_node(key);
            created.push(id);
            id
        }
    };
    for p in pending {
        let from = ensure(chain, p.from, &mut created);
        let to = ensure(chain, p.to, &mut created);
        match chain.add_flow(from, to, p.flow) {
            Ok(id) => done.flows.push(id),
            Err(e) => {
                rollback(chain, &done.flows, &created);
                return Err(e);
            }
        }
    }
    done.nodes_added = created.len();
    Ok(done)
}

/// Removes flows then nodes added by a failed commit, newest first.
pub(crate) fn rollback(chain: &mut SupplyChain, flows: &[FlowId], nodes: &[NodeId]) {
    for f in flows.iter().rev() {
        // Ids were just returned by the chain, so removal cannot miss.
        let _ = chain.remove_flow(*f);
    }
    for n in nodes.iter().rev() {
        let _ = chain.remove_node(*n);
    }
}
