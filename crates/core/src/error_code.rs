//! One vocabulary of error codes for every crate: [`ErrorCode`] and the [`error_codes!`] macro
//! that implements it.
//!
//! A code is a stable snake_case identifier the UI, scripts and the CLI branch on (never
//! changed once shipped). Codes are namespaced by area where a bare word could mean two things
//! (`vault_not_found`, not `not_found`).
//!
//! [`error_codes!`]: crate::error_codes

/// An error type whose values each have a stable code, and which can list all of them.
///
/// Implement it with [`error_codes!`](crate::error_codes): the `code()` match and the list are
/// made from the same lines, so they cannot disagree, and a new variant fails to compile until
/// it has a code.
pub trait ErrorCode {
    /// This error's code.
    fn code(&self) -> &'static str;

    /// Every code a value of this type can have, nested errors' codes included (in order; a
    /// code given to two variants appears twice). The desktop app generates the UI's list of
    /// codes from these.
    fn codes() -> Vec<&'static str>
    where
        Self: Sized;
}

/// Implements [`ErrorCode`] and an inherent `code()` (callers need no import) for an enum:
///
/// ```
/// #[derive(Debug)]
/// enum KeyError {
///     Locked,
///     Unreadable { path: String },
/// }
///
/// #[derive(Debug)]
/// enum OpenError {
///     Empty,
///     Key(KeyError),
/// }
///
/// tessera_core::error_codes!(KeyError {
///     Locked => "key_locked",
///     Unreadable => "key_unreadable",
/// });
/// // `Key` errors have the codes of the `KeyError` they hold.
/// tessera_core::error_codes!(pub(crate) OpenError {
///     Empty => "open_empty",
/// } nested {
///     Key(KeyError),
/// });
///
/// use tessera_core::ErrorCode;
/// assert_eq!(OpenError::Key(KeyError::Locked).code(), "key_locked");
/// assert_eq!(OpenError::codes(), ["open_empty", "key_locked", "key_unreadable"]);
/// ```
///
/// Variants are named without their fields. The visibility (default private) is the inherent
/// `code()`'s: give the enum's own.
#[macro_export]
macro_rules! error_codes {
    ($vis:vis $name:ident {
        $($variant:ident => $code:literal),* $(,)?
    } $(nested {
        $($outer:ident($inner:ty)),* $(,)?
    })?) => {
        impl $name {
            /// Stable snake_case code (see `tessera_core::ErrorCode`).
            $vis fn code(&self) -> &'static str {
                match self {
                    // `{ .. }` matches unit, tuple and struct variants alike.
                    $(Self::$variant { .. } => $code,)*
                    $($(Self::$outer { 0: inner } => <$inner as $crate::ErrorCode>::code(inner),)*)?
                }
            }
        }

        impl $crate::ErrorCode for $name {
            fn code(&self) -> &'static str {
                $name::code(self)
            }

            fn codes() -> ::std::vec::Vec<&'static str> {
                #[allow(unused_mut)]
                let mut codes = ::std::vec![$($code),*];
                $($(codes.extend(<$inner as $crate::ErrorCode>::codes());)*)?
                codes
            }
        }
    };
}
