//! Bilateral links between two countries: flows both ways, each side's
//! dependence on the other, shared agreements, restrictions and the
//! conflicts between them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::text::{Align, Table};
use crate::chain::{NodeId, SupplyChain};
use crate::error::{Error, Result};
use crate::model::{
    Agreement, AgreementKind, Binding, Country, Coverage, ExportRestriction, Mineral, Provision,
    QuotaLimit, RestrictionKind, RestrictionStatus, Share, Stage, Tonnes,
};

/// Options for [`SupplyChain::bilateral`].
///
/// The default looks at every mineral and evaluates no restriction status:
/// the analysis never reads the clock, so a date must be given with
/// [`BilateralOptions::as_of`] for statuses to be reported.
///
/// # Example
/// ```
/// use critical_minerals::{analysis::BilateralOptions, Mineral};
/// let opts = BilateralOptions::new()
///     .as_of(jiff::civil::date(2026, 2, 5))
///     .mineral(Mineral::RARE_EARTHS);
/// assert_eq!(opts.mineral, Some(Mineral::RARE_EARTHS));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BilateralOptions {
    /// The day on which restriction statuses are evaluated; `None` leaves
    /// them unevaluated.
    pub as_of: Option<Date>,
    /// Only this mineral (flows, agreements covering it, restrictions
    /// covering it); `None` for every mineral.
    pub mineral: Option<Mineral>,
}

impl BilateralOptions {
    /// Every mineral, no date.
    pub fn new() -> BilateralOptions {
        BilateralOptions::default()
    }

    /// Evaluates restriction statuses on `day`.
    pub fn as_of(mut self, day: Date) -> BilateralOptions {
        self.as_of = Some(day);
        self
    }

    /// Restricts the profile to one mineral.
    pub fn mineral(mut self, mineral: Mineral) -> BilateralOptions {
        self.mineral = Some(mineral);
        self
    }
}

/// Which way the tonnes of a link net out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Balance {
    /// Equal tonnes both ways (including none).
    Even,
    /// `exporter` ships `surplus` more than it receives.
    NetExporter {
        /// The side that ships more.
        exporter: Country,
        /// How much more.
        surplus: Tonnes,
    },
}

impl Balance {
    fn of(a: Country, a_to_b: Tonnes, b: Country, b_to_a: Tonnes) -> Balance {
        if a_to_b > b_to_a {
            Balance::NetExporter {
                exporter: a,
                surplus: a_to_b.saturating_sub(b_to_a),
            }
        } else if b_to_a > a_to_b {
            Balance::NetExporter {
                exporter: b,
                surplus: b_to_a.saturating_sub(a_to_b),
            }
        } else {
            Balance::Even
        }
    }
}

impl fmt::Display for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Balance::Even => f.pad("even"),
            Balance::NetExporter { exporter, surplus } => f.pad(&format!("{exporter} +{surplus}")),
        }
    }
}

/// The flows between the two countries of one mineral from one stage to
/// another, both ways.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BilateralLink {
    /// The mineral.
    pub mineral: Mineral,
    /// Stage of the sending node.
    pub from_stage: Stage,
    /// Stage of the receiving node.
    pub to_stage: Stage,
    /// Tonnes from the profile's `a` to `b`.
    pub a_to_b: Tonnes,
    /// Tonnes from `b` to `a`.
    pub b_to_a: Tonnes,
    /// Which way it nets out.
    pub balance: Balance,
}

/// One side's dependence on the other for a mineral at the stage that
/// receives the material.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dependence {
    /// The receiving country.
    pub importer: Country,
    /// The country it receives from.
    pub partner: Country,
    /// The mineral.
    pub mineral: Mineral,
    /// The receiving node's stage.
    pub stage: Stage,
    /// Tonnes the receiving node gets from the partner.
    pub from_partner: Tonnes,
    /// Tonnes it gets from abroad (every foreign country).
    pub imports: Tonnes,
    /// Tonnes it gets from its own country's other stages.
    pub domestic: Tonnes,
    /// `from_partner / imports`.
    pub share_of_imports: Share,
    /// `from_partner / (imports + domestic)`.
    pub share_of_input: Share,
}

/// An export restriction by one side that reaches the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RestrictionReach {
    /// The restriction.
    pub restriction: ExportRestriction,
    /// The side it reaches (the other is `restriction.imposer`).
    pub toward: Country,
    /// Its status on [`BilateralProfile::as_of`], when a date was given.
    pub status: Option<RestrictionStatus>,
    /// Tonnes of the chain's flows from the imposer to `toward` whose
    /// mineral and sending stage it covers.
    pub tonnes_covered: Tonnes,
}

/// A commitment not to restrict exports toward a partner, beside a
/// restriction by the committed side that reaches the partner on minerals
/// and stages the agreement covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The agreement that holds the commitment.
    pub agreement: String,
    /// Whether the agreement binds.
    pub binding: Binding,
    /// The side that gave the commitment and imposes the restriction.
    pub by: Country,
    /// The side protected by the commitment.
    pub toward: Country,
    /// The restriction's id.
    pub restriction: String,
    /// The restriction's status on the profile's date, when given.
    pub status: Option<RestrictionStatus>,
}

/// Everything that links two countries in a chain; see
/// [`SupplyChain::bilateral`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BilateralProfile {
    /// The first country.
    pub a: Country,
    /// The second country.
    pub b: Country,
    /// The day restriction statuses were evaluated on.
    pub as_of: Option<Date>,
    /// The mineral the profile is restricted to.
    pub mineral: Option<Mineral>,
    /// Links by mineral, then sending stage, then receiving stage.
    pub links: Vec<BilateralLink>,
    /// Total tonnes from `a` to `b`.
    pub a_to_b: Tonnes,
    /// Total tonnes from `b` to `a`.
    pub b_to_a: Tonnes,
    /// Each side's dependence on the other, by importer, mineral and
    /// receiving stage.
    pub dependence: Vec<Dependence>,
    /// Agreements both are party to, by id.
    pub agreements: Vec<Agreement>,
    /// Restrictions either imposes that reach the other, by imposer then id.
    pub restrictions: Vec<RestrictionReach>,
    /// Commitments not to restrict exports that a restriction contradicts.
    pub conflicts: Vec<Conflict>,
}

impl BilateralProfile {
    /// Which way the total tonnes net out.
    pub fn balance(&self) -> Balance {
        Balance::of(self.a, self.a_to_b, self.b, self.b_to_a)
    }
}

impl SupplyChain {
    /// The bilateral profile of `a` and `b`: every flow both ways grouped by
    /// mineral and (from stage, to stage), each side's dependence on the
    /// other per mineral and receiving stage, the agreements both are party
    /// to, the restrictions each imposes that reach the other (with their
    /// status on `options.as_of`), and the conflicts between a
    /// [`Provision::NoExportRestriction`] and such a restriction.
    ///
    /// Dependence is computed at each receiving node of one side that gets
    /// material from the other: `share_of_imports` is the partner's part of
    /// the node's cross-border inflow, `share_of_input` its part of all the
    /// node's inflow (domestic and imported).
    ///
    /// A conflict is reported when an agreement both are party to holds
    /// `NoExportRestriction { by, toward }` and `by` imposes a restriction
    /// reaching `toward` whose minerals and stages overlap the agreement's,
    /// whatever its status (the status is given beside it).
    ///
    /// Complexity: O(k log k + d log d + A + R), where k is the number of
    /// flows between the two (found through the country-pair index), d the
    /// in-degree of the receiving nodes, A the agreements and R the
    /// restrictions in the chain; independent of the number of nodes and
    /// flows in the graph (the `analysis` bench shows it).
    ///
    /// # Errors
    /// [`Error::Inconsistent`] when `a == b` (a country's links with itself
    /// are its domestic flows: use [`SupplyChain::flows_between`]).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{analysis::BilateralOptions, Country, Flow, Mineral, Node, Stage,
    ///     SupplyChain, Tonnes};
    /// let mut chain = SupplyChain::new();
    /// let ree = Mineral::RARE_EARTHS;
    /// let my = chain.add_node(Node::new(Country::MYS, ree.clone(), Stage::Refining))?;
    /// let us = chain.add_node(Node::new(Country::USA, ree.clone(), Stage::Manufacturing))?;
    /// let cn = chain.add_node(Node::new(Country::CHN, ree.clone(), Stage::Refining))?;
    /// chain.add_flow(my, us, Flow::new(Tonnes::new(300.0)?))?;
    /// chain.add_flow(cn, us, Flow::new(Tonnes::new(700.0)?))?;
    /// let p = chain.bilateral(Country::USA, Country::MYS, &BilateralOptions::new())?;
    /// assert_eq!(p.b_to_a.get(), 300.0);
    /// // Malaysia supplies 30% of the US magnet makers' imports.
    /// assert_eq!(p.dependence[0].share_of_imports.get(), 0.3);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn bilateral(
        &self,
        a: Country,
        b: Country,
        options: &BilateralOptions,
    ) -> Result<BilateralProfile> {
        if a == b {
            return Err(Error::Inconsistent {
                kind: "bilateral pair",
                id: format!("{a}-{b}"),
                reason:
                    "both sides are the same country; its domestic flows are flows_between(c, c)"
                        .into(),
            });
        }
        let wanted = |m: &Mineral| options.mineral.as_ref().is_none_or(|w| w == m);
        // Agreements and restrictions name minerals by coverage.
        let covered = |c: &Coverage<Mineral>| options.mineral.as_ref().is_none_or(|m| c.covers(m));

        // (mineral, from stage, to stage) -> (a→b, b→a)
        let mut links: BTreeMap<(Mineral, Stage, Stage), (Tonnes, Tonnes)> = BTreeMap::new();
        let mut receivers: BTreeSet<(Country, NodeId)> = BTreeSet::new();
        // Sent tonnes by (sender, mineral, sending stage), for restriction coverage.
        let mut sent: BTreeMap<(Country, Mineral, Stage), Tonnes> = BTreeMap::new();
        let (mut a_to_b, mut b_to_a) = (Tonnes::ZERO, Tonnes::ZERO);
        for (from, to) in [(a, b), (b, a)] {
            for f in self.flows_between(from, to) {
                let m = &f.from_key.mineral;
                if !wanted(m) {
                    continue;
                }
                let t = f.tonnes();
                let entry = links
                    .entry((m.clone(), f.from_key.stage, f.to_key.stage))
                    .or_insert((Tonnes::ZERO, Tonnes::ZERO));
                if from == a {
                    entry.0 = entry.0 + t;
                    a_to_b = a_to_b + t;
                } else {
                    entry.1 = entry.1 + t;
                    b_to_a = b_to_a + t;
                }
                let s = sent
                    .entry((from, m.clone(), f.from_key.stage))
                    .or_insert(Tonnes::ZERO);
                *s = *s + t;
                receivers.insert((to, f.to));
            }
        }
        let links = links
            .into_iter()
            .map(
                |((mineral, from_stage, to_stage), (ab, ba))| BilateralLink {
                    mineral,
                    from_stage,
                    to_stage,
                    a_to_b: ab,
                    b_to_a: ba,
                    balance: Balance::of(a, ab, b, ba),
                },
            )
            .collect();

        let mut dependence: Vec<Dependence> = receivers
            .into_iter()
            .filter_map(|(importer, node)| {
                let partner = if importer == a { b } else { a };
                let key = &self.node(node)?.key;
                let (mut from_partner, mut imports, mut domestic) =
                    (Tonnes::ZERO, Tonnes::ZERO, Tonnes::ZERO);
                for f in self.flows_in(node) {
                    let t = f.tonnes();
                    if f.is_domestic() {
                        domestic = domestic + t;
                    } else {
                        imports = imports + t;
                        if f.from_key.country == partner {
                            from_partner = from_partner + t;
                        }
                    }
                }
                Some(Dependence {
                    importer,
                    partner,
                    mineral: key.mineral.clone(),
                    stage: key.stage,
                    from_partner,
                    imports,
                    domestic,
                    share_of_imports: Share::ratio(from_partner.get(), imports.get()),
                    share_of_input: Share::ratio(from_partner.get(), (imports + domestic).get()),
                })
            })
            .collect();
        dependence.sort_by(|x, y| {
            (x.importer, &x.mineral, x.stage).cmp(&(y.importer, &y.mineral, y.stage))
        });

        let agreements: Vec<Agreement> = self
            .agreements_between(a, b)
            .filter(|ag| covered(&ag.minerals))
            .cloned()
            .collect();

        let status = |r: &ExportRestriction| options.as_of.map(|d| r.status_on(d));
        let mut restrictions = Vec::new();
        for (imposer, toward) in [(a, b), (b, a)] {
            for r in self.restrictions_toward(imposer, toward) {
                if !covered(&r.minerals) {
                    continue;
                }
                let tonnes_covered = sent
                    .iter()
                    .filter(|((from, m, s), _)| *from == imposer && r.applies_to(toward, m, *s))
                    .map(|(_, t)| *t)
                    .sum();
                restrictions.push(RestrictionReach {
                    restriction: r.clone(),
                    toward,
                    status: status(r),
                    tonnes_covered,
                });
            }
        }
        restrictions.sort_by(|x, y| {
            (x.restriction.imposer, &x.restriction.id)
                .cmp(&(y.restriction.imposer, &y.restriction.id))
        });

        let mut conflicts = Vec::new();
        for ag in &agreements {
            for p in &ag.provisions {
                let Provision::NoExportRestriction { by, toward } = p else {
                    continue;
                };
                let pair_ok = (*by == a && *toward == b) || (*by == b && *toward == a);
                if !pair_ok {
                    continue;
                }
                for r in restrictions.iter().filter(|r| r.restriction.imposer == *by) {
                    let res = &r.restriction;
                    if overlaps(&ag.minerals, &res.minerals) && overlaps(&ag.stages, &res.stages) {
                        conflicts.push(Conflict {
                            agreement: ag.id.clone(),
                            binding: ag.binding,
                            by: *by,
                            toward: *toward,
                            restriction: res.id.clone(),
                            status: r.status,
                        });
                    }
                }
            }
        }
        conflicts.sort_by(|x, y| {
            (&x.agreement, x.by, &x.restriction).cmp(&(&y.agreement, y.by, &y.restriction))
        });
        conflicts.dedup();

        Ok(BilateralProfile {
            a,
            b,
            as_of: options.as_of,
            mineral: options.mineral.clone(),
            links,
            a_to_b,
            b_to_a,
            dependence,
            agreements,
            restrictions,
            conflicts,
        })
    }
}

/// Whether two coverages share at least one item.
fn overlaps<T: Ord>(x: &Coverage<T>, y: &Coverage<T>) -> bool {
    match (x, y) {
        (Coverage::All, Coverage::All) => true,
        (Coverage::All, Coverage::Only(s)) | (Coverage::Only(s), Coverage::All) => !s.is_empty(),
        (Coverage::Only(s), Coverage::Only(t)) => s.intersection(t).next().is_some(),
    }
}

fn coverage_text<T: Ord + fmt::Display>(c: &Coverage<T>) -> String {
    match c {
        Coverage::All => "all".into(),
        Coverage::Only(s) => s
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn status_text(s: Option<RestrictionStatus>) -> String {
    s.map_or_else(|| "(no date given)".into(), |s| s.to_string())
}

fn kind_text(k: &RestrictionKind) -> String {
    match k {
        RestrictionKind::Ban => "ban".into(),
        RestrictionKind::Licence => "licence".into(),
        RestrictionKind::Quota {
            limit: QuotaLimit::Tonnes(t),
        } => format!("quota {t}"),
        RestrictionKind::Quota {
            limit: QuotaLimit::Share(s),
        } => format!("quota {s}"),
        RestrictionKind::TechnologyBan => "technology ban".into(),
    }
}

fn agreement_kind_text(k: AgreementKind) -> &'static str {
    match k {
        AgreementKind::Mou => "MOU",
        AgreementKind::Framework => "framework",
        AgreementKind::TradeAgreement => "trade agreement",
        AgreementKind::Partnership => "partnership",
    }
}

fn binding_text(b: Binding) -> &'static str {
    match b {
        Binding::Binding => "binding",
        Binding::NonBinding => "non-binding",
        Binding::Pending => "pending",
        Binding::Unknown => "unknown",
    }
}

impl fmt::Display for BilateralProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (self.a, self.b);
        write!(
            f,
            "Bilateral profile {a} ({}) – {b} ({})",
            a.name(),
            b.name()
        )?;
        if let Some(m) = &self.mineral {
            write!(f, ", {m}")?;
        }
        writeln!(f)?;
        match self.as_of {
            Some(d) => writeln!(f, "Restriction status as of {d}")?,
            None => writeln!(f, "Restriction status not evaluated (no date given)")?,
        }

        writeln!(f, "\nFlows by mineral and stage")?;
        if self.links.is_empty() {
            writeln!(f, "  (no flows between them)")?;
        } else {
            let mut t = Table::new([
                "mineral".to_string(),
                "from → to".to_string(),
                format!("{a} → {b}"),
                format!("{b} → {a}"),
                "balance".to_string(),
            ])
            .align(1, Align::Left);
            for l in &self.links {
                t.row([
                    l.mineral.to_string(),
                    format!("{} → {}", l.from_stage, l.to_stage),
                    l.a_to_b.to_string(),
                    l.b_to_a.to_string(),
                    l.balance.to_string(),
                ]);
            }
            t.row([
                "total".to_string(),
                String::new(),
                self.a_to_b.to_string(),
                self.b_to_a.to_string(),
                self.balance().to_string(),
            ]);
            t.write(f, "  ")?;
        }

        writeln!(f, "\nDependence (at the receiving stage)")?;
        if self.dependence.is_empty() {
            writeln!(f, "  (neither receives from the other)")?;
        } else {
            let mut t = Table::new([
                "importer",
                "mineral",
                "stage",
                "from partner",
                "all imports",
                "total input",
                "% of imports",
                "% of input",
            ])
            .align(1, Align::Left)
            .align(2, Align::Left);
            for d in &self.dependence {
                t.row([
                    format!("{} ← {}", d.importer, d.partner),
                    d.mineral.to_string(),
                    d.stage.to_string(),
                    d.from_partner.to_string(),
                    d.imports.to_string(),
                    (d.imports + d.domestic).to_string(),
                    d.share_of_imports.to_string(),
                    d.share_of_input.to_string(),
                ]);
            }
            t.write(f, "  ")?;
        }

        writeln!(f, "\nAgreements both are party to")?;
        if self.agreements.is_empty() {
            writeln!(f, "  (none)")?;
        } else {
            let mut t = Table::new(["id", "kind", "binding", "signed", "parties"])
                .align(1, Align::Left)
                .align(2, Align::Left)
                .align(4, Align::Left);
            for ag in &self.agreements {
                t.row([
                    ag.id.clone(),
                    agreement_kind_text(ag.kind).to_string(),
                    binding_text(ag.binding).to_string(),
                    ag.signed
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "?".into()),
                    ag.parties
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                ]);
            }
            t.write(f, "  ")?;
        }

        writeln!(f, "\nExport restrictions reaching the other side")?;
        if self.restrictions.is_empty() {
            writeln!(f, "  (none)")?;
        } else {
            let mut t = Table::new([
                "imposer → toward",
                "id",
                "kind",
                "minerals",
                "stages",
                "since",
                "status",
                "flows covered",
            ])
            .align(1, Align::Left)
            .align(2, Align::Left)
            .align(3, Align::Left)
            .align(4, Align::Left)
            .align(6, Align::Left);
            for r in &self.restrictions {
                let res = &r.restriction;
                t.row([
                    format!("{} → {}", res.imposer, r.toward),
                    res.id.clone(),
                    kind_text(&res.kind),
                    coverage_text(&res.minerals),
                    coverage_text(&res.stages),
                    res.effective
                        .or(res.announced)
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "?".into()),
                    status_text(r.status),
                    r.tonnes_covered.to_string(),
                ]);
            }
            t.write(f, "  ")?;
        }

        if !self.conflicts.is_empty() {
            writeln!(
                f,
                "\nConflicts: commitment not to restrict exports vs a restriction in place"
            )?;
            for c in &self.conflicts {
                writeln!(
                    f,
                    "  {} commits ({}, {}) not to restrict exports to {}, but {} is {}",
                    c.by,
                    c.agreement,
                    binding_text(c.binding),
                    c.toward,
                    c.restriction,
                    status_text(c.status)
                )?;
            }
        }
        Ok(())
    }
}
