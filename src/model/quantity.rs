//! Units at the boundary: tonnes, shares and US dollars.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A mass in metric tonnes (per year, where a flow or an output is meant):
/// finite and non-negative.
///
/// # Example
/// ```
/// use critical_minerals::Tonnes;
/// let ga = Tonnes::from_kg(750_000.0)?;
/// assert_eq!(ga.get(), 750.0);
/// assert_eq!(Tonnes::from_kt(220.0)?.get(), 220_000.0);
/// assert!(Tonnes::new(f64::NAN).is_err());
/// assert!(Tonnes::new(-1.0).is_err());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Tonnes(f64);

impl Tonnes {
    /// Zero tonnes.
    pub const ZERO: Tonnes = Tonnes(0.0);

    /// The largest figure accepted, 10^15 t: world output of the most
    /// mined material (iron ore, ~2.5e9 t) is a million times smaller, so a
    /// larger figure is a unit error or hostile input. The bound keeps sums
    /// of figures far from overflow, so shares and HHI stay exact (a sum may
    /// exceed it; a single figure may not).
    pub const MAX: Tonnes = Tonnes(1e15);

    /// Validates a value in tonnes.
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] when the value is NaN, infinite or
    /// negative; [`Error::OutOfDomain`] when it is above [`Tonnes::MAX`].
    pub fn new(t: f64) -> Result<Tonnes> {
        checked("tonnes", t).and_then(bounded)
    }

    /// From kilograms.
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] as for [`Tonnes::new`].
    pub fn from_kg(kg: f64) -> Result<Tonnes> {
        checked("kilograms", kg).and_then(|v| bounded(v / 1000.0))
    }

    /// From kilotonnes (thousand metric tons).
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] as for [`Tonnes::new`].
    pub fn from_kt(kt: f64) -> Result<Tonnes> {
        checked("kilotonnes", kt).and_then(|v| Tonnes::new(v * 1000.0))
    }

    /// The value in tonnes.
    pub const fn get(self) -> f64 {
        self.0
    }

    /// The value in kilograms.
    pub fn kg(self) -> f64 {
        self.0 * 1000.0
    }

    /// `self - other`, floored at zero.
    pub fn saturating_sub(self, other: Tonnes) -> Tonnes {
        Tonnes((self.0 - other.0).max(0.0))
    }

    /// Scales by a share (`self × share`).
    pub fn scale(self, share: Share) -> Tonnes {
        Tonnes(self.0 * share.get())
    }

    /// The smaller of two quantities.
    pub fn min(self, other: Tonnes) -> Tonnes {
        Tonnes(self.0.min(other.0))
    }
}

/// A checked, non-negative value in tonnes, refused above [`Tonnes::MAX`].
fn bounded(t: f64) -> Result<Tonnes> {
    if t > Tonnes::MAX.0 {
        return Err(Error::OutOfDomain {
            field: "tonnes",
            // Exponent form: 1e300 would otherwise print 301 digits.
            value: format!("{t:e}"),
            expected: "must be at most 1e15 t (no real figure is larger)".to_string(),
        });
    }
    Ok(Tonnes(t))
}

fn checked(what: &'static str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        // Normalise -0.0 so that equality and JSON output are canonical.
        Ok(v + 0.0)
    } else {
        Err(Error::InvalidQuantity { what, value: v })
    }
}

impl Add for Tonnes {
    type Output = Tonnes;
    /// Adds two quantities. The sum of two finite values can overflow to
    /// infinity only past 1.8e308 t, far beyond any physical quantity; it
    /// saturates at `f64::MAX` so the invariant holds regardless.
    fn add(self, rhs: Tonnes) -> Tonnes {
        Tonnes((self.0 + rhs.0).min(f64::MAX))
    }
}

impl Sum for Tonnes {
    fn sum<I: Iterator<Item = Tonnes>>(iter: I) -> Tonnes {
        iter.fold(Tonnes::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Tonnes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = group_thousands(self.0, f.precision().unwrap_or(0));
        pad_number(f, &format!("{s} t"))
    }
}

impl fmt::Debug for Tonnes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tonnes({})", self.0)
    }
}

/// Writes an already formatted number honouring width and alignment only.
/// `Formatter::pad` would treat the precision (which these types use for
/// decimals) as a maximum width and truncate `69.2%` to `6`.
fn pad_number(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    let len = s.chars().count();
    let width = f.width().unwrap_or(0);
    if width <= len {
        return f.write_str(s);
    }
    let fill = width - len;
    let (before, after) = match f.align() {
        Some(fmt::Alignment::Left) => (0, fill),
        Some(fmt::Alignment::Center) => (fill / 2, fill - fill / 2),
        // Numbers align right by default, as the standard library's do.
        _ => (fill, 0),
    };
    let c = f.fill();
    for _ in 0..before {
        write!(f, "{c}")?;
    }
    f.write_str(s)?;
    for _ in 0..after {
        write!(f, "{c}")?;
    }
    Ok(())
}

/// Formats a number with thousands separators and `decimals` decimals.
pub(crate) fn group_thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let sign = if v < 0.0 && !s.trim_matches(['0', '.']).is_empty() {
        "-"
    } else {
        ""
    };
    format!("{sign}{out}{frac}")
}

impl Serialize for Tonnes {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

impl<'de> Deserialize<'de> for Tonnes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Tonnes::new(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<f64> for Tonnes {
    type Error = Error;
    fn try_from(v: f64) -> Result<Tonnes> {
        Tonnes::new(v)
    }
}

/// A share between 0 and 1 inclusive (not a percentage).
///
/// # Example
/// ```
/// use critical_minerals::Share;
/// let s = Share::from_percent(12.0)?;
/// assert_eq!(s.get(), 0.12);
/// assert_eq!(s.percent(), 12.0);
/// assert!(Share::new(1.5).is_err());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Share(f64);

impl Share {
    /// Nothing.
    pub const ZERO: Share = Share(0.0);
    /// Everything.
    pub const ONE: Share = Share(1.0);

    /// Validates a share in `0..=1`.
    ///
    /// # Errors
    /// [`Error::InvalidShare`] when the value is NaN or outside `0..=1`.
    pub fn new(v: f64) -> Result<Share> {
        if (0.0..=1.0).contains(&v) {
            Ok(Share(v + 0.0))
        } else {
            Err(Error::InvalidShare { value: v })
        }
    }

    /// From a percentage in `0..=100`.
    ///
    /// # Errors
    /// [`Error::InvalidShare`] when the value is NaN or outside `0..=100`.
    pub fn from_percent(p: f64) -> Result<Share> {
        if (0.0..=100.0).contains(&p) {
            Ok(Share(p / 100.0))
        } else {
            Err(Error::InvalidShare { value: p / 100.0 })
        }
    }

    /// `part / whole`, clamped into `0..=1`; zero when `whole` is zero.
    /// Used where rounding could push a computed ratio a hair past 1.
    pub fn ratio(part: f64, whole: f64) -> Share {
        if whole > 0.0 && part.is_finite() && whole.is_finite() {
            Share((part / whole).clamp(0.0, 1.0))
        } else {
            Share(0.0)
        }
    }

    /// The share as a fraction in `0..=1`.
    pub const fn get(self) -> f64 {
        self.0
    }

    /// The share as a percentage in `0..=100`.
    pub fn percent(self) -> f64 {
        self.0 * 100.0
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = f.precision().unwrap_or(1);
        pad_number(f, &format!("{:.*}%", p, self.percent()))
    }
}

impl fmt::Debug for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Share({})", self.0)
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Share::new(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// An amount of money in US dollars (nominal): finite and non-negative.
///
/// # Example
/// ```
/// use critical_minerals::Usd;
/// // BACI reports values in thousands of US dollars.
/// assert_eq!(Usd::from_thousands(2.5)?.get(), 2_500.0);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Usd(f64);

impl Usd {
    /// Validates an amount in dollars.
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] when NaN, infinite or negative.
    pub fn new(v: f64) -> Result<Usd> {
        checked("value in USD", v).map(Usd)
    }

    /// From thousands of dollars (BACI's unit).
    ///
    /// # Errors
    /// [`Error::InvalidQuantity`] when NaN, infinite or negative.
    pub fn from_thousands(v: f64) -> Result<Usd> {
        checked("value in thousand USD", v)
            .and_then(|v| checked("value in USD", v * 1000.0))
            .map(Usd)
    }

    /// The amount in dollars.
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad_number(f, &format!("US${}", group_thousands(self.0, 0)))
    }
}

impl fmt::Debug for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Usd({})", self.0)
    }
}

impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Usd::new(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}
