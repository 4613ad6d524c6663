"""Import jobs orphaned by a dead worker end as 'failed' with a clear message; running ones are left alone."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from lienket.core.models import AuditEntry
from lienket.reporting.models import ImportJob


def _job(user, status, minutes_ago):
    job = ImportJob.objects.create(created_by=user, filename="bieu.xlsx", content=b"x", sha256="0" * 64, status=status)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return job


def test_stuck_jobs_are_marked_failed_and_recent_ones_are_not(w, capsys):
    officer = w.users["hanoi_officer"]
    stuck = _job(officer, ImportJob.Status.APPLYING, 120)
    recent = _job(officer, ImportJob.Status.VALIDATING, 5)
    done = _job(officer, ImportJob.Status.DONE, 300)

    call_command("sweep_import_jobs", "--minutes", "60")

    stuck.refresh_from_db()
    assert stuck.status == ImportJob.Status.FAILED
    assert stuck.errors[0]["code"] == "interrupted"
    assert ImportJob.objects.get(pk=recent.pk).status == ImportJob.Status.VALIDATING
    assert ImportJob.objects.get(pk=done.pk).status == ImportJob.Status.DONE
    assert AuditEntry.objects.filter(action="import.interrupted", object_id=str(stuck.pk)).exists()
    assert "1 interrupted" in capsys.readouterr().out
