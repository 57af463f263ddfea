//! Translation between Python values and the crate's: names into
//! `Country`/`Mineral`/`Stage`, JSON values into Python objects, and
//! Python dicts into the crate's JSON schema (the same text a Rust user
//! would give `from_json`).

use critical_minerals::simulation::Propagation;
use critical_minerals::{Country, Error, Mineral, Stage};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::Value;

use crate::errors::{IntoPy, to_py};

/// A country from its code or name (`"USA"`, `"Malaysia"`).
pub fn country(code: &str) -> PyResult<Country> {
    Country::parse(code).py_err()
}

/// A mineral from its name (`"rare-earths"`).
pub fn mineral(name: &str) -> PyResult<Mineral> {
    Mineral::new(name).py_err()
}

/// An optional mineral.
pub fn opt_mineral(name: Option<&str>) -> PyResult<Option<Mineral>> {
    name.map(mineral).transpose()
}

/// A stage from its name or synonym (`"refining"`).
pub fn stage(name: &str) -> PyResult<Stage> {
    name.parse::<Stage>().py_err()
}

/// A propagation model from its name.
pub fn propagation(name: &str) -> PyResult<Propagation> {
    keyword(name, "propagation", "exposure, cascade or reroute")
}

/// A keyword of one of the crate's snake_case enums, through its serde
/// names, so the words are the crate's own.
pub fn keyword<T: serde::de::DeserializeOwned>(
    word: &str,
    field: &'static str,
    expected: &'static str,
) -> PyResult<T> {
    serde_json::from_value(Value::String(word.to_string())).map_err(|_| {
        to_py(Error::UnknownValue {
            field,
            value: word.to_string(),
            expected,
        })
    })
}

/// A serde error of a JSON document as the crate's parse error.
pub fn json_error(e: serde_json::Error) -> PyErr {
    to_py(Error::Parse {
        file: None,
        line: e.line() as u64,
        column: Some(e.column() as u64),
        message: e.to_string(),
    })
}

/// The JSON text of a document given as text or as Python data (dict,
/// list): data is dumped with `json.dumps`, so it follows the same schema
/// as the text. Anything else is a `TypeError` naming the argument.
pub fn document(obj: &Bound<'_, PyAny>, argument: &str) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return s.extract::<String>();
    }
    if obj.is_instance_of::<PyDict>() || obj.is_instance_of::<PyList>() {
        let json = obj.py().import("json")?;
        let kwargs = PyDict::new(obj.py());
        kwargs.set_item("allow_nan", false)?;
        return json
            .call_method("dumps", (obj,), Some(&kwargs))
            .map_err(|e| {
                if e.is_instance_of::<pyo3::exceptions::PyValueError>(obj.py()) {
                    to_py(Error::Parse {
                        file: None,
                        line: 1,
                        column: None,
                        message: format!("{argument}: {}", e.value(obj.py())),
                    })
                } else {
                    PyTypeError::new_err(format!("argument '{argument}': {}", e.value(obj.py())))
                }
            })?
            .extract::<String>();
    }
    Err(PyTypeError::new_err(format!(
        "argument '{argument}': expected a JSON string or a dict, got {}",
        obj.get_type().name()?
    )))
}

/// A JSON value as Python data: objects become dicts, arrays lists.
pub fn to_python(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any().unbind()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any().unbind()
            } else {
                n.as_f64()
                    .unwrap_or(f64::NAN)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, to_python(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A serialisable crate value as Python data.
pub fn serialize<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let v = serde_json::to_value(value)
        .map_err(|e| PyTypeError::new_err(format!("cannot convert to Python: {e}")))?;
    to_python(py, &v)
}
