//! What an HTML page gives the browser: script sources, inline scripts, preloads,
//! import maps, the web app manifest, `<base>`, and the links a visitor can follow.
//! A small tolerant tag scanner, not a full HTML parser: it only needs tags and
//! attributes, and must never fail on broken markup.

/// The references found in one page, URLs as written (unresolved).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PageRefs {
    /// `<base href>`: what relative URLs resolve against.
    pub base: Option<String>,
    /// `<script src>`, `modulepreload` and `preload as=script` links.
    pub scripts: Vec<String>,
    /// Inline `<script>` bodies (without `src`), as byte ranges of the page.
    pub inline_scripts: Vec<(usize, usize)>,
    /// Inline `<script type=importmap>` bodies.
    pub import_maps: Vec<(usize, usize)>,
    /// `<link rel=manifest>`.
    pub manifests: Vec<String>,
    /// Other data the page asks the browser to fetch early (`preload as=fetch`).
    pub data: Vec<String>,
    /// `<a href>`, `<area href>`, `<iframe src>`, `<frame src>`, `<meta http-equiv=refresh>`.
    pub links: Vec<String>,
}

/// Scans a page.
pub fn parse(html: &[u8]) -> PageRefs {
    let mut refs = PageRefs::default();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &html[i..]).map(|k| i + k) {
        i = lt + 1;
        if html[i..].starts_with(b"!--") {
            i = find(html, i + 3, b"-->").map_or(html.len(), |k| k + 3);
            continue;
        }
        if html
            .get(i)
            .is_some_and(|c| *c == b'!' || *c == b'?' || *c == b'/')
        {
            i = memchr::memchr(b'>', &html[i..]).map_or(html.len(), |k| i + k + 1);
            continue;
        }
        let Some(tag) = read_tag(html, i) else {
            continue;
        };
        i = tag.end;
        let name = tag.name.as_str();
        match name {
            "script" => {
                let body_start = tag.end;
                let close = find_ci(html, body_start, b"</script").unwrap_or(html.len());
                i = close;
                let kind = tag.attr("type").unwrap_or_default().to_ascii_lowercase();
                if let Some(src) = tag.attr("src") {
                    refs.scripts.push(src);
                } else if kind == "importmap" {
                    refs.import_maps.push((body_start, close));
                } else if body_start < close {
                    refs.inline_scripts.push((body_start, close));
                }
            }
            "style" | "textarea" | "title" if !tag.self_closing => {
                // Raw text: nothing in it is markup.
                let close = format!("</{name}");
                i = find_ci(html, i, close.as_bytes()).unwrap_or(html.len());
            }
            "base" if refs.base.is_none() => refs.base = tag.attr("href"),
            "link" => {
                let rel = tag.attr("rel").unwrap_or_default().to_ascii_lowercase();
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                let as_ = tag.attr("as").unwrap_or_default().to_ascii_lowercase();
                let Some(href) = tag.attr("href") else {
                    continue;
                };
                if rels.contains(&"modulepreload")
                    || (rels.contains(&"preload") || rels.contains(&"prefetch"))
                        && (as_ == "script" || as_ == "worker")
                {
                    refs.scripts.push(href);
                } else if rels.contains(&"manifest") {
                    refs.manifests.push(href);
                } else if (rels.contains(&"preload") || rels.contains(&"prefetch"))
                    && as_ == "fetch"
                {
                    refs.data.push(href);
                }
            }
            "a" | "area" => refs.links.extend(tag.attr("href")),
            "iframe" | "frame" => refs.links.extend(tag.attr("src")),
            "meta" => {
                let refresh = tag
                    .attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
                if let (true, Some(content)) = (refresh, tag.attr("content")) {
                    if let Some(k) = content.to_ascii_lowercase().find("url=") {
                        let url = content[k + 4..].trim().trim_matches(['\'', '"']);
                        refs.links.push(url.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    refs
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    self_closing: bool,
    /// Just past the `>`.
    end: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
    }
}

/// Reads a start tag whose name begins at `i` (just after `<`).
fn read_tag(html: &[u8], mut i: usize) -> Option<Tag> {
    let start = i;
    while i < html.len() && (html[i].is_ascii_alphanumeric() || html[i] == b'-') {
        i += 1;
    }
    if i == start || !html[start].is_ascii_alphabetic() {
        return None;
    }
    let name = String::from_utf8_lossy(&html[start..i]).to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < html.len() && (html[i].is_ascii_whitespace() || html[i] == b'/') {
            self_closing = html[i] == b'/';
            i += 1;
        }
        match html.get(i) {
            None => {
                return Some(Tag {
                    name,
                    attrs,
                    self_closing,
                    end: html.len(),
                })
            }
            Some(b'>') => {
                return Some(Tag {
                    name,
                    attrs,
                    self_closing,
                    end: i + 1,
                })
            }
            _ => {}
        }
        self_closing = false;
        let ks = i;
        while i < html.len() && !html[i].is_ascii_whitespace() && !b"=>/".contains(&html[i]) {
            i += 1;
        }
        if i == ks {
            i += 1; // a stray character: skip it
            continue;
        }
        let key = String::from_utf8_lossy(&html[ks..i]).to_ascii_lowercase();
        while i < html.len() && html[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if html.get(i) == Some(&b'=') {
            i += 1;
            while i < html.len() && html[i].is_ascii_whitespace() {
                i += 1;
            }
            let (vs, ve, next) = match html.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let e = memchr::memchr(q, &html[i + 1..]).map_or(html.len(), |k| i + 1 + k);
                    (i + 1, e, (e + 1).min(html.len()))
                }
                _ => {
                    let mut e = i;
                    while e < html.len() && !html[e].is_ascii_whitespace() && html[e] != b'>' {
                        e += 1;
                    }
                    (i, e, e)
                }
            };
            value = decode_entities(&String::from_utf8_lossy(&html[vs..ve]));
            i = next;
        }
        attrs.push((key, value));
    }
}

/// The character references that appear in URLs (`&amp;` above all).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "lt" => '<',
                "gt" => '>',
                "sol" => '/',
                "colon" => ':',
                _ => {
                    let n = if let Some(h) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                        u32::from_str_radix(h, 16).ok()?
                    } else {
                        name.strip_prefix('#')?.parse().ok()?
                    };
                    char::from_u32(n)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|k| from + k)
}

/// Case-insensitive `find` for an ASCII needle.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let k = memchr::memchr2(first, first.to_ascii_uppercase(), &hay[i..])?;
        let at = i + k;
        if at + needle.len() <= hay.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The `<loc>` URLs of a sitemap (or a sitemap index), and whether it is an index.
pub fn sitemap_locs(xml: &[u8]) -> (Vec<String>, bool) {
    let text = String::from_utf8_lossy(xml);
    let index = text.contains("<sitemapindex");
    let mut out = Vec::new();
    let mut rest = text.as_ref();
    while let Some(k) = rest.find("<loc>") {
        rest = &rest[k + 5..];
        let Some(e) = rest.find("</loc>") else { break };
        let loc = rest[..e].trim();
        let loc = loc
            .strip_prefix("<![CDATA[")
            .and_then(|l| l.strip_suffix("]]>"))
            .unwrap_or(loc);
        out.push(decode_entities(loc.trim()));
        rest = &rest[e..];
    }
    (out, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_the_browser_loads() {
        let html = br#"<!doctype html><html><head>
<base href="/app/">
<!-- <script src="/commented.js"></script> -->
<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/webpack-1.js"/>
<link rel=modulepreload href=/assets/vendor-2.js>
<link rel="stylesheet" href="/a.css"><link rel="manifest" href="/site.webmanifest">
<link rel="preload" as="fetch" href="/data.json?a=1&amp;b=2">
<script src="/_next/static/chunks/main-3.js" async=""></script>
<SCRIPT type="module" SRC='./x.js'></SCRIPT>
<script type="importmap">{"imports":{"lib":"https://cdn.example/lib.js"}}</script>
<script>window.cfg = {a: "</div><a href='/not-a-link'>"};</script>
<style>a[href="/nope"]{}</style><title><a href="/nor-this"></title>
<meta http-equiv="refresh" content="5; URL='/moved'">
</head><body><a href="/about">About</a><a href="https://other.example/">x</a>
<iframe src="/embed"></iframe><a name=x>no href</a>
<script id="__NEXT_DATA__" type="application/json">{"buildId":"b1"}</script>
"#;
        let r = parse(html);
        assert_eq!(r.base.as_deref(), Some("/app/"));
        assert_eq!(
            r.scripts,
            [
                "/_next/static/chunks/webpack-1.js",
                "/assets/vendor-2.js",
                "/_next/static/chunks/main-3.js",
                "./x.js"
            ]
        );
        assert_eq!(r.manifests, ["/site.webmanifest"]);
        assert_eq!(r.data, ["/data.json?a=1&b=2"]);
        assert_eq!(
            r.links,
            ["/moved", "/about", "https://other.example/", "/embed"]
        );
        assert_eq!(r.import_maps.len(), 1);
        let (s, e) = r.import_maps[0];
        assert!(std::str::from_utf8(&html[s..e])
            .unwrap()
            .contains("cdn.example"));
        let inline: Vec<&str> = r
            .inline_scripts
            .iter()
            .map(|&(s, e)| std::str::from_utf8(&html[s..e]).unwrap())
            .collect();
        assert_eq!(inline.len(), 2);
        assert!(inline[0].starts_with("window.cfg"));
        assert!(inline[1].contains("buildId"));
    }

    #[test]
    fn broken_markup_never_fails() {
        for html in [
            &b"<"[..],
            b"<script",
            b"<script src=\"/a.js",
            b"<a href='x",
            b"<!-- never closed",
            b"<a href=>",
            b"<<<>>>",
            b"<script>never closed",
            b"< a href=/x>",
        ] {
            let _ = parse(html);
        }
        assert_eq!(parse(b"<a href=/x").links, ["/x"]);
    }

    #[test]
    fn entities_and_sitemaps() {
        assert_eq!(
            decode_entities("/a?x=1&amp;y=2&#47;&#x2F;&bogus"),
            "/a?x=1&y=2//&bogus"
        );
        let (locs, index) = sitemap_locs(
            b"<?xml version=\"1.0\"?><urlset><url><loc> https://s.example/a?x=1&amp;y=2 </loc></url><url><loc><![CDATA[https://s.example/b]]></loc></url></urlset>",
        );
        assert_eq!(locs, ["https://s.example/a?x=1&y=2", "https://s.example/b"]);
        assert!(!index);
        assert!(
            sitemap_locs(b"<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>").1
        );
    }
}
