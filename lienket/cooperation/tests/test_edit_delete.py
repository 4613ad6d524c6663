"""Editing and deleting activities, programme documents (link or checked file), status changes in date order."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lienket.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry

from .. import selectors, services
from ..codes import AuditAction, ErrorCode
from ..models import Activity, Document, Result
from ..values import ResultIn
from .factories import activity, programme
from .test_services import state

PDF = b"%PDF-1.4\n% programme document\n"


@pytest.fixture
def media():
    """The test settings store files in memory: the storage itself, to look at what it holds."""
    from django.core.files.storage import default_storage

    return default_storage


def stored_files(storage, top="cooperation"):
    if not storage.exists(top):
        return []
    dirs, files = storage.listdir(top)
    return [f"{top}/{f}" for f in files] + [x for d in dirs for x in stored_files(storage, f"{top}/{d}")]


@pytest.fixture
def prog(cw):
    return programme(cw.users["hanoi"], parties=[("unit:01", "lead"), ("unit:40", "member")],
                     objectives=[("Doanh số", "tỷ đồng", "10", "1"), ("Doanh nghiệp", "doanh nghiệp", "100", "3")])


def _edit(actor, a, **over):
    args = {"actor": actor, "activity_id": a.pk, "version": a.version, "kind": a.kind, "title": a.title,
            "start_on": a.start_on, "end_on": a.end_on, "place": a.place.key,
            "participants": [p.key for p in a.participants.all()], "results": [], "description": ""}
    return services.activity_update(**(args | over))


# --- activities: edit -----------------------------------------------------------------------------------------------

def test_an_activity_is_edited_results_and_progress_recomputed_audited_and_the_network_version_bumped(cw, prog):
    sales, firms = prog.objectives.all()
    a = activity(cw.users["hanoi"], prog, place="40", start=dt.date(2026, 5, 1), results={sales.pk: "5"})
    assert float(selectors.programme_progress(prog).total) == pytest.approx(0.125)  # 5/10 × 1/4
    version = selectors.data_version()
    a = _edit(cw.users["hanoi"], a, title="Hội chợ OCOP",
              end_on=dt.date(2026, 5, 3), results=[ResultIn(sales.pk, 10), ResultIn(firms.pk, 50)])
    assert a.version == 2
    assert a.title == "Hội chợ OCOP"
    assert a.end_on == dt.date(2026, 5, 3)
    assert {r.objective_id: r.actual for r in a.results.all()} == {sales.pk: 10, firms.pk: 50}
    # 10/10 × 1/4 + 50/100 × 3/4 = 0.25 + 0.375
    assert float(selectors.programme_progress(prog).total) == pytest.approx(0.625)
    assert selectors.data_version() > version
    entry = AuditEntry.objects.filter(action=AuditAction.ACTIVITY_UPDATE).get()
    assert entry.before["title"] == "Hội chợ"
    assert entry.after["title"] == "Hội chợ OCOP"


def test_a_stale_activity_version_is_a_409_and_nothing_changes(cw, prog):
    a = activity(cw.users["hanoi"], prog, place="40", start=dt.date(2026, 5, 1))
    _edit(cw.users["hanoi"], a, title="Lần một")
    before = state()
    with pytest.raises(Conflict) as exc:
        _edit(cw.users["hanoi"], a, title="Lần hai")  # still holds version 1
    assert exc.value.code == ErrorCode.ACTIVITY_CHANGED
    assert exc.value.status == 409
    assert state() == before


@pytest.mark.parametrize(("start", "end", "code"), [
    (dt.date(2026, 5, 3), dt.date(2026, 5, 1), ErrorCode.END_BEFORE_START),
    (dt.date(2025, 12, 30), dt.date(2026, 1, 2), ErrorCode.ACTIVITY_OUTSIDE_PROGRAMME),
    (dt.date(2026, 12, 30), dt.date(2027, 1, 2), ErrorCode.ACTIVITY_OUTSIDE_PROGRAMME),
])
def test_bad_dates_on_edit_are_refused_and_nothing_changes(cw, prog, start, end, code):
    a = activity(cw.users["hanoi"], prog, place="40", start=dt.date(2026, 5, 1))
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        _edit(cw.users["hanoi"], a, start_on=start, end_on=end)
    assert exc.value.code == code
    assert state() == before


def test_a_non_party_unit_may_not_edit_or_delete_an_activity_and_nothing_changes(cw, prog):
    a = activity(cw.users["hanoi"], prog, place="40", start=dt.date(2026, 5, 1),
                 results={prog.objectives.first().pk: "5"})
    before, audits = state(), AuditEntry.objects.count()
    for user in (cw.users["phutho"], cw.users["ministry"]):
        with pytest.raises(PermissionDenied):
            _edit(user, a, title="Đổi")
        with pytest.raises(PermissionDenied):
            services.activity_delete(actor=user, activity_id=a.pk)
    assert state() == before
    assert AuditEntry.objects.count() == audits


def test_an_activity_of_a_hidden_programme_is_not_revealed(cw):
    hidden = programme(cw.users["hanoi"], parties=[("unit:01", "lead")], published=False)
    a = activity(cw.users["hanoi"], hidden, place="01", start=dt.date(2026, 5, 1))
    with pytest.raises(NotFound):
        services.activity_delete(actor=cw.users["phutho"], activity_id=a.pk)


# --- activities: delete ---------------------------------------------------------------------------------------------

def test_an_activity_is_deleted_with_its_results_audited_and_progress_falls_back(cw, prog):
    sales = prog.objectives.first()
    keep = activity(cw.users["hanoi"], prog, place="40", start=dt.date(2026, 4, 1), results={sales.pk: "2"})
    gone = activity(cw.users["hanoi"], prog, place="01", start=dt.date(2026, 5, 1), results={sales.pk: "6"})
    assert float(selectors.programme_progress(prog).total) == pytest.approx(0.2)  # 8/10 × 1/4
    version = selectors.data_version()
    services.activity_delete(actor=cw.users["coordinator"], activity_id=gone.pk, version=gone.version)
    assert list(Activity.objects.all()) == [keep]
    assert not Result.objects.filter(activity_id=gone.pk).exists()
    assert float(selectors.programme_progress(prog).total) == pytest.approx(0.05)
    assert selectors.data_version() > version
    entry = AuditEntry.objects.filter(action=AuditAction.ACTIVITY_DELETE).get()
    assert entry.before["title"] == "Hội chợ"
    assert entry.before["results"]


def test_deleting_a_stale_activity_version_is_a_409(cw, prog):
    a = activity(cw.users["hanoi"], prog, place="40", start=dt.date(2026, 5, 1))
    _edit(cw.users["hanoi"], a, title="Đã sửa")
    with pytest.raises(Conflict):
        services.activity_delete(actor=cw.users["hanoi"], activity_id=a.pk, version=1)
    assert Activity.objects.filter(pk=a.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ACTIVITY_DELETE).exists()


# --- documents ------------------------------------------------------------------------------------------------------

def test_a_document_is_added_as_a_file_or_a_link_and_removed_audited(cw, prog, media,
                                                                     django_capture_on_commit_callbacks):
    doc = services.document_add(actor=cw.users["hanoi"], programme_id=prog.pk, title="Biên bản ký kết",
                                file=SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf"),
                                issued_on=dt.date(2026, 1, 5))
    assert doc.file.name.startswith("cooperation/")
    assert doc.file.read() == PDF
    link = services.document_add(actor=cw.users["hanoi"], programme_id=prog.pk, title="Kế hoạch",
                                 url="https://moit.gov.vn/ke-hoach")
    assert link.url == "https://moit.gov.vn/ke-hoach"
    assert not link.file
    assert media.exists(doc.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(actor=cw.users["coordinator"], programme_id=prog.pk, document_id=doc.pk)
    assert list(Document.objects.all()) == [link]
    assert not media.exists(doc.file.name)
    actions = list(AuditEntry.objects.filter(action__startswith="programme.document").values_list("action", flat=True))
    assert actions.count(AuditAction.PROGRAMME_DOCUMENT_ADD) == 2
    assert actions.count(AuditAction.PROGRAMME_DOCUMENT_REMOVE) == 1


@pytest.mark.parametrize(("name", "content", "url", "code"), [
    ("bao-cao.pdf", b"MZ\x90\x00 not a pdf at all", "", "document_file_invalid"),  # not what its extension says
    ("bao-cao.docx", PDF, "", "document_file_invalid"),
    ("anh.exe", b"MZ\x90\x00", "", "document_file_invalid"),
    (None, None, "", ErrorCode.DOCUMENT_SOURCE_REQUIRED),
    (None, None, "javascript:alert(1)", ErrorCode.INVALID_PROGRAMME),
])
def test_a_bad_document_is_refused_and_nothing_changes(cw, prog, media, name, content, url, code):
    before, audits = state(), AuditEntry.objects.count()
    upload = SimpleUploadedFile(name, content) if name else None
    with pytest.raises(ValidationFailed) as exc:
        services.document_add(actor=cw.users["hanoi"], programme_id=prog.pk, title="Tài liệu", url=url, file=upload)
    assert exc.value.code == code
    assert state() == before
    assert AuditEntry.objects.count() == audits
    assert stored_files(media) == []


def test_a_too_large_document_is_refused(cw, prog, media, settings):
    settings.LIENKET_LIBRARY_MAX_FILE_BYTES = 16
    with pytest.raises(ValidationFailed) as exc:
        services.document_add(actor=cw.users["hanoi"], programme_id=prog.pk, title="Tài liệu",
                              file=SimpleUploadedFile("a.pdf", PDF + b"x" * 64))
    assert exc.value.code == "document_file_too_large"


def test_a_non_party_unit_may_not_add_or_remove_documents(cw, prog, media):
    doc = services.document_add(actor=cw.users["hanoi"], programme_id=prog.pk, title="Kế hoạch",
                                url="https://moit.gov.vn/ke-hoach")
    before, audits = state(), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.document_add(actor=cw.users["phutho"], programme_id=prog.pk, title="X",
                              file=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(PermissionDenied):
        services.document_remove(actor=cw.users["phutho"], programme_id=prog.pk, document_id=doc.pk)
    assert state() == before
    assert AuditEntry.objects.count() == audits
    assert stored_files(media) == []


# --- status changes in date order -----------------------------------------------------------------------------------

def test_a_status_change_dated_before_the_previous_one_is_refused(cw, prog):
    prog = services.programme_set_status(actor=cw.users["hanoi"], programme_id=prog.pk, version=prog.version,
                                         status="active", on=dt.date(2026, 5, 1))
    before = state()
    with pytest.raises(ValidationFailed) as exc:
        services.programme_set_status(actor=cw.users["hanoi"], programme_id=prog.pk, version=prog.version,
                                      status="suspended", on=dt.date(2026, 4, 30))
    assert exc.value.code == ErrorCode.STATUS_DATE_BEFORE_PREVIOUS
    assert "01/05/2026" in exc.value.message
    assert state() == before
    same_day = services.programme_set_status(actor=cw.users["hanoi"], programme_id=prog.pk, version=prog.version,
                                             status="suspended", on=dt.date(2026, 5, 1))
    assert [s.to_status for s in selectors.timeline(same_day)] == ["planned", "active", "suspended"]


def test_a_status_change_before_the_programme_was_recorded_is_refused(cw, prog):
    """The first entry of the timeline is the signing date, else the start (here 1/1/2026)."""
    assert selectors.timeline(prog)[0].on == dt.date(2026, 1, 1)
    with pytest.raises(ValidationFailed) as exc:
        services.programme_set_status(actor=cw.users["hanoi"], programme_id=prog.pk, version=prog.version,
                                      status="active", on=dt.date(2025, 12, 31))
    assert exc.value.code == ErrorCode.STATUS_DATE_BEFORE_PREVIOUS
