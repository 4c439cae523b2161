"""``docs/architecture.md`` is kept in step with the code: its generated part (the apps'
public names, the arrival pipelines' steps, the transport interface) is rebuilt here from
the code and must match. Run with ``VANBAN_UPDATE_DOCS=1`` to rewrite it after a change."""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"


def generated() -> str:
    import vanban.arrival
    import vanban.audit
    import vanban.connector
    import vanban.registry
    import vanban.scanning
    import vanban.storage
    import vanban.transport
    from vanban.connector.arrival import HUB_PIPELINE
    from vanban.connector.transports import HubTransport
    from vanban.registry.arrival import EMAIL_PIPELINE, PAPER_PIPELINE

    lines = ["```mermaid", "flowchart LR"]
    pipelines = (HUB_PIPELINE, EMAIL_PIPELINE, PAPER_PIPELINE)
    for p in pipelines:
        steps = [f"{p.name}_{i}[{name}]" for i, name in enumerate(p.step_names)]
        lines.append(f"    subgraph {p.name}_pipeline [{p.name}]")
        lines.append("        " + " --> ".join(steps))
        lines.append("    end")
    lines.append("    hub_6 --> take[registry: take_received_packages]")
    lines += ["```", "", "| package | public names |", "| --- | --- |"]
    for module in (
        vanban.connector,
        vanban.audit,
        vanban.arrival,
        vanban.transport,
        vanban.storage,
    ):
        names = ", ".join(f"`{n}`" for n in sorted(getattr(module, "__all__", [])))
        lines.append(f"| `{module.__name__}` | {names} |")
    lines.append(f"| `vanban.registry` (modules) | {', '.join(f'`{m}`' for m in vanban.registry.PUBLIC_MODULES)} |")
    lines.append(f"| `vanban.scanning` (modules) | {', '.join(f'`{m}`' for m in vanban.scanning.PUBLIC_MODULES)} |")
    lines += ["", "Transport interface (`vanban.connector.transports.HubTransport`):", ""]
    for name, member in inspect.getmembers(HubTransport, inspect.isfunction):
        if not name.startswith("_"):
            lines.append(f"- `{name}{inspect.signature(member)}`")
    lines += ["", "Arrival pipelines (`vanban.arrival.Pipeline`, in order):", ""]
    for p in pipelines:
        lines.append(f"- **{p.name}**: {' → '.join(p.step_names)}")
    return "\n".join(lines)


def test_the_generated_part_of_the_architecture_doc_matches_the_code():
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    fresh = f"{head}{BEGIN}\n{generated()}\n{END}{tail}"
    if os.environ.get("VANBAN_UPDATE_DOCS") == "1":
        DOC.write_text(fresh, encoding="utf-8")
    if fresh != text:
        pytest.fail("docs/architecture.md is out of step with the code: run VANBAN_UPDATE_DOCS=1 pytest " + __file__)
