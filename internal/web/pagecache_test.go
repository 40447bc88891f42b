package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/andybalholm/brotli"

	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
	"twintowns/internal/web"
)

// metric reads one sample of the server's /metrics; series is the name with its labels as
// written, e.g. `twintowns_page_cache_entries` or `x{route="/"}`.
func metric(t testing.TB, srv *web.Server, series string) float64 {
	t.Helper()
	w := httptest.NewRecorder()
	srv.MetricsHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(w.Body.String())
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A flood of requests with random Host headers (and ports, queries, unknown paths) adds no
// page to the cache, puts no host text in pages and leaves the real pages cached.
func TestRandomHostsCostNothing(t *testing.T) {
	e := newEnv(t)
	real := []string{"/fi/", "/fi/cities/koszalin", "/sv/cities/sopron", "/pl/"}
	for _, p := range real {
		e.get(t, seinajoki, p)
		e.get(t, seinajoki, p)
	}
	entries := metric(t, e.srv, "twintowns_page_cache_entries")
	size := metric(t, e.srv, "twintowns_page_cache_bytes")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 22_000 {
		host := fmt.Sprintf("h%x.example:%d", rng.Uint64(), rng.IntN(65536))
		path := real[i%len(real)]
		switch i % 4 {
		case 1:
			path += "?x=" + strconv.Itoa(i)
		case 2:
			path = fmt.Sprintf("/fi/cities/c%d", i)
		}
		r := httptest.NewRequest(http.MethodGet, "http://x"+path, nil)
		r.Host = host
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s%s: %d", host, path, w.Code)
		}
		if i%1000 == 0 && strings.Contains(w.Body.String(), host[:8]) {
			t.Fatalf("page shows the Host header %s", host)
		}
	}
	if got := metric(t, e.srv, "twintowns_page_cache_entries"); got != entries {
		t.Errorf("entries %v after the flood, %v before", got, entries)
	}
	if got := metric(t, e.srv, "twintowns_page_cache_bytes"); got != size {
		t.Errorf("bytes %v after the flood, %v before", got, size)
	}
	renders := metric(t, e.srv, "twintowns_page_cache_renders_total")
	for _, p := range real {
		e.get(t, seinajoki, p)
	}
	if got := metric(t, e.srv, "twintowns_page_cache_renders_total"); got != renders {
		t.Errorf("real pages rendered again after the flood (%v renders)", got-renders)
	}
}

// The cache stays within its byte bound when real pages outnumber it.
func TestCacheBytesBound(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.CacheBytes = 60_000 })
	for _, lang := range []string{"fi", "sv", "it", "pl"} {
		for _, p := range []string{"/", "/history", "/accessibility", "/cities/koszalin", "/cities/sopron", "/cities/kirov", "/accessibility/feedback"} {
			e.get(t, seinajoki, "/"+lang+p)
			if b := metric(t, e.srv, "twintowns_page_cache_bytes"); b > 60_000 {
				t.Fatalf("%v bytes cached, bound 60000", b)
			}
		}
	}
	if metric(t, e.srv, "twintowns_page_cache_evictions_total") == 0 {
		t.Errorf("no eviction: the bound is too large for this test (%v bytes in %v pages)",
			metric(t, e.srv, "twintowns_page_cache_bytes"), metric(t, e.srv, "twintowns_page_cache_entries"))
	}
}

func decode(t *testing.T, enc string, body []byte) string {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", enc, err)
	}
	return string(b)
}

// Every page is served in the encoding the client prefers, with its own ETag; HEAD and
// conditional requests work per encoding.
func TestCompression(t *testing.T) {
	e := shared(t)
	for _, path := range []string{"/fi/cities/koszalin", "/sitemap.xml"} {
		plain := e.get(t, seinajoki, path)
		tags := map[string]string{}
		for _, tc := range []struct{ accept, want string }{
			{"", ""},
			{"gzip", "gzip"},
			{"br", "br"},
			{"gzip, deflate, br", "br"},
			{"br;q=0.5, gzip", "gzip"},
			{"identity", ""},
			{"*;q=0", ""},
		} {
			t.Run(path+" "+tc.accept, func(t *testing.T) {
				res := e.get(t, seinajoki, path, "Accept-Encoding", tc.accept)
				if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != tc.want {
					t.Fatalf("%d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
				}
				if got := decode(t, tc.want, []byte(res.body)); got != plain.body {
					t.Error("decoded body differs from the plain one")
				}
				if res.Header.Get("Vary") != "Accept-Encoding" {
					t.Errorf("Vary = %q", res.Header.Get("Vary"))
				}
				if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(res.body)) {
					t.Errorf("Content-Length %s for %d bytes", cl, len(res.body))
				}
				etag := res.Header.Get("ETag")
				if old, ok := tags[tc.want]; ok && old != etag {
					t.Errorf("ETag of %q changed", tc.want)
				}
				tags[tc.want] = etag
				if again := e.get(t, seinajoki, path, "Accept-Encoding", tc.accept, "If-None-Match", etag); again.StatusCode != http.StatusNotModified || again.body != "" {
					t.Errorf("If-None-Match: %d", again.StatusCode)
				}
				if weak := e.get(t, seinajoki, path, "Accept-Encoding", tc.accept, "If-None-Match", "W/"+etag); weak.StatusCode != http.StatusNotModified {
					t.Errorf("weak If-None-Match: %d", weak.StatusCode)
				}
				head := e.do(t, http.MethodHead, seinajoki, path, "Accept-Encoding", tc.accept)
				if head.StatusCode != 200 || head.body != "" || head.Header.Get("Content-Length") != res.Header.Get("Content-Length") ||
					head.Header.Get("Content-Encoding") != tc.want {
					t.Errorf("HEAD: %d, %d bytes, %v", head.StatusCode, len(head.body), head.Header)
				}
			})
		}
		if len(tags) != 3 || tags[""] == tags["gzip"] || tags["gzip"] == tags["br"] || tags[""] == tags["br"] {
			t.Errorf("%s: ETags %v, want one per encoding", path, tags)
		}
		// an ETag of another encoding does not match
		if res := e.get(t, seinajoki, path, "Accept-Encoding", "gzip", "If-None-Match", tags["br"]); res.StatusCode != 200 {
			t.Errorf("%s: the brotli ETag matched the gzip variant: %d", path, res.StatusCode)
		}
	}
}

// Public pages may be kept by shared caches; staff pages, previews, the negotiating "/" and
// error pages may not.
func TestCacheHeaders(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.SharedMaxAge, o.StaleWhileRevalidate = 90*time.Second, 600*time.Second })
	public := "public, max-age=0, s-maxage=90, stale-while-revalidate=600"
	s := e.staff(t, "editor@seinajoki.fi", "seinajoki", false)
	s.login("editor@seinajoki.fi")
	koszalin := cityID(t, e, "seinajoki", "koszalin")
	tests := []struct {
		name, path string
		staff      bool
		want       string
	}{
		{"home", "/fi/", false, public},
		{"city", "/sv/cities/koszalin", false, public},
		{"feedback form", "/it/accessibility/feedback", false, public},
		{"sitemap", "/sitemap.xml", false, public},
		{"accessibility", "/pl/accessibility", false, public},
		{"negotiating /", "/", false, "private, no-store"},
		{"language switch", "/sv/?switch=1", false, "no-store"},
		{"not found", "/fi/cities/nowhere", false, "no-store"},
		{"unknown language", "/xx/", false, "no-store"},
		{"sign-in form", "/admin/login", false, "no-store"},
		{"staff list", "/admin/sites/seinajoki/cities", true, "no-store"},
		{"preview", fmt.Sprintf("/admin/sites/seinajoki/cities/%d/preview?lang=fi", koszalin), true, "no-store"},
		{"site preview", "/admin/sites/seinajoki/texts/preview?lang=fi", true, "no-store"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var res response
			if tc.staff {
				res = s.get(tc.path)
			} else {
				res = e.get(t, seinajoki, tc.path)
			}
			if got := res.Header.Get("Cache-Control"); got != tc.want {
				t.Errorf("%d, Cache-Control = %q, want %q", res.StatusCode, got, tc.want)
			}
		})
	}
}

// slowStore is the real store, slow to give a site's content: concurrent misses overlap.
type slowStore struct{ *postgres.DB }

func (s slowStore) Content(ctx context.Context, site twinning.Site) (twinning.Content, error) {
	time.Sleep(200 * time.Millisecond)
	return s.DB.Content(ctx, site)
}

func TestConcurrentMissesRenderOnce(t *testing.T) {
	db := pgtest.SeededDB(t)
	bundle, _ := locale.Load()
	srv, err := web.NewServer(slog.New(slog.DiscardHandler), slowStore{db}, bundle, web.Options{Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0)})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, srv: srv}
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			if res := e.get(t, seinajoki, "/fi/cities/koszalin"); res.StatusCode != 200 {
				t.Errorf("status %d", res.StatusCode)
			}
		})
	}
	wg.Wait()
	if got := metric(t, srv, "twintowns_page_cache_renders_total"); got != 1 {
		t.Errorf("%v renders for 40 concurrent requests of one page", got)
	}
}

// The server's own writes drop the pages of the site written to, and only those, without
// waiting for NOTIFY (no listener runs here).
func TestOwnWritesInvalidateTheirSite(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.get(t, seinajoki, "/fi/cities/koszalin")
	e.get(t, siedlce, "/pl/")
	renders := metric(t, e.srv, "twintowns_page_cache_renders_total")
	sites, _ := e.db.Sites(ctx)
	var seinajokiID int64
	for _, s := range sites {
		if s.Slug == "seinajoki" {
			seinajokiID = s.ID
		}
	}
	if err := e.db.TrashEntry(ctx, twinning.CityType, seinajokiID, cityID(t, e, "seinajoki", "koszalin"), true, twinning.Actor{Email: "t@example.org"}); err != nil {
		t.Fatal(err)
	}
	if res := e.get(t, seinajoki, "/fi/cities/koszalin"); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted city still served: %d", res.StatusCode)
	}
	e.get(t, siedlce, "/pl/")
	if got := metric(t, e.srv, "twintowns_page_cache_renders_total") - renders; got != 1 {
		t.Errorf("%v renders: the other site's page must stay cached", got)
	}
}

// After a database outage an edit made by another instance shows within a second of the
// database's return.
func TestEditVisibleAfterOutage(t *testing.T) {
	e, pg := outageEnv(t)
	db, srv := e.db, e.srv
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := db.Pool.Config().ConnString()
	go srv.Run(ctx)
	waitListening(t, db)
	if res := e.get(t, seinajoki, "/sv/cities/sopron"); res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	if metric(t, srv, "twintowns_content_listener_up") != 1 {
		t.Error("listener_up is not 1")
	}
	if err := pg.Pause(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	if res := e.get(t, seinajoki, "/sv/cities/sopron"); res.StatusCode != 200 {
		t.Errorf("cached page during the outage: %d", res.StatusCode)
	}
	if metric(t, srv, "twintowns_content_listener_up") != 0 {
		t.Error("listener_up is not 0 during the outage")
	}
	if err := pg.Resume(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	other, err := postgres.Open(ctx, url) // another instance
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Pool.Exec(ctx, `UPDATE city_texts SET description = 'Ny text om Sopron.'
		WHERE lang = 'sv' AND city_id = (SELECT id FROM cities WHERE slug = 'sopron')`); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(e.get(t, seinajoki, "/sv/cities/sopron").body, "Ny text om Sopron.") {
		if time.Since(back) > 1500*time.Millisecond {
			t.Fatal("edit not visible 1.5 s after the database returned")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("edit visible %s after the database returned", time.Since(back))
}

// /metrics counts requests by route pattern, never by raw path.
func TestMetrics(t *testing.T) {
	e := newEnv(t)
	e.get(t, seinajoki, "/fi/cities/koszalin")
	e.get(t, seinajoki, "/fi/cities/koszalin")
	e.get(t, seinajoki, "/fi/cities/secret-probe-123")
	e.get(t, seinajoki, "/wp-login.php")
	w := httptest.NewRecorder()
	e.srv.MetricsHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`twintowns_http_request_duration_seconds_count{route="/{lang:[a-z]{2}}/cities/{slug}",status="200"} 2`,
		`twintowns_http_request_duration_seconds_count{route="/{lang:[a-z]{2}}/cities/{slug}",status="404"} 1`,
		`twintowns_page_cache_hits_total 1`,
		`twintowns_page_cache_entries 1`,
		`twintowns_content_listener_up 0`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %q in\n%s", want, body)
		}
	}
	for _, raw := range []string{"koszalin", "secret-probe", "wp-login"} {
		if strings.Contains(body, raw) {
			t.Errorf("raw path %q in the metrics", raw)
		}
	}
}
