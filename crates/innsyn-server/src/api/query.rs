use actix_web::web;
use innsyn_domain::InvalidParams;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use innsyn_app::wire::redact_values;

/// Deserializes a query string into `T` (all fields strings, so only
/// structural mistakes such as a repeated parameter fail here).
pub(crate) fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    web::Query::<T>::from_query(query)
        .map(web::Query::into_inner)
        .map_err(|e| {
            let mut params = InvalidParams::new();
            let reason = match &e {
                actix_web::error::QueryPayloadError::Deserialize(d) => {
                    redact_values(&d.to_string())
                }
                _ => "the query string could not be read".to_owned(),
            };
            params.push("query", reason);
            ApiError::InvalidParams(params)
        })
}
