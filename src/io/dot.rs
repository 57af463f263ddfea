//! Graphviz DOT export.

use std::io::{BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::util::{write_file, writer_error};
use crate::chain::SupplyChain;
use crate::error::Result;
use crate::model::Stage;

/// Options of [`write_dot`].
///
/// Defaults: graph name `supply_chain`, left-to-right layout, edge widths
/// from 1 to 8 points.
///
/// # Example
/// ```
/// use critical_minerals::io::DotOptions;
/// let opts = DotOptions::new().title("Rare earths, 2024").max_penwidth(12.0).left_to_right(false);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DotOptions {
    /// A title printed above the graph; `None` for none (the default).
    pub title: Option<String>,
    /// The width of the largest flow's edge, in points (default 8; the
    /// smallest flows get 1). A value below 1 or not finite is taken as 1.
    pub max_penwidth: f64,
    /// Stages as columns from left to right (the default); `false` for
    /// rows from top to bottom.
    pub left_to_right: bool,
}

impl Default for DotOptions {
    fn default() -> DotOptions {
        DotOptions {
            title: None,
            max_penwidth: 8.0,
            left_to_right: true,
        }
    }
}

impl DotOptions {
    /// The defaults.
    pub fn new() -> DotOptions {
        DotOptions::default()
    }

    /// Sets the title printed above the graph.
    pub fn title(mut self, title: impl Into<String>) -> DotOptions {
        self.title = Some(title.into());
        self
    }

    /// Sets the width of the largest flow's edge, in points.
    pub fn max_penwidth(mut self, width: f64) -> DotOptions {
        self.max_penwidth = width;
        self
    }

    /// Sets whether stages run left to right (`true`) or top to bottom.
    pub fn left_to_right(mut self, left_to_right: bool) -> DotOptions {
        self.left_to_right = left_to_right;
        self
    }
}

/// Writes the chain as a Graphviz DOT digraph.
///
/// Each stage is a rank (`{ rank=same; ... }`), so stages line up in chain
/// order (left to right by default); nodes are boxes labelled with country,
/// mineral and stage (and output when known); edges are labelled with their
/// tonnes, and their width grows linearly with tonnes from 1 point to
/// [`DotOptions::max_penwidth`] for the largest flow. Domestic flows are
/// dashed. Strings are quoted and escaped. O(V + E).
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) when writing fails.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
/// use critical_minerals::io::{DotOptions, write_dot};
/// let mut chain = SupplyChain::new();
/// let a = chain.add_node(Node::new(Country::AUS, Mineral::LITHIUM, Stage::Extraction))?;
/// let b = chain.add_node(Node::new(Country::CHN, Mineral::LITHIUM, Stage::Refining))?;
/// chain.add_flow(a, b, Flow::new(Tonnes::new(250_000.0)?))?;
/// let mut out = Vec::new();
/// write_dot(&chain, &mut out, &DotOptions::new())?;
/// let dot = String::from_utf8_lossy(&out);
/// assert!(dot.contains("rank=same"));
/// assert!(dot.contains(r#"n0 -> n1 [label="250,000 t", penwidth=8"#));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn write_dot<W: Write>(chain: &SupplyChain, writer: W, options: &DotOptions) -> Result<()> {
    let mut w = BufWriter::new(writer);
    write_all(chain, &mut w, options).map_err(writer_error)?;
    w.flush().map_err(writer_error)
}

/// Writes the chain as DOT to a file (see [`write_dot`]).
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) naming the file when it cannot be
/// created or written.
pub fn write_dot_file(
    chain: &SupplyChain,
    path: impl AsRef<Path>,
    options: &DotOptions,
) -> Result<()> {
    write_file(path.as_ref(), |w| write_dot(chain, w, options))
}

fn write_all<W: Write>(chain: &SupplyChain, w: &mut W, o: &DotOptions) -> std::io::Result<()> {
    writeln!(w, "digraph supply_chain {{")?;
    writeln!(
        w,
        "  rankdir={};",
        if o.left_to_right { "LR" } else { "TB" }
    )?;
    if let Some(t) = &o.title {
        writeln!(w, "  label={}; labelloc=t;", quote(t))?;
    }
    writeln!(w, "  node [shape=box, style=rounded];")?;
    for stage in Stage::ALL {
        let mut members = chain.nodes_at_stage(stage).peekable();
        if members.peek().is_none() {
            continue;
        }
        writeln!(w, "  subgraph stage_{} {{", stage.name())?;
        writeln!(w, "    rank=same;")?;
        for (id, n) in members {
            let mut label = format!("{}\n{}\n{}", n.key.country, n.key.mineral, n.key.stage);
            if let Some(t) = n.output {
                label.push_str(&format!("\noutput {t}"));
            }
            writeln!(w, "    n{} [label={}];", id.get(), quote(&label))?;
        }
        writeln!(w, "  }}")?;
    }
    let max = chain
        .flows()
        .map(|f| f.flow.tonnes.get())
        .fold(0.0_f64, f64::max);
    // The field is public, so its documented floor is applied here.
    let max_penwidth = if o.max_penwidth.is_finite() {
        o.max_penwidth.max(1.0)
    } else {
        1.0
    };
    for f in chain.flows() {
        let t = f.flow.tonnes.get();
        let width = if max > 0.0 {
            1.0 + (max_penwidth - 1.0) * t / max
        } else {
            1.0
        };
        let style = if f.is_domestic() {
            ", style=dashed"
        } else {
            ""
        };
        writeln!(
            w,
            "  n{} -> n{} [label={}, penwidth={}{style}];",
            f.from.get(),
            f.to.get(),
            quote(&f.flow.tonnes.to_string()),
            (width * 100.0).round() / 100.0
        )?;
    }
    writeln!(w, "}}")
}

/// A DOT double-quoted string: backslashes and quotes escaped, line breaks
/// as DOT's centred `\n`, other control characters dropped.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting() {
        // A quote, a backslash and a newline, escaped by hand.
        assert_eq!(quote("a\"b\\c\nd\u{7}"), r#""a\"b\\c\nd""#);
    }
}
