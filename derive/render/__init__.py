"""Renderers of the report model: each takes the JSON-ready dict, returns text."""

from .html import render_html
from .markdown import render_markdown
from .sarif import render_sarif

RENDERERS = {
    "html": ("report.html", render_html),
    "md": ("report.md", render_markdown),
    "sarif": ("report.sarif", render_sarif),
}
