"""Put a mutant into an already imported module, in a forked test process.

Every function object compiled from the file, wherever it is referenced (other modules'
`from x import f`, registries, decorators' wrapped functions, bound methods), gets the
mutated code: its `__code__` is swapped, so nothing has to be found and rebound by name.
A mutant in code that runs at import (a constant, a class body, a decorator's arguments, a
default value) re-runs its top-level statement in the module, and the names it rebinds are
rebound in every module that imported the old object by the same name.
"""

from __future__ import annotations
import __future__

import ast
import gc
import sys
from collections import defaultdict
from inspect import CO_NEWLOCALS
from types import CodeType, FunctionType, ModuleType

CodeKey = tuple[str, int]


def _code_objects(code: CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _code_objects(const)


def _key(code: CodeType) -> CodeKey:
    return code.co_qualname, code.co_firstlineno


def _flags(source: str) -> int:
    return (
        __future__.annotations.compiler_flag
        if "from __future__ import annotations" in source
        else 0
    )


def _compile(source: str, filename: str) -> CodeType:
    return compile(source, filename, "exec", flags=_flags(source), dont_inherit=True)


def live_functions(filename: str) -> dict[CodeKey, list[FunctionType]]:
    """Every function object alive now whose code comes from `filename` (one heap walk)."""
    index: dict[CodeKey, list[FunctionType]] = defaultdict(list)
    for obj in gc.get_objects():
        if isinstance(obj, FunctionType) and obj.__code__.co_filename == filename:
            index[_key(obj.__code__)].append(obj)
    return index


def _shallow(code: CodeType) -> tuple:
    """`code` compared without the bodies nested in it (their names and lines stand in)."""
    consts = tuple(
        _key(c) if isinstance(c, CodeType) else (type(c).__name__, repr(c)) for c in code.co_consts
    )
    return (
        code.co_code,
        consts,
        code.co_names,
        code.co_varnames,
        code.co_freevars,
        code.co_cellvars,
        code.co_flags,
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
    )


def changed_functions(original: str, mutated: str, filename: str) -> set[CodeKey] | None:
    """The functions (lambdas, comprehensions) whose own body the mutant changes, or None
    when it changes code that runs at import: the module's or a class body's."""
    old = {_key(code): code for code in _code_objects(_compile(original, filename))}
    changed: set[CodeKey] = set()
    for code in _code_objects(_compile(mutated, filename)):
        before = old.get(_key(code))
        if before is not None and _shallow(before) == _shallow(code):
            continue
        if before is None or not code.co_flags & CO_NEWLOCALS:
            return None
        changed.add(_key(code))
    return changed


def _swap_code(original: str, mutated: str, filename: str, functions) -> None:
    old = {_key(code): code for code in _code_objects(_compile(original, filename))}
    for code in _code_objects(_compile(mutated, filename)):
        if old.get(_key(code)) == code:
            continue
        for function in functions.get(_key(code), ()):
            function.__code__ = code


def _top_statement(tree: ast.Module, line: int) -> ast.stmt:
    for statement in tree.body:
        first = min(
            [statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", [])]
        )
        if first <= line <= statement.end_lineno:
            return statement
    raise LookupError(f"no top-level statement holds line {line}")


def _rerun(module: ModuleType, mutated: str, line: int | None) -> None:
    """Run the mutated top-level statement holding `line` again (every statement when
    None), in the module, and rebind what it changed in every module that imported it."""
    tree = ast.parse(mutated)
    statements = tree.body if line is None else [_top_statement(tree, line)]
    before = dict(module.__dict__)
    code = compile(
        ast.Module(body=statements, type_ignores=[]),
        module.__file__,
        "exec",
        flags=_flags(mutated),
        dont_inherit=True,
    )
    exec(code, module.__dict__)  # noqa: S102 (the mutated module's own code)
    changed = {
        name: (before[name], value)
        for name, value in module.__dict__.items()
        if name in before and before[name] is not value
    }
    for other in list(sys.modules.values()):
        namespace = getattr(other, "__dict__", None)
        if other is module or not isinstance(namespace, dict):
            continue
        for name, (old_value, new_value) in changed.items():
            if namespace.get(name) is old_value:
                namespace[name] = new_value


def apply(
    module: ModuleType,
    original: str,
    mutated: str,
    line: int,
    rerun: str,
    functions: dict[CodeKey, list[FunctionType]],
) -> None:
    """Make `module` (compiled from `original`) behave as `mutated`, changed at `line`.

    `rerun` says what import-time code to run again: "none" (the line is in a function
    no import calls), "statement" (the line runs at import: its top-level statement) or
    "module" (the line is in a function the module's import calls: the whole module).
    `functions` is `live_functions(module.__file__)`, taken once before forking.
    """
    _swap_code(original, mutated, module.__file__, functions)
    if rerun != "none":
        _rerun(module, mutated, line if rerun == "statement" else None)
