"""Where the `iro` command writes: one console for standard output, one for errors.

On a terminal, rich draws tables and colour. Anywhere else (a pipe, a file, a test runner, CI) nothing is
styled or wrapped, and a table is written as tab-separated lines under a header line, so scripts and grep
read the output the same whatever the terminal's width or the length of the paths it holds.

Markup is off by default: text that people typed (problem reasons, notes, file names) is printed
literally, so "[/b]" in a note is shown, not interpreted. Colour is asked for with `style=`.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


class CliConsole(Console):
    def __init__(self, stderr: bool = False) -> None:
        super().__init__(stderr=stderr, soft_wrap=True, markup=False, highlight=False, emoji=False)

    def print(self, *objects: Any, **kwargs: Any) -> None:  # noqa: A003 - rich's own name
        if not self.is_terminal and len(objects) == 1 and isinstance(objects[0], Table):
            self._plain_table(objects[0])
            return
        super().print(*objects, **kwargs)

    def _plain_table(self, table: Table) -> None:
        lines = [_plain(table.title)] if table.title else []
        if table.show_header:
            lines.append("\t".join(_plain(c.header) for c in table.columns))
        cells = [[_plain(cell) for cell in column.cells] for column in table.columns]
        lines += ["\t".join(row) for row in zip(*cells, strict=False)]
        self.file.write("".join(line + "\n" for line in lines))
        self.file.flush()


def _plain(value: Any) -> str:
    text = value.plain if isinstance(value, Text) else str(value if value is not None else "")
    return text.replace("\t", " ").replace("\n", " ")


out = CliConsole()
err = CliConsole(stderr=True)
