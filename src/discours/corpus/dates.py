"""French (and English) date strings → ISO 8601 (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``)."""
from __future__ import annotations

import calendar
import re

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "feb": 2, "february": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "août": 8, "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12, "december": 12,
}
_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_TIME = r"(?:\s*(?:,|à|a|at|-)?\s*(?P<h>\d{1,2})\s*(?:h|:)\s*(?P<mi>\d{2})?\s*(?P<ampm>am|pm)?)?"
_WEEKDAY = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
PATTERNS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(_WEEKDAY + r"(?:le\s+)?(?P<d>\d{1,2})(?:er)?\s+(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<y>\d{4})" + _TIME, re.I),
    re.compile(_WEEKDAY + r"(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME, re.I),
    re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})" + _TIME, re.I),
    re.compile(r"(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<y>\d{4})", re.I),
]


def parse_date(text: str, *, search: bool = True) -> str | None:
    """Return the ISO form of the first date found in ``text``, or None (never invented).

    Example:
        >>> parse_date("14 mars 2024 à 9 h 12")
        '2024-03-14T09:12'
        >>> parse_date("Publié le 1er février 2011")
        '2011-02-01'
        >>> parse_date("hier soir") is None
        True
        >>> parse_date("31 février 2011") is None
        True
    """
    if not text:
        return None
    for pat in PATTERNS:
        m = pat.search(text) if search else pat.fullmatch(text.strip())
        if not m:
            continue
        g = m.groupdict()
        try:
            year = int(g["y"])
            month = int(g["m"]) if g.get("m") else MONTHS[g["mon"].lower().rstrip(".")]
            day = int(g["d"]) if g.get("d") else None
        except (KeyError, ValueError, TypeError):
            continue
        if not (1 <= month <= 12) or not 1900 <= year <= 2100:
            continue
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None  # "31 février 2011" is not a date, nor is it "février 2011"
        iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        if g.get("h") and day:
            hour = int(g["h"])
            if g.get("ampm") and g["ampm"].lower() == "pm" and hour < 12:
                hour += 12
            if g.get("ampm") and g["ampm"].lower() == "am" and hour == 12:
                hour = 0
            if hour < 24:
                iso += f"T{hour:02d}:{int(g.get('mi') or 0):02d}"
        return iso
    return None


def is_date_line(line: str) -> bool:
    """True when the line is essentially a date (with optional time and filler words).

    Example:
        >>> is_date_line("14 mars 2024 à 9 h 12")
        True
        >>> is_date_line("En mars 2024, nous avons publié trois vidéos.")
        False
    """
    s = line.strip().strip("()[]")
    if not s or len(s) > 60 or parse_date(s) is None:
        return False
    rest = s
    for pat in PATTERNS:
        rest = pat.sub("", rest)
    rest = re.sub(r"(?i)\b(?:le|publié|posté|écrit|on|at|à|a|h|le|the|date|:|,|\||-|—|–)\b|[:,|\-—–]", " ", rest)
    return len(rest.split()) <= 1
