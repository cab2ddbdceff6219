//! The README's code blocks are the examples' code (which `cargo test` compiles):
//! this test fails when they drift apart.

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
