//! Data in and out: CSV, BACI and UN Comtrade trade files, GraphML and Graphviz DOT.
