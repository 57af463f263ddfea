//! Dates as reported: a day, a month or only a year.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A date as the source reports it: to the day (`2025-10-26`), the month
/// (`2024-01`) or the year (`2022`).
///
/// Policy reporting often gives only a month ("the moratorium took effect in
/// January 2024"); storing a made-up day would invent precision. Comparisons
/// with a calendar day use [`ReportedDate::first_day`] or
/// [`ReportedDate::last_day`], and each method that compares says which.
/// Days are validated with [`jiff`] (chosen over `chrono` and `time` for its
/// small, well-documented civil-date API and its maintenance record).
///
/// # Example
/// ```
/// use critical_minerals::ReportedDate;
/// let d: ReportedDate = "2024-02".parse()?;
/// assert_eq!(d.first_day().to_string(), "2024-02-01");
/// assert_eq!(d.last_day().to_string(), "2024-02-29");
/// assert!("2024-02-30".parse::<ReportedDate>().is_err());
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportedDate {
    /// Only the year is known.
    Year(i16),
    /// Year and month are known.
    Month(i16, i8),
    /// The exact day is known.
    Day(Date),
}

impl ReportedDate {
    /// An exact day.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] when the day does not exist.
    pub fn day(year: i16, month: i8, day: i8) -> Result<ReportedDate> {
        Date::new(year, month, day)
            .map(ReportedDate::Day)
            .map_err(|_| Error::InvalidDate {
                value: format!("{year:04}-{month:02}-{day:02}"),
            })
    }

    /// The first calendar day the date can mean.
    pub fn first_day(&self) -> Date {
        match *self {
            ReportedDate::Year(y) => Date::new(y, 1, 1),
            ReportedDate::Month(y, m) => Date::new(y, m, 1),
            ReportedDate::Day(d) => Ok(d),
        }
        .unwrap_or(Date::MIN)
    }

    /// The last calendar day the date can mean.
    pub fn last_day(&self) -> Date {
        match *self {
            ReportedDate::Year(y) => Date::new(y, 12, 31),
            ReportedDate::Month(y, m) => Date::new(y, m, 1).map(|d| d.last_of_month()),
            ReportedDate::Day(d) => Ok(d),
        }
        .unwrap_or(Date::MAX)
    }

    /// The year.
    pub fn year(&self) -> i16 {
        match *self {
            ReportedDate::Year(y) | ReportedDate::Month(y, _) => y,
            ReportedDate::Day(d) => d.year(),
        }
    }
}

impl FromStr for ReportedDate {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::InvalidDate {
            value: s.to_string(),
        };
        let t = s.trim();
        let parts: Vec<&str> = t.split('-').collect();
        let num = |p: &str, len: usize| -> Result<i32> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        match parts.as_slice() {
            [y] => {
                let y = num(y, 4)?;
                Date::new(y as i16, 1, 1).map_err(|_| bad())?;
                Ok(ReportedDate::Year(y as i16))
            }
            [y, m] => {
                let (y, m) = (num(y, 4)?, num(m, 2)?);
                Date::new(y as i16, m as i8, 1).map_err(|_| bad())?;
                Ok(ReportedDate::Month(y as i16, m as i8))
            }
            [y, m, d] => {
                let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
                ReportedDate::day(y as i16, m as i8, d as i8).map_err(|_| bad())
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for ReportedDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportedDate::Year(y) => write!(f, "{y:04}"),
            ReportedDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            ReportedDate::Day(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for ReportedDate {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReportedDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
