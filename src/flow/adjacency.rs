//! Compact adjacency (CSR) shared by the graph algorithms.

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
    pub fn from_edges(n: usize, edges: &[(u32, u32)]) -> Adjacency {
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
        let mut out = Adjacency::from_edges(n, &rev);
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
