"""Funnel page (funnel.html): session and visitor funnels, conversion by dimension, abandonment."""
