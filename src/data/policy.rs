//! `policy.csv` → the foundation's [`Agreement`]s and [`ExportRestriction`]s,
//! plus the suspension acts as [`PolicyAct`]s.
//!
//! The CSV has one row per act and a `kind` column. How each kind maps:
//!
//! | `kind` | becomes |
//! |---|---|
//! | `mou`, `framework`, `trade_agreement`, `partnership` | [`Agreement`] of that [`AgreementKind`] |
//! | `export_ban` | [`RestrictionKind::Ban`] |
//! | `export_suspension` | [`RestrictionKind::Ban`], with `ends` from "ended YYYY-MM-DD" |
//! | `licence_requirement` | [`RestrictionKind::Licence`] |
//! | `quota` | [`RestrictionKind::Quota`] (the limit: see `QUOTA_LIMITS`) |
//! | `technology_export_ban` | [`RestrictionKind::TechnologyBan`] |
//! | `suspension` | a [`PolicyAct`], and a [`Suspension`] on each restriction whose row points to it |
//!
//! Minerals: `critical minerals (general)` → [`Coverage::All`];
//! `rare-earths (samarium;…)` → rare-earths, with the elements kept in the
//! provenance note; other names are lowercased with spaces as `-`
//! (`superhard materials` → `superhard-materials`). Stages: `all` →
//! [`Coverage::All`]. Parties and targets: `EU` → [`Country::EUU`], `ALL` →
//! [`RestrictionTargets::All`]. `source_ref` (outlets in words) → the provenance
//! citation; `confidence` → [`Confidence`]; `end_or_suspension` → the
//! provenance note. Dates are [`ReportedDate`]s: a month stays a month.
//!
//! Agreement provisions are not a CSV column: they are read from each
//! agreement's summary by hand, in [`provisions_for`], and every agreement's
//! provenance note says so.

use std::collections::BTreeSet;

use super::sheet::{Row, Sheet, split_list};
use crate::error::{Error, Result};
use crate::model::{
    Agreement, AgreementKind, Binding, Confidence, Country, Coverage, ExportRestriction, Mineral,
    Provenance, Provision, QuotaLimit, ReportedDate, RestrictionKind, RestrictionTargets, Stage,
    Status, Suspension, Termination, Tonnes,
};

/// A policy act that changes other acts rather than restricting trade
/// itself: the two Chinese suspensions of 2025 (`kind` = `suspension` in
/// `policy.csv`).
///
/// Each act is kept here, discoverable by id, and is also attached as a
/// [`Suspension`] (with `by` = the act's id, `from` = its announcement date,
/// `until` = the date its row gives) to every restriction it suspends, so
/// that [`ExportRestriction::status_on`] answers "suspended" on the days it
/// covers.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyAct {
    /// The row id (`chn-suspension-no70-2025`).
    pub id: String,
    /// The country that issued it.
    pub issuer: Country,
    /// Destinations it concerns.
    pub targets: RestrictionTargets,
    /// Minerals it concerns.
    pub minerals: Coverage<Mineral>,
    /// Stages it concerns.
    pub stages: Coverage<Stage>,
    /// Date announced.
    pub announced: Option<ReportedDate>,
    /// Last day the suspension runs, when the row gives one.
    pub until: Option<ReportedDate>,
    /// Ids of the restrictions it suspends, sorted.
    pub suspends: Vec<String>,
    /// Summary in words (the dataset's own wording).
    pub summary: String,
    /// Citation, confidence and notes.
    pub provenance: Provenance,
}

/// The parsed policy file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policy {
    pub(crate) agreements: Vec<Agreement>,
    pub(crate) restrictions: Vec<ExportRestriction>,
    pub(crate) acts: Vec<PolicyAct>,
}

/// Quota limits, by row id, with where the figure comes from. `policy.csv`
/// has no limit column; the DRC's limit is the 2026 annual figure stated in
/// the row's summary ("96,600 t a year for 2026"). A `quota` row with no
/// entry here is refused rather than given an invented limit.
pub(crate) const QUOTA_LIMITS: [(&str, f64, &str); 1] = [(
    "drc-cobalt-export-quotas-2025",
    96_600.0,
    "quota limit: the 2026 annual figure, 96,600 t (87,000 t base + 9,600 t strategic), \
     taken from the row's summary; the rest of 2025 had 18,125 t",
)];

pub(crate) fn parse(table: &Sheet) -> Result<Policy> {
    table.require(&[
        "id",
        "kind",
        "date_signed_or_announced",
        "date_effective",
        "parties_or_imposer",
        "targets",
        "minerals",
        "stages",
        "binding",
        "summary",
        "end_or_suspension",
        "source_ref",
        "confidence",
    ])?;
    let mut policy = Policy::default();
    let mut seen = BTreeSet::new();
    for row in table.rows() {
        let id = row.required("id")?;
        if !seen.insert(id.to_string()) {
            return Err(row.error("id", format!("duplicate id {id:?}")));
        }
        let kind = row.required("kind")?;
        match kind {
            "mou" | "framework" | "trade_agreement" | "partnership" => {
                policy.agreements.push(agreement(&row, id, kind)?);
            }
            "suspension" => policy.acts.push(act(&row, id)?),
            _ => policy.restrictions.push(restriction(&row, id, kind)?),
        }
    }
    attach_suspensions(table, &mut policy)?;
    Ok(policy)
}

fn provenance(row: &Row<'_>) -> Result<Provenance> {
    let mut p =
        Provenance::new(Status::Reported).confidence(row.parse("confidence", Confidence::parse)?);
    if let Some(c) = row.opt("source_ref") {
        p = p.citation(c);
    }
    let mut notes = Vec::new();
    if let Some(e) = row.opt("end_or_suspension") {
        notes.push(e.to_string());
    }
    if let Some(elements) = element_list(row.text("minerals")) {
        notes.push(format!("elements: {elements}"));
    }
    if !notes.is_empty() {
        p = p.note(notes.join("; "));
    }
    Ok(p)
}

fn date(row: &Row<'_>, col: &str) -> Result<Option<ReportedDate>> {
    row.opt(col)
        .map(|s| {
            s.parse::<ReportedDate>()
                .map_err(|e| row.error(col, e.to_string()))
        })
        .transpose()
}

/// Splits on `;` outside parentheses, so `rare-earths (samarium;gadolinium)`
/// stays one item.
fn split_outside_parens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out.retain(|x| !x.is_empty());
    out
}

/// The element list of `rare-earths (samarium;gadolinium)`, as
/// `samarium, gadolinium`.
fn element_list(minerals: &str) -> Option<String> {
    let lists: Vec<String> = split_outside_parens(minerals)
        .into_iter()
        .filter_map(|item| {
            let (name, rest) = item.split_once('(')?;
            if name.trim() == "critical minerals" {
                return None;
            }
            let inner = rest.trim_end().strip_suffix(')')?;
            Some(split_list(inner).collect::<Vec<_>>().join(", "))
        })
        .collect();
    (!lists.is_empty()).then(|| lists.join("; "))
}

fn minerals(row: &Row<'_>) -> Result<Coverage<Mineral>> {
    let text = row.required("minerals")?;
    let mut set = BTreeSet::new();
    for item in split_outside_parens(text) {
        let name = item.split('(').next().unwrap_or(item).trim();
        if name == "critical minerals (general)" || name == "critical minerals" {
            return Ok(Coverage::All);
        }
        let id = name.to_lowercase().replace(' ', "-");
        set.insert(Mineral::new(id).map_err(|e| row.error("minerals", e.to_string()))?);
    }
    Ok(Coverage::Only(set))
}

fn stages(row: &Row<'_>) -> Result<Coverage<Stage>> {
    let text = row.required("stages")?;
    if text == "all" {
        return Ok(Coverage::All);
    }
    split_list(text)
        .map(|s| {
            s.parse::<Stage>()
                .map_err(|e| row.error("stages", e.to_string()))
        })
        .collect::<Result<BTreeSet<_>>>()
        .map(Coverage::Only)
}

fn countries(row: &Row<'_>, col: &str) -> Result<BTreeSet<Country>> {
    split_list(row.required(col)?)
        .map(|c| Country::parse(c).map_err(|e| row.error(col, e.to_string())))
        .collect()
}

fn imposer(row: &Row<'_>) -> Result<Country> {
    let set = countries(row, "parties_or_imposer")?;
    match (set.len(), set.first()) {
        (1, Some(c)) => Ok(*c),
        _ => Err(row.error(
            "parties_or_imposer",
            "a restriction has exactly one imposer".into(),
        )),
    }
}

fn targets(row: &Row<'_>) -> Result<RestrictionTargets> {
    match row.opt("targets") {
        None | Some("ALL") => Ok(RestrictionTargets::All),
        Some(_) => Ok(RestrictionTargets::Only(countries(row, "targets")?)),
    }
}

fn binding(row: &Row<'_>) -> Result<Binding> {
    let b = row.required("binding")?;
    Ok(match b {
        "yes" => Binding::Binding,
        "no" => Binding::NonBinding,
        "unknown" => Binding::Unknown,
        _ if b.starts_with("pending") => Binding::Pending,
        _ => return Err(row.error("binding", format!("unknown binding {b:?}"))),
    })
}

/// The provisions and termination of each agreement, read by hand from its
/// summary and `end_or_suspension` text (the CSV has no provision column).
pub(crate) fn provisions_for(id: &str) -> (Vec<Provision>, Termination, &'static str) {
    match id {
        "us-mys-critical-minerals-mou-2025" => (
            vec![
                Provision::InvestmentPriority {
                    investor: Country::USA,
                },
                Provision::PriceFloor,
                Provision::InformationSharing,
            ],
            Termination::WrittenNotice,
            "provisions read from the summary: good-faith priority for US investment in \
             Malaysian critical-mineral assets offered for sale; price floors or similar \
             measures; information sharing through quarterly working-level meetings; ends by \
             written diplomatic notice",
        ),
        "us-mys-reciprocal-trade-agreement-2025" => (
            vec![Provision::NoExportRestriction {
                by: Country::MYS,
                toward: Country::USA,
            }],
            Termination::Unspecified,
            "provisions read from the summary: Malaysia undertakes not to ban, or set quotas \
             on, exports of critical minerals or rare-earth elements to the US (joint \
             statement); signed, not in force as of 2026-02-05; Malaysia's raw rare-earth \
             export ban stays",
        ),
        "us-tha-critical-minerals-mou-2025" => (
            vec![Provision::InvestmentPriority {
                investor: Country::USA,
            }],
            Termination::Unilateral,
            "provisions read from the summary: first opportunity for US investment in Thai \
             critical-mineral assets offered for sale; can be ended without the other side's \
             consent",
        ),
        "us-jpn-critical-minerals-framework-2025" => (
            vec![Provision::InformationSharing, Provision::Stockpiling],
            Termination::Unspecified,
            "provisions read from the summary: a Critical Minerals Supply Security Rapid \
             Response Group (information sharing) and consideration of complementary \
             stockpiling",
        ),
        "us-aus-critical-minerals-framework-2025" => (
            vec![Provision::Other {
                text: "each side to put at least US$1 bn within six months toward a US$8.5 bn \
                       project pipeline"
                    .into(),
            }],
            Termination::Unspecified,
            "provisions read from the summary: joint project financing",
        ),
        _ => (Vec::new(), Termination::Unspecified, ""),
    }
}

fn agreement(row: &Row<'_>, id: &str, kind: &str) -> Result<Agreement> {
    let kind = match kind {
        "mou" => AgreementKind::Mou,
        "framework" => AgreementKind::Framework,
        "trade_agreement" => AgreementKind::TradeAgreement,
        _ => AgreementKind::Partnership,
    };
    let (provisions, termination, how) = provisions_for(id);
    let mut prov = provenance(row)?;
    if !how.is_empty() {
        prov = append_note(prov, how);
    }
    let mut a = Agreement::new(id, kind, countries(row, "parties_or_imposer")?)
        .map_err(|e| row.error("parties_or_imposer", e.to_string()))?
        .binding(binding(row)?)
        .termination(termination)
        .summary(row.text("summary"))
        .provenance(prov);
    a.minerals = minerals(row)?;
    a.stages = stages(row)?;
    if let Some(d) = date(row, "date_signed_or_announced")? {
        a = a.signed(d);
    }
    if let Some(d) = date(row, "date_effective")? {
        a = a.in_force(d);
    }
    for p in provisions {
        a = a.provision(p);
    }
    a.validate().map_err(|e| row.error("id", e.to_string()))?;
    Ok(a)
}

/// Adds how the crate read a row (a mapping the CSV does not spell out) to
/// the row's own note, after a `; `.
fn append_note(mut prov: Provenance, how: &str) -> Provenance {
    let note = match prov.note.take() {
        Some(n) => format!("{n}; {how}"),
        None => how.to_string(),
    };
    prov.note(note)
}

fn restriction(row: &Row<'_>, id: &str, kind: &str) -> Result<ExportRestriction> {
    let mut prov = provenance(row)?;
    let rkind = match kind {
        "export_ban" | "export_suspension" => RestrictionKind::Ban,
        "licence_requirement" => RestrictionKind::Licence,
        "technology_export_ban" => RestrictionKind::TechnologyBan,
        "quota" => {
            let Some((_, tonnes, how)) = QUOTA_LIMITS.iter().find(|(q, _, _)| *q == id) else {
                return Err(row.error("kind", format!("quota {id:?} has no known limit")));
            };
            prov = append_note(prov, how);
            RestrictionKind::Quota {
                limit: QuotaLimit::Tonnes(Tonnes::new(*tonnes)?),
            }
        }
        other => return Err(row.error("kind", format!("unknown kind {other:?}"))),
    };
    let mut r = ExportRestriction::new(id, imposer(row)?, rkind)
        .map_err(|e| row.error("id", e.to_string()))?
        .targets(targets(row)?)
        .summary(row.text("summary"))
        .provenance(prov);
    r.minerals = minerals(row)?;
    r.stages = stages(row)?;
    if let Some(d) = date(row, "date_signed_or_announced")? {
        r = r.announced(d);
    }
    if let Some(d) = date(row, "date_effective")? {
        r = r.effective(d);
    }
    if kind == "export_suspension" {
        if let Some(end) = date_after(row.text("end_or_suspension"), "ended ") {
            r = r.ends(end.map_err(|e| row.error("end_or_suspension", e.to_string()))?);
        }
    }
    r.validate().map_err(|e| row.error("id", e.to_string()))?;
    Ok(r)
}

/// The date right after `marker` in free text (`"ended 2025-10-15; …"`).
fn date_after(text: &str, marker: &str) -> Option<Result<ReportedDate>> {
    let (_, rest) = text.split_once(marker)?;
    let token: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    Some(token.parse())
}

fn act(row: &Row<'_>, id: &str) -> Result<PolicyAct> {
    let until = date_after(row.text("end_or_suspension"), "until ")
        .transpose()
        .map_err(|e| row.error("end_or_suspension", e.to_string()))?;
    Ok(PolicyAct {
        id: id.to_string(),
        issuer: imposer(row)?,
        targets: targets(row)?,
        minerals: minerals(row)?,
        stages: stages(row)?,
        announced: date(row, "date_signed_or_announced")?,
        until,
        suspends: Vec::new(),
        summary: row.text("summary").to_string(),
        provenance: provenance(row)?,
    })
}

/// A restriction is suspended by an act when its `end_or_suspension` text
/// names the act's id (`"suspended until 2026-11-10 by Announcement No. 70
/// of 2025 (see chn-suspension-no70-2025)"`).
fn attach_suspensions(table: &Sheet, policy: &mut Policy) -> Result<()> {
    for row in table.rows() {
        let text = row.text("end_or_suspension");
        let id = row.text("id");
        for act in policy.acts.iter_mut() {
            if !text.contains(&format!("(see {})", act.id)) {
                continue;
            }
            let Some(r) = policy.restrictions.iter_mut().find(|r| r.id == id) else {
                return Err(row.error(
                    "end_or_suspension",
                    format!(
                        "{} points to suspension {} but is not a restriction",
                        id, act.id
                    ),
                ));
            };
            r.suspensions.push(Suspension {
                from: act.announced,
                until: act.until,
                by: Some(act.id.clone()),
            });
            act.suspends.push(r.id.clone());
        }
    }
    for act in &mut policy.acts {
        act.suspends.sort();
        if act.suspends.is_empty() {
            return Err(Error::Inconsistent {
                kind: "policy suspension",
                id: act.id.clone(),
                reason: "no restriction row points to it".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_parenthesised_lists() {
        assert_eq!(
            split_outside_parens("rare-earths (samarium;gadolinium);lithium"),
            vec!["rare-earths (samarium;gadolinium)", "lithium"]
        );
        assert_eq!(
            element_list("rare-earths (samarium;gadolinium)").as_deref(),
            Some("samarium, gadolinium")
        );
        assert_eq!(element_list("lithium;graphite"), None);
        assert_eq!(
            element_list("critical minerals (general);rare-earths"),
            None
        );
    }

    #[test]
    fn date_after_marker() {
        let d = date_after("ended 2025-10-15; replaced", "ended ")
            .unwrap()
            .unwrap();
        assert_eq!(d.to_string(), "2025-10-15");
        assert!(date_after("no date here", "until ").is_none());
    }
}
