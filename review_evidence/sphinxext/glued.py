"""The values a chapter glues with myst-nb, read from its executed notebook, for the outputs that are
not the HTML book and so have no myst-nb to paste them: the slide decks and the student versions."""

from __future__ import annotations

import ast
import re

#: A ``{glue:text}`` role of a chapter's own value: its body is ``key`` or ``key:format spec``.
GLUE_TEXT_ROLE = re.compile(r"\{glue:text\}`([^`]+)`")


def glued_values(notebook: dict) -> dict[str, str]:
    """Values the chapter glues (myst-nb ``glue``), as their text/plain representation."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook")
            if scrapbook:
                text = output["data"].get(scrapbook["mime_prefix"] + "text/plain")
                values[scrapbook["name"]] = "".join(text) if isinstance(text, list) else text
    return values


def glued_text(glue: dict[str, str], role_body: str, chapter: str) -> str:
    """What ``{glue:text}`role_body``` shows: the glued value, formatted by the role's spec as myst-nb does.

    Raises LookupError, naming the chapter and the role, when the chapter glues no such value.
    """
    name, _, spec = role_body.partition(":")
    if name not in glue:
        raise LookupError(f"{chapter}: {{glue:text}}`{role_body}` names no value the chapter glues")
    value = glue[name]
    try:
        value = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        pass
    return format(value, spec) if spec else str(value)
