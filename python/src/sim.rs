//! Scenarios, the three propagation models, Monte Carlo with shards, and
//! cascade flows. A `Simulator` compiles its chain once and keeps a share
//! of it (the `Arc`), so queries never copy the chain.

use std::sync::Arc;

use critical_minerals::SupplyChain;
use critical_minerals::io::{FlowDiagram, SvgOptions};
use critical_minerals::simulation::{
    FlowChange, MonteCarlo, Scenario, SimulationOptions, Simulator, Summary,
};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::chain::{Diagram, PyChain, target};
use crate::convert::{self, json_error, opt_mineral, propagation};
use crate::errors::IntoPy;
use crate::report::Report;

type Sim<'a> = Simulator<'a>;

self_cell::self_cell!(
    /// A simulator together with the chain it borrows.
    struct Compiled {
        owner: Arc<SupplyChain>,
        #[covariant]
        dependent: Sim,
    }
);

/// A scenario from a JSON string or a dict (the crate's schema).
fn scenario(obj: &Bound<'_, PyAny>, argument: &str) -> PyResult<Scenario> {
    let text = convert::document(obj, argument)?;
    Scenario::from_json(&text).py_err()
}

/// What-if scenarios on one chain toward one target.
#[pyclass(module = "critical_minerals", name = "Simulator", frozen)]
pub struct PySimulator {
    compiled: Compiled,
}

#[pymethods]
impl PySimulator {
    /// Compiles `chain` toward `country`'s nodes at `stage` (every node at
    /// `stage` when `country` is None), of one `mineral` or all.
    #[new]
    #[pyo3(signature = (chain, stage, *, country = None, mineral = None))]
    fn new(
        py: Python<'_>,
        chain: PyRef<'_, PyChain>,
        stage: &str,
        country: Option<&str>,
        mineral: Option<&str>,
    ) -> PyResult<PySimulator> {
        let target = target(country, stage)?;
        let mut options = SimulationOptions::new();
        if let Some(m) = opt_mineral(mineral)? {
            options = options.mineral(m);
        }
        let owner = Arc::clone(&chain.inner);
        let compiled = py
            .detach(|| Compiled::try_new(owner, |c| Simulator::new(c, &target, &options)))
            .py_err()?;
        Ok(PySimulator { compiled })
    }

    /// The observed supply reaching the target, in tonnes.
    #[getter]
    fn baseline(&self) -> f64 {
        self.compiled.borrow_dependent().baseline().get()
    }

    /// Runs one scenario (a JSON string or a dict) under `propagation`
    /// (`"exposure"`, `"cascade"` or `"reroute"`).
    #[pyo3(signature = (scenario, propagation = "cascade"))]
    fn run(
        &self,
        py: Python<'_>,
        scenario: &Bound<'_, PyAny>,
        propagation: &str,
    ) -> PyResult<Report> {
        let s = self::scenario(scenario, "scenario")?;
        let p = self::propagation(propagation)?;
        let sim = self.compiled.borrow_dependent();
        let outcome = py.detach(|| sim.run(&s, p)).py_err()?;
        Ok(Report::new(outcome))
    }

    /// Runs many scenarios; every one is checked before any runs. Returns
    /// the outcomes in the order given.
    #[pyo3(signature = (scenarios, propagation = "cascade"))]
    fn run_many(
        &self,
        py: Python<'_>,
        scenarios: &Bound<'_, PyAny>,
        propagation: &str,
    ) -> PyResult<Vec<Report>> {
        let list = scenario_list(scenarios)?;
        let p = self::propagation(propagation)?;
        let (chain, sim) = (
            self.compiled.borrow_owner(),
            self.compiled.borrow_dependent(),
        );
        let outcomes = py
            .detach(|| {
                for s in &list {
                    s.validate(chain)?;
                }
                list.iter()
                    .map(|s| sim.run(s, p))
                    .collect::<critical_minerals::Result<Vec<_>>>()
            })
            .py_err()?;
        Ok(outcomes.into_iter().map(Report::new).collect())
    }

    /// The shortfall of every scenario in tonnes, in the order given, run
    /// in parallel by the crate.
    #[pyo3(signature = (scenarios, propagation = "cascade"))]
    fn shortfalls(
        &self,
        py: Python<'_>,
        scenarios: &Bound<'_, PyAny>,
        propagation: &str,
    ) -> PyResult<Vec<f64>> {
        let list = scenario_list(scenarios)?;
        let p = self::propagation(propagation)?;
        let sim = self.compiled.borrow_dependent();
        let t = py.detach(|| sim.shortfalls(&list, p)).py_err()?;
        Ok(t.into_iter().map(|x| x.get()).collect())
    }

    /// A Monte Carlo experiment (a dict or JSON in the crate's schema),
    /// runs `start..end` (default: all): shards of one experiment merge
    /// exactly into the whole.
    #[pyo3(signature = (experiment, *, start = None, end = None))]
    fn monte_carlo(
        &self,
        py: Python<'_>,
        experiment: &Bound<'_, PyAny>,
        start: Option<u64>,
        end: Option<u64>,
    ) -> PyResult<PySummary> {
        let text = convert::document(experiment, "experiment")?;
        let mc = experiment_from(&text)?;
        let range = start.unwrap_or(0)..end.unwrap_or(mc.runs);
        let sim = self.compiled.borrow_dependent();
        let summary = py.detach(|| sim.monte_carlo_runs(&mc, range)).py_err()?;
        Ok(PySummary { inner: summary })
    }

    /// Every flow's tonnes before and after a scenario under cascade.
    fn cascade_flows(&self, py: Python<'_>, scenario: &Bound<'_, PyAny>) -> PyResult<Report> {
        let s = self::scenario(scenario, "scenario")?;
        let sim = self.compiled.borrow_dependent();
        let flows = py.detach(|| sim.cascade_flows(&s)).py_err()?;
        Ok(Report::new(flows))
    }

    /// The before/after flow picture of a scenario under cascade.
    #[pyo3(signature = (scenario, *, mineral = None, title = None))]
    fn cascade_diagram(
        &self,
        py: Python<'_>,
        scenario: &Bound<'_, PyAny>,
        mineral: Option<&str>,
        title: Option<String>,
    ) -> PyResult<Diagram> {
        let s = self::scenario(scenario, "scenario")?;
        let mut options = SvgOptions::new();
        if let Some(m) = opt_mineral(mineral)? {
            options = options.mineral(m);
        }
        if let Some(t) = title {
            options = options.title(t);
        }
        let sim = self.compiled.borrow_dependent();
        let flows = py.detach(|| sim.cascade_flows(&s)).py_err()?;
        let (before, after) = FlowChange::diagram_links(&flows);
        let d = FlowDiagram::compare(&before, &after, &options).py_err()?;
        Ok(Diagram::new(d.to_svg()))
    }

    fn __repr__(&self) -> String {
        let sim = self.compiled.borrow_dependent();
        format!(
            "<Simulator toward {}: {} nodes, baseline {} t>",
            sim.target(),
            sim.node_count(),
            sim.baseline().get()
        )
    }
}

/// The number of runs of a Monte Carlo experiment (a dict or JSON), with
/// the crate's default when it gives none: what a caller splits into shards.
#[pyfunction]
pub fn experiment_runs(experiment: &Bound<'_, PyAny>) -> PyResult<u64> {
    let text = convert::document(experiment, "experiment")?;
    Ok(experiment_from(&text)?.runs)
}

/// A Monte Carlo experiment from JSON: `failure` is required; every other
/// key left out takes the crate's default (`MonteCarlo::new`: removal,
/// 1,000 runs, seed 0, cascade, threshold 10 %).
fn experiment_from(text: &str) -> PyResult<MonteCarlo> {
    use critical_minerals::simulation::FailureModel;
    let given: serde_json::Value = serde_json::from_str(text).map_err(json_error)?;
    let Some(fields) = given.as_object() else {
        return Err(crate::errors::to_py(critical_minerals::Error::Parse {
            file: None,
            line: 1,
            column: None,
            message: "a Monte Carlo experiment is a JSON object".into(),
        }));
    };
    let failure = fields.get("failure").cloned().ok_or_else(|| {
        crate::errors::to_py(critical_minerals::Error::Parse {
            file: None,
            line: 1,
            column: None,
            message: "missing field `failure` of the Monte Carlo experiment".into(),
        })
    })?;
    let failure: FailureModel = serde_json::from_value(failure).map_err(json_error)?;
    let mut full = serde_json::to_value(MonteCarlo::new(failure)).map_err(json_error)?;
    if let Some(base) = full.as_object_mut() {
        for (k, v) in fields {
            base.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(full).map_err(json_error)
}

fn scenario_list(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Scenario>> {
    let list = obj.cast::<PyList>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err("argument 'scenarios': expected a list of scenarios")
    })?;
    list.iter()
        .enumerate()
        .map(|(i, s)| scenario(&s, &format!("scenarios[{i}]")))
        .collect()
}

/// A Monte Carlo summary: every run's record; shards merge exactly.
#[pyclass(module = "critical_minerals", name = "Summary")]
pub struct PySummary {
    inner: Summary,
}

#[pymethods]
impl PySummary {
    /// Adds another shard's runs (disjoint run ranges of one experiment).
    fn merge(&mut self, other: &PySummary) -> PyResult<()> {
        self.inner.merge(other.inner.clone()).py_err()
    }

    /// Mean, standard deviation, percentiles, exceedance probability.
    fn statistics(&self) -> Report {
        Report::new(self.inner.statistics())
    }

    /// Number of runs held.
    #[getter]
    fn runs(&self) -> usize {
        self.inner.runs.len()
    }

    /// Every run as a row: run, shortfall in tonnes and as a share, and
    /// what failed.
    fn run_rows(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let rows: Vec<serde_json::Value> = self
            .inner
            .runs
            .iter()
            .map(|(i, r)| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.insert("run".into(), (*i).into());
                }
                v
            })
            .collect();
        convert::to_python(py, &serde_json::Value::Array(rows))
    }

    /// The table of this object as a pandas DataFrame with typed columns.
    fn to_pandas<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::to_pandas(slf.into_any())
    }

    /// The summary in the crate's JSON.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    }

    /// A summary from its JSON (as a shard written by another process).
    #[staticmethod]
    fn from_json(document: &Bound<'_, PyAny>) -> PyResult<PySummary> {
        let text = convert::document(document, "document")?;
        let inner: Summary = serde_json::from_str(&text).map_err(json_error)?;
        Ok(PySummary { inner })
    }

    fn __eq__(&self, other: &PySummary) -> bool {
        self.inner == other.inner
    }

    /// Pickles as the crate's JSON (for multiprocessing and Dask).
    fn __reduce__<'py>(slf: Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json = slf.borrow().to_json()?;
        Ok((slf.get_type().getattr("from_json")?, (json,)))
    }

    fn __str__(&self) -> String {
        let s = self.inner.statistics();
        format!(
            "{} runs: mean shortfall {} t ({:.1}% of {} t), p95 {} t",
            s.runs,
            s.mean.get(),
            100.0 * s.mean_share.get(),
            self.inner.baseline.get(),
            s.p95.get()
        )
    }

    fn __repr__(&self) -> String {
        format!("<Summary: {}>", self.__str__())
    }
}
