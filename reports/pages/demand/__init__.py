"""Demand page (demand.html): forecast accuracy by demand pattern and the forecast explorer."""
