# Two commands set everything up on a fresh Debian machine:
#   make run   – install, migrate, load the Phù Liễn plan and demo accounts, serve on 127.0.0.1:$(PORT)
#   make test  – install (with test-only packages) and run the whole suite
VENV ?= .venv
PORT ?= 5000
PYTHON ?= python3
FLASK := $(VENV)/bin/flask --app wsgi
RUN_DEBS := fonts-liberation2
TEST_DEBS := fonts-liberation2 chromium poppler-utils

.PHONY: run test install install-dev debs test-debs db serve clean

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
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

run: install debs db serve

test: install-dev test-debs
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache
