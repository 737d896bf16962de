//! Regexes compiled on first use. Compiling every rule's regexes cost about 85%
//! of pkscan's startup; most runs (a clean tree, a pre-commit hook with nothing
//! staged) never reach most of them. Syntax is still checked at load, so a bad
//! rule fails before the scan starts.
use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

/// A regex type that can be built from a pattern.
pub trait Build: Sized {
    /// Whether the pattern must match valid UTF-8 only (`regex::Regex`).
    const UTF8: bool;
    fn build(src: &str) -> Result<Self, String>;
}

impl Build for regex::bytes::Regex {
    const UTF8: bool = false;
    fn build(src: &str) -> Result<Self, String> {
        regex::bytes::Regex::new(src).map_err(|e| e.to_string())
    }
}

impl Build for regex::Regex {
    const UTF8: bool = true;
    fn build(src: &str) -> Result<Self, String> {
        regex::Regex::new(src).map_err(|e| e.to_string())
    }
}

/// What to verify about a pattern when a rule is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    None,
    Syntax,
    Compile,
}

/// A regex built on first use (or at once, with `Check::Compile`).
pub struct Lazy<R> {
    src: String,
    cell: OnceLock<R>,
}

impl<R: Build> Lazy<R> {
    /// How much is checked now: `Check::Compile` for user rules (every problem,
    /// size limits included, is reported at load, not in the middle of a scan);
    /// `Check::None` for built-in rules, which the test suite compiles.
    pub fn new(src: &str, check: Check) -> Result<Lazy<R>, String> {
        let cell = OnceLock::new();
        match check {
            Check::Compile => {
                let _ = cell.set(R::build(src)?);
            }
            Check::Syntax => {
                parse(src, R::UTF8)?;
            }
            Check::None => {}
        }
        Ok(Lazy {
            src: src.to_string(),
            cell,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.src
    }
}

impl<R: Build> Deref for Lazy<R> {
    type Target = R;
    fn deref(&self) -> &R {
        self.cell.get_or_init(|| {
            // Syntax was checked at load; built-in rules are compiled by tests.
            R::build(&self.src).unwrap_or_else(|e| panic!("rule regex failed to compile: {e}"))
        })
    }
}

impl<R> fmt::Debug for Lazy<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lazy({:?})", self.src)
    }
}

fn parse(src: &str, utf8: bool) -> Result<regex_syntax::hir::Hir, String> {
    regex_syntax::ParserBuilder::new()
        .utf8(utf8)
        .build()
        .parse(src)
        .map_err(|e| e.to_string())
}

/// The capture groups of a pattern: how many (including group 0) and the index
/// of the group named `name`, if any, without compiling it.
pub fn captures(src: &str, name: &str) -> Result<(usize, Option<usize>), String> {
    let hir = parse(src, false)?;
    let count = hir.properties().explicit_captures_len() + 1;
    Ok((count, find_named(&hir, name)))
}

fn find_named(hir: &regex_syntax::hir::Hir, name: &str) -> Option<usize> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            if c.name.as_deref() == Some(name) {
                Some(c.index as usize)
            } else {
                find_named(&c.sub, name)
            }
        }
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().find_map(|h| find_named(h, name)),
        HirKind::Repetition(r) => find_named(&r.sub, name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_regexes_compile_on_first_use_and_check_syntax_at_once() {
        let re: Lazy<regex::bytes::Regex> = Lazy::new(r"(?-u)pk_\xFF(\d+)", Check::Syntax).unwrap();
        assert!(re.cell.get().is_none());
        assert!(re.is_match(b"pk_\xFF12"));
        assert!(re.cell.get().is_some());
        assert!(Lazy::<regex::Regex>::new("(unclosed", Check::Syntax).is_err());
        assert!(Lazy::<regex::bytes::Regex>::new("(unclosed", Check::Compile).is_err());
    }

    #[test]
    fn capture_groups_without_compiling() {
        assert_eq!(
            captures(r"a(b)(?P<secret>c)", "secret").unwrap(),
            (3, Some(2))
        );
        assert_eq!(captures(r"a(b)", "secret").unwrap(), (2, None));
        assert_eq!(
            captures(r"x(?:(?P<secret>y)|z)+", "secret").unwrap(),
            (2, Some(1))
        );
    }
}
