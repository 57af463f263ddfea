//! What a tonnage measures: product weight, gross weight, a contained
//! element or oxide.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// What a tonnage figure measures (its *basis*): the weight of the traded
/// product, the gross weight of ore, or the content of an element or oxide
/// (`Ni content of mine output`, `rare-earth oxide (REO) content`).
///
/// An open, validated identifier rather than an enum, for the reason
/// [`Mineral`](crate::Mineral) is one: the sources name dozens of bases in
/// their own words (`wmd_commodities.csv` and `production.csv` have a
/// `basis` column of free text), and a closed list would either lose that
/// wording or grow with every file. Two figures are on the same basis when
/// their texts are equal; trade quantities are [`Basis::PRODUCT_WEIGHT`].
///
/// Tonnes of different bases must never be added silently: the analyses
/// that add tonnes refuse them with [`Error::MixedBasis`]. A figure with no
/// basis (`None`, as in hand-made chains) is compatible with any.
///
/// # Example
/// ```
/// use critical_minerals::Basis;
/// let ni = Basis::new("Ni content of mine output")?;
/// assert_ne!(ni, Basis::PRODUCT_WEIGHT);
/// assert_eq!(Basis::PRODUCT_WEIGHT.as_str(), "product weight");
/// assert!(Basis::new("  ").is_err());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Basis(Cow<'static, str>);

impl Basis {
    /// The weight of the traded product as declared (ore gross weight,
    /// compound or alloy weight): the basis of every trade quantity (BACI,
    /// Comtrade).
    pub const PRODUCT_WEIGHT: Basis = Basis(Cow::Borrowed("product weight"));

    /// Validates and wraps a basis; surrounding whitespace is trimmed.
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] when the text is empty, longer than 120
    /// characters or holds control characters.
    pub fn new(text: impl Into<String>) -> Result<Basis> {
        let text: String = text.into();
        let t = text.trim();
        if t.is_empty() || t.chars().count() > 120 || t.chars().any(char::is_control) {
            return Err(Error::OutOfDomain {
                field: "basis",
                value: format!("{text:?}"),
                expected: "a non-empty text of at most 120 characters without control characters"
                    .into(),
            });
        }
        if t == Basis::PRODUCT_WEIGHT.as_str() {
            return Ok(Basis::PRODUCT_WEIGHT);
        }
        Ok(Basis(Cow::Owned(t.to_string())))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two optional bases may be added: equal, or either unknown.
    pub fn compatible(a: Option<&Basis>, b: Option<&Basis>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }
}

/// Checks that figures of one mineral at one stage share a basis (unknown
/// bases are compatible with any); returns the common basis, if any is
/// known.
///
/// # Errors
/// [`Error::MixedBasis`] naming the first two bases that differ.
pub(crate) fn common_basis<'a>(
    mineral: &crate::model::Mineral,
    stage: crate::model::Stage,
    bases: impl IntoIterator<Item = Option<&'a Basis>>,
) -> Result<Option<Basis>> {
    let mut first: Option<&Basis> = None;
    for b in bases.into_iter().flatten() {
        match first {
            None => first = Some(b),
            Some(f) if f != b => {
                return Err(Error::MixedBasis {
                    mineral: mineral.clone(),
                    stage,
                    first: f.to_string(),
                    second: b.to_string(),
                    item: None,
                });
            }
            Some(_) => {}
        }
    }
    Ok(first.cloned())
}

/// The one basis every figure an analysis adds must share (a max flow or a
/// simulation adds tonnes through every node); figures with no basis are
/// compatible. Fed figure by figure, it refuses the first that differs.
#[derive(Default)]
pub(crate) struct OneBasis {
    first: Option<Basis>,
}

impl OneBasis {
    /// Checks the next figure, of `mineral` at `stage`; `item` names it in
    /// the error.
    ///
    /// # Errors
    /// [`Error::MixedBasis`] when `basis` differs from the first known one.
    pub(crate) fn check(
        &mut self,
        mineral: &crate::model::Mineral,
        stage: crate::model::Stage,
        basis: Option<&Basis>,
        item: impl FnOnce() -> String,
    ) -> Result<()> {
        let Some(b) = basis else {
            return Ok(());
        };
        match &self.first {
            None => self.first = Some(b.clone()),
            Some(f) if f != b => {
                return Err(Error::MixedBasis {
                    mineral: mineral.clone(),
                    stage,
                    first: f.to_string(),
                    second: b.to_string(),
                    item: Some(item()),
                });
            }
            Some(_) => {}
        }
        Ok(())
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Basis({})", self.0)
    }
}

impl Serialize for Basis {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Basis {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Basis::new(s).map_err(serde::de::Error::custom)
    }
}
