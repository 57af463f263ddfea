//! Dispatch to the three propagation models, and what each returns.

use crate::error::Result;
use crate::simulation::Propagation;
use crate::simulation::simulator::{Resolved, Simulator};

/// What a model computes: the supply reaching the target after the shock
/// and, on request, every node's supply after it (tonnes).
#[derive(Debug, Clone, Default)]
pub(crate) struct Effect {
    pub(crate) after: f64,
    /// Per node (base then added), empty unless detail was asked for.
    pub(crate) nodes: Vec<f64>,
}

impl Simulator<'_> {
    pub(crate) fn effect(
        &self,
        r: &Resolved,
        propagation: Propagation,
        detail: bool,
    ) -> Result<Effect> {
        match propagation {
            Propagation::Exposure => Ok(self.exposure(r, detail)),
            Propagation::Cascade => self.cascade(r, detail),
            Propagation::Reroute => self.reroute(r, detail),
        }
    }
}
