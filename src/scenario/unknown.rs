//! The one message for an id nobody declared (a parameter or a metric), for
//! scenario files, `--set`, `--param` and the app alike.
//!
//! Only the first [`MAX_ID_CHARS`] characters of what was written are
//! compared and echoed, so a megabyte-long "id" is refused as fast as a
//! typo; at most [`MAX_SUGGESTIONS`] close ids are offered, and
//! `ixsim describe` is named for the full list.

use crate::sim::ParamError;

/// Characters of an unknown id that are compared and echoed.
pub const MAX_ID_CHARS: usize = 64;
/// Most ids a "did you mean" offers.
pub const MAX_SUGGESTIONS: usize = 3;

/// A parameter error in words; an unknown id gets [`unknown_id`]'s message.
pub fn param_message(e: &ParamError) -> String {
    match e {
        ParamError::Unknown { id, valid } => unknown_id("parameter", id, valid),
        other => other.to_string(),
    }
}

/// "unknown `noun` `id…` (did you mean …?); `ixsim describe` lists every
/// `noun`", comparing and echoing at most [`MAX_ID_CHARS`] characters of
/// `id`.
pub fn unknown_id(noun: &str, id: &str, valid: &[&str]) -> String {
    let shown = shorten(id);
    let mut out = format!("unknown {noun} `{shown}`");
    let close = suggestions(&shown, valid);
    if let Some((last, first)) = close.split_last() {
        let mut list = first
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if !list.is_empty() {
            list.push_str(" or ");
        }
        list.push_str(&format!("`{last}`"));
        out.push_str(&format!(" (did you mean {list}?)"));
    }
    out.push_str(&format!("; `ixsim describe <scenario>` lists every {noun}"));
    out
}

/// The first [`MAX_ID_CHARS`] characters of `id`, with "…" if it was longer
/// (for echoing what a person wrote).
pub fn shorten(id: &str) -> String {
    match id.char_indices().nth(MAX_ID_CHARS) {
        Some((cut, _)) => format!("{}…", &id[..cut]),
        None => id.to_string(),
    }
}

/// Up to [`MAX_SUGGESTIONS`] ids within a third of the written id's length in
/// edit distance, closest first (ties in table order).
fn suggestions<'a>(written: &str, valid: &[&'a str]) -> Vec<&'a str> {
    let written: Vec<char> = written.chars().take(MAX_ID_CHARS).collect();
    let limit = written.len().max(4) / 3;
    let mut close: Vec<(usize, usize, &str)> = valid
        .iter()
        .enumerate()
        .filter_map(|(order, v)| {
            let d = edit_distance(&written, v);
            (d <= limit).then_some((d, order, *v))
        })
        .collect();
    close.sort_unstable();
    close
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, v)| v)
        .collect()
}

/// Levenshtein distance in characters.
fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &["model.auc", "model.threshold", "model.aud", "model.abc"];

    #[test]
    fn a_typo_gets_the_closest_ids_first_and_at_most_three() {
        let m = unknown_id("parameter", "model.auk", IDS);
        assert!(
            m.starts_with("unknown parameter `model.auk` (did you mean `model.auc`, `model.aud` or `model.abc`?)"),
            "{m}"
        );
        assert!(
            m.ends_with("`ixsim describe <scenario>` lists every parameter"),
            "{m}"
        );
        assert!(!m.contains("model.threshold"), "{m}");
        let m = unknown_id("metric", "zzzzzz", IDS);
        assert!(!m.contains("did you mean"), "{m}");
    }

    #[test]
    fn a_huge_id_is_cut_to_64_characters_and_answered_at_once() {
        let id = "é".repeat(1_000_000);
        let start = std::time::Instant::now();
        let m = unknown_id("parameter", &id, IDS);
        assert!(start.elapsed().as_secs_f64() < 1.0);
        assert_eq!(m.matches('é').count(), MAX_ID_CHARS, "{m}");
        assert!(m.contains("é…`"), "{m}");
        let short = unknown_id("parameter", &"x".repeat(MAX_ID_CHARS), IDS);
        assert!(!short.contains('…'), "{short}");
    }
}
