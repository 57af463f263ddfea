//! What the supply must reach.

use serde::{Deserialize, Serialize};

use crate::chain::NodeId;
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
