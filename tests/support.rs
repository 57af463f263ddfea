//! Builders shared by the test modules: small rare-earth chains by hand.

use critical_minerals::{Country, Flow, Mineral, Node, NodeId, Stage, SupplyChain, Tonnes};

/// Tonnes from a literal the test knows is valid.
pub fn t(x: f64) -> Tonnes {
    Tonnes::new(x).unwrap()
}

/// Adds a rare-earth node, with an output when given.
pub fn node(chain: &mut SupplyChain, c: Country, s: Stage, output: Option<f64>) -> NodeId {
    let mut n = Node::new(c, Mineral::RARE_EARTHS, s);
    if let Some(o) = output {
        n = n.output(t(o));
    }
    chain.add_node(n).unwrap()
}

/// Adds a flow of `x` tonnes.
pub fn flow(chain: &mut SupplyChain, a: NodeId, b: NodeId, x: f64) {
    chain.add_flow(a, b, Flow::new(t(x))).unwrap();
}
