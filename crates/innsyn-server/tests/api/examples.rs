//! Every example in the OpenAPI document is a request the server accepts:
//! each operation is sent its path parameters' examples, then each query
//! parameter's example alone and all of them together, and its body
//! example. Writes go first, so the names the reads filter by exist.

use std::sync::Arc;

use actix_web::dev::Service as _;
use actix_web::http::header;
use actix_web::test::{self, TestRequest};
use innsyn_app::{Ports, Service};
use innsyn_store_memory::MemoryStore;
use innsyn_tlog::note::NoteSigner;
use serde_json::{Value, json};
use utoipa::OpenApi as _;

use crate::support::{ORG, Setup, authorized, caller, serve, tokens_for};

const ALL_SCOPES: &str = "idporten:user.log.read history:read history:audit history:write \
     history:admin history:disputes";

/// Where an operation goes in the run: catalog, ingestion, a case about
/// an ingested record, reads and answers of that case, and retention last
/// (it would remove what the reads look for).
fn order(path: &str, method: &str) -> u8 {
    match (method, path) {
        ("put", _) => 0,
        (_, "/v1/retention") => 4,
        ("post", "/v1/me/disputes") => 2,
        ("post", p) if p.ends_with("/answer") => 3,
        ("post", _) => 1,
        _ => 3,
    }
}

/// The case id examples name: no run can know the id a new case gets, so
/// the id the run's own case got stands in for it.
const EXAMPLE_CASE_ID: &str = "0b6f2d4e-8a7c-4f0e-9d11-3c5a2e7b9f10";

fn example_of(doc: &Value, schema: &Value) -> Option<Value> {
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.rsplit('/').next()?;
        return example_of(doc, &doc["components"]["schemas"][name]);
    }
    if schema["type"] == "array" {
        return Some(json!([example_of(doc, &schema["items"])?]));
    }
    schema["oneOf"]
        .as_array()?
        .iter()
        .find_map(|s| example_of(doc, s))
}

/// The URIs to send for one operation: the path with its parameters'
/// examples, with no query, each query example alone, and all together.
fn uris(path: &str, op: &Value) -> Vec<String> {
    let mut path = path.to_owned();
    let mut pairs = Vec::new();
    let mut required = false;
    for p in op["parameters"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap();
        required |= p["in"] == "query" && p["required"] == true;
        let example = p.get("example").or_else(|| p["schema"].get("example"));
        match (p["in"].as_str(), example) {
            (Some("path"), Some(e)) => {
                path = path.replace(&format!("{{{name}}}"), e.as_str().unwrap());
            }
            (Some("path"), None) => panic!("{path}: path parameter {name} has no example"),
            (_, Some(e)) => {
                let value = e.as_str().map_or_else(|| e.to_string(), str::to_owned);
                pairs.push(format!("{name}={}", encode(&value)));
            }
            _ => {}
        }
    }
    // With a required query parameter only the query with all of them is
    // a valid request.
    if required {
        return vec![format!("{path}?{}", pairs.join("&"))];
    }
    let mut uris = vec![path.clone()];
    uris.extend(pairs.iter().map(|p| format!("{path}?{p}")));
    if pairs.len() > 1 {
        uris.push(format!("{path}?{}", pairs.join("&")));
    }
    uris
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[actix_web::test]
async fn every_example_in_the_document_is_accepted() {
    let doc = serde_json::to_value(innsyn_server::openapi::ApiDoc::openapi()).unwrap();
    let owner =
        doc["paths"]["/metadata/v1/{userId}/accessHistory"]["get"]["parameters"][0]["example"]
            .as_str()
            .unwrap()
            .to_owned();
    let who = caller(Some(&owner), Some(ORG), ALL_SCOPES);
    let mut tokens = tokens_for(who);
    tokens.expect_ready().returning(|| Ok(()));
    let store = Arc::new(MemoryStore::new());
    let mut setup = Setup::over(Arc::clone(&store), tokens);
    setup.settings.log.signer = Some(Arc::new(
        NoteSigner::from_seed("innsyn.test/log", &[5; 32]).unwrap(),
    ));
    let settings = setup.settings.clone();
    let svc = serve!(setup);
    let mut built = false;
    let mut ops: Vec<(String, String, Value)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .map(|(method, op)| (path.clone(), method.clone(), op.clone()))
        })
        .collect();
    ops.sort_by_key(|(path, method, _)| order(path, method));
    let mut sent = 0;
    let mut case_id: Option<String> = None;
    for (path, method, op) in &ops {
        let body = op.get("requestBody").map(|b| {
            example_of(&doc, &b["content"]["application/json"]["schema"])
                .unwrap_or_else(|| panic!("{method} {path}: the body has no example"))
        });
        if path.starts_with("/v1/log/") && !built {
            // The server's builder runs on a timer; here one round, after
            // the ingestion examples, signs the checkpoint they grew.
            Service::new(Ports::over(Arc::clone(&store)), settings.clone())
                .build_log()
                .await
                .unwrap();
            built = true;
        }
        for uri in uris(path, op) {
            let uri = match &case_id {
                Some(id) => uri.replace(EXAMPLE_CASE_ID, id),
                None => uri,
            };
            let mut req = authorized(
                TestRequest::default()
                    .method(method.to_uppercase().parse().unwrap())
                    .uri(&uri),
            );
            if let Some(body) = &body {
                req = req
                    .insert_header((header::CONTENT_TYPE, "application/json"))
                    .set_payload(serde_json::to_vec(body).unwrap());
            }
            let res = svc
                .call(
                    req.peer_addr("127.0.0.1:40000".parse().unwrap())
                        .to_request(),
                )
                .await
                .unwrap();
            let status = res.status();
            let answer = String::from_utf8_lossy(&test::read_body(res).await).into_owned();
            assert!(status.is_success(), "{method} {uri}: {status} {answer}");
            if (method.as_str(), path.as_str()) == ("post", "/v1/me/disputes") {
                let case: Value = serde_json::from_str(&answer).unwrap();
                case_id = case["id"].as_str().map(str::to_owned);
            }
            sent += 1;
        }
    }
    // Each operation at least once, and the query examples besides.
    assert!(
        sent > ops.len(),
        "{sent} requests for {} operations",
        ops.len()
    );
}
