"""Tables as pandas DataFrames: which rows of each result make its table.

Rows come from the crate's own JSON form; nested keys are joined with ``_``
(``key_country``), lists inside a row stay Python lists, and the columns get
pandas' nullable types (``Int64``, ``Float64``, ``string``, ``boolean``), so a
gap stays a gap (``<NA>``) instead of becoming 0 or NaN.
"""

from __future__ import annotations

from typing import Any

# The list inside each result kind that is its table; a kind not named here
# is one row of its scalar fields.
TABLE_OF: dict[str, str] = {
    "bilateral_profile": "links",
    "chokepoint_report": "nodes",
    "concentration": "shares",
    "geopolrisk": "imports",
    "product_risk_batch": "scores",
    "material_risk_batch": "scores",
    "company_risk": "results",
    "outcome": "nodes",
    "trend": "points",
}


def rows_of(obj: Any) -> list[dict[str, Any]]:
    """The rows of a chain (its flows), a summary (its runs) or a report."""
    from critical_minerals._native import Report, Summary, SupplyChain

    if isinstance(obj, SupplyChain):
        rows: list[dict[str, Any]] = obj.flow_rows()
        return rows
    if isinstance(obj, Summary):
        runs: list[dict[str, Any]] = obj.run_rows()
        return runs
    if isinstance(obj, Report):
        data = obj.to_dict()
        if isinstance(data, list):
            return list(data)
        key = TABLE_OF.get(obj.kind)
        if key is not None:
            return list(data[key])
        return [{k: v for k, v in data.items() if not isinstance(v, (list, dict))}]
    raise TypeError(f"argument 'obj': no table for {type(obj).__name__}")


def to_pandas(obj: Any) -> Any:
    """The table of ``obj`` as a DataFrame with typed columns."""
    import pandas as pd

    rows = rows_of(obj)
    frame = pd.json_normalize(rows, sep="_") if rows else pd.DataFrame()
    return frame.convert_dtypes()
