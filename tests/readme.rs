//! The README's code blocks are the examples' code (which `cargo test` compiles):
//! this test fails when they drift apart. Its method tables are checked against the endpoint
//! catalogue the same way.

fn snippet(example: &str, tag: &str) -> String {
    let start = format!("// {tag}:start\n");
    let end = format!("// {tag}:end");
    let body = example
        .split(&start)
        .nth(1)
        .and_then(|rest| rest.split(&end).next())
        .unwrap_or_else(|| panic!("markers `{tag}` missing"));
    let lines: Vec<&str> = body.trim_end().lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn readme_code_blocks_are_the_compiled_examples() {
    let readme = include_str!("../README.md");
    for (example, tag) in [
        (
            include_str!("../examples/quickstart_async.rs"),
            "quickstart",
        ),
        (
            include_str!("../examples/quickstart_blocking.rs"),
            "quickstart",
        ),
        (include_str!("../examples/options_and_errors.rs"), "options"),
        (
            include_str!("../examples/events_sender_blocking.rs"),
            "events",
        ),
        (include_str!("../examples/images_async.rs"), "images"),
        (include_str!("../examples/handlers_async.rs"), "handlers"),
        (include_str!("../examples/matching_blocking.rs"), "matching"),
        (include_str!("../examples/emulator_blocking.rs"), "emulator"),
    ] {
        let code = snippet(example, tag);
        assert!(
            readme.contains(&format!("```rust,ignore\n{code}\n```")),
            "README.md does not show this example verbatim:\n{code}"
        );
    }
}

#[test]
fn readme_test_command_is_the_ci_command() {
    let readme = include_str!("../README.md");
    let ci = include_str!("../.ci/run");
    let command = "cargo test --workspace --features luna-clients/blocking";
    assert!(readme.contains(&format!("```sh\n{command}\n```")));
    let last_step = ci.lines().rev().find(|line| !line.trim().is_empty());
    assert_eq!(
        last_step,
        Some(command),
        ".ci/run's last step is the README's test command"
    );
}

/// The README's Python → Rust tables agree with the endpoint catalogue: every entry of a
/// handle has its row in that handle's table (Python name → Rust method, with the other
/// methods sending the same request), and every method the Python clients lack is listed.
#[test]
fn readme_method_tables_match_the_catalogue() {
    use luna_clients::catalogue;
    use luna_clients::Service;

    let readme = include_str!("../README.md");
    let map = readme
        .split("## Python → Rust method map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a `Python → Rust method map` section");
    let handle = |service: Service| match service {
        Service::Events => "Events",
        Service::Faces => "Faces",
        Service::ImageStore => "ImageStore",
        Service::Matcher => "Matcher",
        Service::RemoteSdk => "RemoteSdk",
        Service::Sender => "Sender",
        Service::Handlers => "Handlers",
        _ => unreachable!("a new service needs its table"),
    };
    for client in Service::ALL {
        let header = format!("Rust (`luna_clients::{}`) |", handle(client));
        let table = map
            .split("\n\n")
            .find(|block| block.contains(&header))
            .unwrap_or_else(|| panic!("no table for {client:?}"));
        let rows: Vec<(&str, &str)> = table
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split(" | ").collect();
                (cells.len() >= 2).then(|| (cells[0].trim_start_matches("| "), cells[1]))
            })
            .collect();
        for entry in catalogue::for_client(client) {
            let rust = format!("`{}", entry.rust_method);
            let row = match entry.python_name {
                Some(python) => rows
                    .iter()
                    .find(|(py, _)| py.starts_with(&format!("`{python}(")))
                    .unwrap_or_else(|| panic!("{client:?} table: no row for `{python}`")),
                None => rows
                    .iter()
                    .find(|(_, rs)| rs.contains(&rust))
                    .unwrap_or_else(|| panic!("{client:?} table: `{}` missing", entry.rust_method)),
            };
            assert!(
                row.1.contains(&rust),
                "{client:?} table: row {:?} does not name `{}`",
                row.0,
                entry.rust_method
            );
            for other in entry.also_used_by {
                assert!(
                    row.1.contains(&format!("`{other}")),
                    "{client:?} table: row {:?} does not name `{other}`",
                    row.0
                );
            }
        }
    }
}

#[test]
fn readme_starts_with_the_tour_and_the_test_command() {
    let readme = include_str!("../README.md");
    let first_block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a first shell block");
    assert_eq!(
        first_block,
        "cargo run --example tour\ncargo test --workspace --features luna-clients/blocking\n",
        "the README's first commands are the tour and the test command"
    );
    for setting in [
        "LUNA_FACES_ADDRESS",
        "LUNA_EVENTS_ADDRESS",
        "LUNA_IMAGE_STORE_ADDRESS",
        "LUNA_REMOTE_SDK_ADDRESS",
        "LUNA_HANDLERS_ADDRESS",
        "LUNA_PYTHON_MATCHER_ADDRESS",
        "LUNA_SENDER_ADDRESS",
        "LUNA_ACCOUNT_ID",
    ] {
        assert!(readme.contains(setting), "the README names {setting}");
    }
    assert!(readme.contains("LunaClient::from_env()"));
}

#[test]
fn ci_runs_both_tours() {
    let ci = include_str!("../.ci/run");
    let lines: Vec<&str> = ci.lines().collect();
    for tour in [
        "cargo run --example tour",
        "cargo run --example tour_blocking --features blocking",
    ] {
        assert!(lines.contains(&tour), ".ci/run runs `{tour}`");
    }
}
