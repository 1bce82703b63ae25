#!/usr/bin/env python3
"""Mutation run of `sitegen import` over the real result files in tests/fixtures/.

Each input is a fixture changed in one or a few ways (byte flips, truncation, inserted bytes, a
value nested deeply, huge numbers, wrong types, NaN/Infinity, a key removed, a value negated),
written to a scratch directory and imported alone with `sitegen import FILE --out OUT`, under a
time limit. What must hold, per input:

  - the process exits 0 or 1 (anything else, a signal included, is a crash);
  - it finishes within --timeout seconds (else a hang);
  - exit 1 prints "sitegen: error:" or an error naming the file, and writes no OUT;
  - exit 0 writes OUT, and every report in it passes `sitegen validate`.

Inputs that break a rule are kept in --keep DIR with the command's output. Deterministic for a
given --seed. Usage (README, "Fuzzing"):

  python3 tools/mutate_imports.py --sitegen build/sitegen --count 3000 [--jobs 2] [--seed 1]
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fixtures(directory):
    out = []
    for base, _, names in os.walk(directory):
        for name in sorted(names):
            if name.endswith((".json", ".jsonl")):
                out.append(os.path.join(base, name))
    return sorted(out)


# --- structural mutations: parse, change one value, write back ---------------------------------

def parse_values(text):
    """The file's top-level JSON values (one document, JSONL, or concatenated), or None."""
    decoder = json.JSONDecoder()
    values, i = [], 0
    try:
        while True:
            while i < len(text) and text[i] in " \t\r\n":
                i += 1
            if i >= len(text):
                break
            value, i = decoder.raw_decode(text, i)
            values.append(value)
    except ValueError:
        return None
    return values or None


def nodes(value, path=()):
    """Every (path, value) in the document, the root included."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from nodes(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from nodes(v, path + (i,))


def replace(root, path, new):
    if not path:
        return new
    parent = root
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = new
    return root


class Raw:
    """Text written verbatim where a value goes (NaN, 1e999, deep nesting)."""

    def __init__(self, text):
        self.text = text


def dump(value):
    """JSON text that may hold Raw pieces."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dump(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return json.dumps(value)


def value_mutation(rng, old):
    kind = rng.choice(["deep", "huge", "huge", "type", "type", "nonfinite", "nonfinite", "negate",
                       "zero", "long_string", "empty"])
    if kind == "deep":
        depth = rng.choice([100, 1000, 10000, 100000])
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        return kind, Raw(opener * depth + "1" + closer * depth)
    if kind == "huge":
        return kind, Raw(rng.choice(["1e999", "-1e999", "1e308", "-1e308", "9223372036854775808",
                                     "-9223372036854775809", "18446744073709551616",
                                     "123456789012345678901234567890", "4.9e-324", "-0"]))
    if kind == "type":
        choices = ["null", "true", '"n/a"', '""', "[]", "{}", "[1,2]", '{"x":1}', "0", "1.5"]
        return kind, Raw(rng.choice(choices))
    if kind == "nonfinite":
        return kind, Raw(rng.choice(["NaN", "Infinity", "-Infinity", '"NaN"', '"inf"']))
    if kind == "negate" and isinstance(old, (int, float)) and not isinstance(old, bool):
        return kind, -old if old else -1
    if kind == "zero":
        return kind, 0
    if kind == "long_string":
        return kind, "x" * rng.choice([1000, 100000, 1000000])
    if kind == "empty" and isinstance(old, (list, dict)):
        return kind, type(old)()
    return "type", Raw("null")


def structural(rng, text):
    values = parse_values(text)
    if values is None:
        return None
    which = rng.randrange(len(values))
    all_nodes = list(nodes(values[which]))
    # Leaves and small containers are where producers' numbers live; weight toward them.
    path, old = rng.choice(all_nodes)
    if rng.random() < 0.15 and path:
        parent = values[which]
        for p in path[:-1]:
            parent = parent[p]
        if isinstance(parent, dict):
            del parent[path[-1]]
            label = "remove"
        else:
            kind, new = value_mutation(rng, old)
            values[which] = replace(values[which], path, new)
            label = kind
    else:
        kind, new = value_mutation(rng, old)
        values[which] = replace(values[which], path, new)
        label = kind
    joiner = "\n" if len(values) > 1 else ""
    where = "/" + "/".join(str(p) for p in path)
    return label + " at " + where, joiner.join(dump(v) for v in values) + "\n"


# --- byte-level mutations ----------------------------------------------------------------------

def bytewise(rng, data):
    kind = rng.choice(["flip", "truncate", "insert", "duplicate"])
    data = bytearray(data)
    if not data:
        return kind, bytes(data)
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        data = data[: rng.randrange(len(data))]
    elif kind == "insert":
        i = rng.randrange(len(data) + 1)
        data[i:i] = rng.choice([b"\x00", b"\xff\xfe", b"\"", b"{", b"]", b",", b"NaN", b"\n{}\n",
                                bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))])
    else:
        i = rng.randrange(len(data))
        j = min(len(data), i + rng.randint(1, 4096))
        data[j:j] = data[i:j]
    return kind, bytes(data)


def mutate(rng, source_bytes):
    if rng.random() < 0.6:
        try:
            made = structural(rng, source_bytes.decode("utf-8"))
        except (UnicodeDecodeError, RecursionError):
            made = None
        if made is not None:
            return made[0], made[1].encode("utf-8")
    return bytewise(rng, source_bytes)


# --- running sitegen ---------------------------------------------------------------------------

def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"") + (e.stderr or b"")
        return None, out.decode("utf-8", "replace")


def check_one(args, work, index, source, label, data):
    """Returns (verdict, detail); verdict is one of ok-imported, ok-refused or a failure kind."""
    name = os.path.splitext(os.path.basename(source))[0]
    ext = os.path.splitext(source)[1]
    case_dir = os.path.join(work, "case-%05d" % index)
    os.makedirs(case_dir)
    path = os.path.join(case_dir, name + ext)
    with open(path, "wb") as f:
        f.write(data)
    out = os.path.join(case_dir, "out.json")
    code, text = run([args.sitegen, "import", path, "--out", out], args.timeout)
    verdict, detail = "ok-refused", ""
    if code is None:
        verdict, detail = "hang", "no exit within %g s" % args.timeout
    elif code < 0 or code not in (0, 1):
        verdict, detail = "crash", "exit status %d" % code
    elif code == 1:
        if os.path.exists(out):
            verdict, detail = "half-written", "exit 1 but the output file was written"
        elif path not in text:
            verdict, detail = "unclear-error", "exit 1 without naming the file"
    else:
        verdict, detail = "ok-imported", ""
        try:
            with open(out, "rb") as f:
                written = json.loads(f.read())
        except (OSError, ValueError) as e:
            written, verdict, detail = None, "invalid-report", "output is not JSON: %s" % e
        if written is not None:
            reports = written if isinstance(written, list) else [written]
            for k, report in enumerate(reports):
                one = os.path.join(case_dir, "report-%d.json" % k)
                with open(one, "w") as f:
                    json.dump(report, f)
                vcode, vtext = run([args.sitegen, "validate", one], args.timeout)
                if vcode != 0:
                    verdict, detail = "invalid-report", vtext.strip()[-2000:]
                    break
    if verdict.startswith("ok"):
        shutil.rmtree(case_dir)
    else:
        kept = os.path.join(args.keep, "%s-%05d-%s%s" % (verdict, index, name, ext))
        os.makedirs(args.keep, exist_ok=True)
        with open(kept, "wb") as f:
            f.write(data)
        with open(kept + ".txt", "w") as f:
            f.write("source: %s\nmutation: %s\nverdict: %s\n%s\n--- sitegen output ---\n%s\n"
                    % (os.path.relpath(source, ROOT), label, verdict, detail, text[-4000:]))
        shutil.rmtree(case_dir)
    return verdict, label


def guarded(args, work, index, source, label, data):
    """check_one, with a failure of this script itself counted rather than ending the run."""
    try:
        return check_one(args, work, index, source, label, data)
    except Exception as e:  # noqa: BLE001 - reported per case
        return "tool-error", "%s: %r" % (label, e)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sitegen", default=os.path.join(ROOT, "build", "sitegen"))
    ap.add_argument("--fixtures", default=os.path.join(ROOT, "tests", "fixtures"))
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per sitegen call")
    ap.add_argument("--keep", default="mutate-findings", help="where inputs that break a rule are kept")
    ap.add_argument("--case", type=int, action="append", help="run only this case number (repeatable)")
    args = ap.parse_args()
    args.keep = os.path.abspath(args.keep)
    if not os.access(args.sitegen, os.X_OK):
        sys.exit("mutate_imports: no sitegen at %s (build it first, or give --sitegen)" % args.sitegen)
    sources = fixtures(args.fixtures)
    if not sources:
        sys.exit("mutate_imports: no .json/.jsonl files under %s" % args.fixtures)
    rng = random.Random(args.seed)
    cases = []
    for i in range(args.count):
        source = sources[i % len(sources)]
        with open(source, "rb") as f:
            data = f.read()
        labels = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            label, data = mutate(rng, data)
            labels.append(label)
        cases.append((i, source, "; ".join(labels), data))

    if args.case:
        cases = [c for c in cases if c[0] in args.case]
    # Reports that keep deeply nested values are read back and split here: room for the recursion.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(512 << 20)
    work = tempfile.mkdtemp(prefix="sitegen-mutate-")
    counts = {}
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [pool.submit(guarded, args, work, *c) for c in cases]
            for n, fut in enumerate(futures, 1):
                verdict, label = fut.result()
                counts[verdict] = counts.get(verdict, 0) + 1
                if not verdict.startswith("ok"):
                    print("%s: case %d (%s)" % (verdict, cases[n - 1][0], label), flush=True)
                if n % 500 == 0:
                    print("... %d of %d" % (n, len(cases)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failures = sum(v for k, v in counts.items() if not k.startswith("ok"))
    print("mutate_imports: %d inputs from %d fixtures (seed %d): %d imported and valid, %d refused with an "
          "error, %d broke a rule%s" % (len(cases), len(sources), args.seed, counts.get("ok-imported", 0),
                                        counts.get("ok-refused", 0), failures,
                                        " (kept in %s)" % args.keep if failures else ""))
    for k in sorted(counts):
        if not k.startswith("ok"):
            print("  %s: %d" % (k, counts[k]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
