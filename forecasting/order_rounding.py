"""Turn a wanted order quantity into what the supplier accepts, and say so in words."""

from __future__ import annotations

import math


def _packs(count: int, pack_size: int) -> str:
    return f"{count} pack{'' if count == 1 else 's'} of {pack_size}"


def round_order(wanted: float, moq: int, pack_size: int) -> tuple[int, str]:
    """Round a wanted quantity up to whole units, then to the MOQ, then to whole packs.

    Args:
        wanted: units wanted (> 0), possibly fractional.
        moq: supplier minimum order quantity in units (>= 1).
        pack_size: units per case (>= 1); orders are whole cases.

    Returns:
        (order quantity, what happened), e.g. (48, "rounded up from 37 to 48: 4 packs of 12")
        or (100, "need 37, raised to the MOQ of 100").
    """
    # Rounded first so that 36.0000000001 from float sums is not ordered as 37.
    units = math.ceil(round(wanted, 6))
    packs = math.ceil(max(units, moq) / pack_size)
    quantity = packs * pack_size
    if units < moq:
        text = f"need {units}, raised to the MOQ of {moq}"
        if quantity > moq:
            return quantity, f"{text}, then up to {quantity}: {_packs(packs, pack_size)}"
        return quantity, text if pack_size == 1 else f"{text} ({_packs(packs, pack_size)})"
    if quantity > units:
        return quantity, f"rounded up from {units} to {quantity}: {_packs(packs, pack_size)}"
    if pack_size > 1:
        return quantity, f"no rounding needed: {quantity} is {_packs(packs, pack_size)}"
    return quantity, "no rounding needed"
