//! A table written as Parquet: one row group, a column per variable, numbers as optional
//! doubles and categories as optional UTF-8 strings (missing values are nulls), readable by
//! pandas, pyarrow, polars, R's arrow and DuckDB alike.

use super::{ColumnValues, Dataset};
use parquet::basic::{LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType};
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::Write;
use std::sync::Arc;

impl Dataset {
    /// Writes the table to `sink` as a Parquet file, with `metadata` as the file's key–value
    /// metadata (for example how the columns were computed).
    pub fn write_parquet<W: Write + Send>(
        &self,
        sink: W,
        metadata: &[(&str, String)],
    ) -> Result<(), ParquetError> {
        let fields = self
            .columns
            .iter()
            .map(|column| {
                let builder = match &column.values {
                    ColumnValues::Numeric(_) => {
                        Type::primitive_type_builder(&column.name, PhysicalType::DOUBLE)
                    }
                    ColumnValues::Categorical { .. } => {
                        Type::primitive_type_builder(&column.name, PhysicalType::BYTE_ARRAY)
                            .with_logical_type(Some(LogicalType::String))
                    }
                };
                Ok(Arc::new(
                    builder.with_repetition(Repetition::OPTIONAL).build()?,
                ))
            })
            .collect::<Result<Vec<_>, ParquetError>>()?;
        let schema = Type::group_type_builder("radnomo")
            .with_fields(fields)
            .build()?;
        let properties = WriterProperties::builder()
            .set_created_by(format!("radnomo {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(
                metadata
                    .iter()
                    .map(|(key, value)| KeyValue::new(key.to_string(), value.clone()))
                    .collect(),
            ))
            .build();
        let mut writer = SerializedFileWriter::new(sink, Arc::new(schema), Arc::new(properties))?;
        let mut group = writer.next_row_group()?;
        for (index, column) in self.columns.iter().enumerate() {
            let mut out = group.next_column()?.ok_or_else(|| {
                ParquetError::General(format!("no writer for column {index} ({})", column.name))
            })?;
            let defined: Vec<i16> = (0..self.row_count())
                .map(|row| i16::from(!column.is_missing(row)))
                .collect();
            match &column.values {
                ColumnValues::Numeric(values) => {
                    let present: Vec<f64> = values.iter().flatten().copied().collect();
                    out.typed::<DoubleType>()
                        .write_batch(&present, Some(&defined), None)?;
                }
                ColumnValues::Categorical { .. } => {
                    let present: Vec<ByteArray> = (0..self.row_count())
                        .filter_map(|row| column.text(row))
                        .map(|text| ByteArray::from(text.as_str()))
                        .collect();
                    out.typed::<ByteArrayType>()
                        .write_batch(&present, Some(&defined), None)?;
                }
            }
            out.close()?;
        }
        group.close()?;
        writer.close()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Column;
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    #[test]
    fn numbers_texts_and_gaps_read_back() {
        let data = Dataset::new(
            "test",
            vec![
                Column::categorical("id", &[Some("P001".into()), None, Some("P003".into())]),
                Column::numeric("glcm_Contrast", vec![Some(1.5), None, Some(-2.25e-7)]),
            ],
        );
        let path = std::env::temp_dir().join(format!("radnomo-{}.parquet", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        data.write_parquet(file, &[("radnomo.extract", "bins=32".into())])
            .unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        std::fs::remove_file(&path).unwrap();
        let metadata = reader.metadata().file_metadata();
        assert_eq!(metadata.num_rows(), 3);
        let kv = metadata.key_value_metadata().unwrap();
        assert_eq!(kv[0].key, "radnomo.extract");
        let rows: Vec<Vec<Field>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|row| {
                row.unwrap()
                    .into_columns()
                    .into_iter()
                    .map(|(_, f)| f)
                    .collect()
            })
            .collect();
        assert_eq!(rows[0][0], Field::Str("P001".into()));
        assert_eq!(rows[1][0], Field::Null);
        assert_eq!(rows[1][1], Field::Null);
        assert_eq!(rows[2][1], Field::Double(-2.25e-7));
    }
}
