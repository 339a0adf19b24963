"""Mutation testing of the project's own code (`make mutation`, docs/mutation.md).

A mutant is the source of one file with one small, plausible bug planted in it (a swapped
denominator, `<` for `<=`, a dropped filter). Each mutant is written over its file, the fast
tests that cover the file run against it, and the file is put back. A mutant is killed when
a test fails and survives when every test passes: each survivor is a bug the suite misses.
"""
