"""Small traffic export files written by hand, for the incremental-build tests."""

HEADER = "event_at,event_name,user_id,event_id\n"


def drop(exports, day: str, *events: str) -> None:
    """Write traffic/<day>.csv; an event is "at,event_name,user_id,event_id", `at` HH:MM on
    the export day or a full YYYY-MM-DD HH:MM."""
    lines = []
    for text in events:
        at, rest = text.split(",", 1)
        lines.append(f"{at if len(at) > 5 else f'{day} {at}'}:00,{rest}\n")
    path = exports / "traffic" / f"{day}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(lines))
