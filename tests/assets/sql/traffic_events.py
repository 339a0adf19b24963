"""Hand-written traffic events for the traffic marts' tests."""

from datetime import datetime

TRAFFIC_MARTS = (
    "staging.stg_traffic_events",
    "marts.sessions",
    "marts.conversion_daily",
    "marts.funnel_daily",
    "marts.cart_abandonment_daily",
)


def event(user: str, at: str, name: str, day: str = "2011-03-04", **extra) -> dict:
    """One raw traffic event of `user` at `day at`; device desktop, source google unless given."""
    return {
        "user_id": user,
        "event_at": datetime.fromisoformat(f"{day} {at}"),
        "event_name": name,
        "device": "desktop",
        "source": "google",
        "_export_date": datetime.fromisoformat(day).date(),
        **extra,
    }
