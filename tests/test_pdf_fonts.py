"""The PDF's look and bytes do not depend on the fonts installed on the build machine: the
theme ships its fonts (Source Sans 3, Source Code Pro) and the PDFs embed only those."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from conftest import EXAMPLE_ROOT

BUNDLED = ("Stratdocs-Sans", "Stratdocs-Mono")

_RENDER = """
import sys
from pathlib import Path
from stratdocs import project
from stratdocs.render import pdf
p = project.load(Path(sys.argv[1]))
out = pdf.render_documents(p, pdf.document_views(p, "abc"), pdf.chosen_documents(p, ["ops-sales"]), timeout=None)
sys.stdout.buffer.write(out["ops-sales"][0])
"""


def _render(env: dict) -> bytes:
    done = subprocess.run([sys.executable, "-c", _RENDER, str(EXAMPLE_ROOT)], capture_output=True, env=env,
                          timeout=180, cwd=EXAMPLE_ROOT)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def embedded_fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
            for page in reader.pages for font in (page["/Resources"].get("/Font") or {}).values()}


def test_only_the_bundled_fonts_are_embedded_and_bytes_ignore_system_fonts(tmp_path: Path):
    normal = _render(dict(os.environ))
    fonts = embedded_fonts(normal)
    assert fonts and all(name.startswith(BUNDLED) for name in fonts), fonts
    # A machine with no fonts at all: fontconfig is given a configuration without font folders.
    (tmp_path / "fonts.conf").write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                                         f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    bare = _render({**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")})
    assert bare == normal
