"""Export and import of drafts: Markdown (with YAML front matter), HTML preview, Fountain, plain text.

Pure functions over domain objects, plus ``files`` for the one place that touches the disk. Nothing here
imports Qt, llama.cpp or the database.
"""

from __future__ import annotations

from studio.export.files import export_all, export_draft, safe_filename, write_atomic
from studio.export.fountain import draft_to_fountain
from studio.export.imports import ImportedDraft, parse_import, read_text_file
from studio.export.markdown import body_to_markdown, draft_to_markdown, markdown_to_body, render_html

__all__ = [
    "ImportedDraft", "body_to_markdown", "draft_to_fountain", "draft_to_markdown", "export_all", "export_draft",
    "markdown_to_body", "parse_import", "read_text_file", "render_html", "safe_filename", "write_atomic",
]
