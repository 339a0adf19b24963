"""Reviewer names and e-mails stop at staging, and contact details typed into reviews are masked."""

from datetime import date, datetime


def test_reviews_keep_no_contact_details(warehouse):
    warehouse.insert(
        "feedback",
        [
            {
                "feedback_id": "r1",
                "submitted_at": datetime(2011, 3, 4, 12),
                "feedback_type": "review",
                "rating": 2,
                "reviewer_name": "Ann Smith",
                "reviewer_email": "Ann@Example.com",
                "title": "Late!",
                "body": "Call me on +44 20 7946 0958 or mail ann.smith@example.com please",
                "_export_date": date(2011, 3, 4),
            }
        ],
    )
    warehouse.build("staging.stg_feedback")
    [row] = warehouse.rows("select * from staging.stg_feedback")
    assert "reviewer_name" not in row and "reviewer_email" not in row
    assert row["body"] == "Call me on [phone] or mail [email] please"
    assert row["title"] == "Late!"
    assert len(row["customer_key"]) == 64
