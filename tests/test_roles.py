"""Actor-role CRF (events/roles.py): examples, training, saving, the shipped model, the bench,
and the coder consulting a role model."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.events import roles
from storyline.events.coder import Coder

ROOT = Path(__file__).resolve().parents[1]
SPANS = ROOT / ".." / "shared" / "data" / "events" / "conflibert_spans_train.jsonl"

# Hand-written sentences: (text, source, target)
TINY = [
    ("Poland sent tanks to Ukraine.", "Poland", "Ukraine"),
    ("Russia accused Estonia of spying.", "Russia", "Estonia"),
    ("Germany praised France for its support.", "Germany", "France"),
    ("The EU urged Serbia to recognise Kosovo.", "The EU", "Serbia"),
    ("China warned Japan over the islands.", "China", "Japan"),
    ("Turkish troops shelled Kurdish fighters near the border.", "Turkish troops",
     "Kurdish fighters"),
    ("Israel struck Hezbollah positions in Lebanon.", "Israel", "Hezbollah positions"),
    ("Iran threatened Israel with retaliation.", "Iran", "Israel"),
    ("Latvia expelled two Russian diplomats.", "Latvia", "two Russian diplomats"),
    ("Kenyan police arrested opposition supporters.", "Kenyan police", "opposition supporters"),
    ("Lithuania closed its border with Belarus.", "Lithuania", "Belarus"),
    ("Canada sanctioned Iranian officials.", "Canada", "Iranian officials"),
]


@pytest.fixture(scope="module")
def tiny_examples():
    return [roles.bio_from_strings(t, s, g) for t, s, g in TINY]


@pytest.fixture(scope="module")
def tiny_tagger(tiny_examples):
    return roles.RoleTagger.train(tiny_examples, {"c1": 0.0, "c2": 0.1})


def test_bio_from_strings_and_spans_of():
    ex = roles.bio_from_strings("The EU urged Serbia to recognise Kosovo.", "The EU", "Serbia")
    assert ex["tokens"][:4] == ["The", "EU", "urged", "Serbia"]
    assert ex["tags"][:5] == ["B-S", "I-S", "O", "B-T", "O"]
    assert roles.spans_of(ex["tags"]) == {"source": [(0, 2)], "target": [(3, 4)],
                                          "reciprocal": []}
    # a stray I- opens a span; reciprocal roles are read too
    assert roles.spans_of(["I-T", "O", "B-R", "I-R"]) == {
        "source": [], "target": [(0, 1)], "reciprocal": [(2, 4)]}
    with pytest.raises(ValueError):
        roles.bio_from_strings("Poland sent tanks.", "Hungary")


def test_read_examples_takes_both_layouts(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([
        json.dumps({"tokens": ["Chad", "met", "Niger", "."],
                    "tags": ["B-S", "O", "B-T", "O"]}),
        json.dumps({"text": "Chad met Niger.", "source": "Chad", "target": "Niger"}),
    ]))
    a, b = roles.read_examples(path)
    assert a == b


def test_train_tags_a_held_in_example(tiny_tagger):
    assert tiny_tagger.tag("Poland sent tanks to Ukraine.") == [
        "B-S", "O", "O", "O", "B-T", "O"]
    found = tiny_tagger.spans("Poland sent tanks to Ukraine.")
    assert [s.text for s in found.source] == ["Poland"]
    assert [(s.start, s.end, s.start_char, s.end_char) for s in found.target] == [(4, 5, 21, 28)]
    assert 0 < found.target[0].score <= 1
    # token lists are tagged as given
    assert tiny_tagger.tag(["Poland", "sent", "tanks", "to", "Ukraine", "."])[0] == "B-S"


def test_save_load_round_trip(tiny_tagger, tmp_path):
    path = tmp_path / "tiny.crfsuite"
    tiny_tagger.save(path)
    again = roles.RoleTagger.load(path)
    text = "Iran threatened Israel with retaliation."
    assert again.tag(text) == tiny_tagger.tag(text)
    assert again.model == tiny_tagger.model


def test_training_is_deterministic(tiny_examples):
    params = {"c1": 0.1, "c2": 0.1}
    a = roles.RoleTagger.train(tiny_examples, params)
    b = roles.RoleTagger.train(tiny_examples, params)
    assert a.model == b.model


def test_shipped_model_finds_source_and_target():
    tagger = roles.shipped_tagger()
    for text, src, tgt in [
        ("Poland sent artillery shells to Ukraine on Monday.", "Poland", "Ukraine"),
        ("Moldova accused Russia of plotting a coup.", "Moldova", "Russia"),
        ("The European Union urged Belarus to release political prisoners.",
         "The European Union", "Belarus"),
        ("Turkish troops shelled Kurdish positions in northern Syria.", "Turkish troops",
         "Kurdish positions"),
    ]:
        found = tagger.spans(text)
        assert [s.text for s in found.source] == [src]
        # the target phrase starts at the actor (where it ends is the model's weak point)
        assert len(found.target) == 1 and found.target[0].text.startswith(tgt)


def test_command_line_trains_and_the_env_var_reaches_the_coder(tmp_path, monkeypatch):
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps({"text": t, "source": s, "target": g})
                              for t, s, g in TINY))
    out = tmp_path / "model.crfsuite"
    roles.main(["train", str(data), "--out", str(out), "--c1", "0", "--c2", "0.1"])
    assert out.stat().st_size > 0
    monkeypatch.setenv(roles.ENV, str(out))
    assert Coder().roles is not None and Coder().roles.model == out.read_bytes()
    assert Coder(roles=None).roles is None
    monkeypatch.delenv(roles.ENV)
    assert Coder().roles is None  # off unless asked for (see bench/events.py figures)


def test_coder_prefers_the_model_only_where_the_rules_guess():
    prefer = Coder._prefer_model
    # parsed subject and object: the rules stand
    assert prefer([0], [2], (True, True), {"source": [1], "target": [3]}) == ([0], [2], [])
    # a word-order guess gives way to the model
    assert prefer([0], [2], (False, False), {"source": [1], "target": [3]}) == (
        [1], [3], ["source", "target"])
    # the rules' source is the model's target: the model's reading is taken
    assert prefer([0], [2], (True, True), {"source": [2], "target": [0]}) == (
        [2], [0], ["source", "target"])
    # joint subjects stay joint even when the model calls one of them the target
    assert prefer([0, 1], [], (True, False), {"source": [0], "target": [1]}) == ([0, 1], [], [])
    # a guessed target is dropped when the model sees none
    assert prefer([0], [2], (True, False), {"source": [0], "target": []}) == (
        [0], [], ["target"])


def test_coder_with_a_role_model_still_codes(tiny_tagger):
    recs = Coder(roles=tiny_tagger).code("Poland sent tanks to Ukraine.", "2024-01-01")
    assert [(r.source_actor, r.target_actor) for r in recs] == [("POL", "UKR")]


def test_bench_runs_on_a_tiny_bio_file(tmp_path):
    rows = []
    for text, src, tgt in TINY * 2:
        ex = roles.bio_from_strings(text, src, tgt)
        rows.append(json.dumps({"tokens": ex["tokens"], "tags": ex["tags"]}))
    path = tmp_path / "tiny_bio.jsonl"
    path.write_text("\n".join(rows))
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "actor_spans.py"), str(path),
                           "--folds", "2", "--no-tune"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["sentences"] == len(rows) and out["folds"] == 2
    for key in ("source_f1", "target_f1", "rules_source_f1", "shipped_target_f1"):
        assert 0.0 <= out[key] <= 1.0
    assert out["source_f1"] > 0.5  # every test sentence has a twin in the training fold


@pytest.mark.skipif(not SPANS.exists(), reason="../shared data not available")
def test_conflibert_spans_read_as_bio():
    rows = [json.loads(x) for x in SPANS.read_text().splitlines() if x.strip()]
    examples = roles.read_examples(SPANS)
    assert len(examples) == len(rows)
    for row, ex in zip(rows[:200], examples[:200], strict=True):
        found = roles.spans_of(ex["tags"])
        assert [" ".join(ex["tokens"][s:e]) for s, e in found["source"]] == row["source"]
        assert [" ".join(ex["tokens"][s:e]) for s, e in found["target"]] == row["target"]
