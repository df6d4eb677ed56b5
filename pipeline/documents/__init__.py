"""Printed documents for editions: the 月报 as a bulletin, the annual list, press releases and press kits.

Content is built from the model (pure, `content*.py`), then written by engines: Typst for PDF (`pdf.py`),
python-docx for Word (`word.py`), ZIP for press kits (`presskit.py`). `kinds.py` says which edition kind
gets which documents; `generate.py` produces every file for a publication, with a content-hash cache.
"""
