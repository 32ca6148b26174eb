//! Small edits of the document's JSON form.

use serde_json::{Map, Value};

/// The object at the JSON pointer made of `keys` (each escaped, so paths
/// such as `/v1/catalog` can be keys), if there is one.
pub(super) fn object_at<'a>(
    doc: &'a mut Value,
    keys: &[&str],
) -> Option<&'a mut Map<String, Value>> {
    let pointer: String = keys
        .iter()
        .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
        .collect();
    doc.pointer_mut(&pointer)?.as_object_mut()
}

/// Sets each of `fields` on the object at `keys`; a missing object is left
/// alone (the tests check that every rule found its place).
pub(super) fn set(doc: &mut Value, keys: &[&str], fields: &[(&str, Value)]) {
    if let Some(object) = object_at(doc, keys) {
        for (name, value) in fields {
            object.insert((*name).to_owned(), value.clone());
        }
    }
}

/// Every operation of the document: its path, method and object.
pub(super) fn operations(doc: &mut Value) -> Vec<(String, String, &mut Map<String, Value>)> {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    paths
        .iter_mut()
        .filter_map(|(path, item)| Some((path, item.as_object_mut()?)))
        .flat_map(|(path, item)| {
            item.iter_mut().filter_map(move |(method, op)| {
                Some((path.clone(), method.clone(), op.as_object_mut()?))
            })
        })
        .collect()
}
