//! The dataset, the chain and the analyses on it. The chain lives in an
//! `Arc`: a world chain, its simulators and every query share one copy.

use std::sync::Arc;

use critical_minerals::analysis::{
    BilateralOptions, BilateralTotals, ChokepointOptions, GeoPolRiskOptions, ProductRisk,
    ProductRiskOptions, WgiYear,
};
use critical_minerals::data::{ProductionSource, WorldChainOptions};
use critical_minerals::io::{self, DotOptions, FlowDiagram, FlowMeasure, SvgOptions, TradeOptions};
use critical_minerals::network::Target;
use critical_minerals::{Dataset, Flow, Node, SupplyChain, Tonnes};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::convert::{self, country, mineral, opt_mineral, stage};
use crate::errors::IntoPy;
use crate::report::Report;

/// The built-in data: every figure the crate ships, with its source.
#[pyclass(module = "critical_minerals", name = "Dataset", frozen)]
pub struct PyDataset {
    data: &'static Dataset,
}

#[pymethods]
impl PyDataset {
    /// The built-in dataset, parsed once per process and shared.
    #[staticmethod]
    fn builtin(py: Python<'_>) -> PyResult<PyDataset> {
        let data = py.detach(Dataset::builtin).py_err()?;
        Ok(PyDataset { data })
    }

    /// The world chain of a year from real BACI trade (and production,
    /// unless `production="none"`). `production`: `"usgs_then_wmd"`
    /// (default), `"usgs"`, `"wmd"` or `"none"`; `measure`: `"quantity"`
    /// (default) or `"value"`; `policy`: add the agreements and
    /// restrictions in force (default true).
    #[pyo3(signature = (year, *, production = "usgs_then_wmd", measure = "quantity", policy = true))]
    fn world_chain(
        &self,
        py: Python<'_>,
        year: i16,
        production: &str,
        measure: &str,
        policy: bool,
    ) -> PyResult<WorldChain> {
        let source = match production {
            "usgs_then_wmd" => ProductionSource::UsgsThenWmd,
            "usgs" => ProductionSource::Usgs,
            "wmd" => ProductionSource::Wmd,
            "none" => ProductionSource::None,
            other => {
                return Err(crate::errors::to_py(
                    critical_minerals::Error::UnknownValue {
                        field: "production",
                        value: other.to_string(),
                        expected: "usgs_then_wmd, usgs, wmd or none",
                    },
                ));
            }
        };
        let measure: FlowMeasure = convert::keyword(measure, "measure", "quantity or value")?;
        let options = WorldChainOptions::new(year)
            .production(source)
            .measure(measure)
            .policy(policy);
        let data = self.data;
        let world = py.detach(|| data.world_chain(&options)).py_err()?;
        Ok(WorldChain {
            chain: Py::new(py, PyChain::from(world.chain))?,
            report: Py::new(py, Report::new(world.report))?,
        })
    }

    /// The years of the trade table.
    fn years(&self) -> Vec<i16> {
        self.data.years().into_iter().collect()
    }

    /// The minerals the data covers, by name.
    fn minerals(&self) -> Vec<String> {
        self.data.minerals().iter().map(|m| m.to_string()).collect()
    }

    /// The WGI political-stability estimate (`PV.EST`) of a country in a
    /// year, or None where the World Bank has none.
    fn governance(&self, country_code: &str, year: i16) -> PyResult<Option<f64>> {
        Ok(self
            .data
            .governance(country(country_code)?, year)
            .map(|r| r.estimate))
    }

    /// The Monte Carlo failure model of a year's governance (as a dict for
    /// the `failure` key of a Monte Carlo dict), default mapping. A year
    /// without WGI values raises NoDataError unless `nearest_year`;
    /// `taiwan_proxy` gives BACI's S19 Taiwan's WGI row.
    #[pyo3(signature = (year, *, nearest_year = false, taiwan_proxy = false))]
    fn governance_failure(
        &self,
        py: Python<'_>,
        year: i16,
        nearest_year: bool,
        taiwan_proxy: bool,
    ) -> PyResult<Py<PyAny>> {
        use critical_minerals::data::GovernanceProxy;
        use critical_minerals::simulation::{FailureModel, GovernanceMapping, GovernanceOptions};
        let proxy = if taiwan_proxy {
            GovernanceProxy::TaiwanForS19
        } else {
            GovernanceProxy::None
        };
        let options = GovernanceOptions::new()
            .nearest_year(nearest_year)
            .proxy(proxy);
        let g = FailureModel::governance_with(self.data, year, GovernanceMapping::new(), options)
            .py_err()?;
        convert::serialize(py, &g.model)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Dataset: {} minerals, trade {:?}>",
            self.data.minerals().len(),
            self.data.years()
        )
    }
}

/// A year's world chain and the report of what went in and what was left out.
#[pyclass(module = "critical_minerals", frozen)]
pub struct WorldChain {
    /// The chain.
    #[pyo3(get)]
    chain: Py<PyChain>,
    /// What was built and left out.
    #[pyo3(get)]
    report: Py<Report>,
}

#[pymethods]
impl WorldChain {
    fn __repr__(&self, py: Python<'_>) -> String {
        let c = self.chain.borrow(py);
        format!(
            "<WorldChain: {} nodes, {} flows>",
            c.inner.node_count(),
            c.inner.flow_count()
        )
    }
}

/// A supply chain: nodes (country, mineral, stage) and flows of tonnes.
#[pyclass(module = "critical_minerals", name = "SupplyChain")]
pub struct PyChain {
    /// Shared with every simulator built on it; a change after that copies
    /// the chain once (the simulators keep the chain they were built on).
    pub inner: Arc<SupplyChain>,
}

impl From<SupplyChain> for PyChain {
    fn from(chain: SupplyChain) -> PyChain {
        PyChain {
            inner: Arc::new(chain),
        }
    }
}

fn tonnes(value: f64) -> PyResult<Tonnes> {
    Tonnes::new(value).py_err()
}

fn trade_options(year: Option<i16>, mineral_name: Option<&str>) -> PyResult<TradeOptions> {
    let mut o = TradeOptions::new();
    if let Some(y) = year {
        o = o.year(y);
    }
    if let Some(m) = opt_mineral(mineral_name)? {
        o = o.mineral(m);
    }
    Ok(o)
}

/// The bytes of a file given as a path, or the bytes themselves.
fn file_bytes(source: &Bound<'_, PyAny>) -> PyResult<(Vec<u8>, Option<String>)> {
    if let Ok(b) = source.cast::<PyBytes>() {
        return Ok((b.as_bytes().to_vec(), None));
    }
    let path: std::path::PathBuf = source.extract().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "argument 'source': expected a path or bytes, got {}",
            source
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let bytes = std::fs::read(&path)
        .map_err(|e| critical_minerals::Error::Io {
            path: path.clone(),
            source: e,
        })
        .py_err()?;
    Ok((bytes, Some(path.display().to_string())))
}

#[pymethods]
impl PyChain {
    /// An empty chain.
    #[new]
    fn new() -> PyChain {
        PyChain::from(SupplyChain::new())
    }

    /// A chain from the crate's versioned JSON (text or dict).
    #[staticmethod]
    fn from_json(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<PyChain> {
        let text = convert::document(document, "document")?;
        let chain = py.detach(|| SupplyChain::from_json(&text)).py_err()?;
        Ok(PyChain::from(chain))
    }

    /// The chain in the crate's versioned JSON.
    fn to_json(&self, py: Python<'_>) -> String {
        let c = &self.inner;
        py.detach(|| c.to_json())
    }

    /// Adds a node and returns its id. `output` and `capacity` in tonnes.
    #[pyo3(signature = (country_code, mineral_name, stage_name, *, output = None, capacity = None))]
    fn add_node(
        &mut self,
        country_code: &str,
        mineral_name: &str,
        stage_name: &str,
        output: Option<f64>,
        capacity: Option<f64>,
    ) -> PyResult<u32> {
        let mut node = Node::new(
            country(country_code)?,
            mineral(mineral_name)?,
            stage(stage_name)?,
        );
        if let Some(t) = output {
            node = node.output(tonnes(t)?);
        }
        if let Some(t) = capacity {
            node = node.capacity(tonnes(t)?);
        }
        let id = Arc::make_mut(&mut self.inner).add_node(node).py_err()?;
        Ok(id.get())
    }

    /// Adds a flow of `tonnes` between two node ids and returns its id.
    fn add_flow(&mut self, source: i64, target: i64, tonnes_per_year: f64) -> PyResult<u32> {
        let (from, to) = (node_id(source)?, node_id(target)?);
        let flow = Flow::new(tonnes(tonnes_per_year)?);
        let id = Arc::make_mut(&mut self.inner)
            .add_flow(from, to, flow)
            .py_err()?;
        Ok(id.get())
    }

    /// Loads a BACI file (a path or its bytes) into the chain through the
    /// built-in concordance; the whole file is checked before anything is
    /// added.
    #[pyo3(signature = (source, *, year = None, mineral = None))]
    fn load_baci(
        &mut self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        year: Option<i16>,
        mineral: Option<&str>,
    ) -> PyResult<Report> {
        let options = trade_options(year, mineral)?;
        let (bytes, _) = file_bytes(source)?;
        let chain = Arc::make_mut(&mut self.inner);
        let report = py
            .detach(|| io::load_baci(chain, bytes.as_slice(), &options))
            .py_err()?;
        Ok(Report::new(report))
    }

    /// Loads a UN Comtrade file (a path or its bytes) into the chain.
    #[pyo3(signature = (source, *, year = None, mineral = None))]
    fn load_comtrade(
        &mut self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        year: Option<i16>,
        mineral: Option<&str>,
    ) -> PyResult<Report> {
        let options = trade_options(year, mineral)?;
        let (bytes, _) = file_bytes(source)?;
        let chain = Arc::make_mut(&mut self.inner);
        let report = py
            .detach(|| io::load_comtrade(chain, bytes.as_slice(), &options))
            .py_err()?;
        Ok(Report::new(report))
    }

    /// The table of this object as a pandas DataFrame with typed columns.
    fn to_pandas<'py>(slf: Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::to_pandas(slf.into_any())
    }

    /// Number of nodes.
    #[getter]
    fn node_count(&self) -> usize {
        self.inner.node_count()
    }

    /// Number of flows.
    #[getter]
    fn flow_count(&self) -> usize {
        self.inner.flow_count()
    }

    /// Every flow as a row: exporter, importer, mineral, the two stages,
    /// tonnes, value in USD (or None), year and HS code (or None).
    fn flow_rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rows = PyList::empty(py);
        for f in self.inner.flows() {
            let d = PyDict::new(py);
            d.set_item("id", f.id.get())?;
            d.set_item("exporter", f.from_key.country.to_string())?;
            d.set_item("importer", f.to_key.country.to_string())?;
            d.set_item("mineral", f.from_key.mineral.to_string())?;
            d.set_item("from_stage", f.from_key.stage.to_string())?;
            d.set_item("to_stage", f.to_key.stage.to_string())?;
            d.set_item("tonnes", f.tonnes().get())?;
            d.set_item("value_usd", f.flow.value.map(|v| v.get()))?;
            d.set_item("year", f.flow.year)?;
            d.set_item("hs6", f.flow.hs6)?;
            rows.append(d)?;
        }
        Ok(rows)
    }

    /// Everything that ties `a` and `b`: flows both ways by mineral and
    /// stage, dependence, shared agreements and restrictions.
    #[pyo3(signature = (a, b, *, mineral = None))]
    fn bilateral(
        &self,
        py: Python<'_>,
        a: &str,
        b: &str,
        mineral: Option<&str>,
    ) -> PyResult<Report> {
        let mut options = BilateralOptions::new();
        if let Some(m) = opt_mineral(mineral)? {
            options = options.mineral(m);
        }
        let (a, b, c) = (country(a)?, country(b)?, &self.inner);
        let p = py.detach(|| c.bilateral(a, b, &options)).py_err()?;
        Ok(Report::new(p))
    }

    /// Import reliance of a country's node at a stage.
    fn import_reliance(
        &self,
        country_code: &str,
        mineral_name: &str,
        stage_name: &str,
    ) -> PyResult<Report> {
        let r = self.inner.import_reliance(
            country(country_code)?,
            &mineral(mineral_name)?,
            stage(stage_name)?,
        );
        Ok(Report::new(r))
    }

    /// Concentration (HHI, shares) of a mineral's output at a stage.
    fn concentration(&self, mineral_name: &str, stage_name: &str) -> PyResult<Report> {
        let c = self
            .inner
            .concentration(
                &mineral(mineral_name)?,
                stage(stage_name)?,
                &Default::default(),
            )
            .py_err()?;
        Ok(Report::new(c))
    }

    /// GeoPolRisk of `importer`'s supply of a mineral at a stage, with the
    /// built-in WGI of `wgi_year` for the exporters.
    fn geopolrisk(
        &self,
        importer: &str,
        mineral_name: &str,
        stage_name: &str,
        wgi_year: i16,
    ) -> PyResult<Report> {
        let data = Dataset::builtin().py_err()?;
        let wgi = |c| data.governance(c, wgi_year).map(|r| r.estimate);
        let r = self
            .inner
            .geopolrisk(
                country(importer)?,
                &mineral(mineral_name)?,
                stage(stage_name)?,
                wgi,
                &GeoPolRiskOptions::new(),
            )
            .py_err()?;
        Ok(Report::new(r))
    }

    /// The chokepoint report toward a country's nodes at a stage (or every
    /// node at the stage when `country` is None): deliverable supply,
    /// dominators, criticality, minimum cut, concentration, each with its
    /// reason.
    #[pyo3(signature = (stage, *, country = None, mineral = None, rows = None))]
    fn chokepoint_report(
        &self,
        py: Python<'_>,
        stage: &str,
        country: Option<&str>,
        mineral: Option<&str>,
        rows: Option<usize>,
    ) -> PyResult<Report> {
        let target = target(country, stage)?;
        let mut options = ChokepointOptions::new();
        if let Some(m) = opt_mineral(mineral)? {
            options = options.mineral(m);
        }
        if let Some(n) = rows {
            options = options.rows(n);
        }
        let c = &self.inner;
        let r = py
            .detach(|| c.chokepoint_report(&target, &options))
            .py_err()?;
        Ok(Report::new(r))
    }

    /// The chain as a flow network toward `country`'s nodes at `stage`
    /// (every node at `stage` when `country` is None), of one `mineral` or
    /// all: deliverable supply, criticality, dominators, cuts.
    #[pyo3(signature = (stage, *, country = None, mineral = None))]
    fn network(
        &self,
        py: Python<'_>,
        stage: &str,
        country: Option<&str>,
        mineral: Option<&str>,
    ) -> PyResult<crate::network::PyNetwork> {
        crate::network::build(py, self, stage, country, mineral)
    }

    /// The chain in GraphML (Gephi, Cytoscape, networkx, igraph).
    fn to_graphml(&self) -> PyResult<String> {
        let mut out = Vec::new();
        io::write_graphml(&self.inner, &mut out).py_err()?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The chain in Graphviz DOT.
    #[pyo3(signature = (*, title = None))]
    fn to_dot(&self, title: Option<String>) -> PyResult<String> {
        let mut options = DotOptions::new();
        if let Some(t) = title {
            options = options.title(t);
        }
        let mut out = Vec::new();
        io::write_dot(&self.inner, &mut out, &options).py_err()?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The stage-layered flow picture; shows itself in Jupyter.
    #[pyo3(signature = (*, mineral = None, title = None))]
    fn flow_diagram(&self, mineral: Option<&str>, title: Option<String>) -> PyResult<Diagram> {
        let mut options = SvgOptions::new();
        if let Some(m) = opt_mineral(mineral)? {
            options = options.mineral(m);
        }
        if let Some(t) = title {
            options = options.title(t);
        }
        let d = FlowDiagram::from_chain(&self.inner, &options).py_err()?;
        Ok(Diagram { svg: d.to_svg() })
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<SupplyChain: {} nodes, {} flows>",
            self.inner.node_count(),
            self.inner.flow_count()
        )
    }

    fn __eq__(&self, other: &PyChain) -> bool {
        self.inner == other.inner
    }

    /// Pickles as the crate's JSON (for multiprocessing and Dask).
    fn __reduce__<'py>(slf: Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json = slf.borrow().inner.to_json();
        Ok((slf.get_type().getattr("from_json")?, (json,)))
    }
}

/// A flow picture (SVG); Jupyter draws it inline.
#[pyclass(module = "critical_minerals", frozen)]
pub struct Diagram {
    /// The SVG text.
    #[pyo3(get)]
    svg: String,
}

impl Diagram {
    /// A picture from its SVG text.
    pub fn new(svg: String) -> Diagram {
        Diagram { svg }
    }
}

#[pymethods]
impl Diagram {
    fn _repr_svg_(&self) -> &str {
        &self.svg
    }

    fn __repr__(&self) -> String {
        format!("<Diagram: {} bytes of SVG>", self.svg.len())
    }
}

/// A node id from Python: a number that `add_node` could have returned
/// (whether the chain holds it is the crate's check).
pub fn node_id(id: i64) -> PyResult<critical_minerals::NodeId> {
    let out_of_domain = || {
        crate::errors::to_py(critical_minerals::Error::OutOfDomain {
            field: "node id",
            value: id.to_string(),
            expected: "must be a node id returned by add_node (0 to 4294967295)".into(),
        })
    };
    let id = u32::try_from(id).map_err(|_| out_of_domain())?;
    serde_json::from_value(serde_json::Value::from(id)).map_err(|_| out_of_domain())
}

/// The target of a question: a country's nodes at a stage, or the stage.
pub fn target(country_code: Option<&str>, stage_name: &str) -> PyResult<Target> {
    let s = stage(stage_name)?;
    Ok(match country_code {
        Some(c) => Target::country_stage(country(c)?, s),
        None => Target::Stage(s),
    })
}

/// GeoPolRisk of an importer's supply of one HS-6 product in a year, on
/// the built-in data. `wgi_year`: `"exact"` (default) or `"nearest"`.
#[pyfunction]
#[pyo3(signature = (importer, hs6, year, *, wgi_year = "exact"))]
pub fn product_risk(
    py: Python<'_>,
    importer: &str,
    hs6: u32,
    year: i16,
    wgi_year: &str,
) -> PyResult<Report> {
    let options = product_options(wgi_year)?;
    let importer = country(importer)?;
    let r = py
        .detach(|| ProductRisk::builtin(importer, hs6, year, &options))
        .py_err()?;
    Ok(Report::new(r))
}

/// Every GeoPolRisk score the built-in data supports for the given years.
#[pyfunction]
#[pyo3(signature = (years, *, wgi_year = "exact"))]
pub fn product_risk_batch(py: Python<'_>, years: Vec<i16>, wgi_year: &str) -> PyResult<Report> {
    let options = product_options(wgi_year)?;
    let r = py
        .detach(|| ProductRisk::builtin_batch(years, &options))
        .py_err()?;
    Ok(Report::new(r))
}

/// The options of a raw-material, region or company score: the crate's
/// conventions, or geopolrisk-py's (`reference=True`).
fn material_options(
    wgi_year: &str,
    reference: bool,
    taiwan_proxy: bool,
) -> PyResult<ProductRiskOptions> {
    let mut o = if reference {
        ProductRiskOptions::reference()
    } else {
        ProductRiskOptions::new()
    };
    o.wgi_year = product_options(wgi_year)?.wgi_year;
    if taiwan_proxy {
        o.governance_proxy = critical_minerals::data::GovernanceProxy::TaiwanForS19;
    }
    Ok(o)
}

/// GeoPolRisk of a raw material (geopolrisk-py's list: "Cobalt", "Rare
/// earth", ...; main and complementary HS codes summed) for a country, or
/// for a region when `region` is given ("eu27", "eu" for the EU's members
/// that year, or a list of country codes); with price and characterization
/// factor. `reference=True` computes as geopolrisk-py 2.0.1 does.
#[pyfunction]
#[pyo3(signature = (importer, material, year, *, region = None, exclude_intra_region = false, reference = false, taiwan_proxy = false, wgi_year = "exact"))]
#[allow(clippy::too_many_arguments)]
pub fn material_risk(
    py: Python<'_>,
    importer: &str,
    material: &str,
    year: i16,
    region: Option<Bound<'_, PyAny>>,
    exclude_intra_region: bool,
    reference: bool,
    taiwan_proxy: bool,
    wgi_year: &str,
) -> PyResult<Report> {
    use critical_minerals::analysis::{IntraRegion, MaterialRisk, Region};
    let options = material_options(wgi_year, reference, taiwan_proxy)?;
    let region = match region {
        None => None,
        Some(r) => Some(if let Ok(name) = r.extract::<String>() {
            match name.to_ascii_lowercase().as_str() {
                "eu27" | "eu-27" => Region::eu27(),
                "eu" => Region::eu(year),
                _ => {
                    return Err(pyo3::exceptions::PyTypeError::new_err(
                        "region: expected \"eu27\", \"eu\" or a list of country codes",
                    ));
                }
            }
        } else {
            let codes: Vec<String> = r.extract().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(
                    "region: expected \"eu27\", \"eu\" or a list of country codes",
                )
            })?;
            let members = codes
                .iter()
                .map(|c| country(c))
                .collect::<PyResult<Vec<_>>>()?;
            Region::new(importer, critical_minerals::Country::WLD, members).py_err()?
        }),
    };
    let intra = if exclude_intra_region {
        IntraRegion::Exclude
    } else {
        IntraRegion::ZeroWeight
    };
    let r = match region {
        Some(region) => py
            .detach(|| MaterialRisk::builtin_region(&region, material, year, intra, &options))
            .py_err()?,
        None => {
            let importer = country(importer)?;
            py.detach(|| MaterialRisk::builtin(importer, material, year, &options))
                .py_err()?
        }
    };
    Ok(Report::new(r))
}

/// Every importer × raw material × year the built-in data supports.
#[pyfunction]
#[pyo3(signature = (years, *, reference = false, wgi_year = "exact"))]
pub fn material_risk_batch(
    py: Python<'_>,
    years: Vec<i16>,
    reference: bool,
    wgi_year: &str,
) -> PyResult<Report> {
    use critical_minerals::analysis::MaterialRisk;
    let options = material_options(wgi_year, reference, false)?;
    let r = py
        .detach(|| MaterialRisk::builtin_batch(years, &options))
        .py_err()?;
    Ok(Report::new(r))
}

/// A company's GeoPolRisk from its purchases: CSV text in geopolrisk-py's
/// template columns (Metal, Country of Origin, Quantity (kg), Value (USD),
/// Year). A bad row raises ParseError naming its line and column.
#[pyfunction]
#[pyo3(signature = (csv_text, *, reference = false))]
pub fn company_risk(py: Python<'_>, csv_text: &str, reference: bool) -> PyResult<Report> {
    use critical_minerals::analysis::{CompanyAssessment, Purchase};
    let options = material_options("exact", reference, false)?;
    let purchases = Purchase::read_csv(csv_text).py_err()?;
    let r = py
        .detach(|| CompanyAssessment::assess(&purchases, &options))
        .py_err()?;
    Ok(Report::new(r))
}

fn product_options(wgi_year: &str) -> PyResult<ProductRiskOptions> {
    let rule = match wgi_year {
        "exact" => WgiYear::Exact,
        "nearest" => WgiYear::Nearest,
        other => {
            return Err(crate::errors::to_py(
                critical_minerals::Error::UnknownValue {
                    field: "wgi_year",
                    value: other.to_string(),
                    expected: "exact or nearest",
                },
            ));
        }
    };
    Ok(ProductRiskOptions::new().wgi_year(rule))
}

/// Bilateral trade totals of two countries for every year of the built-in
/// table (2019–2024), a trend.
#[pyfunction]
#[pyo3(signature = (a, b, *, mineral = None))]
pub fn bilateral_trend(
    py: Python<'_>,
    a: &str,
    b: &str,
    mineral: Option<&str>,
) -> PyResult<Report> {
    let (a, b, m) = (country(a)?, country(b)?, opt_mineral(mineral)?);
    let t = py.detach(|| BilateralTotals::trend(a, b, m)).py_err()?;
    Ok(Report::new(t))
}
