"""Critical-mineral supply chains as a directed graph, from Python.

A thin face over the Rust crate ``critical-minerals``: every call goes to the
crate, results come back as :class:`Report` objects (attributes, ``to_dict()``,
``to_json()``, ``to_pandas()``, and the crate's tables when printed), errors as
subclasses of :class:`CriticalMineralsError` (a ``ValueError``).

>>> import critical_minerals as cm
>>> chain = cm.SupplyChain()
>>> mine = chain.add_node("AUS", "rare-earths", "extraction")
>>> refinery = chain.add_node("MYS", "rare-earths", "refining")
>>> chain.add_flow(mine, refinery, 10_000.0)
0
>>> chain.flow_count
1
>>> chain.add_flow(refinery, mine, 1.0)
Traceback (most recent call last):
...
critical_minerals.InvalidTransitionError: invalid stage transition refining -> extraction across a border
"""

from critical_minerals._native import (
    CriticalMineralsError,
    Dataset,
    Diagram,
    Network,
    Report,
    Simulator,
    Summary,
    SupplyChain,
    WorldChain,
    bilateral_trend,
    error_kinds,
    experiment_runs,
    product_risk,
    product_risk_batch,
    material_risk,
    material_risk_batch,
    company_risk,
)
from critical_minerals import _native

# One exception class per kind of crate error, all under CriticalMineralsError.
for _name in error_kinds():
    globals()[_name] = getattr(_native, _name)
del _name

from critical_minerals._native import (  # noqa: E402  (re-exported for type checkers)
    DuplicateIdError,
    DuplicateNodeError,
    InconsistentError,
    IndexOutOfRangeError,
    InvalidDateError,
    InvalidIdError,
    InvalidMineralError,
    InvalidQuantityError,
    InvalidShareError,
    InvalidTransitionError,
    IoError,
    MineralMismatchError,
    MixedBasisError,
    NoDataError,
    NodeNotFoundError,
    NotConvergedError,
    NotInChainError,
    OutOfDomainError,
    ParseError,
    SchemaVersionError,
    TooLargeError,
    UnknownCountryError,
    UnknownFlowError,
    UnknownNodeError,
    UnknownSourceError,
    UnknownStageError,
    UnknownValueError,
)

__all__ = [
    "CriticalMineralsError",
    "Dataset",
    "Diagram",
    "Network",
    "Report",
    "Simulator",
    "Summary",
    "SupplyChain",
    "WorldChain",
    "bilateral_trend",
    "error_kinds",
    "experiment_runs",
    "product_risk",
    "product_risk_batch",
    "material_risk",
    "material_risk_batch",
    "company_risk",
    "DuplicateIdError",
    "DuplicateNodeError",
    "InconsistentError",
    "IndexOutOfRangeError",
    "InvalidDateError",
    "InvalidIdError",
    "InvalidMineralError",
    "InvalidQuantityError",
    "InvalidShareError",
    "InvalidTransitionError",
    "IoError",
    "MineralMismatchError",
    "MixedBasisError",
    "NoDataError",
    "NodeNotFoundError",
    "NotConvergedError",
    "NotInChainError",
    "OutOfDomainError",
    "ParseError",
    "SchemaVersionError",
    "TooLargeError",
    "UnknownCountryError",
    "UnknownFlowError",
    "UnknownNodeError",
    "UnknownSourceError",
    "UnknownStageError",
    "UnknownValueError",
]
