package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/go-chi/chi/v5"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
)

// HEAD answers like GET, headers without a body, on every GET route of the route table,
// public and staff (signed in as an administrator), the "/" of sub-routers included: uptime
// monitors and link checkers use it. (The test server's address is the default site's.)
func TestHeadOnEveryGetRoute(t *testing.T) {
	db := pgtest.SeededDB(t)
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(slog.New(slog.DiscardHandler), db, bundle, Options{Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hash, _ := auth.HashPassword("a long enough password")
	u, err := db.CreateUser(ctx, "root@example.org", "", true, hash)
	if err != nil {
		t.Fatal(err)
	}
	var city int64
	db.Pool.QueryRow(ctx, `SELECT c.id FROM cities c JOIN sites s ON s.id = c.site_id WHERE s.slug = 'seinajoki' AND c.slug = 'koszalin'`).Scan(&city)
	ts := httptest.NewServer(s)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, err := c.PostForm(ts.URL+"/admin/login", url.Values{"email": {"root@example.org"}, "password": {"a long enough password"}}); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %v %v", res, err)
	}
	params := strings.NewReplacer("{lang:[a-z]{2}}", "fi", "{slug}", "koszalin", "{doc}", "umowa", "{site}", "seinajoki",
		"{rev}", "1", "{token}", "not-a-token", "{lang}", "sv", "/*", "/"+strings.TrimPrefix(s.assets.url("css/site.css"), "/static/"))
	idParam := regexp.MustCompile(`\{id\}`)
	checked := 0
	err = chi.Walk(s.handler.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet {
			return nil
		}
		id := fmt.Sprint(city)
		if strings.HasPrefix(route, "/admin/users/") {
			id = fmt.Sprint(u.ID)
		}
		path := idParam.ReplaceAllString(params.Replace(route), id)
		var status [2]int
		for i, m := range []string{http.MethodGet, http.MethodHead} {
			req, _ := http.NewRequest(m, ts.URL+path, nil)
			res, err := c.Do(req)
			if err != nil {
				return err
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			status[i] = res.StatusCode
			if m == http.MethodHead && len(body) != 0 {
				t.Errorf("HEAD %s (%s): %d bytes of body", path, route, len(body))
			}
		}
		if route == "/admin/" && status[0] != http.StatusOK {
			t.Errorf("the staff home is not signed in: %d", status[0])
		}
		if status[1] != status[0] || status[1] == http.StatusMethodNotAllowed {
			t.Errorf("%s: GET %d, HEAD %d", route, status[0], status[1])
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 40 {
		t.Errorf("only %d GET routes walked", checked)
	}
}
