import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Everything loaded at start-up (Django, the apps, URL patterns, templates' code) lives as long as the worker: move it
# out of the garbage collector's generations, so a full collection during a request scans only what requests create
# (issue #17: the 520-row entry form's p95 was its requests that ran a full collection over ~190 000 start-up objects).
gc.freeze()
