"""Draw a workflow definition as a Mermaid state diagram."""

import re

from caseflow.workflow.definition import Definition

# Mermaid reads these as syntax even inside labels; its entity codes print them back.
_ESCAPES = {'"': "#quot;", ":": "#58;", ";": "#59;"}


def mermaid(definition: Definition, language: str = "fr") -> str:
    """Return the definition as `stateDiagram-v2` text, labelled in `language`."""
    lines = ["stateDiagram-v2"]
    for state in definition.states.values():
        lines.append(f'    state "{_text(state.label(language))}" as {_id(state.name)}')
    lines.append(f"    [*] --> {_id(definition.initial)}")
    # Mermaid draws one arrow per line: triggers sharing a (source, dest) share an arrow.
    edges: dict[tuple[str, str], list[str]] = {}
    for transition in definition.transitions:
        for source in transition.sources:
            edges.setdefault((source, transition.dest), []).append(transition.label(language))
    for (source, dest), labels in edges.items():
        lines.append(f"    {_id(source)} --> {_id(dest)} : {_text(' / '.join(labels))}")
    for state in definition.states.values():
        if state.final:
            lines.append(f"    {_id(state.name)} --> [*]")
    return "\n".join(lines) + "\n"


def _id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _text(label: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in label)
