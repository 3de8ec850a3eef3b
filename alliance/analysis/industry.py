"""Japan's defence industry and exports: the rule changes, the transfers, the summit's follow-through."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from alliance.analysis.events import date_label, date_labels
from alliance.data.datapkg import distinct
from alliance.data.sources import source_line
from alliance.present import theme

KIND_LABELS = {
    "export": "Export",
    "co-development": "Co-development",
    "co-production": "Co-production",
    "licensed-production-return": "Licensed-production return",
    "transfer-free-of-charge": "Transfer free of charge",
}
RULE_LABELS = {
    "2014-principles": "2014 Three Principles",
    "2023-12-revision": "December 2023 revision",
    "2024-03-gcap-revision": "March 2024 GCAP decision",
    "2026-revision": "2026 revision",
    "other": "Other (grant aid and the like)",
}
# Event categories that are changes to the rules themselves.
RULE_EVENT_CATEGORIES = ["export-rules"]
# A deal is a concluded transfer once one of its steps is a signed contract, transfer agreement,
# exchange of notes or project arrangement, or a delivery; approvals, selections and talks are not.
CONCLUDED_STEPS = ("signed", "delivered")
STEP_LABELS = {
    "approved": "approved",
    "selected": "selected",
    "talks": "in talks",
    "bid-lost": "bid lost",
    "signed": "signed",
    "delivered": "delivered",
}
STATUS_LABELS = {
    "concluded": "Concluded",
    "proposed": "Proposed or under negotiation",
    "lost": "Bid lost",
}


def deal_status(steps: pd.Series) -> str:
    """concluded, lost or proposed: the status of a deal from the steps the record holds."""
    if steps.isin(CONCLUDED_STEPS).any():
        return "concluded"
    return "lost" if steps.eq("bid-lost").any() else "proposed"


STEP_ORDER = list(STEP_LABELS)


def step_dates(transfers: pd.DataFrame) -> pd.DataFrame:
    """Each row with the date of its own step: a signing by its contract date (else its decision),
    any other step by its decision date (else its contract); a delivery has no date column here."""
    frame = distinct(transfers)
    signed = frame["step"].eq("signed")
    by_contract = signed & frame["contract_date"].notna() | frame["decision_date"].isna()
    frame["step_date"] = frame["contract_date"].where(by_contract, frame["decision_date"])
    frame["step_precision"] = frame["contract_precision"].where(by_contract, frame["decision_precision"])
    delivered = frame["step"].eq("delivered")
    frame.loc[delivered, "step_date"] = pd.NaT
    frame["step_rank"] = frame["step"].map(STEP_ORDER.index)
    return frame.sort_values(["deal_id", "step_date", "step_rank", "transfer_id"], na_position="last")


def concluded(transfers: pd.DataFrame) -> pd.DataFrame:
    """One row per concluded deal: its first concluding step (signed or delivered), so each
    transfer is counted once however many steps the record holds for it."""
    frame = step_dates(transfers)
    done = frame[frame["step"].isin(CONCLUDED_STEPS)]
    return done.drop_duplicates("deal_id").reset_index(drop=True)


def table_deals(transfers: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Every deal with its steps in date order and its status: concluded, proposed or lost."""
    names = countries.set_index("country_code")["name_en"]
    rows = []
    for deal_id, group in step_dates(transfers).groupby("deal_id", sort=False):
        steps = [
            STEP_LABELS[s] + ("" if pd.isna(d) else f" {date_label(d, p)}")
            for s, d, p in zip(group["step"], group["step_date"], group["step_precision"], strict=True)
        ]
        partners = sorted({c for codes in group["partner_codes"] for c in codes})
        done = group[group["step"].isin(CONCLUDED_STEPS)]
        rows.append(
            {
                "deal_id": deal_id,
                "Deal": (done if len(done) else group)["item"].iloc[0],
                "Partners": ", ".join(names[c] for c in partners),
                "Steps in the record": "; ".join(steps),
                "Status": STATUS_LABELS[deal_status(group["step"])],
                "first": group["step_date"].min(),
            }
        )
    order = {label: i for i, label in enumerate(STATUS_LABELS.values())}
    table = pd.DataFrame(rows)
    table = table.assign(rank=table["Status"].map(order)).sort_values(["rank", "first", "deal_id"])
    return table.drop(columns=["rank", "first"]).reset_index(drop=True)


def rule_change_events(events: pd.DataFrame) -> pd.DataFrame:
    """Distinct events that changed the export rules themselves."""
    return distinct(events[events["category"].isin(RULE_EVENT_CATEGORIES)])


def first_date(transfers: pd.DataFrame) -> pd.DataFrame:
    """Each transfer's first dated step (decision or contract) and its precision."""
    frame = transfers.copy()
    use_decision = frame["decision_date"].notna() & (
        frame["contract_date"].isna() | (frame["decision_date"] <= frame["contract_date"])
    )
    frame["first_date"] = frame["decision_date"].where(use_decision, frame["contract_date"])
    frame["first_precision"] = frame["decision_precision"].where(use_decision, frame["contract_precision"])
    return frame


def _value_label(amount, currency) -> str:
    if pd.isna(amount):
        return "not stated"
    scale = [(1e9, "bn"), (1e6, "m")]
    for size, suffix in scale:
        if amount >= size:
            return f"{currency} {amount / size:,.3g} {suffix}"
    return f"{currency} {amount:,.0f}"


def chart_transfers(
    transfers: pd.DataFrame, events: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame, as_of: date
):
    """Transfers and joint projects on a time line, one row per partner, with the rule changes."""
    names = countries.set_index("country_code")["name_en"]
    frame = first_date(distinct(transfers)).dropna(subset=["first_date"])
    rows = []
    for row in frame.itertuples():
        for code in row.partner_codes:
            rows.append(
                {
                    "transfer_id": row.transfer_id,
                    "partner": names[code],
                    "item": row.item,
                    "kind": KIND_LABELS[row.kind],
                    "rule": RULE_LABELS[row.rule],
                    "date": row.first_date.strftime("%Y-%m-%d"),
                    "when": date_label(row.first_date, row.first_precision),
                    "value": _value_label(row.value_amount, row.value_currency),
                    "source_id": row.source_id,  # not drawn: for the book's data download
                }
            )
    data = pd.DataFrame(rows)
    rules = rule_change_events(events)
    rule_data = pd.DataFrame(
        {
            "date": rules["date"].dt.strftime("%Y-%m-%d"),
            "title": rules["title"],
            "when": date_labels(rules),
            "source_id": rules["source_id"],  # not drawn: for the book's data download
        }
    )
    x = alt.X("date:T", title="Decision or contract date", axis=alt.Axis(format="%Y"))
    marks = (
        alt.Chart(rule_data)
        .mark_rule(color="#999", strokeDash=[4, 3])
        .encode(x=x, tooltip=[alt.Tooltip("title:N", title="Rule change"), alt.Tooltip("when:N", title="Date")])
    )
    partners = sorted(data["partner"].unique(), key=lambda p: -int((data["partner"] == p).sum()))
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("partner:N", title=None, sort=partners),
            color=alt.Color("kind:N", title="Kind", scale=alt.Scale(domain=list(KIND_LABELS.values()))),
            shape=alt.Shape("kind:N", title="Kind", scale=alt.Scale(domain=list(KIND_LABELS.values()))),
            tooltip=[
                alt.Tooltip("item:N", title="Item"),
                alt.Tooltip("partner:N", title="Partner"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("when:N", title="First step"),
                alt.Tooltip("value:N", title="Value stated"),
                alt.Tooltip("rule:N", title="Allowed under"),
            ],
        )
    )
    chart = alt.layer(marks, dots).properties(width=theme.WIDTH_PX, height=28 * len(partners) + 20)
    description = (
        f"Time line of {len(frame)} Japanese defence transfers and joint projects by partner country, "
        f"coloured and shaped by kind, with dashed vertical lines at {len(rule_data)} changes to the export rules. "
        "Each point is one item, dated, with its value and the rule that allowed it."
    )
    used = list(frame["source_id"]) + list(rules["source_id"])
    return theme.finish(
        chart,
        title="Japan's defence transfers and the rules that allowed them",
        subtitle="Each point is a transfer or joint project at its first dated step; dashed lines are rule changes",
        description=description,
        footer=source_line(used, sources, as_of),
    )


def table_by_partner_and_kind(transfers: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Count of concluded transfers per partner and kind (a transfer with two partners counts for each)."""
    names = countries.set_index("country_code")["name_en"]
    frame = concluded(transfers).explode("partner_codes")
    table = pd.crosstab(frame["partner_codes"].map(names), frame["kind"].map(KIND_LABELS))
    table = table.reindex(columns=[k for k in KIND_LABELS.values() if k in table.columns])
    table["Total"] = table.sum(axis=1)
    table = table.sort_values(["Total"], ascending=False)
    return table.rename_axis("Partner").reset_index()


def table_by_rule(transfers: pd.DataFrame) -> pd.DataFrame:
    """Concluded transfers by the rule that allowed them (the rule of the concluding step)."""
    frame = concluded(transfers)
    counts = frame["rule"].value_counts().reindex(list(RULE_LABELS), fill_value=0)
    return pd.DataFrame({"Allowed under": [RULE_LABELS[r] for r in counts.index], "Transfers (n)": counts.to_numpy()})


def table_rule_changes(events: pd.DataFrame) -> pd.DataFrame:
    rules = rule_change_events(events)
    return pd.DataFrame(
        {
            "Date": date_labels(rules),
            "Change": rules["title"],
            "event_id": rules["event_id"],
        }
    )


def concluded_under(transfers: pd.DataFrame, rules) -> pd.DataFrame:
    """The concluded transfers allowed under any of ``rules`` (codes of RULE_LABELS): the rows
    table_by_rule counts for them."""
    frame = concluded(transfers)
    return frame[frame["rule"].isin(list(rules))].reset_index(drop=True)


def concluded_with(transfers: pd.DataFrame, countries: pd.DataFrame, partner: str) -> pd.DataFrame:
    """The concluded transfers with the partner named ``partner``: the rows behind its total in
    table_by_partner_and_kind."""
    names = countries.set_index("country_code")["name_en"]
    frame = concluded(transfers)
    return frame[frame["partner_codes"].map(lambda codes: partner in {names[c] for c in codes})].reset_index(drop=True)
