//! Content factors: the caller's conversion of figures of one basis
//! (product weight, ore gross weight, Li content) to another (REO content,
//! Li2O), so that analyses adding tonnes can add figures the sources give
//! on different bases.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Basis, Mineral, Stage, Tonnes};

/// One factor keyed by mineral, stage and the basis it converts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BasisFactor {
    /// The mineral.
    pub mineral: Mineral,
    /// The stage of the figure (for a flow, the exporting node's stage: the
    /// stage of the material shipped).
    pub stage: Stage,
    /// The basis the figure is on.
    pub basis: Basis,
    /// Tonnes on the target basis per tonne on `basis`.
    pub factor: f64,
}

/// Caller-supplied content factors, each converting a figure to one stated
/// target basis: by HS code (HS 284690 product weight × 0.81 → REO content)
/// and by (mineral, stage, basis) (USGS lithium "Li content" × 2.153 →
/// Li2O). No factor values ship with the crate: the sources do not give
/// them, and a factor is an assumption the caller states.
///
/// How a figure is converted (one tonnage of a node or a flow):
/// 1. on the target basis, or with no basis (a hand-made chain: compatible
///    with any, as everywhere in the crate): taken as it is;
/// 2. a flow with an [`hs6`](crate::Flow::hs6) code in [`by_hs`](Self::by_hs):
///    multiplied by that factor (whatever its basis, which for trade is
///    [`Basis::PRODUCT_WEIGHT`]);
/// 3. a factor in [`by_basis`](Self::by_basis) for its mineral, stage and
///    basis: multiplied by it;
/// 4. otherwise refused with [`Error::MixedBasis`] naming the target basis,
///    the figure's basis and the item.
///
/// Analyses that take them ([`FlowOptions::content`](crate::network::FlowOptions::content),
/// [`ConcentrationOptions::content`](crate::analysis::ConcentrationOptions::content))
/// report the conversions they applied as [`Conversion`]s.
///
/// # Example
/// ```
/// use critical_minerals::model::{Basis, ContentFactors};
/// use critical_minerals::{Mineral, Stage};
/// // The factors are the caller's assumptions, not data of the crate.
/// let li2o = ContentFactors::new(Basis::new("Li2O content")?)
///     .by_basis(Mineral::LITHIUM, Stage::Extraction, Basis::new("Li content")?, 2.153)
///     .by_hs(283691, 0.404); // lithium carbonate: 29.88 / 73.89 t of Li2O per t
/// li2o.validate()?;
/// let f = li2o.factor(&Mineral::LITHIUM, Stage::Extraction, &Basis::new("Li content")?, None);
/// assert_eq!(f.map(|(_, x)| x), Some(2.153));
/// let json = serde_json::to_string(&li2o).unwrap();
/// assert_eq!(serde_json::from_str::<ContentFactors>(&json).unwrap(), li2o);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ContentFactors {
    /// The basis every figure is converted to.
    pub target: Basis,
    /// Factors by HS-6 code, for flows traded under it: tonnes on the
    /// target basis per tonne of the flow.
    #[serde(default)]
    pub by_hs: BTreeMap<u32, f64>,
    /// Factors by mineral, stage and basis.
    #[serde(default)]
    pub by_basis: Vec<BasisFactor>,
}

impl ContentFactors {
    /// No factors yet; every figure must be on `target` (or have no basis).
    pub fn new(target: Basis) -> ContentFactors {
        ContentFactors {
            target,
            by_hs: BTreeMap::new(),
            by_basis: Vec::new(),
        }
    }

    /// Sets the target basis.
    pub fn target(mut self, target: Basis) -> ContentFactors {
        self.target = target;
        self
    }

    /// Adds (or replaces) the factor of flows traded under HS code `hs6`.
    pub fn by_hs(mut self, hs6: u32, factor: f64) -> ContentFactors {
        self.by_hs.insert(hs6, factor);
        self
    }

    /// Adds (or replaces) the factor of figures of `mineral` at `stage` on
    /// `basis`.
    pub fn by_basis(
        mut self,
        mineral: Mineral,
        stage: Stage,
        basis: Basis,
        factor: f64,
    ) -> ContentFactors {
        self.by_basis
            .retain(|f| !(f.mineral == mineral && f.stage == stage && f.basis == basis));
        self.by_basis.push(BasisFactor {
            mineral,
            stage,
            basis,
            factor,
        });
        self
    }

    /// Checks every factor: finite and positive, an HS code of six digits
    /// at most, one factor per (mineral, stage, basis).
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] naming the factor's key and value.
    pub fn validate(&self) -> Result<()> {
        let bad = |key: String, v: f64| Error::OutOfDomain {
            field: "content factor",
            value: v.to_string(),
            expected: format!("must be finite and positive (factor of {key})"),
        };
        for (&code, &v) in &self.by_hs {
            if code > 999_999 {
                return Err(Error::OutOfDomain {
                    field: "content factor HS code",
                    value: code.to_string(),
                    expected: "an HS-6 code of at most six digits".into(),
                });
            }
            if !(v.is_finite() && v > 0.0) {
                return Err(bad(format!("HS {code:06}"), v));
            }
        }
        for (i, f) in self.by_basis.iter().enumerate() {
            let key = format!("{}/{} on {:?}", f.mineral, f.stage, f.basis.as_str());
            if !(f.factor.is_finite() && f.factor > 0.0) {
                return Err(bad(key, f.factor));
            }
            if self.by_basis[..i]
                .iter()
                .any(|g| g.mineral == f.mineral && g.stage == f.stage && g.basis == f.basis)
            {
                return Err(Error::Inconsistent {
                    kind: "content factors",
                    id: key,
                    reason: "two factors for one mineral, stage and basis".into(),
                });
            }
        }
        Ok(())
    }

    /// The factor that converts a figure of `mineral` at `stage` on
    /// `basis` (a flow traded under `hs6`, if any) to the target basis,
    /// with its key; `None` when the figure is on the target basis already
    /// or no factor applies (tell them apart by comparing `basis` with
    /// [`target`](Self::target)). The HS code's factor comes first.
    pub fn factor(
        &self,
        mineral: &Mineral,
        stage: Stage,
        basis: &Basis,
        hs6: Option<u32>,
    ) -> Option<(ContentKey, f64)> {
        if *basis == self.target {
            return None;
        }
        if let Some(code) = hs6 {
            if let Some(&f) = self.by_hs.get(&code) {
                return Some((ContentKey::Hs(code), f));
            }
        }
        self.by_basis
            .iter()
            .find(|f| f.mineral == *mineral && f.stage == stage && f.basis == *basis)
            .map(|f| {
                (
                    ContentKey::MineralStage {
                        mineral: mineral.clone(),
                        stage,
                    },
                    f.factor,
                )
            })
    }
}

/// What a content factor was keyed by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ContentKey {
    /// An HS-6 code.
    Hs(u32),
    /// A mineral at a stage (with the basis in [`Conversion::basis`]).
    MineralStage {
        /// The mineral.
        mineral: Mineral,
        /// The stage.
        stage: Stage,
    },
}

impl fmt::Display for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContentKey::Hs(code) => write!(f, "HS {code:06}"),
            ContentKey::MineralStage { mineral, stage } => write!(f, "{mineral}/{stage}"),
        }
    }
}

/// One conversion an analysis applied: the figures of `key` on `basis`
/// were multiplied by `factor`, `count` of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    /// What the factor was keyed by.
    pub key: ContentKey,
    /// The basis the figures were on.
    pub basis: Basis,
    /// The factor applied.
    pub factor: f64,
    /// How many figures (node outputs or capacities, flows) it converted.
    pub count: usize,
}

impl fmt::Display for Conversion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} on {:?} × {} ({} figure{})",
            self.key,
            self.basis.as_str(),
            self.factor,
            self.count,
            if self.count == 1 { "" } else { "s" }
        )
    }
}

/// Applies [`ContentFactors`] figure by figure and counts what it did.
#[derive(Debug)]
pub(crate) struct Converter<'a> {
    factors: &'a ContentFactors,
    applied: BTreeMap<(ContentKey, Basis), (f64, usize)>,
}

impl<'a> Converter<'a> {
    /// A converter; the factors are validated first.
    pub(crate) fn new(factors: &'a ContentFactors) -> Result<Converter<'a>> {
        factors.validate()?;
        Ok(Converter {
            factors,
            applied: BTreeMap::new(),
        })
    }

    /// `tonnes` on the target basis; `item` names the figure in an error.
    ///
    /// # Errors
    /// [`Error::MixedBasis`] when no factor applies;
    /// [`Error::InvalidQuantity`] when the product is out of the domain
    /// of [`Tonnes`].
    pub(crate) fn convert(
        &mut self,
        mineral: &Mineral,
        stage: Stage,
        basis: Option<&Basis>,
        hs6: Option<u32>,
        tonnes: Tonnes,
        item: impl FnOnce() -> String,
    ) -> Result<Tonnes> {
        let Some(basis) = basis else {
            return Ok(tonnes);
        };
        if *basis == self.factors.target {
            return Ok(tonnes);
        }
        let Some((key, factor)) = self.factors.factor(mineral, stage, basis, hs6) else {
            return Err(Error::MixedBasis {
                mineral: mineral.clone(),
                stage,
                first: self.factors.target.to_string(),
                second: basis.to_string(),
                item: Some(format!("{}, which has no content factor", item())),
            });
        };
        let e = self
            .applied
            .entry((key, basis.clone()))
            .or_insert((factor, 0));
        e.1 += 1;
        Tonnes::new(tonnes.get() * factor)
    }

    /// The conversions applied, by key and basis.
    pub(crate) fn finish(self) -> Vec<Conversion> {
        self.applied
            .into_iter()
            .map(|((key, basis), (factor, count))| Conversion {
                key,
                basis,
                factor,
                count,
            })
            .collect()
    }
}
