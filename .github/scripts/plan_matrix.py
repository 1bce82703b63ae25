#!/usr/bin/env python3
"""Turns .github/benchmark-plan.json into the benchmark workflow's job matrix.

Points (concurrency levels) already benchmarked at the same commit and configuration are left
out, so GPU time is not spent twice: they are looked up in the published dataset
(benchmark-results.json, whose configurations carry their latest full report), in report.json
files, or in a results/ tree, whichever --done names. An entry with no point left is dropped.

  plan_matrix.py --plan PLAN [--sha SHA] [--done FILE_OR_DIR]... [--github-output FILE]

Prints {"include": [...]} on stdout; with --github-output also appends matrix=... and count=N
for $GITHUB_OUTPUT. Exits 2 with "PLAN: /runs/1/gpus: ..." messages when the plan is invalid.
Standard library only: it runs on any GitHub-hosted runner.
"""
import argparse
import json
import os
import re
import sys

REPORT_SCHEMA = "sitegen.report/v1"
REQUIRED = {  # key -> type every run must have (after defaults are applied)
    "name": str, "model": str, "precision": str, "engine": str, "serve_cmd": str,
    "runner_label": str, "hardware": str, "gpus": int, "concurrency": list,
    "benchmark": str, "endpoint": str, "dataset": str, "input_len": int, "output_len": int,
    "num_prompts": int, "port": int, "ready_timeout_s": int,
}


def slug(text):
    return re.sub(r"[^a-z0-9.]+", "-", str(text).lower()).strip("-.")


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit(f"plan_matrix: {path}: {e}")


def check_plan(plan, path):
    """Every run merged with the defaults, or SystemExit(2) listing every problem.

    Each problem names the entry (its index as a JSON pointer, and its name) and the field, so
    the plan job fails before any GPU job starts."""
    problems, runs = [], []
    if not isinstance(plan, dict) or not isinstance(plan.get("runs"), list) or not plan["runs"]:
        raise SystemExit(f"{path}: /runs: expected a non-empty array of runs")
    defaults = plan.get("defaults", {})
    labels = plan.get("runner_labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x for x in labels):
        problems.append(f"{path}: /runner_labels: expected the labels of the registered GPU runners, "
                        "e.g. [\"gpu-rtx-a5000\"]")
        labels = None
    names = set()
    for i, entry in enumerate(plan["runs"]):
        if not isinstance(entry, dict):
            problems.append(f"{path}: /runs/{i}: expected an object")
            continue
        run = {**defaults, **entry}

        def problem(key, text):
            problems.append(f"{path}: /runs/{i}/{key}: {text}" +
                            (f" (entry '{run['name']}')" if isinstance(run.get("name"), str) else ""))
        for key, kind in REQUIRED.items():
            value = run.get(key)
            if value is None:
                problem(key, "missing")
            elif not isinstance(value, kind) or isinstance(value, bool):
                problem(key, f"expected {kind.__name__}, got {json.dumps(value)}")
            elif kind is str and not value.strip():
                problem(key, "empty")
        levels = run.get("concurrency")
        if isinstance(levels, list) and (not levels or not all(
                isinstance(c, int) and not isinstance(c, bool) and c > 0 for c in levels)):
            problem("concurrency", f"expected positive integers, got {json.dumps(levels)}")
        name = run.get("name")
        if isinstance(name, str) and name and not re.fullmatch(r"[A-Za-z0-9._-]+", name):
            problem("name", "use letters, digits, '.', '_' or '-' (it names the job's artifact)")
        label = run.get("runner_label")
        if isinstance(label, str) and not re.fullmatch(r"[A-Za-z0-9._-]+", label):
            problem("runner_label", "use letters, digits, '.', '_' or '-'")
        elif isinstance(label, str) and labels is not None and label not in labels:
            problem("runner_label", f"'{label}' is not a registered runner label ({', '.join(labels)}): "
                    "register a runner with it and add it to /runner_labels, or fix the entry")
        if name in names:
            problem("name", f"'{name}' is used twice")
        names.add(name)
        runs.append(run)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(2)
    return runs


def reports_in(value):
    """Every report object inside a JSON value (a report, a dataset, a list of either)."""
    if isinstance(value, dict):
        if value.get("schema") == REPORT_SCHEMA:
            yield value
            return
        for child in value.values():
            yield from reports_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from reports_in(child)


def load_done(paths):
    reports = []
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                if "report.json" in files:
                    reports.extend(reports_in(load_json(os.path.join(root, "report.json"))))
        elif os.path.isfile(path):
            reports.extend(reports_in(load_json(path)))
    return reports


def same_config(run, report):
    system = report.get("system", {})
    model = system.get("model", {})
    gpu = system.get("gpu", {})
    return (str(model.get("id", "")).lower() == run["model"].lower()
            and str(model.get("precision", "")).lower() == run["precision"].lower()
            and str(system.get("engine", {}).get("name", "")).lower() == run["engine"].lower()
            and gpu.get("count") == run["gpus"]
            and slug(run["hardware"]) in slug(gpu.get("model", ""))
            and report.get("workload", {}).get("benchmark", "serving") == run["benchmark"])


def done_levels(run, reports, sha):
    levels = set()
    for report in reports:
        if not sha or report.get("provenance", {}).get("git_sha") != sha or not same_config(run, report):
            continue
        for point in report.get("points", []):
            if point.get("concurrency") is not None and (point.get("completed") or 0) > 0:
                levels.add(point["concurrency"])
    return levels


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default=".github/benchmark-plan.json")
    parser.add_argument("--sha", default="", help="the commit being benchmarked")
    parser.add_argument("--done", action="append", default=[], help="dataset, report or results tree")
    parser.add_argument("--github-output", default="", help="append matrix= and count= to this file")
    args = parser.parse_args()

    runs = check_plan(load_json(args.plan), args.plan)
    reports = load_done(args.done)
    include = []
    for run in runs:
        done = done_levels(run, reports, args.sha)
        todo = [c for c in run["concurrency"] if c not in done]
        if done:
            print(f"plan_matrix: {run['name']}: already benchmarked at {args.sha[:12]}: "
                  f"concurrency {sorted(done)}", file=sys.stderr)
        if todo:
            include.append({**run, "concurrency": ",".join(str(c) for c in todo)})
    matrix = json.dumps({"include": include}, separators=(",", ":"))
    print(matrix)
    if args.github_output:
        with open(args.github_output, "a", encoding="utf-8") as f:
            f.write(f"matrix={matrix}\ncount={len(include)}\n")


if __name__ == "__main__":
    main()
