//! The crate's `Error` as Python exceptions: one class per kind, all under
//! `CriticalMineralsError` (a `ValueError`), carrying the crate's message
//! and, where the crate has them, `.field`, `.value` and `.line`.

use critical_minerals::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::{create_exception, wrap_pyfunction};

create_exception!(
    critical_minerals,
    CriticalMineralsError,
    PyValueError,
    "Every error of critical_minerals: the crate's message names the bad value and where it is."
);

/// Declares one exception class per crate error kind (all subclasses of
/// `CriticalMineralsError`) and the function that registers them.
macro_rules! kinds {
    ($($class:ident => $doc:literal),* $(,)?) => {
        $(create_exception!(critical_minerals, $class, CriticalMineralsError, $doc);)*

        /// Adds the base class and every kind to the module.
        pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            m.add("CriticalMineralsError", py.get_type::<CriticalMineralsError>())?;
            $(m.add(stringify!($class), py.get_type::<$class>())?;)*
            m.add_function(wrap_pyfunction!(error_kinds, m)?)?;
            Ok(())
        }

        /// The names of the exception classes, one per kind of crate error.
        #[pyfunction]
        fn error_kinds() -> Vec<&'static str> {
            vec![$(stringify!($class)),*]
        }
    };
}

kinds! {
    UnknownCountryError => "A country code or name that is neither ISO 3166-1 nor a documented trade code.",
    InvalidMineralError => "A mineral name that is not a lowercase identifier.",
    UnknownStageError => "A stage name that matches none of the six stages.",
    InvalidQuantityError => "A quantity that is NaN, infinite or negative.",
    InvalidShareError => "A share outside 0..=1, or NaN.",
    InvalidTransitionError => "A flow between two stages that the value chain does not allow.",
    MineralMismatchError => "A flow between nodes of two different minerals.",
    DuplicateNodeError => "A node key that is already in the chain.",
    UnknownNodeError => "A node id that is not in the chain.",
    NodeNotFoundError => "A node key that is not in the chain.",
    UnknownFlowError => "A flow id that is not in the chain.",
    DuplicateIdError => "An agreement, restriction or source id that is already taken.",
    UnknownSourceError => "A reference to a source that is not registered.",
    IndexOutOfRangeError => "An index outside the range of what it indexes.",
    OutOfDomainError => "A number or setting outside the domain of its field.",
    UnknownValueError => "A keyword whose text is none of the accepted words.",
    InvalidIdError => "An identifier that is empty or holds whitespace.",
    InconsistentError => "An item whose parts do not fit together.",
    TooLargeError => "Input larger than the crate accepts.",
    InvalidDateError => "A date that is not YYYY, YYYY-MM or YYYY-MM-DD.",
    ParseError => "Malformed text input (CSV, JSON), with its line and column.",
    SchemaVersionError => "A JSON document of a schema version the crate cannot read.",
    IoError => "Reading or writing a file failed.",
    MixedBasisError => "Figures of different bases that were to be added.",
    NoDataError => "Nothing to work on, or a value the analysis needs is missing.",
    NotInChainError => "A scenario names something the chain does not hold.",
    NotConvergedError => "An iterative computation did not settle.",
}

/// What an exception carries besides its message.
#[derive(Default)]
struct Fields {
    field: Option<String>,
    value: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
}

/// The crate error as a Python exception of its kind. A document error
/// (`Error::Invalid`, "flows[3]: ...") takes the class of the error inside
/// it and keeps the place as `.context`.
pub fn to_py(err: Error) -> PyErr {
    let message = err.to_string();
    let mut context = None;
    let mut inner = &err;
    while let Error::Invalid { context: c, source } = inner {
        context.get_or_insert_with(|| c.clone());
        inner = source;
    }
    let (exc, f) = classify(inner, &message);
    Python::attach(|py| {
        let value = exc.value(py);
        let _ = value.setattr("field", f.field);
        let _ = value.setattr("value", f.value);
        let _ = value.setattr("line", f.line);
        let _ = value.setattr("column", f.column);
        let _ = value.setattr("context", context);
    });
    exc
}

fn classify(err: &Error, message: &str) -> (PyErr, Fields) {
    let m = message.to_string();
    let with = |field: &str, value: String| Fields {
        field: Some(field.to_string()),
        value: Some(value),
        ..Fields::default()
    };
    match err {
        Error::UnknownCountry { code } => (
            UnknownCountryError::new_err(m),
            with("country", code.clone()),
        ),
        Error::InvalidMineral { name, .. } => (
            InvalidMineralError::new_err(m),
            with("mineral", name.clone()),
        ),
        Error::UnknownStage { name } => {
            (UnknownStageError::new_err(m), with("stage", name.clone()))
        }
        Error::InvalidQuantity { what, value } => (
            InvalidQuantityError::new_err(m),
            with(what, value.to_string()),
        ),
        Error::InvalidShare { value } => (
            InvalidShareError::new_err(m),
            with("share", value.to_string()),
        ),
        Error::InvalidTransition { from, to, .. } => (
            InvalidTransitionError::new_err(m),
            with("stage", format!("{from} -> {to}")),
        ),
        Error::MineralMismatch { from, to } => (
            MineralMismatchError::new_err(m),
            with("mineral", format!("{from} -> {to}")),
        ),
        Error::DuplicateNode { key } => (
            DuplicateNodeError::new_err(m),
            with("node", key.to_string()),
        ),
        Error::UnknownNode { id } => (UnknownNodeError::new_err(m), with("node", id.to_string())),
        Error::NodeNotFound { key } => {
            (NodeNotFoundError::new_err(m), with("node", key.to_string()))
        }
        Error::UnknownFlow { id } => (UnknownFlowError::new_err(m), with("flow", id.to_string())),
        Error::DuplicateId { kind, id } => (DuplicateIdError::new_err(m), with(kind, id.clone())),
        Error::UnknownSource { id } => (UnknownSourceError::new_err(m), with("source", id.clone())),
        Error::IndexOutOfRange { what, index, .. } => (
            IndexOutOfRangeError::new_err(m),
            with(what, index.to_string()),
        ),
        Error::OutOfDomain { field, value, .. } => {
            (OutOfDomainError::new_err(m), with(field, value.clone()))
        }
        Error::UnknownValue { field, value, .. } => {
            (UnknownValueError::new_err(m), with(field, value.clone()))
        }
        Error::InvalidId { kind, id } => (InvalidIdError::new_err(m), with(kind, id.clone())),
        Error::Inconsistent { kind, id, .. } => {
            (InconsistentError::new_err(m), with(kind, id.clone()))
        }
        Error::TooLarge { what, size, .. } => {
            (TooLargeError::new_err(m), with(what, size.to_string()))
        }
        Error::InvalidDate { value } => (InvalidDateError::new_err(m), with("date", value.clone())),
        Error::Parse { line, column, .. } => (
            ParseError::new_err(m),
            Fields {
                line: Some(*line),
                column: *column,
                ..Fields::default()
            },
        ),
        Error::SchemaVersion {
            schema, version, ..
        } => (
            SchemaVersionError::new_err(m),
            with("schema", format!("{schema} {version}")),
        ),
        Error::Io { path, .. } => (
            IoError::new_err(m),
            with("path", path.display().to_string()),
        ),
        Error::MixedBasis { mineral, stage, .. } => (
            MixedBasisError::new_err(m),
            with("basis", format!("{mineral}/{stage}")),
        ),
        Error::NoData { what } => (NoDataError::new_err(m), with("data", what.clone())),
        Error::NotInChain { what, value } => {
            (NotInChainError::new_err(m), with(what, value.clone()))
        }
        Error::NotConverged { what, .. } => (
            NotConvergedError::new_err(m),
            with("computation", what.clone()),
        ),
        // `Invalid` is unwrapped by `to_py`; a kind added to the crate
        // later still raises the base class with the crate's message.
        _ => (CriticalMineralsError::new_err(m), Fields::default()),
    }
}

/// `?` for crate results inside the bindings.
pub trait IntoPy<T> {
    /// The result with the crate error as its Python exception.
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for critical_minerals::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}
