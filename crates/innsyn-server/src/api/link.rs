//! The `Link: rel="next"` of a page (RFC 8288).

/// `<target>; rel="next"`: the request's own path and parameters, with
/// `startIndex` and `cursor` replaced. Relative unless a public base URL is
/// configured (RFC 8288 resolves it against the request URL).
pub fn next_link(
    base: Option<&str>,
    path: &str,
    query: &str,
    start_index: u64,
    cursor: &str,
) -> String {
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| {
            let key = kv.split_once('=').map_or(*kv, |(k, _)| k);
            let key = percent_decode(key);
            key != "startIndex" && key != "cursor"
        })
        .collect();
    let start = format!("startIndex={start_index}");
    let cursor = format!("cursor={cursor}");
    parts.push(&start);
    parts.push(&cursor);
    format!(
        "<{}{}?{}>; rel=\"next\"",
        base.unwrap_or("").trim_end_matches('/'),
        path,
        parts.join("&")
    )
}

/// Decodes `%XX` and `+` of a query key (keys are compared decoded).
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_keeps_other_parameters() {
        assert_eq!(
            next_link(
                None,
                "/metadata/v1/1/accessHistory",
                "count=2&startIndex=0&decision=Permit&cursor=old",
                2,
                "c1.x"
            ),
            "</metadata/v1/1/accessHistory?count=2&decision=Permit&startIndex=2&cursor=c1.x>; rel=\"next\""
        );
        assert_eq!(
            next_link(
                Some("https://api.example.no/"),
                "/p",
                "start%49ndex=4",
                5,
                "c"
            ),
            "<https://api.example.no/p?startIndex=5&cursor=c>; rel=\"next\""
        );
    }
}
