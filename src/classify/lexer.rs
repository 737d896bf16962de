//! Small comment-aware lexers, one per language family, that turn the code
//! around a hit into tokens: identifiers, string literals, comments, brackets
//! and punctuation. They never fail and never look back: any byte sequence
//! lexes in one linear pass, and a construct they do not know becomes
//! punctuation. Structure (what encloses a hit) is built on top, in `code`.

/// How a file's text is tokenised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// JavaScript and TypeScript (template literals, regex literals, JSX).
    Js,
    /// Other brace languages and JSON: Java, Kotlin, Swift, Go, C#, C, Dart,
    /// Scala, Groovy/Gradle.
    CLike,
    /// Rust: `'a` lifetimes are not quotes.
    Rust,
    /// PHP, HCL/Terraform: brace languages that also comment with `#`.
    HashCLike,
    Python,
    Ruby,
    /// sh, bash, zsh, Dockerfile `RUN` lines: words, quotes, `\` continuations.
    Shell,
    /// YAML: nesting by indentation becomes virtual brackets.
    Yaml,
    /// `.env`, INI, properties, TOML, xcconfig: `key = value` lines under sections.
    Ini,
    /// HTML, XML, plist, Vue/Svelte/Astro templates: tags and attributes; the
    /// content of `<script>` lexes as JavaScript.
    Markup,
    /// Markdown and other prose: fenced code lexes by its language tag.
    Prose,
}

impl Lang {
    /// The language of a file from its name (lower case) and its first bytes.
    pub fn of(name: &str, head: &[u8]) -> Lang {
        let ext = match name.rfind('.') {
            Some(i) => &name[i + 1..],
            None => "",
        };
        match ext {
            "js" | "mjs" | "cjs" | "jsx" | "ts" | "mts" | "cts" | "tsx" | "map" => Lang::Js,
            "java" | "kt" | "kts" | "gradle" | "groovy" | "scala" | "swift" | "go" | "cs" | "c"
            | "cc" | "cpp" | "h" | "hpp" | "m" | "mm" | "dart" | "json" | "jsonc" | "json5"
            | "proto" | "ipynb" | "jsonl" | "webmanifest" => Lang::CLike,
            "rs" => Lang::Rust,
            "php" | "tf" | "tfvars" | "hcl" => Lang::HashCLike,
            "py" | "pyw" | "pyi" => Lang::Python,
            // Elixir and PowerShell comment with `#`, bind with `=` (and `@name
            // value` in Elixir) and nest with brackets like Ruby does.
            "rb" | "rake" | "gemspec" | "ru" | "ex" | "exs" | "ps1" | "psm1" => Lang::Ruby,
            "sh" | "bash" | "zsh" | "ksh" | "fish" | "envrc" => Lang::Shell,
            "yml" | "yaml" => Lang::Yaml,
            "env" | "ini" | "cfg" | "conf" | "properties" | "toml" | "xcconfig" | "npmrc"
            | "editorconfig" => Lang::Ini,
            "html" | "htm" | "xhtml" | "xml" | "plist" | "vue" | "svelte" | "astro"
            | "storyboard" | "xib" | "csproj" | "config" | "svg" | "erb" | "ejs" | "hbs"
            | "handlebars" | "mustache" | "njk" | "twig" | "jinja" | "jinja2" | "j2" | "liquid"
            | "cshtml" | "razor" | "jsp" | "gohtml" | "tmpl" => Lang::Markup,
            "md" | "mdx" | "markdown" | "rst" | "txt" | "adoc" => Lang::Prose,
            _ => {
                if name.starts_with(".env") || name.ends_with("rc") && !name.contains('.') {
                    Lang::Ini
                } else if name == "dockerfile" || name.starts_with("dockerfile.") {
                    Lang::Shell
                } else if name == "gemfile" || name == "rakefile" || name == "podfile" {
                    Lang::Ruby
                } else if head.starts_with(b"#!") {
                    let line = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
                    if contains(line, b"python") {
                        Lang::Python
                    } else if contains(line, b"ruby") {
                        Lang::Ruby
                    } else if contains(line, b"node") || contains(line, b"deno") {
                        Lang::Js
                    } else {
                        Lang::Shell
                    }
                } else {
                    Lang::Prose
                }
            }
        }
    }

    /// Whether a line break ends a statement outside brackets.
    pub fn newline_ends_statement(self) -> bool {
        !matches!(self, Lang::CLike | Lang::Rust | Lang::HashCLike)
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A name: `apiKey`, `$token`, `PICTIFY_API_KEY`, a YAML or INI key.
    Ident,
    /// A string literal, quotes included (`'…'`, `"…"`, `` `…${x}…` ``, `"""…"""`).
    Str,
    /// Unquoted text: a YAML/INI/.env value, a shell word, markup text.
    Text,
    Num,
    Comment,
    /// `(`, `[`, `{`, `<` (a markup tag), or a virtual bracket: `V` (YAML
    /// nesting, INI section, fenced code), `S` (an inline script's body).
    Open(u8),
    Close(u8),
    /// `=` (also `:=`, `=>`, `+=`), `:`, `,`, `;`, `.` (also `?.`, `::`, `->`),
    /// `+`, `<`, `>`, `@`, `!`, `?`, `*`, `/`, `|`, `&`, `-`, `#`, `$`; `~` for any
    /// comparison (`==`, `!=`, `<=`, `>=`).
    Punct(u8),
    /// A line break that ends a statement (not inside brackets of Python, not
    /// after a `\` continuation).
    Newline,
}

/// One token: its kind and byte range in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tok {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
}

impl Tok {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Tokenises `text[lo..hi]` (offsets stay those of `text`).
pub fn lex(text: &[u8], lo: usize, hi: usize, lang: Lang) -> Vec<Tok> {
    let hi = hi.min(text.len()).min(u32::MAX as usize);
    let mut lx = Lexer {
        t: text,
        i: lo.min(hi),
        end: hi,
        out: Vec::with_capacity((hi - lo.min(hi)) / 4),
        depth: 0,
    };
    match lang {
        Lang::Js => lx.code(Flavor::JS),
        Lang::CLike => lx.code(Flavor::CLIKE),
        Lang::Rust => lx.code(Flavor {
            short_single: true,
            ..Flavor::CLIKE
        }),
        Lang::HashCLike => lx.code(Flavor {
            hash_comments: true,
            ..Flavor::CLIKE
        }),
        Lang::Python => lx.code(Flavor::PYTHON),
        Lang::Ruby => lx.code(Flavor::RUBY),
        Lang::Shell => lx.shell(),
        Lang::Yaml => lx.yaml(),
        Lang::Ini => lx.ini(),
        Lang::Markup => lx.markup(),
        Lang::Prose => lx.prose(),
    }
    lx.out
}

/// Differences between the code lexers.
#[derive(Clone, Copy)]
struct Flavor {
    slash_comments: bool,
    hash_comments: bool,
    /// JS: `` ` `` strings with `${}`; Go: raw; Kotlin/Swift/Dart: not a quote.
    backtick: bool,
    regex_literals: bool,
    triple_quotes: bool,
    newline_sensitive: bool,
    /// Python `\` at line end joins lines (shell too, elsewhere).
    backslash_joins: bool,
    /// Python: a line break inside brackets never ends a statement.
    brackets_join: bool,
    /// `'` starts a string only if it closes within a few bytes (Rust lifetimes).
    short_single: bool,
}

impl Flavor {
    const JS: Flavor = Flavor {
        brackets_join: false,
        slash_comments: true,
        hash_comments: false,
        backtick: true,
        regex_literals: true,
        triple_quotes: false,
        newline_sensitive: true,
        backslash_joins: false,
        short_single: false,
    };
    const CLIKE: Flavor = Flavor {
        brackets_join: false,
        slash_comments: true,
        // PHP and HCL also comment with `#`; elsewhere `#` is rare outside
        // preprocessor lines, which are statements of their own anyway.
        hash_comments: false,
        backtick: true,
        regex_literals: false,
        triple_quotes: true,
        newline_sensitive: true,
        backslash_joins: false,
        short_single: false,
    };
    const PYTHON: Flavor = Flavor {
        brackets_join: true,
        slash_comments: false,
        hash_comments: true,
        backtick: false,
        regex_literals: false,
        triple_quotes: true,
        newline_sensitive: true,
        backslash_joins: true,
        short_single: false,
    };
    const RUBY: Flavor = Flavor {
        brackets_join: false,
        slash_comments: false,
        hash_comments: true,
        backtick: true,
        regex_literals: false,
        triple_quotes: false,
        newline_sensitive: true,
        backslash_joins: true,
        short_single: false,
    };
}

struct Lexer<'a> {
    t: &'a [u8],
    i: usize,
    end: usize,
    out: Vec<Tok>,
    /// Bracket depth, for newline sensitivity inside brackets.
    depth: usize,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80
}
fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> u8 {
        if i < self.end {
            self.t[i]
        } else {
            0
        }
    }
    fn push(&mut self, kind: Kind, start: usize, end: usize) {
        self.out.push(Tok {
            kind,
            start: start as u32,
            end: end.min(self.end) as u32,
        });
    }
    fn starts(&self, s: &[u8]) -> bool {
        self.t[self.i..self.end].starts_with(s)
    }
    /// The last significant token (not a comment).
    fn last_kind(&self) -> Option<Kind> {
        self.out
            .iter()
            .rev()
            .find(|t| t.kind != Kind::Comment)
            .map(|t| t.kind)
    }

    fn code(&mut self, f: Flavor) {
        while self.i < self.end {
            let b = self.t[self.i];
            let s = self.i;
            match b {
                b'\n' => {
                    self.i += 1;
                    if f.newline_sensitive
                        && !(f.brackets_join && self.depth > 0)
                        && self.last_kind() != Some(Kind::Newline)
                    {
                        self.push(Kind::Newline, s, s + 1);
                    }
                }
                b' ' | b'\t' | b'\r' | 0x0c => self.i += 1,
                b'\\' if f.backslash_joins && matches!(self.at(s + 1), b'\n' | b'\r') => {
                    self.i += if self.at(s + 1) == b'\r' { 3 } else { 2 };
                }
                b'/' if f.slash_comments && self.at(s + 1) == b'/' => self.line_comment(),
                b'/' if f.slash_comments && self.at(s + 1) == b'*' => {
                    let close = memchr::memmem::find(&self.t[s + 2..self.end], b"*/")
                        .map_or(self.end, |j| s + 2 + j + 2);
                    self.i = close;
                    self.push(Kind::Comment, s, close);
                }
                b'#' if f.hash_comments => self.line_comment(),
                b'=' if f.hash_comments
                    && !f.slash_comments
                    && !f.brackets_join
                    && self.starts(b"=begin")
                    && (s == 0 || self.t[s - 1] == b'\n') =>
                {
                    // Ruby block comments.
                    let close = memchr::memmem::find(&self.t[s..self.end], b"\n=end")
                        .map_or(self.end, |j| s + j + 5);
                    self.i = close;
                    self.push(Kind::Comment, s, close);
                }
                b'"' | b'\'' => {
                    if f.triple_quotes && self.at(s + 1) == b && self.at(s + 2) == b {
                        self.triple(b);
                    } else if b == b'\'' && f.short_single && !self.short_char() {
                        self.i += 1;
                        self.push(Kind::Punct(b'\''), s, s + 1);
                    } else {
                        self.quoted(b, f.regex_literals);
                    }
                }
                b'`' if f.backtick => self.template(),
                b'/' if f.regex_literals && self.regex_allowed() => self.regex(),
                b'0'..=b'9' => {
                    let mut j = s + 1;
                    while j < self.end && (is_ident(self.t[j]) || self.t[j] == b'.') {
                        j += 1;
                    }
                    self.i = j;
                    self.push(Kind::Num, s, j);
                }
                b'(' | b'[' | b'{' => {
                    self.i += 1;
                    self.depth += 1;
                    self.push(Kind::Open(b), s, s + 1);
                }
                b')' | b']' | b'}' => {
                    self.i += 1;
                    self.depth = self.depth.saturating_sub(1);
                    self.push(Kind::Close(b), s, s + 1);
                }
                _ if is_ident_start(b) => {
                    // Python string prefixes: f"…", rb'…', u"…".
                    let mut j = s + 1;
                    while j < self.end && is_ident(self.t[j]) {
                        j += 1;
                    }
                    let q = self.at(j);
                    if f.brackets_join
                        && (q == b'"' || q == b'\'')
                        && j - s <= 2
                        && self.t[s..j].iter().all(|c| b"rRbBuUfF".contains(c))
                    {
                        self.i = j;
                        if f.triple_quotes && self.at(j + 1) == q && self.at(j + 2) == q {
                            self.triple(q);
                        } else {
                            self.quoted(q, false);
                        }
                        if let Some(last) = self.out.last_mut() {
                            last.start = s as u32;
                        }
                    } else {
                        self.i = j;
                        self.push(Kind::Ident, s, j);
                    }
                }
                _ => self.punct(),
            }
        }
    }

    fn line_comment(&mut self) {
        let s = self.i;
        let e = memchr::memchr(b'\n', &self.t[s..self.end]).map_or(self.end, |j| s + j);
        self.i = e;
        self.push(Kind::Comment, s, e);
    }

    /// Operators: a few multi-byte ones are told apart (assignment from
    /// comparison, member access), the rest are single bytes.
    fn punct(&mut self) {
        let s = self.i;
        let b = self.t[s];
        let n = self.at(s + 1);
        let (kind, len) = match (b, n) {
            (b'=', b'=') | (b'!', b'=') | (b'<', b'=') | (b'>', b'=') => {
                let len = if self.at(s + 2) == b'=' { 3 } else { 2 };
                (Kind::Punct(b'~'), len)
            }
            (b'=', b'>') | (b':', b'=') => (Kind::Punct(b'='), 2),
            (b'+', b'=') | (b'|', b'=') | (b'?', b'?') if self.at(s + 2) == b'=' || n == b'=' => {
                (Kind::Punct(b'='), if n == b'=' { 2 } else { 3 })
            }
            (b'?', b'.') | (b':', b':') | (b'-', b'>') => (Kind::Punct(b'.'), 2),
            (b'&', b'&') | (b'|', b'|') | (b'?', b'?') => (Kind::Punct(b'|'), 2),
            _ => (Kind::Punct(b), 1),
        };
        self.i = s + len;
        self.push(kind, s, s + len);
    }

    /// A quoted string ending at the same quote (escapes honoured). Single-line
    /// quotes end at a line break too: an unclosed quote never swallows a file.
    fn quoted(&mut self, q: u8, _js: bool) {
        let s = self.i;
        let mut j = s + 1;
        while j < self.end {
            match self.t[j] {
                b'\\' => j += 2,
                b'\n' => break,
                c if c == q => {
                    j += 1;
                    break;
                }
                _ => j += 1,
            }
        }
        let j = j.min(self.end);
        self.i = j;
        self.push(Kind::Str, s, j);
    }

    fn triple(&mut self, q: u8) {
        let s = self.i;
        let pat = [q, q, q];
        let close = memchr::memmem::find(&self.t[s + 3..self.end], &pat)
            .map_or(self.end, |j| s + 3 + j + 3);
        self.i = close;
        self.push(Kind::Str, s, close);
    }

    /// `'x'`, `'\n'`, `'\u{1F600}'`: a char literal; `'a` in `&'a str` is not.
    fn short_char(&self) -> bool {
        let s = self.i;
        if self.at(s + 1) == b'\\' {
            return (s + 3..(s + 12).min(self.end)).any(|j| self.t[j] == b'\'');
        }
        (s + 2..(s + 6).min(self.end)).any(|j| self.t[j] == b'\'')
    }

    /// A JavaScript template literal; `${…}` may nest strings and templates.
    fn template(&mut self) {
        let s = self.i;
        let mut j = s + 1;
        // Depth of `${` nesting, and inside each whether in a nested template.
        let mut stack: Vec<u32> = Vec::new();
        while j < self.end {
            let c = self.t[j];
            if let Some(braces) = stack.last_mut() {
                match c {
                    b'{' => *braces += 1,
                    b'}' => {
                        if *braces == 0 {
                            stack.pop();
                        } else {
                            *braces -= 1;
                        }
                    }
                    b'"' | b'\'' => {
                        j += 1;
                        while j < self.end && self.t[j] != c && self.t[j] != b'\n' {
                            j += if self.t[j] == b'\\' { 2 } else { 1 };
                        }
                    }
                    b'`' => {
                        // A nested template: lex it by recursion's equivalent,
                        // skipping to its end (one level is what real code uses).
                        j += 1;
                        while j < self.end && self.t[j] != b'`' {
                            j += if self.t[j] == b'\\' { 2 } else { 1 };
                        }
                    }
                    _ => {}
                }
                j += 1;
                continue;
            }
            match c {
                b'\\' => j += 2,
                b'`' => {
                    j += 1;
                    break;
                }
                b'$' if self.at(j + 1) == b'{' => {
                    stack.push(0);
                    j += 2;
                }
                _ => j += 1,
            }
            if stack.len() > 64 {
                break;
            }
        }
        let j = j.min(self.end);
        self.i = j;
        self.push(Kind::Str, s, j);
    }

    /// Whether a `/` here starts a regex literal rather than a division.
    fn regex_allowed(&self) -> bool {
        match self.last_kind() {
            None | Some(Kind::Newline) | Some(Kind::Open(_)) | Some(Kind::Comment) => true,
            Some(Kind::Punct(p)) => p != b'.',
            Some(Kind::Ident) => {
                let t = self
                    .out
                    .iter()
                    .rev()
                    .find(|t| t.kind == Kind::Ident)
                    .unwrap();
                matches!(
                    &self.t[t.range()],
                    b"return" | b"typeof" | b"case" | b"in" | b"of" | b"yield" | b"await"
                )
            }
            _ => false,
        }
    }

    fn regex(&mut self) {
        let s = self.i;
        let mut j = s + 1;
        let mut class = false;
        while j < self.end {
            match self.t[j] {
                b'\\' => j += 1,
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => {
                    j += 1;
                    while j < self.end && self.t[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    break;
                }
                b'\n' => break,
                _ => {}
            }
            j += 1;
        }
        let j = j.min(self.end);
        self.i = j;
        // A regex is a literal like a string, but never holds a real key.
        self.push(Kind::Punct(b'/'), s, j);
    }

    /// Shell: commands of words; `#` comments at a word's start; quotes;
    /// `\` continuations; `$VAR`, `${VAR}` and `$(…)`.
    fn shell(&mut self) {
        while self.i < self.end {
            let s = self.i;
            let b = self.t[s];
            match b {
                b'\n' => {
                    self.i += 1;
                    if self.last_kind() != Some(Kind::Newline) {
                        self.push(Kind::Newline, s, s + 1);
                    }
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\\' if matches!(self.at(s + 1), b'\n' | b'\r') => {
                    self.i += if self.at(s + 1) == b'\r' { 3 } else { 2 };
                }
                b'#' => self.line_comment(),
                b'"' | b'\'' => self.shell_quoted(b),
                b';' | b'|' | b'&' => {
                    self.i += 1;
                    self.push(Kind::Newline, s, s + 1);
                }
                b'(' | b')' | b'{' | b'}' => {
                    self.i += 1;
                    let k = if matches!(b, b'(' | b'{') {
                        Kind::Open(b)
                    } else {
                        Kind::Close(b)
                    };
                    self.push(k, s, s + 1);
                }
                _ => {
                    // A word, possibly `NAME=value`.
                    let mut j = s;
                    while j < self.end && is_ident(self.t[j]) {
                        j += 1;
                    }
                    if j > s && self.at(j) == b'=' && is_ident_start(self.t[s]) && b != b'$' {
                        self.push(Kind::Ident, s, j);
                        self.push(Kind::Punct(b'='), j, j + 1);
                        self.i = j + 1;
                        continue;
                    }
                    let mut j = s;
                    while j < self.end
                        && !matches!(
                            self.t[j],
                            b' ' | b'\t'
                                | b'\n'
                                | b'\r'
                                | b';'
                                | b'|'
                                | b'&'
                                | b'"'
                                | b'\''
                                | b'('
                                | b')'
                        )
                    {
                        j += if self.t[j] == b'\\' { 2 } else { 1 };
                    }
                    let j = j.min(self.end).max(s + 1);
                    self.i = j;
                    let kind = if is_ident_start(b) && self.t[s..j].iter().all(|&c| is_ident(c)) {
                        Kind::Ident
                    } else {
                        Kind::Text
                    };
                    self.push(kind, s, j);
                }
            }
        }
    }

    fn shell_quoted(&mut self, q: u8) {
        let s = self.i;
        let mut j = s + 1;
        while j < self.end && self.t[j] != q {
            j += if q == b'"' && self.t[j] == b'\\' {
                2
            } else {
                1
            };
        }
        let j = (j + 1).min(self.end);
        self.i = j;
        self.push(Kind::Str, s, j);
    }

    /// YAML: `key: value` lines; deeper indentation opens a virtual bracket
    /// after a key, so nesting reads like an object literal. Flow collections
    /// (`{…}`, `[…]`) use real brackets. Block scalars (`run: |`) lex as shell,
    /// which is what CI steps and compose `command:` blocks hold.
    fn yaml(&mut self) {
        // Indentation of each open virtual bracket.
        let mut indents: Vec<usize> = Vec::new();
        while self.i < self.end {
            let line_start = self.i;
            let line_end = memchr::memchr(b'\n', &self.t[line_start..self.end])
                .map_or(self.end, |j| line_start + j);
            let mut k = line_start;
            while k < line_end && (self.t[k] == b' ' || self.t[k] == b'\t') {
                k += 1;
            }
            let indent = k - line_start;
            let blank = k >= line_end || self.t[k] == b'\r';
            if blank {
                self.i = line_end + 1;
                continue;
            }
            if self.t[k] == b'#' {
                self.push(Kind::Comment, k, line_end);
                self.i = line_end + 1;
                continue;
            }
            while indents.last().is_some_and(|&d| d >= indent) {
                indents.pop();
                self.push(Kind::Close(b'V'), line_start, line_start);
            }
            // List items: `- key: value` is a key at the item's indentation.
            let mut c = k;
            while c < line_end && self.t[c] == b'-' && matches!(self.at(c + 1), b' ' | b'\n') {
                self.push(Kind::Punct(b'-'), c, c + 1);
                // A bare `-` ends the line: the item's value is on the next one.
                c = (c + 2).min(line_end);
                while c < line_end && self.t[c] == b' ' {
                    c += 1;
                }
            }
            let block = self.yaml_line(c, line_end);
            self.push(Kind::Newline, line_end, line_end);
            self.i = line_end + 1;
            if let Some(opened) = block {
                indents.push(indent);
                self.push(Kind::Open(b'V'), line_end, line_end);
                if opened {
                    // A block scalar: every deeper line is its content.
                    let start = (line_end + 1).min(self.end);
                    let mut e = start;
                    loop {
                        if e >= self.end {
                            break;
                        }
                        let le =
                            memchr::memchr(b'\n', &self.t[e..self.end]).map_or(self.end, |j| e + j);
                        let mut d = e;
                        while d < le && self.t[d] == b' ' {
                            d += 1;
                        }
                        if d < le && self.t[d] != b'\r' && d - e <= indent {
                            break;
                        }
                        e = (le + 1).min(self.end);
                    }
                    let saved_end = self.end;
                    self.end = e;
                    self.i = start;
                    self.shell();
                    self.end = saved_end;
                    self.i = e;
                }
            }
        }
        for _ in indents {
            self.push(Kind::Close(b'V'), self.end, self.end);
        }
    }

    /// One YAML line from `c`: returns `Some(block_scalar)` when the line is a
    /// key whose value continues on deeper lines.
    fn yaml_line(&mut self, c: usize, e: usize) -> Option<bool> {
        let e = if e > c && self.t[e - 1] == b'\r' {
            e - 1
        } else {
            e
        };
        // The key: up to `: ` or `:` at the end, outside quotes.
        let mut j = c;
        let quoted_key = matches!(self.at(c), b'"' | b'\'');
        if quoted_key {
            let q = self.t[c];
            j += 1;
            while j < e && self.t[j] != q {
                j += 1;
            }
            j += 1;
        }
        while j < e && !(self.t[j] == b':' && (j + 1 == e || self.t[j + 1] == b' ')) {
            if !quoted_key && (self.t[j] == b'"' || self.t[j] == b'\'' || self.t[j] == b'{') {
                break;
            }
            j += 1;
        }
        if j < e && self.t[j] == b':' && j > c {
            self.push(Kind::Ident, c, j);
            self.push(Kind::Punct(b':'), j, j + 1);
            let mut v = j + 1;
            while v < e && self.t[v] == b' ' {
                v += 1;
            }
            if v >= e {
                return Some(false);
            }
            if matches!(self.t[v], b'|' | b'>') {
                return Some(true);
            }
            self.yaml_value(v, e);
            return None;
        }
        self.yaml_value(c, e);
        None
    }

    fn yaml_value(&mut self, v: usize, e: usize) {
        if v >= e {
            return;
        }
        match self.t[v] {
            b'"' | b'\'' => {
                self.i = v;
                let q = self.t[v];
                let saved = self.end;
                self.end = e;
                self.shell_quoted(q);
                self.end = saved;
                let after = self.i;
                self.trailing_comment(after, e);
            }
            b'{' | b'[' => {
                let saved = self.end;
                self.end = e;
                self.i = v;
                self.code(Flavor::PYTHON);
                self.end = saved;
            }
            _ => {
                // Plain scalar up to ` #`.
                let mut end = e;
                if let Some(h) = memchr::memmem::find(&self.t[v..e], b" #") {
                    end = v + h;
                }
                let mut te = end;
                while te > v && self.t[te - 1] == b' ' {
                    te -= 1;
                }
                self.push(Kind::Text, v, te);
                self.trailing_comment(end, e);
            }
        }
    }

    fn trailing_comment(&mut self, from: usize, e: usize) {
        if let Some(h) = memchr::memchr(b'#', &self.t[from.min(e)..e]) {
            self.push(Kind::Comment, from + h, e);
        }
    }

    /// `.env`, INI, properties, TOML: `[section]` opens a virtual bracket that
    /// the next section closes; `key = value`, `key: value`, `export KEY=value`.
    fn ini(&mut self) {
        let mut section_open = false;
        while self.i < self.end {
            let ls = self.i;
            let le = memchr::memchr(b'\n', &self.t[ls..self.end]).map_or(self.end, |j| ls + j);
            let e = if le > ls && self.t[le - 1] == b'\r' {
                le - 1
            } else {
                le
            };
            let mut k = ls;
            while k < e && (self.t[k] == b' ' || self.t[k] == b'\t') {
                k += 1;
            }
            self.i = le + 1;
            if k >= e {
                continue;
            }
            match self.t[k] {
                b'#' | b';' | b'!' => self.push(Kind::Comment, k, e),
                b'[' => {
                    if section_open {
                        self.push(Kind::Close(b'V'), ls, ls);
                    }
                    let close = memchr::memchr(b']', &self.t[k..e]).map_or(e, |j| k + j);
                    let name_s = k + 1 + (self.at(k + 1) == b'[') as usize;
                    self.push(Kind::Ident, name_s, close);
                    self.push(Kind::Punct(b':'), close, close);
                    self.push(Kind::Open(b'V'), e, e);
                    section_open = true;
                }
                _ => {
                    let mut ks = k;
                    if self.t[k..e].starts_with(b"export ") {
                        ks = k + 7;
                        while ks < e && self.t[ks] == b' ' {
                            ks += 1;
                        }
                    }
                    let sep = self.t[ks..e]
                        .iter()
                        .position(|&c| c == b'=' || c == b':')
                        .map(|j| ks + j);
                    match sep {
                        Some(p) => {
                            let mut ke = p;
                            while ke > ks && self.t[ke - 1] == b' ' {
                                ke -= 1;
                            }
                            self.push(Kind::Ident, ks, ke);
                            self.push(Kind::Punct(b'='), p, p + 1);
                            let mut v = p + 1;
                            while v < e && self.t[v] == b' ' {
                                v += 1;
                            }
                            if v < e {
                                self.yaml_value(v, e);
                            }
                        }
                        None => self.push(Kind::Text, ks, e),
                    }
                }
            }
            self.push(Kind::Newline, e, e);
        }
        if section_open {
            self.push(Kind::Close(b'V'), self.end, self.end);
        }
    }

    /// Markup: each tag is a bracket pair `<name attr="v" …>`; text between
    /// tags is `Text`; `<script>` bodies lex as JavaScript and `<!-- -->` is a
    /// comment. Elements are not nested here: what matters for a value is its
    /// own tag, the tag before it, and the attributes beside it.
    fn markup(&mut self) {
        while self.i < self.end {
            let s = self.i;
            let b = self.t[s];
            if b == b'<' {
                if self.starts(b"<!--") {
                    let close = memchr::memmem::find(&self.t[s + 4..self.end], b"-->")
                        .map_or(self.end, |j| s + 4 + j + 3);
                    self.push(Kind::Comment, s, close);
                    self.i = close;
                    continue;
                }
                if self.starts(b"<![CDATA[") {
                    let close = memchr::memmem::find(&self.t[s..self.end], b"]]>")
                        .map_or(self.end, |j| s + j + 3);
                    self.push(Kind::Text, s + 9, close.saturating_sub(3).max(s + 9));
                    self.i = close;
                    continue;
                }
                let name_s = s + 1 + (self.at(s + 1) == b'/') as usize;
                if !(self.at(name_s).is_ascii_alphabetic() || self.at(name_s) == b'!') {
                    self.i += 1;
                    self.push(Kind::Text, s, s + 1);
                    continue;
                }
                let mut j = name_s;
                while j < self.end
                    && !matches!(self.t[j], b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
                {
                    j += 1;
                }
                let name = &self.t[name_s..j];
                let is_script = name.eq_ignore_ascii_case(b"script") && name_s == s + 1;
                let is_style = name.eq_ignore_ascii_case(b"style") && name_s == s + 1;
                self.push(Kind::Open(b'<'), s, s + 1);
                if name_s > s + 1 {
                    self.push(Kind::Punct(b'/'), s + 1, s + 2);
                }
                self.push(Kind::Ident, name_s, j);
                self.i = j;
                self.tag_attributes();
                if is_script || is_style {
                    let body_s = self.i;
                    let close = find_ci(
                        &self.t[body_s..self.end],
                        if is_script { b"</script" } else { b"</style" },
                    )
                    .map_or(self.end, |k| body_s + k);
                    if is_script {
                        // The body sits in a virtual bracket `S`, so what encloses
                        // a hit in it says "an inline script".
                        let saved = self.end;
                        self.end = close;
                        self.push(Kind::Open(b'S'), body_s, body_s);
                        self.code(Flavor::JS);
                        self.push(Kind::Close(b'S'), close, close);
                        self.end = saved;
                    }
                    self.i = close;
                }
            } else {
                let e = memchr::memchr(b'<', &self.t[s..self.end]).map_or(self.end, |j| s + j);
                // Trim whitespace: text tokens are the words a value sits in.
                let (mut ts, mut te) = (s, e);
                while ts < te && self.t[ts].is_ascii_whitespace() {
                    ts += 1;
                }
                while te > ts && self.t[te - 1].is_ascii_whitespace() {
                    te -= 1;
                }
                if te > ts {
                    self.push(Kind::Text, ts, te);
                }
                self.i = e;
            }
        }
    }

    /// Attributes up to the tag's `>`: `name="v"`, `name='v'`, `name={expr}`
    /// (JSX-like templates), bare names.
    fn tag_attributes(&mut self) {
        while self.i < self.end {
            let s = self.i;
            match self.t[s] {
                b'>' => {
                    self.i += 1;
                    self.push(Kind::Close(b'>'), s, s + 1);
                    return;
                }
                b'/' if self.at(s + 1) == b'>' => {
                    self.i += 2;
                    self.push(Kind::Close(b'>'), s, s + 2);
                    return;
                }
                b' ' | b'\t' | b'\n' | b'\r' | b'/' => self.i += 1,
                b'"' | b'\'' => self.shell_quoted(self.t[s]),
                b'=' => {
                    self.i += 1;
                    self.push(Kind::Punct(b'='), s, s + 1);
                }
                b'{' => {
                    // `{expr}`: balanced braces, lexed as JavaScript.
                    let mut depth = 0usize;
                    let mut j = s;
                    while j < self.end {
                        match self.t[j] {
                            b'{' => depth += 1,
                            b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    let saved = self.end;
                    self.end = (j + 1).min(saved);
                    self.code(Flavor::JS);
                    self.end = saved;
                }
                _ => {
                    let mut j = s;
                    while j < self.end
                        && !matches!(self.t[j], b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'=' | b'/')
                    {
                        j += 1;
                    }
                    let j = j.max(s + 1);
                    self.i = j;
                    self.push(Kind::Ident, s, j);
                }
            }
        }
    }

    /// Prose: text lines, with fenced code blocks lexed by their language.
    fn prose(&mut self) {
        while self.i < self.end {
            let ls = self.i;
            let le = memchr::memchr(b'\n', &self.t[ls..self.end]).map_or(self.end, |j| ls + j);
            let line = &self.t[ls..le];
            let trimmed = trim_start(line);
            self.i = le + 1;
            if trimmed.starts_with(b"```") || trimmed.starts_with(b"~~~") {
                let fence = &trimmed[..3];
                let tag: Vec<u8> = trimmed[3..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b'+')
                    .map(u8::to_ascii_lowercase)
                    .collect();
                let body_s = (le + 1).min(self.end);
                let mut close = self.end;
                let mut j = body_s;
                while j < self.end {
                    let e = memchr::memchr(b'\n', &self.t[j..self.end]).map_or(self.end, |k| j + k);
                    if trim_start(&self.t[j..e]).starts_with(fence) {
                        close = j;
                        break;
                    }
                    j = e + 1;
                }
                let lang = fence_lang(&tag);
                let saved = self.end;
                self.end = close;
                self.i = body_s;
                self.push(Kind::Open(b'V'), body_s, body_s);
                match lang {
                    Lang::Prose => self.prose_line_words(),
                    Lang::Js => self.code(Flavor::JS),
                    Lang::CLike | Lang::Rust => self.code(Flavor::CLIKE),
                    Lang::HashCLike => self.code(Flavor {
                        hash_comments: true,
                        ..Flavor::CLIKE
                    }),
                    Lang::Python => self.code(Flavor::PYTHON),
                    Lang::Ruby => self.code(Flavor::RUBY),
                    Lang::Shell => self.shell(),
                    Lang::Yaml => self.yaml(),
                    Lang::Ini => self.ini(),
                    Lang::Markup => self.markup(),
                }
                self.push(Kind::Close(b'V'), close, close);
                self.end = saved;
                let after = memchr::memchr(b'\n', &self.t[close.min(saved)..saved])
                    .map_or(saved, |k| close + k + 1);
                self.i = after;
                continue;
            }
            if !trimmed.is_empty() {
                let s = le - trimmed.len();
                let saved = self.end;
                self.end = le;
                self.i = s;
                self.prose_line_words();
                self.end = saved;
                self.i = le + 1;
                self.push(Kind::Newline, le, le);
            }
        }
    }

    /// Prose words: `code spans` as strings, `KEY=value` and `key: value`
    /// pairs as assignments, the rest as text.
    fn prose_line_words(&mut self) {
        self.shell();
    }
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| **c == b' ' || **c == b'\t').count();
    &b[n..]
}

fn fence_lang(tag: &[u8]) -> Lang {
    match tag {
        b"js" | b"javascript" | b"ts" | b"typescript" | b"jsx" | b"tsx" | b"node" => Lang::Js,
        b"py" | b"python" | b"python3" => Lang::Python,
        b"rb" | b"ruby" => Lang::Ruby,
        b"sh" | b"bash" | b"shell" | b"zsh" | b"console" | b"curl" | b"dotenv" | b"env" => {
            if tag == b"dotenv" || tag == b"env" {
                Lang::Ini
            } else {
                Lang::Shell
            }
        }
        b"yaml" | b"yml" => Lang::Yaml,
        b"ini" | b"toml" | b"properties" => Lang::Ini,
        b"html" | b"xml" | b"vue" | b"svelte" => Lang::Markup,
        b"" | b"text" | b"txt" | b"plain" => Lang::Shell,
        _ => Lang::CLike,
    }
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str, lang: Lang) -> Vec<(Kind, String)> {
        lex(src.as_bytes(), 0, src.len(), lang)
            .into_iter()
            .map(|t| (t.kind, src[t.range()].to_string()))
            .collect()
    }

    fn strs(src: &str, lang: Lang) -> Vec<String> {
        kinds(src, lang)
            .into_iter()
            .filter(|(k, _)| *k == Kind::Str)
            .map(|(_, s)| s)
            .collect()
    }

    #[test]
    fn js_strings_comments_templates_and_regexes() {
        let src = "const a = 'x\\'y' // c 'no'\nconst b = `t ${f(\"}\")} u` / 2; /* 'k' */ const re = /['\"]/g; x = a / b / c";
        assert_eq!(strs(src, Lang::Js), vec!["'x\\'y'", "`t ${f(\"}\")} u`"]);
        let comments: Vec<_> = kinds(src, Lang::Js)
            .into_iter()
            .filter(|(k, _)| *k == Kind::Comment)
            .map(|(_, s)| s)
            .collect();
        assert_eq!(comments, vec!["// c 'no'", "/* 'k' */"]);
    }

    #[test]
    fn unclosed_quotes_stop_at_the_line() {
        let src = "it's here\nconst k = \"v\"";
        assert!(strs(src, Lang::Js).contains(&"\"v\"".to_string()));
    }

    #[test]
    fn python_prefixes_triple_quotes_and_comments() {
        let src = "h = {'Authorization': f\"Bearer {TOKEN}\"}  # it's\ns = '''a\n'b'\n'''\n";
        assert_eq!(
            strs(src, Lang::Python),
            vec!["'Authorization'", "f\"Bearer {TOKEN}\"", "'''a\n'b'\n'''"]
        );
    }

    #[test]
    fn shell_continuations_join_lines() {
        let src = "curl https://api.example.com/image \\\n  -H \"Authorization: Bearer x\" \\\n  -d '{}'\necho done";
        let ks = kinds(src, Lang::Shell);
        let newlines = ks.iter().filter(|(k, _)| *k == Kind::Newline).count();
        assert_eq!(newlines, 1, "{ks:?}");
        assert!(ks.contains(&(Kind::Str, "\"Authorization: Bearer x\"".into())));
    }

    #[test]
    fn yaml_nesting_becomes_brackets() {
        let src = "pictify:\n  api_key: abc # note\nother: 1\nrun: |\n  curl -H \"X: y\"\n";
        let ks = kinds(src, Lang::Yaml);
        let seq: Vec<_> = ks.iter().map(|(k, s)| format!("{k:?}:{s}")).collect();
        let joined = seq.join(" ");
        assert!(
            joined.contains("Ident:pictify Punct(58):: Newline: Open(86):"),
            "{joined}"
        );
        assert!(
            joined.contains("Ident:api_key Punct(58):: Text:abc Comment:# note"),
            "{joined}"
        );
        assert!(joined.contains("Close(86):"), "{joined}");
        assert!(joined.contains("Str:\"X: y\""), "{joined}");
    }

    #[test]
    fn yaml_bare_list_items_end_their_line() {
        // Found by the `content` fuzz target: `-` then a newline skipped past
        // the line's end, and the value was sliced backwards.
        for src in ["-\n", "a:\n  -\n  - b\n", "-\n- -\nkey: v\n", "- "] {
            let ks = kinds(src, Lang::Yaml);
            assert!(
                ks.iter().any(|(k, _)| format!("{k:?}") == "Punct(45)"),
                "{src:?}: {ks:?}"
            );
        }
        let ks = kinds("-\nkey: v\n", Lang::Yaml);
        assert!(ks.iter().any(|(_, s)| s == "key"), "{ks:?}");
    }

    #[test]
    fn ini_sections_and_env_lines() {
        let src = "[pictify]\napi_key = abc\n; c\nexport TOKEN=\"q\"\n";
        let ks = kinds(src, Lang::Ini);
        assert!(ks.contains(&(Kind::Ident, "pictify".into())));
        assert!(ks.contains(&(Kind::Ident, "api_key".into())));
        assert!(ks.contains(&(Kind::Text, "abc".into())));
        assert!(ks.contains(&(Kind::Ident, "TOKEN".into())));
        assert!(ks.contains(&(Kind::Str, "\"q\"".into())));
    }

    #[test]
    fn markup_tags_attributes_and_scripts() {
        let src = "<!-- 'x' --><string name=\"k\">v</string><script src=\"https://js.example.com/a.js\"></script><script>const a = 'b'</script>";
        let ks = kinds(src, Lang::Markup);
        assert!(ks.contains(&(Kind::Comment, "<!-- 'x' -->".into())));
        assert!(ks.contains(&(Kind::Str, "\"k\"".into())));
        assert!(ks.contains(&(Kind::Text, "v".into())));
        assert!(ks.contains(&(Kind::Str, "'b'".into())));
        assert!(ks.contains(&(Kind::Ident, "const".into())));
    }

    #[test]
    fn prose_fences_lex_by_language() {
        let src = "Use it:\n\n```python\nkey = 'abc'  # c\n```\ndone";
        let ks = kinds(src, Lang::Prose);
        assert!(ks.contains(&(Kind::Str, "'abc'".into())));
        assert!(ks.contains(&(Kind::Comment, "# c".into())));
    }

    #[test]
    fn rust_lifetimes_are_not_strings() {
        let src = "fn f<'a>(x: &'a str) -> &'a str { let k = \"v\"; x }";
        assert_eq!(strs(src, Lang::Rust), vec!["\"v\""]);
        assert_eq!(strs("$k = 'pk'; # it's", Lang::HashCLike), vec!["'pk'"]);
    }

    #[test]
    fn never_panics_on_truncated_input() {
        for src in [
            "'", "`${", "\"\"\"", "<a b=\"", "<script>", "x: |", "[", "/*", "f'{",
        ] {
            for lang in [
                Lang::Js,
                Lang::CLike,
                Lang::Rust,
                Lang::HashCLike,
                Lang::Python,
                Lang::Ruby,
                Lang::Shell,
                Lang::Yaml,
                Lang::Ini,
                Lang::Markup,
                Lang::Prose,
            ] {
                let _ = lex(src.as_bytes(), 0, src.len(), lang);
            }
        }
    }
}
