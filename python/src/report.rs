//! One Python class for every result of the crate: it keeps the Rust value
//! (converted to Python data only when asked, then cached), prints as the
//! crate's table, and reads as attributes, `to_dict()` and `to_json()`.
//! A new result kind (GeoPolRisk by raw material, Shapley contributions)
//! needs one `Shown` line below and nothing else.

use std::fmt::Display;
use std::sync::OnceLock;

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;

use crate::convert::serialize;

/// What a result kind offers: its JSON form and its text.
pub trait Shown: Send + Sync + 'static {
    /// The kind's name, as `Report.kind` shows it.
    fn kind(&self) -> &'static str;
    /// The value as Python data.
    fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>>;
    /// The value as JSON text.
    fn json(&self) -> String;
    /// The crate's text rendering (its `Display`), or the JSON when it has none.
    fn text(&self) -> String;
}

/// Implements [`Shown`] for result types that print as tables
/// (`display`) or only as JSON (`json`).
macro_rules! shown {
    (display $($ty:ty => $kind:literal),* $(,)?) => {$(
        impl Shown for $ty {
            fn kind(&self) -> &'static str { $kind }
            fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> { serialize(py, self) }
            fn json(&self) -> String { json_text(self) }
            fn text(&self) -> String { display_text(self) }
        }
    )*};
    (json $($ty:ty => $kind:literal),* $(,)?) => {$(
        impl Shown for $ty {
            fn kind(&self) -> &'static str { $kind }
            fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> { serialize(py, self) }
            fn json(&self) -> String { json_text(self) }
            fn text(&self) -> String { json_text(self) }
        }
    )*};
}

fn json_text<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("<not serialisable: {e}>"))
}

fn display_text<T: Display>(v: &T) -> String {
    v.to_string()
}

use critical_minerals::analysis::{
    BilateralProfile, BilateralTotals, ChokepointReport, CompanyAssessment, Concentration,
    GeoPolRisk, ImportReliance, MaterialRisk, MaterialRiskBatch, ProductRisk, ProductRiskBatch,
    Trend,
};
use critical_minerals::data::WorldChainReport;
use critical_minerals::io::LoadReport;
use critical_minerals::network::{
    ChainCuts, CountryCriticality, MinCut, NodeCriticality, SupplyDominators,
};
use critical_minerals::simulation::{FlowChange, Outcome, Statistics};

shown!(display
    BilateralProfile => "bilateral_profile",
    ChokepointReport => "chokepoint_report",
    Concentration => "concentration",
    GeoPolRisk => "geopolrisk",
    ProductRisk => "product_risk",
    MaterialRisk => "material_risk",
    MaterialRiskBatch => "material_risk_batch",
    CompanyAssessment => "company_risk",
    WorldChainReport => "world_chain_report",
    ImportReliance => "import_reliance",
    Trend<BilateralTotals> => "trend",
    Outcome => "outcome",
);
shown!(json
    ProductRiskBatch => "product_risk_batch",
    Statistics => "statistics",
    Vec<FlowChange> => "flow_changes",
    Vec<NodeCriticality> => "node_criticality",
    Vec<CountryCriticality> => "country_criticality",
    SupplyDominators => "dominators",
    ChainCuts => "cuts",
    MinCut => "min_cut",
);

/// The crate's load report has no serde form: its counts are given here
/// field by field, the skip reasons by their text.
impl Shown for LoadReport {
    fn kind(&self) -> &'static str {
        "load_report"
    }
    fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::convert::to_python(py, &load_report_json(self))
    }
    fn json(&self) -> String {
        load_report_json(self).to_string()
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

fn load_report_json(r: &LoadReport) -> serde_json::Value {
    let skipped: serde_json::Map<String, serde_json::Value> = r
        .skipped
        .iter()
        .map(|(reason, n)| (reason.to_string(), (*n).into()))
        .collect();
    serde_json::json!({
        "rows_read": r.rows_read,
        "rows_kept": r.rows_kept,
        "skipped": skipped,
        "rows_lumped": r.rows_lumped,
        "rows_without_quantity": r.rows_without_quantity,
        "rows_without_value": r.rows_without_value,
        "flows_added": r.flows_added,
        "nodes_added": r.nodes_added,
        "flow_ids": r.flow_ids.iter().map(|f| f.get()).collect::<Vec<_>>(),
    })
}

/// A result of the crate: attributes are its fields (`report.nodes`,
/// `profile.links`), `to_dict()` gives them all, `str()` the crate's
/// table, `to_json()` the crate's JSON.
#[pyclass(module = "critical_minerals", name = "Report", frozen)]
pub struct Report {
    value: Box<dyn Shown>,
    cache: OnceLock<Py<PyAny>>,
}

impl Report {
    /// Wraps a result.
    pub fn new(value: impl Shown) -> Report {
        Report {
            value: Box::new(value),
            cache: OnceLock::new(),
        }
    }

    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(v) = self.cache.get() {
            return Ok(v.bind(py).clone());
        }
        let v = self.value.data(py)?;
        Ok(self.cache.get_or_init(|| v).bind(py).clone())
    }
}

#[pymethods]
impl Report {
    /// What the result is (`"bilateral_profile"`, `"outcome"`, ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.value.kind()
    }

    /// The result as Python data (a fresh copy of dicts, lists and numbers).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // Converted afresh, so changing the dict never changes the report.
        Ok(self.value.data(py)?.into_bound(py))
    }

    /// The table of this object as a pandas DataFrame with typed columns.
    fn to_pandas<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::to_pandas(slf.into_any())
    }

    /// The result in the crate's JSON.
    fn to_json(&self) -> String {
        self.value.json()
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let d = self.dict(py)?;
        if let Ok(dict) = d.cast::<PyDict>() {
            if let Some(v) = dict.get_item(name)? {
                return Ok(v);
            }
        }
        Err(PyAttributeError::new_err(format!(
            "'{}' result has no attribute '{name}'",
            self.value.kind()
        )))
    }

    fn __dir__<'py>(&self, py: Python<'py>) -> PyResult<Vec<String>> {
        let mut names: Vec<String> = ["kind", "to_dict", "to_json"].map(String::from).to_vec();
        if let Ok(dict) = self.dict(py)?.cast::<PyDict>() {
            for k in dict.keys() {
                names.push(k.extract()?);
            }
        }
        Ok(names)
    }

    fn __str__(&self) -> String {
        self.value.text()
    }

    fn __repr__(&self) -> String {
        let text = self.value.text();
        let first = text.lines().next().unwrap_or_default();
        format!("<Report {}: {}>", self.value.kind(), first)
    }
}
