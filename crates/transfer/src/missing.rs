//! The codes of a Google Authenticator export an import was not given.
//!
//! Google splits a large export over several QR codes sharing a batch id (formats.md §4). An
//! import takes the accounts of the codes it has and names the others, so the user can import
//! them later (the same-account rule keeps a code imported twice from adding its accounts
//! twice); it never refuses the codes it has.

use std::fmt;

use tessera_core::migration::{self, BatchInfo};

/// The codes of one export that were not in the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCodes {
    /// The export's batch id, shared by all its codes.
    pub batch_id: i32,
    /// How many codes the export has.
    pub size: i32,
    /// 1-based numbers of the codes not given, ascending (what Google's screen shows as
    /// "n of size").
    pub numbers: Vec<i32>,
}

impl MissingCodes {
    /// For each export some of whose codes were read, the codes that were not; exports read
    /// whole are left out. `codes` are the batch fields of every migration payload read (from
    /// a file, or the codes a QR scan collected: `MigrationCollector::codes`).
    pub fn of(codes: &[BatchInfo]) -> Vec<Self> {
        migration::missing_indices(codes)
            .into_iter()
            .filter(|(_, indices)| !indices.is_empty())
            .map(|(batch_id, indices)| Self {
                batch_id,
                size: codes
                    .iter()
                    .filter(|info| info.id == batch_id)
                    .map(|info| info.size)
                    .max()
                    .unwrap_or(0),
                numbers: indices.iter().map(|index| index + 1).collect(),
            })
            .collect()
    }
}

impl fmt::Display for MissingCodes {
    /// "codes 2 and 3 of 3 of a Google Authenticator export were not given: their accounts are
    /// not in this import; import them too, now or later". True whether or not they were
    /// imported before: an import cannot tell which accounts a code it was not given holds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (last, first) = self
            .numbers
            .split_last()
            .map_or((0, &[][..]), |(last, first)| (*last, first));
        let size = self.size;
        if first.is_empty() {
            return write!(
                f,
                "code {last} of {size} of a Google Authenticator export was not given: its \
                 accounts are not in this import; import it too, now or later"
            );
        }
        let first: Vec<String> = first.iter().map(i32::to_string).collect();
        write!(
            f,
            "codes {} and {last} of {size} of a Google Authenticator export were not given: \
             their accounts are not in this import; import them too, now or later",
            first.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(id: i32, index: i32, size: i32) -> BatchInfo {
        BatchInfo {
            version: 1,
            size,
            index,
            id,
        }
    }

    #[test]
    fn names_the_codes_not_given_per_export() {
        let codes = [
            code(7, 0, 3),
            code(-2, 1, 4),
            // old single-code exports leave the batch fields out (zeros): never missing
            code(0, 0, 0),
            code(9, 0, 1),
            // the same code twice counts once
            code(7, 0, 3),
        ];
        let missing = MissingCodes::of(&codes);
        assert_eq!(
            missing,
            [
                MissingCodes {
                    batch_id: -2,
                    size: 4,
                    numbers: vec![1, 3, 4]
                },
                MissingCodes {
                    batch_id: 7,
                    size: 3,
                    numbers: vec![2, 3]
                },
            ]
        );
        assert_eq!(
            missing[1].to_string(),
            "codes 2 and 3 of 3 of a Google Authenticator export were not given: their \
             accounts are not in this import; import them too, now or later"
        );
        assert!(missing[0].to_string().starts_with("codes 1, 3 and 4 of 4 "));
        let one = MissingCodes::of(&[code(5, 0, 2)]);
        assert_eq!(
            one[0].to_string(),
            "code 2 of 2 of a Google Authenticator export was not given: its accounts are not \
             in this import; import it too, now or later"
        );
        assert!(MissingCodes::of(&[code(7, 0, 3), code(7, 2, 3), code(7, 1, 3)]).is_empty());
    }
}
