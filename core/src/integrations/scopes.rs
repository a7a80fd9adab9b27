//! The scopes of API tokens. A sign-in carries all of them; a token only those it was created with.

use crate::error::{Error, Result};

/// One right an API token may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    MessagesRead,
    MessagesWrite,
    RoomsRead,
    RoomsWrite,
    ReactionsWrite,
    FilesWrite,
    ProfileWrite,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::MessagesRead,
        Scope::MessagesWrite,
        Scope::RoomsRead,
        Scope::RoomsWrite,
        Scope::ReactionsWrite,
        Scope::FilesWrite,
        Scope::ProfileWrite,
    ];

    /// The name clients use, e.g. `messages:write`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::MessagesRead => "messages:read",
            Scope::MessagesWrite => "messages:write",
            Scope::RoomsRead => "rooms:read",
            Scope::RoomsWrite => "rooms:write",
            Scope::ReactionsWrite => "reactions:write",
            Scope::FilesWrite => "files:write",
            Scope::ProfileWrite => "profile:write",
        }
    }

    /// The FORBIDDEN message of a token lacking this scope.
    pub fn missing(self) -> &'static str {
        match self {
            Scope::MessagesRead => "this token lacks the scope messages:read",
            Scope::MessagesWrite => "this token lacks the scope messages:write",
            Scope::RoomsRead => "this token lacks the scope rooms:read",
            Scope::RoomsWrite => "this token lacks the scope rooms:write",
            Scope::ReactionsWrite => "this token lacks the scope reactions:write",
            Scope::FilesWrite => "this token lacks the scope files:write",
            Scope::ProfileWrite => "this token lacks the scope profile:write",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of scopes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scopes(u8);

impl Scopes {
    pub fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    pub fn with(self, scope: Scope) -> Scopes {
        Scopes(self.0 | scope.bit())
    }

    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// Client input: every name must be a known scope, and at least one given.
    pub fn parse_input(names: &[String]) -> Result<Scopes> {
        let mut scopes = Scopes::default();
        for name in names {
            let scope = Scope::parse(name.trim()).ok_or_else(|| {
                Error::invalid(
                    "scopes",
                    format!(
                        "unknown scope {name:?}; known: {}",
                        Scope::ALL.map(Scope::as_str).join(", ")
                    ),
                )
            })?;
            scopes = scopes.with(scope);
        }
        if scopes == Scopes::default() {
            return Err(Error::invalid("scopes", "a token needs at least one scope"));
        }
        Ok(scopes)
    }

    /// As stored: space-separated names.
    pub fn to_stored(self) -> String {
        self.iter().map(Scope::as_str).collect::<Vec<_>>().join(" ")
    }

    /// From storage; unknown names (from a newer version) are ignored rather than granted.
    pub fn from_stored(stored: &str) -> Scopes {
        stored
            .split_whitespace()
            .filter_map(Scope::parse)
            .fold(Scopes::default(), Scopes::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_through_storage_and_refuse_unknown_names() {
        let scopes = Scopes::parse_input(&["messages:read".into(), "files:write".into()]).unwrap();
        assert!(scopes.contains(Scope::MessagesRead));
        assert!(!scopes.contains(Scope::MessagesWrite));
        assert_eq!(scopes.to_stored(), "messages:read files:write");
        assert_eq!(Scopes::from_stored(&scopes.to_stored()), scopes);
        assert!(Scopes::parse_input(&["admin".into()]).is_err());
        assert!(Scopes::parse_input(&[]).is_err());
        for scope in Scope::ALL {
            assert!(scope.missing().ends_with(scope.as_str()));
        }
    }
}
