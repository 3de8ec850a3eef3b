"""South Korea: its place in the network, the briefs' options and scenarios, risks, resources."""

from __future__ import annotations

import textwrap
from datetime import date

import altair as alt
import networkx as nx
import pandas as pd

from alliance.analysis import budgets, network
from alliance.analysis.events import date_labels
from alliance.data.datapkg import first_reports
from alliance.data.sources import source_line
from alliance.present import theme
from alliance.present.glue import and_join, ordinal

FOCUS = "KOR"
SCENARIO_PREFIX = "scenario-"
BRIEF_LABELS = {"asan": "Choi (Asan)", "eai": "Kim (EAI)"}
RISK_COLUMNS = {
    "is_risk_china": "China's reaction",
    "is_risk_dprk": "North Korea's reaction",
    "is_risk_domestic": "Domestic obstacle",
}
STEP_LABELS = {
    "rok-joins-pillar2": "ROK joins AUKUS Pillar II",
    "china-opposes": "China opposes",
    "china-eases-dprk-sanctions": "China eases sanctions on DPRK",
    "dprk-china-russia-axis": "DPRK-China-Russia cooperation",
    "pressure-on-trilateral": "Pressure on ROK-U.S.-Japan",
    "rok-detachment": "Push to detach ROK",
    "dprk-seeks-china": "DPRK seeks China's support",
    "kmpr-capabilities": "KMPR strike capabilities",
    "dprk-insecurity": "DPRK fear for the regime",
    "security-dilemma": "Security dilemma",
    "asymmetric-arms-race": "Asymmetric arms race",
    "defensive-doctrine": "Defensive doctrine (recommended)",
    "defensive-messaging": "Defensive messaging, dialogue (recommended)",
}


# --- scenarios through the lattice API -----------------------------------------------------


def scenario_ties(scenarios: pd.DataFrame, members: pd.DataFrame, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scenario rows in the form of security_ties and tie_members, starting at the as-of date."""
    start = pd.Timestamp(as_of)
    ties = pd.DataFrame(
        {
            "tie_id": SCENARIO_PREFIX + scenarios["scenario_id"],
            "name": scenarios["name"],
            "kind": scenarios["kind"],
            "level": scenarios["level"],
            "start_date": start,
            "end_date": pd.NaT,
            "is_formal_alliance": scenarios["is_formal_alliance"].astype("boolean"),
            "source_id": scenarios["source_id"],
        }
    )
    tie_members = pd.DataFrame(
        {
            "tie_id": SCENARIO_PREFIX + members["scenario_id"],
            "country_code": members["country_code"],
            "spell_n": 1,
            "joined_date": pd.NaT,
            "left_date": pd.NaT,
            "source_id": members["source_id"],
        }
    )
    return ties, tie_members


def _position(graph: nx.Graph, focus: str) -> dict:
    metrics = network.country_metrics(graph).set_index("country_code")
    shape = network.network_metrics(graph)
    return {
        "partners_n": int(metrics.at[focus, "degree_n"]),
        "betweenness": float(metrics.at[focus, "betweenness"]),
        "eigenvector": float(metrics.at[focus, "eigenvector"]),
        "eigenvector_rank": int(metrics.at[focus, "eigenvector_rank"]),
        "degree_centralization": shape["degree_centralization"],
        "hub_dependence": shape["hub_dependence"],
    }


def scenario_effects(ties, members, scenarios, scenario_members, as_of: date, focus: str = FOCUS) -> pd.DataFrame:
    """For each scenario alone, the focus country's position and the network's shape, and the
    change from the network as it is at the as-of date."""
    base = _position(network.country_graph(ties, members, as_of), focus)
    rows = [{"scenario_id": "baseline", "name": "The network as it is", **base}]
    for scenario in scenarios.itertuples():
        extra_ties, extra_members = scenario_ties(
            scenarios[scenarios["scenario_id"].eq(scenario.scenario_id)],
            scenario_members[scenario_members["scenario_id"].eq(scenario.scenario_id)],
            as_of,
        )
        graph = network.country_graph(
            pd.concat([ties, extra_ties], ignore_index=True),
            pd.concat([members, extra_members], ignore_index=True),
            as_of,
        )
        rows.append({"scenario_id": scenario.scenario_id, "name": scenario.name, **_position(graph, focus)})
    frame = pd.DataFrame(rows)
    for column in ("partners_n", "betweenness", "eigenvector", "degree_centralization", "hub_dependence"):
        frame[f"{column}_change"] = (frame[column] - base[column]).round(4)
    # Ranks improve downwards: a positive change is a move up the ranking.
    frame["rank_change"] = base["eigenvector_rank"] - frame["eigenvector_rank"]
    return frame


def chart_scenarios(effects: pd.DataFrame, sources: pd.DataFrame, sources_used, as_of: date):
    """How each scenario would move South Korea and the network, as changes from today."""
    data = effects[effects["scenario_id"].ne("baseline")]
    measures = {
        "partners_n_change": "South Korea's partners (change, n)",
        "rank_change": "South Korea's eigenvector rank (places gained)",
        "hub_dependence_change": "Network hub dependence (change)",
    }
    long = data.melt(
        id_vars=["scenario_id", "name"], value_vars=list(measures), var_name="measure", value_name="change"
    )
    long["measure"] = long["measure"].map(measures)
    order = list(data["name"])
    panels = []
    counts = {measures["partners_n_change"], measures["rank_change"]}
    for label in measures.values():
        part = long[long["measure"].eq(label)]
        # Stacked, not side by side, so every panel fits a phone and keeps its scenario labels.
        panels.append(
            alt.Chart(part)
            .mark_bar()
            .encode(
                y=alt.Y("name:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
                x=alt.X("change:Q", title=label, axis=theme.count_axis() if label in counts else alt.Axis()),
                color=alt.condition(alt.datum.change >= 0, alt.value(theme.PALETTE[0]), alt.value(theme.PALETTE[3])),
                tooltip=[
                    alt.Tooltip("name:N", title="Scenario"),
                    alt.Tooltip("measure:N", title="Measure"),
                    alt.Tooltip("change:Q", title="Change", format="+.3~f"),
                ],
            )
            .properties(width=theme.WIDTH_PX - 320, height=26 * len(order))
        )
    best = data.loc[data["rank_change"].idxmax()]
    description = (
        f"Bar charts of the change each of {len(data)} scenarios would make at the as-of date: to South Korea's "
        f"number of partners, its eigenvector rank and the network's hub dependence. The largest gain in rank, "
        f"{int(best['rank_change'])} places, comes from '{best['name']}'."
    )
    return theme.finish(
        alt.vconcat(*panels, spacing=10),
        title="What the briefs' proposals would do to South Korea's place in the network",
        subtitle="Each scenario added alone to the network at the as-of date",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


def chart_ranks(
    by_country: pd.DataFrame,
    countries: pd.DataFrame,
    sources: pd.DataFrame,
    sources_used,
    as_of: date,
    codes=("JPN", "KOR"),
):
    """Eigenvector rank over time (1 = most central) for Japan and South Korea."""
    names = countries.set_index("country_code")["name_en"]
    frame = by_country[by_country["country_code"].isin(codes)].assign(
        country=lambda f: f["country_code"].map(names), when=lambda f: f["date"].dt.strftime("%Y-%m-%d")
    )
    order = [names[c] for c in codes]
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=14), interpolate="step-after")
        .encode(
            x=alt.X("when:T", title="End of year", axis=alt.Axis(format="%Y")),
            y=alt.Y("eigenvector_rank:Q", title="Eigenvector rank (1 = most central)", scale=alt.Scale(reverse=True)),
            color=alt.Color(
                "country:N", title=None, sort=order, scale=alt.Scale(domain=order, range=theme.PALETTE[1:3])
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("eigenvector_rank:Q", title="Rank"),
                alt.Tooltip("degree_n:Q", title="Partners (n)"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=240)
    )
    last = frame[frame["date"].eq(frame["date"].max())].set_index("country_code")
    description = (
        "Line chart of the eigenvector rank of "
        + " and ".join(order)
        + " over time; at the as-of date "
        + ", ".join(f"{names[c]} ranks {ordinal(last.at[c, 'eigenvector_rank'])}" for c in codes)
        + "."
    )
    return theme.finish(
        chart,
        title="Rank in the network: Japan and South Korea",
        subtitle="Among all countries in the network at the end of each year",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


# --- the briefs' options --------------------------------------------------------------------


DOMAIN_LABELS = {
    "aid": "Aid",
    "alliance-network": "Alliance network",
    "diplomacy": "Diplomacy",
    "doctrine": "Doctrine",
    "history": "History",
    "military-technology": "Military technology",
    "non-traditional-security": "Non-traditional security",
}
RELATION_LABELS = {"leads-to": "Leads to", "reduces": "Reduces"}
# An option's name on the chart's axis: its own words, cut short at a word.
OPTION_NAME_CHARS = 44


def option_name(option: str) -> str:
    return textwrap.shorten(option, width=OPTION_NAME_CHARS, placeholder=" …")


def options_matrix(options: pd.DataFrame) -> pd.DataFrame:
    """Each topic: which brief addresses it (both, or one), with the domains and options."""
    rows = []
    for topic, group in options.groupby("topic", sort=False):
        briefs = set(group["brief"])
        rows.append(
            {
                "topic": topic,
                "addressed_by": "both" if briefs == set(BRIEF_LABELS) else f"{BRIEF_LABELS[briefs.pop()]} only",
                "domains": ", ".join(sorted(DOMAIN_LABELS[d] for d in set(group["domain"]))),
                "asan": "; ".join(group.loc[group["brief"].eq("asan"), "option"]) or "",
                "eai": "; ".join(group.loc[group["brief"].eq("eai"), "option"]) or "",
            }
        )
    return pd.DataFrame(rows).sort_values(["addressed_by", "topic"]).reset_index(drop=True)


def chart_options(options: pd.DataFrame, sources: pd.DataFrame, as_of: date):
    """The options matrix: each recommendation against the risks its brief names."""
    rows = []
    for row in options.itertuples():
        for column, label in RISK_COLUMNS.items():
            rows.append(
                {
                    "option_id": row.option_id,
                    "option": row.option,
                    "short": option_name(row.option),
                    "brief": BRIEF_LABELS[row.brief],
                    "domain": DOMAIN_LABELS[row.domain],
                    "risk": label,
                    "named": "named" if getattr(row, column) else "not named",
                    "benefit": row.expected_benefit,
                    "source_id": row.source_id,  # not drawn: for the book's data download
                }
            )
    data = pd.DataFrame(rows)
    order = [option_name(o) for o in options.sort_values(["brief", "domain", "option_id"])["option"]]
    if len(set(order)) < len(order):
        raise ValueError("two options share a shortened name: raise OPTION_NAME_CHARS")
    chart = (
        alt.Chart(data)
        .mark_square(size=260)
        .encode(
            x=alt.X(
                "risk:N", title="Risk the brief names", sort=list(RISK_COLUMNS.values()), axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("short:N", title=None, sort=order),
            color=alt.Color(
                "brief:N",
                title="Recommended by",
                scale=alt.Scale(domain=list(BRIEF_LABELS.values()), range=theme.PALETTE[:2]),
            ),
            opacity=alt.condition(alt.datum.named == "named", alt.value(1.0), alt.value(0.12)),
            tooltip=[
                alt.Tooltip("option:N", title="Option"),
                alt.Tooltip("brief:N", title="Brief"),
                alt.Tooltip("domain:N", title="Domain"),
                alt.Tooltip("benefit:N", title="Expected benefit"),
                alt.Tooltip("risk:N", title="Risk"),
                alt.Tooltip("named:N", title="Named by the brief"),
            ],
        )
        .properties(width=360, height=22 * len(order))
    )
    counts = options.groupby("brief").size()
    description = (
        f"A matrix of {len(options)} recommendations for South Korea ({counts.get('asan', 0)} from Choi, "
        f"{counts.get('eai', 0)} from Kim) against the risks each brief names: China's reaction, North Korea's "
        "reaction, a domestic obstacle. A solid square means the brief names that risk; each row is one option, "
        "with its expected benefit in the options table."
    )
    return theme.finish(
        chart,
        title="The briefs' options for South Korea and the risks they name",
        subtitle="Solid: the brief names the risk; faint: it does not",
        description=description,
        footer=source_line(options["source_id"], sources, as_of),
    )


# --- the reaction pathway -------------------------------------------------------------------


def pathway_graph(pathway: pd.DataFrame) -> nx.DiGraph:
    graph = nx.DiGraph()
    for row in pathway.sort_values("link_id").itertuples():
        graph.add_edge(row.from_step, row.to_step, relation=row.relation, note=row.note, source_id=row.source_id)
    return graph


def pathway_layers(graph: nx.DiGraph) -> dict[str, int]:
    """Depth of each step along the leads-to links; recommended steps sit beside what they cut."""
    causal = nx.DiGraph([(a, b) for a, b, d in graph.edges(data=True) if d["relation"] == "leads-to"])
    depth = {}
    for node in nx.topological_sort(causal):
        parents = list(causal.predecessors(node))
        depth[node] = 1 + max(depth[p] for p in parents) if parents else 0
    for a, b, data in sorted(graph.edges(data=True)):
        if data["relation"] == "reduces":
            depth[a] = min(depth.get(a, depth[b]), depth[b])
    return depth


# Columns of the pathway diagram (x from 0 to 1): the AUKUS chain, the North Korean branch,
# the message that cuts both, the KMPR chain and the doctrine that cuts it.
PATHWAY_COLUMNS = {
    "rok-joins-pillar2": 0.12,
    "china-opposes": 0.12,
    "china-eases-dprk-sanctions": 0.12,
    "dprk-china-russia-axis": 0.12,
    "pressure-on-trilateral": 0.12,
    "rok-detachment": 0.12,
    "dprk-seeks-china": 0.36,
    "defensive-messaging": 0.36,
    "kmpr-capabilities": 0.66,
    "dprk-insecurity": 0.66,
    "security-dilemma": 0.66,
    "asymmetric-arms-race": 0.66,
    "defensive-doctrine": 0.9,
}


def chart_pathway(pathway: pd.DataFrame, sources: pd.DataFrame, as_of: date):

    graph = pathway_graph(pathway)
    depth = pathway_layers(graph)
    # The message that cuts the first links sits one row below the top, beside them.
    depth["defensive-messaging"] = max(depth.get("defensive-messaging", 0), 2)
    pos = {n: (PATHWAY_COLUMNS[n], -depth[n]) for n in graph}
    nodes = pd.DataFrame(
        [{"step": "\n".join(textwrap.wrap(STEP_LABELS[n], 20)), "x": x, "y": y} for n, (x, y) in sorted(pos.items())]
    )
    edges = pd.DataFrame(
        [
            {
                "x": pos[a][0],
                "y": pos[a][1],
                "x2": pos[b][0],
                "y2": pos[b][1],
                "relation": RELATION_LABELS[d["relation"]],
                "link": f"{STEP_LABELS[a]} → {STEP_LABELS[b]}",
                "note": d["note"],
                "source_id": d["source_id"],  # not drawn: for the book's data download
            }
            for a, b, d in sorted(graph.edges(data=True))
        ]
    )
    low = min(y for _, y in pos.values())
    sx = alt.Scale(domain=[0, 1.02])
    sy = alt.Scale(domain=[low - 0.6, 0.6])
    lines = (
        alt.Chart(edges)
        .mark_rule(strokeWidth=2, opacity=0.6)
        .encode(
            **theme.positional(sx, sy),
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "relation:N",
                title="Link",
                scale=alt.Scale(domain=list(RELATION_LABELS.values()), range=[theme.PALETTE[3], theme.PALETTE[2]]),
            ),
            strokeDash=alt.condition(
                alt.datum.relation == RELATION_LABELS["reduces"], alt.value([5, 4]), alt.value([1, 0])
            ),
            tooltip=[alt.Tooltip("link:N", title="Link"), alt.Tooltip("note:N", title="The brief's reasoning")],
        )
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(fontSize=10.5, fontWeight="bold", lineBreak="\n", baseline="middle")
        .encode(**theme.positional(sx, sy), text="step:N")
    )
    description = (
        f"A directed graph of {graph.number_of_nodes()} steps and {graph.number_of_edges()} links: the chain of "
        "reactions the EAI brief expects if South Korea joins AUKUS Pillar II (China opposes, eases sanctions on "
        "North Korea, and pressure mounts on the trilateral) or builds KMPR strike capabilities (North Korean "
        "insecurity, a security dilemma, an arms race), and the two recommended steps that cut those links."
    )
    height = int(60 * (1 - low) + 20)
    return theme.finish(
        alt.layer(lines, labels).properties(width=theme.WIDTH_PX, height=height),
        title="How China and North Korea might react, as the EAI brief sketches it",
        subtitle="Read downwards. Solid: leads to; dashed: a recommended step that weakens the link",
        description=description,
        footer=source_line(pathway["source_id"], sources, as_of),
    )


# --- resources ------------------------------------------------------------------------------


def table_budgets_side_by_side(amounts: pd.DataFrame, sources: pd.DataFrame, milex: pd.DataFrame) -> pd.DataFrame:
    """Japan's and South Korea's defence budgets by year in national currency, and SIPRI's
    constant-dollar estimates for both where the years overlap."""
    japan = budgets.headline_series(amounts, sources)[["fiscal_year", "amount_national_bn"]]
    korea = budgets.headline_series(amounts, sources, country="KOR", measure="defense-budget", basis="not-applicable")[
        ["fiscal_year", "amount_national_bn"]
    ]
    frame = japan.rename(columns={"amount_national_bn": "japan_mod_budget_jpy_bn"}).merge(
        korea.rename(columns={"amount_national_bn": "korea_defense_budget_krw_bn"}), on="fiscal_year", how="outer"
    )
    sipri = milex[milex["country_code"].isin(["JPN", "KOR"])].pivot(
        index="year", columns="country_code", values="milex_constant_2022_usd_m"
    )
    frame["japan_sipri_usd_bn"] = frame["fiscal_year"].map(sipri["JPN"] / 1000).round(1)
    frame["korea_sipri_usd_bn"] = frame["fiscal_year"].map(sipri["KOR"] / 1000).round(1)
    frame["korea_to_japan_sipri_ratio"] = (frame["korea_sipri_usd_bn"] / frame["japan_sipri_usd_bn"]).round(2)
    return frame.sort_values("fiscal_year").reset_index(drop=True)


def chart_resources(table: pd.DataFrame, sources: pd.DataFrame, sources_used, as_of: date):
    """South Korea's and Japan's spending in one comparable unit (SIPRI, constant 2022 US$)."""
    data = table.dropna(subset=["japan_sipri_usd_bn", "korea_sipri_usd_bn"]).melt(
        id_vars="fiscal_year",
        value_vars=["japan_sipri_usd_bn", "korea_sipri_usd_bn"],
        var_name="series",
        value_name="usd_bn",
    )
    data["country"] = data["series"].map({"japan_sipri_usd_bn": "Japan", "korea_sipri_usd_bn": "South Korea"})
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("fiscal_year:Q", title="Year", axis=alt.Axis(format="d")),
            y=alt.Y("usd_bn:Q", title="Military spending (constant 2022 US$ bn)"),
            color=alt.Color(
                "country:N", title=None, scale=alt.Scale(domain=["Japan", "South Korea"], range=theme.PALETTE[1:3])
            ),
            tooltip=[
                alt.Tooltip("country:N"),
                alt.Tooltip("fiscal_year:Q", title="Year", format="d"),
                alt.Tooltip("usd_bn:Q", title="US$ bn (2022 prices)", format=".1f"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=260)
    )
    last = table.dropna(subset=["korea_to_japan_sipri_ratio"]).iloc[-1]
    description = (
        f"Line chart of Japan's and South Korea's military spending in constant 2022 US dollars, SIPRI estimates, "
        f"{int(data['fiscal_year'].min())} to {int(data['fiscal_year'].max())}; in {int(last['fiscal_year'])} South "
        f"Korea spent {last['korea_to_japan_sipri_ratio']:.2f} times what Japan spent."
    )
    return theme.finish(
        chart,
        title="South Korea and Japan: spending in one unit",
        subtitle="SIPRI estimates on one definition, in constant 2022 US dollars",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


# Defense Innovation 4.0 has 16 tasks under 5 focus areas, as the EAI brief and the Ministry of
# National Defense describe it; used only to list the tasks no source read for this project gives.
DEFENSE_INNOVATION_TASKS_N = 16


def missing_tasks(innovation: pd.DataFrame) -> list[str]:
    found = set(innovation.loc[innovation["level"].eq("task"), "item_id"])
    return [f"t{n:02d}" for n in range(1, DEFENSE_INNOVATION_TASKS_N + 1) if f"t{n:02d}" not in found]


def scenario_partners_already_tied(ties, members, scenario_members, as_of: date, focus: str = FOCUS) -> tuple:
    """Of the countries the scenarios would tie the focus country to, how many it is already tied to."""
    graph = network.country_graph(ties, members, as_of)
    current = set(graph.neighbors(focus)) if focus in graph else set()
    proposed = set(scenario_members["country_code"]) - {focus}
    return len(proposed & current), len(proposed)


# --- the reaction record, the strike doctrine, and Seoul beyond the region ---------------------------

ACTOR_LABELS = {"CHN": "China", "PRK": "North Korea", "RUS": "Russia"}
LINK_LABELS = {"explicit": "Tied to the step by the source", "context": "Context (no step named)"}


def table_reactions(reactions: pd.DataFrame) -> pd.DataFrame:
    """The reaction record as readers see it, oldest first."""
    frame = reactions.sort_values("date")
    return pd.DataFrame(
        {
            "Date": date_labels(frame),
            "Who": frame["actor"].map(ACTOR_LABELS).to_numpy(),
            "Reacting to": frame["reacts_to"].to_numpy(),
            "What": frame["what"].to_numpy(),
            "Tie to the step": frame["link"].map(LINK_LABELS).to_numpy(),
        }
    )


def reaction_counts(reactions: pd.DataFrame, focus_event: str = "") -> dict[str, int]:
    """Counts for the prose: reactions tied to a step (by actor), context events, and China's
    reactions to one step (``focus_event``)."""
    tied = reactions[reactions["link"].eq("explicit")]
    counts = {"all": len(reactions), "explicit": len(tied), "context": len(reactions) - len(tied)}
    counts.update({code: int(tied["actor"].eq(code).sum()) for code in ACTOR_LABELS})
    china = tied[tied["actor"].eq("CHN")]
    counts["china_to_focus"] = int(china["reacts_to_event_id"].eq(focus_event).sum()) if focus_event else 0
    return counts


def chart_reactions(reactions: pd.DataFrame, sources: pd.DataFrame, as_of: date):
    """Each reaction as a dot on a time line, one row per reacting country."""
    data = reactions.assign(
        who=reactions["actor"].map(ACTOR_LABELS),
        tie=reactions["link"].map(LINK_LABELS),
        when=date_labels(reactions),
    )
    order = [ACTOR_LABELS[c] for c in ACTOR_LABELS]
    chart = (
        alt.Chart(data)
        .mark_point(size=90, filled=True, opacity=0.8)
        .encode(
            x=alt.X("date:T", title="Date", axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("who:N", title=None, sort=order),
            color=alt.Color(
                "who:N", title=None, sort=order, scale=alt.Scale(domain=order, range=theme.PALETTE[:3]), legend=None
            ),
            shape=alt.Shape(
                "tie:N", title=None, scale=alt.Scale(domain=list(LINK_LABELS.values()), range=["circle", "triangle-up"])
            ),
            tooltip=[
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("who:N", title="Who"),
                alt.Tooltip("reacts_to:N", title="Reacting to"),
                alt.Tooltip("what:N", title="What"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=120)
    )
    counts = data["who"].value_counts()
    description = (
        f"Time line of {len(data)} dated reactions from {data['date'].min():%Y-%m-%d} "
        f"to {data['date'].max():%Y-%m-%d}: "
        + ", ".join(f"{counts.get(w, 0)} by {w}" for w in order)
        + "; circles are reactions the source ties to a step, triangles context."
    )
    return theme.finish(
        chart,
        title="China, North Korea and Russia react",
        subtitle="Reactions to U.S., Japanese and South Korean steps, and context events",
        description=description,
        footer=source_line(list(data["source_id"]), sources, as_of),
    )


def _in_thread(events: pd.DataFrame, threads: pd.DataFrame, thread: str) -> pd.Series:
    """Mask of first reports of the events coded to ``thread`` in event_threads.csv (a coding made
    by reading each event, so no selection depends on how a title happens to be worded)."""
    if thread not in set(threads["thread"]):
        raise KeyError(f"no thread {thread!r} in event_threads")
    ids = set(threads.loc[threads["thread"].eq(thread), "event_id"])
    return first_reports(events) & events["event_id"].isin(ids)


def kmpr_events(events: pd.DataFrame, threads: pd.DataFrame) -> pd.DataFrame:
    """The record's dated steps on South Korea's strike doctrine (KMPR and the three-axis system)."""
    return events[_in_thread(events, threads, "kmpr-three-axis")].sort_values("date")


def democracy_summits(events: pd.DataFrame, threads: pd.DataFrame) -> pd.DataFrame:
    """The Summits for Democracy in the record, with Seoul's hosting of the third."""
    return events[_in_thread(events, threads, "summit-for-democracy")].sort_values("date")


AID_KIND_LABELS = {
    "humanitarian": "Humanitarian aid",
    "mixed-package": "Grants and funds (not all humanitarian)",
    "loan": "Long-term loans",
    "trust-fund": "NATO trust fund",
    "budget-plan": "Budget plan",
    "cumulative-statement": "Running total stated",
}


def table_aid(pledges: pd.DataFrame) -> pd.DataFrame:
    """Every pledge, oldest first, with its kind so overlapping figures are not added up."""
    frame = pledges.sort_values("date")
    return pd.DataFrame(
        {
            "Date": date_labels(frame),
            "For": frame["recipient"].map(RECIPIENT_LABELS).to_numpy(),
            "Kind": frame["kind"].map(AID_KIND_LABELS).to_numpy(),
            "Amount (USD million)": frame["amount_usd_m"].to_numpy(),
            "Detail": frame["note"].to_numpy(),
        }
    )


RECIPIENT_LABELS = {"ukraine": "Ukraine", "gaza": "Gaza", "lebanon": "Lebanon"}


def humanitarian_by_year(pledges: pd.DataFrame) -> pd.DataFrame:
    """Humanitarian pledges summed by the year they were announced and by recipient (mixed packages,
    loans, plans and running totals left out)."""
    frame = pledges[pledges["kind"].eq("humanitarian")].assign(year=lambda f: f["date"].dt.year)
    table = frame.pivot_table(index="year", columns="recipient", values="amount_usd_m", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(RECIPIENT_LABELS), fill_value=0)
    return table.reset_index().rename(
        columns={"year": "Year announced", **{k: f"{v} (USD million)" for k, v in RECIPIENT_LABELS.items()}}
    )


ATTENDANCE_LABELS = {"leader": "Leader", "minister": "Sent a representative", "absent": "Absent"}


def table_ip4(attendance: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """NATO summits by country: who came for each of the four Indo-Pacific partners."""
    names = countries.set_index("country_code")["name_en"]
    frame = attendance.assign(
        cell=attendance["attendance"].map(ATTENDANCE_LABELS) + ": " + attendance["attendee"],
        summit=attendance["summit_date"].dt.strftime("%Y")
        + " "
        + attendance["summit_id"].str.split("-", n=2).str[2].str.replace("-", " ").str.title(),
        country=attendance["country_code"].map(names),
    )
    order = [names[c] for c in ("JPN", "KOR", "AUS", "NZL")]
    table = frame.pivot(index="summit", columns="country", values="cell").reindex(columns=order)
    return table.reset_index().rename(columns={"summit": "NATO summit"})


def leaders_at_summits(attendance: pd.DataFrame) -> pd.Series:
    """Per summit date: how many of the four partners sent their leader."""
    return attendance.assign(is_leader=attendance["attendance"].eq("leader")).groupby("summit_date")["is_leader"].sum()


def reading_ip4(attendance: pd.DataFrame, countries: pd.DataFrame) -> str:
    """How many leaders came to each summit, and who stayed away from the latest."""
    names = countries.set_index("country_code")["name_en"]
    per = leaders_at_summits(attendance)
    counts = [f"{int(n)} in {when:%Y}" for when, n in per.items()]
    last = attendance[attendance["summit_date"].eq(per.index.max())]
    away = [names[c] for c in last.loc[last["attendance"].ne("leader"), "country_code"]]
    text = f"Of the four leaders, {and_join(counts)} came to the NATO summit."
    if away:
        text += f" At the latest summit {and_join(away)} sent someone in the leader's place."
    return text


PERCEPTION_SURVEY_LABELS = {
    "genron-eai": "Genron NPO and EAI (to 2023)",
    "eai-only": "EAI alone (2024, Koreans only)",
    "eai-api-kei": "EAI, API and KEI (2025)",
}


def chart_perception(polls: pd.DataFrame, sources: pd.DataFrame, as_of: date):
    """Good impressions of the other country, by respondents, with the survey's change of partner shown."""
    data = polls[polls["impression"].eq("good")].assign(
        who=lambda f: f["respondents"].map({"KOR": "Koreans on Japan", "JPN": "Japanese on South Korea"}),
        survey_label=lambda f: f["survey"].map(PERCEPTION_SURVEY_LABELS),
    )
    # One line per survey and respondent group: a change of survey partner breaks the line.
    data["segment"] = data["who"] + " / " + data["survey"]
    order = ["Koreans on Japan", "Japanese on South Korea"]
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Survey year"),
            y=alt.Y("share_pct:Q", title="Good impression of the other (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("who:N", title=None, sort=order, scale=alt.Scale(domain=order, range=theme.PALETTE[:2])),
            shape=alt.Shape("survey_label:N", title="Survey", sort=list(PERCEPTION_SURVEY_LABELS.values())),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("who:N", title="Respondents"),
                alt.Tooltip("share_pct:Q", title="Good impression (%)"),
                alt.Tooltip("survey_label:N", title="Survey"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=260)
    )
    last = data[data["year"].eq(data["year"].max())].set_index("respondents")["share_pct"]
    description = (
        f"Line chart of the share of Koreans with a good impression of Japan and of Japanese with a good impression "
        f"of South Korea, {data['year'].min()} to {data['year'].max()}; in {data['year'].max()}, "
        + ", ".join(f"{v:g}% of {'Koreans' if k == 'KOR' else 'Japanese'}" for k, v in last.items())
        + ". The line breaks where the survey changed partners."
    )
    return theme.finish(
        chart,
        title="How Koreans and Japanese see each other",
        subtitle="Share with a good impression of the other country; the survey changed partners in 2024 and 2025",
        description=description,
        footer=source_line(list(data["source_id"]), sources, as_of),
    )


# China's measures against Japan after this remark make up much of its reaction record.
TAIWAN_REMARK_EVENT = "ev-2025-takaichi-says-taiwan-contingency-could"


def aid_reading(pledges: pd.DataFrame) -> dict[str, str]:
    """The aid figures the prose quotes: humanitarian sums, the packages kept apart, the Gaza
    running total, and the latest humanitarian pledge for Ukraine."""

    def total(kind: str, recipients) -> str:
        chosen = pledges["kind"].eq(kind) & pledges["recipient"].isin(list(recipients))
        return f"{pledges.loc[chosen, 'amount_usd_m'].sum():,.0f}"

    stated = pledges[pledges["kind"].eq("cumulative-statement") & pledges["recipient"].eq("gaza")].sort_values("date")
    ukraine = pledges[pledges["kind"].eq("humanitarian") & pledges["recipient"].eq("ukraine")].sort_values("date")
    return {
        "ukraine_hum": total("humanitarian", ["ukraine"]),
        "me_hum": total("humanitarian", ["gaza", "lebanon"]),
        "ukraine_mixed": total("mixed-package", ["ukraine"]),
        "ukraine_loans": total("loan", ["ukraine"]),
        "gaza_stated": f"{stated['amount_usd_m'].iloc[-1]:,.0f}" if len(stated) else "none",
        "gaza_stated_when": f"{stated['date'].iloc[-1]:%B %Y}" if len(stated) else "",
        "ukraine_last": f"{ukraine['date'].iloc[-1]:%B %Y}" if len(ukraine) else "none",
    }


def table_innovation(innovation: pd.DataFrame) -> pd.DataFrame:
    """Defense Innovation 4.0 as readers see it: each focus area, then its tasks, numbered as the
    ministry numbers them (tasks 1 to 16)."""
    areas = innovation[innovation["level"].eq("focus-area")].sort_values("item_id")
    tasks = innovation[innovation["level"].eq("task")]
    rows = []
    for n, area in enumerate(areas.itertuples(), 1):
        rows.append({"Focus area": f"{n}. {area.name}", "Task": ""})
        for task in tasks[tasks["parent_id"].eq(area.item_id)].sort_values("item_id").itertuples():
            rows.append({"Focus area": "", "Task": f"{int(task.item_id[1:])}. {task.name}"})
        if not (tasks["parent_id"] == area.item_id).any():
            rows.append({"Focus area": "", "Task": "(tasks not found in the sources searched)"})
    return pd.DataFrame(rows)


def missing_task_numbers(innovation: pd.DataFrame) -> str:
    """The task numbers not found, as a range for the prose: '1 to 8'."""
    numbers = sorted(int(t[1:]) for t in missing_tasks(innovation))
    if not numbers:
        return "none"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]} to {numbers[-1]}"
    return and_join([str(n) for n in numbers])


def korea_pillar_events(events: pd.DataFrame, threads: pd.DataFrame) -> pd.DataFrame:
    """Events on AUKUS Pillar II that involve South Korea."""
    return events[_in_thread(events, threads, "aukus-pillar-ii-korea")]
