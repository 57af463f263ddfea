//! Where a figure comes from and how sure it is.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A publication a figure is taken from.
///
/// # Example
/// ```
/// use critical_minerals::Source;
/// let s = Source::new("usgs_mcs_2025_cobalt", "U.S. Geological Survey",
///     "Mineral Commodity Summaries 2025 — Cobalt")?
///     .year(2025)
///     .reference("https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-cobalt.pdf");
/// assert_eq!(s.id, "usgs_mcs_2025_cobalt");
/// # Ok::<(), critical_minerals::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short unique id that figures refer to (`usgs_mcs_2025_cobalt`).
    pub id: String,
    /// Who published it.
    pub publisher: String,
    /// Its title.
    pub title: String,
    /// Year of publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i16>,
    /// URL, DOI or table reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Remarks on how the figures were taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Source {
    /// A source with an id, publisher and title.
    ///
    /// # Errors
    /// [`Error::InvalidId`] when the id is empty or holds whitespace.
    pub fn new(
        id: impl Into<String>,
        publisher: impl Into<String>,
        title: impl Into<String>,
    ) -> Result<Source> {
        let s = Source {
            id: id.into(),
            publisher: publisher.into(),
            title: title.into(),
            year: None,
            reference: None,
            note: None,
        };
        s.validate()?;
        Ok(s)
    }

    /// Sets the year of publication.
    pub fn year(mut self, year: i16) -> Source {
        self.year = Some(year);
        self
    }

    /// Sets the URL, DOI or table reference.
    pub fn reference(mut self, reference: impl Into<String>) -> Source {
        self.reference = Some(reference.into());
        self
    }

    /// Sets a remark.
    pub fn note(mut self, note: impl Into<String>) -> Source {
        self.note = Some(note.into());
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        validate_id("source", &self.id)
    }
}

/// Checks an identifier: non-empty, no whitespace or control characters.
/// `kind` names what it identifies (`source`, `agreement`, `restriction`).
pub(crate) fn validate_id(kind: &'static str, id: &str) -> Result<()> {
    if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::InvalidId {
            kind,
            id: id.to_string(),
        });
    }
    Ok(())
}

/// How a figure was obtained.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Reported by the source as a measured or official figure.
    #[default]
    Reported,
    /// An estimate published by the source (USGS "e").
    Estimated,
    /// Withheld by the source (USGS "W"); the quantity is unknown.
    Withheld,
    /// Computed by this crate or the user from an assumption (for example
    /// flows apportioned in proportion to output); never a published figure.
    Modeled,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Status::Reported => "reported",
            Status::Estimated => "estimated",
            Status::Withheld => "withheld",
            Status::Modeled => "modeled",
        })
    }
}

/// Confidence grade of a figure, as the built-in dataset defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// Primary text seen directly.
    #[serde(rename = "A")]
    A,
    /// A USGS figure from a transcription whose verbatim quote holds the number.
    #[serde(rename = "A-t")]
    ATranscribed,
    /// Reputable secondary reporting of a primary act or figure.
    #[serde(rename = "B")]
    B,
    /// A single unattributed transcription or an unidentified source.
    #[serde(rename = "C")]
    C,
}

impl Confidence {
    /// Parses `A`, `A-t`, `B` or `C`.
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for anything else.
    pub fn parse(s: &str) -> Result<Confidence> {
        match s.trim() {
            "A" => Ok(Confidence::A),
            "A-t" => Ok(Confidence::ATranscribed),
            "B" => Ok(Confidence::B),
            "C" => Ok(Confidence::C),
            other => Err(Error::UnknownValue {
                field: "confidence",
                value: other.to_string(),
                expected: "A, A-t, B or C",
            }),
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Confidence::A => "A",
            Confidence::ATranscribed => "A-t",
            Confidence::B => "B",
            Confidence::C => "C",
        })
    }
}

/// Where one figure (a node's output, a flow, an agreement) comes from.
///
/// `sources` name [`Source`]s registered in the same
/// [`SupplyChain`](crate::SupplyChain); `citation` holds free-text outlets
/// where there is no registered source (news reports behind a policy row).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Ids of registered sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// How the figure was obtained.
    #[serde(default)]
    pub status: Status,
    /// Confidence grade, when graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Free-text citation of outlets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Remarks: caveats, the assumption behind a modeled figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Provenance {
    /// A figure with the given status and no source yet.
    pub fn new(status: Status) -> Provenance {
        Provenance {
            status,
            ..Provenance::default()
        }
    }

    /// A reported figure from one registered source.
    pub fn reported(source_id: impl Into<String>) -> Provenance {
        Provenance::new(Status::Reported).source(source_id)
    }

    /// A modeled figure, with the assumption that produced it.
    pub fn modeled(assumption: impl Into<String>) -> Provenance {
        Provenance::new(Status::Modeled).note(assumption)
    }

    /// Adds a registered source id.
    pub fn source(mut self, id: impl Into<String>) -> Provenance {
        self.sources.push(id.into());
        self
    }

    /// Sets the confidence grade.
    pub fn confidence(mut self, c: Confidence) -> Provenance {
        self.confidence = Some(c);
        self
    }

    /// Sets the free-text citation.
    pub fn citation(mut self, c: impl Into<String>) -> Provenance {
        self.citation = Some(c.into());
        self
    }

    /// Sets the remark.
    pub fn note(mut self, n: impl Into<String>) -> Provenance {
        self.note = Some(n.into());
        self
    }
}
