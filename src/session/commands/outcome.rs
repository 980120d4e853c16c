//! Which value of a binary outcome is the event — the group every model predicts: named with
//! `event=`, or 1 of 0/1 and TRUE of TRUE/FALSE; never guessed from other codings.

use crate::data::Dataset;
use crate::error::{Error, ErrorKind};
use crate::lang::Span;

/// The outcome value that is the event: the one `event=` names, else 1 of 0/1 or TRUE of
/// TRUE/FALSE. Any other coding (1/2, yes/no, pos/neg) must be named: radnomo does not guess
/// which group a model predicts.
pub(super) fn event_level(
    data: &Dataset,
    outcome: &str,
    outcome_span: Span,
    levels: &[String],
    event: Option<(&str, Span)>,
) -> Result<String, Error> {
    let same = |level: &str, value: &str| {
        level == value
            || level.eq_ignore_ascii_case(value)
            || matches!((level.parse::<f64>(), value.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
    };
    let values = match levels {
        [only] => format!("only `{only}`"),
        _ => format!("`{}` and `{}`", levels[0], levels[1]),
    };
    if let Some((value, span)) = event {
        if let Some(level) = levels.iter().find(|level| same(level, value)) {
            return Ok(level.clone());
        }
        // One value only (a small or one-sided cohort): the event may be the absent one.
        if levels.len() == 1 {
            return Ok(value.to_string());
        }
        return Err(Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "`{value}` is not a value of the outcome `{outcome}`; it has {values}"
                ),
            },
            span,
        ));
    }
    let lower: Vec<String> = levels.iter().map(|l| l.to_ascii_lowercase()).collect();
    let natural = match lower.as_slice() {
        [a, b] if (a == "0" && b == "1") || (a == "false" && b == "true") => {
            Some(levels[1].clone())
        }
        [a] if a == "0" || a == "1" => Some("1".to_string()),
        [a] if a == "true" => Some(levels[0].clone()),
        [a] if a == "false" => Some("TRUE".to_string()),
        _ => None,
    };
    natural.ok_or_else(|| {
        let choices = match levels {
            [only] => format!("`event={}` or `event=VALUE` for the other value", quoted_value(only)),
            _ => format!(
                "`event={}` or `event={}`",
                quoted_value(&levels[1]),
                quoted_value(&levels[0])
            ),
        };
        Error::at(
            ErrorKind::Invalid {
                message: format!(
                    "the outcome `{outcome}` in {} has {}{values}, coded neither 0/1 nor TRUE/FALSE; say which is the event (the group models predict): {choices}",
                    data.source,
                    if levels.len() == 2 { "the values " } else { "" },
                ),
            },
            outcome_span,
        )
    })
}

/// A value as it is typed in an argument: in quotes unless it is one plain word or number.
fn quoted_value(value: &str) -> String {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        value.to_string()
    } else {
        format!("{value:?}")
    }
}
