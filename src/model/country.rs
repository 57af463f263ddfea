//! Countries: ISO 3166-1 codes plus the few non-ISO codes that trade and
//! production data use.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A country (or one of the documented non-ISO reporters), stored as its
/// canonical three-letter code.
///
/// ISO 3166-1 codes come from the [`rust_iso3166`] crate's table. Parsing
/// accepts alpha-3 (`"MYS"`), alpha-2 (`"MY"`), numeric (`"458"`), the ISO
/// English short name (`"Malaysia"`) and common English names (`"United
/// States"`, `"South Korea"`, `"DRC"`), case-insensitively. The alpha-3 code
/// is canonical: it is what `Display` and serde write.
///
/// Non-ISO codes, each a documented constant:
///
/// | code | meaning | where it comes from |
/// |---|---|---|
/// | `ROW` | rest of world | USGS "Other countries" rows; composition unknown |
/// | `WLD` | world total | USGS "World total (rounded)" rows |
/// | `EUU` | European Union | parties to agreements (`"EU"` parses to it) |
/// | `S19` | Other Asia, n.e.s. | BACI / Comtrade code 490 (in practice Taiwan's trade) |
/// | `BLX` | Belgium-Luxembourg | BACI / Comtrade code 58 (the customs union, reported jointly until 1998) |
/// | `ZA1` | Southern African Customs Union | Comtrade code 711 (reported jointly until 1999) |
/// | `XKX` | Kosovo | not in ISO 3166-1; the user-assigned code the EU, the World Bank and the built-in World Mining Data table use (WMD's own code is `R20`). A country, not an aggregate |
///
/// Trade data also uses numeric codes that differ from ISO for plain
/// countries; [`Country::from_trade_code`] maps them: 842 → `USA`, 699 →
/// `IND`, 251 → `FRA`, 757 → `CHE`, 579 → `NOR` (BACI's codes, which fold in
/// overseas territories: Puerto Rico and the US Virgin Islands into 842,
/// Monaco into 251, Liechtenstein into 757, Svalbard and Jan Mayen into 579).
///
/// # Example
/// ```
/// use critical_minerals::Country;
/// let my: Country = "Malaysia".parse()?;
/// assert_eq!(my, Country::MYS);
/// assert_eq!(my.alpha2(), Some("MY"));
/// assert_eq!(my.numeric(), Some(458));
/// assert_eq!(Country::from_trade_code(842)?, Country::USA);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 3]);

/// Non-ISO codes: (code, name).
const SPECIAL: [(&str, &str); 7] = [
    ("ROW", "Rest of world"),
    ("WLD", "World"),
    ("EUU", "European Union"),
    ("S19", "Other Asia, n.e.s."),
    ("BLX", "Belgium-Luxembourg"),
    ("ZA1", "Southern African Customs Union"),
    ("XKX", "Kosovo"),
];

/// Trade-data numeric codes that are not the ISO numeric code of the country
/// they stand for: (trade code, canonical code).
const TRADE_CODES: [(u16, &str); 8] = [
    (490, "S19"),
    (842, "USA"),
    (699, "IND"),
    (251, "FRA"),
    (757, "CHE"),
    (579, "NOR"),
    (58, "BLX"),
    (711, "ZA1"),
];

/// Common English names that differ from the ISO short name.
const ALIASES: [(&str, &str); 40] = [
    ("united states", "USA"),
    ("us", "USA"),
    ("u.s.", "USA"),
    ("america", "USA"),
    ("united kingdom", "GBR"),
    ("uk", "GBR"),
    ("britain", "GBR"),
    ("great britain", "GBR"),
    ("south korea", "KOR"),
    ("korea", "KOR"),
    ("republic of korea", "KOR"),
    ("north korea", "PRK"),
    ("russia", "RUS"),
    ("vietnam", "VNM"),
    ("iran", "IRN"),
    ("bolivia", "BOL"),
    ("venezuela", "VEN"),
    ("tanzania", "TZA"),
    ("syria", "SYR"),
    ("laos", "LAO"),
    ("moldova", "MDA"),
    ("taiwan", "TWN"),
    ("drc", "COD"),
    ("dr congo", "COD"),
    ("congo (kinshasa)", "COD"),
    ("democratic republic of the congo", "COD"),
    ("congo (brazzaville)", "COG"),
    ("republic of the congo", "COG"),
    ("turkey", "TUR"),
    ("czech republic", "CZE"),
    ("ivory coast", "CIV"),
    ("cote d'ivoire", "CIV"),
    ("brunei", "BRN"),
    ("netherlands", "NLD"),
    ("the netherlands", "NLD"),
    ("eu", "EUU"),
    ("european union", "EUU"),
    ("rest of world", "ROW"),
    ("other countries", "ROW"),
    ("world", "WLD"),
];

impl Country {
    /// United States.
    pub const USA: Country = Country(*b"USA");
    /// Malaysia.
    pub const MYS: Country = Country(*b"MYS");
    /// China.
    pub const CHN: Country = Country(*b"CHN");
    /// Australia.
    pub const AUS: Country = Country(*b"AUS");
    /// Japan.
    pub const JPN: Country = Country(*b"JPN");
    /// Democratic Republic of the Congo.
    pub const COD: Country = Country(*b"COD");
    /// Indonesia.
    pub const IDN: Country = Country(*b"IDN");
    /// Thailand.
    pub const THA: Country = Country(*b"THA");
    /// Rest of world: a USGS "Other countries" row of unknown composition.
    pub const ROW: Country = Country(*b"ROW");
    /// World total: a USGS "World total (rounded)" row.
    pub const WLD: Country = Country(*b"WLD");
    /// The European Union, as a party to agreements.
    pub const EUU: Country = Country(*b"EUU");
    /// "Other Asia, n.e.s." (BACI / Comtrade 490; in practice Taiwan's trade).
    pub const OTHER_ASIA: Country = Country(*b"S19");
    /// Kosovo (`XKX`: not in ISO 3166-1, a user-assigned code; a country,
    /// not an aggregate).
    pub const KOSOVO: Country = Country(*b"XKX");

    /// Parses any accepted form (alpha-3, alpha-2, numeric, name), see the
    /// type's docs.
    ///
    /// # Errors
    /// [`Error::UnknownCountry`] when the text matches nothing.
    pub fn parse(code: &str) -> Result<Country> {
        let t = code.trim();
        let unknown = || Error::UnknownCountry {
            code: code.to_string(),
        };
        if t.is_empty() {
            return Err(unknown());
        }
        if t.bytes().all(|b| b.is_ascii_digit()) {
            let n: u16 = t.parse().map_err(|_| unknown())?;
            return Country::from_numeric(n);
        }
        if t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            if let Ok(c) = Country::from_alpha3(t) {
                return Ok(c);
            }
        }
        if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
            if let Ok(c) = Country::from_alpha2(t) {
                return Ok(c);
            }
        }
        names().get(&normalise_name(t)).copied().ok_or_else(unknown)
    }

    /// From an ISO alpha-3 code or one of the non-ISO codes, any case.
    ///
    /// # Errors
    /// [`Error::UnknownCountry`] when the code is neither.
    pub fn from_alpha3(code: &str) -> Result<Country> {
        let up = code.trim().to_ascii_uppercase();
        if let Some(c) = rust_iso3166::from_alpha3(&up) {
            return Ok(Country::from_static(c.alpha3));
        }
        SPECIAL
            .iter()
            .find(|(c, _)| *c == up)
            .map(|(c, _)| Country::from_static(c))
            .ok_or_else(|| Error::UnknownCountry {
                code: code.to_string(),
            })
    }

    /// From an ISO alpha-2 code, any case.
    ///
    /// # Errors
    /// [`Error::UnknownCountry`] when it is not an ISO alpha-2 code.
    pub fn from_alpha2(code: &str) -> Result<Country> {
        let up = code.trim().to_ascii_uppercase();
        if up == "EU" {
            return Ok(Country::EUU);
        }
        rust_iso3166::from_alpha2(&up)
            .map(|c| Country::from_static(c.alpha3))
            .ok_or_else(|| Error::UnknownCountry {
                code: code.to_string(),
            })
    }

    /// From an ISO 3166-1 numeric code.
    ///
    /// # Errors
    /// [`Error::UnknownCountry`] when it is not an ISO numeric code (use
    /// [`Country::from_trade_code`] for BACI / Comtrade codes).
    pub fn from_numeric(code: u16) -> Result<Country> {
        rust_iso3166::from_numeric(code)
            .map(|c| Country::from_static(c.alpha3))
            .ok_or_else(|| Error::UnknownCountry {
                code: code.to_string(),
            })
    }

    /// From a BACI / UN Comtrade numeric reporter or partner code: the
    /// trade-specific codes listed in the type's docs first, then ISO numeric.
    ///
    /// # Errors
    /// [`Error::UnknownCountry`] when the code is neither.
    pub fn from_trade_code(code: u16) -> Result<Country> {
        match TRADE_CODES.iter().find(|(n, _)| *n == code) {
            Some((_, c)) => Ok(Country::from_static(c)),
            None => Country::from_numeric(code),
        }
    }

    /// Whether `code` is one of the trade-data codes that differ from ISO.
    pub fn is_trade_specific_code(code: u16) -> bool {
        TRADE_CODES.iter().any(|(n, _)| *n == code)
    }

    fn from_static(code: &str) -> Country {
        let b = code.as_bytes();
        Country([b[0], b[1], b[2]])
    }

    /// The canonical three-letter code (ISO alpha-3, or a non-ISO code).
    pub fn alpha3(&self) -> &str {
        // Only ASCII bytes are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The ISO alpha-2 code; `None` for non-ISO codes.
    pub fn alpha2(&self) -> Option<&'static str> {
        rust_iso3166::from_alpha3(self.alpha3()).map(|c| c.alpha2)
    }

    /// The ISO numeric code; `None` for non-ISO codes.
    pub fn numeric(&self) -> Option<u16> {
        rust_iso3166::from_alpha3(self.alpha3()).map(|c| c.numeric)
    }

    /// The ISO English short name (`"Malaysia"`, `"United States of
    /// America"`), or the documented name of a non-ISO code.
    pub fn name(&self) -> &'static str {
        match rust_iso3166::from_alpha3(self.alpha3()) {
            Some(c) => c.name,
            None => SPECIAL
                .iter()
                .find(|(c, _)| c.as_bytes() == self.0)
                .map(|(_, n)| *n)
                .unwrap_or("unknown"),
        }
    }

    /// Whether this is an ISO 3166-1 country (not `ROW`, `WLD`, `EUU`, ...).
    pub fn is_iso(&self) -> bool {
        rust_iso3166::from_alpha3(self.alpha3()).is_some()
    }

    /// Whether this is an aggregate (`ROW`, `WLD`, `EUU`, `S19`, `BLX`,
    /// `ZA1`) rather than one country. Kosovo (`XKX`) is a country though
    /// not in ISO 3166-1, so it is not an aggregate.
    pub fn is_aggregate(&self) -> bool {
        !self.is_iso() && *self != Country::KOSOVO
    }

    /// Every ISO 3166-1 country, in the order of the ISO table.
    pub fn iso_all() -> impl Iterator<Item = Country> {
        rust_iso3166::ALL
            .iter()
            .map(|c| Country::from_static(c.alpha3))
    }

    /// The documented non-ISO codes.
    pub fn special_all() -> impl Iterator<Item = Country> {
        SPECIAL.iter().map(|(c, _)| Country::from_static(c))
    }
}

fn normalise_name(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn names() -> &'static HashMap<String, Country> {
    static NAMES: OnceLock<HashMap<String, Country>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut m = HashMap::new();
        for c in rust_iso3166::ALL {
            m.insert(normalise_name(c.name), Country::from_static(c.alpha3));
        }
        for (code, name) in SPECIAL {
            m.insert(normalise_name(name), Country::from_static(code));
        }
        for (alias, code) in ALIASES {
            m.insert(alias.to_string(), Country::from_static(code));
        }
        m
    })
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.alpha3())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.alpha3())
    }
}

impl FromStr for Country {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Country::parse(s)
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.alpha3())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Country::parse(&s).map_err(serde::de::Error::custom)
    }
}
