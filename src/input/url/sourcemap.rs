//! Source maps (revision 3): where a position in generated code came from
//! (VLQ `mappings`, index maps with `sections`), and each `sourcesContent` entry
//! with its byte range in the map file, so a key only there can be located too.
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// A position in an original source file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Original {
    pub source: String,
    pub line: usize,
    pub column: usize,
}

/// One `sourcesContent` entry: the source's name, its text, and where each byte
/// of the text sits in the map file (JSON escapes make the two differ).
#[derive(Debug)]
pub struct SourceText {
    pub source: String,
    pub text: String,
    /// `offsets[i]`: offset in the map file of byte `i` of `text`; one more entry
    /// for the end.
    pub offsets: Vec<usize>,
}

/// A parsed source map. Only what is needed is kept: names and positions are
/// resolved on demand, for the few positions that have findings.
#[derive(Debug)]
pub struct SourceMap<'a> {
    sources: Vec<String>,
    mappings: Cow<'a, str>,
    /// For an index map: each section's offset (0-based line, UTF-16 column)
    /// and map, in order.
    sections: Vec<((u32, u32), SourceMap<'a>)>,
    contents: Vec<(usize, &'a RawValue)>,
}

#[derive(Deserialize)]
struct RawMap<'a> {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    sources: Vec<Option<String>>,
    #[serde(default, rename = "sourceRoot")]
    source_root: Option<String>,
    #[serde(default, borrow, rename = "sourcesContent")]
    sources_content: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    mappings: Cow<'a, str>,
    #[serde(default, borrow)]
    sections: Vec<RawSection<'a>>,
}

#[derive(Deserialize)]
struct RawSection<'a> {
    offset: RawOffset,
    #[serde(borrow)]
    map: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawOffset {
    line: u32,
    column: u32,
}

/// Why a source map could not be used.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("not a source map: {0}")]
    Json(#[from] serde_json::Error),
    #[error("unsupported source map version {0} (only version 3 exists)")]
    Version(u32),
}

impl<'a> SourceMap<'a> {
    /// Parses a map. `text` must outlive the map: `sourcesContent` entries are
    /// kept as slices of it and decoded only when asked for.
    pub fn parse(text: &'a str) -> Result<SourceMap<'a>, MapError> {
        Self::parse_at(text, text)
    }

    fn parse_at(whole: &'a str, text: &'a str) -> Result<SourceMap<'a>, MapError> {
        let raw: RawMap<'a> = serde_json::from_str(text)?;
        if let Some(v) = raw.version.filter(|v| *v != 3) {
            return Err(MapError::Version(v));
        }
        let root = raw.source_root.unwrap_or_default();
        let sources = raw
            .sources
            .into_iter()
            .map(|s| display_source(&root, s.as_deref().unwrap_or("")))
            .collect();
        let contents = raw
            .sources_content
            .into_iter()
            .map(|r| (r.get().as_ptr() as usize - whole.as_ptr() as usize, r))
            .collect();
        let mut sections = Vec::new();
        for s in raw.sections {
            // A section may also name its map by `url`; such maps are rare and
            // not fetched: positions in that section get no original location.
            let Some(m) = s.map else { continue };
            sections.push((
                (s.offset.line, s.offset.column),
                SourceMap::parse_at(whole, m.get())?,
            ));
        }
        Ok(SourceMap {
            sources,
            mappings: raw.mappings,
            sections,
            contents,
        })
    }

    /// The original position of each generated position `(line, column)`, both
    /// 0-based, columns in UTF-16 code units as the format counts them. `None`
    /// where no mapping covers the position.
    pub fn lookup(&self, positions: &[(u32, u32)]) -> Vec<Option<Original>> {
        if !self.sections.is_empty() {
            return positions
                .iter()
                .map(|&(line, col)| {
                    let i = self
                        .sections
                        .partition_point(|((l, c), _)| (*l, *c) <= (line, col));
                    let ((l, c), map) = self.sections.get(i.checked_sub(1)?)?;
                    let col = if line == *l { col - c } else { col };
                    map.lookup(&[(line - l, col)]).pop().flatten()
                })
                .collect();
        }
        let found = decode_mappings(&self.mappings, positions);
        found
            .into_iter()
            .map(|seg| {
                let (src, line, col) = seg?;
                Some(Original {
                    source: self.sources.get(src as usize)?.clone(),
                    line: line as usize + 1,
                    column: col as usize + 1,
                })
            })
            .collect()
    }

    /// Every `sourcesContent` entry that holds text, decoded, with where its bytes
    /// are in the map file (sections included).
    pub fn source_texts(&self) -> Vec<SourceText> {
        let mut out = Vec::new();
        for (i, (at, raw)) in self.contents.iter().enumerate() {
            let Some((text, rel)) = decode_json_string(raw.get()) else {
                continue; // null, or not a string
            };
            out.push(SourceText {
                source: self.sources.get(i).cloned().unwrap_or_default(),
                text,
                offsets: rel.into_iter().map(|o| at + o).collect(),
            });
        }
        for (_, map) in &self.sections {
            out.extend(map.source_texts());
        }
        out
    }
}

/// How a source is shown: `sourceRoot` joined on, `./` segments dropped
/// (`webpack://app/./lib/x.ts` → `webpack://app/lib/x.ts`), and a relative
/// path's leading `../` dropped (Vite writes `../../src/x.ts` relative to
/// `dist/assets/`: the project-relative path is what tells what to fix).
pub fn display_source(root: &str, source: &str) -> String {
    let joined = if root.is_empty() || source.contains("://") || source.starts_with('/') {
        source.to_string()
    } else if root.ends_with('/') {
        format!("{root}{source}")
    } else {
        format!("{root}/{source}")
    };
    let (scheme, rest) = match joined.find("://") {
        Some(i) => joined.split_at(i + 3),
        None => ("", joined.as_str()),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in rest.split('/') {
        match p {
            "." => {}
            ".." if parts.last().is_some_and(|l| *l != ".." && !l.is_empty()) => {
                parts.pop();
            }
            ".." if scheme.is_empty() && parts.iter().all(|l| *l == "..") => {}
            _ => parts.push(p),
        }
    }
    format!("{scheme}{}", parts.join("/"))
}

/// Base64 digits of the VLQ alphabet.
fn b64(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// Decodes one signed VLQ number at `*i`, advancing it.
fn vlq(bytes: &[u8], i: &mut usize) -> Option<i64> {
    let mut value: i64 = 0;
    let mut shift = 0;
    loop {
        let d = b64(*bytes.get(*i)?)?;
        *i += 1;
        value |= ((d & 31) as i64) << shift;
        if d & 32 == 0 {
            break;
        }
        shift += 5;
        if shift > 60 {
            return None;
        }
    }
    Some(if value & 1 == 1 {
        -(value >> 1)
    } else {
        value >> 1
    })
}

/// One pass over `mappings`: for each wanted generated position, the segment
/// with the greatest generated column at or before it on its line, as
/// `(source index, original line, original column)`, all 0-based. Only the
/// answers are kept, so a 50 MB map costs no memory.
fn decode_mappings(mappings: &str, wanted: &[(u32, u32)]) -> Vec<Option<Segment>> {
    let mut best: Vec<Best> = vec![None; wanted.len()];
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&k| wanted[k]);
    let Some(last_line) = order.last().map(|&k| wanted[k].0) else {
        return Vec::new();
    };
    let bytes = mappings.as_bytes();
    let (mut line, mut i, mut next) = (0u32, 0usize, 0usize);
    // Running values: source, original line, original column (they carry over
    // lines); the generated column restarts on every line.
    let (mut src, mut oline, mut ocol) = (0i64, 0i64, 0i64);
    let mut gcol = 0i64;
    while i < bytes.len() && line <= last_line {
        match bytes[i] {
            b';' => {
                line += 1;
                gcol = 0;
                i += 1;
                continue;
            }
            b',' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let mut fields = [0i64; 5];
        let mut n = 0;
        while i < bytes.len() && bytes[i] != b',' && bytes[i] != b';' {
            let Some(v) = vlq(bytes, &mut i) else {
                // Damaged mappings: what was decoded so far stands.
                return finish(best);
            };
            if n < 5 {
                fields[n] = v;
            }
            n += 1;
        }
        gcol += fields[0];
        let mapped = if n >= 4 {
            src += fields[1];
            oline += fields[2];
            ocol += fields[3];
            (src >= 0 && oline >= 0 && ocol >= 0).then_some((src as u32, oline as u32, ocol as u32))
        } else {
            None
        };
        // Targets on this line (sorted: skip past lines already done).
        while next < order.len() && wanted[order[next]].0 < line {
            next += 1;
        }
        let mut k = next;
        while k < order.len() && wanted[order[k]].0 == line {
            let t = order[k];
            let col = wanted[t].1 as i64;
            if gcol <= col && best[t].is_none_or(|(c, _)| gcol >= c as i64) {
                best[t] = Some((gcol as u32, mapped));
            }
            k += 1;
        }
    }
    finish(best)
}

/// `(source index, original line, original column)`, 0-based.
type Segment = (u32, u32, u32);
/// Per wanted position: the generated column of the best segment so far, and
/// where it maps (`None`: an unmapped segment).
type Best = Option<(u32, Option<Segment>)>;

fn finish(best: Vec<Best>) -> Vec<Option<Segment>> {
    best.into_iter().map(|b| b.and_then(|(_, m)| m)).collect()
}

/// Decodes a raw JSON string literal (with its quotes). Returns the text and,
/// for each of its bytes plus the end, the offset in `raw` it came from.
/// `None` for anything but a string (`null`).
pub fn decode_json_string(raw: &str) -> Option<(String, Vec<usize>)> {
    let b = raw.as_bytes();
    if b.len() < 2 || b[0] != b'"' || b[b.len() - 1] != b'"' {
        return None;
    }
    let mut out = String::with_capacity(b.len());
    let mut offsets = Vec::with_capacity(b.len());
    let mut i = 1;
    let end = b.len() - 1;
    let push = |out: &mut String, offsets: &mut Vec<usize>, c: char, at: usize| {
        for _ in 0..c.len_utf8() {
            offsets.push(at);
        }
        out.push(c);
    };
    while i < end {
        if b[i] != b'\\' {
            // Copy a run of plain bytes (valid UTF-8: it came from a &str).
            let run_end = memchr::memchr(b'\\', &b[i..end]).map_or(end, |k| i + k);
            out.push_str(&raw[i..run_end]);
            offsets.extend(i..run_end);
            i = run_end;
            continue;
        }
        let at = i;
        let esc = *b.get(i + 1)?;
        i += 2;
        let c = match esc {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'u' => {
                let hex = |s: usize| u32::from_str_radix(raw.get(s..s + 4)?, 16).ok();
                let hi = hex(i)?;
                i += 4;
                if (0xD800..0xDC00).contains(&hi) && raw.get(i..i + 2) == Some("\\u") {
                    let lo = hex(i + 2)?;
                    i += 6;
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00)))
                        .unwrap_or('\u{FFFD}')
                } else {
                    char::from_u32(hi).unwrap_or('\u{FFFD}')
                }
            }
            other => other as char,
        };
        push(&mut out, &mut offsets, c, at);
    }
    offsets.push(end);
    Some((out, offsets))
}

/// UTF-16 code units in `text` (source map columns count those).
pub fn utf16_len(text: &[u8]) -> u32 {
    String::from_utf8_lossy(text)
        .chars()
        .map(|c| c.len_utf16() as u32)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc_vlq(v: i64, out: &mut String) {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut u = if v < 0 { ((-v) << 1) | 1 } else { v << 1 };
        loop {
            let mut d = (u & 31) as usize;
            u >>= 5;
            if u > 0 {
                d |= 32;
            }
            out.push(A[d] as char);
            if u == 0 {
                break;
            }
        }
    }

    /// Encodes segments `(gen line, gen col, src, orig line, orig col)`, sorted.
    fn encode(segs: &[(u32, u32, u32, u32, u32)]) -> String {
        let mut out = String::new();
        let (mut line, mut gcol, mut s, mut ol, mut oc) = (0u32, 0i64, 0i64, 0i64, 0i64);
        let mut first = true;
        for &(gl, gc, src, l, c) in segs {
            while line < gl {
                out.push(';');
                line += 1;
                gcol = 0;
                first = true;
            }
            if !first {
                out.push(',');
            }
            first = false;
            enc_vlq(gc as i64 - gcol, &mut out);
            enc_vlq(src as i64 - s, &mut out);
            enc_vlq(l as i64 - ol, &mut out);
            enc_vlq(c as i64 - oc, &mut out);
            gcol = gc as i64;
            s = src as i64;
            ol = l as i64;
            oc = c as i64;
        }
        out
    }

    #[test]
    fn vlq_reads_the_spec_examples() {
        for (s, v) in [
            ("A", 0),
            ("C", 1),
            ("D", -1),
            ("gB", 16),
            ("hB", -16),
            ("2H", 123),
        ] {
            let mut i = 0;
            assert_eq!(vlq(s.as_bytes(), &mut i), Some(v), "{s}");
            assert_eq!(i, s.len());
        }
    }

    #[test]
    fn lookup_finds_the_segment_at_or_before_a_column() {
        let segs = [
            (0, 0, 0, 0, 0),
            (0, 10, 1, 4, 2),
            (0, 30, 1, 5, 0),
            (2, 5, 0, 9, 3),
        ];
        let json = format!(
            r#"{{"version":3,"sources":["a.ts","webpack://app/./lib/pictify.ts"],"mappings":"{}"}}"#,
            encode(&segs)
        );
        let map = SourceMap::parse(&json).unwrap();
        let got = map.lookup(&[(0, 12), (0, 10), (0, 9), (0, 400), (2, 4), (2, 7), (1, 0)]);
        let o = |s: &str, line, column| {
            Some(Original {
                source: s.into(),
                line,
                column,
            })
        };
        assert_eq!(
            got,
            vec![
                o("webpack://app/lib/pictify.ts", 5, 3),
                o("webpack://app/lib/pictify.ts", 5, 3),
                o("a.ts", 1, 1),
                o("webpack://app/lib/pictify.ts", 6, 1),
                None,
                o("a.ts", 10, 4),
                None,
            ]
        );
    }

    #[test]
    fn a_segment_without_source_unmaps_what_follows() {
        // Mapped from column 0, then a one-field (unmapped) segment at column 5.
        let mut m = encode(&[(0, 0, 0, 2, 0)]);
        m.push(',');
        enc_vlq(5, &mut m);
        let json = format!(r#"{{"version":3,"sources":["x.js"],"mappings":"{m}"}}"#);
        let map = SourceMap::parse(&json).unwrap();
        let got = map.lookup(&[(0, 3), (0, 7)]);
        assert_eq!(got[0].as_ref().unwrap().line, 3);
        assert_eq!(got[1], None);
    }

    #[test]
    fn index_maps_offset_into_their_sections() {
        let inner = format!(
            r#"{{"version":3,"sources":["b.ts"],"mappings":"{}"}}"#,
            encode(&[(0, 0, 0, 7, 1)])
        );
        let json = format!(
            r#"{{"version":3,"sections":[{{"offset":{{"line":0,"column":0}},"map":{{"version":3,"sources":["a.ts"],"mappings":"AAAA"}}}},{{"offset":{{"line":3,"column":20}},"map":{inner}}}]}}"#
        );
        let map = SourceMap::parse(&json).unwrap();
        let got = map.lookup(&[(3, 25), (0, 3)]);
        assert_eq!(got[0].as_ref().unwrap().source, "b.ts");
        assert_eq!(got[0].as_ref().unwrap().line, 8);
        assert_eq!(got[1].as_ref().unwrap().source, "a.ts");
    }

    #[test]
    fn sources_content_keeps_offsets_into_the_map_file() {
        let json = r#"{"version":3,"sourceRoot":"","sources":["../../src/lib/k.ts","x.ts"],"sourcesContent":["const a = \"\u00e9\";\nconst key = 'KEY';\n",null],"mappings":""}"#;
        let map = SourceMap::parse(json).unwrap();
        let texts = map.source_texts();
        assert_eq!(texts.len(), 1);
        let t = &texts[0];
        assert_eq!(t.source, "src/lib/k.ts");
        assert_eq!(t.text, "const a = \"é\";\nconst key = 'KEY';\n");
        let i = t.text.find("KEY").unwrap();
        let at = t.offsets[i];
        assert_eq!(&json[at..at + 3], "KEY");
        assert_eq!(t.offsets.len(), t.text.len() + 1);
    }

    #[test]
    fn sources_are_shown_project_relative() {
        assert_eq!(
            display_source("", "webpack://_N_E/./lib/pictify.js"),
            "webpack://_N_E/lib/pictify.js"
        );
        assert_eq!(display_source("", "../../src/main.ts"), "src/main.ts");
        assert_eq!(display_source("/app/", "src/x.ts"), "/app/src/x.ts");
        assert_eq!(display_source("src", "./a/../b.ts"), "src/b.ts");
        assert_eq!(
            display_source("", "turbopack:///[project]/lib/pictify.js"),
            "turbopack:///[project]/lib/pictify.js"
        );
    }

    #[test]
    fn damaged_maps_are_errors_not_panics() {
        assert!(SourceMap::parse("{").is_err());
        assert!(matches!(
            SourceMap::parse(r#"{"version":2}"#),
            Err(MapError::Version(2))
        ));
        let map = SourceMap::parse(r#"{"version":3,"sources":["a"],"mappings":"AA!A"}"#).unwrap();
        assert_eq!(map.lookup(&[(0, 0)]), vec![None]);
    }
}
