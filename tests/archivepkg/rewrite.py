"""Make a hostile copy of a package: entries replaced, dropped or added, the rest copied."""

from __future__ import annotations

import zipfile
from pathlib import Path


def rewrite(src: Path, dst: Path, *, replace=None, drop=(), add=None) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = replace[info.filename] if info.filename in replace else zin.read(info)
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst
