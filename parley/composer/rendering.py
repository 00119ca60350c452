"""Template rendering (pure): `{customer.first_name}`-style variables from a fixed whitelist.

A body is plain text with variables in braces. `{name|fallback}` gives the text to use when the
value is empty ("Hi {customer.first_name|there}"). `{{` and `}}` are literal braces. Only the
variables in VARIABLES exist; there is no attribute access, indexing or code: the values are a
flat dict of strings built by the caller. An unknown variable, or a known one without a value
and without a fallback, is a TemplateError that says which and why.
"""

from __future__ import annotations

import re

MAX_BODY_CHARS = 5_000

VARIABLES = {
    "customer.first_name": "the customer's first name",
    "customer.name": "the customer's display name",
    "customer.handle": "the customer's handle on the conversation's platform",
    "agent.first_name": "the agent's public first name",
    "agent.signature": "the agent's signature (e.g. ^AB)",
    "case.ref": "the conversation's reference (C-000123)",
    "brand.name": "the brand's name",
    "channel": "the platform's name (X, Facebook, ...)",
    "eta": "when the customer will hear back, as the agent types it",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class TemplateError(ValueError):
    """A body that cannot be rendered; the message names the variable and the problem."""


def _parse(body: str):
    """Yield ("text", str) and ("var", name, fallback) parts."""
    if len(body) > MAX_BODY_CHARS:
        raise TemplateError(f"A template body is at most {MAX_BODY_CHARS:,} characters")
    pos = 0
    for m in _TOKEN.finditer(body):
        if m.start() > pos:
            yield ("text", body[pos:m.start()])
        token = m.group()
        pos = m.end()
        if token == "{{":
            yield ("text", "{")
        elif token == "}}":
            yield ("text", "}")
        elif token in ("{", "}"):
            raise TemplateError(f"Unmatched '{token}' at character {m.start() + 1}; write '{token * 2}' for a literal brace")
        else:
            inner = m.group(1)
            name, _, fallback = inner.partition("|")
            name = name.strip()
            if name not in VARIABLES:
                known = ", ".join("{" + v + "}" for v in VARIABLES)
                raise TemplateError(f"Unknown variable {{{name}}}; the variables are {known}")
            yield ("var", name, fallback.strip() if "|" in inner else None)
    if pos < len(body):
        yield ("text", body[pos:])


def variables_in(body: str) -> list[str]:
    """The variables `body` uses; raises TemplateError when it is malformed."""
    return list(dict.fromkeys(part[1] for part in _parse(body) if part[0] == "var"))


def validate(body: str) -> None:
    variables_in(body)


def render(body: str, values: dict[str, str]) -> str:
    out = []
    for part in _parse(body):
        if part[0] == "text":
            out.append(part[1])
            continue
        _, name, fallback = part
        value = str(values.get(name) or "").strip()
        if not value:
            if fallback is None:
                raise TemplateError(
                    f"{{{name}}} ({VARIABLES[name]}) has no value here; fill it in, or give a fallback: "
                    f"{{{name}|...}}"
                )
            value = fallback
        out.append(value)
    return "".join(out)
