# Two commands set everything up on a fresh Debian machine:
#   make run   – install, migrate, load the Phù Liễn plan and demo accounts, serve on 127.0.0.1:$(PORT)
#                with gunicorn (gunicorn.conf.py: 2 workers × 4 threads; WEB_CONCURRENCY changes the workers)
#   make test  – install (with test-only packages) and run the whole suite
#   make dev   – the same set-up, served by Flask's debug server (reloads on change; never in production)
VENV ?= .venv
PORT ?= 5000
PYTHON ?= python3
FLASK := $(VENV)/bin/flask --app wsgi
RUN_DEBS := fonts-liberation2
TEST_DEBS := fonts-liberation2 chromium poppler-utils

.PHONY: run dev test install install-dev debs test-debs db serve serve-demo serve-dev backup clean

# Installs the Debian packages given in $(1) when missing: as root it does it, otherwise it
# prints the exact command and fails.
define ensure_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Cài gói hệ thống:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Thiếu gói hệ thống:$$missing"; echo "Hãy chạy: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

$(VENV)/.runtime: requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

debs:
	$(call ensure_debs,$(RUN_DEBS))

test-debs:
	$(call ensure_debs,$(TEST_DEBS))

db: install
	$(FLASK) init-db
	DEMO_MODE=1 $(FLASK) seed-demo

serve:
	@echo "CCHC Workflow: http://127.0.0.1:$(PORT)"
	PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py --no-control-socket

# The demo as `make run` sets it up: DEMO_MODE lets the app read the DEMO signing certificate's
# passphrase from instance/signing/ (a real ward sets SIGNING_PASSPHRASE instead).
# Beside the web server, the reminder scheduler every 5 minutes (flask reminders run --loop 300): with no
# MAIL_SERVER its messages are written as .eml files in instance/outbox/. It stops with the server.
serve-demo:
	@echo "CCHC Workflow (demo): http://127.0.0.1:$(PORT)"
	DEMO_MODE=1 $(FLASK) reminders run --loop 300 & reminders=$$!; trap 'kill $$reminders 2>/dev/null' EXIT INT TERM; \
	DEMO_MODE=1 PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py --no-control-socket

serve-dev:
	@echo "CCHC Workflow (debug server): http://127.0.0.1:$(PORT)"
	DEMO_MODE=1 $(FLASK) run --debug --host 127.0.0.1 --port $(PORT)

run: install debs db serve-demo

dev: install debs db serve-dev

# A consistent archive of the database, uploads and stored documents in instance/backups/.
backup: install
	$(FLASK) backup

test: install-dev test-debs
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache
