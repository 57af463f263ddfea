//! The chain as a flow network toward a target: deliverable supply,
//! criticality, dominators, cuts. Each question solves the network's max
//! flow once (the crate's `ChainNetwork::solve`), with the GIL released.

use critical_minerals::network::{ChainNetwork, FlowOptions};
use pyo3::prelude::*;

use crate::chain::{PyChain, target};
use crate::convert::opt_mineral;
use crate::errors::IntoPy;
use crate::report::Report;

/// The chain as a flow network toward a target (built by
/// `SupplyChain.network`); it keeps no reference to the chain.
#[pyclass(module = "critical_minerals", name = "Network", frozen)]
pub struct PyNetwork {
    net: ChainNetwork,
}

/// Builds the network of `chain` toward `country`'s nodes at `stage`.
pub fn build(
    py: Python<'_>,
    chain: &PyChain,
    stage: &str,
    country: Option<&str>,
    mineral: Option<&str>,
) -> PyResult<PyNetwork> {
    let target = target(country, stage)?;
    let mut options = FlowOptions::new();
    if let Some(m) = opt_mineral(mineral)? {
        options = options.mineral(m);
    }
    let c = &chain.inner;
    let net = py
        .detach(|| ChainNetwork::new(c, &target, &options))
        .py_err()?;
    Ok(PyNetwork { net })
}

#[pymethods]
impl PyNetwork {
    /// The most tonnes the network can deliver to the target (one max flow).
    #[getter]
    fn deliverable_supply(&self, py: Python<'_>) -> f64 {
        let net = &self.net;
        py.detach(|| net.solve().deliverable_supply().get())
    }

    /// Supply lost when each node fails, largest first.
    fn node_criticality(&self, py: Python<'_>) -> Report {
        let net = &self.net;
        Report::new(py.detach(|| net.solve().node_criticality()))
    }

    /// Supply lost when each country fails, largest first.
    fn country_criticality(&self, py: Python<'_>) -> Report {
        let net = &self.net;
        Report::new(py.detach(|| net.solve().country_criticality()))
    }

    /// The nodes every supply path to the target passes through.
    fn dominators(&self, py: Python<'_>) -> Report {
        let net = &self.net;
        Report::new(py.detach(|| net.supply_dominators()))
    }

    /// Articulation points and bridges of the network.
    fn cuts(&self, py: Python<'_>) -> Report {
        let net = &self.net;
        Report::new(py.detach(|| net.cuts()))
    }

    /// The minimum cut: the flows (and country pairs) whose joint loss
    /// stops the most supply for the least capacity.
    fn min_cut(&self, py: Python<'_>) -> Report {
        let net = &self.net;
        Report::new(py.detach(|| net.solve().min_cut()))
    }

    fn __repr__(&self) -> String {
        format!("<Network: {} target nodes>", self.net.target_nodes().len())
    }
}
