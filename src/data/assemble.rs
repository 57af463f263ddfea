//! Turning the dataset into a [`SupplyChain`].

use std::collections::{BTreeMap, BTreeSet};

use super::dataset::Dataset;
use super::modeled::ModeledFlows;
use crate::chain::{Node, NodeKey, SupplyChain};
use crate::error::Result;
use crate::model::{Mineral, Provenance, Stage, Status};

/// Which year's figures [`Dataset::chain_with`] uses for each mineral and
/// stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum YearRule {
    /// Only figures of the requested year (the default).
    #[default]
    Exact,
    /// For each mineral and stage, the latest year up to the requested one
    /// (germanium is only in the dataset for 2022, for example). Each
    /// node's provenance note names the year used.
    LatestUpTo,
}

/// Options for [`Dataset::chain_with`].
///
/// # Example
/// ```
/// use critical_minerals::{Country, Dataset, Mineral, NodeKey, Stage};
/// use critical_minerals::data::{YearChainOptions, YearRule};
/// let data = Dataset::builtin()?;
/// let chain = data.chain_with(&YearChainOptions::new(2024).years(YearRule::LatestUpTo))?;
/// // Germanium's latest figures are for 2022.
/// let ge = NodeKey::new(Country::CHN, Mineral::GERMANIUM, Stage::Refining);
/// assert!(chain.node_by_key(&ge).is_some());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
///
/// There is no `Default`: a chain is always of a year the caller names.
/// [`ModeledFlows`] holds a concordance-free model that is not serialisable,
/// so neither are these options.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct YearChainOptions {
    /// The requested year.
    pub year: i16,
    /// How to pick the year of each mineral and stage (default
    /// [`YearRule::Exact`]).
    pub years: YearRule,
    /// Modeled flows added after loading (see [`ModeledFlows`]), stamped
    /// with [`YearChainOptions::year`] when applied; `None` adds none (the
    /// default).
    pub modeled_flows: Option<ModeledFlows>,
}

impl YearChainOptions {
    /// The figures of `year`, no modeled flows.
    pub fn new(year: i16) -> YearChainOptions {
        YearChainOptions {
            year,
            years: YearRule::Exact,
            modeled_flows: None,
        }
    }

    /// Sets the requested year.
    pub fn year(mut self, year: i16) -> YearChainOptions {
        self.year = year;
        self
    }

    /// Sets how to pick the year of each mineral and stage.
    pub fn years(mut self, rule: YearRule) -> YearChainOptions {
        self.years = rule;
        self
    }

    /// Adds modeled flows after loading (see [`ModeledFlows`]); the flows
    /// are stamped with the options' year.
    pub fn modeled_flows(mut self, model: ModeledFlows) -> YearChainOptions {
        self.modeled_flows = Some(model);
        self
    }
}

impl Dataset {
    /// The supply chain of one year: every country's output as node output,
    /// with all agreements, restrictions and sources. No flows: add them from
    /// trade data, or with the explicit modeled step
    /// ([`Dataset::modeled_flows`]). Same as
    /// `chain_with(&YearChainOptions::new(year))`.
    ///
    /// # Errors
    /// Any error of the chain's `add_*` methods; with the built-in data none
    /// occurs (the crate's tests build every year).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Country, Dataset, Mineral, NodeKey, Stage, Status};
    /// let data = Dataset::builtin()?;
    /// let chain = data.chain(2024)?;
    /// let key = NodeKey::new(Country::COD, Mineral::COBALT, Stage::Extraction);
    /// let (_, drc) = chain.node_by_key(&key).unwrap();
    /// assert_eq!(drc.output.map(|t| t.get()), Some(220_000.0));
    /// assert_eq!(drc.provenance.sources, ["usgs_mcs_2025_cobalt"]);
    /// assert_eq!(drc.provenance.status, Status::Estimated);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn chain(&self, year: i16) -> Result<SupplyChain> {
        self.chain_with(&YearChainOptions::new(year))
    }

    /// The supply chain built with options.
    ///
    /// - **Nodes**: one per production row of the year (see [`YearRule`]),
    ///   output in tonnes (`None` when withheld), provenance = the row's
    ///   source id, status, confidence, and a note with the basis, the year
    ///   and the dataset's notes. IEA share-only figures of that year add a
    ///   node with no output where there is none, its share in the note.
    /// - **Aggregates**: the world total (`WLD`) is not a node (it would be
    ///   counted twice); the "other countries" row is a node keyed
    ///   [`Country::ROW`](crate::Country::ROW), which
    ///   [`Country::is_aggregate`](crate::Country::is_aggregate) flags.
    /// - **Policy**: every agreement and restriction (suspensions attached);
    ///   every source of the register.
    ///
    /// # Errors
    /// As for [`Dataset::chain`].
    pub fn chain_with(&self, options: &YearChainOptions) -> Result<SupplyChain> {
        let mut chain = SupplyChain::new();
        for s in self.sources() {
            chain.add_source(s.clone())?;
        }
        let year_for = |years: &BTreeSet<i16>| match options.years {
            YearRule::Exact => years.contains(&options.year).then_some(options.year),
            YearRule::LatestUpTo => years.range(..=options.year).next_back().copied(),
        };

        // Years available per (mineral, stage), from production rows.
        let mut groups: Vec<(Mineral, Stage, BTreeSet<i16>)> = Vec::new();
        for r in self.production_rows() {
            match groups.last_mut() {
                Some((m, s, ys)) if *m == r.mineral && *s == r.stage => {
                    ys.insert(r.year);
                }
                _ => groups.push((r.mineral.clone(), r.stage, BTreeSet::from([r.year]))),
            }
        }
        for (mineral, stage, years) in &groups {
            let Some(y) = year_for(years) else {
                continue;
            };
            let p = self.production(mineral, *stage, y);
            for r in p.countries().iter().copied().chain(p.rest_of_world()) {
                let mut node =
                    Node::new(r.country, r.mineral.clone(), r.stage).provenance(r.provenance(""));
                node.output = r.tonnes();
                chain.add_node(node)?;
            }
        }

        // Share-only figures: a node without output, the share in the note.
        // Years available per (mineral, stage), gathered once rather than
        // rescanned for every row.
        let mut share_years: BTreeMap<(&Mineral, Stage), BTreeSet<i16>> = BTreeMap::new();
        for r in self.share_rows() {
            share_years
                .entry((&r.mineral, r.stage))
                .or_default()
                .insert(r.year);
        }
        for r in self.share_rows() {
            let year = share_years.get(&(&r.mineral, r.stage)).and_then(year_for);
            if year != Some(r.year) {
                continue;
            }
            let key = NodeKey::new(r.country, r.mineral.clone(), r.stage);
            if chain.node_id(&key).is_some() {
                continue;
            }
            let prov = Provenance {
                sources: vec![r.source.clone()],
                status: Status::Reported,
                confidence: Some(r.confidence),
                citation: None,
                note: Some(format!(
                    "{}: {} of world {} (published as a share only; no tonnage)",
                    r.year, r.share, r.stage
                )),
            };
            chain.add_node(Node::from_key(key).provenance(prov))?;
        }

        for a in self.agreements() {
            chain.add_agreement(a.clone())?;
        }
        for r in self.restrictions() {
            chain.add_restriction(r.clone())?;
        }
        if let Some(model) = &options.modeled_flows {
            // Stamped here, not in the setter, so that setting the year after
            // the model (or the field directly) still gives the chain's year.
            model.clone().year(options.year).apply(&mut chain)?;
        }
        Ok(chain)
    }

    /// The modeled-flow step preloaded with the dataset's US import-source
    /// shares (see [`ModeledFlows`] for the assumption and its limits).
    pub fn modeled_flows(&self) -> ModeledFlows {
        ModeledFlows::new().import_sources(self.import_source_rows().iter().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Country;

    #[test]
    fn world_is_not_a_node_and_row_is() {
        let data = Dataset::builtin().unwrap();
        let chain = data.chain(2024).unwrap();
        assert!(chain.nodes_of_country(Country::WLD).next().is_none());
        let row = NodeKey::new(Country::ROW, Mineral::COBALT, Stage::Extraction);
        assert!(chain.node_by_key(&row).is_some());
    }
}
