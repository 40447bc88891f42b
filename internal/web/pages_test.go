package web_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
	"twintowns/internal/postgres"
	"twintowns/internal/web"
)

// instance is a server of build on db, storing the pages it renders.
func instance(t *testing.T, db *postgres.DB, build string) *env {
	t.Helper()
	bundle, _ := locale.Load()
	srv, err := web.NewServer(slog.New(slog.DiscardHandler), db, bundle,
		web.Options{Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0), ContentChanges: db, Build: build})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go srv.Run(ctx)
	return &env{db: db, srv: srv}
}

// waitFor waits until the server's series reaches n.
func waitFor(t *testing.T, e *env, series string, n float64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); metric(t, e.srv, series) < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed at %v, want %v", series, metric(t, e.srv, series), n)
		}
	}
}

// A page rendered by one instance is served by another from the database, without rendering
// it or reading its site's content (issue 19: at 2,500 sites most requests rendered a page
// and read its site's content, the pages outgrowing memory); an edit retires it at once, in
// every instance; another build renders its own.
func TestPagesStoredForEveryInstance(t *testing.T) {
	db := pgtest.SeededDB(t)
	a, b := instance(t, db, "build-1"), instance(t, db, "build-1")
	first := a.get(t, seinajoki, "/sv/cities/sopron", "Accept-Encoding", "gzip")
	if first.StatusCode != 200 || first.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("%d %s", first.StatusCode, first.Header.Get("Content-Encoding"))
	}
	waitFor(t, a, "twintowns_page_store_writes_total", 1)

	second := b.get(t, seinajoki, "/sv/cities/sopron", "Accept-Encoding", "gzip")
	if second.body != first.body || second.Header.Get("Etag") != first.Header.Get("Etag") ||
		second.Header.Get("Content-Language") != "sv" || second.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
		t.Errorf("the stored page differs: ETag %s, %s; Content-Language %q", second.Header.Get("Etag"), first.Header.Get("Etag"),
			second.Header.Get("Content-Language"))
	}
	if plain := b.get(t, seinajoki, "/sv/cities/sopron"); !strings.Contains(plain.body, "Sopron") || plain.Header.Get("Content-Encoding") != "" {
		t.Error("the stored page does not unpack for a client without gzip")
	}
	// (read from the store twice when its listener, connecting meanwhile, dropped its memory)
	if r, c, s := metric(t, b.srv, "twintowns_page_cache_renders_total"), metric(t, b.srv, "twintowns_site_content_reads_total"),
		metric(t, b.srv, "twintowns_page_store_reads_total"); r != 0 || c != 0 || s < 1 {
		t.Errorf("the second instance rendered %v pages, read %v contents, %v stored pages", r, c, s)
	}

	// An edit through the database (as another instance makes it): both instances hear of it
	// and render the page again, with the edit.
	if _, err := db.Pool.Exec(context.Background(), `UPDATE city_texts SET description = 'Ny beskrivning.'
		WHERE lang = 'sv' AND city_id = (SELECT id FROM cities WHERE slug = 'sopron')`); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*env{b, a} {
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(e.get(t, seinajoki, "/sv/cities/sopron").body, "Ny beskrivning.") {
			if time.Now().After(deadline) {
				t.Fatal("the edit is not served")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// Another build renders its own pages.
	c := instance(t, db, "build-2")
	c.get(t, seinajoki, "/sv/cities/sopron")
	if s, r := metric(t, c.srv, "twintowns_page_store_reads_total"), metric(t, c.srv, "twintowns_page_cache_renders_total"); s != 0 || r != 1 {
		t.Errorf("another build read %v stored pages, rendered %v", s, r)
	}
}
