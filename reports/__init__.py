"""The dashboard site: static HTML pages read from the warehouse, no Dagster.

- `reports.pages.<page>`: one package per dashboard page (overview, funnel, sales,
  customers, feedback, demand, reorder, quality), each holding its own queries, figures
  and HTML.
- `reports.site`: what every page shares: the page shell and tables (`layout`), value
  formatting, widgets, chart embedding, the figure style, the vendored plotly.js bundle,
  the stylesheet and scripts under `site/static/`, the status line, and `publish`, which
  renders every page and swaps the site into place.
- `reports.inputs`: the warehouse tables the site reads, listed once (the Dagster asset
  takes its dependencies from it).
"""
