"""Site search (issue 14): task codes and titles, task results, unit reports, return reasons and
evidence captions, for whoever may see them; Vietnamese with or without diacritics.

Design, in one place:

- One index table, `search_entries` (models.py): a row per task of the catalogue, task result and unit
  report, with its kind, item id, unit, task, period and state (what the filters and the authorization
  read), its title and text as written (for snippets) and both *folded*. A result's text is its fields,
  its return reason, the reasons in its history and its evidence captions; a report's, its sections,
  its four narrative fields and the same reasons and captions.
- Folding is Python's (text.py): NFD, combining marks dropped, đ/Đ → d, lowercase, then only the words
  (letters and digits) kept, joined by single spaces. The query is folded the same way, so "cai cach"
  and "cải cách" are one query, and both databases compare exactly the same words. PostgreSQL's
  `unaccent` is not used: it would need an extension (a superuser's CREATE EXTENSION), it is not
  IMMUTABLE (an expression index on it needs a wrapper function), SQLite has nothing like it, and it
  would make the two backends fold differently — here they share one function.
- Full text: SQLite's FTS5 (external content table `search_fts` over the folded title and text, kept
  in step by triggers) by default; on PostgreSQL a stored generated column `search_vector` =
  setweight(to_tsvector('simple', folded_title), 'A') || setweight(to_tsvector('simple', folded_body), 'B')
  with a GIN index on it (migration 0018)
  ('simple': no stemming and no stop words, which Vietnamese syllables need). `query.find` is the one
  function the page calls; the dialect picks the MATCH or @@ clause and bm25 or ts_rank inside it.
- A query is never passed to the engine as syntax: it is cut into words (text.parse); each blank-
  separated chunk is a phrase ("1.d" → "1 d"), every phrase must match; FTS5 gets "…" AND "…",
  PostgreSQL 'a' <-> 'b' & 'c'. Quotes, *, -, NEAR or parentheses are separators, nothing more.
- The index follows every edit in the same transaction (index.py: the session's before_flush and
  after_flush events), and `flask search reindex` (cli.py) or migration 0015 build it from scratch.
- Authorization is in the SQL (query.visible_to): overseers (access.OVERSEERS) see all; anyone else
  the catalogue, their own unit's items, and a task result of a task their unit cooperates on (the
  `sees` of the task-result kind, as an EXISTS over task_cooperators).
- The FTS5 table (and its shadow tables), the search_vector column and its GIN index are not in the metadata: Alembic's
  autogenerate and the migrations-match-models test need `include_name=workflow.models.search.include_name`.

Wiring: `search.init_app(app)` (listeners; idempotent), `cli.init_app(app)`, the blueprint
`routes.bp`; the index's model lives with the others (workflow/models/search.py).
"""


def init_app(app):
    """Install the index's session listeners (index.py installs them at import too; idempotent).
    Imported here, not at the top: the index reads the models, which must be complete first."""
    from . import index
    index.install()
