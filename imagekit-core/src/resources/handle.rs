//! What every resource module shares: how a handle is declared, and the checks of arguments.

use crate::error::Error;

/// Declares a resource handle: a cheap value holding its caller, made in exactly one way
/// (`Handle::new(caller)`), whose methods describe operations and hand them to the caller.
macro_rules! resource {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// With a [`crate::client::Client`] each method returns a [`crate::Call`] to `.await`; with a
        /// [`crate::blocking::BlockingClient`], the value; with a [`crate::Config`], the operation (see
        /// [`crate::Caller`]).
        #[derive(Clone, Debug)]
        pub struct $name<C = crate::client::Client> {
            caller: C,
        }

        impl<C: crate::caller::Caller> $name<C> {
            pub(crate) fn new(caller: C) -> Self {
                Self { caller }
            }
        }
    };
}
pub(crate) use resource;

/// Checks that a list has between `min` and `max` items.
pub(crate) fn check_count(field: &'static str, len: usize, min: usize, max: usize) -> Result<(), Error> {
    if len < min || len > max {
        let reason = if min == 1 && len == 0 {
            format!("must not be empty (at most {max} items)")
        } else {
            format!("must have between {min} and {max} items, got {len}")
        };
        return Err(Error::invalid_input(field, reason));
    }
    Ok(())
}

/// Checks that a required text value is not empty.
pub(crate) fn check_not_empty(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}
