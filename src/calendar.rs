//! Civil dates and times from seconds since the Unix epoch (UTC), for time stamps radnomo writes:
//! Jupyter message headers and the content date of exported DICOM objects.
//!
//! # References
//! H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (`civil_from_days`).

/// A UTC date and time: year, month, day, hour, minute, second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl Civil {
    /// The UTC date and time `seconds` after 1970-01-01T00:00:00Z.
    pub fn from_unix(seconds: i64) -> Civil {
        let days = seconds.div_euclid(86_400);
        let rest = seconds.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        Civil {
            year: year_of_era + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: rest / 3600,
            minute: rest % 3600 / 60,
            second: rest % 60,
        }
    }

    /// Now, from the system clock (native frontends; the epoch if the clock is before it).
    pub fn now() -> (Civil, u32) {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        (
            Civil::from_unix(since.as_secs() as i64),
            since.subsec_micros(),
        )
    }

    /// DICOM DA and TM values: `YYYYMMDD`, `HHMMSS`.
    pub fn dicom(&self) -> (String, String) {
        (
            format!("{:04}{:02}{:02}", self.year, self.month, self.day),
            format!("{:02}{:02}{:02}", self.hour, self.minute, self.second),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let c = Civil::from_unix(0);
        assert_eq!((c.year, c.month, c.day, c.hour), (1970, 1, 1, 0));
        // 2000-02-29T12:34:56Z, a leap day in a year divisible by 400.
        let c = Civil::from_unix(951_827_696);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.second),
            (2000, 2, 29, 12, 34, 56)
        );
        assert_eq!(c.dicom(), ("20000229".to_string(), "123456".to_string()));
        let c = Civil::from_unix(-1);
        assert_eq!((c.year, c.month, c.day, c.second), (1969, 12, 31, 59));
    }
}
