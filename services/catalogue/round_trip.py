"""A catalogue file changed the way a person would change it: the wordings
and entries added, every comment, order and layout of the file kept
(ruamel.yaml's round trip; with the file's own style, an unchanged file
comes back byte for byte)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from services.catalogue.safe_yaml import Deadline, parse


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode: comments and layout are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # long texts stay on their lines, as written
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def with_additions(
    text: str,
    wordings: Iterable[tuple[str, str, str]],
    entries: Iterable[dict[str, Any]],
) -> str:
    """`text` with each (faq id, lang, wording) added to its entry's
    questions and each new entry at the end of the FAQ. The text is checked
    by the safe loader first (size, aliases, depth): it is the catalogue in
    use, but never parsed unbounded."""
    parse(text, Deadline())
    yaml = _yaml()
    data = yaml.load(text)
    faq = data.setdefault("faq", CommentedSeq())
    by_id = {entry.get("id"): entry for entry in faq if isinstance(entry, dict)}
    for faq_id, lang, wording in wordings:
        entry = by_id.get(faq_id)
        if entry is None:
            continue
        questions = entry.setdefault("questions", CommentedMap())
        listed = questions.get(lang)
        if listed is None:
            listed = questions[lang] = CommentedSeq()
        if wording not in listed:
            listed.append(wording)
    for new in entries:
        if new["id"] in by_id:
            continue
        entry = CommentedMap(new)
        faq.append(entry)
        faq.yaml_set_comment_before_after_key(
            len(faq) - 1, before="added in the web console; check the answer", indent=2
        )
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
