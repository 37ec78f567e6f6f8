//! Gathers the QR codes of a Google Authenticator export, which large exports split over several
//! codes sharing a batch id, and says which ones are still missing.

use std::collections::BTreeMap;

use tessera_core::migration::{self, BatchInfo, MigrationBatch};

/// What [`MigrationCollector::add`] did with a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Added {
    /// The same code was scanned before (same id and index); the new copy was dropped.
    Duplicate,
    /// A code not seen before.
    New,
}

/// Why a batch does not fit the export it claims to belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CollectError {
    /// The index is negative or not below the batch size.
    #[error("code {index} does not exist in an export of {size} codes")]
    IndexOutOfRange {
        /// Index claimed by the code.
        index: i32,
        /// Size claimed by the code.
        size: i32,
    },
    /// Another code of the same export claimed a different number of codes.
    #[error("the export's codes disagree on how many codes there are ({expected} and {found})")]
    SizeMismatch {
        /// Size of the codes collected before.
        expected: i32,
        /// Size of this code.
        found: i32,
    },
}

tessera_core::error_codes!(pub CollectError {
    IndexOutOfRange => "migration_index_out_of_range",
    SizeMismatch => "migration_size_mismatch",
});

/// The batches of one or more exports, scanned in any order, possibly more than once.
#[derive(Debug, Default)]
pub struct MigrationCollector {
    /// Batch id → (index → batch).
    exports: BTreeMap<i32, BTreeMap<i32, MigrationBatch>>,
}

impl MigrationCollector {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a scanned batch. Old exports omit the batch fields (all zero): such a code is an
    /// export of its own, of one code.
    pub fn add(&mut self, batch: MigrationBatch) -> Result<Added, CollectError> {
        let info = normalised(batch.info);
        if info.index < 0 || info.index >= info.size {
            return Err(CollectError::IndexOutOfRange {
                index: info.index,
                size: info.size,
            });
        }
        let export = self.exports.entry(info.id).or_default();
        if let Some(other) = export.values().next() {
            let expected = normalised(other.info).size;
            if expected != info.size {
                return Err(CollectError::SizeMismatch {
                    expected,
                    found: info.size,
                });
            }
        }
        if export.contains_key(&info.index) {
            return Ok(Added::Duplicate);
        }
        export.insert(info.index, batch);
        Ok(Added::New)
    }

    /// For each export seen, the 0-based indices of the codes not scanned yet (empty when the
    /// export is complete).
    pub fn missing(&self) -> BTreeMap<i32, Vec<i32>> {
        migration::missing_indices(&self.codes())
    }

    /// The batch fields of every code collected, once each (an old export's zero size read as
    /// one code): what `tessera_transfer::MissingCodes::of` names the missing codes from, as an
    /// import does for the codes of a file.
    pub fn codes(&self) -> Vec<BatchInfo> {
        self.exports
            .values()
            .flat_map(BTreeMap::values)
            .map(|batch| normalised(batch.info))
            .collect()
    }

    /// Whether at least one code was added and every export seen is complete.
    pub fn is_complete(&self) -> bool {
        !self.exports.is_empty() && self.missing().values().all(Vec::is_empty)
    }

    /// Number of codes collected.
    pub fn len(&self) -> usize {
        self.exports.values().map(BTreeMap::len).sum()
    }

    /// Whether nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.exports.is_empty()
    }

    /// The collected batches, by export id and then by index (the accounts in export order).
    pub fn into_batches(self) -> Vec<MigrationBatch> {
        self.exports
            .into_values()
            .flat_map(BTreeMap::into_values)
            .collect()
    }
}

/// proto3 leaves zeros out: a size of 0 means a single-code export.
fn normalised(info: BatchInfo) -> BatchInfo {
    BatchInfo {
        size: info.size.max(1),
        ..info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(id: i32, index: i32, size: i32) -> MigrationBatch {
        MigrationBatch {
            info: BatchInfo {
                version: 1,
                size,
                index,
                id,
            },
            entries: Vec::new(),
            rejected: Vec::new(),
        }
    }

    #[test]
    fn says_which_codes_are_missing() {
        let mut collector = MigrationCollector::new();
        assert!(!collector.is_complete());
        assert_eq!(collector.add(batch(-7, 2, 4)), Ok(Added::New));
        assert_eq!(collector.add(batch(-7, 0, 4)), Ok(Added::New));
        assert_eq!(collector.add(batch(-7, 0, 4)), Ok(Added::Duplicate));
        assert_eq!(collector.missing(), BTreeMap::from([(-7, vec![1, 3])]));
        assert!(!collector.is_complete());
        collector.add(batch(-7, 1, 4)).unwrap();
        collector.add(batch(-7, 3, 4)).unwrap();
        assert!(collector.is_complete());
        let order: Vec<i32> = collector
            .into_batches()
            .iter()
            .map(|b| b.info.index)
            .collect();
        assert_eq!(order, [0, 1, 2, 3]);
    }

    #[test]
    fn old_exports_without_batch_fields_are_complete() {
        let mut collector = MigrationCollector::new();
        collector.add(batch(0, 0, 0)).unwrap();
        assert!(collector.is_complete());
        assert_eq!(collector.len(), 1);
    }

    #[test]
    fn inconsistent_codes_are_rejected() {
        let mut collector = MigrationCollector::new();
        let err = collector.add(batch(5, 4, 4)).unwrap_err();
        assert_eq!(err.code(), "migration_index_out_of_range");
        assert!(collector.add(batch(5, -1, 4)).is_err());
        collector.add(batch(5, 0, 4)).unwrap();
        let err = collector.add(batch(5, 1, 3)).unwrap_err();
        assert_eq!(
            err,
            CollectError::SizeMismatch {
                expected: 4,
                found: 3
            }
        );
        assert_eq!(err.code(), "migration_size_mismatch");
        assert_eq!(collector.len(), 1);
    }
}
