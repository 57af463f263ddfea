//! The six value-chain stages and the transitions between them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A stage of the mineral value chain, as named in the 2025 US–Malaysia MOU.
///
/// Stages are ordered along the chain: `Exploration < Extraction < Processing
/// < Refining < Manufacturing < Recycling`.
///
/// # Example
/// ```
/// use critical_minerals::Stage;
/// let s: Stage = "Smelting".parse()?;
/// assert_eq!(s, Stage::Refining);
/// assert!(Stage::Extraction.can_flow_to(Stage::Refining, true));
/// assert!(!Stage::Refining.can_flow_to(Stage::Extraction, false));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Finding and delineating deposits.
    Exploration,
    /// Mining: ore and concentrate.
    Extraction,
    /// Beneficiation and chemical processing into intermediates.
    Processing,
    /// Refining and smelting into metals and high-purity compounds.
    Refining,
    /// Making components and products (magnets, cathodes, cells).
    Manufacturing,
    /// Recycling and recovery of end-of-life scrap (secondary supply).
    Recycling,
}

impl Stage {
    /// All six stages in chain order.
    pub const ALL: [Stage; 6] = [
        Stage::Exploration,
        Stage::Extraction,
        Stage::Processing,
        Stage::Refining,
        Stage::Manufacturing,
        Stage::Recycling,
    ];

    /// The canonical lowercase name (`"refining"`).
    pub const fn name(self) -> &'static str {
        match self {
            Stage::Exploration => "exploration",
            Stage::Extraction => "extraction",
            Stage::Processing => "processing",
            Stage::Refining => "refining",
            Stage::Manufacturing => "manufacturing",
            Stage::Recycling => "recycling",
        }
    }

    /// Position in chain order, 0 (exploration) to 5 (recycling).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether material may flow from a node at this stage to a node at `to`.
    ///
    /// Allowed: forward along exploration → extraction → processing →
    /// refining → manufacturing (skipping stages is allowed), manufacturing →
    /// recycling, recycling → processing / refining / manufacturing, and the
    /// same stage across a border (`cross_border` true), never within one
    /// country. Everything else is refused.
    pub const fn can_flow_to(self, to: Stage, cross_border: bool) -> bool {
        use Stage::*;
        let (a, b) = (self as u8, to as u8);
        if a == b {
            return cross_border;
        }
        match self {
            Recycling => matches!(to, Processing | Refining | Manufacturing),
            Manufacturing => matches!(to, Recycling),
            _ => b > a && !matches!(to, Recycling),
        }
    }

    /// Checks a transition, returning [`Error::InvalidTransition`] naming both
    /// stages when it is not allowed (see [`Stage::can_flow_to`]).
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] when the flow is not allowed.
    pub fn check_transition(self, to: Stage, cross_border: bool) -> Result<()> {
        if self.can_flow_to(to, cross_border) {
            Ok(())
        } else {
            Err(Error::InvalidTransition {
                from: self,
                to,
                domestic: !cross_border,
            })
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Stage {
    type Err = Error;

    /// Parses a stage case-insensitively from its name or from the words the
    /// MOU and the trade literature use: "mining" and "mine production" →
    /// extraction, "beneficiation" → processing, "smelting" and "refinery" →
    /// refining, "recovery" and "recycling and recovery" → recycling.
    fn from_str(s: &str) -> Result<Self> {
        let norm: String = s
            .trim()
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let stage = match norm.as_str() {
            "exploration" | "explore" => Stage::Exploration,
            "extraction" | "mining" | "mine" | "mine production" | "mined" => Stage::Extraction,
            "processing" | "beneficiation" | "concentration" => Stage::Processing,
            "refining"
            | "refinery"
            | "smelting"
            | "smelter"
            | "smelting and refining"
            | "refined" => Stage::Refining,
            "manufacturing" | "manufacture" | "fabrication" => Stage::Manufacturing,
            "recycling"
            | "recovery"
            | "recycling and recovery"
            | "recovery and recycling"
            | "secondary" => Stage::Recycling,
            _ => {
                return Err(Error::UnknownStage {
                    name: s.to_string(),
                });
            }
        };
        Ok(stage)
    }
}
