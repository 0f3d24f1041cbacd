# Tiaodu: `make run` serves the demo district at http://127.0.0.1:8000, `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := var/stamps
APT_PACKAGES := fonts-noto-cjk chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
HOST ?= 127.0.0.1
PORT ?= 8000
# Set-up steps that do not wait for each other run side by side (npm ci beside pip, collectstatic beside
# migrate and the demo); JOBS=1 runs them one after the other.
JOBS ?= 2
# Some machines set PYTHONDONTWRITEBYTECODE=1 for every shell: each process (every test worker, every
# `manage.py` command, the PDF's second process) would then compile Tiaodu's modules again and pytest
# rewrite the asserts of every test module again (~5 s per test worker). Here bytecode is cached in
# __pycache__ (ignored by git), and `setup` compiles Tiaodu's modules once.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test setup apt venv npm bytecode migrate demo static lint bench clean deploy-units deploy-check

run:
	@$(MAKE) --no-print-directory -j$(JOBS) setup demo
	@echo "调度平台已启动：http://$(HOST):$(PORT)/ （演示账户见 README）"
	HOST=$(HOST) PORT=$(PORT) bin/serve

test:
	@$(MAKE) --no-print-directory -j$(JOBS) setup
	$(PY) -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

setup: apt venv npm bytecode static migrate

bytecode: venv
	$(PY) -m compileall -q -j $(JOBS) tiaodu

# System packages (CJK fonts, Chromium for browser tests, poppler for PDF checks) when run as root.
apt: $(STAMPS)/apt
$(STAMPS)/apt: Makefile
	@mkdir -p $(STAMPS)
	@if dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	else echo "提示：请以 root 运行或手动安装 $(APT_PACKAGES)"; fi
	@touch $@

venv: $(STAMPS)/venv
$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

npm: $(STAMPS)/npm
$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

# Only the files the pages load (the list: tiaodu/core/staticfiles.py), compressed once each; when the list
# changes, var/static is cleared first so files no longer listed are not served.
static: $(STAMPS)/static
$(STAMPS)/static: $(STAMPS)/npm $(STAMPS)/venv tiaodu/core/staticfiles.py $(shell find static -type f 2>/dev/null; find tiaodu -path '*/static/*' -type f 2>/dev/null)
	$(PY) manage.py collectstatic --noinput -v 0 $$([ tiaodu/core/staticfiles.py -nt $@ ] && echo --clear)
	@touch $@

migrate: venv
	$(PY) manage.py migrate --noinput -v 0

# migrate ran the system checks already; the demo's briefings need the fonts and Pango from apt.
demo: migrate apt
	$(PY) manage.py load_demo --if-empty --skip-checks

# Hygiene (CI runs it too): lint, format, the layer contracts, migrations in step with the models,
# and Django's deployment checks with the production switches on.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	HTTPS=1 ALLOWED_HOSTS=tiaodu.example.gov.cn $(PY) manage.py check --deploy --fail-level WARNING

bench: setup
	$(PY) -m pip install -q -e '.[dev,bench]'
	$(PY) benchmarks/run_all.py

# The production path (README "生产部署"): systemd units and the nginx site rendered for APP_DIR, and
# checked — systemd-analyze verify on the units, Django's deployment checks with HTTPS on.
APP_DIR ?= $(CURDIR)
SERVER_NAME ?= tiaodu.example.gov.cn
DEPLOY_OUT ?= var/deploy
deploy-units:
	@mkdir -p $(DEPLOY_OUT)
	@for f in deploy/*.in; do \
	  sed -e 's|@APP_DIR@|$(APP_DIR)|g' -e 's|@SERVER_NAME@|$(SERVER_NAME)|g' $$f > $(DEPLOY_OUT)/$$(basename $${f%.in}); done
	@echo "已生成到 $(DEPLOY_OUT)/：复制 *.service、*.timer 到 /etc/systemd/system/，nginx-tiaodu.conf 到 /etc/nginx/conf.d/"

deploy-check: venv deploy-units
	@if command -v systemd-analyze >/dev/null; then \
	  SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no $(DEPLOY_OUT)/*.service $(DEPLOY_OUT)/*.timer && echo "systemd 单元检查通过"; \
	else echo "未安装 systemd-analyze，跳过单元检查"; fi
	@if command -v nginx >/dev/null; then echo "nginx 配置请在目标机器上用 nginx -t 检查"; fi
	HTTPS=1 BEHIND_PROXY=1 ALLOWED_HOSTS=$(SERVER_NAME) $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules var/stamps var/static
