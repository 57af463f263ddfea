//! Compact adjacency (CSR) shared by the graph algorithms, and the size
//! rule every engine constructor checks before it allocates.

use crate::error::{Error, Result};

/// The most nodes an engine graph may have: node and arc indices are `u32`,
/// and a flow network needs four arc slots per item.
pub const MAX_NODES: usize = (u32::MAX / 4) as usize;

/// How many nodes a graph may have beyond two per edge: a node count far
/// beyond what the edges touch is more likely a bug or a hostile input
/// than a real graph, and it costs memory before anything is computed
/// (2^22 isolated nodes: some tens of MB of arrays).
pub const MAX_ISOLATED_NODES: usize = 1 << 22;

/// The size rule of the engine's constructors: `n <= MAX_NODES`, at most
/// `u32::MAX` edges, and `n <= 2 * edges + MAX_ISOLATED_NODES` (each edge
/// touches at most two nodes). Checked arithmetic, before any allocation.
// Sizes come from the caller: no unchecked arithmetic or indexing.
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
pub(crate) fn check_size(what: &'static str, n: usize, edges: usize) -> Result<()> {
    let edge_limit = u32::MAX as usize;
    if edges > edge_limit {
        return Err(Error::TooLarge {
            what: "edge count",
            size: edges as u64,
            limit: edge_limit as u64,
        });
    }
    let justified = edges
        .saturating_mul(2)
        .saturating_add(MAX_ISOLATED_NODES)
        .min(MAX_NODES);
    if n > justified {
        return Err(Error::TooLarge {
            what,
            size: n as u64,
            limit: justified as u64,
        });
    }
    Ok(())
}

/// A directed graph on nodes `0..n` in compressed sparse row form: the
/// out-neighbours of `v` are `targets[offsets[v]..offsets[v + 1]]`, and
/// `edge_ids` gives, for each of those slots, the index of the edge in the
/// list the graph was built from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Adjacency {
    offsets: Vec<u32>,
    targets: Vec<u32>,
    edge_ids: Vec<u32>,
}

impl Adjacency {
    /// Builds the out-adjacency of `n` nodes from `(source, target)` pairs.
    /// Within one node, neighbours keep the order of `edges`. Pairs naming a
    /// node `>= n` are skipped. O(n + m).
    ///
    /// # Panics
    /// When [`Adjacency::try_from_edges`] refuses the sizes.
    pub fn from_edges(n: usize, edges: &[(u32, u32)]) -> Adjacency {
        match Adjacency::try_from_edges(n, edges) {
            Ok(g) => g,
            Err(e) => panic!("Adjacency::from_edges: {e}"),
        }
    }

    /// [`Adjacency::from_edges`], refusing sizes before allocating.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `n` exceeds [`MAX_NODES`] or two per edge
    /// plus [`MAX_ISOLATED_NODES`], or there are more than `u32::MAX` edges.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::flow::Adjacency;
    /// assert!(Adjacency::try_from_edges(usize::MAX, &[(0, 1)]).is_err());
    /// let g = Adjacency::try_from_edges(2, &[(0, 1)])?;
    /// assert_eq!(g.neighbors(0), &[1]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    // Sizes come from the caller: no unchecked arithmetic or indexing.
    #[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    pub fn try_from_edges(n: usize, edges: &[(u32, u32)]) -> Result<Adjacency> {
        check_size("node count", n, edges.len())?;
        Ok(Adjacency::build(n, edges))
    }

    /// The CSR build; callers have checked the sizes (or derived them from
    /// a checked graph).
    pub(crate) fn build(n: usize, edges: &[(u32, u32)]) -> Adjacency {
        let mut offsets = vec![0u32; n + 1];
        for &(s, t) in edges {
            if (s as usize) < n && (t as usize) < n {
                offsets[s as usize + 1] += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let m = offsets[n] as usize;
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; m];
        let mut edge_ids = vec![0u32; m];
        for (i, &(s, t)) in edges.iter().enumerate() {
            if (s as usize) < n && (t as usize) < n {
                let slot = fill[s as usize] as usize;
                targets[slot] = t;
                edge_ids[slot] = i as u32;
                fill[s as usize] += 1;
            }
        }
        Adjacency {
            offsets,
            targets,
            edge_ids,
        }
    }

    /// The same graph with every edge reversed (in-adjacency). O(n + m).
    pub fn reversed(&self) -> Adjacency {
        let n = self.node_count();
        let mut rev = Vec::with_capacity(self.targets.len());
        let mut ids = Vec::with_capacity(self.targets.len());
        for v in 0..n {
            let (a, b) = (self.offsets[v] as usize, self.offsets[v + 1] as usize);
            for slot in a..b {
                rev.push((self.targets[slot], v as u32));
                ids.push(self.edge_ids[slot]);
            }
        }
        let mut out = Adjacency::build(n, &rev);
        for id in out.edge_ids.iter_mut() {
            *id = ids[*id as usize];
        }
        out
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// The slot range of `v`'s out-edges; empty for a node not in the graph.
    fn slots(&self, v: u32) -> std::ops::Range<usize> {
        let v = v as usize;
        match (self.offsets.get(v), self.offsets.get(v + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// Out-neighbours of `v` (empty when `v` is not a node of the graph).
    pub fn neighbors(&self, v: u32) -> &[u32] {
        &self.targets[self.slots(v)]
    }

    /// Indices (in the building list) of the edges out of `v`, aligned with
    /// [`Adjacency::neighbors`].
    pub fn edge_ids(&self, v: u32) -> &[u32] {
        &self.edge_ids[self.slots(v)]
    }

    /// Out-degree of `v` (0 when `v` is not a node of the graph).
    pub fn degree(&self, v: u32) -> usize {
        self.slots(v).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_sizes_the_edges_do_not_justify() {
        // usize::MAX would overflow `n + 1`; 2 edges justify at most
        // 4 + MAX_ISOLATED_NODES nodes.
        for n in [usize::MAX, MAX_NODES + 1, 4 + MAX_ISOLATED_NODES + 1] {
            let e = Adjacency::try_from_edges(n, &[(0, 1), (1, 2)]).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::TooLarge {
                        what: "node count",
                        ..
                    }
                ),
                "{e}"
            );
            assert!(e.to_string().contains(&n.to_string()), "{e}");
        }
        assert!(Adjacency::try_from_edges(4 + MAX_ISOLATED_NODES, &[(0, 1), (1, 2)]).is_ok());
    }

    #[test]
    fn builds_and_reverses() {
        // 0→1, 0→2, 2→1: out-lists [1,2], [], [1]; in-lists [], [0,2], [0].
        let g = Adjacency::from_edges(3, &[(0, 1), (0, 2), (2, 1)]);
        assert_eq!(g.neighbors(0), &[1, 2]);
        assert_eq!(g.neighbors(1), &[] as &[u32]);
        assert_eq!(g.edge_ids(2), &[2]);
        let r = g.reversed();
        assert_eq!(r.neighbors(1), &[0, 2]);
        assert_eq!(r.edge_ids(1), &[0, 2]);
        assert_eq!(r.neighbors(2), &[0]);
        assert_eq!(r.edge_count(), 3);
        // A node outside the graph has no neighbours rather than panicking.
        assert_eq!(g.neighbors(5), &[] as &[u32]);
        assert_eq!(g.edge_ids(3), &[] as &[u32]);
        assert_eq!(g.degree(u32::MAX), 0);
    }
}
