#!/usr/bin/env python3
"""The store of pending reports that makes the benchmark workflow lose no run.

Every bench job's report goes first to the branch `benchmark-pending` (the store; it outlives
every run), and only from there into results/ on main. A publish takes everything in the store,
merges it, builds and pushes, and only then removes what it took; a publish that is cancelled
(queued behind a newer one, or stopped by hand) at any point leaves the store as it was, so a
later publish takes those reports too. Merging a report twice changes nothing (sitegen merge is
idempotent), so a publish stopped after pushing results/ but before clearing loses nothing either.

Runs in a clone whose `origin` is the repository (actions/checkout with credentials, or a local
clone of a bare repository in the rehearsal). Standard library and git only.

  pending.py stash --artifacts DIR --matrix FILE --run KEY [--sitegen BIN]
      this run's bench artifacts (DIR/report-<name>/report.json) into the store under
      reports/<KEY>/<name>/report.json, with reports/<KEY>/status.txt saying, per matrix entry,
      ok or why there is no report (from the job's bench-status.txt, or: no artifact).
  pending.py status --artifacts DIR --matrix FILE [--sitegen BIN]
      the same per-job lines as stash, as a markdown list on stdout (the pull-request comment).
  pending.py take --into DIR [--list FILE] [--summary FILE]
      the store as it is now, checked out into DIR (a git worktree); DIR/reports is what to
      merge. FILE (default pending-taken.txt) records what was taken; the status of every run
      taken is printed, and appended to the summary (e.g. $GITHUB_STEP_SUMMARY).
  pending.py save-results --message MSG [--branch main]
      commit results/ and push to the branch, rebasing on what others pushed meanwhile.
  pending.py clear --into DIR [--list FILE]
      remove exactly what `take` took from the store (reports stashed since stay) and push.

Every push is retried on a fresh fetch (up to 5 times); a store that does not exist yet is
created. Exit status 0 on success, 1 when git or a push fails after the retries, 2 on bad usage.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

BRANCH = os.environ.get("SITEGEN_PENDING_BRANCH", "benchmark-pending")
ATTEMPTS = 5


def say(text):
    print(f"pending: {text}", file=sys.stderr)


def git(*args, cwd=None, check=True, capture=False):
    result = subprocess.run(["git", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None)
    if check and result.returncode != 0:
        detail = (result.stderr or "").strip() if capture else ""
        raise SystemExit(f"pending: git {' '.join(args)} failed ({result.returncode}) {detail}")
    return result


def fetch_store(cwd):
    """The store's newest commit, creating the branch (empty) when it does not exist yet."""
    if git("fetch", "-q", "origin", BRANCH, cwd=cwd, check=False, capture=True).returncode == 0:
        return git("rev-parse", "FETCH_HEAD", cwd=cwd, capture=True).stdout.strip()
    tree = subprocess.run(["git", "mktree"], cwd=cwd, text=True, input="", capture_output=True,
                          check=True).stdout.strip()  # the empty tree
    commit = subprocess.run(["git", "commit-tree", tree, "-m", "pending reports: the store is created"],
                            cwd=cwd, text=True, capture_output=True, check=True).stdout.strip()
    if git("push", "-q", "origin", f"{commit}:refs/heads/{BRANCH}", cwd=cwd, check=False, capture=True).returncode != 0:
        # Someone created it meanwhile: take theirs.
        git("fetch", "-q", "origin", BRANCH, cwd=cwd, capture=True)
        return git("rev-parse", "FETCH_HEAD", cwd=cwd, capture=True).stdout.strip()
    say(f"created the branch {BRANCH}")
    return commit


def worktree_at(store, commit):
    """DIR as a detached worktree of this clone at `commit` (made on first use)."""
    if not os.path.exists(os.path.join(store, ".git")):
        git("worktree", "add", "-q", "--detach", store, commit, capture=True)
    else:
        git("checkout", "-q", "--detach", "--force", commit, cwd=store, capture=True)
        git("clean", "-q", "-fdx", cwd=store, capture=True)


def commit_and_push(store, message, change):
    """Applies change(store) on the newest store and pushes; retries when the push loses a race."""
    for attempt in range(1, ATTEMPTS + 1):
        worktree_at(store, fetch_store("."))
        if not change(store):
            return False
        git("add", "-A", ".", cwd=store)
        if git("diff", "--cached", "--quiet", cwd=store, check=False).returncode == 0:
            return False
        git("commit", "-q", "-m", message, cwd=store)
        if git("push", "-q", "origin", f"HEAD:refs/heads/{BRANCH}", cwd=store, check=False, capture=True).returncode == 0:
            return True
        say(f"push to {BRANCH} lost a race (attempt {attempt} of {ATTEMPTS}); fetching again")
        time.sleep(min(2 * attempt, 10))
    raise SystemExit(f"pending: could not push to {BRANCH} after {ATTEMPTS} attempts")


def matrix_names(path):
    try:
        with open(path, encoding="utf-8") as f:
            matrix = json.load(f)
        names = [entry["name"] for entry in matrix["include"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SystemExit(f"pending: {path}: not a plan matrix ({{\"include\": [{{\"name\": ...}}]}}): {e}")
    for name in names:
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9._-]+", name):
            raise SystemExit(f"pending: {path}: entry name {name!r}: use letters, digits, '.', '_' or '-'")
    return names


def first_line(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.readline().strip()
    except OSError:
        return ""


def job_statuses(artifacts, names, sitegen):
    """Per matrix entry: its report when there is a valid one, and one line saying ok or why not."""
    found, lines = {}, []
    for name in names:
        job = os.path.join(artifacts, f"report-{name}")
        report = os.path.join(job, "report.json")
        why = first_line(os.path.join(job, "bench-status.txt"))
        if not os.path.isdir(job):
            lines.append(f"bench {name}: no report: no artifact (the job failed before its upload, "
                         "was cancelled, or its runner was lost; see the job's log)")
        elif not os.path.isfile(report):
            lines.append(f"bench {name}: no report: {why or 'the artifact holds no report.json'}")
        elif sitegen and subprocess.run([sitegen, "validate", report], capture_output=True).returncode != 0:
            lines.append(f"bench {name}: no report: report.json does not validate "
                         f"(`sitegen validate` the artifact's report.json)")
        else:
            found[name] = report
            lines.append(f"bench {name}: {'ok' if why in ('', 'ok') else 'partial report: ' + why}")
    return found, lines


def status(args):
    _, lines = job_statuses(args.artifacts, matrix_names(args.matrix), args.sitegen)
    print("".join(f"- {line}\n" for line in lines), end="")


def stash(args):
    if not re.fullmatch(r"[A-Za-z0-9._-]+", args.run):
        raise SystemExit(f"pending: --run {args.run!r}: use letters, digits, '.', '_' or '-'")
    names = matrix_names(args.matrix)
    found, lines = job_statuses(args.artifacts, names, args.sitegen)
    for line in lines:
        say(line)
    key = args.run

    def change(store):
        base = os.path.join(store, "reports", key)
        for name, report in found.items():
            os.makedirs(os.path.join(base, name), exist_ok=True)
            shutil.copyfile(report, os.path.join(base, name, "report.json"))
        os.makedirs(base, exist_ok=True)
        with open(os.path.join(base, "status.txt"), "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))
        return True

    commit_and_push(args.store, f"pending: reports of run {key} ({len(found)} of {len(names)})", change)
    say(f"stashed {len(found)} of {len(names)} reports of run {key} in {BRANCH}")


def take(args):
    commit = fetch_store(".")
    worktree_at(args.into, commit)
    taken = []
    for root, _, files in os.walk(os.path.join(args.into, "reports")):
        for name in files:
            taken.append(os.path.relpath(os.path.join(root, name), args.into))
    taken.sort()
    with open(args.list, "w", encoding="utf-8") as f:
        f.write("".join(path + "\n" for path in taken))
    reports = [p for p in taken if p.endswith("/report.json")]
    statuses = [p for p in taken if p.endswith("/status.txt")]
    out = [f"Pending reports taken from `{BRANCH}`: {len(reports)}, from {len(statuses)} runs."]
    for path in statuses:
        run = path.split("/")[1]
        with open(os.path.join(args.into, path), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(f"- run {run}: {line}")
                    if ": no report: " in line or ": partial report: " in line:
                        print(f"::warning::run {run}: {line}")
    for line in out:
        say(line)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n\n")


def save_results(args):
    git("add", "-A", "results")
    if git("diff", "--cached", "--quiet", check=False).returncode == 0:
        say("results/ unchanged: nothing to commit")
        return
    git("commit", "-q", "-m", args.message)
    for attempt in range(1, ATTEMPTS + 1):
        if git("push", "-q", "origin", f"HEAD:refs/heads/{args.branch}", check=False, capture=True).returncode == 0:
            say(f"pushed results/ to {args.branch}")
            return
        say(f"push to {args.branch} lost a race (attempt {attempt} of {ATTEMPTS}); rebasing")
        git("fetch", "-q", "origin", args.branch, capture=True)
        git("rebase", "-q", "FETCH_HEAD", capture=True)
        time.sleep(min(2 * attempt, 10))
    raise SystemExit(f"pending: could not push results/ to {args.branch} after {ATTEMPTS} attempts")


def clear(args):
    try:
        with open(args.list, encoding="utf-8") as f:
            taken = [line.strip() for line in f if line.strip()]
    except OSError as e:
        raise SystemExit(f"pending: {args.list}: {e} (run `pending.py take` first)")

    def change(store):
        gone = [p for p in taken if os.path.isfile(os.path.join(store, p))]
        for path in gone:
            os.remove(os.path.join(store, path))
        return bool(gone)

    if commit_and_push(args.into, f"pending: {len(taken)} files merged into results/", change):
        say(f"cleared {len(taken)} files from {BRANCH}")
    else:
        say(f"nothing of what was taken is left in {BRANCH}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("stash")
    p.add_argument("--artifacts", required=True)
    p.add_argument("--matrix", required=True, help="file with the plan job's matrix JSON")
    p.add_argument("--run", required=True, help="<run id>-<attempt>")
    p.add_argument("--sitegen", default="", help="validate each report with this binary")
    p.add_argument("--store", default="pending-store", help="worktree directory to use")
    p = sub.add_parser("status")
    p.add_argument("--artifacts", required=True)
    p.add_argument("--matrix", required=True)
    p.add_argument("--sitegen", default="")
    p = sub.add_parser("take")
    p.add_argument("--into", required=True)
    p.add_argument("--list", default="pending-taken.txt")
    p.add_argument("--summary", default="")
    p = sub.add_parser("save-results")
    p.add_argument("--message", required=True)
    p.add_argument("--branch", default="main")
    p = sub.add_parser("clear")
    p.add_argument("--into", required=True)
    p.add_argument("--list", default="pending-taken.txt")
    args = parser.parse_args()
    {"stash": stash, "status": status, "take": take, "save-results": save_results, "clear": clear}[args.command](args)


if __name__ == "__main__":
    main()
