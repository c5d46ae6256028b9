"""The docs site renders in a browser: the index and the cloudtrail_trail module page, screenshot by headless Chromium.

`make docs` builds the site and runs this test on it (CLOUDAUDIT_DOCS_SITE=build/docs/html). Without that variable the
test builds the site itself (scripts/build-docs) only when CLOUDAUDIT_DOCS_BUILD=1, since the build costs more than the
suite's budget allows (about 35 CPU-s); otherwise it is skipped with that reason.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path
from typing import Iterator

import pytest

from tests.harness import ROOT, clean_environ

MODULE_PAGE = "collections/cloudaudit/aws/cloudtrail_trail_module.html"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = os.environ.get("CLOUDAUDIT_DOCS_SITE")
    if built:
        return Path(built).resolve()
    if os.environ.get("CLOUDAUDIT_DOCS_BUILD") != "1":
        pytest.skip("the docs site is built by `make docs` (or set CLOUDAUDIT_DOCS_BUILD=1)")
    out = tmp_path_factory.mktemp("docs")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build-docs"), str(out)], capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"scripts/build-docs failed:\n{proc.stdout[-5000:]}\n{proc.stderr[-10000:]}"
    return out / "html"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The built site on 127.0.0.1 (a free port), as a user's browser would load it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # pylint: disable=redefined-builtin  # the base class names it so
        pass


def chromium() -> str:
    """Debian's Chromium; installed with apt-get when missing (CI runs as root on a fresh machine)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.fail("chromium is not installed (apt-get install -y chromium)")
    proc = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"apt-get install chromium failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return shutil.which("chromium") or "/usr/bin/chromium"


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    env = clean_environ()
    env["HOME"] = str(tmp_path)
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False)


def png_pixels(path: Path) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct pixel values of an 8-bit, non-interlaced RGB(A) PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", header)
    assert (compression, filtering) == (0, 0), "unknown PNG compression or filter method"
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format: depth {depth}, colour type {colour}"
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    previous, colours = bytearray(stride), set()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        if y % 4 == 0:  # every 4th row is enough to see whether the page shows more than a background
            colours.update(bytes(line[x : x + bpp]) for x in range(0, stride, bpp * 4))
        previous = line
    return width, height, colours


@pytest.mark.sanity
@pytest.mark.parametrize("page", ["index.html", MODULE_PAGE])
def test_page_renders(server: str, tmp_path: Path, page: str) -> None:
    shot = tmp_path / "page.png"
    proc = run_chromium(tmp_path, f"--screenshot={shot}", f"{server}/{page}")
    assert shot.exists(), f"no screenshot of {page}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    keep = os.environ.get("CLOUDAUDIT_DOCS_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy2(shot, Path(keep) / (page.replace("/", "_") + ".png"))
    assert shot.stat().st_size > 20_000, f"{page}: screenshot of {shot.stat().st_size} bytes, a blank page?"
    width, height, colours = png_pixels(shot)
    assert (width, height) == (1280, 1600)
    # Text, the theme's sidebar and its logo give hundreds of colours; a blank or error page a handful.
    assert len(colours) > 50, f"{page}: {len(colours)} distinct colours, the page did not render"


@pytest.mark.sanity
def test_module_page_has_title_and_parameters(server: str, tmp_path: Path) -> None:
    proc = run_chromium(tmp_path, "--dump-dom", f"{server}/{MODULE_PAGE}")
    dom = proc.stdout
    assert proc.returncode == 0 and "</html>" in dom, f"chromium --dump-dom failed:\n{proc.stderr[-3000:]}"
    assert "cloudaudit.aws.cloudtrail_trail module" in dom, "the module's title is missing"
    assert 'id="parameters"' in dom and "ansible-option-table" in dom, "the parameter table is missing"
    for option in ("s3_bucket_name", "kms_key_id", "is_multi_region_trail"):
        assert f"parameter-{option}" in dom, f"the parameter {option} is missing from the table"
    assert "<title>" in dom and "cloudtrail_trail" in dom.split("<title>", 1)[1].split("</title>", 1)[0]
