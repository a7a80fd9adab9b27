//! The schema stability promise (docs/integrations.md, "Schema stability"): nothing that the SDL of the last
//! release (`codegen/schema.baseline.graphql`) has — a type, a field, an argument, an input field, an enum
//! value — disappears from the schema unless that release had already marked it `@deprecated`. Both SDLs are
//! parsed with async-graphql's parser and compared element by element.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::parser::Positioned;
use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    ConstDirective, InputValueDefinition, TypeKind, TypeSystemDefinition,
};

/// Every element of an SDL that clients can name, with whether it is deprecated (or, for a type, whether
/// everything in it is: a type cannot carry `@deprecated` itself).
fn elements(sdl: &str) -> BTreeMap<String, bool> {
    let document = parse_schema(sdl).expect("the SDL parses");
    let deprecated = |directives: &[Positioned<ConstDirective>]| {
        directives
            .iter()
            .any(|d| d.node.name.node.as_str() == "deprecated")
    };
    let mut out = BTreeMap::new();
    let inputs = |out: &mut BTreeMap<String, bool>,
                  prefix: &str,
                  values: &[Positioned<InputValueDefinition>],
                  parent_deprecated: bool| {
        for value in values {
            let value = &value.node;
            out.insert(
                format!("{prefix}({})", value.name.node),
                parent_deprecated || deprecated(&value.directives),
            );
        }
    };
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = ty.node;
        let name = ty.name.node.to_string();
        let mut members = Vec::new();
        match &ty.kind {
            TypeKind::Object(object) => {
                for field in &object.fields {
                    let field = &field.node;
                    let key = format!("{name}.{}", field.name.node);
                    let gone = deprecated(&field.directives);
                    inputs(&mut out, &key, &field.arguments, gone);
                    members.push(gone);
                    out.insert(key, gone);
                }
            }
            TypeKind::Interface(interface) => {
                for field in &interface.fields {
                    let field = &field.node;
                    let key = format!("{name}.{}", field.name.node);
                    let gone = deprecated(&field.directives);
                    inputs(&mut out, &key, &field.arguments, gone);
                    members.push(gone);
                    out.insert(key, gone);
                }
            }
            TypeKind::InputObject(input) => {
                for field in &input.fields {
                    let gone = deprecated(&field.node.directives);
                    members.push(gone);
                    out.insert(format!("{name}.{}", field.node.name.node), gone);
                }
            }
            TypeKind::Enum(values) => {
                for value in &values.values {
                    let gone = deprecated(&value.node.directives);
                    members.push(gone);
                    out.insert(format!("{name}.{}", value.node.value.node), gone);
                }
            }
            TypeKind::Union(_) | TypeKind::Scalar => {}
        }
        let type_gone = !members.is_empty() && members.iter().all(|&d| d);
        out.insert(name, type_gone);
    }
    out
}

/// What `current` removed from `baseline` without a deprecation in `baseline`.
fn removed_without_deprecation(baseline: &str, current: &str) -> BTreeSet<String> {
    let current = elements(current);
    elements(baseline)
        .into_iter()
        .filter(|(name, deprecated)| !deprecated && !current.contains_key(name))
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn nothing_of_the_last_releases_schema_disappears_without_being_deprecated_first() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/schema.baseline.graphql");
    let baseline = std::fs::read_to_string(&path).expect("codegen/schema.baseline.graphql");
    let removed = removed_without_deprecation(&baseline, &schema::sdl());
    assert!(
        removed.is_empty(),
        "removed from the schema without a deprecation period (mark them @deprecated(reason: …) in a release \
         first; see docs/integrations.md, \"Schema stability\"): {removed:?}"
    );
}

#[test]
fn the_check_tells_a_removal_from_a_deprecation_and_an_addition() {
    let baseline = r#"
        type Query { a(x: Int, y: Int @deprecated(reason: "no")): Int  old: Int @deprecated(reason: "use a") t: T }
        type T { f: Int @deprecated(reason: "gone") }
        enum E { ONE TWO @deprecated(reason: "use ONE") }
        input I { keep: Int drop: Int @deprecated(reason: "unused") }
        union U = T
    "#;
    let same_minus_deprecated = r#"
        type Query { a(x: Int): Int  t: Int  added: String }
        enum E { ONE THREE }
        input I { keep: Int }
        union U = Query
    "#;
    assert_eq!(
        removed_without_deprecation(baseline, same_minus_deprecated),
        BTreeSet::new()
    );
    let removing = r#"
        type Query { a(y: Int): Int }
        enum E { TWO }
        input I { drop: Int }
    "#;
    let expected: BTreeSet<String> = ["Query.a(x)", "Query.t", "E.ONE", "I.keep", "U"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(removed_without_deprecation(baseline, removing), expected);
}
