//! Content negotiation for GraphQL over HTTP: which media type a response is written in, from `Accept`.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT;

/// `application/graphql-response+json`: the GraphQL over HTTP media type, whose status codes tell request
/// errors (400, no `data`) from executed operations.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The media type of a GraphQL response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`.
    GraphQLResponse,
    /// `application/json`: every well-formed request is answered 200, errors in the body.
    Json,
}

impl Media {
    pub fn content_type(self) -> &'static str {
        match self {
            Media::GraphQLResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }
}

/// One media range of an `Accept` header with its weight.
struct Range {
    mime: mime::Mime,
    q: f32,
}

fn ranges(headers: &HeaderMap) -> Option<Vec<Range>> {
    let values: Vec<&str> = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(
        values
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(|item| item.trim().parse::<mime::Mime>().ok())
            .map(|mime| {
                let q = mime
                    .get_param("q")
                    .and_then(|q| q.as_str().parse::<f32>().ok())
                    .unwrap_or(1.0);
                Range { mime, q }
            })
            .collect(),
    )
}

/// The weight `ranges` give to `ty/subtype` (the most specific matching range decides), 0 when none does.
fn weight(ranges: &[Range], ty: &str, subtype: &str) -> f32 {
    let exact = ranges
        .iter()
        .find(|r| r.mime.type_() == ty && r.mime.subtype() == subtype);
    let by_type = || {
        ranges
            .iter()
            .find(|r| r.mime.type_() == ty && r.mime.subtype() == mime::STAR)
    };
    let any = || {
        ranges
            .iter()
            .find(|r| r.mime.type_() == mime::STAR && r.mime.subtype() == mime::STAR)
    };
    exact.or_else(by_type).or_else(any).map_or(0.0, |r| r.q)
}

/// The media type to answer in: `application/graphql-response+json` when the client names it (and prefers it
/// at least as much as JSON), else `application/json` (also for `*/*`, `application/*` and no `Accept` at
/// all). `None` when the client accepts neither: 406.
pub fn graphql_media(headers: &HeaderMap) -> Option<Media> {
    let Some(ranges) = ranges(headers) else {
        return Some(Media::Json);
    };
    let named = ranges
        .iter()
        .find(|r| r.mime.type_() == mime::APPLICATION && r.mime.subtype() == "graphql-response");
    let graphql = named.map_or(0.0, |r| r.q);
    let json = weight(&ranges, "application", "json");
    if graphql > 0.0 && graphql >= json {
        Some(Media::GraphQLResponse)
    } else if json > 0.0 {
        Some(Media::Json)
    } else {
        None
    }
}

/// Whether the client asks for an HTML page by name (a browser navigating): GraphiQL. `*/*` alone does not
/// count, so scripts and GraphQL clients get results.
pub fn wants_html(headers: &HeaderMap) -> bool {
    ranges(headers).is_some_and(|ranges| {
        ranges
            .iter()
            .any(|r| r.mime.type_() == mime::TEXT && r.mime.subtype() == mime::HTML && r.q > 0.0)
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn accept(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(ACCEPT, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn the_graphql_media_type_is_used_only_when_asked_for() {
        let cases: [(&[&str], Option<Media>); 11] = [
            (&[], Some(Media::Json)),
            (&[""], Some(Media::Json)),
            (&["*/*"], Some(Media::Json)),
            (&["application/*"], Some(Media::Json)),
            (&["application/json"], Some(Media::Json)),
            (&[GRAPHQL_RESPONSE_JSON], Some(Media::GraphQLResponse)),
            (
                &["application/graphql-response+json, application/json;q=0.9"],
                Some(Media::GraphQLResponse),
            ),
            (
                &[
                    "application/json",
                    "application/graphql-response+json;q=0.5",
                ],
                Some(Media::Json),
            ),
            (&["text/plain, */*;q=0.1"], Some(Media::Json)),
            (&["text/plain"], None),
            (&["application/graphql-response+json;q=0"], None),
        ];
        for (values, expected) in cases {
            assert_eq!(graphql_media(&accept(values)), expected, "{values:?}");
        }
    }

    #[test]
    fn only_a_named_html_type_asks_for_the_page() {
        assert!(wants_html(&accept(&[
            "text/html,application/xhtml+xml,*/*;q=0.8"
        ])));
        assert!(!wants_html(&accept(&["*/*"])));
        assert!(!wants_html(&accept(&[])));
        assert!(!wants_html(&accept(&["application/json"])));
    }
}
