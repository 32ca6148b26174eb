#![doc = include_str!("../README.md")]

pub mod catalog;
pub mod decision;
pub mod disputes;
pub mod identity;
pub mod insights;
pub mod orgno;
pub mod params;
pub mod policy;
pub mod query;
pub mod records;
pub mod retention;
pub mod scope;
pub mod secret;
pub mod subject;
pub mod timespec;
pub mod zone;

#[cfg(test)]
#[cfg(feature = "openapi")]
mod openapi_tests;

pub use catalog::{
    Catalog, CatalogKind, CatalogRef, ClientEntry, LabelEntry, LabelKind, NamesWanted,
    OrganisationEntry, PlainNames, ResourceEntry,
};
pub use decision::Decision;
pub use identity::IdentityNumber;
pub use insights::{LoginFlag, login_flags};
pub use orgno::OrgNumber;
pub use params::{InvalidParam, InvalidParams};
pub use policy::{AccessHistoryGrant, Caller, Denied, LoginHistoryAccess, ScopeNames};
pub use query::{
    AccessFilter, AccessHistoryParams, AccessHistoryQuery, ApplicationFilter, Cursor,
    LoginHistoryQuery, PageRequest, ResourceFilter, Sort, SortKey, SortOrder,
};
pub use records::{
    AccessHistoryEntry, AccessPage, AccessRecord, AccessRecordInput, ActivityRecord, AppendOutcome,
    LoginEvent, LoginHistoryEntry, unix_micros,
};
pub use scope::{Scope, Scopes};
pub use secret::Secret;
pub use subject::SubjectId;
pub use timespec::TimeWindow;
pub use zone::Zone;
