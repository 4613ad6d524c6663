"""Excel: the template (template.py, mapping.py), reading uploads (workbook.py, reader.py), import jobs
(imports.py) and the Excel pages (views.py)."""
