//! The Python face of `critical-minerals`: it translates Python values to
//! the library's calls and the results back, and analyses nothing itself.
//!
//! Layout: `errors` (the exception hierarchy), `convert` (names, JSON and
//! Python data), `report` (one result class for every result kind),
//! `chain` (dataset, chain, analyses, exports), `network` (max-flow
//! questions toward a target), `sim` (scenarios, Monte
//! Carlo, cascade flows). A new library call is one method in `chain` or
//! `sim` returning `Report::new(result)` plus one `shown!` line in
//! `report` for its result type.

use pyo3::prelude::*;

mod chain;
mod convert;
mod errors;
mod network;
mod report;
mod sim;

/// A DataFrame of a result, chain or summary, built by the pure-Python
/// `critical_minerals._tables` (pandas is imported only when asked).
pub fn to_pandas<'py>(obj: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    obj.py()
        .import("critical_minerals._tables")?
        .call_method1("to_pandas", (obj,))
}

/// The native module, imported by `critical_minerals/__init__.py`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<chain::PyDataset>()?;
    m.add_class::<chain::WorldChain>()?;
    m.add_class::<chain::PyChain>()?;
    m.add_class::<chain::Diagram>()?;
    m.add_class::<report::Report>()?;
    m.add_class::<network::PyNetwork>()?;
    m.add_class::<sim::PySimulator>()?;
    m.add_class::<sim::PySummary>()?;
    m.add_function(wrap_pyfunction!(chain::product_risk, m)?)?;
    m.add_function(wrap_pyfunction!(chain::product_risk_batch, m)?)?;
    m.add_function(wrap_pyfunction!(chain::material_risk, m)?)?;
    m.add_function(wrap_pyfunction!(chain::material_risk_batch, m)?)?;
    m.add_function(wrap_pyfunction!(chain::company_risk, m)?)?;
    m.add_function(wrap_pyfunction!(chain::bilateral_trend, m)?)?;
    m.add_function(wrap_pyfunction!(sim::experiment_runs, m)?)?;
    Ok(())
}
