"""Web traffic volume per purchase: the demo's 4.5 % session conversion and the synthetic
shop's 1.25 % (bench SF1 ~ 5M events a year)."""

import pytest

from simulator.browse_sessions import kind_rates


def test_demo_conversion_gives_the_documented_session_mix():
    rates = kind_rates()  # 4.5 %: 1/0.045 = 22.22 sessions per purchase
    assert rates["checkout_abandon"] == pytest.approx(0.8182, abs=1e-4)  # 1/0.55 - 1
    assert rates["cart_abandon"] == pytest.approx(1.5152, abs=1e-4)  # 1/0.30 - 1/0.55
    assert rates["browse"] == pytest.approx(18.8889, abs=1e-4)  # 1/0.045 - 1/0.30


def test_lower_conversion_adds_only_browse_sessions():
    demo, synthetic = kind_rates(0.045), kind_rates(0.0125)
    assert synthetic["browse"] == pytest.approx(76.6667, abs=1e-4)  # 80 - 3.33
    assert synthetic["cart_abandon"] == demo["cart_abandon"]
    assert synthetic["checkout_abandon"] == demo["checkout_abandon"]
    assert 1 + sum(synthetic.values()) == pytest.approx(80)


@pytest.mark.parametrize("conversion", [0, 0.31])
def test_conversion_outside_the_cart_share_is_refused(conversion):
    with pytest.raises(ValueError, match="every buying session had a cart"):
        kind_rates(conversion)
