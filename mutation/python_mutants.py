"""Mutants of a Python module, made by cosmic-ray's operators.

Only the operators that model the bugs we fear in numeric and check code are used (cosmic-ray
has ~250, most of them bitwise swaps that cannot matter here): arithmetic swaps, comparison
boundaries and negations, boolean operators and constants, changed numbers and loops that
never run.
"""

from __future__ import annotations

from pathlib import Path

import cosmic_ray.plugins
from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.mutating import mutate_code

from mutation.mutant import Mutant, changed_line

OPERATORS = (
    "core/ReplaceBinaryOperator_Add_Sub",
    "core/ReplaceBinaryOperator_Sub_Add",
    "core/ReplaceBinaryOperator_Mul_Div",
    "core/ReplaceBinaryOperator_Div_Mul",
    "core/ReplaceComparisonOperator_Lt_LtE",
    "core/ReplaceComparisonOperator_LtE_Lt",
    "core/ReplaceComparisonOperator_Gt_GtE",
    "core/ReplaceComparisonOperator_GtE_Gt",
    "core/ReplaceComparisonOperator_Eq_NotEq",
    "core/ReplaceComparisonOperator_NotEq_Eq",
    "core/ReplaceComparisonOperator_Is_IsNot",
    "core/ReplaceComparisonOperator_IsNot_Is",
    "core/ReplaceAndWithOr",
    "core/ReplaceOrWithAnd",
    "core/ReplaceTrueWithFalse",
    "core/ReplaceFalseWithTrue",
    "core/AddNot",
    "core/NumberReplacer",
    "core/ZeroIterationForLoop",
)


def count_python_mutants(root: Path, relative_path: str) -> int:
    """How many mutants `python_mutants` would make, without making them (fast)."""
    tree = get_ast((root / relative_path).read_text(encoding="utf-8"))
    operators = [cosmic_ray.plugins.get_operator(name)() for name in OPERATORS]
    return sum(
        1 for op in operators for node in ast_nodes(tree) for _ in op.mutation_positions(node)
    )


def python_mutants(root: Path, relative_path: str) -> list[Mutant]:
    """Every mutant of the module at `root / relative_path`, one operator occurrence each."""
    source = (root / relative_path).read_text(encoding="utf-8")
    tree = get_ast(source)
    mutants = []
    for name in OPERATORS:
        operator = cosmic_ray.plugins.get_operator(name)()
        count = sum(1 for node in ast_nodes(tree) for _ in operator.mutation_positions(node))
        for occurrence in range(count):
            mutated = mutate_code(source, operator, occurrence)
            if mutated is None or mutated == source:
                continue
            line, change = changed_line(source, mutated)
            label = name.removeprefix("core/").removeprefix("Replace")
            mutants.append(Mutant(relative_path, line, f"{label}: {change}", mutated))
    return mutants
