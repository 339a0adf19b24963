"""Fake but realistic customer names for the simulated exports (PII that staging must
hash or drop). Shared by the reviews and the synthetic shop's customers."""

import numpy as np

FIRST_NAMES = (
    "Oliver",
    "Amelia",
    "George",
    "Isla",
    "Harry",
    "Ava",
    "Jack",
    "Mia",
    "Noah",
    "Emily",
    "Leo",
    "Grace",
    "Arthur",
    "Sophie",
    "Thomas",
    "Lily",
    "James",
    "Freya",
    "Henry",
    "Ella",
    "Lucas",
    "Chloe",
    "Marie",
    "Pierre",
    "Anna",
    "Lukas",
    "Sofia",
    "Jan",
    "Elena",
    "Marco",
    "Ingrid",
    "Sean",
)
LAST_NAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Martin",
    "Dubois",
    "Muller",
    "Schmidt",
    "Rossi",
    "Garcia",
    "Jansen",
    "Nielsen",
    "Murphy",
    "Kowalski",
)


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """`n` random (first names, last names)."""
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)]
    return first, last
