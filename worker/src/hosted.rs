//! The hosted documents: `worker/clients/*.json`, checked and compiled in by `build.rs`, served at
//! the exact path of their `client_id` (docs/worker.md): 200 with a JSON content type, a cache
//! lifetime and a strong ETag, 304 on a matching `If-None-Match`, `HEAD`, CORS; never a redirect
//! and never anything built from the request.

use crate::http::{Incoming, Reply};

/// One hosted document.
#[derive(Debug)]
pub(crate) struct Hosted {
    /// `/clients/<file name>`.
    pub(crate) path: &'static str,
    /// `PUBLIC_ORIGIN` + path: the document's `client_id`.
    #[cfg_attr(
        not(test),
        allow(
            dead_code,
            reason = "checked by the tests; the build already compared it"
        )
    )]
    pub(crate) url: &'static str,
    /// The file, byte for byte.
    pub(crate) body: &'static str,
    /// A strong entity tag of `body` (quoted).
    pub(crate) etag: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/hosted.rs"));

/// How long clients and servers may keep a hosted document (servers clamp to [60 s, 24 h]:
/// docs/decisions.md#caching).
pub(crate) const CACHE_CONTROL: &str = "public, max-age=3600";

const ALLOW: &str = "GET, HEAD, OPTIONS";

/// The document served at exactly this path.
pub(crate) fn find(path: &str) -> Option<&'static Hosted> {
    HOSTED.iter().find(|doc| doc.path == path)
}

pub(crate) fn serve(doc: &Hosted, req: &Incoming) -> Reply {
    match req.method.as_str() {
        "GET" | "HEAD" => {
            if req
                .header("if-none-match")
                .is_some_and(|tags| none_match_hits(tags, doc.etag))
            {
                let mut reply = Reply::new(304, "", Vec::new());
                reply.headers.retain(|(n, _)| *n != "content-type");
                return with_validators(reply, doc);
            }
            with_validators(Reply::json(200, doc.body), doc)
        }
        "OPTIONS" => Reply::preflight(ALLOW),
        other => Reply::not_allowed(other, ALLOW),
    }
}

fn with_validators(reply: Reply, doc: &Hosted) -> Reply {
    reply
        .with("etag", doc.etag)
        .with("cache-control", CACHE_CONTROL)
        .with("access-control-expose-headers", "etag")
}

/// `If-None-Match` (RFC 9110 §13.1.2): `*`, or a list of entity tags compared weakly (a `W/` tag
/// matches the same opaque tag).
pub(crate) fn none_match_hits(header: &str, etag: &str) -> bool {
    let header = header.trim();
    if header == "*" {
        return true;
    }
    let ours = etag.trim_start_matches("W/");
    header
        .split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == ours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Body;

    fn get(path: &str, method: &str, headers: &[(&str, &str)]) -> Incoming {
        Incoming {
            method: method.into(),
            path: path.into(),
            query: None,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: Body::Empty,
        }
    }

    #[test]
    fn every_hosted_document_is_valid_at_its_url() {
        assert!(!HOSTED.is_empty());
        for doc in HOSTED {
            assert!(doc.url.ends_with(doc.path), "{}", doc.url);
            let options = cimd::Options {
                url: Some(doc.url.into()),
                ..cimd::Options::default()
            };
            let report = cimd::validate(doc.body, &options);
            assert!(report.valid, "{}: {:?}", doc.path, report.diagnostics);
            assert_eq!(report.document.unwrap().value()["client_id"], doc.url);
        }
    }

    #[test]
    fn serves_with_validators_and_304() {
        let doc = &HOSTED[0];
        let ok = serve(doc, &get(doc.path, "GET", &[]));
        assert_eq!(ok.status, 200);
        assert_eq!(ok.body, doc.body.as_bytes());
        assert_eq!(
            ok.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(ok.header("etag"), Some(doc.etag));
        let not_modified = serve(
            doc,
            &get(
                doc.path,
                "GET",
                &[("If-None-Match", &format!("\"x\", W/{}", doc.etag))],
            ),
        );
        assert_eq!(not_modified.status, 304);
        assert!(not_modified.body.is_empty());
        assert_eq!(not_modified.header("etag"), Some(doc.etag));
        assert_eq!(
            serve(
                doc,
                &get(doc.path, "GET", &[("if-none-match", "\"other\"")])
            )
            .status,
            200
        );
        assert_eq!(serve(doc, &get(doc.path, "POST", &[])).status, 405);
        assert_eq!(serve(doc, &get(doc.path, "OPTIONS", &[])).status, 204);
    }

    #[test]
    fn if_none_match_lists() {
        let tag = "\"1f-00ab\"";
        assert!(none_match_hits("*", tag));
        assert!(none_match_hits("\"a\", \"1f-00ab\"", tag));
        assert!(none_match_hits("W/\"1f-00ab\"", tag));
        assert!(!none_match_hits("\"1f-00ac\"", tag));
        assert!(!none_match_hits("1f-00ab", tag));
        assert!(!none_match_hits("", tag));
    }

    #[test]
    fn exact_paths_only() {
        let doc = &HOSTED[0];
        assert!(find(doc.path).is_some());
        for near in [
            format!("{}/", doc.path),
            doc.path.to_uppercase(),
            doc.path.replace(".json", ""),
            format!("/{}", doc.path),
        ] {
            assert!(find(&near).is_none(), "{near}");
        }
    }
}
