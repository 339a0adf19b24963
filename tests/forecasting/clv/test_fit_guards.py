"""The likelihood fit's guard against a calibration period without customers."""

import numpy as np
import pytest

from forecasting.clv.fitting import fit_by_maximum_likelihood


def test_a_fit_over_no_customers_is_refused_by_name():
    """Bug caught: a fit over 0 customers run anyway (the check comparing with another
    count), which divides the log-likelihood by 0, scores every point with the penalty and
    returns the starting parameters as if fitted."""
    with pytest.raises(ValueError, match="BG/NBD: no customers to fit"):
        fit_by_maximum_likelihood("BG/NBD", ["r"], lambda params: np.zeros(0), 0)
