"""Feedback page (feedback.html): ratings, NPS, worst products and categories, delivery promise."""
