#!/usr/bin/env python3
"""Checks the rules of .github/workflows/ that GitHub's schema (action-validator) does not.

  check_workflows.py FILE...

1. Every action or reusable workflow from another repository is pinned by a full commit SHA,
   with its version in a comment: `uses: actions/checkout@<40 hex digits> # v4.2.2`. A tag or a
   branch can be moved to other code; a SHA cannot.
2. Every actions/checkout says `persist-credentials:`; `true` only in a job that may write the
   repository (permissions `contents: write`), since a persisted token is readable by every later
   step of the job.
3. In a workflow triggered by pull_request_target or issue_comment (it runs with the base
   repository's token and secrets), every job that runs on a self-hosted runner or checks out
   another ref than the default (the pull request's code) needs, directly or through other jobs,
   a job with an `environment:` (whose required reviewers approve), and that job checks out no
   other ref itself.

Prints `FILE: /jobs/<job>/...: problem` for every problem and exits 1 when there is any, 2 when a
file cannot be read. Needs PyYAML (Debian: python3-yaml).
"""
import re
import sys

try:
    import yaml
except ImportError:
    raise SystemExit("check_workflows: needs PyYAML (apt-get install python3-yaml, or pip install pyyaml)")

PINNED = re.compile(r"^[^@\s]+/[^@\s]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s*)?uses:\s*['\"]?([^'\"\s#]+)['\"]?\s*(#\s*(\S.*))?$")


def check_pins(path, text, problems):
    for number, line in enumerate(text.splitlines(), 1):
        m = USES_LINE.match(line)
        if not m:
            continue
        ref, comment = m.group(1), m.group(3)
        if ref.startswith("./") or ref.startswith("docker://"):
            continue
        if not PINNED.match(ref):
            problems.append(f"{path}:{number}: uses: {ref}: pin it by its full commit SHA "
                            "(owner/repo@<40 hex digits> # vX.Y.Z)")
        elif not comment or not re.match(r"v?\d", comment):
            problems.append(f"{path}:{number}: uses: {ref}: say which version the SHA is, in a comment (# vX.Y.Z)")


def steps_of(job):
    steps = job.get("steps") or []
    return [s for s in steps if isinstance(s, dict)]


def checkouts(job):
    return [s for s in steps_of(job) if str(s.get("uses", "")).split("@")[0] == "actions/checkout"]


def can_write_contents(job, workflow):
    perms = job.get("permissions", workflow.get("permissions"))
    if perms == "write-all":
        return True
    return isinstance(perms, dict) and perms.get("contents") == "write"


def check_credentials(path, workflow, problems):
    for name, job in (workflow.get("jobs") or {}).items():
        for i, step in enumerate(steps_of(job)):
            if step not in checkouts(job):
                continue
            persist = (step.get("with") or {}).get("persist-credentials")
            where = f"{path}: /jobs/{name}/steps/{i}"
            if persist is None:
                problems.append(f"{where}: actions/checkout without persist-credentials: say false "
                                "(or true in a job that pushes)")
            elif persist is True and not can_write_contents(job, workflow):
                problems.append(f"{where}: persist-credentials: true in a job that cannot push "
                                "(no contents: write): set it to false")


def runs_on_self_hosted(job):
    runs_on = job.get("runs-on")
    labels = runs_on if isinstance(runs_on, list) else [runs_on]
    if isinstance(runs_on, dict):
        labels = runs_on.get("labels") or []
        labels = labels if isinstance(labels, list) else [labels]
    return any(str(label) == "self-hosted" for label in labels)


def checks_out_other_ref(job):
    return any("ref" in (s.get("with") or {}) for s in checkouts(job))


def needs_of(job):
    needs = job.get("needs") or []
    return [needs] if isinstance(needs, str) else list(needs)


def check_approval(path, workflow, problems):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    names = set(triggers) if isinstance(triggers, (dict, list)) else {triggers}
    if not names & {"pull_request_target", "issue_comment"}:
        return
    jobs = workflow.get("jobs") or {}

    def upstream(name, seen):
        for parent in needs_of(jobs.get(name) or {}):
            if parent not in seen:
                seen.add(parent)
                upstream(parent, seen)
        return seen

    for name, job in jobs.items():
        if not (runs_on_self_hosted(job) or checks_out_other_ref(job)):
            continue
        gates = [g for g in upstream(name, set()) if (jobs.get(g) or {}).get("environment")]
        if job.get("environment"):
            if checks_out_other_ref(job) or runs_on_self_hosted(job):
                problems.append(f"{path}: /jobs/{name}: the approval job itself runs the pull request's "
                                "code or a self-hosted runner: approve in a job of its own, then need it")
        elif not gates:
            what = "runs on a self-hosted runner" if runs_on_self_hosted(job) else "checks out the pull request's code"
            problems.append(f"{path}: /jobs/{name}: {what} in a workflow a pull request triggers, "
                            "without needing an approval job (one with an environment with required reviewers)")


def main(paths):
    problems = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            workflow = yaml.safe_load(text)
        except (OSError, yaml.YAMLError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            return 2
        if not isinstance(workflow, dict):
            problems.append(f"{path}: not a workflow (expected a mapping)")
            continue
        check_pins(path, text, problems)
        check_credentials(path, workflow, problems)
        check_approval(path, workflow, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: check_workflows.py FILE...")
    sys.exit(main(sys.argv[1:]))
