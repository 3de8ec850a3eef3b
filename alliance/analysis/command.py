"""Command and control: the arrangements the briefs compare, and the reporting lines as graphs."""

from __future__ import annotations

import math
from datetime import date

import altair as alt
import networkx as nx
import pandas as pd

from alliance.analysis.events import date_labels
from alliance.data.datapkg import first_reports
from alliance.data.sources import source_line
from alliance.present import theme

STRUCTURE_LABELS = {
    "usfj-before": "U.S. Forces Japan, before the upgrade",
    "usfj-after": "U.S. Forces Japan, upgrading to a joint force HQ",
    "jjoc": "JSDF Joint Operations Command",
    "usfk": "U.S. Forces Korea",
    "cfc": "ROK-U.S. Combined Forces Command",
}
UNIT_LABELS = {
    "indopacom": "U.S. Indo-Pacific Command",
    "usfj": "U.S. Forces Japan",
    "jjoc": "JSDF Joint Operations Command",
    "gcc": "Ground Component Command",
    "sdf-fleet": "Self-Defense Fleet",
    "adc": "Air Defense Command",
    "usfk": "U.S. Forces Korea",
    "cfc": "Combined Forces Command",
    "unc": "United Nations Command",
    "rok-forces": "ROK armed forces",
}
RELATION_LABELS = {
    "reports-to": "Reports to",
    "commands": "Commands",
    "dual-hatted": "Same commander (dual-hatted)",
    "wartime-opcon": "Wartime operational control",
    "counterpart": "Counterparts",
}
# Short names drawn in the diagram (the full names are in the tooltips).
UNIT_SHORT = {
    "indopacom": "INDOPACOM",
    "usfj": "USFJ",
    "jjoc": "JJOC",
    "gcc": "Ground Component Cmd",
    "sdf-fleet": "Self-Defense Fleet",
    "adc": "Air Defense Cmd",
    "usfk": "USFK",
    "cfc": "CFC",
    "unc": "UNC",
    "rok-forces": "ROK forces",
}
# Fixed positions (x from 0 to 1, y = level below the top): Japan on the left, Korea on the
# right, Indo-Pacific Command above both, so the two periods can be compared box for box.
LAYOUT = {
    "indopacom": (0.5, 0),
    "usfj": (0.14, -1),
    "jjoc": (0.42, -1),
    "gcc": (0.1, -2),
    "sdf-fleet": (0.3, -2),
    "adc": (0.5, -2),
    "usfk": (0.74, -1),
    "unc": (0.93, -1.5),
    "cfc": (0.74, -2),
    "rok-forces": (0.74, -3),
}


def _joined(group: pd.DataFrame, column: str) -> str:
    """The distinct statements sources make in one column, in order, or 'not sourced'."""
    return "; ".join(dict.fromkeys(v for v in group[column] if isinstance(v, str) and v)) or "not sourced"


def table_comparison(structures: pd.DataFrame) -> pd.DataFrame:
    """One row per arrangement: ranks, authority, reporting line and the range of sourced personnel."""
    rows = []
    for key, label in STRUCTURE_LABELS.items():
        group = structures[structures["structure"].eq(key)]
        measured = group[~group["is_brief_claim"].astype(bool) & group["personnel_n"].notna()]
        claimed = group[group["is_brief_claim"].astype(bool) & group["personnel_n"].notna()]

        if len(measured):
            low, high = int(measured["personnel_n"].min()), int(measured["personnel_n"].max())
            span = f"{low:,}" if low == high else f"{low:,} to {high:,}"
            personnel = f"{span} ({len(measured)} source{'s' if len(measured) > 1 else ''})"
        else:
            personnel = "not sourced"
        rows.append(
            {
                "structure": key,
                "Arrangement": label,
                "Commander's rank (as sources give it)": _joined(group, "commander_rank"),
                "Operational authority": _joined(group, "operational_authority"),
                "Reports to": _joined(group, "reports_to"),
                "Personnel stated by sources": personnel,
                "Personnel claimed by a brief": ", ".join(f"{int(n):,}" for n in claimed["personnel_n"]) or "",
            }
        )
    return pd.DataFrame(rows)


def personnel_range(structures: pd.DataFrame, structure: str) -> tuple[int, int, int]:
    """(lowest, highest, number of sources) among measured personnel figures for one arrangement."""
    group = structures[structures["structure"].eq(structure) & ~structures["is_brief_claim"].astype(bool)]
    values = group["personnel_n"].dropna()
    return int(values.min()), int(values.max()), len(values)


def command_graph(links: pd.DataFrame, period: str) -> nx.DiGraph:
    """Reporting lines in one period as a directed graph; edge attribute ``relation``."""
    graph = nx.DiGraph()
    for row in links[links["period"].eq(period)].sort_values("link_id").itertuples():
        graph.add_edge(row.from_unit, row.to_unit, relation=row.relation, source_id=row.source_id)
    return graph


def _panel(graph: nx.DiGraph, title: str, width: int, height: int) -> alt.LayerChart:
    pos = {n: LAYOUT[n] for n in graph}
    edges, heads = [], []
    for a, b, data in sorted(graph.edges(data=True)):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        label = RELATION_LABELS[data["relation"]]
        edges.append(
            # source_id is not drawn: it lets the book's data download name each line's source.
            {
                "x": x1,
                "y": y1,
                "x2": x2,
                "y2": y2,
                "relation": label,
                "line": f"{UNIT_LABELS[a]} → {UNIT_LABELS[b]}",
                "source_id": data["source_id"],
            }
        )
        if data["relation"] != "counterpart":
            # arrow head 80% of the way, pointing along the edge in screen space
            dx, dy = (x2 - x1) * width, -(y2 - y1) * height
            heads.append(
                {
                    "x": x1 + 0.8 * (x2 - x1),
                    "y": y1 + 0.8 * (y2 - y1),
                    "relation": label,
                    "angle": round((math.degrees(math.atan2(dy, dx)) + 90) % 360, 1),
                }
            )
    nodes = pd.DataFrame(
        [{"unit": UNIT_SHORT[n], "name": UNIT_LABELS[n], "x": x, "y": y} for n, (x, y) in sorted(pos.items())]
    )
    low = min(y for _, y in LAYOUT.values())
    sx = alt.Scale(domain=[0, 1])
    sy = alt.Scale(domain=[low - 0.4, 0.4])
    color = alt.Color("relation:N", title="Line", scale=alt.Scale(domain=list(RELATION_LABELS.values())))
    lines = (
        alt.Chart(pd.DataFrame(edges))
        .mark_rule(strokeWidth=2)
        .encode(
            **theme.positional(sx, sy),
            x2="x2:Q",
            y2="y2:Q",
            color=color,
            strokeDash=alt.condition(
                alt.datum.relation == RELATION_LABELS["counterpart"], alt.value([5, 4]), alt.value([1, 0])
            ),
            tooltip=[alt.Tooltip("line:N", title="Line"), alt.Tooltip("relation:N", title="Relation")],
        )
    )
    arrows = (
        alt.Chart(pd.DataFrame(heads, columns=["x", "y", "relation", "angle"]))
        .mark_point(shape="triangle", filled=True, size=90, opacity=1)
        .encode(**theme.positional(sx, sy), angle="angle:Q", color=color)
    )
    boxes = (
        alt.Chart(nodes)
        .mark_text(fontSize=11, fontWeight="bold", baseline="middle")
        .encode(**theme.positional(sx, sy), text="unit:N")
    )
    return alt.layer(lines, arrows, boxes).properties(width=width, height=height, title=title)


def chart_command_lines(links: pd.DataFrame, sources: pd.DataFrame, as_of: date, decided: str):
    """Reporting lines before and after the decision to upgrade U.S. Forces Japan, side by side."""
    before, after = command_graph(links, "before"), command_graph(links, "after")
    height = int(70 * (1 - min(y for _, y in LAYOUT.values())))
    pair = alt.vconcat(
        _panel(before, f"Before {decided}", theme.WIDTH_PX, height),
        _panel(after, f"After (as of {as_of:%Y-%m-%d})", theme.WIDTH_PX, height),
        spacing=16,
    )
    description = (
        f"Two diagrams of command lines. Before {decided}: {before.number_of_nodes()} commands and "
        f"{before.number_of_edges()} lines; U.S. Forces Japan reports to Indo-Pacific Command and has no Japanese "
        f"counterpart. After: {after.number_of_nodes()} commands and {after.number_of_edges()} lines, with U.S. Forces "
        "Japan and the JSDF Joint Operations Command as counterparts; U.S. Forces Korea's commander also leads the "
        "Combined Forces Command in both."
    )
    return theme.finish(
        pair,
        title="Who reports to whom: command lines in Japan and Korea",
        subtitle="Arrows point from the subordinate to the superior, or from the commander to the commanded",
        description=description,
        footer=source_line(links["source_id"], sources, as_of),
    )


def table_implemented(milestones: pd.DataFrame) -> pd.DataFrame:
    """Command-and-control milestones since the summit, in date order."""
    frame = milestones[
        milestones["capability"].eq("command-and-control") & first_reports(milestones)
    ]
    frame = frame.sort_values(["date", "milestone_id"])
    return pd.DataFrame(
        {
            "Date": date_labels(frame),
            "What happened": frame["what"],
            "milestone_id": frame["milestone_id"],
        }
    ).reset_index(drop=True)


# Whose forces each unit is (CFC and UNC are combined commands led by a U.S. general).
UNIT_COUNTRY = {
    "indopacom": "USA",
    "usfj": "USA",
    "usfk": "USA",
    "jjoc": "JPN",
    "gcc": "JPN",
    "sdf-fleet": "JPN",
    "adc": "JPN",
    "rok-forces": "KOR",
    "cfc": "combined",
    "unc": "combined",
}
# Relations that put one country's forces under another's command.
COMMAND_RELATIONS = {"commands", "reports-to", "wartime-opcon"}


def lines_touching(graph: nx.DiGraph, units: set[str]) -> int:
    return sum(1 for a, b in graph.edges if a in units or b in units)


def lines_of(graph: nx.DiGraph, unit: str) -> set[tuple[str, str, str]]:
    return {(a, b, d["relation"]) for a, b, d in graph.edges(data=True) if unit in (a, b)}


def cross_command(graph: nx.DiGraph, first: str, second: str) -> list[tuple[str, str, str]]:
    """Lines of command between one country's units and another's (either direction)."""
    pair = {first, second}
    return sorted(
        (a, b, d["relation"])
        for a, b, d in graph.edges(data=True)
        if d["relation"] in COMMAND_RELATIONS and {UNIT_COUNTRY[a], UNIT_COUNTRY[b]} == pair
    )


# The 'after' lines need Japan's Joint Operations Command, so they are in force from the day it
# was set up; before that day the 'before' lines stand, though the upgrade had been decided.
AFTER_FROM_EVENT = "ev-2025-jsdf-joint-operations-command-jjoc"


def period_in_force(events: pd.DataFrame, when: date) -> str:
    """'before' or 'after': which set of command lines stood on ``when``."""
    start = pd.Timestamp(events.loc[events["event_id"].eq(AFTER_FROM_EVENT), "date"].iloc[0])
    return "after" if pd.Timestamp(when) >= start else "before"


def us_jp_command_reading(graph: nx.DiGraph) -> str:
    """Whether any line between U.S. and Japanese commands is a line of command, in words."""
    us_jp = cross_command(graph, "USA", "JPN")
    if not us_jp:
        return "None of the lines between U.S. and Japanese commands is a line of command"
    return f"{len(us_jp)} of the lines between U.S. and Japanese commands are lines of command"


def troops_known_at(troops: pd.DataFrame, country: str, when: date) -> tuple[int, int]:
    """(year, count) of the latest yearly U.S. troop count for a year that had ended by ``when``:
    what a writer on that date could have read."""
    own = troops[troops["country_code"].eq(country)].set_index("year")["us_troops_active_duty_n"]
    own.index = own.index.astype(int)
    year = int(own.index[own.index < pd.Timestamp(when).year].max())
    return year, int(own.loc[year])
