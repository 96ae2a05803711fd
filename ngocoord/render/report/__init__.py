"""Reports for coordinators and donors: gather the figures once (data), render them (markdown, html)."""

from __future__ import annotations

from ngocoord.render.report.data import Report, build_report

__all__ = ["Report", "build_report", "render"]


def render(report: Report, fmt: str) -> str:
    if fmt == "html":
        from ngocoord.render.report import html

        return html.render(report)
    from ngocoord.render.report import markdown

    return markdown.render(report)
