"""The policy replay gives the same figures whatever the BLAS thread count."""

import numpy as np
from threadpoolctl import threadpool_limits

from forecasting.policy_replay import _replay, replay_policy


def test_a_large_catalog_replays_to_the_same_bits_on_one_or_two_blas_threads():
    """Catches the replay's dot products (stock value, order value) handed to a threaded
    BLAS: past ~10,000 SKUs OpenBLAS splits them over its threads, which cost 0.6 ms a
    call on a loaded machine (the replay grew 50x for 3x the SKUs) and made the sums depend
    on the thread count. The reference is the replay itself (``_replay``, without
    replay_policy's own thread limit) on one thread, so a limit of 2 inside replay_policy
    fails too."""
    rng = np.random.default_rng(4)
    skus, days = 30_000, 6
    demand = rng.poisson(1.3, (skus, days)).astype(float)
    reorder_point = np.repeat(rng.integers(1, 8, skus)[:, None], days, axis=1).astype(float)
    order_up_to = reorder_point + 4.0
    lead_days = rng.choice([1, 2, 3], skus)
    unit_value = rng.gamma(2.0, 5.0, skus) / 3.0
    figures = []
    for threads in (1, 2):
        with threadpool_limits(limits=threads, user_api="blas"):
            result = replay_policy(
                demand, reorder_point, order_up_to, lead_days, unit_value, order_up_to[:, 0]
            )
        figures.append((result.avg_inventory_value, result.order_value))
    with threadpool_limits(limits=1, user_api="blas"):
        one_thread = _replay(
            demand, reorder_point, order_up_to, lead_days, unit_value, order_up_to[:, 0], None
        )
    assert figures == [(one_thread.avg_inventory_value, one_thread.order_value)] * 2
