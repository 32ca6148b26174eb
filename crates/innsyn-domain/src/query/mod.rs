//! Queries of both histories, built from raw request parameters with every
//! rule of the contract: defaults, bounds, `application` XOR `clientId`,
//! decision validation, sort defaults and `startTime < endTime`.

mod access;
mod catalog_refs;
mod cursor;
mod filter;
mod login;
mod page;
mod params;
mod sort;

#[cfg(test)]
mod access_tests;
#[cfg(test)]
mod login_tests;
#[cfg(test)]
mod sort_tests;

pub use access::AccessHistoryQuery;
pub use cursor::Cursor;
pub use filter::{AccessFilter, ApplicationFilter, MAX_FILTER_LEN, ResourceFilter};
pub use login::LoginHistoryQuery;
pub use page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_START_INDEX, PageRequest};
pub use params::AccessHistoryParams;
pub use sort::{Sort, SortKey, SortOrder};
