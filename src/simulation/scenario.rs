//! Scenarios as data: a named list of shocks, serialisable as JSON (one
//! scenario per line for sweeps), checked against a chain before anything
//! runs.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::chain::{NodeKey, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{
    Agreement, Country, Coverage, Mineral, Provision, RestrictionTargets, Share, Stage, Tonnes,
};

/// A named what-if: a list of shocks applied together to a chain.
///
/// Shocks name nodes by [`NodeKey`] (country, mineral, stage), never by
/// [`NodeId`](crate::NodeId), so a scenario file works on any chain that
/// holds those nodes (another year, another data source). The JSON form is
/// the serde form; [`Scenario::from_json`] and [`Scenario::to_json`] read
/// and write one scenario (one line of a JSON Lines sweep).
///
/// # Example
/// ```
/// use critical_minerals::simulation::{Measure, Scenario, Shock};
/// use critical_minerals::{Country, Coverage, Mineral, RestrictionTargets};
/// let ban = Scenario::new("china-ree-ban")
///     .description("China bans rare-earth exports to the US")
///     .shock(Shock::ExportRestriction {
///         imposer: Country::CHN,
///         minerals: Coverage::only([Mineral::RARE_EARTHS]),
///         stages: Coverage::All,
///         toward: RestrictionTargets::Only([Country::USA].into()),
///         measure: Measure::Ban,
///     });
/// let json = ban.to_json();
/// assert!(json.contains(r#""kind":"export_restriction""#));
/// assert_eq!(Scenario::from_json(&json)?, ban);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short name, echoed in every outcome.
    pub name: String,
    /// What the scenario describes, in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The shocks, applied together.
    #[serde(default)]
    pub shocks: Vec<Shock>,
}

/// What an export restriction does to the flows it covers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Measure {
    /// Nothing passes.
    Ban,
    /// Licences let a fraction of each covered flow through.
    Licence {
        /// The fraction let through.
        let_through: Share,
    },
    /// The covered flows together carry at most so many tonnes a year.
    Quota {
        /// The cap.
        tonnes: Tonnes,
    },
}

/// One shock of a [`Scenario`]. Serialised with a `kind` tag in snake case
/// (`{"kind": "remove_country", "country": "CHN"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Shock {
    /// Every node of a country fails.
    RemoveCountry {
        /// The country.
        country: Country,
    },
    /// One node fails.
    RemoveNode {
        /// The node.
        node: NodeKey,
    },
    /// A node loses a fraction of its capacity (a strike, a flood, a
    /// plant closure).
    CutCapacity {
        /// The node.
        node: NodeKey,
        /// The fraction of its capacity lost.
        fraction: Share,
    },
    /// An export restriction from `imposer` on the given minerals and
    /// stages (of the exported material) toward some countries. Domestic
    /// flows are never restricted.
    ExportRestriction {
        /// The restricting country.
        imposer: Country,
        /// Minerals covered.
        minerals: Coverage<Mineral>,
        /// Stages of the exported material covered.
        stages: Coverage<Stage>,
        /// Destinations: all, only some, all but some (exemptions).
        toward: RestrictionTargets,
        /// Ban, licence or quota.
        measure: Measure,
    },
    /// The chain's own [`ExportRestriction`](crate::ExportRestriction)s in
    /// force on a day (suspended or ended ones do not apply). A licence
    /// requirement lets `licence_let_through` of each flow through; a quota
    /// in tonnes caps the covered flows; a quota as a share lets that
    /// share through; a technology ban moves no material. With
    /// `honour_agreements`, a restriction does not apply toward a country
    /// that an agreement active that day (signed or in force, see
    /// [`Agreement::active_on`]) protects with
    /// [`Provision::NoExportRestriction`] for the mineral and stage, unless
    /// the scenario discontinues that agreement on or before the day.
    ApplyRestrictions {
        /// The day.
        #[serde(deserialize_with = "day")]
        on: Date,
        /// Whether no-restriction commitments exempt their partners
        /// (default `true`).
        #[serde(default = "yes")]
        honour_agreements: bool,
        /// What a licence requirement lets through (default 0.5: an
        /// assumption, since licensing outcomes are not in the data).
        #[serde(default = "half")]
        licence_let_through: Share,
    },
    /// An agreement ends on a day (an MOU ended by written notice): its
    /// exemptions stop counting from that day, and capacity added under it
    /// does not come.
    DiscontinueAgreement {
        /// The agreement's id.
        agreement: String,
        /// The day it ends.
        #[serde(deserialize_with = "day")]
        on: Date,
    },
    /// New capacity at a node (a mine, a refinery), created if the chain has
    /// no such node. Extraction capacity, or capacity at a node that
    /// originates supply, adds supply; elsewhere it adds room to pass
    /// material that must arrive over links. `under` names the agreement
    /// whose investment priority brings it (see [`Shock::investment`]); if
    /// the scenario discontinues that agreement, the capacity does not come.
    AddCapacity {
        /// The node.
        node: NodeKey,
        /// Tonnes a year of new capacity.
        tonnes: Tonnes,
        /// The agreement it is invested under, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        under: Option<String>,
    },
    /// A new link able to carry so many tonnes a year (a new offtake
    /// contract). Both ends must exist in the chain or be created by an
    /// earlier [`Shock::AddCapacity`]; the stage transition must be valid.
    AddLink {
        /// The exporter.
        from: NodeKey,
        /// The importer.
        to: NodeKey,
        /// Tonnes a year it can carry.
        tonnes: Tonnes,
        /// The agreement it is contracted under, if any (an MOU's
        /// offtake): when the scenario discontinues that agreement, the
        /// link lapses with it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        under: Option<String>,
    },
    /// A share of what a country's manufacturing keeps (its inflow and
    /// origination beyond what it ships) comes back through its recycling
    /// node (created if absent) into its refining, else processing, else
    /// manufacturing node (recycling may feed any of the three).
    RaiseRecycling {
        /// The country.
        country: Country,
        /// Only this mineral; `None`: every mineral simulated.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mineral: Option<Mineral>,
        /// The share returned.
        share: Share,
    },
}

/// Up to 16 characters of `text` from 1-based `line` and `column` (serde's
/// column points at the last character read), quoted.
fn near(text: &str, line: usize, column: usize) -> String {
    let l = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let from = column.saturating_sub(1);
    let snippet: String = l.chars().skip(from).take(16).collect();
    crate::csv_header::quote(&snippet)
}

/// Which shock of a syntactically valid scenario does not read: `shock 2
/// ("cut_capacity")`; `None` when the fault is not in a shock.
fn failing_shock(text: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let shocks = doc.get("shocks")?.as_array()?;
    shocks.iter().enumerate().find_map(|(i, s)| {
        serde_json::from_value::<Shock>(s.clone()).err()?;
        Some(match s.get("kind").and_then(|k| k.as_str()) {
            Some(kind) => format!("shock {i} ({})", crate::csv_header::quote(kind)),
            None => format!("shock {i}"),
        })
    })
}

/// A day, `YYYY-MM-DD`; an error quotes the text (jiff's own message
/// does not).
fn day<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(|e| {
        serde::de::Error::custom(format!(
            "invalid date {}: {e}",
            crate::csv_header::quote(&text)
        ))
    })
}

fn yes() -> bool {
    true
}

fn half() -> Share {
    Share::ratio(1.0, 2.0)
}

impl Shock {
    /// The shock's kind as written in JSON (`remove_country`).
    pub fn kind(&self) -> &'static str {
        match self {
            Shock::RemoveCountry { .. } => "remove_country",
            Shock::RemoveNode { .. } => "remove_node",
            Shock::CutCapacity { .. } => "cut_capacity",
            Shock::ExportRestriction { .. } => "export_restriction",
            Shock::ApplyRestrictions { .. } => "apply_restrictions",
            Shock::DiscontinueAgreement { .. } => "discontinue_agreement",
            Shock::AddCapacity { .. } => "add_capacity",
            Shock::AddLink { .. } => "add_link",
            Shock::RaiseRecycling { .. } => "raise_recycling",
        }
    }

    /// The template for new capacity under an agreement's investment
    /// priority ([`Provision::InvestmentPriority`]): `tonnes` of capacity
    /// at `node`, in a party that is not the investor, for a mineral and
    /// stage the agreement covers.
    ///
    /// # Errors
    /// [`Error::Inconsistent`] when the agreement has no investment
    /// priority, the node's country is not a host party, or the agreement
    /// does not cover the node's mineral and stage.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::simulation::Shock;
    /// use critical_minerals::{Agreement, AgreementKind, Country, Mineral, NodeKey, Provision, Stage, Tonnes};
    /// let mou = Agreement::new("us-mys-mou", AgreementKind::Mou, [Country::USA, Country::MYS])?
    ///     .provision(Provision::InvestmentPriority { investor: Country::USA });
    /// let plant = NodeKey::new(Country::MYS, Mineral::RARE_EARTHS, Stage::Processing);
    /// let shock = Shock::investment(&mou, plant, Tonnes::new(5_000.0)?)?;
    /// assert_eq!(shock.kind(), "add_capacity");
    /// // The investor cannot host its own priority investment.
    /// let home = NodeKey::new(Country::USA, Mineral::RARE_EARTHS, Stage::Processing);
    /// assert!(Shock::investment(&mou, home, Tonnes::new(1.0)?).is_err());
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn investment(agreement: &Agreement, node: NodeKey, tonnes: Tonnes) -> Result<Shock> {
        check_investment(agreement, &node)?;
        Ok(Shock::AddCapacity {
            node,
            tonnes,
            under: Some(agreement.id.clone()),
        })
    }
}

fn check_investment(agreement: &Agreement, node: &NodeKey) -> Result<()> {
    let inconsistent = |reason: String| Error::Inconsistent {
        kind: "investment",
        id: agreement.id.clone(),
        reason,
    };
    let investors: Vec<Country> = agreement
        .provisions
        .iter()
        .filter_map(|p| match p {
            Provision::InvestmentPriority { investor } => Some(*investor),
            _ => None,
        })
        .collect();
    if investors.is_empty() {
        return Err(inconsistent(
            "the agreement has no investment priority".into(),
        ));
    }
    if !agreement.is_party(node.country) || investors.iter().all(|i| *i == node.country) {
        return Err(inconsistent(format!(
            "{} is not a party hosting another party's priority investment",
            node.country
        )));
    }
    if !agreement.covers(&node.mineral, node.stage) {
        return Err(inconsistent(format!(
            "the agreement does not cover {} at {}",
            node.mineral, node.stage
        )));
    }
    Ok(())
}

impl Scenario {
    /// An empty scenario with a name.
    pub fn new(name: impl Into<String>) -> Scenario {
        Scenario {
            name: name.into(),
            description: String::new(),
            shocks: Vec::new(),
        }
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Scenario {
        self.description = text.into();
        self
    }

    /// Adds a shock.
    pub fn shock(mut self, shock: Shock) -> Scenario {
        self.shocks.push(shock);
        self
    }

    /// One scenario from JSON (one line of a JSON Lines file).
    ///
    /// # Errors
    /// [`Error::Parse`] with the line and column inside `text`; the message
    /// names the shock (its index and kind) when the fault is inside one,
    /// and quotes the text at a syntax error (`NaN`, which JSON does not
    /// have).
    pub fn from_json(text: &str) -> Result<Scenario> {
        serde_json::from_str(text).map_err(|e| {
            // serde_json ends its message with the place, which the error
            // states already.
            let full = e.to_string();
            let place = format!(" at line {} column {}", e.line(), e.column());
            let mut message = full.strip_suffix(&place).unwrap_or(&full).to_string();
            if e.classify() == serde_json::error::Category::Syntax {
                message.push_str(&format!(" near {}", near(text, e.line(), e.column())));
            } else if let Some(shock) = failing_shock(text) {
                message = format!("{shock}: {message}");
            }
            Error::Parse {
                file: None,
                line: e.line().max(1) as u64,
                column: Some(e.column() as u64),
                message,
            }
        })
    }

    /// The scenario as one line of JSON.
    pub fn to_json(&self) -> String {
        // Every field is a plain value: serialisation cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether every shock removes nodes or countries (nothing else), so
    /// the reroute model can answer it from one solved baseline.
    pub fn removes_only(&self) -> bool {
        self.shocks
            .iter()
            .all(|s| matches!(s, Shock::RemoveCountry { .. } | Shock::RemoveNode { .. }))
    }

    /// Checks every shock against `chain` before anything runs: countries,
    /// minerals, nodes and agreements must be in the chain (a node added by
    /// an earlier [`Shock::AddCapacity`] counts for later shocks), a link's
    /// stage transition must be valid, an investment must fit its
    /// agreement. O(shocks × (log V + A)).
    ///
    /// # Errors
    /// [`Error::Invalid`] whose context names the scenario, the shock's
    /// index and kind, wrapping [`Error::NotInChain`] (the value that is
    /// not there), [`Error::InvalidTransition`], [`Error::MineralMismatch`]
    /// or [`Error::Inconsistent`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::simulation::{Scenario, Shock};
    /// use critical_minerals::{Country, Mineral, Node, Stage, SupplyChain};
    /// let mut chain = SupplyChain::new();
    /// chain.add_node(Node::new(Country::AUS, Mineral::LITHIUM, Stage::Extraction))?;
    /// let s = Scenario::new("x").shock(Shock::RemoveCountry { country: Country::JPN });
    /// let err = s.validate(&chain).unwrap_err().to_string();
    /// assert_eq!(err, "scenario \"x\", shock 0 (remove_country): country JPN is not in the chain");
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn validate(&self, chain: &SupplyChain) -> Result<()> {
        let countries = chain.countries();
        let minerals = chain.minerals();
        let mut created: BTreeSet<NodeKey> = BTreeSet::new();
        for (i, shock) in self.shocks.iter().enumerate() {
            self.check(chain, &countries, &minerals, &mut created, shock)
                .map_err(|e| {
                    e.at(format!(
                        "scenario {:?}, shock {i} ({})",
                        self.name,
                        shock.kind()
                    ))
                })?;
        }
        Ok(())
    }

    fn check(
        &self,
        chain: &SupplyChain,
        countries: &BTreeSet<Country>,
        minerals: &BTreeSet<Mineral>,
        created: &mut BTreeSet<NodeKey>,
        shock: &Shock,
    ) -> Result<()> {
        let missing = |what: &'static str, value: String| Error::NotInChain { what, value };
        let country = |c: &Country| {
            if countries.contains(c) {
                Ok(())
            } else {
                Err(missing("country", c.to_string()))
            }
        };
        let mineral = |m: &Mineral| {
            if minerals.contains(m) {
                Ok(())
            } else {
                Err(missing("mineral", m.to_string()))
            }
        };
        let node = |k: &NodeKey, created: &BTreeSet<NodeKey>| {
            if chain.node_id(k).is_some() || created.contains(k) {
                Ok(())
            } else {
                Err(missing("node", k.to_string()))
            }
        };
        let agreement = |id: &str| {
            chain
                .agreement(id)
                .ok_or_else(|| missing("agreement", format!("{id:?}")))
        };
        match shock {
            Shock::RemoveCountry { country: c } => country(c),
            Shock::RemoveNode { node: k } | Shock::CutCapacity { node: k, .. } => node(k, created),
            Shock::ExportRestriction {
                imposer,
                minerals: ms,
                toward,
                ..
            } => {
                country(imposer)?;
                if let Coverage::Only(ms) = ms {
                    ms.iter().try_for_each(mineral)?;
                }
                match toward {
                    RestrictionTargets::All => Ok(()),
                    RestrictionTargets::Only(cs) | RestrictionTargets::AllExcept(cs) => {
                        cs.iter().try_for_each(country)
                    }
                }
            }
            Shock::ApplyRestrictions { .. } => Ok(()),
            Shock::DiscontinueAgreement { agreement: id, .. } => agreement(id).map(|_| ()),
            Shock::AddCapacity { node: k, under, .. } => {
                mineral(&k.mineral)?;
                if let Some(id) = under {
                    check_investment(agreement(id)?, k)?;
                }
                if chain.node_id(k).is_none() {
                    created.insert(k.clone());
                }
                Ok(())
            }
            Shock::AddLink {
                from, to, under, ..
            } => {
                node(from, created)?;
                node(to, created)?;
                if let Some(id) = under {
                    agreement(id)?;
                }
                if from.mineral != to.mineral {
                    return Err(Error::MineralMismatch {
                        from: from.mineral.clone(),
                        to: to.mineral.clone(),
                    });
                }
                from.stage
                    .check_transition(to.stage, from.country != to.country)
            }
            Shock::RaiseRecycling {
                country: c,
                mineral: m,
                ..
            } => {
                country(c)?;
                if let Some(m) = m {
                    mineral(m)?;
                }
                let has_manufacturing = chain.nodes_of_country(*c).any(|(_, n)| {
                    n.stage() == Stage::Manufacturing && m.as_ref().is_none_or(|m| m == n.mineral())
                });
                if has_manufacturing {
                    Ok(())
                } else {
                    Err(missing(
                        "manufacturing node",
                        match m {
                            Some(m) => format!("{c}/{m}/manufacturing"),
                            None => format!("{c}/*/manufacturing"),
                        },
                    ))
                }
            }
        }
    }
}
