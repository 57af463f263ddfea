//! Minerals: an open, validated identifier.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A mineral or material, named by a lowercase identifier (`a-z`, `0-9`,
/// `-`; starting with a letter; at most 64 characters).
///
/// The set is open: constants cover the minerals of the built-in dataset and
/// users name their own with [`Mineral::new`].
///
/// # Example
/// ```
/// use critical_minerals::Mineral;
/// let nd = Mineral::new("neodymium")?;
/// assert_eq!(nd.as_str(), "neodymium");
/// assert_eq!(Mineral::RARE_EARTHS.as_str(), "rare-earths");
/// assert!(Mineral::new("Rare Earths").is_err());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mineral(Cow<'static, str>);

impl Mineral {
    /// `alumina`.
    pub const ALUMINA: Mineral = Mineral(Cow::Borrowed("alumina"));
    /// `aluminium`.
    pub const ALUMINIUM: Mineral = Mineral(Cow::Borrowed("aluminium"));
    /// `antimony`.
    pub const ANTIMONY: Mineral = Mineral(Cow::Borrowed("antimony"));
    /// `barite`.
    pub const BARITE: Mineral = Mineral(Cow::Borrowed("barite"));
    /// `bauxite`.
    pub const BAUXITE: Mineral = Mineral(Cow::Borrowed("bauxite"));
    /// `beryllium`.
    pub const BERYLLIUM: Mineral = Mineral(Cow::Borrowed("beryllium"));
    /// `bismuth`.
    pub const BISMUTH: Mineral = Mineral(Cow::Borrowed("bismuth"));
    /// `boron`.
    pub const BORON: Mineral = Mineral(Cow::Borrowed("boron"));
    /// `chromium`.
    pub const CHROMIUM: Mineral = Mineral(Cow::Borrowed("chromium"));
    /// `cobalt`.
    pub const COBALT: Mineral = Mineral(Cow::Borrowed("cobalt"));
    /// `copper`.
    pub const COPPER: Mineral = Mineral(Cow::Borrowed("copper"));
    /// `ferrosilicon`.
    pub const FERROSILICON: Mineral = Mineral(Cow::Borrowed("ferrosilicon"));
    /// `gallium`.
    pub const GALLIUM: Mineral = Mineral(Cow::Borrowed("gallium"));
    /// `germanium`.
    pub const GERMANIUM: Mineral = Mineral(Cow::Borrowed("germanium"));
    /// `graphite`.
    pub const GRAPHITE: Mineral = Mineral(Cow::Borrowed("graphite"));
    /// `ilmenite`.
    pub const ILMENITE: Mineral = Mineral(Cow::Borrowed("ilmenite"));
    /// `indium`.
    pub const INDIUM: Mineral = Mineral(Cow::Borrowed("indium"));
    /// `lead`.
    pub const LEAD: Mineral = Mineral(Cow::Borrowed("lead"));
    /// `lithium`.
    pub const LITHIUM: Mineral = Mineral(Cow::Borrowed("lithium"));
    /// `manganese`.
    pub const MANGANESE: Mineral = Mineral(Cow::Borrowed("manganese"));
    /// `nickel`.
    pub const NICKEL: Mineral = Mineral(Cow::Borrowed("nickel"));
    /// `niobium`.
    pub const NIOBIUM: Mineral = Mineral(Cow::Borrowed("niobium"));
    /// `palladium`.
    pub const PALLADIUM: Mineral = Mineral(Cow::Borrowed("palladium"));
    /// `phosphate-rock`.
    pub const PHOSPHATE_ROCK: Mineral = Mineral(Cow::Borrowed("phosphate-rock"));
    /// `platinum`.
    pub const PLATINUM: Mineral = Mineral(Cow::Borrowed("platinum"));
    /// `platinum-group-metals`.
    pub const PLATINUM_GROUP_METALS: Mineral = Mineral(Cow::Borrowed("platinum-group-metals"));
    /// `potash`.
    pub const POTASH: Mineral = Mineral(Cow::Borrowed("potash"));
    /// `rare-earths`.
    pub const RARE_EARTHS: Mineral = Mineral(Cow::Borrowed("rare-earths"));
    /// `rutile`.
    pub const RUTILE: Mineral = Mineral(Cow::Borrowed("rutile"));
    /// `scandium`.
    pub const SCANDIUM: Mineral = Mineral(Cow::Borrowed("scandium"));
    /// `selenium`.
    pub const SELENIUM: Mineral = Mineral(Cow::Borrowed("selenium"));
    /// `silicon`.
    pub const SILICON: Mineral = Mineral(Cow::Borrowed("silicon"));
    /// `silver`.
    pub const SILVER: Mineral = Mineral(Cow::Borrowed("silver"));
    /// `tantalum`.
    pub const TANTALUM: Mineral = Mineral(Cow::Borrowed("tantalum"));
    /// `tellurium`.
    pub const TELLURIUM: Mineral = Mineral(Cow::Borrowed("tellurium"));
    /// `tin`.
    pub const TIN: Mineral = Mineral(Cow::Borrowed("tin"));
    /// `titanium`.
    pub const TITANIUM: Mineral = Mineral(Cow::Borrowed("titanium"));
    /// `tungsten`.
    pub const TUNGSTEN: Mineral = Mineral(Cow::Borrowed("tungsten"));
    /// `yttrium`.
    pub const YTTRIUM: Mineral = Mineral(Cow::Borrowed("yttrium"));
    /// `zinc`.
    pub const ZINC: Mineral = Mineral(Cow::Borrowed("zinc"));
    /// `zirconium`.
    pub const ZIRCONIUM: Mineral = Mineral(Cow::Borrowed("zirconium"));

    /// Every mineral that has a constant, in alphabetical order.
    pub const BUILTIN: [Mineral; 41] = [
        Mineral::ALUMINA,
        Mineral::ALUMINIUM,
        Mineral::ANTIMONY,
        Mineral::BARITE,
        Mineral::BAUXITE,
        Mineral::BERYLLIUM,
        Mineral::BISMUTH,
        Mineral::BORON,
        Mineral::CHROMIUM,
        Mineral::COBALT,
        Mineral::COPPER,
        Mineral::FERROSILICON,
        Mineral::GALLIUM,
        Mineral::GERMANIUM,
        Mineral::GRAPHITE,
        Mineral::ILMENITE,
        Mineral::INDIUM,
        Mineral::LEAD,
        Mineral::LITHIUM,
        Mineral::MANGANESE,
        Mineral::NICKEL,
        Mineral::NIOBIUM,
        Mineral::PALLADIUM,
        Mineral::PHOSPHATE_ROCK,
        Mineral::PLATINUM,
        Mineral::PLATINUM_GROUP_METALS,
        Mineral::POTASH,
        Mineral::RARE_EARTHS,
        Mineral::RUTILE,
        Mineral::SCANDIUM,
        Mineral::SELENIUM,
        Mineral::SILICON,
        Mineral::SILVER,
        Mineral::TANTALUM,
        Mineral::TELLURIUM,
        Mineral::TIN,
        Mineral::TITANIUM,
        Mineral::TUNGSTEN,
        Mineral::YTTRIUM,
        Mineral::ZINC,
        Mineral::ZIRCONIUM,
    ];

    /// Validates and wraps a mineral name.
    ///
    /// # Errors
    /// [`Error::InvalidMineral`] when the name is empty, too long, does not
    /// start with a letter or holds anything but `a-z`, `0-9` and `-`.
    pub fn new(name: impl Into<String>) -> Result<Mineral> {
        let name = name.into();
        validate(&name)?;
        Ok(match Mineral::BUILTIN.iter().find(|m| m.as_str() == name) {
            Some(m) => m.clone(),
            None => Mineral(Cow::Owned(name)),
        })
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn validate(name: &str) -> Result<()> {
    let fail = |reason| {
        Err(Error::InvalidMineral {
            name: name.to_string(),
            reason,
        })
    };
    if name.is_empty() {
        return fail("empty");
    }
    if name.len() > 64 {
        return fail("longer than 64 characters");
    }
    if !name.as_bytes()[0].is_ascii_lowercase() {
        return fail("must start with a lowercase letter");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return fail("only a-z, 0-9 and - are allowed");
    }
    Ok(())
}

impl fmt::Display for Mineral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for Mineral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mineral({})", self.0)
    }
}

impl FromStr for Mineral {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Mineral::new(s)
    }
}

impl Serialize for Mineral {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Mineral {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Mineral::new(s).map_err(serde::de::Error::custom)
    }
}
