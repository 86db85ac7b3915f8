"""The time report as CSV (``platform.csv_export``: no cell a spreadsheet would run)."""

from __future__ import annotations

import io

from rapport.domain.worktime import hours_minutes
from rapport.platform import csv_export
from rapport.timetracking.selectors import Report

CSV_HEADER = ["group", "minutes", "hours:minutes", "entries", "cases", "average minutes per case"]


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow([f"{report.by.value} ({report.start.isoformat()} to {report.end.isoformat()})", *CSV_HEADER[1:]])
    for row in report.rows:
        per_case = row.average_per_case
        writer.writerow(
            [
                row.label,
                row.minutes,
                hours_minutes(row.minutes),
                row.entries,
                row.cases,
                f"{per_case:.1f}" if per_case is not None else "",
            ]
        )
    total = report.minutes / report.cases if report.cases else None
    writer.writerow(
        [
            "Total",
            report.minutes,
            hours_minutes(report.minutes),
            report.entries,
            report.cases,
            f"{total:.1f}" if total else "",
        ]
    )
    return out.getvalue()
