"""Tokens and sentence boundaries on hard French blog cases."""
from __future__ import annotations

import pytest
import spacy

from discours.corpus.model import Block, Document
from discours.pipeline.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("fr")
    customize_tokenizer(nlp)
    return nlp


@pytest.mark.parametrize(
    "text, token",
    [
        ("Suivez #MediasSociaux cette semaine", "#MediasSociaux"),
        ("Merci @julie_tremblay pour le partage", "@julie_tremblay"),
        ("Tout est là : https://exemple.qc.ca/blogue/billet?id=12 à lire", "https://exemple.qc.ca/blogue/billet?id=12"),
        ("Quelle journée !!! Vraiment.", "!!!"),
        ("Vous croyez ?! Moi non.", "?!"),
        ("On verra bien :-) promis", ":-)"),
        ("Bien joué ;) à demain", ";)"),
        ("Trop drôle xD franchement", "xD"),
        ("Bravo 👍 et merci", "👍"),
        ("les employé·e·s sont d'accord", "employé·e·s"),
        ("Et le hashtag #RP2024, tu l'as vu ?", "#RP2024"),
    ],
)
def test_social_tokens_stay_whole(blank, text, token):
    assert token in [t.text for t in blank(text)]


def _sentences(nlp, blocks: list[Block]) -> list[str]:
    from discours.api import _to_spacy
    from discours.pipeline.extensions import sentence_bounds

    document = Document.from_blocks("t", blocks)
    doc = nlp(_to_spacy(nlp, document))
    return [doc[s:e].text for s, e in sentence_bounds(doc)]


@pytest.mark.slow
@pytest.mark.parametrize(
    "blocks, expected",
    [
        # a heading is never glued to the next paragraph
        ([Block("heading", "Pourquoi les PME hésitent"), Block("paragraph", "Elles manquent de temps. Et de budget.")],
         ["Pourquoi les PME hésitent", "Elles manquent de temps.", "Et de budget."]),
        # each list item is exactly one unit, even with inner punctuation
        ([Block("paragraph", "Les objections :"), Block("list_item", "le coût. Encore le coût"), Block("list_item", "la peur du « bad buzz »")],
         ["Les objections :", "le coût. Encore le coût", "la peur du « bad buzz »"]),
        # no split inside a short quotation, nor before «
        ([Block("paragraph", "Mon patron m'a dit « Non. Jamais. Pas chez nous. » et il est parti.")],
         ["Mon patron m'a dit « Non. Jamais. Pas chez nous. » et il est parti."]),
        ([Block("paragraph", "La semaine passée, en jasant avec des « experts du web » en France, le sujet est revenu.")],
         ["La semaine passée, en jasant avec des « experts du web » en France, le sujet est revenu."]),
        # !!! is one token and does not split
        ([Block("paragraph", "C'est génial !!! Vraiment, bravo.")], ["C'est génial !!!", "Vraiment, bravo."]),
        # elision with typographic apostrophe (normalised) stays in its sentence
        ([Block("paragraph", "J'imagine qu'ils ont ri. J'aurais fait pareil.")], ["J'imagine qu'ils ont ri.", "J'aurais fait pareil."]),
        # an address before a comma is not a sentence
        ([Block("paragraph", "Julie, pour être honnête, je ne suis pas convaincu.")], ["Julie, pour être honnête, je ne suis pas convaincu."]),
    ],
)
def test_sentences_respect_structure(nlp, blocks, expected):
    assert _sentences(nlp, blocks) == expected


@pytest.mark.slow
def test_memoised_lemmatizer_gives_the_stock_lemmas(nlp):
    """The set-based rule lookups must reproduce spaCy's French rule lemmatizer exactly."""
    stock = spacy.load("fr_core_news_sm", exclude=["ner"])
    texts = [
        "Les PME hésitaient à ouvrir une page : elles craignaient les commentaires négatifs.",
        "Nos conseillères ont publié trois vidéos, et les abonnés les ont partagées aussitôt.",
        "Faudrait-il que la mairie réponde aux internautes mécontents pendant les week-ends ?",
        "Il n'y a jamais eu autant d'entreprises présentes sur LinkedIn qu'aujourd'hui.",
    ]
    for theirs, ours in zip(stock.pipe(texts), nlp.pipe(texts)):
        assert [(t.text, t.lemma_) for t in ours] == [(t.text, t.lemma_) for t in theirs]
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert type(lemmatizer).__name__ == "MemoFrenchLemmatizer"
    assert lemmatizer.lemmatize.__func__ is type(lemmatizer).rule_lemmatize  # our set lookups run


@pytest.mark.slow
def test_array_attribute_ruler_gives_the_stock_tags():
    """Tags, POS, morphology and dependencies of whitespace tokens as spaCy's own ruler sets them."""
    from discours.pipeline.attributes import vectorize_attribute_ruler

    stock = spacy.load("fr_core_news_sm", exclude=["ner"])
    fast = spacy.load("fr_core_news_sm", exclude=["ner"])
    assert vectorize_attribute_ruler(fast)
    texts = [
        "Pourquoi notre mairie a fermé sa page Facebook\n\nLes commentaires  haineux se multipliaient.\n",
        "- Pas le temps\n- Pas de budget\n\n\n  Et pourtant, 62 % des PME y sont ! #communication @Chloé :)",
        "\n", "",
    ]
    def attrs(doc):
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.dep_, t.lemma_) for t in doc]

    for theirs, ours in zip(stock.pipe(texts), fast.pipe(texts)):
        assert attrs(ours) == attrs(theirs)
    assert any(t.tag_ == "SPACE" for t in fast(texts[0]))  # the whitespace rules ran
    # another model's patterns keep the stock component
    stock.get_pipe("attribute_ruler").add([[{"LOWER": "linkedin"}]], {"TAG": "PROPN"})
    assert not vectorize_attribute_ruler(stock)


def test_sentence_bounds_follow_the_sentence_starts(blank):
    from discours.pipeline.extensions import sentence_bounds

    doc = blank("Pas de budget.  Pas de temps. Et alors ?")
    for token in doc:
        token.is_sent_start = token.i == 0 or doc[token.i - 1].text in {".", "?"}
    # whitespace tokens are trimmed from the sentences, as in the sentences table
    assert [doc[s:e].text for s, e in sentence_bounds(doc)] == ["Pas de budget.", "Pas de temps.", "Et alors ?"]


def test_token_lists_are_shared_across_a_batch_and_see_later_annotations(blank):
    """``nlp.pipe`` runs each component over a whole batch before the next: a Doc's token list,
    built by the sentence splitter, is reused by the rule components after parsing, and reads the
    annotations set since; a retokenized Doc gets a fresh list."""
    from discours.pipeline.cues import doc_keys, doc_text, doc_tokens

    docs = [blank(f"L’équipe {i} hésite encore.") for i in range(300)]
    first = [doc_tokens(d) for d in docs]
    assert all(doc_tokens(d) is toks for d, toks in zip(docs, first))  # a batch of 300 short Docs stays
    docs[0][1].lemma_ = "équipe"  # set after the list was built, as the parser and lemmatizer do
    assert doc_tokens(docs[0])[1].lemma_ == "équipe"
    assert doc_keys(docs[0])[0] == "l'" and doc_text(docs[0]) == docs[0].text
    with docs[1].retokenize() as retok:
        retok.merge(docs[1][0:2])
    assert [t.text for t in doc_tokens(docs[1])] == [t.text for t in docs[1]] and len(doc_tokens(docs[1])) == len(docs[1])
