//! The store's SQL that would not run, or would run badly, on a
//! distributed PostgreSQL-compatible engine (Citus) under the placement in
//! docs/scaling.md. The listing is kept by this test. A new query of one
//! of these kinds fails it until it is written differently or listed here
//! (and in docs/scaling.md). So does a listed one that is gone, so the
//! list stays true.

use std::path::{Path, PathBuf};

/// What a construct does on Citus, and how to spot it in a query.
struct Construct {
    name: &'static str,
    /// Fragments, checked in order: the query has each after the one before.
    shape: &'static [&'static str],
    why: &'static str,
}

const CONSTRUCTS: &[Construct] = &[
    Construct {
        name: "claim across rows with SKIP LOCKED",
        shape: &["FOR UPDATE OF n SKIP LOCKED"],
        why: "FOR UPDATE only in single-shard queries: a claim across shards fails",
    },
    Construct {
        name: "global counter row",
        shape: &["WHERE id = 1 FOR UPDATE"],
        why: "one row serialises every writer in the cluster; keep its table on the coordinator",
    },
    Construct {
        name: "correlated count in the select list",
        shape: &["(SELECT COUNT(*) FROM consultation_experts", "= x.id"],
        why: "a correlated subquery not on the distribution column fails",
    },
    Construct {
        name: "correlated count of merged rows",
        shape: &["(SELECT COUNT(*) FROM research_needs m WHERE m.merged_into = n.id)"],
        why: "correlated on a column that is not the distribution column; research tables stay local",
    },
    Construct {
        name: "subquery in INSERT VALUES",
        shape: &["VALUES (", "(SELECT"],
        why: "subqueries within INSERT … VALUES are not supported; write INSERT … SELECT",
    },
    Construct {
        name: "update of a child row without its case",
        shape: &["UPDATE consultation_outcomes SET", "WHERE id = $"],
        why: "without consultation_id the update goes to every shard with 2PC",
    },
];

/// Every occurrence this listing knows of: (construct, file under
/// crates/store/src, function). Keep docs/scaling.md in step.
const KNOWN: &[(&str, &str, &str)] = &[
    ("claim across rows with SKIP LOCKED", "notifications.rs", "claim_mail"),
    ("global counter row", "audit.rs", "append_in_chain"),
    ("global counter row", "experts.rs", "import_checked"),
    ("correlated count in the select list", "consultations/home.rs", "workload"),
    ("correlated count of merged rows", "research.rs", "select_needs"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The function (or macro) each line belongs to: the nearest `fn NAME` or
/// `macro_rules! NAME` above it.
fn owner_of(lines: &[&str], at: usize) -> String {
    // Top-level items only: a macro inside a function belongs to it.
    for line in lines[..=at].iter().rev().filter(|l| !l.starts_with(char::is_whitespace)) {
        for marker in ["fn ", "macro_rules! "] {
            if let Some(pos) = line.find(marker)
                && (line.starts_with("pub") || line.starts_with("async") || line.starts_with(marker))
            {
                let rest = &line[pos + marker.len()..];
                return rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default().to_string();
            }
        }
    }
    String::new()
}

/// (construct, file, function) of every occurrence in the store's source.
fn found() -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut hits = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        for construct in CONSTRUCTS {
            // A query spans a few lines: look at each window of eight.
            for start in 0..lines.len() {
                let window = lines[start..(start + 8).min(lines.len())].join(" ");
                let mut from = 0;
                let matches = construct.shape.iter().all(|fragment| match window[from..].find(fragment) {
                    Some(pos) => {
                        from += pos + fragment.len();
                        true
                    }
                    None => false,
                });
                let code = !lines[start].trim_start().starts_with("//");
                if matches && code && lines[start].contains(construct.shape[0]) {
                    let hit = (construct.name.to_string(), relative.clone(), owner_of(&lines, start));
                    if !hits.contains(&hit) {
                        hits.push(hit);
                    }
                }
            }
        }
    }
    hits.sort();
    hits
}

#[test]
fn queries_that_would_not_run_on_a_distributed_engine_are_listed() {
    let found = found();
    let known: Vec<(String, String, String)> =
        KNOWN.iter().map(|(c, f, n)| (c.to_string(), f.to_string(), n.to_string())).collect();
    let new: Vec<_> = found.iter().filter(|h| !known.contains(h)).collect();
    let gone: Vec<_> = known.iter().filter(|k| !found.contains(k)).collect();
    let why = |name: &str| CONSTRUCTS.iter().find(|c| c.name == name).map_or("", |c| c.why);
    for (construct, file, function) in &found {
        eprintln!("{file} :: {function}: {construct} ({})", why(construct));
    }
    assert!(new.is_empty(), "not in the listing (docs/scaling.md and KNOWN): {new:?}");
    assert!(gone.is_empty(), "listed but no longer in the code: {gone:?}");
}
