//! The integer flow network: real nodes `0..n`, a super-source and a
//! super-sink, edges between real nodes, supply and demand arcs, optional
//! node limits. Capacities are whole units (`i64`): results are exact and do
//! not depend on the order of sums or the number of threads.

use crate::error::{Error, Result};
use crate::flow::Adjacency;
use crate::flow::adjacency::check_size;

/// The largest total supply the engine accepts, in units (2^60; as grams,
/// about 1.15e12 t): sums of capacities then never overflow `i64`.
pub const MAX_TOTAL_UNITS: i64 = 1 << 60;

/// A directed edge of the compact network between two real nodes, with its
/// capacity in units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetEdge {
    /// Tail (compact index).
    pub from: u32,
    /// Head (compact index).
    pub to: u32,
    /// Capacity in units (grams for a chain network; the file's integers for
    /// the peer benchmark's graphs).
    pub capacity: i64,
}

/// A flow network on compact node indices: real nodes `0..n`, a
/// super-source [`FlowNetwork::source`] `= n` and a super-sink
/// [`FlowNetwork::sink`] `= n + 1`, edges between real nodes, supply arcs
/// (source → node), demand arcs (node → sink) and optional node limits.
///
/// Built from integer arrays with [`FlowNetwork::new`] (the crate's
/// `network::ChainNetwork` builds one from a supply chain and wraps it). Solving happens in [`SupplyEngine`](crate::flow::SupplyEngine)
/// and the convenience methods that use it.
#[derive(Debug, Clone)]
pub struct FlowNetwork {
    node_count: usize,
    edges: Vec<NetEdge>,
    supply: Vec<(u32, i64)>,
    demand: Vec<(u32, i64)>,
    limits: Vec<Option<i64>>,
    total_supply: i64,
}

fn negative(field: &'static str, value: i64, whose: String) -> Error {
    Error::OutOfDomain {
        field,
        value: value.to_string(),
        expected: format!("must not be negative ({whose})"),
    }
}

impl FlowNetwork {
    /// A network on `node_count` real nodes from integer arrays: `edges`
    /// between real nodes, `supply` arcs `(node, capacity)` from the
    /// super-source, `demand` arcs `(node, capacity)` into the super-sink.
    /// Nodes have no limit (see [`FlowNetwork::with_node_limits`]).
    /// Self-loops are dropped (they never carry supply); parallel arcs are
    /// kept. O(n + m).
    ///
    /// # Errors
    /// [`Error::IndexOutOfRange`] for a node index `>= node_count`;
    /// [`Error::OutOfDomain`] for a negative capacity;
    /// [`Error::TooLarge`] for more than `u32::MAX / 4` nodes and arcs, a
    /// node count beyond two per arc plus
    /// [`MAX_ISOLATED_NODES`](crate::flow::MAX_ISOLATED_NODES) (checked
    /// before anything is allocated), or a total supply above
    /// [`MAX_TOTAL_UNITS`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::flow::{FlowNetwork, NetEdge};
    /// // 0 → 1 → 2 with capacities 5 and 3; node 0 supplied, node 2 the target.
    /// let e = |from, to, capacity| NetEdge { from, to, capacity };
    /// let net = FlowNetwork::new(3, vec![e(0, 1, 5), e(1, 2, 3)], vec![(0, 10)], vec![(2, 10)])?;
    /// assert_eq!(net.max_flow_value(), 3);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    // Sizes come from the caller: no unchecked arithmetic or indexing.
    #[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    pub fn new(
        node_count: usize,
        edges: Vec<NetEdge>,
        supply: Vec<(u32, i64)>,
        demand: Vec<(u32, i64)>,
    ) -> Result<FlowNetwork> {
        // Arc indices are u32: split arcs, edges, supply and demand arcs and
        // their reverses must all fit. Checked sums: `usize::MAX` nodes must
        // be refused, not wrap.
        let arc_limit = (u32::MAX / 4) as usize;
        let arcs = [edges.len(), supply.len(), demand.len()]
            .into_iter()
            .try_fold(node_count, usize::checked_add)
            .unwrap_or(usize::MAX);
        if arcs > arc_limit {
            return Err(Error::TooLarge {
                what: "flow network (nodes and arcs)",
                size: arcs as u64,
                limit: arc_limit as u64,
            });
        }
        // A node count far beyond what the arcs touch is refused before the
        // per-node arrays are allocated (see `MAX_ISOLATED_NODES`).
        check_size(
            "flow network node count",
            node_count,
            arcs.saturating_sub(node_count),
        )?;
        let in_range = |v: u32, what: &'static str| {
            if (v as usize) < node_count {
                Ok(())
            } else {
                Err(Error::IndexOutOfRange {
                    what,
                    index: u64::from(v),
                    len: node_count as u64,
                })
            }
        };
        for (i, e) in edges.iter().enumerate() {
            in_range(e.from, "edge tail")?;
            in_range(e.to, "edge head")?;
            if e.capacity < 0 {
                return Err(negative("edge capacity", e.capacity, format!("edge {i}")));
            }
        }
        let mut total: i64 = 0;
        for &(v, c) in &supply {
            in_range(v, "supply node")?;
            if c < 0 {
                return Err(negative("supply capacity", c, format!("node {v}")));
            }
            total = total.saturating_add(c);
            if total > MAX_TOTAL_UNITS {
                return Err(Error::TooLarge {
                    what: "total supply in units",
                    size: total as u64,
                    limit: MAX_TOTAL_UNITS as u64,
                });
            }
        }
        for &(v, c) in &demand {
            in_range(v, "demand node")?;
            if c < 0 {
                return Err(negative("demand capacity", c, format!("node {v}")));
            }
        }
        let edges = edges.into_iter().filter(|e| e.from != e.to).collect();
        Ok(FlowNetwork {
            node_count,
            edges,
            supply,
            demand,
            limits: vec![None; node_count],
            total_supply: total,
        })
    }

    /// Sets the node limits (`None` = unbounded), one per real node. O(n).
    ///
    /// # Errors
    /// [`Error::OutOfDomain`] when the length is not the node count or a
    /// limit is negative.
    pub fn with_node_limits(mut self, limits: Vec<Option<i64>>) -> Result<FlowNetwork> {
        if limits.len() != self.node_count {
            return Err(Error::OutOfDomain {
                field: "node limits",
                value: format!("{} limits", limits.len()),
                expected: format!("one per node ({})", self.node_count),
            });
        }
        if let Some((i, l)) = limits
            .iter()
            .enumerate()
            .find_map(|(i, l)| l.filter(|x| *x < 0).map(|x| (i, x)))
        {
            return Err(negative("node limit", l, format!("node {i}")));
        }
        self.limits = limits;
        Ok(self)
    }

    /// Number of real nodes (the super-source and super-sink excluded).
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// The super-source's compact index (`node_count()`).
    pub fn source(&self) -> u32 {
        self.node_count as u32
    }

    /// The super-sink's compact index (`node_count() + 1`).
    pub fn sink(&self) -> u32 {
        self.node_count as u32 + 1
    }

    /// The edges between real nodes.
    pub fn edges(&self) -> &[NetEdge] {
        &self.edges
    }

    /// The supply arcs `(node, capacity)` from the super-source.
    pub fn supply(&self) -> &[(u32, i64)] {
        &self.supply
    }

    /// The demand arcs `(node, capacity)` into the super-sink: the targets.
    pub fn demand(&self) -> &[(u32, i64)] {
        &self.demand
    }

    /// The limit of a real node (`None`: unbounded or out of range).
    pub fn node_limit(&self, v: u32) -> Option<i64> {
        self.limits.get(v as usize).copied().flatten()
    }

    /// Sum of the supply arcs' capacities: an upper bound of any flow.
    pub fn total_supply(&self) -> i64 {
        self.total_supply
    }

    /// The whole network as an out-adjacency on `node_count() + 2` nodes
    /// (source and sink included), for structural algorithms such as
    /// dominators from the source. Edge ids index the concatenation
    /// `edges()`, then `supply()` arcs, then `demand()` arcs. Arcs of zero
    /// capacity are left out. O(V + E).
    pub fn adjacency(&self) -> Adjacency {
        let (s, t) = (self.source(), self.sink());
        let mut pairs: Vec<(u32, u32)> =
            Vec::with_capacity(self.edges.len() + self.supply.len() + self.demand.len());
        // Keep the id numbering stable: a zero-capacity arc becomes an
        // out-of-range pair that `build` skips.
        let none = u32::MAX;
        pairs.extend(self.edges.iter().map(|e| {
            if e.capacity > 0 {
                (e.from, e.to)
            } else {
                (none, none)
            }
        }));
        pairs.extend(
            self.supply
                .iter()
                .map(|&(v, c)| if c > 0 { (s, v) } else { (none, none) }),
        );
        pairs.extend(
            self.demand
                .iter()
                .map(|&(v, c)| if c > 0 { (v, t) } else { (none, none) }),
        );
        Adjacency::build(self.node_count + 2, &pairs)
    }
}
