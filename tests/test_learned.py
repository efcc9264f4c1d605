"""The learned argument layer: weights format, web gold as facts, the component, training."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "gold" / "web"
GUARD = ROOT.parent / "shared" / "tools" / "heldout_guard.py"
LABELS = ("objection", "rebuttal", "concession", "rhetorical_question", "authority", "example", "attributed")


# -- weights -------------------------------------------------------------------------------------
def test_linear_model_round_trip_as_arrays(tmp_path):
    from discours.learn.linear import LinearModel

    m = LinearModel("démo", ["objection", "example"], ["l=coût", "l=client", "b=trop_cher"],
                    np.array([[2.0, -0.5], [-1.0, 0.25], [1.5, 0.0]]), np.array([-1.0, 0.0]), np.array([0.4, 0.6]))
    m.save(tmp_path, "labels")
    # arrays only: a model folder someone sends must not run their code
    with np.load(tmp_path / "labels.npz", allow_pickle=False) as arrays:
        assert set(arrays.files) == {"weights", "bias"}
    back = LinearModel.load(tmp_path, "labels")
    feats = [["l=coût", "b=trop_cher"], ["l=client"], []]
    assert np.allclose(back.proba(feats), m.proba(feats), atol=1e-3)
    assert back.thresholds.tolist() == pytest.approx([0.4, 0.6])
    assert back.evidence(["l=client", "l=coût", "b=trop_cher"], 0) == [("l=coût", 2.0), ("b=trop_cher", 1.5)]
    assert back.proba([["l=coût"]])[0, 0] > back.proba([["l=client"]])[0, 0]


def test_softmax_model_sums_to_one():
    from discours.learn.linear import LinearModel

    m = LinearModel("stance", ["favor", "against", "neutral"], ["d:l=quitter"], np.array([[-1.0, 2.0, 0.0]]),
                    np.zeros(3), kind="softmax")
    p = m.proba([["d:l=quitter"], []])
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0].argmax() == 1 and np.allclose(p[1], 1 / 3)



def test_tfidf_model_scores_as_scikit_learn_transform_then_weights(tmp_path):
    from sklearn.feature_extraction.text import TfidfTransformer

    from discours.learn.linear import LinearModel
    from discours.learn.train import matrix

    vocab = ["d:l=client", "d:l=quitter", "d:l=réseau", "d:l=visibilité"]
    docs = [["d:l=quitter", "d:l=réseau"], ["d:l=client", "d:l=réseau", "d:l=visibilité"], ["d:l=réseau"],
            ["d:l=quitter", "d:l=inconnu"]]
    tfidf = TfidfTransformer(norm="l2").fit(matrix(docs, vocab))
    W = np.array([[0.5, -0.2, 0.0], [-1.0, 2.0, 0.1], [0.1, 0.1, 0.1], [1.2, -0.4, 0.0]])
    b = np.array([0.1, -0.1, 0.0])
    m = LinearModel("stance", ["favor", "against", "neutral"], vocab, W, b, kind="softmax", scale=tfidf.idf_, norm="l2")
    expected = np.asarray(tfidf.transform(matrix(docs, vocab)) @ W) + b
    assert np.allclose(m.logits(docs), expected, atol=1e-5)
    m.save(tmp_path, "stance")
    back = LinearModel.load(tmp_path, "stance")
    assert back.norm == "l2" and np.allclose(back.logits(docs), expected, atol=1e-2)
    # a rare word weighs by its idf: the evidence names 'quitter' for against
    assert back.evidence(["d:l=quitter", "d:l=réseau"], 1)[0][0] == "d:l=quitter"


def test_sublinear_term_frequencies_score_as_scikit_learn(tmp_path):
    """A post that comes back to 'quitter' in three sentences weighs it 1 + ln 3, as
    ``TfidfTransformer(sublinear_tf=True)`` does; saved and read back the same."""
    from sklearn.feature_extraction.text import TfidfTransformer

    from discours.learn.linear import LinearModel
    from discours.learn.train import matrix

    vocab = ["d:l=client", "d:l=quitter", "d:l=réseau"]
    docs = [["d:l=quitter"] * 3 + ["d:l=réseau"], ["d:l=client", "d:l=réseau", "d:l=réseau"], ["d:l=quitter", "d:l=réseau"]]
    counts = matrix(docs, vocab, counts=True)
    assert counts.toarray()[0].tolist() == [0.0, 3.0, 1.0] and matrix(docs, vocab).toarray()[0].tolist() == [0.0, 1.0, 1.0]
    tfidf = TfidfTransformer(norm="l2", sublinear_tf=True).fit(counts)
    W = np.array([[0.5, -0.2, 0.0], [-1.0, 2.0, 0.1], [0.1, 0.1, 0.1]])
    b = np.array([0.1, -0.1, 0.0])
    m = LinearModel("stance", ["favor", "against", "neutral"], vocab, W, b, kind="softmax", scale=tfidf.idf_,
                    norm="l2", tf="sublinear")
    expected = np.asarray(tfidf.transform(counts) @ W) + b
    assert np.allclose(m.logits(docs), expected, atol=1e-5)
    # repeating a word moves the score only when the model reads frequencies
    once = LinearModel("stance", ["favor", "against", "neutral"], vocab, W, b, kind="softmax", scale=tfidf.idf_, norm="l2")
    assert not np.allclose(once.logits(docs[:1]), expected[:1], atol=1e-3)
    m.save(tmp_path, "stance")
    back = LinearModel.load(tmp_path, "stance")
    assert back.tf == "sublinear" and np.allclose(back.logits(docs), expected, atol=1e-2)
    with pytest.raises(ValueError, match="tf must be"):
        LinearModel("x", ["a"], ["f"], np.zeros((1, 1)), np.zeros(1), tf="log")


def test_document_features_count_a_lemma_once_per_sentence():
    import spacy

    from discours.pipeline.extensions import register_extensions
    from discours.pipeline.features import document_features

    register_extensions()
    doc = spacy.blank("fr")("Nous quittons Twitter. Nous quittons Twitter, vraiment Twitter. Bonne soirée.")
    for tok in doc:
        tok.lemma_ = tok.lower_
        tok.is_sent_start = tok.i == 0 or doc[tok.i - 1].text == "."
    feats = document_features(doc)
    assert feats.count("d:l=twitter") == 2 and feats.count("d:l=nous") == 2 and feats.count("d:l=soirée") == 1

def test_loading_a_folder_that_is_not_a_model_says_what_to_do(tmp_path):
    from discours.errors import DiscoursError
    from discours.learn.model import ArgumentModel

    with pytest.raises(DiscoursError, match="train-arguments"):
        ArgumentModel.load(tmp_path)


def test_shipped_model_has_its_card_and_fits_the_budget():
    from discours.learn.model import ArgumentModel
    from discours.learn.model import default_model_path

    folder = default_model_path()
    size = sum(f.stat().st_size for f in folder.iterdir())
    assert size < 30 * 2**20
    model = ArgumentModel.load(folder)
    assert tuple(model.labels.outputs) == LABELS
    assert model.context is not None and model.stance is not None
    cv = model.meta["cross_validation"]
    # the shipped weights say how they were measured, and beat the rules they sit beside
    assert cv["model"]["micro"]["f1"] > cv["rules"]["micro"]["f1"]
    assert set(model.combine) == set(LABELS)
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "Cross-validation by site" in card and model.meta["date"] in card


def test_categories_prefer_a_named_barrier_and_the_rules_when_plausible():
    from discours.learn.model import ranked_categories

    outputs = ["cost_resources", "time", "other"]
    assert ranked_categories(np.array([0.3, 0.1, 0.5]), outputs, 0.35)[0] == "cost_resources"
    assert ranked_categories(np.array([0.05, 0.1, 0.9]), outputs, 0.35)[0] == "other"
    assert ranked_categories(np.array([0.3, 0.5, 0.0]), outputs, 0.35, rule="cost_resources")[0] == "cost_resources"
    assert ranked_categories(np.array([0.1, 0.7, 0.0]), outputs, 0.35, rule="cost_resources")[0] == "time"


def test_second_category_stage_reads_the_documents_other_objections():
    """An ambiguous objection ("on y perd son âme") takes the category of the post's other
    objections: 'other' among ethical reasons to leave X, 'loss_of_control' among reach worries."""
    from discours.learn.linear import LinearModel
    from discours.learn.model import ArgumentModel

    labels = LinearModel("m", list(LABELS), ["l=quitter", "l=algorithme", "l=âme"],
                         np.array([[3.0] + [0.0] * 6, [3.0] + [0.0] * 6, [3.0] + [0.0] * 6]), np.full(7, -1.0))
    cats = ["loss_of_control", "other"]
    first = LinearModel("m.categories", cats, ["l=quitter", "l=algorithme"], np.array([[-2.0, 2.0], [2.0, -2.0]]),
                        np.zeros(2))
    second = LinearModel("m.categories", cats, ["dc:other=8", "dc:loss_of_control=8"],
                         np.array([[-3.0, 3.0], [3.0, -3.0]]), np.zeros(2))
    model = ArgumentModel(labels, first, None, {}, categories_context=second)
    ethics = [["l=quitter"], ["l=quitter"], ["l=âme"]]
    reach = [["l=algorithme"], ["l=algorithme"], ["l=âme"]]
    assert model.document_categories(ethics, [2])[0][0] == "other"
    assert model.document_categories(reach, [2])[0][0] == "loss_of_control"
    # without the second stage the ambiguous sentence gets one category whatever its post says
    plain = ArgumentModel(labels, first, None, {})
    assert plain.document_categories(ethics, [2]) == plain.document_categories(reach, [2])


def test_second_category_stage_reads_the_documents_lemmas():
    """"On s'en va" is an ethical objection (`other`) in a post about X's owner, a cost one in a
    post about the agency's budget, even when no other sentence of the post is an objection."""
    from discours.learn.linear import LinearModel
    from discours.learn.model import ArgumentModel, document_lemmas

    labels = LinearModel("m", list(LABELS), ["l=partir"], np.array([[3.0] + [0.0] * 6]), np.full(7, -1.0))
    cats = ["cost_resources", "other"]
    first = LinearModel("m.categories", cats, ["l=partir"], np.array([[0.0, 0.0]]), np.zeros(2))
    second = LinearModel("m.categories", cats, ["d:l=musk", "d:l=budget"], np.array([[-3.0, 3.0], [3.0, -3.0]]),
                         np.zeros(2))
    model = ArgumentModel(labels, first, None, {}, categories_context=second)
    owner = [["l=musk", "l=racheter"], ["l=partir"]]
    money = [["l=budget", "l=agence"], ["l=partir"]]
    assert document_lemmas(owner) == ["d:l=musk", "d:l=partir", "d:l=racheter"]
    assert model.document_categories(owner, [1])[0][0] == "other"
    assert model.document_categories(money, [1])[0][0] == "cost_resources"


def test_vector_features_bucket_each_dimension_by_training_quantiles():
    from discours.learn.model import vector_buckets, vector_edges, vector_features

    train = np.array([[float(i), -float(i)] for i in range(10)], dtype=np.float32)
    edges = vector_edges(train, 5)
    assert edges.shape == (4, 2) and edges.dtype == np.float32
    # each fifth of the training values falls in its own bucket, on both dimensions
    assert vector_buckets(train, edges)[:, 0].tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert vector_buckets(train, edges)[:, 1].tolist() == [4, 4, 3, 3, 2, 2, 1, 1, 0, 0]
    assert vector_features(np.array([[100.0, 100.0]]), edges) == [["tv0=4", "tv1=4"]]


def _vector_model():
    """A first stage where only the fifth bucket of dimension 0 says "rhetorical question"."""
    from discours.learn.linear import LinearModel
    from discours.learn.model import ArgumentModel

    weights = np.zeros((2, 7))
    weights[1, LABELS.index("rhetorical_question")] = 6.0
    labels = LinearModel("m", list(LABELS), ["l=pourquoi", "tv0=4"], weights, np.full(7, -3.0))
    cats = LinearModel("m.categories", ["other"], ["l=pourquoi"], np.zeros((1, 1)), np.zeros(1))
    edges = np.array([[0.1, 0.1], [0.2, 0.2], [0.3, 0.3], [0.4, 0.4]], dtype=np.float32)
    return ArgumentModel(labels, cats, None, {}, vector_edges=edges)


def test_label_model_reads_sentence_vectors_and_keeps_them_when_saved(tmp_path):
    from discours.learn.model import ArgumentModel

    model = _vector_model()
    feats = [["l=pourquoi"], ["l=pourquoi"]]
    vectors = np.array([[0.9, 0.0], [0.0, 0.9]], dtype=np.float32)
    rq = LABELS.index("rhetorical_question")
    probs = model.sentence_probs(feats, vectors=vectors)
    assert probs[0, rq] > 0.9 and probs[1, rq] < 0.1
    # without vectors, or with vectors of another width (another pipeline), each vector feature
    # counts at its average over the buckets (each holds a fifth of the training sentences)
    average = 1 / (1 + np.exp(-(-3.0 + 6.0 / 5)))
    assert np.allclose(model.sentence_probs(feats)[:, rq], average, atol=1e-4)
    assert np.allclose(model.sentence_probs(feats, vectors=np.ones((2, 3), dtype=np.float32))[:, rq], average, atol=1e-4)
    loaded = ArgumentModel.load(model.save(tmp_path / "m"))
    assert np.array_equal(loaded.vector_edges, model.vector_edges)
    assert np.allclose(loaded.sentence_probs(feats, vectors=vectors), probs, atol=1e-3)
    # a model trained without vectors leaves no stale vectors file behind
    model.vector_edges = None
    model.save(tmp_path / "m")
    assert not (tmp_path / "m" / "vectors.npz").exists() and ArgumentModel.load(tmp_path / "m").vector_edges is None


def test_sentence_vectors_average_each_sentences_token_vectors():
    import spacy

    from discours.pipeline.features import sentence_vectors

    nlp = spacy.blank("fr")
    doc = nlp("Pourquoi pas ? Parce que.")
    assert sentence_vectors(doc) is None  # a blank pipeline leaves no tensor
    for i, token in enumerate(doc):
        token.is_sent_start = i in (0, 4)
    doc.tensor = np.arange(len(doc) * 2, dtype=np.float32).reshape(len(doc), 2)
    vectors = sentence_vectors(doc)
    assert vectors.shape == (2, 2)
    assert np.allclose(vectors[0], doc.tensor[0:4].mean(axis=0)) and np.allclose(vectors[1], doc.tensor[4:].mean(axis=0))


@pytest.mark.slow
def test_a_parse_read_back_without_its_tensor_gets_the_same_labels(nlp):
    """The parse cache stores Docs without their tensor: the learned layer re-runs on them with the
    sentence vectors kept in ``user_data``, and decides exactly as on the fresh parse."""
    from spacy.tokens import Doc

    from discours.api import ANALYSIS_COMPONENTS, _configure_target

    _configure_target(nlp, None, None, "default")
    text = ("Pourquoi une mairie irait-elle sur TikTok ? Beaucoup d'élus craignent les commentaires "
            "haineux. Pourtant, la page de la ville a aidé pendant les inondations.")
    fresh = nlp(text)
    back = Doc(nlp.vocab).from_bytes(fresh.to_bytes(exclude=["tensor"]))
    assert not back.tensor.size
    for name, proc in nlp.pipeline:
        if name in ANALYSIS_COMPONENTS:
            back = proc(back)
    rows = lambda d: [(s.start, s.end, s.label_, s.id_, s.kb_id_) for s in d.spans["discours_arguments"]]  # noqa: E731
    assert rows(back) == rows(fresh) and any(s.id_ == "model.arguments.v1" for s in fresh.spans["discours_arguments"])


def test_vetoes_keep_what_the_rules_ruled_out():
    from discours.learn.model import NEGATED, REQUEST, vetoed

    assert vetoed("objection", ["l=craindre", NEGATED])
    assert not vetoed("objection", ["l=craindre"])
    assert vetoed("attributed", ["l=demander", REQUEST])
    assert not vetoed("rebuttal", [NEGATED, REQUEST])


# -- web gold as facts -----------------------------------------------------------------------------
def _page(tmp_path: Path) -> tuple[Path, dict]:
    texts = tmp_path / "texts"
    texts.mkdir()
    text = ("Accueil > Blogue > Stratégie\n"
            "Pourquoi notre PME n’est pas sur TikTok\n"
            "On nous répète  qu’il faut y être.\n"
            "Mais notre clientèle a 60 ans et achète en boutique.\n")
    (texts / "w_demo.txt").write_text(text, encoding="utf-8")
    annotation = {"id": "w_demo", "url": "https://www.exemple-pme.fr/blogue/tiktok", "stance": "against",
                  "annotator": "test",
                  "sentences": [{"text": "On nous répète qu'il faut y être.", "labels": ["attributed"], "part": "post"},
                                {"text": "notre clientèle a 60 ans et achète en boutique.", "labels": ["objection", "rebuttal"],
                                 "part": "post", "objection_category": "audience_relevance"}]}
    return texts, annotation


def test_facts_hold_offsets_not_text_and_rebuild_the_gold(tmp_path):
    from discours.learn.webgold import read_web_gold, to_facts

    texts, annotation = _page(tmp_path)
    text = (texts / "w_demo.txt").read_text(encoding="utf-8")
    facts = to_facts(annotation, text)
    assert facts["site"] == "exemple-pme.fr"
    assert all("text" not in s for s in facts["sentences"])
    # typographic apostrophe and double space in the page: the offsets still cover the sentence
    first = facts["sentences"][0]
    assert text[first["start"]:first["end"]] == "On nous répète  qu’il faut y être."
    facts_file = tmp_path / "pages.jsonl"
    facts_file.write_text(json.dumps(facts, ensure_ascii=False) + "\n", encoding="utf-8")
    records, sites, unusable = read_web_gold(facts_file)
    assert not unusable and sites == {"w_demo": "exemple-pme.fr"}
    assert records[0].sentences[1]["text"] == "notre clientèle a 60 ans et achète en boutique."
    assert records[0].sentences[1]["objection_category"] == "audience_relevance"
    # a changed or missing text is reported, never silently used
    (texts / "w_demo.txt").write_text(text.replace("60", "70"), encoding="utf-8")
    assert [p.status for p in read_web_gold(facts_file)[2]] == ["changed"]
    (texts / "w_demo.txt").unlink()
    assert [p.status for p in read_web_gold(facts_file)[2]] == ["missing"]


def test_annotation_not_in_the_page_is_refused(tmp_path):
    from discours.errors import GoldFormatError
    from discours.learn.webgold import to_facts

    texts, annotation = _page(tmp_path)
    annotation["sentences"][0]["text"] = "Une phrase qui n'est pas dans la page."
    with pytest.raises(GoldFormatError, match="not found"):
        to_facts(annotation, (texts / "w_demo.txt").read_text(encoding="utf-8"))


def test_committed_web_gold_records_facts_only():
    for name in ("pages.jsonl", "double.jsonl"):
        path = WEB / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            assert {"url", "site", "sha1", "stance", "sentences"} <= set(rec)
            for s in rec["sentences"] + rec.get("unlabelled", []):
                assert "text" not in s and 0 <= s["start"] < s["end"] <= rec["chars"]


@pytest.mark.skipif(not GUARD.exists(), reason="../shared/tools/heldout_guard.py is not available here")
def test_no_recorded_page_comes_from_a_held_out_site():
    files = [str(WEB / n) for n in ("pages.jsonl", "double.jsonl") if (WEB / n).exists()]
    out = subprocess.run([sys.executable, str(GUARD), "--jsonl", *files], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-2000:]


def test_check_texts_names_the_missing_pages(tmp_path):
    out = subprocess.run([sys.executable, str(WEB / "tools" / "check_texts.py"), str(WEB / "pages.jsonl"),
                          "--texts", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 1
    assert "missing  w_" in out.stdout and "0 text(s) in place" in out.stdout


# -- the component ---------------------------------------------------------------------------------
TEXT = ("Nos clients nous disent que Facebook ne sert à rien pour une boulangerie. "
        "Pourtant, depuis un an, la moitié des commandes de gâteaux arrivent par Messenger. "
        "Certes, il faut répondre le soir. Mais qui refuserait dix commandes par semaine ?")


def _spans(nlp, text):
    doc = nlp(text)
    return doc, [(s.start, s.end, s.label_, s.id_, s.kb_id_) for s in doc.spans["discours_arguments"]]


def test_component_rows_are_rules_or_the_model_with_a_cue_inside_the_sentence():
    from discours.api import _configure_target
    from discours.pipeline import load_pipeline
    from discours.pipeline.arguments import RULES

    nlp = load_pipeline(blank=True)
    assert nlp.pipe_names.index("discours_argument_model") == nlp.pipe_names.index("discours_arguments") + 1
    _configure_target(nlp, None, None, "default")
    doc, spans = _spans(nlp, TEXT)
    assert spans
    for span, cue in zip(doc.spans["discours_arguments"], doc.spans["discours_cues"]):
        assert span.id_ in RULES or span.id_ == "model.arguments.v1"
        assert span.start <= cue.start < cue.end <= span.end
        assert (span.label_ == "objection") == bool(span.kb_id_)
    assert _spans(nlp, TEXT)[1] == spans  # deterministic
    # rules alone: the model's rows disappear, the rules' stay
    _configure_target(nlp, None, None, None)
    assert all(s[3] in RULES for s in _spans(nlp, TEXT)[1])
    _configure_target(nlp, None, None, "default")


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Les élus n'invoquent pas la réglementation quand on leur parle de la page de la mairie.",
    "Notre direction ne craint pas les critiques, elle sait y répondre en public.",
])
def test_negated_barriers_are_no_objection_with_the_model(nlp, text):
    from discours.api import _configure_target

    _configure_target(nlp, None, None, "default")
    doc = nlp(text)
    labels = {s.label_ for s in doc.spans["discours_arguments"]}
    assert "objection" not in labels


@pytest.mark.slow
def test_model_rows_name_the_model_and_the_words_that_weighed(tmp_path):
    import discours
    from discours.pipeline.arguments import RULES

    post = tmp_path / "billet.txt"
    post.write_text("Notre atelier et Instagram\n\nNous avons fermé le compte Instagram de l'atelier l'an dernier. "
                    "Trois heures par semaine pour une poignée de mentions j'aime, et pas une seule commande.\n",
                    encoding="utf-8")
    learned = discours.analyze(post, arguments_model="default")
    rules = discours.analyze(post, arguments_model=None)
    assert set(rules.arguments["rule"]) <= set(RULES)
    model_rows = learned.arguments[learned.arguments["rule"] == "model.arguments.v1"]
    assert len(model_rows) >= 1
    for row in model_rows.itertuples():
        assert row.cue and row.cue in row.text
    # the case told in the past is an example whichever way it was found
    assert "example" in set(learned.arguments["label"])


# -- training --------------------------------------------------------------------------------------
POSTS = {
    "pour": ("Pourquoi votre cabinet devrait être sur LinkedIn",
             ["Les associés me disent que LinkedIn ne rapporte rien.", "C'est faux.",
              "L'an dernier, trois mandats sont venus de nos publications.",
              "Certes, il faut y consacrer une heure par semaine.", "Mais aucun salon ne nous a autant apporté."]),
    "contre": ("Nous quittons Facebook",
               ["Notre page coûte une journée de travail par semaine.", "Les publications touchent de moins en moins de monde.",
                "La plateforme change ses règles sans prévenir.", "Nous garderons notre infolettre."]),
    "neutre": ("Ce que dit l'enquête sur les PME",
               ["Selon l'enquête de la chambre de commerce, 40 % des PME publient chaque semaine.",
                "Les dirigeants citent le manque de temps comme premier frein.", "Le rapport ne tranche pas."]),
}


def _gold(tmp_path: Path) -> Path:
    lines = []
    for k in range(2):
        for name, (title, sents) in POSTS.items():
            path = tmp_path / f"{name}{k}.txt"
            path.write_text(title + "\n\n" + "\n\n".join(sents) + "\n", encoding="utf-8")
            labelled = []
            for s in sents:
                labs = []
                if "disent" in s or "citent" in s:
                    labs = ["objection", "attributed"]
                elif any(w in s for w in ("coûte", "moins de monde", "règles")):
                    labs = ["objection"]
                elif s.startswith(("C'est faux", "Mais")):
                    labs = ["rebuttal"]
                elif s.startswith("Certes"):
                    labs = ["concession"]
                elif s.startswith(("L'an dernier", "Selon")):
                    labs = ["example"] if s.startswith("L'an") else ["authority"]
                if labs:
                    item = {"text": s, "labels": labs, "part": "post"}
                    if "objection" in labs:
                        item["objection_category"] = "time" if "temps" in s or "journée" in s else "loss_of_control"
                    labelled.append(item)
            stance = {"pour": "favor", "contre": "against", "neutre": "neutral"}[name]
            lines.append(json.dumps({"id": f"{name}{k}", "file": path.name, "stance": stance, "sentences": labelled},
                                    ensure_ascii=False))
    gold = tmp_path / "own.gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gold


@pytest.mark.slow
def test_train_arguments_command_saves_a_model_analyze_uses(tmp_path):
    import discours
    from discours.cli import main
    from discours.learn.model import ArgumentModel

    gold = _gold(tmp_path)
    out = tmp_path / "modele"
    assert main(["train-arguments", str(gold), "-o", str(out), "--folds", "2"]) == 0
    model = ArgumentModel.load(out)
    assert model.meta["n_records"] == 6 and (out / "README.md").exists()
    analysis = discours.analyze(tmp_path / "contre0.txt", arguments_model=out)
    assert len(analysis.sentences) >= 4
    assert set(analysis.arguments["label"]) <= set(LABELS)
    assert main(["train-arguments", str(tmp_path / "absent.jsonl"), "-o", str(out)]) != 0


@pytest.mark.skipif(not (WEB / "texts").is_dir(), reason="the real pages' texts (git-ignored gold/web/texts/) are not here")
def test_recorded_texts_match_their_sha1():
    from discours.learn.webgold import pages

    bad = [p.facts["id"] for p in pages(WEB / "pages.jsonl") if p.status != "ok"]
    assert not bad, f"texts missing or changed: {bad[:10]} (python gold/web/tools/check_texts.py)"


@pytest.mark.slow
def test_wheel_ships_the_weights_and_lexicons(tmp_path):
    """A wheel silently drops undeclared data files: build one and look inside."""
    import zipfile

    out = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(tmp_path)], capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {out.stderr[-300:]}")
    wheel = next(tmp_path.glob("discours-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for stem in ("labels", "context", "categories", "stance"):
        assert f"discours/models/arguments.v1/{stem}.npz" in names
        assert f"discours/models/arguments.v1/{stem}.json" in names
    assert "discours/models/arguments.v1/meta.json" in names
    assert "discours/models/arguments.v1/README.md" in names
    assert "discours/lexicons/arguments.v1.json" in names


# -- comment agreement ---------------------------------------------------------------------------
def test_reply_offsets_become_facts_and_must_be_in_the_page(tmp_path):
    from discours.errors import GoldFormatError
    from discours.learn.webgold import to_facts

    text = ("Faut-il fermer la page Facebook de la mairie ?\nLe conseil hésite.\n"
            "Marc : Surtout pas, c'est là que les habitants nous écrivent.\n"
            "Julie : Je suis d'accord avec Marc, on garderait le lien.\n")
    annotation = {"id": "w_fil", "url": "https://forum.exemple-commune.fr/t/12", "stance": "neutral", "sentences": [],
                  "comments": [{"start_text": "Surtout pas, c'est là", "stance": "favor", "agreement": "disagree"},
                               {"start_text": "Je suis d'accord avec Marc", "reply_to": 0, "stance": "favor",
                                "agreement": "disagree"}]}
    facts = to_facts(annotation, text)
    starts = [c["start"] for c in facts["comments"]]
    assert text[starts[0]:].startswith("Surtout pas") and text[starts[1]:].startswith("Je suis d'accord")
    assert facts["comments"][1]["reply_to"] == 0 and "start_text" not in facts["comments"][0]
    annotation["comments"][1]["start_text"] = "Je ne suis pas d'accord"
    with pytest.raises(GoldFormatError, match="comment start"):
        to_facts(annotation, text)


def test_agreement_model_reads_disputes_and_yields_to_rules_on_agree():
    from discours.learn.linear import LinearModel
    from discours.stance.agreement import combine_agreement, comment_features, predict_agreement

    feats = comment_features([{"sent_id": 0, "cue": "je ne suis pas d'accord", "kind": "disagree", "weight": 1.5,
                               "rule": "agreement.disagree.explicit.v1"}], -1, {"rebuttal"}, reply=False,
                             own_stance="against", post_stance="favor", n_sentences=3, opens_with_question=False)
    assert {"cue=disagree", "cue_strong=disagree", "first=disagree", "lab=rebuttal", "rel=-1"} <= set(feats)
    model = LinearModel("model.agreement.v1", ["agree", "disagree", "mixed", "none"], ["cue=disagree", "cue=agree"],
                        np.array([[-1.0, 2.0, 0.0, -1.0], [2.0, -1.0, 0.0, -1.0]]), np.zeros(4), kind="softmax")
    label, reason = predict_agreement(model, feats)
    assert label == "disagree" and reason.startswith("model.agreement.v1 (disagree") and "cue=disagree" in reason
    # the rules' reservation stands; the model's "agree" yields to the rules' disagreement
    assert combine_agreement("agree", "mixed") == "mixed" and combine_agreement("agree", "none") == "agree"
    assert combine_agreement("disagree", "mixed") == "mixed" and combine_agreement("none", "disagree") == "none"


@pytest.mark.slow
def test_agreement_is_learned_from_annotated_threads(tmp_path):
    import discours
    from discours.evaluation import read_gold
    from discours.learn.agreement import agreement_examples, fit_agreement, fit_model
    from discours.stance.agreement import thread_agreement

    records = read_gold(ROOT / "gold" / "quebec.gold.jsonl") + read_gold(ROOT / "gold" / "france.gold.jsonl")
    examples = agreement_examples(records, arguments_model=None)
    # every annotated reply of the team's threads pairs with a comment the reader found
    assert len(examples) == sum(len(r.comments) for r in records) > 80
    assert {e.gold for e in examples} >= {"agree", "disagree", "mixed"}
    model, figures = fit_agreement(examples)
    assert figures["n_threads"] >= 20 and figures["rules"]["n"] == len(examples)
    assert 0.0 <= figures["model"]["macro_f1"] <= 1.0 and figures["kept"] in ("model", "rules")
    # shipped only when it clearly beats the rules out of fold
    assert (model is not None) == (figures["kept"] == "model")
    if figures["kept"] == "model":
        assert figures["model"]["macro_f1"] >= figures["rules"]["macro_f1"] + 0.02
    table = thread_agreement(discours.analyze(ROOT / "corpus", arguments_model=None), fit_model(examples, 0.1))
    assert table["agreement_reason"].str.startswith("model.agreement.v1").any()
    assert set(table["agreement"]) <= {"agree", "disagree", "mixed", "none"}


def test_second_stage_reads_the_documents_stance_prior(tmp_path):
    """"On perd le contrôle" is an objection in a post that argues against being on X, and a
    point that the post answers in one for it: the second stage reads the document's stance from
    its words alone (the stance prior), the same whether the vocabularies are shared or not."""
    from discours.learn.linear import LinearModel
    from discours.learn.model import ArgumentModel, prior_features

    labels = LinearModel("m", list(LABELS), ["l=contrôle"], np.zeros((1, 7)), np.zeros(7))
    names = ["l=contrôle", "ds:against=4", "ds:favor=4"]
    weights = np.zeros((3, 7))
    weights[1, 0], weights[2, 0] = 3.0, -3.0
    context = LinearModel("m.context", list(LABELS), names, weights, np.zeros(7))
    prior = LinearModel("m.stance_prior", ["favor", "against", "neutral"], ["d:l=quitter", "d:l=visibilité"],
                        np.array([[-4.0, 4.0, 0.0], [4.0, -4.0, 0.0]]), np.zeros(3), kind="softmax", tf="sublinear")
    model = ArgumentModel(labels, labels, None, {}, context=context, stance_prior=prior)
    against = [["l=quitter"], ["l=quitter"], ["l=contrôle"]]
    favor = [["l=visibilité"], ["l=contrôle"]]
    against_lemmas = ["d:l=contrôle", "d:l=quitter", "d:l=quitter"]  # one per sentence that has it
    p_against, p_favor = model.prior(against_lemmas), model.prior(["d:l=contrôle", "d:l=visibilité"])
    assert "ds:against=4" in p_against and "ds:favor=4" in p_favor
    objection = LABELS.index("objection")
    assert model.sentence_probs(against, prior=p_against)[-1, objection] > 0.9
    assert model.sentence_probs(favor, prior=p_favor)[-1, objection] < 0.1
    assert model.sentence_probs(favor)[-1, objection] == pytest.approx(0.5)  # no prior: no opinion
    # a context model that does not extend the first stage's vocabulary reads the prior as strings
    unshared = LinearModel("m.context", list(LABELS), names[::-1], weights[::-1], np.zeros(7))
    other = ArgumentModel(labels, labels, None, {}, context=unshared, stance_prior=prior)
    assert np.allclose(other.sentence_probs(against, prior=p_against), model.sentence_probs(against, prior=p_against))
    model.save(tmp_path / "m")
    back = ArgumentModel.load(tmp_path / "m")
    assert back.stance_prior is not None and back.prior(against_lemmas) == p_against
    assert prior_features(np.array([0.2, 0.8, 0.0]), ["favor", "against", "neutral"]) == ["ds:favor=1", "ds:against=4", "ds:neutral=0"]


def test_a_label_can_take_its_own_regularisation():
    """Objections have the data for a weaker prior than the rarer labels: with a larger C, the
    same telling word weighs more for that label only."""
    from discours.learn.train import _fit_binary, matrix

    rows = [["l=coût", "l=page"], ["l=coût"], ["l=page"], ["l=client"]] * 5
    X = matrix(rows, ["l=client", "l=coût", "l=page"])
    y = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]] * 5)
    same, _ = _fit_binary(X, y, 0.1, nb_alpha=None)
    apart, _ = _fit_binary(X, y, [1.0, 0.1], nb_alpha=None)
    assert same[1, 0] == pytest.approx(same[1, 1])
    assert apart[1, 0] > apart[1, 1] + 0.5 and apart[1, 1] == pytest.approx(same[1, 1])
