//! The layering of the sources (issue 13): `luna_clients::model` is the one mode-free tree of
//! data types (every request and parameter type and every answer), and it depends on nothing
//! above it. This test reads the sources with `std::fs` and fails when
//!
//! * a file under `src/model/`, or `src/declare.rs` / `src/filters.rs` (the `params!` macro and
//!   the filter writer the models use), names the services, a mode tree, or the client;
//! * a file of `src/services/` that is not loaded by `mode_tree!` (the mode-free services tree,
//!   which only re-exports model types under their old paths and documents the services)
//!   defines an item: a struct, an enum, a constant, a function, a macro.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(src())
        .expect("a file under src/")
        .to_string_lossy()
        .replace('\\', "/")
}

/// Names a mode-free data type must not depend on: the services, the mode trees, the client.
const UPWARD: &[&str] = &[
    "crate::services",
    "crate::nonblocking",
    "crate::blocking",
    "crate::client",
    "crate::context",
    "crate::pagination",
    "super::client",
    "super::context",
    "super::transport",
    "super::pages",
    "super::byte_stream",
    "super::socket",
    "maybe_async",
    "mode_tree!",
];

/// The lines of the mode-free layer that name something above it.
fn upward_references() -> Vec<String> {
    let mut files = rust_files(&src().join("model"));
    files.push(src().join("declare.rs"));
    files.push(src().join("filters.rs"));
    let mut found = Vec::new();
    for file in files {
        for (n, line) in read(&file).lines().enumerate() {
            for name in UPWARD {
                if line.contains(name) {
                    found.push(format!("{}:{}: {}", relative(&file), n + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn the_model_tree_names_nothing_above_it() {
    let found = upward_references();
    assert!(
        found.is_empty(),
        "src/model, src/declare.rs and src/filters.rs must not name the services, a mode tree \
         or the client:\n{}",
        found.join("\n")
    );
}

/// The `#[path = "../services/..."]` files of `mode_tree!` in `src/lib.rs`, relative to `src/`.
fn mode_tree_paths() -> BTreeSet<String> {
    let lib = read(&src().join("lib.rs"));
    let start = lib
        .find("macro_rules! mode_tree")
        .expect("src/lib.rs declares mode_tree!");
    let body = &lib[start..];
    let end = body.find("\n}\n").expect("the end of mode_tree!");
    body[..end]
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("#[path = \"../")?;
            Some(rest.split('"').next()?.to_owned())
        })
        .collect()
}

/// The files of `src/services/` the mode trees load: those of `mode_tree!` and, recursively,
/// the `mod name;` children of those.
fn mode_files() -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    let mut todo: Vec<String> = mode_tree_paths()
        .into_iter()
        .filter(|p| p.starts_with("services/"))
        .collect();
    while let Some(file) = todo.pop() {
        if !files.insert(file.clone()) {
            continue;
        }
        let dir = Path::new(&file)
            .parent()
            .expect("a directory")
            .to_path_buf();
        for line in read(&src().join(&file)).lines() {
            let line = line.trim();
            let Some(name) = line
                .strip_prefix("mod ")
                .or_else(|| line.strip_prefix("pub mod "))
                .or_else(|| line.strip_prefix("pub(crate) mod "))
                .and_then(|rest| rest.strip_suffix(';'))
            else {
                continue;
            };
            for candidate in [
                dir.join(format!("{name}.rs")),
                dir.join(name).join("mod.rs"),
            ] {
                if src().join(&candidate).is_file() {
                    todo.push(candidate.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    files
}

/// Item definitions in the files of `src/services/` no mode tree loads.
fn mode_free_service_items() -> Vec<String> {
    let mode = mode_files();
    assert!(
        mode.contains("services/faces/mod.rs"),
        "the mode trees load the Faces client: {mode:?}"
    );
    let definitions = [
        "pub struct ",
        "pub enum ",
        "pub union ",
        "pub trait ",
        "pub type ",
        "pub const ",
        "pub static ",
        "pub fn ",
        "pub(crate) struct ",
        "pub(crate) enum ",
        "pub(crate) const ",
        "pub(crate) fn ",
        "struct ",
        "enum ",
        "const ",
        "fn ",
        "macro_rules!",
    ];
    let mut found = Vec::new();
    for file in rust_files(&src().join("services")) {
        let name = relative(&file);
        if mode.contains(&name) {
            continue;
        }
        for (n, line) in read(&file).lines().enumerate() {
            let code = line.trim();
            if code.starts_with("//") {
                continue;
            }
            // Items declared through a macro (`params! { pub struct X ... }`) count too.
            if definitions.iter().any(|d| code.starts_with(d)) {
                found.push(format!("{name}:{}: {code}", n + 1));
            }
        }
    }
    found
}

#[test]
fn the_mode_free_services_tree_defines_no_type() {
    let found = mode_free_service_items();
    assert!(
        found.is_empty(),
        "data types and constants live in src/model; the mode-free side of src/services only \
         re-exports them and documents the services:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_mode_trees_load_every_service_client() {
    let mode = mode_files();
    for client in [
        "services/events/mod.rs",
        "services/events/cursor.rs",
        "services/faces/mod.rs",
        "services/handlers/mod.rs",
        "services/image_store.rs",
        "services/matcher.rs",
        "services/remote_sdk.rs",
        "services/sender/mod.rs",
        "services/sender/subscription.rs",
    ] {
        assert!(
            mode.contains(client),
            "{client} is not in the mode trees: {mode:?}"
        );
    }
}
