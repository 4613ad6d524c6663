"""Background tasks of the reporting domain (django-tasks: ImmediateBackend in dev and tests; the database
backend and `manage.py db_worker` in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Validate and (unless it is a dry run) write one uploaded workbook; returns the job's final status."""
    from .excel.imports import import_job_run

    return str(import_job_run(job_id=job_id).status)
