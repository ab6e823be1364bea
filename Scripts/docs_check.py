#!/usr/bin/env python3
"""Fails on a public toolkit symbol without a doc comment.

Reads the symbol graphs that `swift package dump-symbol-graph --skip-synthesized-members` writes
(run here unless --symbol-graphs DIR is given) and lists, for each toolkit module, the public and
open symbols that carry no doc comment, as FILE:LINE: kind name. Not counted: enum cases,
synthesized members (Equatable's ==, Codable's init(from:) when the compiler writes them), and
implementations of a documented protocol requirement (description, ==, hash(into:), a Metric's
compute(), ...): the symbol graph gives those the requirement's doc comment.

The modules in ENFORCED (all of them) must have none: exit status 1 otherwise. A module left out
of ENFORCED is counted, and listed with --all, not enforced.

Usage: Scripts/docs_check.py [--symbol-graphs DIR] [--all]     (from anywhere in the repository)
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

# Every toolkit module (the targets behind the FineTuning product, in dependency order).
TOOLKIT = ["Digest", "Files", "Hub", "Tensor", "Tokenizers", "PythonStyle", "Parquet", "Datasets", "Metrics",
           "Models", "Distributed", "Training", "Accelerate", "Pipelines", "Plots", "FineTuning",
           "FineTuneKit"]  # FineTuneKit: the `finetune` command's library (not in the FineTuning product)
# The modules whose every public symbol is documented, and must stay so: all of them. A new module
# can be left out of this list (then counted, listed with --all, not enforced) until it is documented.
ENFORCED = list(TOOLKIT)
# Conformance members a symbol graph may list without the requirement's doc comment (a
# requirement of an undocumented or imported protocol): never counted.
CONFORMANCE = {"description", "debugDescription", "init(from:)", "encode(to:)", "==(_:_:)", "!=(_:_:)", "<(_:_:)",
               "hash(into:)", "hashValue", "makeIterator()", "next()", "errorDescription", "id",
               "init(stringLiteral:)", "init(integerLiteral:)", "init(floatLiteral:)", "init(booleanLiteral:)",
               "init(arrayLiteral:)", "init(dictionaryLiteral:)", "init(unicodeScalarLiteral:)",
               "init(extendedGraphemeClusterLiteral:)", "init(rawValue:)", "rawValue"}

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dump_symbol_graphs():
    """Runs SwiftPM's dump-symbol-graph (a debug build first) and returns the directory it wrote.
    It exits non-zero on Linux after failing on the synthesized `<Package>PackageTests` module, after
    writing every other module's graph; so its status is not used, the files are checked instead."""
    run = subprocess.run(["swift", "package", "--package-path", root, "dump-symbol-graph", "--skip-synthesized-members"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    found = re.findall(r"^Files written to (.+)$", run.stdout, re.M)
    if not found:
        sys.exit(run.stdout[-4000:] + "\ndocs_check: swift package dump-symbol-graph wrote no symbol graphs (above)")
    return found[-1].strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--symbol-graphs", help="a directory of *.symbols.json (default: dump them now)")
    parser.add_argument("--all", action="store_true", help="also list the undocumented symbols of modules not enforced")
    args = parser.parse_args()
    directory = args.symbol_graphs or dump_symbol_graphs()

    missing = collections.defaultdict(list)   # module -> [(file, line, kind, name)]
    for module in TOOLKIT:
        main_graph = os.path.join(directory, module + ".symbols.json")
        if not os.path.exists(main_graph):
            sys.exit(f"docs_check: no symbol graph for {module} in {directory}: did the build fail?")
        # Module.symbols.json, plus Module@Other.symbols.json for its extensions of other modules' types.
        graphs = [main_graph] + sorted(os.path.join(directory, f) for f in os.listdir(directory)
                                       if f.startswith(module + "@") and f.endswith(".symbols.json"))
        for path in graphs:
            with open(path) as f:
                graph = json.load(f)
            for symbol in graph["symbols"]:
                if symbol.get("accessLevel") not in ("public", "open") or "docComment" in symbol:
                    continue
                kind = symbol["kind"]["identifier"]
                name = symbol["pathComponents"][-1]
                if kind == "swift.enum.case" or name in CONFORMANCE or "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
                    continue
                location = symbol.get("location", {})
                file = location.get("uri", "?").removeprefix("file://")
                file = os.path.relpath(file, root) if file.startswith("/") else file
                line = location.get("position", {}).get("line", -1) + 1
                missing[module].append((file, line, kind.removeprefix("swift."), ".".join(symbol["pathComponents"])))

    failed = False
    for module in TOOLKIT:
        symbols = sorted(set(missing[module]))
        enforced = module in ENFORCED
        if enforced or args.all:
            for file, line, kind, name in symbols:
                print(f"{file}:{line}: {kind} {name}: public, without a doc comment")
        failed = failed or (enforced and bool(symbols))
    total = sum(len(set(v)) for v in missing.values())
    print("docs_check: public symbols without a doc comment: "
          + ", ".join(f"{m} {len(set(missing[m]))}{'' if m in ENFORCED else ' (not enforced)'}" for m in TOOLKIT)
          + f"; {total} in all")
    if failed:
        print("docs_check: FAILED: document them (/// above the declaration: what it is and why; shapes for tensors)")
        sys.exit(1)
    print("docs_check: ok: every public symbol of " + ", ".join(ENFORCED) + " has a doc comment")


if __name__ == "__main__":
    main()
