package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"twintowns/internal/locale"
	"twintowns/internal/web"
)

// Every response, whatever answers it, carries the policies; the open data may be used by
// pages of any origin; HSTS goes out over TLS only. Only the staff area keeps its window from
// the pages that open it (Cross-Origin-Opener-Policy): on a public page the header made
// Chromium start a renderer process for the page, most of its Lighthouse TBT (issue 17).
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	db := shared(t).db // read only
	e := envOn(t, db, trustProxy, func(o *web.Options) { o.HSTSMaxAge = 365 * 24 * time.Hour })
	for _, tc := range []struct {
		method, path string
		corp, coop   string
	}{
		{"GET", "/fi/", "same-site", ""}, {"GET", "/fi/cities/koszalin", "same-site", ""}, {"GET", "/nowhere", "same-site", ""},
		{"GET", "/admin/login", "same-site", "same-origin"}, {"GET", "/admin/sites/seinajoki/cities", "same-site", "same-origin"},
		{"GET", "/admin/nowhere", "same-site", "same-origin"},
		{"GET", "/fi/share.png", "same-site", ""}, {"POST", "/fi/", "same-site", ""}, {"HEAD", "/sitemap.xml", "same-site", ""},
		{"GET", "/data/partnerships.json", "cross-origin", ""}, {"GET", "/data/partnerships.csv", "cross-origin", ""},
		{"GET", "/data/events.csv", "cross-origin", ""}, {"HEAD", "/data/catalog.ttl", "cross-origin", ""},
	} {
		for _, tls := range []bool{false, true} {
			proto := "http"
			if tls {
				proto = "https"
			}
			res := e.do(t, tc.method, seinajoki, tc.path, "X-Forwarded-Proto", proto)
			h := res.Header
			if !strings.Contains(h.Get("Permissions-Policy"), "camera=()") || !strings.Contains(h.Get("Permissions-Policy"), "geolocation=()") ||
				h.Get("Cross-Origin-Opener-Policy") != tc.coop || h.Get("Cross-Origin-Resource-Policy") != tc.corp {
				t.Errorf("%s %s (%s): %d %v", tc.method, tc.path, proto, res.StatusCode, h)
			}
			if hsts := h.Get("Strict-Transport-Security"); (hsts == "max-age=31536000") != tls {
				t.Errorf("%s %s (%s): Strict-Transport-Security %q", tc.method, tc.path, proto, hsts)
			}
		}
	}
	off := envOn(t, db, trustProxy)
	if res := off.do(t, "GET", seinajoki, "/fi/", "X-Forwarded-Proto", "https"); res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent though it is off")
	}
	// the one-time links' pages and sign-in send no referrer
	for _, tc := range []struct{ method, path string }{{"GET", "/admin/login"}, {"POST", "/admin/login"}, {"GET", "/admin/password/abc"}, {"POST", "/admin/password/abc"}} {
		if res := e.do(t, tc.method, seinajoki, tc.path); res.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s %s: Referrer-Policy %q", tc.method, tc.path, res.Header.Get("Referrer-Policy"))
		}
	}
	if res := e.do(t, "GET", seinajoki, "/fi/"); res.Header.Get("Referrer-Policy") != "strict-origin-when-cross-origin" {
		t.Errorf("public page: Referrer-Policy %q", res.Header.Get("Referrer-Policy"))
	}
}

// logBuffer is a log sink the server writes to while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Behind a proxy that TRUST_PROXY does not trust, every request comes from one address: the
// log says so, and so does the staff home to administrators; at start, the sign-ins of the
// last days tell the same.
func TestProxyWithoutTrustProxyIsReported(t *testing.T) {
	for _, atStart := range []bool{false, true} {
		e := newEnv(t)
		logs := &logBuffer{}
		bundle, _ := locale.Load()
		srv, err := web.NewServer(slog.New(slog.NewJSONHandler(logs, nil)), e.db, bundle,
			web.Options{Sessions: pgxstore.NewWithCleanupInterval(e.db.Pool, 0)})
		if err != nil {
			t.Fatal(err)
		}
		e.srv = srv
		root := e.staff(t, "root@example.org", "", true)
		root.login("root@example.org")
		root.lang = "sv"
		if res := root.get("/admin/"); strings.Contains(res.body, "TRUST_PROXY") {
			t.Fatal("warned before any evidence")
		}
		if atStart {
			if _, err := e.db.Pool.Exec(context.Background(), `INSERT INTO sign_in_attempts (email, address, succeeded)
				SELECT 'root@example.org', '127.0.0.1', true FROM generate_series(1, 20)`); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			srv.Run(ctx) // without content changes to listen to, it checks and waits
			cancel()
		} else {
			for range 20 {
				root.do(http.MethodGet, "/fi/", nil, "X-Forwarded-For", "203.0.113.9")
			}
		}
		if !strings.Contains(logs.String(), "TRUST_PROXY is off") {
			t.Errorf("at start %v: no warning in the log:\n%s", atStart, logs.String())
		}
		if res := root.get("/admin/"); !strings.Contains(res.body, `<p class="notice" role="alert">Varje begäran verkar komma via en proxy`) {
			t.Errorf("at start %v: the staff home does not warn:\n%s", atStart, res.body)
		}
	}
	// requests from several addresses, or a trusted proxy: no warning
	e := newEnv(t, trustProxy)
	for range 30 {
		req := httptest.NewRequest(http.MethodGet, "http://"+seinajoki+"/fi/", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		e.srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	if res := root.get("/admin/"); strings.Contains(res.body, "TRUST_PROXY") {
		t.Error("warned with TRUST_PROXY on")
	}
}
