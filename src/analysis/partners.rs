//! A country's trading partners, ranked by tonnes.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::text::Table;
use crate::chain::SupplyChain;
use crate::model::{Country, Mineral, Share, Tonnes};

/// Options for [`SupplyChain::partners`].
///
/// # Example
/// ```
/// use critical_minerals::{analysis::PartnerOptions, Mineral};
/// let opts = PartnerOptions::new().mineral(Mineral::COBALT);
/// assert_eq!(opts.mineral, Some(Mineral::COBALT));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PartnerOptions {
    /// Only flows of this mineral; `None` for every mineral.
    pub mineral: Option<Mineral>,
}

impl PartnerOptions {
    /// Every mineral.
    pub fn new() -> PartnerOptions {
        PartnerOptions::default()
    }

    /// Only flows of `mineral`.
    pub fn mineral(mut self, mineral: Mineral) -> PartnerOptions {
        self.mineral = Some(mineral);
        self
    }
}

/// One trading partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partner {
    /// The partner.
    pub country: Country,
    /// Tonnes the country ships to the partner.
    pub exports_to: Tonnes,
    /// Tonnes the country receives from the partner.
    pub imports_from: Tonnes,
    /// Both ways.
    pub total: Tonnes,
    /// The partner's part of the country's cross-border tonnes (both ways).
    pub share: Share,
}

/// A country's partners, largest first; see [`SupplyChain::partners`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partners {
    /// The country.
    pub country: Country,
    /// The mineral the ranking is restricted to.
    pub mineral: Option<Mineral>,
    /// Partners by total tonnes (both ways), largest first; ties by code.
    pub partners: Vec<Partner>,
    /// Cross-border tonnes both ways, over every partner.
    pub total: Tonnes,
}

impl SupplyChain {
    /// The countries `country` trades with, ranked by tonnes both ways,
    /// overall or for one mineral.
    ///
    /// Complexity: O(C + k log k), where C is the number of country codes
    /// (about 255: each ordered pair is one country-pair index lookup) and
    /// k the country's cross-border flows; independent of the graph's size.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::PartnerOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let co = Mineral::COBALT;
    /// let cd = chain.add_node(Node::new(Country::COD, co.clone(), Stage::Extraction))?;
    /// let cn = chain.add_node(Node::new(Country::CHN, co.clone(), Stage::Refining))?;
    /// let jp = chain.add_node(Node::new(Country::JPN, co.clone(), Stage::Manufacturing))?;
    /// chain.add_flow(cd, cn, Flow::new(Tonnes::new(150_000.0)?))?;
    /// chain.add_flow(cn, jp, Flow::new(Tonnes::new(10_000.0)?))?;
    /// let p = chain.partners(Country::CHN, &PartnerOptions::new());
    /// assert_eq!(p.partners[0].country, Country::COD);
    /// assert_eq!(p.partners[1].exports_to.get(), 10_000.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn partners(&self, country: Country, options: &PartnerOptions) -> Partners {
        let sum = |from: Country, to: Country| -> Tonnes {
            self.flows_between(from, to)
                .filter(|f| {
                    options
                        .mineral
                        .as_ref()
                        .is_none_or(|m| m == &f.from_key.mineral)
                })
                .map(|f| f.tonnes())
                .sum()
        };
        let mut partners: Vec<Partner> = Country::iso_all()
            .chain(Country::special_all())
            .filter(|c| *c != country)
            .filter_map(|c| {
                let (exports_to, imports_from) = (sum(country, c), sum(c, country));
                let total = exports_to + imports_from;
                (total > Tonnes::ZERO).then_some(Partner {
                    country: c,
                    exports_to,
                    imports_from,
                    total,
                    share: Share::ZERO,
                })
            })
            .collect();
        let total: Tonnes = partners.iter().map(|p| p.total).sum();
        for p in &mut partners {
            p.share = Share::ratio(p.total.get(), total.get());
        }
        partners.sort_by(|x, y| {
            y.total
                .get()
                .total_cmp(&x.total.get())
                .then(x.country.cmp(&y.country))
        });
        Partners {
            country,
            mineral: options.mineral.clone(),
            partners,
            total,
        }
    }
}

impl fmt::Display for Partners {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Trading partners of {} ({})",
            self.country,
            self.country.name()
        )?;
        if let Some(m) = &self.mineral {
            write!(f, ", {m}")?;
        }
        writeln!(f)?;
        if self.partners.is_empty() {
            return writeln!(f, "  (no cross-border flows)");
        }
        let mut t = Table::new([
            "rank",
            "partner",
            "exports to",
            "imports from",
            "total",
            "share",
        ]);
        for (i, p) in self.partners.iter().enumerate() {
            t.row([
                (i + 1).to_string(),
                p.country.to_string(),
                p.exports_to.to_string(),
                p.imports_from.to_string(),
                p.total.to_string(),
                p.share.to_string(),
            ]);
        }
        t.write(f, "  ")
    }
}
