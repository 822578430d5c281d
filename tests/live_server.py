"""A threaded werkzeug server on 127.0.0.1 for tests that need real simultaneous requests."""
import socket
import threading
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from workflow.extensions import db


@contextmanager
def serving(app, name):
    """Serve `app` on a free port; on exit stop it, check nothing listens, and drop its database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    assert server.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        assert not thread.is_alive(), "the live server did not stop"
        with pytest.raises(OSError):  # nothing listens on the port any more
            socket.create_connection(("127.0.0.1", server.server_port), timeout=2).close()
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
