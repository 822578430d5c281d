"""Text for the search index, in Python so SQLite and PostgreSQL see exactly the same words.

`fold` makes Vietnamese comparable with or without diacritics ("Cải cách" and "cai cach" both give
"cai cach"); `words` cuts folded text into the index's words; `parse` turns what a person typed into
phrases of such words (never FTS syntax); `mark` and `snippet` highlight the matched words of the
original text for the results page.
"""
import re
import unicodedata

from markupsafe import Markup, escape

# A word: letters and digits. Underscore, punctuation and FTS operators ("*", "-", quotes) separate words.
WORD = re.compile(r"[^\W_]+")
MAX_PHRASES = 12   # more words than a person types; keeps a pasted paragraph from making a huge query
SNIPPET_WORDS = 30
BEFORE_MATCH = 8   # words of context shown before the first match


def fold(text):
    """Lowercase, without diacritics: NFD then the combining marks dropped, đ/Đ to d (đ is a letter
    of its own in Unicode, not d with a mark)."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text):
    """The folded words of a text."""
    return WORD.findall(fold(text))


def indexed(text):
    """What the index stores: the folded words joined by single spaces. Both full-text engines then
    split it at the spaces alone, so they find the same words (PostgreSQL's parser would otherwise
    make compound tokens of "qd-ubnd" or "1.2")."""
    return " ".join(words(text))


def parse(query):
    """The phrases of a query: each blank-separated chunk a tuple of its folded words ("1.d" is the
    phrase ("1", "d"), "cải cách" the two phrases ("cai",) and ("cach",)). Every phrase must match."""
    phrases = []
    for chunk in (query or "").split():
        phrase = tuple(words(chunk))
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases[:MAX_PHRASES]


def _spans(text):
    """(start, end, folded word) of each word of the original text."""
    return [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text or "")]


def _marked(text, spans, wanted):
    """The text between spans' bounds, escaped, with <mark> around the wanted words."""
    out, at = [], spans[0][0] if spans else 0
    for start, end, word in spans:
        out.append(escape(text[at:start]))
        piece = escape(text[start:end])
        out.append(Markup(f"<mark>{piece}</mark>") if word in wanted else piece)
        at = end
    return Markup("").join(out)


def mark(text, phrases):
    """The whole text, escaped, its matched words in <mark>."""
    text = text or ""
    spans = _spans(text)
    wanted = {w for phrase in phrases for w in phrase}
    if not spans:
        return escape(text)
    return escape(text[:spans[0][0]]) + _marked(text, spans, wanted) + escape(text[spans[-1][1]:])


def snippet(text, phrases, size=SNIPPET_WORDS):
    """A short piece of the text around its first matched word (its start when none matches), escaped,
    the matched words in <mark>, "…" where it was cut."""
    text = " ".join((text or "").split())
    spans = _spans(text)
    if not spans:
        return escape(text[:200])
    wanted = {w for phrase in phrases for w in phrase}
    first = next((i for i, (_s, _e, word) in enumerate(spans) if word in wanted), 0)
    begin = max(0, min(first - BEFORE_MATCH, len(spans) - size))
    window = spans[begin:begin + size]
    head = Markup("… ") if begin > 0 else escape(text[:window[0][0]])
    tail = Markup(" …") if begin + size < len(spans) else escape(text[window[-1][1]:])
    return head + _marked(text, window, wanted) + tail
