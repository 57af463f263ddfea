//! What the supply must reach.

use serde::{Deserialize, Serialize};

use std::collections::{BTreeSet, HashMap};

use crate::chain::{NodeId, NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{Country, Stage};

/// What the supply must reach: the targets of a
/// [`ChainNetwork`](crate::network::ChainNetwork).
///
/// # Example
/// ```
/// use critical_minerals::{Country, Stage};
/// use critical_minerals::network::Target;
/// let t = Target::country_stage(Country::USA, Stage::Manufacturing);
/// assert_eq!(t.to_string(), "USA manufacturing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// One country's nodes at one stage (of the selected mineral, or of every
    /// mineral), e.g. USA manufacturing.
    CountryStage {
        /// The country.
        country: Country,
        /// The stage.
        stage: Stage,
    },
    /// All demand at one stage: every node at that stage.
    Stage(Stage),
    /// An explicit set of nodes.
    Nodes(Vec<NodeId>),
}

impl Target {
    /// One country's nodes at one stage.
    pub fn country_stage(country: Country, stage: Stage) -> Target {
        Target::CountryStage { country, stage }
    }

    /// The compact indices of the target among the selected nodes (`keys`,
    /// with `index` from chain id to compact index), ascending: the one
    /// rule the flow network and the simulator share. O(n) or O(k log k).
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id not in the chain;
    /// [`Error::Inconsistent`] for a node outside the selection, or a
    /// target that matches no selected node.
    pub(crate) fn resolve(
        &self,
        chain: &SupplyChain,
        keys: &[NodeKey],
        index: &HashMap<NodeId, u32>,
    ) -> Result<Vec<u32>> {
        let n = keys.len() as u32;
        let found: Vec<u32> = match self {
            Target::Nodes(list) => {
                let mut set = BTreeSet::new();
                for id in list {
                    let node = chain.node(*id).ok_or(Error::UnknownNode { id: *id })?;
                    let v = index.get(id).ok_or_else(|| Error::Inconsistent {
                        kind: "target",
                        id: id.to_string(),
                        reason: format!("node {} is not of the selected mineral", node.key),
                    })?;
                    set.insert(*v);
                }
                set.into_iter().collect()
            }
            Target::CountryStage { country, stage } => (0..n)
                .filter(|&v| {
                    keys[v as usize].country == *country && keys[v as usize].stage == *stage
                })
                .collect(),
            Target::Stage(stage) => (0..n)
                .filter(|&v| keys[v as usize].stage == *stage)
                .collect(),
        };
        if found.is_empty() {
            return Err(Error::Inconsistent {
                kind: "target",
                id: self.to_string(),
                reason: "no node of the selected mineral(s) matches".to_string(),
            });
        }
        Ok(found)
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::CountryStage { country, stage } => write!(f, "{country} {stage}"),
            Target::Stage(s) => write!(f, "all {s}"),
            Target::Nodes(ids) => {
                let names: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
                write!(f, "nodes {}", names.join(","))
            }
        }
    }
}
