"""Configuration, the leaf every layer reads: validated settings, pools, partitions and the Dagster resources that carry them."""
