"""Overview page (index.html): headline KPIs, daily sales and orders, conversion trend."""
