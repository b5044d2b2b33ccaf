"""Read an Odoo test log; print failures and a final "N passed, N failed" line.

Exit non-zero when a test failed or errored, when Odoo itself failed, when any
ERROR/WARNING/CRITICAL line appears in the log, or when lint failed.
"""

import re
import sys

LEVEL = re.compile(r"^\S+ \S+ \d+ (ERROR|WARNING|CRITICAL) ")
RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def main(log_path, odoo_rc, lint_rc):
    failed = errors = total = 0
    problems = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        lines = log.readlines()
    for index, line in enumerate(lines):
        match = RESULT.search(line)
        if match:
            failed, errors, total = (int(g) for g in match.groups())
        if LEVEL.match(line):
            problems.append("".join(lines[index : index + 12]))
    for problem in problems[:30]:
        sys.stdout.write(problem + "----\n")
    ran = re.findall(r"Ran (\d+) tests?", "".join(lines))
    bad = failed + errors
    passed = max(total - bad, 0)
    ok = int(odoo_rc) == 0 and not problems and bad == 0 and int(lint_rc) == 0
    if total == 0:
        ok = False
        sys.stdout.write(f"no test ran (Ran: {','.join(ran)})\n")
    if problems:
        sys.stdout.write(f"{len(problems)} ERROR/WARNING line(s) in the Odoo log\n")
    if int(odoo_rc):
        sys.stdout.write(f"odoo exited with {odoo_rc}\n")
    # lint and log problems count as one failure each: a red run never says 0 failed
    extra = (1 if problems else 0) + (1 if int(lint_rc) else 0)
    if int(odoo_rc) and not bad and not problems:
        extra += 1
    sys.stdout.write(f"{passed} passed, {bad + extra} failed\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
