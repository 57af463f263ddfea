//! GraphML export, for Gephi, Cytoscape, yEd, networkx and igraph.

use std::io::{BufWriter, Write};
use std::path::Path;

use super::util::{float, write_file, writer_error};
use crate::chain::SupplyChain;
use crate::error::Result;

/// Attribute keys: (id, for, name, type).
const KEYS: [(&str, &str, &str, &str); 12] = [
    ("n_label", "node", "label", "string"),
    ("n_country", "node", "country", "string"),
    ("n_mineral", "node", "mineral", "string"),
    ("n_stage", "node", "stage", "string"),
    ("n_output", "node", "output", "double"),
    ("n_capacity", "node", "capacity", "double"),
    ("e_mineral", "edge", "mineral", "string"),
    ("e_tonnes", "edge", "tonnes", "double"),
    ("e_value", "edge", "value_usd", "double"),
    ("e_year", "edge", "year", "int"),
    ("e_status", "edge", "status", "string"),
    ("e_domestic", "edge", "domestic", "boolean"),
];

/// Writes the chain as GraphML: a directed graph whose nodes are the
/// chain's nodes (`id` = `n` + [`NodeId`](crate::NodeId) number) and whose
/// edges are its flows (`id` = `f` + [`FlowId`](crate::FlowId) number),
/// in id order.
///
/// Node attributes: `label` (`MYS/rare-earths/refining`), `country`
/// (alpha-3), `mineral`, `stage`, `output` and `capacity` (tonnes a year).
/// Edge attributes: `mineral`, `tonnes`, `value_usd`, `year`, `status`
/// (`reported`, `estimated`, `withheld`, `modeled`), `domestic`. An
/// attribute with no figure (no output, no value) is left out of that
/// element rather than written as 0. Text is XML-escaped. O(V + E).
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) when writing fails.
///
/// # Example
/// ```
/// use critical_minerals::{Country, Flow, Mineral, Node, Stage, SupplyChain, Tonnes};
/// use critical_minerals::io::write_graphml;
/// let mut chain = SupplyChain::new();
/// let a = chain.add_node(Node::new(Country::AUS, Mineral::LITHIUM, Stage::Extraction))?;
/// let b = chain.add_node(Node::new(Country::CHN, Mineral::LITHIUM, Stage::Refining))?;
/// chain.add_flow(a, b, Flow::new(Tonnes::new(1_500.5)?).year(2023))?;
/// let mut out = Vec::new();
/// write_graphml(&chain, &mut out)?;
/// let xml = String::from_utf8_lossy(&out);
/// assert!(xml.contains(r#"<edge id="f0" source="n0" target="n1">"#));
/// assert!(xml.contains(r#"<data key="e_tonnes">1500.5</data>"#));
/// # Ok::<(), critical_minerals::Error>(())
/// ```
pub fn write_graphml<W: Write>(chain: &SupplyChain, writer: W) -> Result<()> {
    let mut w = BufWriter::new(writer);
    write_all(chain, &mut w).map_err(writer_error)?;
    w.flush().map_err(writer_error)
}

/// Writes the chain as GraphML to a file (see [`write_graphml`]).
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) naming the file when it cannot be
/// created or written.
pub fn write_graphml_file(chain: &SupplyChain, path: impl AsRef<Path>) -> Result<()> {
    write_file(path.as_ref(), |w| write_graphml(chain, w))
}

fn write_all<W: Write>(chain: &SupplyChain, w: &mut W) -> std::io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, on, name, ty) in KEYS {
        writeln!(
            w,
            r#"  <key id="{id}" for="{on}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(w, r#"  <graph id="supply-chain" edgedefault="directed">"#)?;
    for (id, n) in chain.nodes() {
        writeln!(w, r#"    <node id="n{}">"#, id.get())?;
        data(w, "n_label", &escape(&n.key.to_string()))?;
        data(w, "n_country", &escape(n.key.country.alpha3()))?;
        data(w, "n_mineral", &escape(n.key.mineral.as_str()))?;
        data(w, "n_stage", n.key.stage.name())?;
        if let Some(t) = n.output {
            data(w, "n_output", &float(t.get()))?;
        }
        if let Some(t) = n.capacity {
            data(w, "n_capacity", &float(t.get()))?;
        }
        writeln!(w, "    </node>")?;
    }
    for f in chain.flows() {
        writeln!(
            w,
            r#"    <edge id="f{}" source="n{}" target="n{}">"#,
            f.id.get(),
            f.from.get(),
            f.to.get()
        )?;
        data(w, "e_mineral", &escape(f.from_key.mineral.as_str()))?;
        data(w, "e_tonnes", &float(f.flow.tonnes.get()))?;
        if let Some(v) = f.flow.value {
            data(w, "e_value", &float(v.get()))?;
        }
        if let Some(y) = f.flow.year {
            data(w, "e_year", &y.to_string())?;
        }
        data(w, "e_status", &f.flow.provenance.status.to_string())?;
        data(
            w,
            "e_domestic",
            if f.is_domestic() { "true" } else { "false" },
        )?;
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}

fn data<W: Write>(w: &mut W, key: &str, text: &str) -> std::io::Result<()> {
    writeln!(w, r#"      <data key="{key}">{text}</data>"#)
}

/// Escapes text for XML content and attribute values. Characters XML 1.0
/// does not allow at all (most C0 controls) become U+FFFD.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_controls() {
        // Each special character by hand: & < > " ' and a NUL.
        assert_eq!(
            escape("a&b<c>d\"e'f\u{0}"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;f\u{fffd}"
        );
        assert_eq!(escape("plain"), "plain");
    }
}
