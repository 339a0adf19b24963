"""The dashboard pages, one package each: its queries, figures and HTML."""
