"""Customers page (customers.html): new vs returning, repeat rates, cohorts, RFM, lifetime value."""
