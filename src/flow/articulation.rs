//! Articulation points and bridges of the undirected projection.
//!
//! Network-science measures for analysts used to networkx or igraph: forget
//! edge directions, collapse parallel and reciprocal edges, drop self-loops,
//! and ask which single node (articulation point) or single link (bridge)
//! splits a connected part of the chain in two. Unlike dominators they
//! ignore which way material flows, so they flag structural fragility
//! rather than supply loss.
//!
//! Hopcroft–Tarjan low-link on one iterative depth-first search: O(V + E)
//! time and memory, no recursion.

use crate::error::Result;
use crate::flow::Adjacency;
use crate::flow::adjacency::check_size;

const NONE: u32 = u32::MAX;

/// The simple undirected projection of a directed edge list: every edge
/// `u → v` becomes `{u, v}`; parallel and reciprocal edges are collapsed,
/// self-loops dropped, and edges naming a node `>= n` skipped.
///
/// Build it once to run both [`UndirectedGraph::articulation_points`] and
/// [`UndirectedGraph::bridges`] (or [`UndirectedGraph::cuts`]) without
/// projecting twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndirectedGraph {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

/// The articulation points and bridges of an undirected graph, as computed
/// by [`UndirectedGraph::cuts`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cuts {
    /// Nodes whose removal increases the number of connected components,
    /// ascending.
    pub articulation_points: Vec<u32>,
    /// Edges whose removal increases the number of connected components,
    /// each as `(smaller id, larger id)`, ascending.
    pub bridges: Vec<(u32, u32)>,
}

impl UndirectedGraph {
    /// Projects `n` nodes and directed `edges` onto a simple undirected
    /// graph. O(V + E).
    ///
    /// # Panics
    /// When [`UndirectedGraph::try_from_edges`] refuses the sizes.
    pub fn from_edges(n: usize, edges: &[(u32, u32)]) -> UndirectedGraph {
        match UndirectedGraph::try_from_edges(n, edges) {
            Ok(g) => g,
            Err(e) => panic!("UndirectedGraph::from_edges: {e}"),
        }
    }

    /// [`UndirectedGraph::from_edges`], refusing sizes before allocating.
    ///
    /// # Errors
    /// [`Error::TooLarge`](crate::Error::TooLarge) under the engine's size
    /// rule (see [`Adjacency::try_from_edges`]); each directed edge is two
    /// undirected slots, so at most `u32::MAX / 2` edges.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::flow::UndirectedGraph;
    /// assert!(UndirectedGraph::try_from_edges(usize::MAX, &[]).is_err());
    /// assert_eq!(UndirectedGraph::try_from_edges(3, &[(0, 1), (1, 2)])?.articulation_points(), vec![1]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    // Sizes come from the caller: no unchecked arithmetic or indexing.
    #[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    pub fn try_from_edges(n: usize, edges: &[(u32, u32)]) -> Result<UndirectedGraph> {
        check_size("node count", n, edges.len().saturating_mul(2))?;
        Ok(UndirectedGraph::build(n, edges))
    }

    pub(crate) fn build(n: usize, edges: &[(u32, u32)]) -> UndirectedGraph {
        let ok = |&(u, v): &(u32, u32)| u != v && (u as usize) < n && (v as usize) < n;
        let mut offsets = vec![0u32; n + 1];
        for &(u, v) in edges.iter().filter(|e| ok(e)) {
            offsets[u as usize + 1] += 1;
            offsets[v as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut raw = vec![0u32; offsets[n] as usize];
        for &(u, v) in edges.iter().filter(|e| ok(e)) {
            raw[fill[u as usize] as usize] = v;
            fill[u as usize] += 1;
            raw[fill[v as usize] as usize] = u;
            fill[v as usize] += 1;
        }
        // Deduplicate each list in place with a "last seen from" marker:
        // linear, unlike sorting every list.
        let mut seen = vec![NONE; n];
        let mut targets = Vec::with_capacity(raw.len());
        let mut new_offsets = vec![0u32; n + 1];
        for v in 0..n {
            for &w in &raw[offsets[v] as usize..offsets[v + 1] as usize] {
                if seen[w as usize] != v as u32 {
                    seen[w as usize] = v as u32;
                    targets.push(w);
                }
            }
            new_offsets[v + 1] = targets.len() as u32;
        }
        UndirectedGraph {
            offsets: new_offsets,
            targets,
        }
    }

    /// Projects a directed [`Adjacency`]. O(V + E).
    pub fn from_adjacency(graph: &Adjacency) -> UndirectedGraph {
        let mut edges = Vec::with_capacity(graph.edge_count());
        for v in 0..graph.node_count() as u32 {
            edges.extend(graph.neighbors(v).iter().map(|&w| (v, w)));
        }
        // An adjacency's sizes were checked when it was built.
        UndirectedGraph::build(graph.node_count(), &edges)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of (undirected, distinct) edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Neighbours of `v`, each once. Empty for an id out of range.
    pub fn neighbors(&self, v: u32) -> &[u32] {
        let v = v as usize;
        match (self.offsets.get(v), self.offsets.get(v + 1)) {
            (Some(&a), Some(&b)) => &self.targets[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Articulation points and bridges in one pass. O(V + E), iterative.
    ///
    /// # Example
    /// ```
    /// use critical_minerals::flow::UndirectedGraph;
    /// // Two triangles joined by the link 2–3: nodes 2 and 3 are
    /// // articulation points and 2–3 is the only bridge.
    /// let g = UndirectedGraph::from_edges(6, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3)]);
    /// let cuts = g.cuts();
    /// assert_eq!(cuts.articulation_points, vec![2, 3]);
    /// assert_eq!(cuts.bridges, vec![(2, 3)]);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn cuts(&self) -> Cuts {
        self.search(true)
    }

    /// Articulation points only, ascending. O(V + E), iterative.
    pub fn articulation_points(&self) -> Vec<u32> {
        self.search(false).articulation_points
    }

    /// Bridges only, each `(smaller, larger)`, ascending. O(V + E).
    pub fn bridges(&self) -> Vec<(u32, u32)> {
        self.search(true).bridges
    }

    fn search(&self, want_bridges: bool) -> Cuts {
        let n = self.node_count();
        let mut disc = vec![NONE; n];
        let mut low = vec![0u32; n];
        let mut is_ap = vec![false; n];
        let mut bridges = Vec::new();
        // Stack of (node, parent, next neighbour slot).
        let mut stack: Vec<(u32, u32, u32)> = Vec::new();
        let mut time = 0u32;
        for r in 0..n as u32 {
            if disc[r as usize] != NONE || self.offsets[r as usize] == self.offsets[r as usize + 1]
            {
                continue;
            }
            disc[r as usize] = time;
            low[r as usize] = time;
            time += 1;
            let mut root_children = 0u32;
            stack.push((r, NONE, self.offsets[r as usize]));
            while let Some(top) = stack.last_mut() {
                let (v, p, slot) = *top;
                if slot < self.offsets[v as usize + 1] {
                    top.2 += 1;
                    let w = self.targets[slot as usize];
                    let dw = disc[w as usize];
                    if dw == NONE {
                        disc[w as usize] = time;
                        low[w as usize] = time;
                        time += 1;
                        if v == r {
                            root_children += 1;
                        }
                        stack.push((w, v, self.offsets[w as usize]));
                    } else if w != p && dw < low[v as usize] {
                        // The projection is simple, so the parent appears
                        // once in v's list and skipping it skips exactly the
                        // tree edge.
                        low[v as usize] = dw;
                    }
                } else {
                    stack.pop();
                    if p != NONE {
                        let lv = low[v as usize];
                        if lv < low[p as usize] {
                            low[p as usize] = lv;
                        }
                        if p != r && lv >= disc[p as usize] {
                            is_ap[p as usize] = true;
                        }
                        if want_bridges && lv > disc[p as usize] {
                            bridges.push((p.min(v), p.max(v)));
                        }
                    }
                }
            }
            if root_children >= 2 {
                is_ap[r as usize] = true;
            }
        }
        bridges.sort_unstable();
        Cuts {
            articulation_points: (0..n as u32).filter(|&v| is_ap[v as usize]).collect(),
            bridges,
        }
    }
}

/// Articulation points of the simple undirected projection of `n` nodes and
/// directed `edges`, ascending: the nodes whose removal splits a connected
/// part of the graph. O(V + E), iterative.
///
/// # Example
/// ```
/// use critical_minerals::flow::articulation_points;
/// // A chain 0 → 1 → 2 (plus the reciprocal 2 → 1, collapsed): 1 splits it.
/// assert_eq!(articulation_points(3, &[(0, 1), (1, 2), (2, 1)]), vec![1]);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
///
/// # Panics
/// When [`UndirectedGraph::try_from_edges`] refuses the sizes.
pub fn articulation_points(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
    UndirectedGraph::from_edges(n, edges).articulation_points()
}

/// Bridges of the simple undirected projection of `n` nodes and directed
/// `edges`, each `(smaller id, larger id)`, ascending. O(V + E), iterative.
///
/// # Example
/// ```
/// use critical_minerals::flow::bridges;
/// // Triangle 0-1-2 with a tail 2 → 3: only the tail is a bridge.
/// assert_eq!(bridges(4, &[(0, 1), (1, 2), (2, 0), (2, 3)]), vec![(2, 3)]);
/// # Ok::<(), critical_minerals::Error>(())
/// ```
///
/// # Panics
/// When [`UndirectedGraph::try_from_edges`] refuses the sizes.
pub fn bridges(n: usize, edges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    UndirectedGraph::from_edges(n, edges).bridges()
}
