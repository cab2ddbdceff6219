#!/usr/bin/env python3
"""Checks that the declared `rust-version` is true for the locked dependencies: no crate in the
dependency graph of our builds (normal, build and dev dependencies, every feature, this host)
declares a newer `rust-version` than ours. Usage: cargo metadata ... | python3 .ci/msrv.py"""
import json
import sys


def version(text):
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.load(sys.stdin)
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
root = meta["resolve"]["root"]
ours = packages[root]["rust_version"]

seen, todo = set(), [root]
while todo:
    current = todo.pop()
    if current in seen:
        continue
    seen.add(current)
    for dep in nodes[current]["deps"]:
        kinds = {k["kind"] for k in dep["dep_kinds"]}
        # Dev dependencies count for this crate only (they build its tests), not for others.
        if current == root or kinds & {None, "build"}:
            todo.append(dep["pkg"])

newer = sorted(
    (packages[p]["rust_version"], packages[p]["name"], packages[p]["version"])
    for p in seen
    if p != root
    and packages[p].get("rust_version")
    and version(packages[p]["rust_version"]) > version(ours)
)
for needed, name, ver in newer:
    print(f"{name} {ver} needs rust {needed}, more than our rust-version {ours}")
if newer:
    sys.exit(1)
print(f"rust-version {ours} covers the {len(seen) - 1} locked crates of our builds")
