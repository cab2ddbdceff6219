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
    let command = "cargo test --features blocking";
    assert!(readme.contains(&format!("```sh\n{command}\n```")));
    assert!(ci.contains(command));
}
