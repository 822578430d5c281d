"""Worker processes that turn HTML into PDF, so the pieces of a long annex are laid out on every core.

WeasyPrint lays out pages one after another on one core (about 0.13 s a page of the task annex). Once
split (chunks.py) the pieces are independent, so each is rendered in a process of its own. The
processes are forked from multiprocessing's forkserver — a clean process that has imported this
module (and so WeasyPrint and the app's code) once — never from a web worker, so they hold none of its
database connections, sessions, threads or locks, and start in milliseconds. Only strings go in and
bytes come out. They live for one document: an idle ward server keeps no renderer in memory."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload([__name__])


def html_to_pdf(html, base_url, font_rules):
    """(PDF bytes, page count) of one HTML document."""
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=base_url).render(
        stylesheets=[CSS(string=font_rules, font_config=fonts)], font_config=fonts)
    return document.write_pdf(), len(document.pages)


class Pending:
    """Pieces handed to worker processes; results() waits for them, in order. A broken worker (say one
    the OOM killer took) costs time, not the document: the pieces are then rendered here."""

    def __init__(self, jobs, workers):
        self.jobs = jobs
        self.executor = ProcessPoolExecutor(min(workers, len(jobs)), mp_context=_context)
        try:
            self.futures = [self.executor.submit(html_to_pdf, *job) for job in jobs]
        except BrokenProcessPool:
            self.futures = None

    def results(self):
        try:
            if self.futures is not None:
                return [future.result() for future in self.futures]
        except BrokenProcessPool:
            pass
        finally:
            self.executor.shutdown(wait=False, cancel_futures=True)
        return [html_to_pdf(*job) for job in self.jobs]
