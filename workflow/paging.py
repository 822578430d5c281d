"""The page links of a list that counts its own rows (the queues, search), with the attributes of
Flask-SQLAlchemy's Pagination, so that one macro (templates/_pager.html) draws every list's pager."""
import math


class PageNumbers:
    """For a class with `total`, `page` and `per_page`."""

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1

    def iter_pages(self, edge=2, around=2):
        """Page numbers for the links, None where some are left out (as Flask-SQLAlchemy's)."""
        last = None
        for n in range(1, self.pages + 1):
            if n <= edge or n > self.pages - edge or abs(n - self.page) <= around:
                if last is not None and n != last + 1:
                    yield None
                yield n
                last = n
