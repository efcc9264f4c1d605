"""discours.evaluate: matching, counts and figures checked by hand on a tiny hand-built analysis."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import discours
from discours.cli import main
from discours.errors import GoldFormatError, SourceNotFoundError
from discours.evaluation import evaluate, normalize, overlaps, read_gold
from discours.tables import frame
from discours.types import LABELS

ROOT = Path(__file__).resolve().parents[1]
SEED_GOLD = ROOT.parent / "shared" / "calibration" / "seed.gold.json"
SCORER = ROOT.parent / "shared" / "tools" / "score_gold.py"

# -- a two-file mini corpus ---------------------------------------------------------------------
# billet.txt: a post (5 sentences) and one comment (2 sentences); autre.txt: a post with no
# labelled sentence; ailleurs.txt is not in the gold, so its predictions must be ignored.
BILLET = [
    "Les directions me répètent que les réseaux sociaux coûtent trop cher.",
    "Certes, il faut du temps pour animer une page.",
    "Mais une page bien tenue rapporte plus qu'elle ne coûte.",
    "Personne ne m'a jamais parlé de confidentialité.",
    "Qui lit encore les brochures papier ?",
]
COMMENT = ["Je ne suis pas d'accord, nos clients ne sont pas sur Facebook.", "Merci pour ce billet."]

#: (doc_id, sent_id, label, category, cue, rule)
PREDICTED = [
    ("billet", 0, "objection", "cost_resources", "coûtent trop cher", "objection.cost.v1"),
    ("billet", 0, "attributed", None, "me répètent", "attributed.say.v1"),
    ("billet", 1, "concession", None, "Certes", "concession.certes.v1"),
    ("billet", 2, "rebuttal", None, "Mais", "rebuttal.mais.v1"),
    ("billet", 2, "objection", "cost_resources", "coûte", "objection.cost.v1"),  # false alarm
    ("billet", 3, "objection", "confidentiality", "confidentialité", "objection.secret.v1"),  # hard negative
    ("billet.c1", 0, "rebuttal", None, "pas d'accord", "rebuttal.disagree.v1"),
    ("billet.c1", 0, "objection", "time", "pas sur Facebook", "objection.time.v1"),  # wrong category
    ("ailleurs", 0, "objection", "other", "impossible", "objection.other.v1"),  # not in the gold
]

GOLD = [
    {"id": "billet", "file": "billet.txt", "stance": "favor",
     "sentences": [
         {"text": BILLET[0], "labels": ["objection", "attributed"], "part": "post", "objection_category": "cost_resources"},
         {"text": BILLET[1], "labels": ["concession", "rebuttal"], "part": "post"},
         # a clause without its final period still matches by containment
         {"text": "Mais une page bien tenue rapporte plus qu’elle ne coûte", "labels": ["rebuttal"], "part": "post"},
         {"text": BILLET[4], "labels": ["rhetorical_question", "rebuttal"], "part": "post"},
         {"text": "nos clients ne sont pas sur Facebook", "labels": ["objection", "rebuttal"], "part": "comment",
          "objection_category": "audience_relevance"},
     ],
     "unlabelled": [{"text": BILLET[3], "labels": []}, {"text": COMMENT[1], "labels": []}],
     "structure": {"comments": [{"author": "Sylvie Marchand", "stance": "against", "agreement": "disagree"}]}},
    {"id": "autre", "file": "autre.txt", "stance": "against", "sentences": []},
]


def _analysis(folder: Path) -> discours.Analysis:
    docs = [
        {"doc_id": "billet", "post_id": "billet", "part": "post", "source": str(folder / "billet.txt"), "stance": "favor"},
        {"doc_id": "billet.c1", "post_id": "billet", "part": "comment", "source": str(folder / "billet.txt"),
         "author": "Sylvie Marchand", "stance": "neutral", "agreement": "disagree", "parent_id": "billet"},
        {"doc_id": "autre", "post_id": "autre", "part": "post", "source": str(folder / "autre.txt"), "stance": "favor"},
        {"doc_id": "ailleurs", "post_id": "ailleurs", "part": "post", "source": str(folder / "ailleurs.txt"), "stance": "neutral"},
    ]
    texts = {"billet": BILLET, "billet.c1": COMMENT, "autre": ["Rien à signaler ici."], "ailleurs": ["C'est impossible chez nous."]}
    sentences = [{"doc_id": d, "sent_id": i, "block": "paragraph", "text": t} for d, ts in texts.items() for i, t in enumerate(ts)]
    arguments = [{"doc_id": d, "sent_id": s, "text": texts[d][s], "label": lab, "category": cat, "cue": cue, "rule": rule}
                 for d, s, lab, cat, cue, rule in PREDICTED]
    tables = {"documents": frame("documents", docs), "sentences": frame("sentences", sentences),
              "arguments": frame("arguments", arguments)}
    return discours.Analysis(tables)


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, discours.Analysis]:
    for name, lines in (("billet.txt", BILLET + ["", "Sylvie Marchand"] + COMMENT), ("autre.txt", ["Rien à signaler ici."]),
                        ("ailleurs.txt", ["C'est impossible chez nous."])):
        (tmp_path / name).write_text("\n".join(lines), encoding="utf-8")
    gold = tmp_path / "mini.gold.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in GOLD) + "\n", encoding="utf-8")
    return gold, _analysis(tmp_path)


@pytest.fixture()
def ev(corpus):
    gold, analysis = corpus
    return evaluate(gold, analysis=analysis)


# -- matching -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("  – Nos concurrents   nous SURVEILLENT", "nos concurrents nous surveillent"),
        ("1. C’est l’excuse favorite", "c'est l'excuse favorite"),
        ("• \u00a0la conformité\n d’abord", "la conformité d'abord"),
        ("« Trop risqué »", "« trop risqué »"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "gold, pred, expected",
    [
        ("le juriste dit non", "bref, le juriste dit non.", True),  # predicted sentence contains the gold
        ("le juriste dit non, et la direction suit sans discuter", "le juriste dit non,", True),  # long enough part
        ("le juriste dit non, et la direction suit sans discuter", "dit non", False),  # under 12 characters
        ("a" * 100, "a" * 20, False),  # under a quarter of the gold text
        ("", "quelque chose", False),
    ],
)
def test_overlaps(gold, pred, expected):
    assert overlaps(gold, pred) is expected


# -- figures computed by hand ---------------------------------------------------------------------
def test_per_label_counts_and_scores(ev):
    t = ev.per_label.set_index("label")
    assert list(ev.per_label["label"]) == list(LABELS)
    # objection: tp = sentence 0 + the comment; fp = sentence 2 + the hard negative (sentence 3)
    assert t.loc["objection", ["tp", "fp", "fn", "support"]].tolist() == [2, 2, 0, 2]
    assert t.loc["objection", "precision"] == pytest.approx(0.5)
    assert t.loc["objection", "recall"] == pytest.approx(1.0)
    assert t.loc["objection", "f1"] == pytest.approx(2 / 3)
    # rebuttal: found on sentence 2 and the comment, missed on sentences 1 and 4
    assert t.loc["rebuttal", ["tp", "fp", "fn"]].tolist() == [2, 0, 2]
    assert t.loc["rebuttal", "f1"] == pytest.approx(2 / 3)
    assert t.loc["concession", ["tp", "fp", "fn", "f1"]].tolist() == [1, 0, 0, 1.0]
    assert t.loc["attributed", ["tp", "fp", "fn", "f1"]].tolist() == [1, 0, 0, 1.0]
    assert t.loc["rhetorical_question", ["tp", "fp", "fn", "support", "f1"]].tolist() == [0, 0, 1, 1, 0.0]
    assert t.loc["authority", ["support", "precision", "recall", "f1"]].tolist() == [0, 0.0, 0.0, 0.0]


def test_micro(ev):
    m = ev.micro.iloc[0]
    assert (m["tp"], m["fp"], m["fn"], m["support"]) == (6, 2, 3, 9)
    assert m["precision"] == pytest.approx(6 / 8)
    assert m["recall"] == pytest.approx(6 / 9)
    assert ev.micro_f1 == pytest.approx(12 / 17)


def test_categories(ev):
    cats = ev.categories.set_index("category")
    # two gold objections predicted as objections: cost_resources right, audience_relevance → time
    assert cats.loc["all", ["n", "correct"]].tolist() == [2, 1]
    assert ev.category_accuracy == pytest.approx(0.5)
    assert cats.loc["cost_resources", "accuracy"] == 1.0
    assert cats.loc["audience_relevance", "accuracy"] == 0.0
    pairs = {(g, p): n for g, p, n in ev.category_confusion[["gold", "pred", "n"]].itertuples(index=False)}
    assert pairs == {("cost_resources", "cost_resources"): 1, ("audience_relevance", "time"): 1}


def test_label_confusion(ev):
    c = {(g, p): (n, s) for g, p, n, s in ev.confusion.itertuples(index=False)}
    assert c[("objection", "objection")] == (2, 1.0)
    assert c[("objection", "attributed")] == (1, 0.5)
    assert c[("objection", "rebuttal")] == (1, 0.5)
    assert c[("rhetorical_question", "(none)")] == (1, 1.0)
    assert c[("rebuttal", "(none)")] == (1, 0.25)  # sentence 4 got nothing


def test_misses_false_alarms_hard_negatives(ev):
    assert sorted(zip(ev.misses["label"], ev.misses["text"])) == [
        ("rebuttal", BILLET[1]), ("rebuttal", BILLET[4]), ("rhetorical_question", BILLET[4])]
    assert ev.misses["matched"].all()
    fa = ev.false_alarms
    assert list(zip(fa["label"], fa["sent_id"], fa["rule"])) == [
        ("objection", 2, "objection.cost.v1"), ("objection", 3, "objection.secret.v1")]
    assert fa["cue"].tolist() == ["coûte", "confidentialité"]
    assert "ailleurs" not in set(fa["doc_id"])  # files outside the gold are not scored
    hn = ev.hard_negatives
    assert len(hn) == 1 and ev.n_unlabelled == 2
    assert hn.iloc[0]["text"] == BILLET[3] and hn.iloc[0]["rule"] == "objection.secret.v1"
    assert ev.n_unmatched == 0


def test_stance(ev):
    s = ev.stance.set_index(["part", "task"])
    # posts: gold favor, against; predicted favor, favor → accuracy 1/2, F1(favor) 2/3, F1(against) 0
    assert s.loc[("post", "stance"), "n"] == 2
    assert s.loc[("post", "stance"), "accuracy"] == pytest.approx(0.5)
    assert s.loc[("post", "stance"), "macro_f1"] == pytest.approx(1 / 3)
    assert s.loc[("comment", "stance"), "accuracy"] == 0.0
    assert s.loc[("comment", "stance"), "macro_f1"] == 0.0
    assert s.loc[("comment", "agreement"), "accuracy"] == 1.0
    assert ev.to_dict()["stance_confusion"] == {"favor->favor": 1, "against->favor": 1}
    pairs = ev.stance_pairs[ev.stance_pairs["part"] == "comment"].iloc[0]
    assert (pairs["gold_author"], pairs["pred_author"], pairs["doc_id"]) == ("Sylvie Marchand",) * 2 + ("billet.c1",)


def test_summary_and_dict(ev):
    text = ev.summary(show=1)
    assert "micro" in text and "0.71" in text  # 12/17
    assert "objection.secret.v1" in text
    d = json.loads(json.dumps(ev.to_dict()))
    assert d["micro"]["f1"] == pytest.approx(12 / 17)
    assert d["labels"]["objection"]["support"] == 2
    assert d["hard_negative_objections"] == 1 and d["files"] == 2
    assert d["objection_category_accuracy"] == 0.5
    assert repr(ev).startswith("<Evaluation: 2 gold files")


def test_empty_analysis_counts_everything_missed(corpus):
    gold, _ = corpus
    ev = evaluate(gold, analysis=discours.Analysis())
    assert ev.micro.iloc[0][["tp", "fp", "fn"]].tolist() == [0, 0, 9]
    assert ev.n_unmatched == 5 and ev.category_accuracy is None
    assert ev.stance.set_index(["part", "task"]).loc[("post", "stance"), "accuracy"] == 0.0


def test_evaluate_runs_analyze_on_the_referenced_files(corpus, monkeypatch):
    gold, analysis = corpus
    seen = []

    def fake_analyze(paths, **kwargs):
        seen.append((paths, kwargs))
        return analysis

    monkeypatch.setattr("discours.api.analyze", fake_analyze)
    ev = evaluate([gold], target="le télétravail")
    assert [Path(p).name for p in seen[0][0]] == ["billet.txt", "autre.txt"]
    assert seen[0][1] == {"target": "le télétravail"}
    assert ev.micro_f1 == pytest.approx(12 / 17)
    with pytest.raises(TypeError, match="analysis="):
        evaluate(gold, analysis=analysis, target="le télétravail")


# -- gold files ---------------------------------------------------------------------------------
def test_read_gold_json_and_texts_folder(tmp_path):
    texts = tmp_path / "textes"
    texts.mkdir()
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps([{"id": "a", "stance": "neutral", "sentences": []},
                                {"id": "b", "file": "b.md", "sentences": [{"text": "Admettons.", "labels": ["concession"]}]}]),
                    encoding="utf-8")
    a, b = read_gold(gold, texts=texts)
    assert a.path == (texts / "a.txt").resolve() and a.stance == "neutral"
    assert b.path == (tmp_path / "b.md").resolve() and b.stance is None and b.line == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"id": "x", "sentences": []}\n{"id": "y", "sentences": [\n', "line 2"),
        ('{"id": "x"}\n', 'no "sentences"'),
        ('{"sentences": []}\n', 'no "id"'),
        ('{"id": "x", "sentences": [{"text": "Oui."}]}\n', '"labels"'),
        ('[1, 2]\n', "JSON object"),
        ("\n\n", "no gold record"),
    ],
)
def test_malformed_gold(tmp_path, content, message):
    gold = tmp_path / "bad.gold.jsonl"
    gold.write_text(content, encoding="utf-8")
    with pytest.raises(GoldFormatError, match=message) as info:
        read_gold(gold)
    assert "\n" not in str(info.value)


def test_missing_files(tmp_path, corpus):
    with pytest.raises(SourceNotFoundError, match="Gold file not found"):
        evaluate(tmp_path / "absent.gold.jsonl")
    gold = tmp_path / "orphan.gold.jsonl"
    gold.write_text(json.dumps({"id": "x", "file": "nulle-part.txt", "sentences": []}), encoding="utf-8")
    with pytest.raises(SourceNotFoundError, match="nulle-part.txt"):
        evaluate(gold)


# -- command line -------------------------------------------------------------------------------
def test_cli_missing_gold(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path / "absent.gold.jsonl")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("discours: error: gold file not found") and "\n" not in err


def test_cli_malformed_gold(tmp_path, capsys):
    gold = tmp_path / "bad.gold.jsonl"
    gold.write_text('{"id": "x", "sentences": [}\n', encoding="utf-8")
    assert main(["evaluate", str(gold)]) == 1
    err = capsys.readouterr().err.strip()
    assert "Malformed gold file" in err and "line 1" in err and "\n" not in err


def test_cli_bad_options(corpus, capsys):
    gold, _ = corpus
    assert main(["evaluate", str(gold), "--show", "-1"]) == 2
    assert main(["evaluate", str(gold), "--texts", str(gold.parent / "absent")]) == 1


@pytest.mark.parametrize("as_json", [False, True])
def test_cli_success(corpus, monkeypatch, capsys, as_json):
    gold, analysis = corpus
    monkeypatch.setattr("discours.api.analyze", lambda paths, **kwargs: analysis)
    assert main(["evaluate", str(gold), "--show", "2"] + (["--json"] if as_json else [])) == 0
    out = capsys.readouterr().out
    if as_json:
        assert json.loads(out)["micro"]["f1"] == pytest.approx(12 / 17)
    else:
        assert "objections on hard negatives: 1" in out


# -- agreement with the external scorer -----------------------------------------------------------
@pytest.mark.slow
def test_seed_agrees_with_score_gold():
    if not SEED_GOLD.exists() or not SCORER.exists():
        pytest.skip("../shared/calibration/seed.gold.json or ../shared/tools/score_gold.py is not available here")
    done = subprocess.run([sys.executable, str(SCORER), str(SEED_GOLD), "--json"], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    expected = json.loads(done.stdout)
    ev = evaluate(SEED_GOLD)
    assert ev.micro_f1 == pytest.approx(expected["micro"]["f1"], abs=1e-9)
    got = ev.to_dict()
    for label, m in expected["labels"].items():
        assert got["labels"][label]["f1"] == pytest.approx(m["f1"], abs=1e-9), label
        assert got["labels"][label]["support"] == m["support"], label
    assert got["objection_category_accuracy"] == pytest.approx(expected["objection_category_accuracy"], abs=1e-9)
    assert got["stance_accuracy"] == pytest.approx(expected["stance_accuracy"], abs=1e-9)
    assert got["hard_negative_objections"] == expected["hard_negative_objections"]
    assert len(got["misses"]) == len(expected["misses"]) and len(got["false_alarms"]) == len(expected["false_alarms"])
