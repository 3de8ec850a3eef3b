"""The sources registry: citation lines for charts and the BibTeX file for the book."""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd

from alliance.data import datapkg

# A chart's source line names at most this many publishers before summarising the rest.
MAX_NAMED_PUBLISHERS = 5
# Kinds a think tank would not cite for a core fact: each such source says why it is kept.
WEAK_KINDS = ("encyclopedia", "blog", "aggregator", "state-media")
# The most a book may lean on them: share of fact rows (extracts of reference datasets excluded).
MAX_WEAK_ROW_SHARE = 0.03
# Sites known to be mirrors, re-posts, portals, blogs or state outlets: a source read on one of them is
# of that weak kind, whatever its original publisher (a data test holds every source to this).
WEAK_DOMAINS = {
    "encyclopedia": (
        "blackwiki.org",
        "en.wikipedia.org",
        "encyclopedia.datana.cloud",
        "enwikipedia.net",
        "friendlywiki.com",
        "gateway.ipfs.io",
        "how.com.vn",
        "knowpia.com",
        "liquisearch.com",
        "military-history.fandom.com",
        "placenote.info",
        "review.clateway.com",
        "triplydb.com",
        "wiki.av1.space",
        "wiki.studentb.eu",
    ),
    "aggregator": (
        "2nn.jp",
        "9jaupdate24x7.com",
        "alojapan.com",
        "asiapacificsecuritymagazine.com",
        "aviationpros.com",
        "bahrainwire.com",
        "bignewsnetwork.com",
        "bilaterals.org",
        "bionews.i.hosei.ac.jp",
        "businessforecast.by",
        "byteseu.com",
        "chicagoshimpo.com",
        "daily8.com",
        "datazoo.jp",
        "db.westchesterlibraries.org",
        "dev.report.az",
        "devdiscourse.com",
        "einpresswire.com",
        "emm.newsexplorer.eu",
        "en.monitorulapararii.ro",
        "english-tools.ganp.jp",
        "expydoc.com",
        "fanyv88.com",
        "feedquik.com",
        "finanznachrichten.de",
        "forincs.com",
        "foxbangor.com",
        "gasterra.store",
        "haebyeong.com",
        "happylibus.com",
        "highergroundtimes.com",
        "ibcworldnews.com",
        "in.news.yahoo.com",
        "indiavision.com",
        "inkl.com",
        "issuhub.com",
        "jagranjosh.com",
        "lccodebase.cn",
        "learndenglisch.com",
        "legal.tricoteuses.fr",
        "lokmattimes.com",
        "m.oananews.org",
        "marketscreener.com",
        "mastodawn.com",
        "media.daum.net",
        "megalodon.jp",
        "menafn.com",
        "mhrd.kr",
        "miasian.com",
        "mil-translator1.mil-osi.com",
        "news.alayham.com",
        "news.az",
        "news.livedoor.com",
        "news.yahoo.co.jp",
        "newsbell.co.kr",
        "newshill.org",
        "newsofemirates.com",
        "newsonjapan.com",
        "newssniffer.co.uk",
        "nordot.app",
        "onecorea.com",
        "oodaloop.com",
        "preview.deepnewz.com",
        "qoshe.com",
        "scribd.com",
        "search.wikileaks.org",
        "securengin.fifthestate.nz",
        "southasianherald.com",
        "studyres.com",
        "tellerreport.com",
        "theasialive.com",
        "theasiareview.com",
        "thefinance360.com",
        "thephilippinestoday.com",
        "tmj4.com",
        "una-oic.org",
        "urdupoint.com",
        "v.daum.net",
        "v.media.daum.net",
        "vdocuments.fr",
        "viewusglobal.com",
        "whas11.com",
        "wic-net.com",
        "worldnewsam.com",
    ),
    "blog": (
        "agasutia.net",
        "biti.tistory.com",
        "chuckhillscgblog.net",
        "domain-b.com",
        "hi7664taku.blogspot.com",
        "londonkoreanlinks.net",
        "militaryleak.com",
        "pacificsentinel.blogspot.com",
        "ptvbalita.info",
        "strategicvanguard.blogspot.com",
        "tradebridgeconsultants.com",
        "twdefense.info",
        "wp.me",
        "wp.radioshiga.com",
    ),
    "state-media": (
        "anews.com.tr",
        "azernews.az",
        "caliber.az",
        "en.people.cn",
        "en.sggp.org.vn",
        "english.china.org.cn",
        "english.vov.vn",
        "global.chinadaily.com.cn",
        "globaltimes.cn",
        "japanese.beijingreview.com.cn",
        "japanese.china.org.cn",
        "news.cgtn.com",
        "ntd.com",
        "plenglish.com",
        "qazinform.com",
        "ruptly.tv",
        "sputniknews.com",
        "theepochtimes.com",
        "trtworld.com",
    ),
}
# Extracts of public reference datasets: one dataset source per table, not fact-by-fact sourcing.
EXTRACT_TABLES = ("sipri_milex", "us_troops")
# Tables whose source_id repeats another table's (a development cites its event's source):
# counting them too would count the same fact twice (scorecard rows cite their evidence events or a brief).
DERIVED_SOURCE_TABLES = ("developments", "claim_outcomes", "claim_tests", "aid_pledges")
def source_line(source_ids, sources: pd.DataFrame, as_of) -> str:
    """'Sources: A; B; and 3 others. Data as of YYYY-MM-DD.' for a chart's footer."""
    cited = pd.Series(list(source_ids)).map(sources.set_index("source_id")["publisher"])
    used = sources[sources["source_id"].isin(set(source_ids))]
    # Most-cited publishers first; ties alphabetically, so the line is stable.
    counts = cited.value_counts()
    publishers = sorted(counts.index, key=lambda p: (-counts[p], p.casefold()))
    named = publishers[:MAX_NAMED_PUBLISHERS]
    text = "; ".join(named)
    rest = len(publishers) - len(named)
    if rest:
        text += f"; and {rest} other publisher{'s' if rest > 1 else ''}"
    label = "Source" if len(used) == 1 else f"Sources ({len(used)} documents), most cited first"
    return f"{label}: {text}. Data as of {as_of:%Y-%m-%d}."


def weak_kind_of_url(url: str) -> str | None:
    """The weak kind a source read at ``url`` must carry, or None for a site not listed. A listed
    site's subdomains (test.example.com for example.com) count as the site."""
    host = (urlparse(url).hostname or "").lower().removeprefix("www.")
    return next(
        (kind for kind, hosts in WEAK_DOMAINS.items() if any(host == h or host.endswith("." + h) for h in hosts)),
        None,
    )


def display_title(title: str, is_title_as_shown) -> str:
    """A title the document shows, or a description supplied here in square brackets (the
    bibliographic convention for an untitled item)."""
    return title if bool(is_title_as_shown) else f"[{title}]"


def publication_note(date_published: str, date_accessed, via: str) -> str:
    published = f"Published {date_published}" if date_published else "No publication date shown"
    read = f"; read via {via}" if via else ""
    return f"{published}{read}; accessed {date_accessed:%Y-%m-%d}"


def _fact_tables(tables: dict[str, pd.DataFrame]):
    """(name, frame) of each table whose rows are sourced facts: registries, extracts and tables
    that repeat another's sources left out."""
    skip = ("sources", "countries", *EXTRACT_TABLES, *DERIVED_SOURCE_TABLES)
    return [(name, frame) for name, frame in tables.items() if name not in skip and "source_id" in frame]


def weak_rows(tables: dict[str, pd.DataFrame], sources: pd.DataFrame) -> pd.DataFrame:
    """Fact rows resting on a source of a weak kind: table, the row's key, source and why kept."""
    kind = sources.set_index("source_id")["kind"]
    rows = []
    for name, frame in _fact_tables(tables):
        hit = frame[frame["source_id"].map(kind).isin(WEAK_KINDS)]
        for _, row in hit.iterrows():
            rows.append({"table": name, "row": str(row.iloc[0]), "source_id": row["source_id"]})
    frame = pd.DataFrame(rows, columns=["table", "row", "source_id"])
    return frame.merge(sources[["source_id", "publisher", "via", "kind", "weak_reason"]], on="source_id", how="left")


def weak_row_share(tables: dict[str, pd.DataFrame], sources: pd.DataFrame) -> tuple[int, int]:
    """(rows resting on a weak kind of source, all fact rows), extracts excluded."""
    total = sum(len(frame) for _, frame in _fact_tables(tables))
    return len(weak_rows(tables, sources)), total


def load_sources() -> pd.DataFrame:
    return datapkg.load_table("sources")


KIND_LABELS = {
    "official": "Official documents (governments, parliaments)",
    "intergovernmental": "Intergovernmental organisations",
    "news-wire": "Wire services",
    "newspaper": "Newspapers and magazines",
    "broadcaster": "Broadcasters",
    "think-tank": "Think-tank work",
    "brief": "The two briefs",
    "academic": "Academic and archival",
    "dataset": "Datasets",
    "encyclopedia": "Encyclopedias (weak)",
    "blog": "Blogs (weak)",
    "aggregator": "Re-posts, mirrors and portals (weak)",
    "state-media": "State media (weak)",
}


def table_sources_by_kind(sources: pd.DataFrame) -> pd.DataFrame:
    counts = sources["kind"].value_counts().reindex(list(KIND_LABELS), fill_value=0)
    return pd.DataFrame(
        {
            "Kind": [KIND_LABELS[k] for k in counts.index],
            "Documents (n)": counts.to_numpy(),
            "Share (%)": (100 * counts / counts.sum()).round(1).to_numpy(),
        }
    )


def table_sources(sources: pd.DataFrame) -> pd.DataFrame:
    """Every source with what a reader needs to find it again."""
    frame = sources.sort_values("source_id")
    return pd.DataFrame(
        {
            # The key the data's rows cite it by, for readers going from a row to its document.
            "Source (data key)": frame["source_id"],
            "Title": [
                display_title(t, shown) for t, shown in zip(frame["title"], frame["is_title_as_shown"], strict=True)
            ],
            "url": frame["url"],
            "Publisher": frame["publisher"],
            "Read via": frame["via"],
            "Published": frame["date_published"],
            "Accessed": frame["date_accessed"].dt.strftime("%Y-%m-%d"),
            "Kind": frame["kind"].map(KIND_LABELS),
        }
    )


def table_weak_rows(weak: pd.DataFrame) -> pd.DataFrame:
    """The rows that rest on a weak kind of source, for the sources page, with why each is kept."""
    return pd.DataFrame(
        {
            "Table": weak["table"] + ".csv",
            "Row (data key)": weak["row"],
            "Source": weak["publisher"] + weak["via"].map(lambda v: f" (read via {v})" if v else ""),
            "Kind": weak["kind"].map(KIND_LABELS),
            "Why it is kept": weak["weak_reason"],
        }
    )
