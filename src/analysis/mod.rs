//! Analyses of a supply chain: bilateral links, import reliance, concentration,
//! geopolitical import risk and upstream origin.
