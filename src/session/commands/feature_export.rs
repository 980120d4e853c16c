//! `export features`: the feature table as CSV or Parquet, under radnomo's or PyRadiomics's names.

use crate::data::{Column, ColumnValues, Dataset};
use crate::error::{Error, ErrorKind};
use crate::output::{Output, Text};
use crate::session::args::Arguments;
use crate::session::commands::meta::{OVERWRITE, write_file};
use crate::session::context::Context;
use crate::session::files;
use crate::session::spec::{ArgKind, ArgSpec, CommandSpec, Group};
use std::path::Path;

pub const EXPORT_FEATURES: CommandSpec = CommandSpec {
    name: "export features",
    summary: "write the feature table (id and every feature) to CSV or Parquet",
    help: "Writes one row per patient: the id, the cohort and outcome when set, and every feature \
column with the values `extract` computed (z-scoring by `standardize` or `lasso` is undone). The \
format follows the file name: `.csv`, or `.parquet` (one column per variable, numbers as doubles, \
missing values as nulls; the file's metadata records how the features were computed).\n\n\
`names=radnomo` (the default) keeps the session's column names: PyRadiomics's keys \
(`firstorder_Energy`, `shape2D_Perimeter`, `glcm_JointEntropy`), with a suffix where the study's \
convention differs (`firstorder_Variance_n1`, `glcm_JointEntropy_ln`). `names=pyradiomics` writes \
only the columns whose values are PyRadiomics's under the same key, so the file can be diffed \
against PyRadiomics's output directly; the columns it leaves out are listed with the reason.",
    examples: &[
        "export features radnomo-out/features.csv",
        "export features radnomo-out/features.parquet names=pyradiomics",
    ],
    arguments: &[
        ArgSpec::positional("path", ArgKind::Path, "the .csv or .parquet file to write").required(),
        ArgSpec::keyword(
            "names",
            ArgKind::Choice(&["radnomo", "pyradiomics"]),
            "the session's column names, or only PyRadiomics's features under its keys",
        )
        .default("radnomo"),
        OVERWRITE,
    ],
    group: Group::Images,
    replayable: true,
    run: export_features,
};

enum Format {
    Csv,
    Parquet,
}

fn export_features(context: &mut Context<'_>, arguments: &Arguments) -> Result<Output, Error> {
    let path_text = arguments.text("path").unwrap_or_default();
    let data = context.data()?;
    if data.features.is_empty() {
        return Err(Error::new(ErrorKind::NeedsStep {
            missing: "no features yet".into(),
            run: "extract".into(),
        }));
    }
    let lower = path_text.to_ascii_lowercase();
    let format = if lower.ends_with(".csv") {
        Format::Csv
    } else if lower.ends_with(".parquet") {
        Format::Parquet
    } else {
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "`{path_text}`: features are written as CSV or Parquet; name a .csv or \
                     .parquet file"
                ),
            },
            arguments.span("path").unwrap_or(context.span),
        ));
    };
    let pyradiomics_only = arguments.text("names") == Some("pyradiomics");
    let (features, left_out): (Vec<&String>, Vec<&String>) = data
        .features
        .iter()
        .partition(|name| !pyradiomics_only || !data.feature_departures.contains_key(*name));
    let mut columns: Vec<Column> = Vec::new();
    let lesion = data.per_patient.as_ref().map(|(_, column)| column.as_str());
    for role in [
        data.id.as_deref(),
        lesion,
        data.split_column(),
        data.outcome.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        if !columns.iter().any(|c| c.name == role) {
            columns.extend(data.column(role).cloned());
        }
    }
    columns.extend(
        features
            .iter()
            .filter_map(|name| data.column(name))
            .map(|column| unstandardized(data, column)),
    );
    let table = Dataset::new(data.source.clone(), columns);
    let path = Path::new(path_text);
    // Refused before the file is built when it would overwrite a file radnomo did not write.
    let overwrite = arguments.boolean("overwrite").unwrap_or(false);
    files::may_write(path, overwrite)
        .map_err(|e| e.or_at(arguments.span("path").unwrap_or(context.span)))?;
    let bytes = match format {
        Format::Csv => table.to_csv().into_bytes(),
        Format::Parquet => {
            let provenance = context
                .state
                .history
                .iter()
                .rev()
                .find(|entry| entry.text.trim_start().starts_with("extract"))
                .map(|entry| entry.text.clone())
                .unwrap_or_default();
            let mut bytes = Vec::new();
            table
                .write_parquet(&mut bytes, &[("radnomo.extract", provenance)])
                .map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
            bytes
        }
    };
    let written = write_file(context, arguments, &bytes)?;
    let rows = match &data.per_patient {
        Some((patients, _)) => format!(
            "{} lesions of {} patients",
            table.row_count(),
            patients.row_count()
        ),
        None => format!("{} patients", table.row_count()),
    };
    let mut output = Output::item(Text::info(format!(
        "wrote {rows} × {} features to {}{}",
        features.len(),
        path.display(),
        written.note()
    )));
    if !left_out.is_empty() {
        let reasons: Vec<String> = left_out
            .iter()
            .map(|name| format!("`{name}`: {}", data.feature_departures[*name]))
            .collect();
        output.push(Text::info(format!(
            "left out {} columns that are not PyRadiomics's values — {}",
            left_out.len(),
            reasons.join("; ")
        )));
    }
    Ok(output)
}

/// A feature column with the session's z-scoring undone (x = z · sd + mean), so the file holds
/// the values `extract` computed.
fn unstandardized(data: &Dataset, column: &Column) -> Column {
    let scaling = data.standardization.as_ref().and_then(|s| {
        let at = s.columns.iter().position(|c| *c == column.name)?;
        Some((s.means[at], s.standard_deviations[at]))
    });
    match (&column.values, scaling) {
        (ColumnValues::Numeric(values), Some((mean, sd))) => Column::numeric(
            column.name.clone(),
            values.iter().map(|v| v.map(|z| z * sd + mean)).collect(),
        ),
        _ => column.clone(),
    }
}
