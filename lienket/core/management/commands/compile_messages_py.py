from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lienket.core.i18n import compile_po_file, locale_po_files


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        for po in locale_po_files(settings.BASE_DIR):
            mo = po.with_suffix(".mo")
            mo.write_bytes(compile_po_file(po))
            self.stdout.write(f"compiled {po.relative_to(settings.BASE_DIR)}")
