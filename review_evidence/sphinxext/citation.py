"""Sphinx extension: the preface's "How to cite this book" is generated from ``CITATION.cff``.

The citation metadata lives in one file, ``CITATION.cff`` at the repository root (Citation File
Format 1.2.0, validated by ``cffconvert --validate`` in the tests). A page that writes::

    ```{citation-from-cff}
    ```

gets, at build time, a plain-text citation and a BibTeX entry built from that file, so the book and
the file never disagree. The file is a dependency of the page: editing it rebuilds the page. The
citation is built from docutils nodes, never from markup, so nothing in the file can inject HTML.

If the file has a ``preferred-citation`` (how the authors ask to be cited), that is what is shown;
otherwise the file's top-level fields are. Self-contained on purpose: it needs only PyYAML.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

CITATION_FILE = "CITATION.cff"


class CitationFileError(ExtensionError):
    """CITATION.cff is missing, is not YAML, or lacks a field the citation needs."""


def load_citation(path: Path) -> dict:
    """The citation metadata to show: the file's ``preferred-citation`` if it has one, else its top level."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CitationFileError(f"{path}: not found; the preface's citation is generated from it") from None
    except yaml.YAMLError as exc:
        raise CitationFileError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CitationFileError(f"{path}: expected a mapping of Citation File Format fields")
    cited = data.get("preferred-citation", data)
    where = "preferred-citation" if "preferred-citation" in data else "top level"
    for field in ("title", "authors"):
        if not cited.get(field):
            raise CitationFileError(f"{path}: the {where} has no '{field}'")
    if not isinstance(cited["authors"], list):
        raise CitationFileError(f"{path}: '{where}.authors' must be a list")
    cited = dict(cited)
    cited.setdefault("license", data.get("license"))
    return cited


def author_name(author: dict) -> str:
    """An author as printed: an entity's ``name``, or a person's given and family names."""
    if author.get("name"):
        return str(author["name"])
    parts = [author.get("name-particle"), author.get("family-names")]
    family = " ".join(str(p) for p in parts if p)
    given = author.get("given-names")
    if not family:
        raise CitationFileError(f"{CITATION_FILE}: an author has neither 'name' nor 'family-names': {author}")
    return f"{family}, {given}" if given else family


def _year(cited: dict) -> str | None:
    if cited.get("year"):
        return str(cited["year"])
    released = cited.get("date-released")
    return str(released)[:4] if released else None


def _licence(cited: dict) -> str | None:
    licence = cited.get("license")
    if isinstance(licence, list):
        return " / ".join(str(item) for item in licence)
    return str(licence) if licence else None


def citation_text(cited: dict) -> tuple[str, str, str]:
    """The plain-text citation as (before the title, the title, after the title)."""
    authors = [author_name(a) for a in cited["authors"]]
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
    year = _year(cited)
    before = f"{names} ({year}). " if year else f"{names}. "
    after = []
    if cited.get("version"):
        after.append(f"Version {cited['version']}")
    if cited.get("doi"):
        after.append(f"https://doi.org/{cited['doi']}")
    elif cited.get("url"):
        after.append(str(cited["url"]))
    if _licence(cited):
        after.append(f"Licence: {_licence(cited)}")
    return before, str(cited["title"]), (". " + ". ".join(after) + "." if after else ".")


def _bibtex_value(value: str) -> str:
    # Braces must balance inside a BibTeX field; the other special characters are escaped.
    return re.sub(r"([{}&%$#_\\])", r"\\\1", str(value))


def bibtex_key(cited: dict) -> str:
    """A key from the first word of the first author and the year, e.g. ``personalization-review2026``."""
    first = author_name(cited["authors"][0])
    word = re.sub(r"^the\s+", "", first, flags=re.IGNORECASE).split()[0]
    slug = re.sub(r"[^a-z0-9-]", "", word.lower().split(",")[0]) or "book"
    return slug + (_year(cited) or "")


def bibtex_entry(cited: dict) -> str:
    """A BibTeX entry: ``@book`` for a book, else ``@misc``; an entity author is wrapped in braces."""
    kind = "book" if cited.get("type") == "book" else "misc"
    authors = " and ".join(
        "{" + _bibtex_value(a["name"]) + "}" if a.get("name") else _bibtex_value(author_name(a))
        for a in cited["authors"]
    )
    fields = [("author", authors), ("title", "{" + _bibtex_value(cited["title"]) + "}")]
    if _year(cited):
        fields.append(("year", _year(cited)))
    publisher = cited.get("publisher")
    if isinstance(publisher, dict) and publisher.get("name"):
        fields.append(("publisher", _bibtex_value(publisher["name"])))
    if cited.get("version"):
        fields.append(("edition", _bibtex_value(cited["version"])))
    for field in ("doi", "url"):  # verbatim, as BibTeX's url handling expects; only braces are dropped
        if cited.get(field):
            fields.append((field, re.sub(r"[{}]", "", str(cited[field]))))
    if _licence(cited):
        fields.append(("note", "Licence: " + _bibtex_value(_licence(cited))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{bibtex_key(cited)},\n{body}\n}}"


class CitationFromCff(Directive):
    """``{citation-from-cff}``: a paragraph with the citation, then its BibTeX entry."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        path = Path(env.app.confdir) / CITATION_FILE
        env.note_dependency(str(path))
        cited = load_citation(path)
        before, title, after = citation_text(cited)
        paragraph = nodes.paragraph("", "", nodes.Text(before), nodes.emphasis(title, title), nodes.Text(after))
        paragraph["classes"].append("citation-from-cff")
        entry = bibtex_entry(cited)
        block = nodes.literal_block(entry, entry, language="bibtex")
        block["classes"].append("citation-from-cff-bibtex")
        return [paragraph, block]


def setup(app: Sphinx) -> dict:
    app.add_directive("citation-from-cff", CitationFromCff)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
