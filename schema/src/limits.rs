//! What one GraphQL operation may cost. async-graphql enforces depth, complexity, recursion depth and
//! directives per field; [`CostGuard`] adds what it lacks, on every transport (HTTP, WebSocket, SSE):
//!
//! - a token limit checked by a linear scan *before* the query is parsed, so a huge document (e.g. 340,000
//!   directives) is refused in microseconds instead of costing seconds of parsing;
//! - caps on aliased fields and on root fields per operation (fragments expanded, memoized so a fan-out of
//!   fragments cannot make the count itself expensive);
//! - at most one of `signUp`, `logIn`, `refreshToken` per operation, so one request cannot run many password
//!   hashes;
//! - a cap on the size of each response (each event of a subscription), refused with an error rather than
//!   sent truncated.
//!
//! Complexity counts every field once, except that a paged or bounded list multiplies its selection by the
//! number of items it may return (`first`/`last`, see [`crate::pagination::page_complexity`]).

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{Response, ServerError, ServerResult, Variables};

use chorus_core::error::Error;

/// Guards against abusive operations. The defaults leave room for the web client's largest operation.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest selection nesting.
    pub depth: usize,
    /// Highest complexity (see the module documentation).
    pub complexity: usize,
    /// Deepest nesting the parser and checks recurse into (fragments included).
    pub recursive_depth: usize,
    /// Most directives on one field.
    pub directives_per_field: usize,
    /// Most lexical tokens in one document (names, punctuation, values; commas and comments excluded).
    pub tokens: usize,
    /// Most aliased fields in one operation.
    pub aliases: usize,
    /// Most fields at the root of one operation.
    pub root_fields: usize,
    /// Largest response (its `data`, serialized) in bytes.
    pub response_bytes: usize,
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 16,
            complexity: 20_000,
            recursive_depth: 32,
            directives_per_field: 5,
            tokens: 5_000,
            aliases: 20,
            root_fields: 10,
            response_bytes: 8 * 1024 * 1024,
            introspection: true,
        }
    }
}

/// Mutations that verify a password or a refresh token; one per operation.
const AUTH_MUTATIONS: [&str; 3] = ["signUp", "logIn", "refreshToken"];

/// The extension enforcing the limits async-graphql does not have (see the module documentation).
pub struct CostGuard(pub Limits);

impl ExtensionFactory for CostGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostGuardExtension(self.0))
    }
}

struct CostGuardExtension(Limits);

#[async_graphql::async_trait::async_trait]
impl Extension for CostGuardExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if exceeds_tokens(query, self.0.tokens) {
            return Err(refusal(format!(
                "the query has more than {} tokens",
                self.0.tokens
            )));
        }
        let document = next.run(ctx, query, variables).await?;
        check_document(&document, &self.0)?;
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        if fits(&response.data, self.0.response_bytes) {
            return response;
        }
        Response::from_errors(vec![refusal(format!(
            "the response would be larger than {} bytes: ask for fewer items or fields",
            self.0.response_bytes
        ))])
    }
}

/// A refused operation: BAD_USER_INPUT, like any other request the client should change.
fn refusal(message: String) -> ServerError {
    crate::errors::server_error(&Error::Validation {
        field: None,
        message,
    })
}

/// Whether `query` has more than `max` lexical tokens, by a single scan that stops at `max + 1`. It follows
/// the GraphQL lexical grammar closely enough to bound the parser's work: names, numbers, strings and block
/// strings, `...` and single-character punctuators are one token each; white space, commas and comments
/// are ignored.
pub fn exceeds_tokens(query: &str, max: usize) -> bool {
    let bytes = query.as_bytes();
    let mut i = 0;
    let mut tokens = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            // U+FEFF (byte order mark) is ignored too.
            0xEF if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => {
                i += 3;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        tokens += 1;
        if tokens > max {
            return true;
        }
    }
    false
}

/// Counts of one selection set with its fragments expanded.
#[derive(Clone, Copy, Default)]
struct Counts {
    /// Aliased fields anywhere below.
    aliases: usize,
    /// Fields at this level (through fragments and inline fragments).
    fields: usize,
    /// Auth mutations at this level.
    auth: usize,
}

impl Counts {
    fn add(self, other: Counts) -> Counts {
        Counts {
            aliases: self.aliases.saturating_add(other.aliases),
            fields: self.fields.saturating_add(other.fields),
            auth: self.auth.saturating_add(other.auth),
        }
    }
}

/// Aliases, root fields and auth mutations of every operation of the document (each operation alone must
/// pass: any of them may be the one the request selects).
fn check_document(document: &ExecutableDocument, limits: &Limits) -> ServerResult<()> {
    let mut fragments = HashMap::new();
    for (_, operation) in document.operations.iter() {
        let counts = count(
            document,
            &operation.node.selection_set.node,
            &mut fragments,
            true,
        );
        // First: it names the real problem of a request full of aliased log-ins.
        if operation.node.ty == OperationType::Mutation && counts.auth > 1 {
            return Err(refusal(
                "an operation may run at most one of signUp, logIn and refreshToken".to_owned(),
            ));
        }
        if counts.aliases > limits.aliases {
            return Err(refusal(format!(
                "an operation may use at most {} aliases",
                limits.aliases
            )));
        }
        if counts.fields > limits.root_fields {
            return Err(refusal(format!(
                "an operation may select at most {} root fields",
                limits.root_fields
            )));
        }
    }
    Ok(())
}

/// Fragments counted so far, by name and whether they were spread at the root; `None` while being counted.
type Memo<'a> = HashMap<(&'a str, bool), Option<Counts>>;

/// Counts a selection set, expanding fragments once each (memoized; a fragment cycle, which validation
/// refuses later, counts as empty). `root`: the set is the operation's own (fields are counted there).
fn count<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    fragments: &mut Memo<'a>,
    root: bool,
) -> Counts {
    let mut total = Counts::default();
    for selection in &set.items {
        let part = match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                let below = count(document, &field.selection_set.node, fragments, false);
                Counts {
                    aliases: usize::from(field.alias.is_some()).saturating_add(below.aliases),
                    fields: 1,
                    auth: usize::from(AUTH_MUTATIONS.contains(&field.name.node.as_str())),
                }
            }
            Selection::InlineFragment(inline) => {
                count(document, &inline.node.selection_set.node, fragments, root)
            }
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                match fragments.get(&(name, root)) {
                    Some(Some(counts)) => *counts,
                    // Being counted further up: a cycle.
                    Some(None) => Counts::default(),
                    None => match document.fragments.get(&spread.node.fragment_name.node) {
                        Some(fragment) => {
                            fragments.insert((name, root), None);
                            let counts =
                                count(document, &fragment.node.selection_set.node, fragments, root);
                            fragments.insert((name, root), Some(counts));
                            counts
                        }
                        None => Counts::default(),
                    },
                }
            }
        };
        // Below the root only aliases matter: fields and auth mutations are counted at the root.
        total = if root {
            total.add(part)
        } else {
            total.add(Counts {
                aliases: part.aliases,
                ..Counts::default()
            })
        };
    }
    total
}

/// Whether `data` serializes to at most `max` bytes; stops serializing as soon as it is over.
fn fits(data: &async_graphql::Value, max: usize) -> bool {
    struct Budget(usize);
    impl io::Write for Budget {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 = self
                .0
                .checked_sub(buf.len())
                .ok_or_else(|| io::Error::other("over budget"))?;
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    serde_json::to_writer(Budget(max), data).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(query: &str) -> Counts {
        let document = async_graphql::parser::parse_query(query).unwrap();
        let mut fragments = HashMap::new();
        let (_, operation) = document.operations.iter().next().unwrap();
        count(
            &document,
            &operation.node.selection_set.node,
            &mut fragments,
            true,
        )
    }

    #[test]
    fn tokens_are_counted_like_the_grammar_says() {
        let q = r#"query Q($a: Int = -1.5e3) { x: f(s: "a \" b", t: """ block \""" """) @skip(if: false) ... on T { g } } # c"#;
        // query Q ( $ a : Int = -1.5e3 ) { x : f ( s : "…" , t : """…""" ) @ skip ( if : false ) ... on T { g } }
        let n = 36;
        assert!(!exceeds_tokens(q, n), "at most {n}");
        assert!(exceeds_tokens(q, n - 1), "more than {}", n - 1);
        assert!(!exceeds_tokens("  ,,, # only a comment\n", 0));
        assert!(exceeds_tokens(&"@a".repeat(100_000), 5_000));
    }

    #[test]
    fn aliases_and_root_fields_count_through_fragments_once_each() {
        let c = counts(
            "query { a: me { id } b: me { id } ...F ... on Query { c: rooms { id } } } fragment F on Query { d: me { x: id } }",
        );
        assert_eq!((c.aliases, c.fields), (5, 4));
        // Fragments fanning out do not make counting exponential, and saturate instead of overflowing.
        let mut q = String::from("query { ...F0 }");
        for i in 0..40 {
            q.push_str(&format!(
                " fragment F{i} on Query {{ ...F{n} ...F{n} }}",
                n = i + 1
            ));
        }
        q.push_str(" fragment F40 on Query { a: me { id } }");
        let c = counts(&q);
        assert!(c.aliases > 1_000_000, "{}", c.aliases);
        // A cycle (refused later by validation) does not loop.
        let c = counts(
            "query { ...A } fragment A on Query { x: me { id } ...B } fragment B on Query { ...A }",
        );
        assert_eq!(c.aliases, 1);
    }

    #[test]
    fn auth_mutations_are_counted_at_the_root_only() {
        let c = counts(
            "mutation { a: logIn(input: {}) { accessToken } b: logIn(input: {}) { accessToken } }",
        );
        assert_eq!(c.auth, 2);
        let c = counts("mutation { signUp(input: {}) { user { logIn: id } } }");
        assert_eq!(c.auth, 1);
    }

    #[test]
    fn response_size_is_checked_without_serializing_past_the_limit() {
        let data = async_graphql::Value::from("x".repeat(100));
        assert!(fits(&data, 102));
        assert!(!fits(&data, 101));
    }
}
