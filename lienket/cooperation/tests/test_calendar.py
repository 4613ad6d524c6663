"""The calendar: iCalendar export parsed back, clash warnings between neighbouring units, the pages."""

import datetime as dt

from icalendar import Calendar

from .. import calendar, selectors
from ..models import Activity
from .factories import activity, programme


def test_the_ics_export_parses_back(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")])
    activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 5, 4), end=dt.date(2026, 5, 6),
             title="Tuần hàng Nghệ An tại Hà Nội")
    response = client.get("/hop-tac/lich.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Tuần hàng Nghệ An tại Hà Nội"
    assert event.decoded("DTSTART") == dt.date(2026, 5, 4)
    assert event.decoded("DTEND") == dt.date(2026, 5, 7)  # all-day: the end is exclusive
    assert str(event["LOCATION"]) == "Nghệ An"
    assert str(event["UID"]).startswith("activity-")
    assert str(cal["VERSION"]) == "2.0"


def test_the_ics_export_leaves_out_what_the_public_may_not_see(cw, client):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], published=False)
    activity(cw.users["hanoi"], p, place="01", start=dt.date(2026, 5, 4))
    assert Calendar.from_ical(client.get("/hop-tac/lich.ics").content).walk("VEVENT") == []
    client.force_login(cw.users["hanoi"])
    assert len(Calendar.from_ical(client.get("/hop-tac/lich.ics").content).walk("VEVENT")) == 1


def test_neighbours_from_the_fixture_and_derived_for_the_new_units(cw):
    t = calendar.territory
    assert calendar.relation(t(cw.hanoi), t(cw.nghean)) is None
    assert calendar.relation(t(cw.hanoi), t(cw.bacgiang)) == "neighbour"
    assert calendar.relation(t(cw.hanoi), t(cw.phutho)) == "neighbour"  # via Vĩnh Phúc and Hòa Bình
    assert calendar.relation(t(cw.bacgiang), t(cw.bacninh)) == "same"  # Bắc Giang is now part of Bắc Ninh
    assert t(cw.bacninh) == frozenset({"24", "27"})


def test_overlapping_activities_in_neighbouring_units_clash(cw, client):
    p = programme(cw.users["coordinator"], parties=[("unit:01", "lead"), ("unit:24@2025-07-01", "member"),
                                                    ("unit:40", "member")])
    a = activity(cw.users["coordinator"], p, place="01", start=dt.date(2026, 5, 4), end=dt.date(2026, 5, 6),
                 title="Hội chợ Hà Nội")
    b = activity(cw.users["coordinator"], p, place="24@2025-07-01", start=dt.date(2026, 5, 6),
                 title="Hội chợ Bắc Ninh")
    activity(cw.users["coordinator"], p, place="40", start=dt.date(2026, 5, 5), title="Hội chợ Nghệ An")
    activity(cw.users["coordinator"], p, place="24@2025-07-01", start=dt.date(2026, 5, 20), title="Sau đó")
    found = calendar.clashes(Activity.objects.select_related("place"))
    assert [(c.first.pk, c.second.pk, c.relation) for c in found] == [(a.pk, b.pk, "neighbour")]
    html = client.get("/hop-tac/lich/", {"month": "2026-05"}).content.decode()
    assert 'data-testid="clashes"' in html
    assert "Hội chợ Bắc Ninh" in html
    month = client.get("/hop-tac/lich/", {"month": "2026-05", "view": "month"})
    assert month.status_code == 200
    assert "Hội chợ Nghệ An" in month.content.decode()


def test_the_calendar_filters_by_unit_and_field(cw):
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")])
    activity(cw.users["hanoi"], p, place="40", start=dt.date(2026, 5, 4))
    assert selectors.activities_visible(user=None, unit=cw.nghean).count() == 1
    assert selectors.activities_visible(user=None, unit=cw.phutho).count() == 0
    assert selectors.activities_visible(user=None, field="energy").count() == 0


def test_a_bad_month_is_a_400(cw, client):
    assert client.get("/hop-tac/lich/", {"month": "2026-13"}).status_code == 400
