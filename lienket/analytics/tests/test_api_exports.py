"""GET /api/v1/analytics and its exports, read back (CSV, XLSX with openpyxl, SDMX-CSV with pysdmx and sdmx1) and
compared with the JSON numbers; refusals: another province's unaccepted values never leave through any format."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest


def put_region(w, hanoi_status="accepted"):
    w.put(w.hanoi, "202401", status=hanoi_status, EXPORT="100.04")
    w.put(w.phutho_old, "202401", EXPORT=20)
    w.put(w.vinhphuc_old, "202401", EXPORT=30)
    w.put(w.hanoi, "202402", status=hanoi_status, EXPORT=110)


def json_values(client, **params):
    r = client.get("/api/v1/analytics", params)
    assert r.status_code == 200, r.content
    body = r.json()
    return {(row["key"], col["key"]): cell for row in body["rows"] for col, cell in zip(body["columns"], row["cells"], strict=True)}


@pytest.mark.django_db
def test_json_answers_with_the_explanation(w, client):
    put_region(w)
    got = json_values(client, indicator="EXPORT", period="202401..202402")
    total = got[("north", "EXPORT||202401")]
    assert total["value"] == "150.040000"
    assert total["display"] == "150,0"
    assert total["explanation"]["expected"] == 3
    partial = got[("north", "EXPORT||202402")]
    assert partial["status"] == "partial"
    assert partial["explanation"]["missing"] == ["Phú Thọ", "Vĩnh Phúc"]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "name"), [
    ({"period": "202401"}, "indicator"),
    ({"indicator": "EXPORT", "period": "20241"}, "period"),
    ({"indicator": "EXPORT", "period": "202401", "measure": "mean"}, "measure"),
    ({"indicator": "EXPORT", "period": "202401", "format": "pdf"}, "format"),
    ({"indicator": "EXPORT", "period": "202401", "threshold": "abc", "measure": "count_above"}, "threshold"),
    ({"indicator": "EXPORT", "period": "202401", "unit": "99"}, "unit"),
])
def test_a_bad_parameter_is_a_400_naming_it(w, client, params, name):
    r = client.get("/api/v1/analytics", params)
    assert r.status_code == 400
    assert r.json()["details"] == {"parameter": name}
    assert r.json()["message"].startswith(name)


@pytest.mark.django_db
def test_csv_has_a_bom_neutralised_text_and_the_same_numbers(w, client):
    put_region(w)
    r = client.get("/api/v1/analytics", {"indicator": "EXPORT", "period": "202401", "format": "csv"})
    assert r["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][1].endswith("(triệu USD)")
    by_label = {row[0]: row[1:] for row in rows[1:] if row}
    assert by_label["Khu vực phía Bắc"] == ["150.0"]
    assert by_label["Hà Nội"] == ["100.0"]
    assert any(row and row[0].startswith(("Nguồn", "Source")) for row in rows)


@pytest.mark.django_db
def test_csv_neutralises_a_formula_in_a_label(w, client):
    w.hanoi.name = "=HYPERLINK(1)"
    w.hanoi.save()
    put_region(w)
    r = client.get("/api/v1/analytics", {"indicator": "EXPORT", "period": "202401", "format": "csv"})
    assert "'=HYPERLINK(1)" in r.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_xlsx_numbers_are_numbers_header_frozen_footer_present(w, client):
    put_region(w)
    r = client.get("/api/v1/analytics", {"indicator": "EXPORT", "period": "202401", "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.freeze_panes == "B3"
    rows = {row[0]: row[1:] for row in ws.iter_rows(min_row=3, values_only=True) if row and row[0]}
    assert rows["Khu vực phía Bắc"][0] == pytest.approx(150.0)
    assert isinstance(rows["Hà Nội"][0], int | float)
    assert ws["B2"].value.endswith("(triệu USD)")
    assert any(str(k).startswith(("Nguồn", "Source")) for k in rows)


@pytest.mark.django_db
def test_sdmx_csv_reads_back_with_pysdmx_and_sdmx1(w, client, tmp_path):
    put_region(w)
    params = {"indicator": "EXPORT", "period": "202401,202402", "by": "subregion"}
    api = json_values(client, **params)
    r = client.get("/api/v1/analytics", {**params, "format": "sdmx-csv"})
    assert r["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    path = tmp_path / "data.csv"
    path.write_bytes(r.content)

    from pysdmx.io import get_datasets

    datasets = get_datasets(str(path))
    frame = datasets[0].data
    north = frame[(frame["REF_AREA"] == "north") & (frame["TIME_PERIOD"] == "2024-01")]
    assert Decimal(str(north["OBS_VALUE"].iloc[0])) == Decimal(api[("north", "EXPORT||202401")]["display"].replace(",", "."))

    import sdmx
    from sdmx.model import v30

    dsd = v30.DataStructureDefinition(id="DSD_ANALYTICS")
    for dim in ("REF_AREA", "INDICATOR", "DISAGGREGATION", "MEASURE", "TIME_PERIOD"):
        dsd.dimensions.getdefault(dim)
    dsd.measures.getdefault("OBS_VALUE")
    for attr in ("UNIT_MEASURE", "OBS_STATUS", "COMMENT"):
        dsd.attributes.getdefault(attr)
    with path.open("rb") as f:
        msg = sdmx.read_sdmx(f, structure=dsd, format="csv")
    observations = {(o.key["REF_AREA"].value, o.key["TIME_PERIOD"].value): o.value for ds in msg.data for o in ds.obs}
    for (row, col), cell in api.items():
        got = observations[(row, "2024-01" if col.endswith("202401") else "2024-02")]
        expected = cell["display"].replace(".", "").replace(",", ".") if cell["value"] is not None else None
        assert (None if got in (None, "") else Decimal(str(got))) == (None if expected is None else Decimal(expected))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "sdmx-csv"])
def test_another_provinces_unaccepted_values_never_leave_in_any_format(w, client, fmt):
    put_region(w, hanoi_status="submitted")
    client.force_login(w.users["phutho_officer"])
    r = client.get("/api/v1/analytics", {"indicator": "EXPORT", "period": "202401", "format": fmt, "unit": "01"})
    assert r.status_code == 200
    body = r.content if fmt != "xlsx" else "".join(
        str(c) for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row).encode()
    assert b"100.0" not in body
    assert b"100,0" not in body
    client.force_login(w.users["hanoi_officer"])
    own = client.get("/api/v1/analytics", {"indicator": "EXPORT", "period": "202401", "format": "json", "unit": "01"})
    assert own.json()["rows"][0]["cells"][0]["unaccepted"] is True


@pytest.mark.django_db
def test_the_public_sees_accepted_figures_only(w, client):
    put_region(w, hanoi_status="approved")
    got = json_values(client, indicator="EXPORT", period="202401")
    assert got[("01", "EXPORT||202401")]["value"] is None
    assert got[("north", "EXPORT||202401")]["value"] == "50.000000"
