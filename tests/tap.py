# SPDX-License-Identifier: GPL-3.0-or-later
"""tap.py -- TAP for the Python helpers the shell tests run
(tests/metrics/check_truth.py, tests/report/check_report.py,
tests/report/browser_check.py): each helper's lines are numbered on from the
caller's last test, a failure's detail follows as comments, and at the end
the last number goes to the file the caller names in an environment
variable (so it can go on counting) and the exit status says whether
anything failed.
"""
import os
import sys


class Tap:
    def __init__(self, first, count_env, detail_lines=12):
        self.n = first            # the number of the last test printed
        self.failed = 0
        self.count_env = count_env
        self.detail_lines = detail_lines

    def ok(self, cond, what, detail=""):
        """Prints one test line; when cond is false, the first lines of detail."""
        self.n += 1
        print(("ok" if cond else "not ok"), self.n, "-", what)
        if not cond:
            self.failed += 1
            for line in str(detail).splitlines()[:self.detail_lines]:
                print("#  ", line)

    def finish(self, code=None):
        """Writes the last number where $count_env says (when set and not
        empty) and exits: code when given, else 1 when a test failed."""
        path = os.environ.get(self.count_env)
        if path:
            with open(path, "w") as f:
                f.write(str(self.n))
        sys.exit(code if code is not None else (1 if self.failed else 0))
