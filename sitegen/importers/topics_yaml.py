"""Adding the imported archive's topics (display name, slug, description) to `sitegen.yaml`
as text, so the user's comments and layout stay as they are.

Items are appended to a block `topics:` list with its indentation; without a `topics:` key,
a delimited block is appended at the end. A `topics:` written in flow style (`[a, b]`) is
left alone and the topics are reported for adding by hand.
"""

from __future__ import annotations

import json
import re

import yaml

from sitegen.importers.folder import Topic

_TOPICS_KEY = re.compile(r"^topics:[ \t]*(#.*)?$", re.M)
_EMPTY_FLOW = re.compile(r"^topics:[ \t]*\[[ \t]*\][ \t]*(#.*)?$", re.M)
_ANY_TOPICS = re.compile(r"^topics:", re.M)
_ITEM = re.compile(r"^([ \t]*)- ", re.M)


def _scalar(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _items(topics: list[tuple[str, Topic]], indent: str) -> str:
    lines = []
    for slug, topic in topics:
        lines.append(f"{indent}- name: {_scalar(topic.name)}")
        lines.append(f"{indent}  slug: {_scalar(slug)}")
        if topic.description:
            lines.append(f"{indent}  description: {_scalar(topic.description)}")
    return "\n".join(lines) + "\n"


def with_topics(text: str, topics: list[tuple[str, Topic]], source: str) -> str | None:
    """`sitegen.yaml` text with `topics` added, or None when it cannot be done safely."""
    if not topics:
        return text
    text = text if text.endswith("\n") or not text else text + "\n"
    text = _EMPTY_FLOW.sub("topics:", text)
    key = _TOPICS_KEY.search(text)
    if key is None:
        if _ANY_TOPICS.search(text):
            return None
        block = (
            f"\n# --- added by `sitegen import --from {source}`: topics of the archive ---\n"
            f"topics:\n{_items(topics, '  ')}# --- end of the imported topics ---\n"
        )
        edited = text + block
    else:
        lines = text[key.end() + 1 :].split("\n")
        end = 0  # lines of the list, up to its last item line
        for index, line in enumerate(lines):
            if line.strip() and not line.startswith((" ", "\t", "-", "#")):
                break
            if line.strip() and not line.lstrip().startswith("#"):
                end = index + 1
        item = _ITEM.search("\n".join(lines[:end]))
        indent = item.group(1) if item else "  "
        before = "\n".join(lines[:end])
        after = "\n".join(lines[end:])
        middle = (before + "\n" if before else "") + _items(topics, indent)
        edited = text[: key.end() + 1] + middle + after
    try:
        loaded = yaml.safe_load(edited)
    except yaml.YAMLError:
        return None
    names = {t.get("name") for t in loaded.get("topics") or [] if isinstance(t, dict)}
    return edited if all(topic.name in names for _, topic in topics) else None
