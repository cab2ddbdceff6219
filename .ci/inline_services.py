#!/usr/bin/env python3
"""Checks that every function of the service clients (`src/services/`, the files both modes are
compiled from) is `#[inline]`: a service method, a page source and the helpers that build a
request or read an answer are compiled by the program that calls them, not by luna-clients
itself, so a program compiles the (de)serializers of the calls it makes, not those of all 90.
Outside it: trait declarations (their methods have no body), `#[cfg(test)]` modules, the
documentation module `services/mod.rs` and the WebSocket machinery of `sender/subscription.rs`.
Usage: python3 .ci/inline_services.py (from the repository root); lists what is missing."""
import pathlib
import re
import sys

SKIPPED = {"src/services/mod.rs", "src/services/sender/subscription.rs"}
FN = re.compile(r"^(\s*)(pub(\(crate\))? )?(async )?fn ")
TRAIT = re.compile(r"^(pub(\(crate\))? )?trait ")
TESTS = re.compile(r"^(#\[cfg\(test\)\]|mod tests)")

missing = []
for path in sorted(pathlib.Path("src/services").rglob("*.rs")):
    if path.as_posix() in SKIPPED:
        continue
    in_trait = False
    attributes = []  # the attributes (and doc comments) right above the current line
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if TESTS.match(line):
            break
        if TRAIT.match(line):
            in_trait = True
        elif in_trait and line == "}":
            in_trait = False
        elif FN.match(line) and not in_trait and "#[inline]" not in attributes:
            missing.append(f"{path}:{number}: {line.strip()}")
        text = line.strip()
        if text.startswith(("#[", "///")):
            attributes.append(text)
        else:
            attributes = []

if missing:
    print("functions of the service clients without #[inline]:")
    print("\n".join(missing))
    sys.exit(1)
print("every function of the service clients is #[inline]")
