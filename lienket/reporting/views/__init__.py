"""HTML pages of reporting, by page family: catalogue.py, entry.py (the data entry form), workflow.py,
targets.py; common.py holds what they share. The Excel pages are in excel/views.py."""
