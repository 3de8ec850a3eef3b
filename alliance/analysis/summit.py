"""The 10 April 2024 summit's defence and security initiatives."""

from __future__ import annotations

import pandas as pd

from alliance.present.tables import Table

AREA_LABELS = {
    "command-and-control": "Command and control",
    "technology": "Technology (AUKUS Pillar II)",
    "air-defense": "Air defence",
    "defense-industry": "Defence industry",
    "maintenance": "Maintenance and repair",
    "missile-defense": "Missile defence",
    "trilateral": "Trilateral cooperation",
    "counterstrike": "Stand-off and counterstrike",
    "deterrence": "Deterrence operations",
    "space": "Space (missile tracking)",
    "cyber": "Cyber and critical infrastructure",
    "disaster-relief": "Disaster relief",
}


COVERAGE_LABELS = {"stated": "stated", "in-part": "in part", "not-stated": "not stated"}


def table_summit_initiatives(initiatives: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """One row per initiative: the EAI brief's numbering, area, partners, and whether each of the
    summit's two documents (the Joint Leaders' Statement and the fact sheet) states it."""
    names = countries.set_index("country_code")["name_en"]
    frame = initiatives.sort_values(["eai_order", "initiative_id"], na_position="last")
    return pd.DataFrame(
        {
            "initiative_id": frame["initiative_id"],
            "In Kim (EAI) list": frame["eai_order"].astype("string").fillna("not listed"),
            "Initiative": frame["initiative"],
            "Area": frame["area"].map(AREA_LABELS),
            "Third countries": [", ".join(names[c] for c in codes) or "none" for codes in frame["partner_codes"]],
            "Joint statement": frame["joint_statement"].map(COVERAGE_LABELS),
            "Fact sheet": frame["fact_sheet"].map(COVERAGE_LABELS),
            "How the documents word it": frame["note"],
        }
    ).reset_index(drop=True)


def summit_document_counts(initiatives: pd.DataFrame) -> dict[str, int]:
    """How many of Kim's listed items each summit document states, in full or in part."""
    listed = initiatives["eai_order"].notna()
    both = initiatives["joint_statement"].eq("stated") & initiatives["fact_sheet"].eq("stated")
    either = initiatives["joint_statement"].ne("not-stated") | initiatives["fact_sheet"].ne("not-stated")
    return {
        "n_listed": int(listed.sum()),
        "n_listed_in_documents": int((listed & either).sum()),
        "n_listed_both_in_full": int((listed & both).sum()),
        "n_unlisted": int((~listed).sum()),
    }


def present_summit_initiatives(table: pd.DataFrame) -> Table:
    return Table(
        table.drop(columns=["initiative_id"]),
        label="Defence and security initiatives of the April 2024 U.S.-Japan summit",
    )


# The summit's industrial items, which the defence-industry chapter follows up.
INDUSTRIAL_AREAS = ["defense-industry", "maintenance", "missile-defense"]


def table_follow_ups(
    initiatives: pd.DataFrame, follow_ups: pd.DataFrame, areas: list[str] | None = None
) -> pd.DataFrame:
    """Each initiative (optionally only some areas) with the dated steps that followed it."""
    frame = initiatives if areas is None else initiatives[initiatives["area"].isin(areas)]
    rows = []
    for item in frame.sort_values(["eai_order", "initiative_id"], na_position="last").itertuples():
        steps = follow_ups[follow_ups["initiative_id"].eq(item.initiative_id)].sort_values(["date", "follow_up_id"])
        rows.append(
            {
                "initiative_id": item.initiative_id,
                "Summit item": item.initiative,
                "What followed (date: step)": "; ".join(
                    f"{d:%Y-%m-%d}: {w}" for d, w in zip(steps["date"], steps["what"], strict=True)
                )
                or "nothing dated in this record",
                "steps_n": len(steps),
            }
        )
    return pd.DataFrame(rows)
