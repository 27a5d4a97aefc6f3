"""The clustering benchmark and the CLI go through the same code path: same input, same events.

Also checks, on the packaged demo corpus, that a Russian and an English report of one happening
(demo-001 Reuters / demo-002 БелТА, the 28 union programmes of 9 September 2021) join one event.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from cli import run

from storyline.demo import corpus_path

REPO = Path(__file__).resolve().parents[2]


def _partition(pairs):
    groups = defaultdict(set)
    for article, event in pairs:
        groups[event].add(article)
    return sorted(sorted(g) for g in groups.values())


def test_bench_and_cli_give_the_same_events(tmp_path):
    pred = tmp_path / "pred.tsv"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "cluster.py"), str(corpus_path()),
         "--out", str(pred)],
        check=True, capture_output=True, text=True,
    )
    bench = [line.split("\t") for line in pred.read_text().splitlines()]

    db = tmp_path / "cli.db"
    run(db, "ingest", str(corpus_path()))
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT a.external_key, coalesce(a.event_id, o.event_id) FROM articles a "
        "LEFT JOIN articles o ON o.id = a.duplicate_of"
    ).fetchall()
    con.close()
    cli = [(key.split(":", 1)[1], str(event)) for key, event in rows]

    assert len(bench) == len(cli) == sum(1 for _ in corpus_path().open(encoding="utf-8"))
    assert all(event not in ("", "None") for _, event in cli)
    assert _partition(bench) == _partition(cli)

    event_of = dict(cli)
    assert event_of["demo-001"] == event_of["demo-002"]  # Reuters (en) and БелТА (ru)
    langs = {json.loads(line)["id"]: json.loads(line)["lang"]
             for line in corpus_path().open(encoding="utf-8")}
    assert (langs["demo-001"], langs["demo-002"]) == ("en", "ru")


def _events_of(tmp_path, rows):
    """Ingest ``rows`` (the JSONL layout) through the CLI into a fresh store; each report's
    event id, by its corpus id."""
    corpus = tmp_path / "deal.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")
    db = tmp_path / "deal.db"
    run(db, "ingest", str(corpus))
    con = sqlite3.connect(db)
    event_of = {key.split(":", 1)[1]: ev for key, ev in con.execute(
        "SELECT external_key, event_id FROM articles")}
    con.close()
    return event_of


NEXT_DAY = [
    {"id": "deal-en-1", "date": "2022-07-22T14:00:00+00:00", "lang": "en", "source": "Wire EN",
     "title": "Russia and Ukraine sign deal to export grain from Black Sea ports",
     "text": "Russia and Ukraine signed a deal in Istanbul on Friday, with Turkey and the United "
             "Nations as guarantors, to export 22 million tonnes of grain from three Black Sea "
             "ports."},
    {"id": "deal-en-2", "date": "2022-07-22T15:00:00+00:00", "lang": "en", "source": "Daily Post",
     "title": "Grain deal signed in Istanbul to reopen Black Sea ports",
     "text": "Russia and Ukraine on Friday signed a deal in Istanbul, brokered by Turkey and the "
             "United Nations, that lets 22 million tonnes of grain leave three Black Sea ports."},
    {"id": "deal-uk", "date": "2022-07-22T16:00:00+00:00", "lang": "uk", "source": "Укрінформ",
     "title": "Україна і Росія підписали в Стамбулі угоду про вивезення зерна",
     "text": "Україна і Росія в п'ятницю підписали в Стамбулі за посередництва Туреччини та ООН "
             "угоду про вивезення 22 млн тонн зерна з трьох чорноморських портів."},
    {"id": "strike-ru", "date": "2022-07-23T12:00:00+00:00", "lang": "ru", "source": "Лента",
     "title": "Удар по порту Одессы на следующий день после зерновой сделки",
     "text": "Россия в субботу нанесла ракетный удар по порту Одессы — на следующий день после "
             "того, как Россия и Украина подписали в Стамбуле при посредничестве Турции и ООН "
             "сделку о вывозе 22 млн тонн зерна."},
]


def test_across_languages_the_next_days_report_is_a_new_event(tmp_path):
    """Through the CLI: the grain deal told in English and Ukrainian is one event; a Russian
    report of the next day's strike on Odesa, which shares the deal's actors and numbers but
    names only Saturday, is an event of its own (the README's later-day rule across languages:
    a report in the event's own language is judged by its words, with two days)."""
    event_of = _events_of(tmp_path, NEXT_DAY)
    assert event_of["deal-en-1"] == event_of["deal-en-2"] == event_of["deal-uk"]
    assert event_of["strike-ru"] != event_of["deal-uk"]


FOLLOW_UPS = [
    {"id": "welcome-ru", "date": "2022-07-23T10:00:00+00:00", "lang": "ru", "source": "Лента",
     "title": "В ООН приветствовали сделку о вывозе зерна",
     "text": "Генсек ООН в субботу приветствовал сделку России и Украины о вывозе 22 млн тонн "
             "зерна из трёх черноморских портов, заключённую при посредничестве Турции и ООН в "
             "Стамбуле."},
    {"id": "eve-ru", "date": "2022-07-23T11:00:00+00:00", "lang": "ru", "source": "ТАСС",
     "title": "Координационный центр по зерну откроется в Стамбуле",
     "text": "Координационный центр по вывозу 22 млн тонн зерна из трёх черноморских портов "
             "откроется в Стамбуле по сделке России и Украины, подписанной накануне при "
             "посредничестве Турции и ООН."},
]


def test_across_languages_a_next_day_reaction_or_aftermath_joins_the_event(tmp_path):
    """Through the CLI, the README's exceptions to the later-day rule across languages: a
    Russian report of the next day that welcomes the deal (a reaction in its first sentence),
    and one whose first sentence names the deal as signed the day before ("накануне"), are
    judged by the pair model and join the deal told in English and Ukrainian; the strike on
    Odesa, a new act naming only Saturday, still does not."""
    event_of = _events_of(tmp_path, NEXT_DAY[:3] + FOLLOW_UPS + NEXT_DAY[3:])
    assert event_of["welcome-ru"] == event_of["eve-ru"] == event_of["deal-en-1"]
    assert event_of["strike-ru"] != event_of["deal-en-1"]


PORT_HIT = [
    {"id": "deal-ru", "date": "2022-07-22T17:00:00+00:00", "lang": "ru", "source": "Лента",
     "title": "Россия и Украина подписали в Стамбуле сделку по зерну",
     "text": "Россия и Украина в пятницу подписали в Стамбуле при посредничестве Турции и ООН "
             "соглашение о вывозе 22 млн тонн зерна из трёх черноморских портов."},
    {"id": "port-hit-ru", "date": "2022-07-23T12:00:00+00:00", "lang": "ru", "source": "ТАСС",
     "title": "Ракеты попали в порт Одессы",
     "text": "Две крылатые ракеты попали в инфраструктуру морского порта Одессы, ещё две сбила "
             "ПВО, сообщили ВСУ. Порт — один из трёх, откуда по соглашению России и Украины при "
             "посредничестве Турции и ООН должны вывозить 22 млн тонн зерна."},
]


def test_a_report_in_the_newcomers_own_language_can_veto_a_cross_language_match(tmp_path):
    """Through the CLI, the README's own-language veto: the deal told in English and Russian is
    one event; the next day's Russian report of missiles on Odesa's port names no day and
    shares the deal's actors, numbers and grain with its English reports, but the deal's
    Russian report, read word for word, says another happening — the strike is an event of
    its own."""
    event_of = _events_of(tmp_path, NEXT_DAY[:2] + PORT_HIT)
    assert event_of["deal-en-1"] == event_of["deal-en-2"] == event_of["deal-ru"]
    assert event_of["port-hit-ru"] != event_of["deal-ru"]
