"""Bytes → normalised text: encoding detection, newline/space/apostrophe normalisation."""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import Msg, ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of formats people drop in blog folders by mistake (pdf, zip/docx, images, gzip).
_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip archive",
    b"\xd0\xcf\x11\xe0": "legacy Office document",
    b"\x7fELF": "executable",
}


# A well-formed multi-byte UTF-8 sequence. In cp1252 French text such byte pairs almost never
# occur by chance ("Ã©" is mojibake, not French), so several of them mean UTF-8 was intended.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: name reported (documents.encoding) for UTF-8 text with cp1252 passages pasted in
MIXED_UTF8_CP1252 = "utf-8+cp1252"
_MIXED_ERRORS = "discours.cp1252_fallback"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the bytes UTF-8 rejects as cp1252 (latin-1 where cp1252 has a hole)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    out = []
    for b in bad:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), exc.end


codecs.register_error(_MIXED_ERRORS, _cp1252_fallback)


def _plausible(char: str) -> bool:
    """A character French UTF-8 text is made of: accented letters, typographic punctuation, emoji."""
    cp = ord(char)
    return 0xA0 <= cp <= 0x24F or 0x2000 <= cp <= 0x2BFF or cp >= 0x1F000


def _is_mixed_utf8(data: bytes) -> bool:
    """UTF-8 with cp1252/latin-1 passages (a comment pasted from another file, a concatenation)?

    Decided when the well-formed UTF-8 sequences mostly decode to characters French text uses.
    In a genuine cp1252 file such sequences are rare accidents (``É»`` reads as UTF-8 ``ɛ``)
    and decode to unlikely characters, so they do not count.
    """
    good = bad = 0
    for seq in _UTF8_SEQUENCE.findall(data):
        try:
            char = seq.decode("utf-8")
        except UnicodeDecodeError:  # overlong or surrogate forms the pattern lets through
            bad += 1
            continue
        if _plausible(char):
            good += 1
        else:
            bad += 1
    return good > bad


def sniff_encoding(data: bytes) -> str:
    """Name the encoding of ``data``: BOM, then strict UTF-8, then UTF-16 without BOM, then detection.

    Example:
        >>> sniff_encoding("Réseaux sociaux".encode("cp1252"))
        'cp1252'
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-16 without BOM: every other byte is NUL for Latin text.
    sample = data[:4000]
    if len(sample) >= 4:
        even_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
        odd_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
        if even_nuls > 0.3 and odd_nuls < 0.05:
            return "utf-16-le"
        if odd_nuls > 0.3 and even_nuls < 0.05:
            return "utf-16-be"
    if _is_mixed_utf8(data):
        return MIXED_UTF8_CP1252
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 files pay for it

    best = from_bytes(data).best()
    guess = best.encoding if best is not None else None
    # French single-byte text: cp1252 is a superset of latin-1's printable range (’ « » œ …),
    # and detectors often name a sibling code page; prefer cp1252 whenever it decodes.
    if guess is None or guess.replace("-", "_").lower() in {
        "cp1252", "windows_1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250", "windows_1250",
        "mac_roman", "cp850", "iso8859_2", "cp1257", "iso8859_9", "cp1254", "mac_latin2", "ascii",
    }:
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"
    return guess


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to text, raising :class:`ReadError` for binary or empty input.

    Returns:
        (text, encoding name)
    """
    if not data.strip():
        raise ReadError(Msg.EMPTY_FILE)
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ReadError(Msg.BINARY_FILE.format(detail=f"it starts like a {kind}"))
    encoding = sniff_encoding(data)
    if not encoding.startswith("utf-16") and not encoding.startswith("utf-32"):
        sample = data[:8192]
        if sample.count(0) > 0:
            raise ReadError(Msg.BINARY_FILE.format(detail="it contains NUL bytes"))
    try:
        if encoding == MIXED_UTF8_CP1252:
            text = data.decode("utf-8", errors=_MIXED_ERRORS)
        else:
            text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        try:
            text = data.decode("utf-8", errors="replace")
            encoding = "utf-8 (with replacements)"
        except Exception as exc:  # pragma: no cover - decode with replace never fails
            raise ReadError(Msg.UNDECODABLE) from exc
    # Text whose characters are mostly control characters is binary in disguise.
    sample_text = text[:4000]
    # (category Cc but newline, carriage return, tab and form feed: what _CONTROLS matches)
    controls = len(_CONTROLS.findall(sample_text))
    # A few stray controls (ESC, BEL pasted from a terminal) are cleaned by normalize_text instead.
    if sample_text and controls >= 10 and controls / len(sample_text) > 0.05:
        raise ReadError(Msg.BINARY_FILE.format(detail=f"{controls} control characters in the first {len(sample_text)}"))
    if not text.strip():
        raise ReadError(Msg.EMPTY_FILE)
    return text, encoding


_SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200e\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
# The zero-width joiner (U+200D) builds emoji sequences; next to a letter it only hides a word.
_WORD_JOINER = re.compile(r"(?<=\w)\u200d|\u200d(?=\w)")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# A backtick is an apostrophe only between letters ("l`argument"); "`code`" in Markdown is not.
_APOSTROPHES = re.compile(r"[\u2019\u2018\u02bc\u2032\u00b4](?=\w)|(?<=\w)[\u2019\u02bc\u2032\u00b4]|(?<=\w)`(?=\w)")
_MULTISPACE = re.compile(r"[ ]{2,}")


def normalize_text(text: str) -> str:
    """Normalise newlines, spaces and apostrophes so every later stage sees one convention.

    - ``\\r\\n`` and ``\\r`` → ``\\n``; NFC composition;
    - non-breaking and thin spaces (French typography before « ; : ! ? ») → plain space;
    - zero-width, bidi and control characters removed (the joiner \u200d is kept inside emoji);
    - typographic apostrophes (’ ʼ ´) inside or at the end of words → ``'`` so that
      ``J’imagine`` and ``J'imagine`` tokenise and lemmatise alike. Guillemets « » and quotes “ ”
      are kept as written.

    Example:
        >>> normalize_text("J\u2019imagine\u00a0: «\u202fnon\u202f»\\r\\n")
        "J'imagine : « non »\\n"
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _WORD_JOINER.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _APOSTROPHES.sub("'", text)
    return text


def squash_spaces(line: str) -> str:
    """Collapse runs of spaces inside a line and strip it."""
    return _MULTISPACE.sub(" ", line).strip()
