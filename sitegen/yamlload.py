"""The YAML loader sitegen uses: libyaml's C parser when present, no implicit timestamps.

Dates stay strings so that the model stage parses them (ISO 8601 or an Arabic date line) in
the site timezone, and so that parsed front matter stays JSON-compatible for the cache.
"""

from __future__ import annotations

import yaml

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader (C accelerated when libyaml is present) that keeps timestamps as text."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
