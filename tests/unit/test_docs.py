"""The docs stay navigable: relative links and anchors resolve, and the README stays short."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_LIMIT_BYTES = 10 * 1024

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # http:, https:, mailto:, ...


def doc_files() -> list[Path]:
    """The README and every page under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _prose(text: str) -> str:
    """Markdown without code blocks and inline code, where links and headings are not real."""
    return _INLINE_CODE.sub("", _FENCE.sub("", text))


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file, with GitHub's -1, -2 suffixes for repeats."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out: set[str] = set()
    for heading in _HEADING.findall(text):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def broken_links(path: Path) -> list[str]:
    """Relative links in ``path`` whose file, or whose anchor in a Markdown file, does not exist."""
    broken: list[str] = []
    for target in _LINK.findall(_prose(path.read_text(encoding="utf-8"))):
        if _EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading with that anchor")
    return broken


def test_the_checker_finds_a_missing_file_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## Start times\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n[ok](other.md#start-times) [gone](missing.md) [bad](other.md#nowhere)\n"
        "[web](https://example.org/x.md) [self](#page)\n\n"
        "```\n[in code](also-missing.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "missing.md: no such file",
        "other.md#nowhere: no heading with that anchor",
    ]


def test_slug_follows_github() -> None:
    assert slug("`vitrina bench generate`") == "vitrina-bench-generate"
    assert slug("Marts, serving and queries") == "marts-serving-and-queries"
    assert slug("Activity (social domain)") == "activity-social-domain"


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    assert broken_links(path) == []


def test_docs_pages_exist() -> None:
    names = {p.name for p in doc_files()}
    assert {"README.md", "architecture.md", "streaming.md", "benchmarks.md"} <= names


def test_nothing_cites_a_file_users_do_not_have() -> None:
    """The design lives in docs/architecture.md; an ARCHITECTURE.md outside it is not shipped."""
    cited = [
        str(path.relative_to(ROOT))
        for folder in ("src", "transform", "tests", "infra", "docs")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
        and path.suffix in {".py", ".sql", ".yml", ".yaml", ".md", ".sh", ".toml"}
        and path != Path(__file__).resolve()
        and "ARCHITECTURE.md" in path.read_text(encoding="utf-8", errors="replace")
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert cited == [] and "ARCHITECTURE.md" not in readme


def test_readme_stays_short() -> None:
    size = len((ROOT / "README.md").read_bytes())
    assert size < README_LIMIT_BYTES, f"README.md is {size} bytes; move detail into docs/"
