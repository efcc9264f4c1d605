"""A small French blog served on 127.0.0.1 for the collect tests (nothing leaves the machine).

``LocalSite`` starts ``http.server`` in a thread on an ephemeral port and logs every request
with a server-side timestamp, so tests can check robots.txt, delays, retries and resumption.
"""
from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDPRESS = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Pourquoi les PME hésitent encore sur LinkedIn | Carnet numérique</title>
<meta name="author" content="Julie Tremblay">
<meta property="article:published_time" content="2021-05-04T08:15:00+02:00">
</head><body class="single">
<header class="site-header"><p class="site-title">Carnet numérique</p></header>
<nav><ul><li><a href="/blogue/">Accueil</a></li><li><a href="/blogue/brouillon/idee.html">Brouillon</a></li></ul></nav>
<main><article class="post">
<h1 class="entry-title">Pourquoi les PME hésitent encore sur LinkedIn</h1>
<div class="entry-content">
<p>Chaque mois, un dirigeant de PME me dit que LinkedIn ne sert qu'aux chercheurs d'emploi. Pourtant, ses clients y lisent chaque semaine les publications de ses concurrents.</p>
<h2>Trois objections entendues</h2>
<ul><li>nous n'avons pas le temps de publier;</li><li>nos clients ne sont pas sur les réseaux;</li><li>un commentaire négatif pourrait nuire à notre image.</li></ul>
<blockquote><p>« On ne contrôle pas ce que les gens disent de nous, alors autant ne rien dire. »</p></blockquote>
<p>Ces objections méritent une réponse sérieuse : le temps se planifie, les clients sont déjà là, et la critique existe avec ou sans page.</p>
<p><a href="/blogue/billet-2.html">Lire aussi : le temps, nerf de la guerre</a></p>
</div></article></main>
<div id="comments" class="comments-area"><h2 class="comments-title">2 réflexions</h2>
<ol class="commentlist">
<li class="comment" id="comment-21"><div class="comment-author"><cite class="fn">Marc Gagnon</cite></div>
<div class="comment-meta"><time datetime="2021-05-04T10:02:00+02:00">4 mai 2021</time></div>
<div class="comment-content"><p>Je ne suis pas d'accord : chez nous, LinkedIn n'a rien rapporté en deux ans.</p></div>
<ul class="children"><li class="comment" id="comment-22"><div class="comment-author"><cite class="fn">Julie Tremblay</cite></div>
<div class="comment-meta"><time datetime="2021-05-04T12:30:00+02:00">4 mai 2021</time></div>
<div class="comment-content"><p>Qu'avez-vous publié, et à quel rythme ? C'est souvent là que tout se joue.</p></div></li></ul>
</li></ol></div>
<footer>© 2021 Carnet numérique</footer></body></html>"""

ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Le temps, nerf de la guerre</title></head>
<body><article><h1>Le temps, nerf de la guerre</h1>
<p>On me répète que les médias sociaux prennent trop de temps. C'est vrai quand on improvise chaque publication au dernier moment, sans calendrier ni objectifs.</p>
<p>Une heure par semaine, bloquée dans l'agenda, suffit à tenir une page d'entreprise honnête. Le reste relève de l'organisation, pas du budget.</p>
</article><p><a href="/blogue/billet-3.html">Billet suivant</a> <a href="/prive/secret.html">Espace membres</a> <a href="https://ailleurs.invalid/x.html">Ailleurs</a></p></body></html>"""

FORUM = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Forum : faut-il fermer notre page Facebook ?</title></head>
<body><div class="menu"><a href="/blogue/">Accueil</a> | <a href="/blogue/lent.html">Lent</a></div>
<div id="content"><h1>Faut-il fermer notre page Facebook ?</h1>
<div class="message"><p>Notre association reçoit plus d'insultes que de questions sur Facebook. Le conseil veut fermer la page avant l'été, mais nos bénévoles s'y informent encore.</p></div>
<div class="message"><p>Fermer la page ne fera pas disparaître les critiques : elles iront ailleurs, là où vous ne pourrez plus répondre. Modérez plutôt, avec une charte claire.</p></div>
</div></body></html>"""

COPY = ARTICLE.replace("<title>Le temps, nerf de la guerre</title>", "<title>Le temps, nerf de la guerre (copie)</title>")

SLOW = """<!DOCTYPE html><html lang="fr"><head><title>Une page lente</title></head><body><article><h1>Une page lente</h1>
<p>Cette page met un peu de temps à répondre, comme beaucoup de vieux blogues hébergés sur des serveurs mutualisés.</p></article></body></html>"""

UNSTABLE = """<!DOCTYPE html><html lang="fr"><head><title>Serveur capricieux</title></head><body><article><h1>Serveur capricieux</h1>
<p>La première fois, le serveur répond par une erreur ; la seconde, il sert enfin ce billet sur la gestion de crise en ligne.</p></article></body></html>"""

LIMITED = """<!DOCTYPE html><html lang="fr"><head><title>Trop de requêtes</title></head><body><article><h1>Trop de requêtes</h1>
<p>Ce serveur demande d'attendre avant de revenir : un robot poli attend le délai annoncé dans l'en-tête Retry-After.</p></article></body></html>"""

NEW = """<!DOCTYPE html><html lang="fr"><head><title>L'adresse a changé</title></head><body><article><h1>L'adresse a changé</h1>
<p>Ce billet sur la réglementation des réseaux sociaux a déménagé : l'ancienne adresse redirige ici de façon permanente.</p></article></body></html>"""

SECRET = """<html><body><p>Réservé aux membres : ne doit jamais être collecté.</p></body></html>"""

ROBOTS = "User-agent: *\nDisallow: /prive/\nDisallow: /blogue/brouillon/\n"


def rss(base: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Carnet</title>'
            f"<item><title>LinkedIn</title><link>{base}/blogue/billet-1.html</link></item>"
            f"<item><title>Le temps</title><link>{base}/blogue/billet-2.html</link></item></channel></rss>")


def atom(base: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Forum</title>'
            f'<entry><title>Fermer ?</title><link rel="alternate" href="{base}/blogue/billet-3.html"/></entry></feed>')


def sitemap_index(base: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-1.xml</loc></sitemap><sitemap><loc>{base}/sitemap-2.xml.gz</loc></sitemap></sitemapindex>")


def urlset(base: str, paths: list[str]) -> str:
    locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


class LocalSite:
    """The test blog on 127.0.0.1:<ephemeral port>; ``log`` holds (path, monotonic time)."""

    def __init__(self, *, huge_bytes: int = 300_000) -> None:
        self.log: list[tuple[str, float]] = []
        self.hits: dict[str, int] = {}
        self.huge_bytes = huge_bytes
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                with site._lock:
                    site.log.append((self.path, time.monotonic()))
                    site.hits[self.path] = site.hits.get(self.path, 0) + 1
                    n = site.hits[self.path]
                site.route(self, self.path, n)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LocalSite":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, status: int, body: bytes | str = b"", ctype: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None, length: bool = True) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        if length:
            handler.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        try:
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, h: BaseHTTPRequestHandler, path: str, n: int) -> None:
        base = self.base
        pages = {
            "/blogue/billet-1.html": WORDPRESS, "/blogue/billet-2.html": ARTICLE, "/blogue/billet-3.html": FORUM,
            "/blogue/copie.html": COPY, "/nouveau.html": NEW, "/prive/secret.html": SECRET,
            "/blogue/brouillon/idee.html": SECRET,
        }
        if path == "/robots.txt":
            return self.send(h, 200, ROBOTS, "text/plain")
        if path in pages:
            return self.send(h, 200, pages[path])
        if path == "/blogue/":
            index = ('<html lang="fr"><head><title>Carnet numérique</title></head><body><h1>Carnet numérique</h1><ul>'
                     '<li><a href="billet-1.html">LinkedIn et les PME</a></li><li><a href="billet-2.html#haut">Le temps</a></li>'
                     '<li><a href="/blogue/brouillon/idee.html">Brouillon</a></li><li><a href="/prive/secret.html">Privé</a></li>'
                     '<li><a href="/blogue/doc.pdf">PDF</a></li></ul></body></html>')
            return self.send(h, 200, index)
        if path == "/feed.xml":
            return self.send(h, 200, rss(base), "application/rss+xml")
        if path == "/atom.xml":
            return self.send(h, 200, atom(base), "application/atom+xml")
        if path == "/sitemap_index.xml":
            return self.send(h, 200, sitemap_index(base), "application/xml")
        if path == "/sitemap-1.xml":
            return self.send(h, 200, urlset(base, ["/blogue/lent.html", "/blogue/instable.html", "/blogue/limite.html",
                                                   "/ancien.html", "/blogue/copie.html"]), "application/xml")
        if path == "/sitemap-2.xml.gz":
            body = gzip.compress(urlset(base, ["/gros.html", "/gros-flux.html", "/doc.pdf", "/prive/secret.html"]).encode())
            return self.send(h, 200, body, "application/x-gzip")
        if path == "/blogue/lent.html":
            time.sleep(0.2)
            return self.send(h, 200, SLOW)
        if path == "/blogue/instable.html":
            return self.send(h, 500, "erreur") if n == 1 else self.send(h, 200, UNSTABLE)
        if path == "/blogue/limite.html":
            return self.send(h, 429, "attendez", headers={"Retry-After": "1"}) if n == 1 else self.send(h, 200, LIMITED)
        if path == "/ancien.html":
            return self.send(h, 301, "", headers={"Location": "/nouveau.html"})
        if path == "/gros.html":
            return self.send(h, 200, b"<html><body><p>" + b"x" * self.huge_bytes + b"</p></body></html>")
        if path == "/gros-flux.html":  # no Content-Length: the limit is checked while reading
            return self.send(h, 200, b"<html><body><p>" + b"y" * self.huge_bytes + b"</p></body></html>", length=False)
        if path in ("/doc.pdf", "/blogue/doc.pdf"):
            return self.send(h, 200, b"%PDF-1.4 ...", "application/pdf")
        return self.send(h, 404, "introuvable")

    def requests_to(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)
