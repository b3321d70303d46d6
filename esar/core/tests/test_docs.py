"""The documentation a newcomer reads in order stays whole: README.md and docs/**/*.md link only to
files and headings that exist, name only make targets the Makefile has, and every page of docs/
stands alone (a title, and a way back to the reading order)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
MAKE = re.compile(r"(?<![\w./-])make\s+([A-Za-z][\w-]*)")
MAKE_TARGET = re.compile(r"^([A-Za-z][\w.-]*)\s*:(?!=)", re.MULTILINE)


def _prose(text: str) -> str:
    """The text without code, where a bracket is not a link."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def _code(text: str) -> str:
    return "\n".join(FENCE.findall(text) + INLINE_CODE.findall(FENCE.sub("", text)))


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its words lower-cased, punctuation dropped, spaces
    turned into hyphens (Thai letters and their marks are kept)."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    kept = "".join(ch for ch in text.lower() if ch in "-_ " or unicodedata.category(ch)[0] in "LMN")
    return kept.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        slug = _slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _links(path: Path) -> list[str]:
    return LINK.findall(_prose(path.read_text(encoding="utf-8")))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_docs_exist_and_the_readme_points_to_them():
    assert (DOCS / "index.md").is_file()
    assert len(PAGES) > 5
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/index.md" in _links(ROOT / "README.md")
    # The two commands, and CI runs the second of them.
    assert "make run" in readme
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_relative_link_resolves(page: Path):
    broken = []
    for target in _links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {_name(linked)}")
    assert not broken, f"{_name(page)}: " + "; ".join(broken)


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_make_target_named_exists(page: Path):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(MAKE_TARGET.findall(makefile))
    named = set(MAKE.findall(_code(page.read_text(encoding="utf-8"))))
    assert named <= targets, f"{_name(page)} names {sorted(named - targets)}, not in the Makefile"


@pytest.mark.parametrize("page", [p for p in PAGES if p.parent != ROOT], ids=_name)
def test_every_page_stands_alone(page: Path):
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{_name(page)} has no title"
    index = (DOCS / "index.md").resolve()
    back = [t for t in _links(page) if (page.parent / t.partition("#")[0]).resolve() == index]
    assert back or page.resolve() == index, f"{_name(page)} does not link back to docs/index.md"
