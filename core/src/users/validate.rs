//! Input rules for account fields. Each violation is BAD_USER_INPUT naming its field.

use email_address::EmailAddress;

use crate::error::{Error, Result};

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const NICKNAME_MIN: usize = 2;
pub const NICKNAME_MAX: usize = 32;

/// Trims, validates (RFC 5321/5322 via `email_address`) and lower-cases an e-mail address.
pub fn email(raw: &str) -> Result<String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(Error::invalid("email", "email is required"));
    }
    if email.len() > 254 || !EmailAddress::is_valid(&email) || !email.contains('@') {
        return Err(Error::invalid("email", "email is not a valid address"));
    }
    Ok(email)
}

pub fn password(raw: &str) -> Result<()> {
    let len = raw.chars().count();
    if len < PASSWORD_MIN {
        return Err(Error::invalid(
            "password",
            format!("password must be at least {PASSWORD_MIN} characters"),
        ));
    }
    if len > PASSWORD_MAX {
        return Err(Error::invalid(
            "password",
            format!("password must be at most {PASSWORD_MAX} characters"),
        ));
    }
    Ok(())
}

/// Nicknames are what `@mentions` match, so they are short, ASCII and free of spaces and `@`.
pub fn nickname(raw: &str) -> Result<String> {
    let nickname = raw.trim();
    let len = nickname.chars().count();
    if !(NICKNAME_MIN..=NICKNAME_MAX).contains(&len) {
        return Err(Error::invalid(
            "nickname",
            format!("nickname must be {NICKNAME_MIN} to {NICKNAME_MAX} characters"),
        ));
    }
    if !nickname.chars().all(is_nickname_char) {
        return Err(Error::invalid(
            "nickname",
            "nickname may contain only letters A-Z, digits, '_', '.' and '-'",
        ));
    }
    if crate::messages::mentions::RESERVED_NICKNAMES
        .iter()
        .any(|reserved| nickname.eq_ignore_ascii_case(reserved))
    {
        return Err(Error::invalid(
            "nickname",
            format!("@{nickname} is reserved for mentioning many members at once"),
        ));
    }
    Ok(nickname.to_owned())
}

pub fn is_nickname_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(email("  Alice@Example.COM ").unwrap(), "alice@example.com");
    }

    #[test]
    fn malformed_emails_name_the_field() {
        for bad in ["", "alice", "alice@", "@example.com", "a b@example.com"] {
            let err = email(bad).unwrap_err();
            assert_eq!(err.field(), Some("email"), "{bad:?}");
        }
    }

    #[test]
    fn password_length_is_counted_in_characters() {
        assert!(password("ééééééé").is_err());
        assert!(password("éééééééé").is_ok());
        assert!(password(&"x".repeat(129)).is_err());
        assert!(password(&"x".repeat(128)).is_ok());
    }

    #[test]
    fn nicknames_allow_only_the_mention_alphabet() {
        assert_eq!(nickname(" bob_1.x-y ").unwrap(), "bob_1.x-y");
        for bad in ["b", "has space", "at@sign", "ünï", &"n".repeat(33)] {
            assert_eq!(
                nickname(bad).unwrap_err().field(),
                Some("nickname"),
                "{bad:?}"
            );
        }
    }
}
