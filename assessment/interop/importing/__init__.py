"""Answers from a CSV or XLSX export turned into answer files (`ketenscan import`).

One row of the sheet is one partner organisation; it becomes `antwoorden/<id>.yaml`, the
same text the online form downloads (`interop.answer_text`). Which column holds which
answer comes from the XLSForm's field names (an export from KoboToolbox, ODK Central or
Enketo needs nothing more) or from a mapping file (LimeSurvey, Microsoft Forms, a sheet
of one's own).

Every problem is a cell: `file:row:column`, the row as the spreadsheet numbers it and the
column as a number (A = 1); the message starts with the cell's name (`B7`), the column's
header and the cell's content. All problems are collected first; when there is one,
nothing is written.

The stages, one module each: `report` (columns, targets and problems at cells), `columns`
(headers from the XLSForm's field names) or `mapping` (a mapping file), `cells` (the value
of one cell), `rows` (a row read into an answer document), `files` (the answer files,
checked and written) and `plan` (`plan_import`, which runs them).
"""

from assessment.interop.importing.files import ImportPlan, PlannedFile, write_import
from assessment.interop.importing.mapping import load_mapping
from assessment.interop.importing.plan import plan_import
from assessment.interop.importing.report import Column, Target, describe
from assessment.interop.importing.rows import slugify

__all__ = [
    "Column",
    "ImportPlan",
    "PlannedFile",
    "Target",
    "describe",
    "load_mapping",
    "plan_import",
    "slugify",
    "write_import",
]
