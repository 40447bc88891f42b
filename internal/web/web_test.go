package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2/memstore"

	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
	"twintowns/internal/photo/phototest"
	"twintowns/internal/photo/vips"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
	"twintowns/internal/web"
)

func TestMain(m *testing.M) {
	phototest.WorkerMain(vips.Process)
	os.Exit(pgtest.Main(m))
}

const (
	seinajoki = "seinajoki.localhost:8080"
	siedlce   = "siedlce.localhost:8080"
)

type env struct {
	db  *postgres.DB
	srv *web.Server
	ts  *httptest.Server
}

var (
	sharedOnce sync.Once
	sharedEnv  *env
)

// newEnv returns a server on a freshly migrated and seeded database.
func newEnv(t testing.TB, options ...func(*web.Options)) *env {
	t.Helper()
	return envOn(t, pgtest.SeededDB(t), options...)
}

// envOn returns a server on db.
func envOn(t testing.TB, db *postgres.DB, options ...func(*web.Options)) *env {
	t.Helper()
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	opts := web.Options{Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0), ContentChanges: db, PhotoWorker: phototest.Worker}
	for _, o := range options {
		o(&opts)
	}
	srv, err := web.NewServer(slog.New(slog.DiscardHandler), db, bundle, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, srv: srv}
}

// origin is the origin of the absolute URLs of the demo site at host: its own host name,
// whatever port or case the request's Host header had (handler tests listen on no port).
func origin(host string) string {
	name, _, _ := strings.Cut(host, ":")
	return "http://" + name
}

// pathOf is the path of an absolute URL the server made (its origin is the site's, not the
// test server's address).
func pathOf(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// waitListening waits until db's listener (started by Server.Run) is connected.
func waitListening(t testing.TB, db *postgres.DB) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !db.ListenerConnected(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("listener did not connect")
		}
	}
}

// shared is one seeded server for the tests that only read; it lives as long as the package's
// tests, so its database is not closed by the first test that uses it.
func shared(t testing.TB) *env {
	t.Helper()
	sharedOnce.Do(func() { sharedEnv = newEnv(&keepAlive{TB: t}) })
	if sharedEnv == nil {
		t.Fatal("shared environment failed")
	}
	return sharedEnv
}

// keepAlive drops the cleanups of the shared environment: it outlives the test that made it.
type keepAlive struct{ testing.TB }

func (keepAlive) Cleanup(func()) {}

type response struct {
	*http.Response
	body string
}

func (e *env) get(t *testing.T, host, path string, header ...string) response {
	t.Helper()
	return e.do(t, http.MethodGet, host, path, header...)
}

func (e *env) do(t *testing.T, method, host, path string, header ...string) response {
	t.Helper()
	r := httptest.NewRequest(method, "http://"+host+path, nil)
	r.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

func TestRootNegotiates(t *testing.T) {
	e := shared(t)
	tests := []struct {
		name, host, cookie, accept, want string
	}{
		{"default site default", seinajoki, "", "", "/fi/"},
		{"localhost is the default site", "localhost:8080", "", "", "/fi/"},
		{"unknown host is the default site", "example.org", "", "", "/fi/"},
		{"siedlce default", siedlce, "", "", "/pl/"},
		{"sv-FI is sv", seinajoki, "", "sv-FI,fi;q=0.5", "/sv/"},
		{"it-CH is it", siedlce, "", "it-CH", "/it/"},
		{"q-values", seinajoki, "", "pl;q=0.3,it;q=0.8", "/it/"},
		{"unsupported falls back to the site default", siedlce, "", "en-GB,en;q=0.9", "/pl/"},
		{"cookie beats header", seinajoki, "it", "sv", "/it/"},
		{"bad cookie ignored", seinajoki, "../../etc", "sv", "/sv/"},
		{"malformed header", seinajoki, "", "=;q=x,,,;", "/fi/"},
		{"huge header", siedlce, "", strings.Repeat("zz-ZZ;q=0.1,", 2000), "/pl/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := []string{"Accept-Language", tc.accept}
			if tc.cookie != "" {
				h = append(h, "Cookie", "lang="+tc.cookie)
			}
			res := e.get(t, tc.host, "/", h...)
			if res.StatusCode != http.StatusFound {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.Header.Get("Location"); got != tc.want {
				t.Errorf("Location = %q, want %q", got, tc.want)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Language, Cookie" {
				t.Errorf("Vary = %q", got)
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(cc, "no-store") {
				t.Errorf("Cache-Control = %q", cc)
			}
			// the target never redirects again: no loops for clients without cookies
			if next := e.get(t, tc.host, tc.want); next.StatusCode != http.StatusOK {
				t.Errorf("%s answers %d", tc.want, next.StatusCode)
			}
		})
	}
}

func TestLanguageSwitcherRemembersTheChoice(t *testing.T) {
	e := shared(t)
	page := e.get(t, seinajoki, "/fi/cities/koszalin")
	if !strings.Contains(page.body, `<a href="/it/cities/koszalin?switch=1" lang="it" hreflang="it">Italiano</a>`) {
		t.Fatalf("no Italian switcher link with lang and hreflang:\n%s", page.body)
	}
	res := e.get(t, seinajoki, "/it/cities/koszalin?switch=1")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/it/cities/koszalin" {
		t.Fatalf("switch: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "lang" {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != "it" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie = %+v", cookie)
	}
	root := e.get(t, seinajoki, "/", "Cookie", "lang=it", "Accept-Language", "fi")
	if got := root.Header.Get("Location"); got != "/it/" {
		t.Errorf("after switching, / goes to %q", got)
	}
}

type sitemap struct {
	URLs []struct {
		Loc   string `xml:"loc"`
		Links []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"url"`
}

func readSitemap(t *testing.T, e *env, host string) sitemap {
	t.Helper()
	res := e.get(t, host, "/sitemap.xml")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var sm sitemap
	if err := xml.Unmarshal([]byte(res.body), &sm); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.body, `xmlns:xhtml="http://www.w3.org/1999/xhtml"`) {
		t.Error("sitemap lacks the xhtml namespace")
	}
	return sm
}

func TestSitemap(t *testing.T) {
	e := shared(t)
	// home, history, cities, the list of joint events and each event, the accessibility pages
	for host, pages := range map[string]int{seinajoki: 1 + 10 + 2, siedlce: 1 + 1 + 7 + 1 + 13 + 2} {
		sm := readSitemap(t, e, host)
		if len(sm.URLs) != 4*pages {
			t.Errorf("%s: %d URLs, want %d", host, len(sm.URLs), 4*pages)
		}
		for _, u := range sm.URLs {
			// the site's own host name, whatever the request's Host header said
			if !strings.HasPrefix(u.Loc, origin(host)+"/") {
				t.Errorf("%s: loc %s on another host", host, u.Loc)
			}
			langs := map[string]bool{}
			for _, l := range u.Links {
				if l.Rel == "alternate" {
					langs[l.Hreflang] = true
				}
			}
			for _, l := range []string{"sv", "it", "pl", "fi", "x-default"} {
				if !langs[l] {
					t.Errorf("%s: %s has no alternate %s", host, u.Loc, l)
				}
			}
		}
	}
}

var (
	htmlLang  = regexp.MustCompile(`<html lang="([a-z]+)">`)
	titleRE   = regexp.MustCompile(`<title>([^<]+)</title>`)
	canonical = regexp.MustCompile(`<link rel="canonical" href="([^"]+)">`)
	alternate = regexp.MustCompile(`<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">`)
	messageID = regexp.MustCompile(`\b(nav|home|city|list|content|error|history|agreement|size)\.[a-z_.]+\b`)
)

// Every page of the sitemap, in every language, on both sites.
func TestEveryPageInEveryLanguage(t *testing.T) {
	e := shared(t)
	for _, host := range []string{seinajoki, siedlce} {
		for _, u := range readSitemap(t, e, host).URLs {
			path := strings.TrimPrefix(u.Loc, origin(host))
			t.Run(host+path, func(t *testing.T) {
				res := e.get(t, host, path)
				if res.StatusCode != 200 {
					t.Fatalf("status %d", res.StatusCode)
				}
				lang := path[1:3]
				if m := htmlLang.FindStringSubmatch(res.body); m == nil || m[1] != lang {
					t.Errorf("html lang = %v, want %s", m, lang)
				}
				if m := canonical.FindStringSubmatch(res.body); m == nil || m[1] != u.Loc {
					t.Errorf("canonical = %v, want %s", m, u.Loc)
				}
				alts := alternate.FindAllStringSubmatch(res.body, -1)
				if len(alts) != 5 {
					t.Errorf("%d alternates, want 5", len(alts))
				}
				if m := messageID.FindString(res.body); m != "" {
					t.Errorf("raw message ID %q on the page", m)
				}
				if strings.Contains(res.body, `class="notice"`) {
					t.Errorf("demo page shows a fallback notice")
				}
				if m := titleRE.FindStringSubmatch(res.body); m == nil || strings.TrimSpace(m[1]) == "" {
					t.Errorf("no title")
				}
				if !strings.Contains(res.body, `<meta name="description" content="`) {
					t.Errorf("no meta description")
				}
				if res.Header.Get("Content-Language") != lang {
					t.Errorf("Content-Language = %q", res.Header.Get("Content-Language"))
				}
			})
		}
	}
}

func TestLocalizedFacts(t *testing.T) {
	e := shared(t)
	nbsp := "\u00a0"
	tests := []struct {
		host, path string
		want       []string
	}{
		{siedlce, "/pl/cities/dasing", []string{"26 lipca 1998", "<dd>Niemcy</dd>", "<title>Dasing, Niemcy – Siedlce</title>"}},
		{siedlce, "/it/cities/dasing", []string{"26 luglio 1998", "<dd>Germania</dd>", "Comune di Dasing"}},
		{siedlce, "/sv/cities/dasing", []string{"26 juli 1998", "<dd>Tyskland</dd>"}},
		{siedlce, "/fi/cities/dasing", []string{"26. heinäkuuta 1998", "<dd>Saksa</dd>"}},
		{siedlce, "/pl/cities/kirov", []string{"Tekst umowy o współpracy", "JPG – plik nie jest dostępny w internecie"}},
		{seinajoki, "/fi/cities/koszalin", []string{"<dd>106" + nbsp + "000</dd>", "<dd>Puola</dd>", "<dd>1987</dd>"}},
		{seinajoki, "/it/cities/koszalin", []string{"<dd>106.000</dd>", "<dd>Polonia</dd>"}},
		{seinajoki, "/pl/cities/koszalin", []string{"<dd>106" + nbsp + "000</dd>", "<dd>Polska</dd>"}},
		{seinajoki, "/sv/cities/koszalin", []string{"<dd>106" + nbsp + "000</dd>", "<dd>Polen</dd>", "Staden har 106 000 invånare."}},
		{seinajoki, "/fi/cities/rudong", []string{"noin 1,8 miljoonaa (2018)"}},
		{seinajoki, "/pl/cities/rudong", []string{"ok. 1,8 miliona (2018 r.)"}},
		{seinajoki, "/sv/cities/jiangjin", []string{"1,5 miljoner", "15 juni 2017"}},
		{seinajoki, "/it/cities/qingdao", []string{"9 milioni (area urbana)"}},
		{seinajoki, "/fi/cities/sopron", []string{"yli 30 vuoden ajan", "Unkarin ystävien ystävyysseura"}},
		{seinajoki, "/pl/cities/sopron", []string{"od ponad 30 lat"}},
		{seinajoki, "/sv/cities/schweinfurt", []string{`href="https://sv.wikipedia.org/wiki/Schweinfurt" hreflang="sv"`, "Schweinfurt i Wikipedia"}},
		{seinajoki, "/fi/cities/veliki-novgorod", []string{`href="https://fi.wikipedia.org/wiki/Novgorod" hreflang="fi"`, "Wikipedia: Veliki Novgorod<"}},
		{seinajoki, "/fi/", []string{"6 ystävyyskaupunkia", "4 yhteistyökaupunkia", "Saksa <span aria-hidden=\"true\">·</span> vuodesta 1974", "Puola <span aria-hidden=\"true\">·</span> sopimus 1987"}},
		{seinajoki, "/pl/", []string{"6 miast partnerskich", "4 miasta współpracujące"}},
		{seinajoki, "/sv/", []string{"6 vänorter", "4 samarbetsstäder", "Seinäjoki har för närvarande följande vänorter:"}},
		{siedlce, "/pl/", []string{"7 miast partnerskich", "umowa z 1993 r."}},
		{siedlce, "/it/", []string{"7 città gemellate"}},
		{siedlce, "/pl/history", []string{"Historia współpracy z miastami partnerskimi", "Ważniejsze wydarzenia w ramach współpracy partnerskiej", "Tomasza Nowaka"}},
		{siedlce, "/fi/history", []string{`<html lang="fi">`, "Käännös. Alkuperäinen kieli: puola."}},
	}
	for _, tc := range tests {
		t.Run(tc.host+tc.path, func(t *testing.T) {
			res := e.get(t, tc.host, tc.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

// Where the source dates only the partnership ("vänort sedan 1974", "Vänskapsbanden
// etablerades 1974"), the site says "since 1974" under the partnership, never "Agreement 1974":
// on the city page, in the home page's list and on the timeline, in every language.
func TestSinceIsNotAnAgreement(t *testing.T) {
	e := shared(t)
	tests := []struct {
		lang, label, since, agreementLabel, listAgreement string
	}{
		{"fi", "Kumppanuus", "vuodesta 1974", "Sopimus", "sopimus 1974"},
		{"sv", "Samarbete", "sedan 1974", "Avtal", "avtal 1974"},
		{"pl", "Partnerstwo", "od 1974 r.", "Umowa", "umowa z 1974 r."},
		{"it", "Partenariato", "dal 1974", "Accordo", "accordo del 1974"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			for _, slug := range []string{"thunder-bay", "schweinfurt"} {
				page := e.get(t, seinajoki, "/"+tc.lang+"/cities/"+slug).body
				if !strings.Contains(page, "<dt>"+tc.label+"</dt>") || !strings.Contains(page, "<dd>"+tc.since+"</dd>") ||
					strings.Contains(page, "<dt>"+tc.agreementLabel+"</dt>") {
					t.Errorf("%s: no %q: %q, or an agreement", slug, tc.label, tc.since)
				}
			}
			if page := e.get(t, seinajoki, "/"+tc.lang+"/cities/koszalin").body; !strings.Contains(page, "<dt>"+tc.agreementLabel+"</dt><dd>1987</dd>") {
				t.Errorf("koszalin: no %q 1987", tc.agreementLabel)
			}
			home := e.get(t, seinajoki, "/"+tc.lang+"/").body
			if strings.Contains(home, tc.listAgreement) || strings.Count(home, tc.since) < 4 { // 2 in the list, 2 on the timeline
				t.Errorf("home: %q shown, or %q fewer than 4 times", tc.listAgreement, tc.since)
			}
		})
	}
}

// A status is shown only where the sources record one (Seinäjoki's "för närvarande"); Siedlce's
// cities, twin towns by their Polish source, show none.
func TestStatusOnlyWhereRecorded(t *testing.T) {
	e := shared(t)
	tests := []struct {
		host, path, kind, status string // status "" = no status shown
	}{
		{siedlce, "/pl/cities/kirov", "Miasto partnerskie", ""},
		{siedlce, "/it/cities/dasing", "Città gemellata", ""},
		{siedlce, "/sv/cities/sabinov", "Vänort", ""},
		{siedlce, "/fi/cities/pescantina", "Ystävyyskaupunki", ""},
		{seinajoki, "/pl/cities/koszalin", "Miasto partnerskie", "Aktywna"},
		{seinajoki, "/pl/cities/changsha", "Miasto współpracujące", "Aktywna"},
		{seinajoki, "/fi/cities/qingdao", "Yhteistyökaupunki", "Aktiivinen"},
	}
	for _, tc := range tests {
		t.Run(tc.host+tc.path, func(t *testing.T) {
			lang := strings.Split(tc.path, "/")[1]
			label := map[string]string{"pl": "Status", "it": "Stato", "sv": "Status", "fi": "Tila"}[lang]
			res := e.get(t, tc.host, tc.path)
			if !strings.Contains(res.body, "<dd>"+tc.kind+"</dd>") {
				t.Errorf("kind %q not shown", tc.kind)
			}
			shown := strings.Contains(res.body, "<dt>"+label+"</dt>")
			if shown != (tc.status != "") || tc.status != "" && !strings.Contains(res.body, "<dd>"+tc.status+"</dd>") {
				t.Errorf("status shown = %v, want %q", shown, tc.status)
			}
		})
	}
}

func TestSitesAreIsolated(t *testing.T) {
	e := shared(t)
	tests := []struct{ host, path string }{
		{siedlce, "/pl/cities/schweinfurt"},
		{seinajoki, "/fi/cities/dasing"},
		{seinajoki, "/fi/history"},
		{"example.org", "/pl/cities/kirov"},
	}
	for _, tc := range tests {
		if res := e.get(t, tc.host, tc.path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s%s: status %d, want 404", tc.host, tc.path, res.StatusCode)
		}
	}
	if res := e.get(t, siedlce, "/pl/"); strings.Contains(res.body, "Schweinfurt") || !strings.Contains(res.body, "Pescantina") {
		t.Error("Siedlce's home page shows another site's cities")
	}
	if res := e.get(t, "SIEDLCE.localhost.:9999", "/pl/"); !strings.Contains(res.body, "Pescantina") {
		t.Error("host matching must ignore case, port and a trailing dot")
	}
}

func TestBadInput(t *testing.T) {
	e := shared(t)
	tests := []struct {
		name, host, path, accept string
		status                   int
		contains                 string
	}{
		{"unknown language", seinajoki, "/en/", "", 404, `<html lang="fi">`},
		{"unknown language, negotiated 404", seinajoki, "/de/cities/koszalin", "sv", 404, "Sidan hittades inte"},
		{"unknown city in Polish", siedlce, "/pl/cities/warszawa", "", 404, "Nie znaleziono strony"},
		{"unknown city in Italian", siedlce, "/it/cities/x", "fi", 404, "Pagina non trovata"},
		{"unknown page", seinajoki, "/fi/nothing/here", "", 404, "Sivua ei löytynyt"},
		{"uppercase language", seinajoki, "/FI/", "", 404, ""},
		{"static traversal", seinajoki, "/static/../go.mod", "", 404, ""},
		{"static encoded traversal", seinajoki, "/static/%2e%2e/%2e%2e/go.mod", "", 404, ""},
		{"static unfingerprinted", seinajoki, "/static/css/site.css", "", 404, ""},
		{"static folder", seinajoki, "/static/", "", 404, ""},
		{"nul byte", seinajoki, "/fi/cities/%00", "", 404, ""},
		{"long path", seinajoki, "/fi/cities/" + strings.Repeat("a", 5000), "", 404, ""},
		{"document of a city without it", siedlce, "/pl/cities/dasing/documents/agreement", "", 404, "Nie znaleziono strony"},
		{"language without slash", seinajoki, "/sv", "", 301, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := e.get(t, tc.host, tc.path, "Accept-Language", tc.accept)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if !strings.Contains(res.body, tc.contains) {
				t.Errorf("body lacks %q:\n%s", tc.contains, res.body)
			}
		})
	}
	if res := e.do(t, http.MethodPost, seinajoki, "/fi/"); res.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(res.body, `<html lang="fi">`) {
		t.Errorf("POST: %d", res.StatusCode)
	}
	if res := e.do(t, http.MethodDelete, siedlce, "/pl/cities/kirov"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", res.StatusCode)
	}
	head := e.do(t, http.MethodHead, siedlce, "/pl/cities/kirov")
	if head.StatusCode != 200 || head.body != "" || head.Header.Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, %d bytes", head.StatusCode, len(head.body))
	}
	if csp := head.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || head.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("security headers: %v", head.Header)
	}
}

func TestStaticAndConditionalRequests(t *testing.T) {
	e := shared(t)
	page := e.get(t, seinajoki, "/fi/")
	css := regexp.MustCompile(`href="(/static/css/site\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(page.body)
	if css == nil {
		t.Fatal("no fingerprinted stylesheet")
	}
	res := e.get(t, seinajoki, css[1])
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("css: %d %v", res.StatusCode, res.Header)
	}
	etag := page.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if again := e.get(t, seinajoki, "/fi/", "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", again.StatusCode)
	}
}

// A city with only a Finnish text: every other language says so, and shows the Finnish text
// marked as Finnish.
func TestMissingTranslationFallsBackVisibly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sites, err := e.db.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.db.Content(ctx, sites[0])
	if err != nil {
		t.Fatal(err)
	}
	c.Cities = append(c.Cities, twinning.City{
		Slug: "kouvola-test", Kind: twinning.KindPartner, Country: "EE", Status: twinning.StatusActive,
		Agreement: twinning.Agreement{Precision: twinning.PrecisionUnknown},
		Texts: map[string]twinning.CityText{"fi": {Lang: "fi", Name: "Testikaupunki",
			Description: "Vain suomeksi kirjoitettu kuvaus."}},
	})
	if err := e.db.SaveContent(ctx, c); err != nil {
		t.Fatal(err)
	}
	e.srv.Invalidate()
	notices := map[string]string{
		"sv": "Den här texten finns ännu inte på svenska",
		"it": "Questo testo non è ancora disponibile in italiano",
		"pl": "Ten tekst nie jest jeszcze dostępny po polsku",
	}
	for lang, notice := range notices {
		res := e.get(t, seinajoki, "/"+lang+"/cities/kouvola-test")
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", lang, res.StatusCode)
		}
		if !strings.Contains(res.body, notice) {
			t.Errorf("%s: no fallback notice", lang)
		}
		if !strings.Contains(res.body, `<h1 lang="fi">Testikaupunki</h1>`) || !strings.Contains(res.body, `<div class="city-text" lang="fi">`) {
			t.Errorf("%s: fallback text not marked lang=fi", lang)
		}
		home := e.get(t, seinajoki, "/"+lang+"/")
		if !strings.Contains(home.body, `<a href="/`+lang+`/cities/kouvola-test" lang="fi">Testikaupunki</a>`) {
			t.Errorf("%s: home list does not mark the fallback name", lang)
		}
	}
	if res := e.get(t, seinajoki, "/fi/cities/kouvola-test"); strings.Contains(res.body, `class="notice"`) {
		t.Error("fi page shows a fallback notice")
	}
}

// Pages come from memory until the content changes; a change anywhere reaches every
// instance through LISTEN/NOTIFY.
func TestCacheFollowsContentChanges(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.srv.Run(ctx)
	waitListening(t, e.db)
	before := e.get(t, seinajoki, "/sv/cities/sopron")
	if !strings.Contains(before.body, "Sopron ligger alldeles intill") {
		t.Fatal("unexpected page")
	}
	if _, err := e.db.Pool.Exec(ctx, `UPDATE city_texts SET description = 'Ny text om Sopron.'
		WHERE lang = 'sv' AND city_id = (SELECT id FROM cities WHERE slug = 'sopron')`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		res := e.get(t, seinajoki, "/sv/cities/sopron")
		if strings.Contains(res.body, "Ny text om Sopron.") {
			if res.Header.Get("ETag") == before.Header.Get("ETag") {
				t.Error("ETag did not change with the page")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("page still stale 5 s after the change")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type downStore struct{ web.Store }

func (downStore) Ping(context.Context) error { return io.ErrUnexpectedEOF }
func (downStore) Sites(context.Context) ([]twinning.Site, error) {
	return nil, io.ErrUnexpectedEOF
}

func TestHealthz(t *testing.T) {
	e := shared(t)
	if res := e.get(t, seinajoki, "/healthz"); res.StatusCode != 200 {
		t.Errorf("healthz: %d", res.StatusCode)
	}
	// a database that does not answer: 503 on /healthz, a translated 503 page elsewhere
	bundle, _ := locale.Load()
	srv, err := web.NewServer(slog.New(slog.DiscardHandler), downStore{}, bundle, web.Options{Sessions: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	down := &env{srv: srv}
	if res := down.get(t, seinajoki, "/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with the database down: %d", res.StatusCode)
	}
	res := down.get(t, seinajoki, "/sv/", "Accept-Language", "sv")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(res.body, "Tjänsten är tillfälligt otillgänglig") {
		t.Errorf("page with the database down: %d\n%s", res.StatusCode, res.body)
	}
}

func TestAccessibilityStatementAndFeedback(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ host, lang, want string }{
		{seinajoki, "fi", "https://www.saavutettavuusvaatimukset.fi/"},
		{siedlce, "pl", "https://bip.brpo.gov.pl/"},
		{siedlce, "it", "Rzecznik Praw Obywatelskich"},
	} {
		res := e.get(t, tc.host, "/"+tc.lang+"/accessibility")
		if res.StatusCode != 200 || !strings.Contains(res.body, tc.want) || !strings.Contains(res.body, "2026") {
			t.Errorf("%s/%s statement: %d", tc.host, tc.lang, res.StatusCode)
		}
	}
	home := e.get(t, seinajoki, "/sv/")
	if !strings.Contains(home.body, `href="/sv/accessibility"`) || !strings.Contains(home.body, `href="/sv/accessibility/feedback"`) {
		t.Error("footer lacks the statement and the feedback form")
	}
	post := func(form url.Values, addr string) response {
		r := httptest.NewRequest(http.MethodPost, "http://"+siedlce+"/pl/accessibility/feedback", strings.NewReader(form.Encode()))
		r.Host = siedlce
		r.RemoteAddr = addr + ":5555"
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Result().Body)
		return response{w.Result(), string(b)}
	}
	empty := post(url.Values{"message": {"  "}, "page": {"/pl/history"}, "email": {"jan@"}}, "10.0.0.1")
	if empty.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(empty.body, `value="/pl/history"`) ||
		!strings.Contains(empty.body, `id="message-error"`) || !strings.Contains(empty.body, `id="email-error"`) {
		t.Errorf("empty message: %d", empty.StatusCode)
	}
	long := post(url.Values{"message": {strings.Repeat("ą", 5001)}}, "10.0.0.1")
	if long.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(long.body, strings.Repeat("ą", 5001)) {
		t.Errorf("oversized message: %d", long.StatusCode)
	}
	if res := post(url.Values{"message": {"bad \xff bytes \x00 and a NUL"}, "email": {"\xff@x.pl"}}, "10.0.0.5"); res.StatusCode >= 500 {
		t.Errorf("invalid UTF-8: %d", res.StatusCode)
	}
	if res := post(url.Values{"message": {"ok \xff text"}}, "10.0.0.5"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("invalid UTF-8 in a valid message: %d", res.StatusCode)
	}
	bot := post(url.Values{"message": {"buy now"}, "website": {"http://spam.example"}}, "10.0.0.2")
	if bot.StatusCode != http.StatusSeeOther {
		t.Errorf("honeypot: %d", bot.StatusCode)
	}
	for i := range 5 {
		if res := post(url.Values{"message": {fmt.Sprintf("Kontrast przycisku %d jest za niski.", i)}}, "10.0.0.3"); res.StatusCode != http.StatusSeeOther ||
			res.Header.Get("Location") != "/pl/accessibility/feedback/thanks" {
			t.Fatalf("message %d: %d", i, res.StatusCode)
		}
	}
	flood := post(url.Values{"message": {"Szósta wiadomość."}}, "10.0.0.3")
	if flood.StatusCode != http.StatusTooManyRequests || !strings.Contains(flood.body, "Szósta wiadomość.") {
		t.Errorf("flood: %d", flood.StatusCode)
	}
	if res := post(url.Values{"message": {"Inny adres."}}, "10.0.0.4"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another address: %d", res.StatusCode)
	}
	var n int
	e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM feedback`).Scan(&n)
	if n != 8 {
		t.Errorf("%d feedback rows stored, want 8 (no empty, oversized, bot or flood rows)", n)
	}
	if res := e.get(t, siedlce, "/pl/accessibility/feedback/thanks"); res.StatusCode != 200 {
		t.Errorf("thanks page: %d", res.StatusCode)
	}
	// cross-site posts are refused
	r := httptest.NewRequest(http.MethodPost, "http://"+siedlce+"/pl/accessibility/feedback", strings.NewReader("message=x"))
	r.Host = siedlce
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("cross-site feedback: %d", w.Code)
	}
	// staff see it
	s := e.staff(t, "jan@siedlce.pl", "siedlce", false)
	s.login("jan@siedlce.pl")
	if list := s.get("/admin/sites/siedlce/feedback"); !strings.Contains(list.body, "Kontrast przycisku 4 jest za niski.") {
		t.Error("staff do not see the feedback")
	}
	other := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	other.login("anna@seinajoki.fi")
	if list := other.get("/admin/sites/seinajoki/feedback"); strings.Contains(list.body, "Kontrast") {
		t.Error("another site's staff see the feedback")
	}
}
