"""Customer lifetime value: BG/NBD and Pareto/NBD purchase models, the Gamma-Gamma spend
model, their holdout validation and the discounted value per customer (numpy/scipy)."""
