"""A corpus written in four lexical worlds (cooking, sailing, gardening, computing), as tables.

Each document holds one hand-written sentence of its world and sentences drawn from templates
filled with the world's nouns, verbs and adjectives and a few words common to every world.

No spaCy: a regex tokeniser, lower-cased forms as lemmas and a small list of grammatical words
(tagged ``DET``), every other word tagged ``NOUN``: the classification, not the model, is tested.
"""
from __future__ import annotations

import random
import re
from typing import Any

WORLDS: dict[str, list[str]] = {
    "cuisine": [
        "La cuisinière verse la farine et le beurre dans un grand saladier.",
        "Il faut battre les oeufs avec le sucre avant de les ajouter à la pâte.",
        "Le gâteau cuit au four pendant quarante minutes à feu doux.",
        "On sale la sauce, on poivre la viande et on goûte le bouillon.",
        "La recette demande du lait, de la crème et une pincée de sel.",
        "Le chef découpe les légumes puis fait revenir les oignons dans la poêle.",
        "Pour la tarte, étalez la pâte et garnissez-la de pommes et de cannelle.",
        "Le dessert se sert tiède, avec une cuillère de crème fouettée.",
        "Faites fondre le chocolat au bain-marie et mélangez avec le beurre.",
        "La soupe mijote dans la marmite avec les carottes et les poireaux.",
    ],
    "voile": [
        "Le voilier quitte le port à marée haute sous un vent de nord-ouest.",
        "Le skipper borde la grand-voile et le foc pour remonter au vent.",
        "La houle grossit au large et l'équipage prend un ris dans la voile.",
        "Le navigateur trace la route sur la carte marine avec le compas.",
        "Au mouillage, on jette l'ancre dans une crique abritée de la houle.",
        "La régate part de la bouée et les bateaux tirent des bords vers le cap.",
        "Le barreur tient la barre pendant que le matelot hisse le spinnaker.",
        "Le vent forcit, la mer se creuse et le bateau gîte sous les rafales.",
        "Les marins vérifient le gréement, les haubans et les écoutes avant la traversée.",
        "La marée descend et le chenal du port devient dangereux pour la quille.",
    ],
    "jardin": [
        "Le jardinier sème les graines de tomates dans le potager au printemps.",
        "Il faut arroser les salades le soir et biner la terre autour des semis.",
        "Les rosiers se taillent en mars, juste au-dessus d'un bourgeon.",
        "Le compost nourrit le sol et les vers de terre aèrent les racines.",
        "On repique les plants de courgettes quand les gelées sont passées.",
        "La haie fleurit en mai et les abeilles butinent les fleurs du verger.",
        "Le paillage garde l'humidité de la terre et limite les mauvaises herbes.",
        "Les pommiers du verger donnent des fruits si on taille les branches.",
        "La bêche retourne la terre lourde avant de planter les bulbes de tulipes.",
        "Les limaces dévorent les jeunes pousses de laitue après la pluie.",
    ],
    "informatique": [
        "Le développeur compile le programme et corrige les erreurs du code.",
        "Le serveur répond aux requêtes du navigateur grâce à une base de données.",
        "Il faut mettre à jour le logiciel pour corriger la faille de sécurité.",
        "L'algorithme trie les fichiers et enregistre le résultat sur le disque.",
        "Le réseau de l'entreprise relie les ordinateurs au serveur central.",
        "Le programmeur écrit une fonction qui lit les données du fichier.",
        "La mémoire du processeur sature quand le logiciel ouvre trop de fenêtres.",
        "On sauvegarde la base de données chaque nuit sur un disque externe.",
        "Le clavier et l'écran se branchent sur l'ordinateur portable.",
        "Le script télécharge les fichiers puis compresse les données du serveur.",
    ],
}

#: the vocabulary of each world: nouns, verbs (3rd person), adjectives
LEXICON: dict[str, tuple[list[str], list[str], list[str]]] = {
    "cuisine": ("farine beurre saladier oeufs sucre pâte gâteau four sauce viande bouillon recette lait crème "
                "légumes oignons poêle tarte cannelle chocolat marmite carottes".split(),
                "verse bat cuit sale goûte découpe mélange fait_fondre étale mijote".split(),
                "tiède sucré onctueux croustillant doré fondant".split()),
    "voile": ("voilier port marée vent skipper foc houle équipage ris carte compas ancre crique régate bouée cap "
              "barre matelot spinnaker mer rafales gréement haubans quille chenal".split(),
              "borde hisse remonte mouille gîte navigue affale tire_des_bords barre vire".split(),
              "marin abrité venté houleux salé rapide".split()),
    "jardin": ("jardinier graines tomates potager salades terre semis rosiers bourgeon compost sol racines plants "
               "courgettes haie abeilles verger paillage herbes pommiers bêche bulbes limaces laitue".split(),
               "sème arrose bine taille repique paille plante récolte butine bêche".split(),
               "fleuri fertile humide printanier potager fruitier".split()),
    "informatique": ("développeur programme code serveur requêtes navigateur base données logiciel faille fichiers "
                     "disque réseau ordinateurs fonction mémoire processeur fenêtres clavier écran script algorithme".split(),
                     "compile corrige installe sauvegarde télécharge compresse exécute programme trie configure".split(),
                     "numérique rapide sécurisé externe informatique portable".split()),
}
#: words of every world (the worlds are clearly different, not disjoint)
COMMON = "jour semaine matin fois travail idée moment vie".split()
TEMPLATES = [
    "Ce {c}, le {n1} {v} la {n2} et le {n3} {a}.",
    "Le {n1} {v} souvent le {n2} {a} avec le {n3}, un {c} comme un autre.",
    "Chaque {c}, on {v} le {n1} près du {n2} puis du {n3}.",
    "Il faut que le {n1} {a} {v} le {n2} avant le {n3} du {c}.",
]


def sentence(rng: random.Random, world: str) -> str:
    """A sentence of the world: a template filled with its words."""
    nouns, verbs, adjectives = LEXICON[world]
    n1, n2, n3 = rng.sample(nouns, 3)
    text = rng.choice(TEMPLATES).format(n1=n1, n2=n2, n3=n3, v=rng.choice(verbs), a=rng.choice(adjectives),
                                        c=rng.choice(COMMON))
    return text.replace("_", " ")


GRAMMAR = set("""le la les l' un une des du de d' au aux à a et ou puis avec dans sur sous pour par en
quand si se s' on il elle ils qui que qu' quand est sont avant après pendant vers autour juste
trop chaque grâce leur son sa ses ce cette ces y n' ne pas plus faut souvent comme autre près""".split())
TOKEN_RE = re.compile(r"[\w-]+'|[\w-]+|[^\w\s]")


def build(n_docs_per_world: int = 25, sentences_per_doc: int = 4, *, seed: int = 0) -> tuple[Any, list[str]]:
    """An Analysis of ``4 × n_docs_per_world`` documents, and the world of each document."""
    from discours.analysis import Analysis
    from discours.tables import frame

    rng = random.Random(seed)
    documents, sentences, tokens, truth = [], [], [], []
    names = list(WORLDS)
    for i in range(n_docs_per_world * len(names)):
        world = names[i % len(names)]
        doc_id = f"d{i:03d}"
        # one hand-written sentence, the others drawn from the world's vocabulary
        sents = [rng.choice(WORLDS[world])] + [sentence(rng, world) for _ in range(sentences_per_doc - 1)]
        text = " ".join(sents)
        pos = 0
        for sid, s in enumerate(sents):
            start = text.index(s, pos)
            pos = start + len(s)
            sentences.append({"doc_id": doc_id, "sent_id": sid, "block": "paragraph", "text": s,
                              "start_char": start, "end_char": pos, "n_tokens": 0})
            for m in TOKEN_RE.finditer(s):
                form = m.group()
                low = form.lower()
                punct = not re.match(r"\w", form)
                tokens.append({"doc_id": doc_id, "sent_id": sid, "token_id": len(tokens), "text": form, "lemma": low,
                               "pos": "PUNCT" if punct else ("DET" if low in GRAMMAR else "NOUN"),
                               "start_char": start + m.start(), "end_char": start + m.end(), "is_stop": False,
                               "is_punct": punct})
        stance = ("favor", "against", "neutral")[i % 3]
        documents.append({"doc_id": doc_id, "post_id": doc_id, "part": "post" if i % 2 == 0 else "comment",
                          "author": world.capitalize(), "date": f"{2010 + i % 3}-01-01", "stance": stance,
                          "text": text, "n_sentences": len(sents)})
        truth.append(world)
    tables = {"documents": frame("documents", documents), "sentences": frame("sentences", sentences),
              "tokens": frame("tokens", tokens)}
    return Analysis(tables), truth


def adjusted_rand_index(a: list[Any], b: list[Any]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings (no scikit-learn)."""
    from math import comb

    import numpy as np

    _, ia = np.unique(np.asarray(a, dtype=str), return_inverse=True)
    _, ib = np.unique(np.asarray(b, dtype=str), return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1), dtype=np.int64)
    np.add.at(table, (ia, ib), 1)
    index = sum(comb(int(x), 2) for x in table.ravel())
    rows = sum(comb(int(x), 2) for x in table.sum(axis=1))
    cols = sum(comb(int(x), 2) for x in table.sum(axis=0))
    expected = rows * cols / comb(len(ia), 2)
    top = (rows + cols) / 2
    return 1.0 if top == expected else float((index - expected) / (top - expected))
