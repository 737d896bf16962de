//! Classification of raw matches: who owns a key (attribution), where it sits
//! (context), and how severe that makes it.
pub mod attribution;
pub mod code;
pub mod context;
pub mod evidence;
pub mod lexer;
pub mod project;

use crate::finding::{Context, KeyEnvironment, Severity};

/// Severity of a key from its kind and where it sits: a live key in code that
/// ships to users is critical; hardcoded on a server or committed in config it is
/// high; docs and tests are one step lower; test keys rank one step below live.
pub fn key_severity(env: KeyEnvironment, context: Context) -> Severity {
    let base = match context {
        Context::ClientJs | Context::Mobile | Context::BrowserStorage => Severity::Critical,
        Context::Server | Context::Config => Severity::High,
        Context::Docs | Context::Test => Severity::Medium,
    };
    match env {
        KeyEnvironment::Test => base.lower(),
        KeyEnvironment::Live | KeyEnvironment::Unknown => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_matrix() {
        use KeyEnvironment::{Live, Test};
        assert_eq!(key_severity(Live, Context::ClientJs), Severity::Critical);
        assert_eq!(
            key_severity(Live, Context::BrowserStorage),
            Severity::Critical
        );
        assert_eq!(key_severity(Live, Context::Server), Severity::High);
        assert_eq!(key_severity(Live, Context::Docs), Severity::Medium);
        assert_eq!(key_severity(Test, Context::Mobile), Severity::High);
        assert_eq!(key_severity(Test, Context::Config), Severity::Medium);
        assert_eq!(key_severity(Test, Context::Test), Severity::Low);
    }
}
