"""Mutation testing of the project's own code (`make mutation`, docs/mutation.md).

A mutant is the source of one file with one small, plausible bug planted in it (a swapped
denominator, `<` for `<=`, a dropped filter). The fast tests that cover the file run against
each mutant: for Python, in a forked process with the mutant patched in memory, only the
tests that execute its line (mutation/fork_runner.py); for SQL, a fresh pytest with the
mutant written over its file, put back afterwards (mutation/runner.py). A mutant is killed
when a test fails and survives when every test passes: each survivor is a bug the suite
misses.
"""
