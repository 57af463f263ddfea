//! A readable, plain-text rendering of a chain.

use std::fmt;

use super::SupplyChain;
use crate::model::group_thousands;

fn tonnes_cell(t: Option<crate::Tonnes>) -> String {
    t.map_or_else(|| "-".to_string(), |t| group_thousands(t.get(), 0))
}

impl fmt::Display for SupplyChain {
    /// Prints the nodes (sorted by mineral, stage, country), the flows
    /// (in id order), the agreements and the restrictions as plain tables.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "supply chain: {} nodes, {} flows, {} agreements, {} restrictions",
            self.node_count(),
            self.flow_count(),
            self.agreements.len(),
            self.restrictions.len()
        )?;
        let mut nodes: Vec<_> = self.nodes().collect();
        nodes.sort_by(|a, b| {
            (&a.1.key.mineral, a.1.key.stage, a.1.key.country).cmp(&(
                &b.1.key.mineral,
                b.1.key.stage,
                b.1.key.country,
            ))
        });
        if !nodes.is_empty() {
            writeln!(f, "\nnodes")?;
            writeln!(
                f,
                "  {:<5} {:<16} {:<14} {:>15} {:>15}  country",
                "id", "mineral", "stage", "output (t)", "capacity (t)"
            )?;
            for (id, n) in nodes {
                writeln!(
                    f,
                    "  {:<5} {:<16} {:<14} {:>15} {:>15}  {} ({})",
                    id.to_string(),
                    n.key.mineral,
                    n.key.stage,
                    tonnes_cell(n.output),
                    tonnes_cell(n.capacity),
                    n.key.country,
                    n.key.country.name()
                )?;
            }
        }
        if self.flow_count() > 0 {
            writeln!(f, "\nflows")?;
            writeln!(
                f,
                "  {:<5} {:<34} {:<34} {:>12}  status",
                "id", "from", "to", "tonnes"
            )?;
            for fl in self.flows() {
                writeln!(
                    f,
                    "  {:<5} {:<34} {:<34} {:>12}  {}",
                    fl.id.to_string(),
                    fl.from_key.to_string(),
                    fl.to_key.to_string(),
                    group_thousands(fl.flow.tonnes.get(), 0),
                    fl.flow.provenance.status
                )?;
            }
        }
        if !self.agreements.is_empty() {
            writeln!(f, "\nagreements")?;
            for a in self.agreements() {
                let parties: Vec<String> = a.parties.iter().map(|c| c.to_string()).collect();
                writeln!(
                    f,
                    "  {:<40} {:?}, {:?}, parties {}, signed {}",
                    a.id,
                    a.kind,
                    a.binding,
                    parties.join("+"),
                    a.signed.map_or_else(|| "?".to_string(), |d| d.to_string())
                )?;
            }
        }
        if !self.restrictions.is_empty() {
            writeln!(f, "\nrestrictions")?;
            for r in self.restrictions() {
                writeln!(
                    f,
                    "  {:<40} {} {:?}, effective {}",
                    r.id,
                    r.imposer,
                    r.kind,
                    r.effective
                        .or(r.announced)
                        .map_or_else(|| "?".to_string(), |d| d.to_string())
                )?;
            }
        }
        Ok(())
    }
}
