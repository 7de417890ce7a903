//! [`Caller`]: what the resource tree hands its operations to.
//!
//! Every resource handle (`client.files()`, `.versions()`, ...) describes operations and hands
//! them to its caller, so one tree of handles serves three ways of running them:
//!
//! | caller | `client.files().versions().get(..)` returns |
//! | --- | --- |
//! | [`crate::client::Client`] | a [`crate::Call`] to `.await` (or tune first) |
//! | [`crate::blocking::BlockingClient`] | the value, after blocking the thread |
//! | [`crate::Config`] | the [`Operation`], for your own I/O (sans-IO) |

use crate::config::Config;
use crate::error::Error;
use crate::operation::Operation;
use crate::runtime::{MaybeSend, MaybeSync};

/// Runs or returns the operations a resource handle describes. Implemented by
/// [`crate::client::Client`], [`crate::blocking::BlockingClient`] and [`Config`]; sealed.
pub trait Caller: Clone + MaybeSend + MaybeSync + sealed::Sealed {
    /// What a resource method returns for an operation whose value is `T`.
    type Call<T>;

    /// The configuration requests are built with.
    fn config(&self) -> &Config;

    /// Hands over an operation, or the input error that kept it from being described.
    fn call<T>(&self, operation: Result<Operation<T>, Error>) -> Self::Call<T>;
}

pub(crate) mod sealed {
    /// Keeps [`super::Caller`] to the crate's own callers.
    pub trait Sealed {}
}

impl sealed::Sealed for Config {}

/// Sans-IO: the resource tree of a `Config` returns each operation, to be turned into a request
/// with [`Operation::to_request`] and its answer read with [`Operation::parse`].
impl Caller for Config {
    type Call<T> = Result<Operation<T>, Error>;

    fn config(&self) -> &Config {
        self
    }

    fn call<T>(&self, operation: Result<Operation<T>, Error>) -> Self::Call<T> {
        operation
    }
}
