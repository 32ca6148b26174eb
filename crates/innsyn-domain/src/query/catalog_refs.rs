//! Which filter values `validate` checks against the catalog, and how an
//! unknown one is reported.

use super::access::AccessHistoryQuery;
use super::filter::{ApplicationFilter, ResourceFilter};
use crate::catalog::{CatalogKind, CatalogRef};
use crate::params::InvalidParams;

impl AccessHistoryQuery {
    /// The filter values the store must find in the catalog, with the
    /// parameter each came from. As seed 2 says: the application (or
    /// client) and the resource always; with `validate`, every filter
    /// value. `decision` is not listed: it is always validated by parsing.
    pub fn catalog_refs(&self) -> Vec<CatalogRef> {
        let f = &self.filter;
        let mut refs = Vec::new();
        match &f.application {
            Some(ApplicationFilter::Name(v)) => {
                refs.push(CatalogRef::new(CatalogKind::Application, v))
            }
            Some(ApplicationFilter::ClientId(v)) => {
                refs.push(CatalogRef::new(CatalogKind::ClientId, v))
            }
            None => {}
        }
        match &f.resource {
            Some(ResourceFilter::Name(v)) => refs.push(CatalogRef::new(CatalogKind::Resource, v)),
            Some(ResourceFilter::Urn(v)) => refs.push(CatalogRef::new(CatalogKind::ResourceUrn, v)),
            None => {}
        }
        if self.validate {
            if let Some(v) = &f.action {
                refs.push(CatalogRef::new(CatalogKind::Action, v));
            }
            if let Some(v) = &f.purpose {
                refs.push(CatalogRef::new(CatalogKind::Purpose, v));
            }
        }
        refs
    }

    /// The errors to report for the references of [`Self::catalog_refs`] a
    /// store found `unknown`, each under the parameter it came from, in the
    /// order given. A store answers which references are missing in one
    /// round; this is the one place that says what the client reads then.
    /// Empty when `unknown` is.
    pub fn not_in_catalog(unknown: &[CatalogRef]) -> InvalidParams {
        let mut errors = InvalidParams::new();
        for r in unknown {
            errors.push(
                r.kind.param_name(),
                format!("no such {} is known", r.kind.noun()),
            );
        }
        errors
    }

    /// Given whether each of [`Self::catalog_refs`] exists, the errors to
    /// report, or `Ok` when all exist. For callers that look each
    /// reference up on its own; the reasons are [`Self::not_in_catalog`]'s.
    pub fn check_catalog(refs: &[CatalogRef], found: &[bool]) -> Result<(), InvalidParams> {
        let unknown: Vec<CatalogRef> = refs
            .iter()
            .zip(found)
            .filter(|(_, present)| !**present)
            .map(|(r, _)| r.clone())
            .collect();
        Self::not_in_catalog(&unknown).finish(|| Some(()))
    }
}
