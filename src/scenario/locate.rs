//! Where something is written in a scenario file, for error positions.
//!
//! A small scanner that knows RON's strings (with their escapes, and raw
//! strings) and comments, so a field name inside a story's text or a
//! comment is never taken for the field, and a key written with escapes
//! (`"model.au\u{63}"`) is found by what it means, not by how it is
//! spelled.

/// What the scanner meets outside comments.
enum Token {
    /// A field name followed by a colon, at this byte offset.
    Field(usize, usize),
    /// A string literal starting at this byte offset, decoded (none if an
    /// escape is invalid).
    Str(usize, Option<String>),
}

/// Every field name and string literal in `text`, in order.
fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |p| i + p + 1);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
            }
            b'"' => {
                let (end, value) = string_at(text, i + 1);
                out.push(Token::Str(i, value));
                i = end;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !is_ident(b[i - 1])) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let start = i + 2 + hashes;
                let close = format!("\"{}", "#".repeat(hashes));
                let end = text[start..].find(&close).map_or(b.len(), |p| start + p);
                out.push(Token::Str(i, Some(text[start..end].to_string())));
                i = (end + close.len()).min(b.len());
            }
            c if is_ident(c) && (i == 0 || !is_ident(b[i - 1])) => {
                let end = i + b[i..].iter().take_while(|&&c| is_ident(c)).count();
                if text[end..].trim_start().starts_with(':') {
                    out.push(Token::Field(i, end));
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Decodes the string whose contents start at `start`: (offset past its
/// closing quote, its value if every escape is valid).
fn string_at(text: &str, start: usize) -> (usize, Option<String>) {
    let mut value = Some(String::new());
    let mut chars = text[start..].char_indices();
    while let Some((o, c)) = chars.next() {
        match c {
            '"' => return (start + o + 1, value),
            '\\' => {
                let decoded = match chars.next().map(|(_, e)| e) {
                    Some('n') => Some('\n'),
                    Some('r') => Some('\r'),
                    Some('t') => Some('\t'),
                    Some('0') => Some('\0'),
                    Some(e @ ('\\' | '"' | '\'')) => Some(e),
                    Some('x') => {
                        let hex: String = (0..2)
                            .filter_map(|_| chars.next().map(|(_, h)| h))
                            .collect();
                        u8::from_str_radix(&hex, 16).ok().map(char::from)
                    }
                    Some('u') => {
                        let mut hex = String::new();
                        if chars.next().map(|(_, h)| h) == Some('{') {
                            for (_, h) in chars.by_ref() {
                                if h == '}' {
                                    break;
                                }
                                hex.push(h);
                            }
                        }
                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                    }
                    _ => None,
                };
                match (decoded, value.as_mut()) {
                    (Some(d), Some(v)) => v.push(d),
                    _ => value = None,
                }
            }
            c => {
                if let Some(v) = value.as_mut() {
                    v.push(c);
                }
            }
        }
    }
    (text.len(), value)
}

/// Offset of the first field named `word` at or after `from`.
pub(super) fn find_field(text: &str, word: &str, from: usize) -> Option<usize> {
    tokens(text).into_iter().find_map(|t| match t {
        Token::Field(s, e) if s >= from && &text[s..e] == word => Some(s),
        _ => None,
    })
}

/// Offsets of every field named `word`.
pub(super) fn fields(text: &str, word: &str) -> Vec<usize> {
    tokens(text)
        .into_iter()
        .filter_map(|t| match t {
            Token::Field(s, e) if &text[s..e] == word => Some(s),
            _ => None,
        })
        .collect()
}

/// Offset of the first string literal in `from..to` whose value is `value`.
fn find_string(text: &str, value: &str, from: usize, to: usize) -> Option<usize> {
    tokens(text).into_iter().find_map(|t| match t {
        Token::Str(s, Some(v)) if s >= from && s < to && v == value => Some(s),
        _ => None,
    })
}

/// The key (a string followed by a colon) last written before `offset`.
pub(super) fn key_before(text: &str, offset: usize) -> Option<String> {
    let mut last = None;
    for t in tokens(text) {
        if let Token::Str(s, Some(v)) = t {
            if s >= offset {
                break;
            }
            let (end, _) = string_at(text, s + 1);
            if text[end..].trim_start().starts_with(':') {
                last = Some(v);
            }
        }
    }
    last
}

/// Where `path` (field names, nested: `run.days`), and `key` in it, are
/// written within `text[from..to]`, as 1-based (line, column) counting
/// characters. What cannot be found is placed at the nearest enclosing
/// thing that can: the field, else the start of the region.
pub(super) fn locate_in(
    text: &str,
    from: usize,
    to: usize,
    path: &str,
    key: Option<&str>,
) -> (usize, usize) {
    let mut at = from;
    let mut field_found = None;
    for word in path.split('.') {
        match find_field(text, word, at).filter(|&o| o < to) {
            Some(o) => {
                at = o;
                field_found = Some(o);
            }
            None => break,
        }
    }
    let offset = match key {
        Some(k) => field_found
            .and_then(|f| find_string(text, k, f, to))
            .or_else(|| find_string(text, k, from, to))
            .or(field_found)
            .unwrap_or(from),
        None => field_found.unwrap_or(from),
    };
    line_column(text, offset)
}

/// 1-based (line, column) of byte `offset`, the column counting characters.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let line = before.matches('\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_by_their_value_and_fields_outside_strings() {
        let text = "(\n  story: (shows: \"run: days: 3\"),\n  // days: 9\n  run: (days: 0),\n  params: {\"model.au\\u{63}\": 2},\n)";
        assert_eq!(locate_in(text, 0, text.len(), "run.days", None), (4, 9));
        assert_eq!(
            locate_in(text, 0, text.len(), "params", Some("model.auc")),
            (5, 12)
        );
        assert_eq!(
            key_before(text, text.find('2').unwrap()).as_deref(),
            Some("model.auc")
        );
        // Nothing to find: the region's start.
        assert_eq!(locate_in(text, 0, text.len(), "steps", None), (1, 1));
    }
}
