"""The app package: a zip of manifest.json and its two icons, as Teams admin centre takes it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from teams_app.icons import color_icon, outline_icon
from teams_app.manifest import manifest


def write_package(out: Path, **values: str) -> Path:
    """Write the package to `out` (its folder is made); values go to manifest(). Returns the path."""
    body = json.dumps(manifest(**values), indent=2, ensure_ascii=False)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        # Fixed timestamps: the same values make the same bytes.
        for name, data in (("manifest.json", body.encode()), ("color.png", color_icon()),
                           ("outline.png", outline_icon())):
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return out
