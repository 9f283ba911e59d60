"""`show PLACE` as JSON and tables: the place, its policies and instruments with their status on a
day, each instrument's terms over time with the whole of every quote that states them, targets with
their outcome, indicators (claims by people quoted kept apart) and institutions."""

from __future__ import annotations

from ..core.quantity import format_quantity
from ..load.loader import KnowledgeBase
from ..schema.glossary import NOT_STATED, label
from ..schema.model import Indicator, Policy
from . import timeline
from .present import TableData, View, place_json, quotes_text, record_json, source_text
from .queries import Profile, eligibility_words, instrument_text, target_text

GAP = NOT_STATED["en"]


def policy_title(policy: Policy, lang: str = "en") -> str:
    """The title as printed, or the source's description of an untitled policy, saying so."""
    if lang == "zh":
        return policy.title.zh + ("（来源未载明标题）" if policy.untitled else "")
    text = f"{policy.title.zh} / {policy.title.en}"
    return text + (" (described; the sources print no title)" if policy.untitled else "")


def profile_view(kb: KnowledgeBase, p: Profile) -> View:
    payload = {
        "query": "show",
        "as_of": p.as_of.isoformat(),
        "place": record_json(p.place),
        "ancestors": [place_json(a) for a in p.ancestors],
        "places": [place_json(x) for x in p.places],
        **{
            section: [_with_status(p, record_json(r)) for r in getattr(p, section)]
            for section in ("policies", "instruments", "targets", "indicators", "institutions")
        },
        "history": {
            instrument_id: [
                {"from": str(when) if when else None, "terms": _terms_json(terms), "sources": record_json_list(cites)}
                for when, terms, cites in timeline.history(kb.instruments[instrument_id])
            ]
            for instrument_id in p.changes
        },
    }
    return View(payload, lambda: _tables(kb, p))


def record_json_list(citations: list) -> list[object]:  # type: ignore[type-arg]
    return [record_json(c) for c in citations]


def _terms_json(terms: dict[str, object]) -> dict[str, object]:
    from ..schema.values import to_json

    return {name: to_json(value) for name, value in terms.items() if value not in (None, [])}


def _with_status(p: Profile, body: object) -> object:
    if isinstance(body, dict) and body.get("id") in p.status:
        return {**body, "in_force": p.status[str(body["id"])].to_json()}
    return body


def _tables(kb: KnowledgeBase, p: Profile) -> list[TableData]:
    name = f"{p.place.name.zh} {p.place.name.en}"

    def where(r):  # type: ignore[no-untyped-def]
        return kb.jurisdictions[r.jurisdiction].name.en

    official = [x for x in p.indicators if x.said_by is None]
    claims = [x for x in p.indicators if x.said_by is not None]
    tables = [
        TableData(
            f"{name}: places",
            ["place", "level", "within"],
            [
                [f"{x.name.zh} {x.name.en}", label(x.level), kb.jurisdictions[x.parent].name.en if x.parent else "—"]
                for x in p.places
            ],
        ),
        TableData(
            f"{name}: policies (status on {p.as_of})",
            ["issued", "place", "title", "kind", "period", "status"],
            [
                [
                    x.issued.human() if x.issued else GAP,
                    where(x),
                    policy_title(x),
                    label(x.kind),
                    str(x.period) if x.period else "—",
                    p.status[x.id].label(),
                ]
                for x in p.policies
            ],
        ),
        TableData(
            f"{name}: instruments (terms in force on {p.as_of})",
            ["place", "kind", "terms", "who may claim", "status", "source"],
            [
                [
                    where(x),
                    label(x.kind),
                    instrument_text(x),
                    "; ".join(eligibility_words(x)) or GAP,
                    "; ".join([p.status[x.id].label(), *p.changes.get(x.id, [])]),
                    source_text(x.sources),
                ]
                for x in p.instruments
            ],
        ),
    ]
    history = _history_rows(kb, p)
    if history:
        tables.append(TableData(f"{name}: terms over time", ["instrument", "from", "terms", "source"], history))
    tables += [
        TableData(
            f"{name}: targets",
            ["place", "target", "source"],
            [[where(x), target_text(x, p.as_of), source_text(x.sources)] for x in p.targets],
        ),
        TableData(
            f"{name}: indicators",
            ["place", "topic", "metric", "value", "as of", "source"],
            [_indicator_row(where(x), x) for x in official],
        ),
    ]
    if claims:
        tables.append(
            TableData(
                f"{name}: claims by people the articles quote (not official figures)",
                ["place", "said by", "metric", "value", "as of", "source"],
                [[row[0], x.said_by.en, *row[2:]] for x in claims for row in [_indicator_row(where(x), x)]],  # type: ignore[union-attr]
            )
        )
    tables.append(
        TableData(
            f"{name}: institutions",
            ["place", "kind", "name", "since"],
            [[where(x), label(x.kind), f"{x.name.zh} / {x.name.en}", _since(x)] for x in p.institutions],
        )
    )
    return tables


def _indicator_row(place: str, x: Indicator) -> list[str]:
    value = format_quantity(x.value)
    if x.comparability:
        value += f" ({x.comparability.en})"
    return [place, label(x.topic), f"{x.metric.zh} / {x.metric.en}", value, x.as_of.human(), source_text(x.sources)]


def _since(institution: object) -> str:
    established = getattr(institution, "established", None)
    first_seen = getattr(institution, "first_seen", None)
    if established:
        return established.human()
    if first_seen:
        return f"first seen {first_seen.human()} (founding date {GAP})"
    return "—"


def _history_rows(kb: KnowledgeBase, p: Profile) -> list[list[str]]:
    rows = []
    for instrument_id in p.changes:
        instrument = kb.instruments[instrument_id]
        for when, terms, citations in timeline.history(instrument):
            shown = instrument.model_copy(update=terms)
            rows.append(
                [
                    f"{instrument.name.zh} {instrument.name.en}",
                    when.human() if when else f"{GAP}",
                    instrument_text(shown),
                    quotes_text(citations),
                ]
            )
    return rows
