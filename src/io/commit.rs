//! Committing a batch of parsed flows to a chain, all or nothing.

use crate::chain::{Flow, FlowId, NodeKey, SupplyChain};
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

/// Adds every pending flow, creating missing end nodes, all or nothing
/// (see [`SupplyChain::add_flows_by_key`]).
///
/// Callers validate each flow while parsing (so errors can name the line);
/// the chain re-checks and, should any flow still be refused, removes
/// everything the batch added before returning the error.
pub(crate) fn commit_flows(
    chain: &mut SupplyChain,
    pending: Vec<PendingFlow>,
) -> Result<Committed> {
    let added = chain.add_flows_by_key(pending.into_iter().map(|p| (p.from, p.to, p.flow)))?;
    Ok(Committed {
        nodes_added: added.nodes.len(),
        flows: added.flows,
    })
}
