"""Imports from files: the council's roster CSVs and the DfE SSDA903 return (header, episodes, reviews).

Each importer validates row by row: a bad row becomes an `ImportError_` (file, line, reason) in the
returned `ImportReport` and a problem in the store for a person to fix; the good rows still load.
Facts get deterministic keys built from the row's own content, so importing the same file twice
records nothing new.
"""

from __future__ import annotations

from store.imports.report import ImportReport
from store.imports.roster import import_roster, import_staff, import_teams
from store.imports.ssda903 import import_903

__all__ = ["ImportReport", "import_903", "import_roster", "import_staff", "import_teams"]
