"""Reorder page (reorder.html): the reorder recommendations, their money and the policy backtest."""
