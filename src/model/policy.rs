//! Policy objects: agreements between countries and export restrictions.

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::provenance::validate_id;
use crate::error::{Error, Result};
use crate::model::{Country, Mineral, Provenance, ReportedDate, Share, Stage, Tonnes};

/// Which items of a kind a policy covers: all of them, or only some.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage<T: Ord> {
    /// Every item ("critical minerals (general)", "all stages").
    All,
    /// Only these.
    Only(BTreeSet<T>),
}

impl<T: Ord> Coverage<T> {
    /// Whether `item` is covered.
    pub fn covers(&self, item: &T) -> bool {
        match self {
            Coverage::All => true,
            Coverage::Only(set) => set.contains(item),
        }
    }

    /// Coverage of exactly the given items.
    pub fn only(items: impl IntoIterator<Item = T>) -> Coverage<T> {
        Coverage::Only(items.into_iter().collect())
    }

    fn is_empty(&self) -> bool {
        matches!(self, Coverage::Only(s) if s.is_empty())
    }
}

/// The kind of an [`Agreement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Memorandum of understanding.
    Mou,
    /// Framework (for example the 2025 US–Australia and US–Japan frameworks).
    Framework,
    /// Trade agreement (for example the US–Malaysia Agreement on Reciprocal Trade).
    TradeAgreement,
    /// Multilateral partnership (for example the Minerals Security Partnership).
    Partnership,
}

/// Whether an agreement binds its parties in law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Legally binding.
    Binding,
    /// Not legally binding (most MOUs).
    NonBinding,
    /// Signed, binding once in force, but not yet in force.
    Pending,
    /// The sources do not say.
    Unknown,
}

/// A commitment an agreement contains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Provision {
    /// Priority (or first opportunity) for one party's investment in the
    /// other's assets.
    InvestmentPriority {
        /// Whose investment gets priority.
        investor: Country,
    },
    /// Sharing of information (working groups, rapid-response groups).
    InformationSharing,
    /// `by` undertakes not to ban or set quotas on exports toward `toward`.
    NoExportRestriction {
        /// The party that gives the commitment.
        by: Country,
        /// The party its exports are protected toward.
        toward: Country,
    },
    /// Price floors or similar market measures.
    PriceFloor,
    /// Offtake commitments.
    Offtake,
    /// Stockpiling cooperation.
    Stockpiling,
    /// Anything else, in words.
    Other {
        /// The provision in words.
        text: String,
    },
}

/// How an agreement ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Termination {
    /// Either side may end it by written (diplomatic) notice.
    WrittenNotice,
    /// Either side may end it without the other's consent.
    Unilateral,
    /// It expires on a date.
    Expiry {
        /// The last day (or month, or year) it applies.
        on: ReportedDate,
    },
    /// The sources do not say.
    Unspecified,
}

/// An agreement between countries on critical minerals: an MOU, a framework,
/// a trade agreement or a partnership.
///
/// # Example
/// ```
/// use critical_minerals::{Agreement, AgreementKind, Binding, Country, Provision, Termination};
/// let mou = Agreement::new("us-mys-mou-2025", AgreementKind::Mou, [Country::USA, Country::MYS])?
///     .signed("2025-10-26".parse()?)
///     .binding(Binding::NonBinding)
///     .provision(Provision::InvestmentPriority { investor: Country::USA })
///     .termination(Termination::WrittenNotice);
/// assert!(mou.is_party(Country::MYS));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// Unique id (`us-mys-critical-minerals-mou-2025`).
    pub id: String,
    /// What kind of agreement.
    pub kind: AgreementKind,
    /// The parties (at least two).
    pub parties: BTreeSet<Country>,
    /// Date signed or announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<ReportedDate>,
    /// Date it entered into force, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<ReportedDate>,
    /// Whether it is legally binding.
    pub binding: Binding,
    /// Minerals covered.
    pub minerals: Coverage<Mineral>,
    /// Stages covered.
    pub stages: Coverage<Stage>,
    /// Commitments it contains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisions: Vec<Provision>,
    /// How it ends.
    pub termination: Termination,
    /// A summary in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Where the facts come from.
    #[serde(default)]
    pub provenance: Provenance,
}

impl Agreement {
    /// An agreement with its id, kind and parties; covering all minerals and
    /// stages, binding unknown, termination unspecified until set.
    ///
    /// # Errors
    /// [`Error::InvalidId`] when the id is empty or holds whitespace,
    /// [`Error::Inconsistent`] when there are fewer than two distinct parties.
    pub fn new(
        id: impl Into<String>,
        kind: AgreementKind,
        parties: impl IntoIterator<Item = Country>,
    ) -> Result<Agreement> {
        let a = Agreement {
            id: id.into(),
            kind,
            parties: parties.into_iter().collect(),
            signed: None,
            in_force: None,
            binding: Binding::Unknown,
            minerals: Coverage::All,
            stages: Coverage::All,
            provisions: Vec::new(),
            termination: Termination::Unspecified,
            summary: String::new(),
            provenance: Provenance::default(),
        };
        a.validate()?;
        Ok(a)
    }

    /// Sets the signing date.
    pub fn signed(mut self, d: ReportedDate) -> Agreement {
        self.signed = Some(d);
        self
    }
    /// Sets the entry-into-force date.
    pub fn in_force(mut self, d: ReportedDate) -> Agreement {
        self.in_force = Some(d);
        self
    }
    /// Sets whether it binds.
    pub fn binding(mut self, b: Binding) -> Agreement {
        self.binding = b;
        self
    }
    /// Restricts the minerals covered.
    pub fn minerals(mut self, m: impl IntoIterator<Item = Mineral>) -> Agreement {
        self.minerals = Coverage::only(m);
        self
    }
    /// Restricts the stages covered.
    pub fn stages(mut self, s: impl IntoIterator<Item = Stage>) -> Agreement {
        self.stages = Coverage::only(s);
        self
    }
    /// Adds a provision.
    pub fn provision(mut self, p: Provision) -> Agreement {
        self.provisions.push(p);
        self
    }
    /// Sets how it ends.
    pub fn termination(mut self, t: Termination) -> Agreement {
        self.termination = t;
        self
    }
    /// Sets the summary.
    pub fn summary(mut self, s: impl Into<String>) -> Agreement {
        self.summary = s.into();
        self
    }
    /// Sets the provenance.
    pub fn provenance(mut self, p: Provenance) -> Agreement {
        self.provenance = p;
        self
    }

    /// Whether `c` is a party.
    pub fn is_party(&self, c: Country) -> bool {
        self.parties.contains(&c)
    }

    /// Whether it covers a mineral at a stage.
    pub fn covers(&self, mineral: &Mineral, stage: Stage) -> bool {
        self.minerals.covers(mineral) && self.stages.covers(&stage)
    }

    /// Whether `by` has committed, in this agreement, not to restrict its
    /// exports toward `toward`.
    pub fn commits_no_restriction(&self, by: Country, toward: Country) -> bool {
        self.provisions.iter().any(|p| {
            matches!(p, Provision::NoExportRestriction { by: b, toward: t } if *b == by && *t == toward)
        })
    }

    /// Its status on `day`.
    ///
    /// Before the first day of its signature (or, with no signature date,
    /// of its entry into force): [`AgreementStatus::NotYetSigned`]. From the
    /// first day of its entry into force: [`AgreementStatus::InForce`];
    /// signed but with no entry into force on or before `day` (a binding
    /// agreement pending ratification, or a non-binding MOU, which never
    /// "enters into force"): [`AgreementStatus::Signed`]. After the last
    /// day of a [`Termination::Expiry`]: [`AgreementStatus::Ended`]. With
    /// neither date: [`AgreementStatus::Unknown`]. An agreement that ends by
    /// written notice or unilaterally has no end date of its own; a
    /// scenario says when it is discontinued.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::{Agreement, AgreementKind, AgreementStatus, Country};
    /// let mou = Agreement::new("us-mys-mou", AgreementKind::Mou, [Country::USA, Country::MYS])?
    ///     .signed("2025-10-26".parse()?);
    /// assert_eq!(mou.status_on(jiff::civil::date(2025, 1, 1)), AgreementStatus::NotYetSigned);
    /// assert_eq!(mou.status_on(jiff::civil::date(2026, 1, 1)), AgreementStatus::Signed);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn status_on(&self, day: Date) -> AgreementStatus {
        let Some(start) = self.signed.or(self.in_force) else {
            return AgreementStatus::Unknown;
        };
        if day < start.first_day() {
            return AgreementStatus::NotYetSigned;
        }
        if let Termination::Expiry { on } = self.termination {
            if day > on.last_day() {
                return AgreementStatus::Ended;
            }
        }
        match self.in_force {
            Some(d) if day >= d.first_day() => AgreementStatus::InForce,
            _ => AgreementStatus::Signed,
        }
    }

    /// Whether its commitments count on `day`: signed or in force (see
    /// [`Agreement::status_on`]). Commitments are honoured from signature,
    /// since most critical-minerals agreements are non-binding and never
    /// formally enter into force.
    pub fn active_on(&self, day: Date) -> bool {
        matches!(
            self.status_on(day),
            AgreementStatus::Signed | AgreementStatus::InForce
        )
    }

    /// Checks the invariants the chain relies on.
    ///
    /// # Errors
    /// [`Error::InvalidId`] for an empty id or one with whitespace;
    /// [`Error::Inconsistent`] for fewer than two parties, empty coverage, or
    /// a provision naming a non-party.
    pub fn validate(&self) -> Result<()> {
        validate_id("agreement", &self.id)?;
        if self.parties.len() < 2 {
            return Err(Error::Inconsistent {
                kind: "agreement",
                id: self.id.clone(),
                reason: format!("needs at least two parties, has {:?}", self.parties),
            });
        }
        if self.minerals.is_empty() || self.stages.is_empty() {
            return Err(Error::Inconsistent {
                kind: "agreement",
                id: self.id.clone(),
                reason: "covers no mineral or no stage".into(),
            });
        }
        for p in &self.provisions {
            let named = match p {
                Provision::InvestmentPriority { investor } => vec![*investor],
                Provision::NoExportRestriction { by, toward } => vec![*by, *toward],
                _ => vec![],
            };
            if let Some(c) = named.into_iter().find(|c| !self.is_party(*c)) {
                return Err(Error::Inconsistent {
                    kind: "agreement",
                    id: self.id.clone(),
                    reason: format!("a provision names {c}, which is not a party"),
                });
            }
        }
        Ok(())
    }
}

/// Whether an agreement applies on a given day, from
/// [`Agreement::status_on`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    /// Not yet signed.
    NotYetSigned,
    /// Signed, not (or not known to be) in force.
    Signed,
    /// In force.
    InForce,
    /// Expired.
    Ended,
    /// No signature or entry-into-force date is known.
    Unknown,
}

impl fmt::Display for AgreementStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            AgreementStatus::NotYetSigned => "not yet signed",
            AgreementStatus::Signed => "signed",
            AgreementStatus::InForce => "in force",
            AgreementStatus::Ended => "ended",
            AgreementStatus::Unknown => "unknown",
        })
    }
}

/// What an export restriction does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RestrictionKind {
    /// Exports are prohibited (including temporary suspensions of exports).
    Ban,
    /// Exports need a licence, granted case by case.
    Licence,
    /// Exports are capped.
    Quota {
        /// The cap.
        limit: QuotaLimit,
    },
    /// Export of technology (not material) is prohibited.
    TechnologyBan,
}

/// The cap of a quota.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaLimit {
    /// At most so many tonnes a year.
    Tonnes(Tonnes),
    /// At most this share of the previous exports.
    Share(Share),
}

/// Toward whom a restriction applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionTargets {
    /// Every destination.
    All,
    /// Only these destinations.
    Only(BTreeSet<Country>),
    /// Every destination except these (exemptions, e.g. for MOU partners).
    AllExcept(BTreeSet<Country>),
}

impl RestrictionTargets {
    /// Whether exports toward `c` are targeted.
    pub fn reaches(&self, c: Country) -> bool {
        match self {
            RestrictionTargets::All => true,
            RestrictionTargets::Only(s) => s.contains(&c),
            RestrictionTargets::AllExcept(s) => !s.contains(&c),
        }
    }
}

/// A period during which a restriction is suspended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    /// First day suspended (unknown: from the restriction's start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ReportedDate>,
    /// Last day suspended (unknown: open-ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<ReportedDate>,
    /// The act that suspends it (an id or a name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// Whether a restriction applies on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionStatus {
    /// Not yet effective.
    NotYetEffective,
    /// In force.
    InForce,
    /// Suspended.
    Suspended,
    /// Ended.
    Ended,
    /// No effective or announcement date is known.
    Unknown,
}

impl fmt::Display for RestrictionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            RestrictionStatus::NotYetEffective => "not yet effective",
            RestrictionStatus::InForce => "in force",
            RestrictionStatus::Suspended => "suspended",
            RestrictionStatus::Ended => "ended",
            RestrictionStatus::Unknown => "unknown",
        })
    }
}

/// An export restriction: who restricts what, at which stages, toward whom,
/// since when, and its suspensions.
///
/// # Example
/// ```
/// use critical_minerals::{Country, ExportRestriction, Mineral, RestrictionKind, RestrictionStatus, Stage};
/// let ban = ExportRestriction::new("mys-raw-ree-ban", Country::MYS, RestrictionKind::Ban)?
///     .minerals([Mineral::RARE_EARTHS])
///     .stages([Stage::Extraction])
///     .effective("2024-01".parse()?);
/// assert!(ban.applies_to(Country::USA, &Mineral::RARE_EARTHS, Stage::Extraction));
/// let day = jiff::civil::date(2025, 6, 1);
/// assert_eq!(ban.status_on(day), RestrictionStatus::InForce);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRestriction {
    /// Unique id.
    pub id: String,
    /// The country that restricts its exports.
    pub imposer: Country,
    /// What it does.
    pub kind: RestrictionKind,
    /// Minerals covered.
    pub minerals: Coverage<Mineral>,
    /// Stages (of the exported material) covered.
    pub stages: Coverage<Stage>,
    /// Destinations targeted.
    pub targets: RestrictionTargets,
    /// Date announced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<ReportedDate>,
    /// Date it took effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<ReportedDate>,
    /// Date it ended, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<ReportedDate>,
    /// Periods of suspension.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspensions: Vec<Suspension>,
    /// A summary in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Where the facts come from.
    #[serde(default)]
    pub provenance: Provenance,
}

impl ExportRestriction {
    /// A restriction on all minerals and stages toward every destination,
    /// with no dates until set.
    ///
    /// # Errors
    /// [`Error::InvalidId`] when the id is empty or holds whitespace.
    pub fn new(
        id: impl Into<String>,
        imposer: Country,
        kind: RestrictionKind,
    ) -> Result<ExportRestriction> {
        let r = ExportRestriction {
            id: id.into(),
            imposer,
            kind,
            minerals: Coverage::All,
            stages: Coverage::All,
            targets: RestrictionTargets::All,
            announced: None,
            effective: None,
            ends: None,
            suspensions: Vec::new(),
            summary: String::new(),
            provenance: Provenance::default(),
        };
        r.validate()?;
        Ok(r)
    }

    /// Restricts the minerals covered.
    pub fn minerals(mut self, m: impl IntoIterator<Item = Mineral>) -> ExportRestriction {
        self.minerals = Coverage::only(m);
        self
    }
    /// Restricts the stages covered.
    pub fn stages(mut self, s: impl IntoIterator<Item = Stage>) -> ExportRestriction {
        self.stages = Coverage::only(s);
        self
    }
    /// Sets the destinations targeted.
    pub fn targets(mut self, t: RestrictionTargets) -> ExportRestriction {
        self.targets = t;
        self
    }
    /// Sets the announcement date.
    pub fn announced(mut self, d: ReportedDate) -> ExportRestriction {
        self.announced = Some(d);
        self
    }
    /// Sets the date it took effect.
    pub fn effective(mut self, d: ReportedDate) -> ExportRestriction {
        self.effective = Some(d);
        self
    }
    /// Sets the date it ended.
    pub fn ends(mut self, d: ReportedDate) -> ExportRestriction {
        self.ends = Some(d);
        self
    }
    /// Adds a suspension.
    pub fn suspension(mut self, s: Suspension) -> ExportRestriction {
        self.suspensions.push(s);
        self
    }
    /// Sets the summary.
    pub fn summary(mut self, s: impl Into<String>) -> ExportRestriction {
        self.summary = s.into();
        self
    }
    /// Sets the provenance.
    pub fn provenance(mut self, p: Provenance) -> ExportRestriction {
        self.provenance = p;
        self
    }

    /// Whether the restriction covers exports of `mineral` at `stage` toward
    /// `destination` (whatever the date). A country never restricts itself.
    pub fn applies_to(&self, destination: Country, mineral: &Mineral, stage: Stage) -> bool {
        destination != self.imposer
            && self.targets.reaches(destination)
            && self.minerals.covers(mineral)
            && self.stages.covers(&stage)
    }

    /// Its status on `day`.
    ///
    /// The start is the first day of the effective date (a month-only date
    /// counts from the month's first day); with no effective date, the
    /// announcement date (controls "effective on publication"); with
    /// neither, [`RestrictionStatus::Unknown`]. It has ended after the last
    /// day of `ends`. A suspension covers from the first day of `from`
    /// (unknown: the start) through the last day of `until` (unknown:
    /// open-ended).
    pub fn status_on(&self, day: Date) -> RestrictionStatus {
        let Some(start) = self.effective.or(self.announced) else {
            return RestrictionStatus::Unknown;
        };
        if day < start.first_day() {
            return RestrictionStatus::NotYetEffective;
        }
        if let Some(end) = self.ends {
            if day > end.last_day() {
                return RestrictionStatus::Ended;
            }
        }
        let suspended = self.suspensions.iter().any(|s| {
            let from = s.from.map_or(start.first_day(), |d| d.first_day());
            let until = s.until.map_or(Date::MAX, |d| d.last_day());
            from <= day && day <= until
        });
        if suspended {
            RestrictionStatus::Suspended
        } else {
            RestrictionStatus::InForce
        }
    }

    /// Whether it is in force on `day` (see [`ExportRestriction::status_on`]).
    pub fn in_force_on(&self, day: Date) -> bool {
        self.status_on(day) == RestrictionStatus::InForce
    }

    /// Checks the invariants the chain relies on.
    ///
    /// # Errors
    /// [`Error::InvalidId`] for an empty id or one with whitespace;
    /// [`Error::Inconsistent`] for empty coverage, targets that name only
    /// the imposer, or dates in reverse order (it ends, or a suspension
    /// ends, before it starts).
    pub fn validate(&self) -> Result<()> {
        validate_id("restriction", &self.id)?;
        let reversed = |what: &str, from: ReportedDate, until: ReportedDate| Error::Inconsistent {
            kind: "restriction",
            id: self.id.clone(),
            reason: format!("{what} {until} is before it starts {from}"),
        };
        let start = self.effective.or(self.announced);
        if let (Some(from), Some(until)) = (start, self.ends) {
            if until.last_day() < from.first_day() {
                return Err(reversed("end date", from, until));
            }
        }
        for s in &self.suspensions {
            if let (Some(from), Some(until)) = (s.from, s.until) {
                if until.last_day() < from.first_day() {
                    return Err(reversed("a suspension's end", from, until));
                }
            }
        }
        if self.minerals.is_empty() || self.stages.is_empty() {
            return Err(Error::Inconsistent {
                kind: "restriction",
                id: self.id.clone(),
                reason: "covers no mineral or no stage".into(),
            });
        }
        if let RestrictionTargets::Only(s) = &self.targets {
            if s.is_empty() || s.iter().all(|c| *c == self.imposer) {
                return Err(Error::Inconsistent {
                    kind: "restriction",
                    id: self.id.clone(),
                    reason: "targets no country other than the imposer".into(),
                });
            }
        }
        Ok(())
    }
}
