"""Tests of the embedder interface, the text that is embedded and the lexical/entity features."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.enrich.embed import Embedder, HashingEmbedder, USEEmbedder, embed_text
from storyline.enrich.entities import EntityExtractor, normalise_token
from storyline.enrich.lexical import OnlineKeyIdf, OnlineTfidf
from storyline.model import Article


def test_embed_text_is_title_and_lead() -> None:
    a = Article(title="Title", text="word " * 500)
    t = embed_text(a)
    assert t.startswith("Title. word") and len(t) <= len("Title. ") + 300
    assert embed_text(Article(text="only body")) == "only body"


def test_hashing_embedder_satisfies_protocol() -> None:
    e = HashingEmbedder(dim=64)
    assert isinstance(e, Embedder)
    v = e.encode(["a text", "another text", ""])
    assert v.shape == (3, 64) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v[:2], axis=1), 1.0) and not v[2].any()
    assert e.encode([]).shape == (0, 64)


def test_online_tfidf_state_round_trip() -> None:
    t = OnlineTfidf(n_features=2**12).partial_fit(["gunman fired", "gunman fled the scene"])
    x = t.transform(["gunman fled"])
    assert x.shape == (1, 2**12) and np.isclose(np.linalg.norm(x.data), 1.0)
    t2 = OnlineTfidf(n_features=2**12)
    t2.set_state(t.get_state())
    assert t2.n_docs == 2 and (t2.df == t.df).all()


def test_key_columns_carry_kind() -> None:
    k = OnlineKeyIdf()
    cols = k.columns(["smith", "john_smith", "age:24", "dl:dunmore"])
    assert sorted(k.kind(cols).tolist()) == [0, 1, 2, 3]


def test_entities_names_places_numbers() -> None:
    keys = EntityExtractor().extract(
        "Gunman kills two in Dunmore",
        "DUNMORE, Pa. — Police said Marcus Delane, a 24-year-old man, shot two people at 1450 "
        "Carver Street. The Police Chief spoke on Monday.",
    )
    assert {"dl:dunmor", "marcus_delan", "delan", "age:24", "num:1450", "carver"} <= set(keys)
    assert "monday" not in keys and "the" not in keys


def test_normalise_token_cross_script() -> None:
    assert normalise_token("Путиным") == normalise_token("Putin")
    assert normalise_token("Минске") == normalise_token("Minsk")


@pytest.mark.slow
def test_use_embedder_cross_lingual() -> None:
    e = USEEmbedder()
    v = e.encode(
        [
            "Lukashenko met Putin in Minsk to discuss gas prices",
            "Лукашенко встретился с Путиным в Минске, чтобы обсудить цены на газ",
            "Floods force thousands from homes in northern Italy",
        ]
    )
    assert v.shape == (3, 512)
    assert v[0] @ v[1] > 0.6 > v[0] @ v[2]


def test_belarusian_and_ukrainian_are_respelled_toward_russian_for_the_encoder() -> None:
    """The encoder lists Russian, not Belarusian or Ukrainian: their words are embedded as
    Russian spells them; Russian and English text is embedded as written."""
    from storyline.enrich.embed import bridge_spelling

    assert bridge_spelling("Лукашэнка: рэферэндум адбудзецца ў нядзелю, з'езд", "be") == (
        "Лукашенка: референдум адбудецца в няделю, зъезд")
    assert bridge_spelling("Зеленський: п'ять областей і Київ; O'Brien", "uk") == (
        "Зеленський: пъять областей и Кийив; O'Brien")
    assert bridge_spelling("Это рэп", "ru") == "Это рэп"
    assert bridge_spelling("It's here", "en") == "It's here"
    be = Article(title="Лукашэнка ў Мінску", text="Сустрэча адбылася.", lang="be")
    assert embed_text(be) == "Лукашенка в Минску. Сустреча адбылася."


@pytest.mark.slow
def test_respelled_belarusian_is_closer_to_the_same_report_in_russian() -> None:
    """A Belarusian report and the Russian report of the same happening: the respelled text's
    embedding is nearer the Russian one than the text as written."""
    from storyline.enrich.embed import LEAD_CHARS, bridge_spelling

    ru = ("Лукашенко заявил, что Пригожин прилетел в Беларусь, а бойцы «Вагнера» останутся "
          "в России.")
    be = ("Лукашэнка заявіў, што Прыгожын прыляцеў у Беларусь, а байцы «Вагнера» застануцца "
          "ў Расіі.")
    enc = USEEmbedder()
    ru_v, raw_v, bridged_v = enc.encode([ru, be, bridge_spelling(be, "be")[:LEAD_CHARS]])
    assert float(ru_v @ bridged_v) > float(ru_v @ raw_v)
