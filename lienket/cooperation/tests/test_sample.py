"""The demo's sample programmes: loaded through the services, every one labelled as sample, idempotent."""

import datetime as dt

from lienket.demo.sample_cooperation import load_sample_cooperation

from .. import network
from ..models import Activity, Programme


def test_the_sample_is_labelled_and_loads_once(reference_data, clock):
    assert load_sample_cooperation() == {"programmes": 6, "activities": 11}
    assert not Programme.objects.filter(is_sample=False).exists()
    assert not Activity.objects.filter(is_sample=False).exists()
    assert all(p.title.startswith("[Mẫu]") and "giả định" in p.description for p in Programme.objects.all())
    assert load_sample_cooperation() == {"programmes": 0, "activities": 0}
    data = network.compute(date_from=dt.date(2024, 1, 1), date_to=dt.date(2026, 4, 10))
    assert len(data["edges"]) > 5
    assert data["hubs"]["revealed"]
