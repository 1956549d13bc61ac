"""What an import did: rows read, facts new and already present, and every bad row."""

from __future__ import annotations

from dataclasses import dataclass, field

from rules.errors import ImportError_


@dataclass
class ImportReport:
    rows: int = 0                   # data rows read (all files)
    new_facts: int = 0              # facts recorded by this import
    known_facts: int = 0            # facts whose key was already recorded (a re-import: no-ops)
    roster: int = 0                 # roster entries (children, people, teams) written
    errors: list[ImportError_] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def add(self, other: ImportReport) -> None:
        self.rows += other.rows
        self.new_facts += other.new_facts
        self.known_facts += other.known_facts
        self.roster += other.roster
        self.errors.extend(other.errors)
