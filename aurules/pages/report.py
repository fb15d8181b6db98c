"""`aurules report`: one self-contained HTML page about a proposal, for the people who decide
on it: what it changes, the check rows, the differences `diff` finds (each with its witness
and the witness's timeline), the impact on a population with its chart, and the fixtures'
coverage of the rules. No script, no server, no network: styles are inline and pictures are
embedded (SVG inline, PNG as data), so the file can be mailed or attached to a CI run.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aurules.model.ruleset import Ruleset

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #1f2328;
       line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #d0d7de;
     padding-bottom: 0.2em; margin-top: 2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
th, td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
.violated { background: #ffebe9; } .unknown { background: #fff8c5; }
.ok { color: #1a7f37; } .bad { color: #cf222e; font-weight: 600; }
pre { background: #f6f8fa; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
.note { color: #57606a; font-size: 0.9em; } figure { margin: 0.5em 0; }
figure svg, figure img { max-width: 100%; height: auto; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(headers: list[str], rows: Iterable[list[Any]], classes: Iterable[str] = ()) -> str:
    marks = list(classes)
    body = []
    for index, row in enumerate(rows):
        mark = marks[index] if index < len(marks) and marks[index] else ""
        cells = "".join(f"<td>{cell}</td>" for cell in row)
        body.append(f'<tr class="{mark}">{cells}</tr>' if mark else f"<tr>{cells}</tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def changes_section(base: Ruleset, proposal: Ruleset) -> str:
    """What the proposal changes: parameters and interpretations, bands, new facts, rules."""
    rows = [
        [f"<code>{_e(key)}</code>", _e(before), _e(after)]
        for key, before, after in proposal.changed_from(base)
    ]
    structure = proposal.structure
    parts = ["<h2>What it changes</h2>"]
    if rows:
        parts.append(_table(["parameter", f"{base.id}", f"{proposal.id}"], rows))
    for band in structure.bands:
        shown = ", ".join(
            f"below {_e(b.below_data)}: {_e(b.value)}"
            if b.below is not None
            else f"otherwise: {_e(b.value)}"
            for b in band.bands
        )
        parts.append(f"<p><code>{_e(band.key)}</code> by <code>{_e(band.by)}</code>: {shown}</p>")
    if structure.facts:
        parts.append(
            _table(
                ["new fact", "type", "default", "meaning"],
                [
                    [
                        f"<code>{_e(f.path)}</code>",
                        _e(f.type),
                        _e(json.dumps(f.default_data)),
                        _e(f.description),
                    ]
                    for f in structure.facts
                ],
            )
        )
    if structure.rules:
        parts.append(
            _table(
                ["rule", "paragraph", "kind", "replaces", "holds when", "summary"],
                [
                    [
                        f"<code>{_e(r.name)}</code>",
                        _e(r.paragraph),
                        _e(r.kind + (f" ({', '.join(r.items)})" if r.items else "")),
                        _e(r.replaces or ""),
                        f"<code>{_e(r.holds.text)}</code>",
                        _e(r.summary),
                    ]
                    for r in structure.rules
                ],
            )
        )
    if structure.disabled:
        names = ", ".join(f"<code>{_e(n)}</code>" for n in structure.disabled)
        parts.append(f"<p>Rules switched off: {names}</p>")
    if structure.expect_violated is not None:
        expected = ", ".join(structure.expect_violated) or "none"
        parts.append(f"<p>Invariants it is meant to break: {_e(expected)}</p>")
    if len(parts) == 1:
        parts.append("<p>Nothing: the proposal behaves as its base.</p>")
    return "\n".join(parts)


MARKS = {"violated": "bad", "holds": "ok"}


def check_section(report: Any) -> str:
    """The check rows, violated and unknown ones marked."""
    rows, classes = [], []
    for row in report.rows:
        rows.append(
            [
                f"<code>{_e(row.name)}</code>",
                _e(", ".join(row.paragraphs)),
                _e(row.method),
                f'<span class="{MARKS.get(row.status, "")}">{_e(row.verdict)}</span>',
                f"{row.seconds:.2f}",
                _e(Path(row.counterexample).name if row.counterexample else ""),
            ]
        )
        classes.append({"violated": "violated", "unknown": "unknown"}.get(row.status, ""))
    tally = {s: sum(r.status == s for r in report.rows) for s in ("holds", "violated", "unknown")}
    summary = (
        f"{len(report.rows)} checks: {tally['holds']} hold, {tally['violated']} violated, "
        f"{tally['unknown']} unknown"
    )
    if report.expected is not None:
        summary += f"; expected violations ({', '.join(report.expected) or 'none'}): " + (
            "as expected" if report.as_expected else "NOT as expected"
        )
    return (
        "<h2>Check</h2>"
        f"<p>{_e(summary)} (profile {_e(report.profile)}, seed {report.seed}).</p>"
        + _table(["check", "paragraphs", "method", "verdict", "s", "counterexample"], rows, classes)
    )


def diff_section(diff: Any, proposal: Ruleset, folder: Path) -> str:
    """Each group of learners whose outcome differs, with its witness and timeline."""
    from aurules.model.scenario import Scenario

    parts = [
        f"<h2>Differences from {_e(diff.base.id)}</h2>",
        f'<p class="note">Searched: {_e(diff.searched)}.</p>',
    ]
    groups = [(f"{g.direction} ({', '.join(g.paragraphs)}, {g.rule})", g) for g in diff.groups]
    groups += [
        (f"lifecycle: {h.output} differs on a {h.event} event", h) for h in diff.lifecycle_groups
    ]
    if not groups:
        parts.append("<p>No learner's outcome differs within the search.</p>")
    for index, (title, group) in enumerate(groups, start=1):
        parts.append(f"<h3>{index}. {_e(title)}: {_e(group.verdict)}</h3>")
        if group.witness is None:
            parts.append(f"<p>{_e(group.detail)}</p>")
            continue
        for side, outcome in (
            ("under " + diff.base.id, group.base_outcome),
            ("under " + proposal.id, group.proposal_outcome),
        ):
            if outcome is not None:
                parts.append(f"<p>{_e(side)}: {_e(_outcome_words(outcome))}</p>")
        parts.append(
            "<details><summary>witness scenario</summary>"
            f"<pre>{_e(json.dumps(group.witness, indent=2))}</pre></details>"
        )
        scenario = Scenario.from_data(group.witness, "<witness>", proposal.new_facts)
        if scenario.events:
            parts.append(
                _figure(
                    _timeline_svg(scenario, proposal, folder / f"w{index}.svg"),
                    f"the witness's lifecycle under {proposal.id}",
                )
            )
    return "\n".join(parts)


def _outcome_words(outcome: dict[str, Any]) -> str:
    paid = "; ".join(
        f"{p['item']} government £{p['government']}, account £{p['employer_account']}, "
        f"employer £{p['employer_direct']}"
        for p in outcome.get("payments", [])
    )
    refused = "; ".join(
        f"{r['item']} refused ({', '.join(r['paragraphs'])})" for r in outcome.get("refused", [])
    )
    failed = ", ".join(outcome.get("failed_paragraphs", [])) or "none"
    return (
        f"eligible {str(outcome['eligible']).lower()}, failed {failed}, status {outcome['status']}"
        + (f"; paid: {paid}" if paid else "")
        + (f"; {refused}" if refused else "")
    )


def _timeline_svg(scenario: Any, ruleset: Ruleset, path: Path) -> str:
    from aurules.explanation.timeline import draw

    draw(scenario, ruleset, path)
    text = path.read_text("utf-8")
    return text[text.index("<svg") :]  # inline: without the XML prologue and doctype


def _figure(content: str, caption: str) -> str:
    return f'<figure>{content}<figcaption class="note">{_e(caption)}</figcaption></figure>'


def impact_section(result: Any, folder: Path) -> str:
    """The impact figures as `aurules impact` prints them, and its chart."""
    from aurules.population.report import chart, text

    picture = folder / "impact.png"
    chart(result, picture)
    encoded = base64.b64encode(picture.read_bytes()).decode("ascii")
    return f"<h2>Impact on a population</h2><pre>{_e(text(result))}</pre>" + _figure(
        '<img alt="planned spend and eligibility, base against proposal" '
        f'src="data:image/png;base64,{encoded}">',
        "planned spend by payer and the learners whose eligibility changes",
    )


def fixtures_section(coverage: tuple[dict[str, int], dict[str, int]], count: int) -> str:
    """How many fixtures each paragraph has, the uncovered ones marked."""
    start, lifecycle = coverage
    parts = [
        f"<h2>Fixture coverage</h2><p>{count} fixtures (see <code>aurules fixtures</code>).</p>"
    ]
    for title, table in (("start of the unit", start), ("lifecycle", lifecycle)):
        rows = [[_e(p), str(n)] for p, n in table.items()]
        parts.append(
            f"<h3>{_e(title)}</h3>"
            + _table(
                ["paragraph", "fixtures"], rows, ["" if n else "unknown" for n in table.values()]
            )
        )
    return "\n".join(parts)


def page(
    base: Ruleset,
    proposal: Ruleset,
    *,
    check: Any | None,
    diff: Any | None,
    impact: Any | None,
    fixtures: tuple[tuple[dict[str, int], dict[str, int]], int] | None,
) -> str:
    """The whole page."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        sections = [changes_section(base, proposal)]
        if check is not None:
            sections.append(check_section(check))
        if diff is not None:
            sections.append(diff_section(diff, proposal, folder))
        if impact is not None:
            sections.append(impact_section(impact, folder))
        if fixtures is not None:
            sections.append(fixtures_section(*fixtures))
    made = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    title = f"{proposal.title or proposal.id} against {base.id}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        f'<p class="note">Proposal <code>{_e(proposal.id)}</code> (hash {_e(proposal.hash)}), '
        f"base <code>{_e(base.id)}</code> (hash {_e(base.hash)}); made by aurules on "
        f"{_e(made)}.</p>" + "\n".join(sections) + "</body></html>\n"
    )
