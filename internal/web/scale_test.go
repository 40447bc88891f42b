package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/alexedwards/scs/pgxstore"

	"twintowns/internal/demo"
	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
	"twintowns/internal/web"
)

// copiesEnv is a server on the demo sites and n copies of them (m0001.localhost …).
func copiesEnv(t *testing.T, n int, options ...func(*web.Options)) (*env, *countingStore) {
	t.Helper()
	db := pgtest.SeededDB(t)
	if made, err := db.CopySites(context.Background(), demo.Sites, n); err != nil || made != n {
		t.Fatalf("copies: %d, %v", made, err)
	}
	store := &countingStore{DB: db}
	bundle, _ := locale.Load()
	opts := web.Options{Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0), ContentChanges: db}
	for _, o := range options {
		o(&opts)
	}
	srv, err := web.NewServer(slog.New(slog.DiscardHandler), store, bundle, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, srv: srv}, store
}

// countingStore is the real store, counting the reads of sites.
type countingStore struct {
	*postgres.DB
	headers, header, content atomic.Int64
}

func (s *countingStore) SiteHeaders(ctx context.Context) ([]twinning.Site, error) {
	s.headers.Add(1)
	return s.DB.SiteHeaders(ctx)
}

func (s *countingStore) SiteHeader(ctx context.Context, id int64) (twinning.Site, error) {
	s.header.Add(1)
	return s.DB.SiteHeader(ctx, id)
}

func (s *countingStore) Content(ctx context.Context, site twinning.Site) (twinning.Content, error) {
	s.content.Add(1)
	return s.DB.Content(ctx, site)
}

var canonicalRE = regexp.MustCompile(`<link rel="canonical" href="http://([^/"]+)/`)

// canonicalHost is the host of a page's canonical URL: the site that answered.
func canonicalHost(t *testing.T, page string) string {
	t.Helper()
	m := canonicalRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no canonical URL")
	}
	return m[1]
}

// Hosts resolve to their site through the index: every site is read once, then only the site
// that changed; unknown hosts get the default site without a query.
func TestSitesResolvedByHost(t *testing.T) {
	e, store := copiesEnv(t, 12)
	for _, tc := range []struct{ host, want string }{
		{"m0001.localhost", "m0001.localhost"},
		{"M0007.LOCALHOST.:8080", "m0007.localhost"},
		{"m0012.localhost", "m0012.localhost"},
		{"siedlce.localhost", "siedlce.localhost"},
		{"nowhere.example", "seinajoki.localhost"},
		{"", "seinajoki.localhost"},
	} {
		res := e.get(t, tc.host, "/fi/")
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", tc.host, res.StatusCode)
		}
		if got := canonicalHost(t, res.body); got != tc.want {
			t.Errorf("%s: page of %s, want %s", tc.host, got, tc.want)
		}
	}
	if n := store.headers.Load(); n != 1 {
		t.Errorf("every site read %d times", n)
	}
	// Another host for m0005: read again, alone, after its change.
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE sites SET hosts = hosts || '{twin.example}' WHERE slug = 'm0005'`); err != nil {
		t.Fatal(err)
	}
	e.srv.InvalidateSite(siteID(t, e, "m0005"))
	if got := canonicalHost(t, e.get(t, "twin.example", "/pl/").body); got != "m0005.localhost" {
		t.Errorf("new host name resolves to %s", got)
	}
	for range 3 {
		e.get(t, "m0003.localhost", "/pl/")
	}
	if h, one := store.headers.Load(), store.header.Load(); h != 1 || one != 1 {
		t.Errorf("after a change of one site: every site read %d times, one site %d times", h, one)
	}
}

// An edit drops the pages and content of its site alone: the other sites' pages are served
// without rendering or reading again.
func TestEditDropsOnlyItsSite(t *testing.T) {
	e, store := copiesEnv(t, 4)
	hosts := []string{"m0001.localhost", "m0002.localhost", "m0003.localhost", "m0004.localhost"}
	for _, h := range hosts {
		e.get(t, h, "/pl/")
		e.get(t, h, "/sv/")
	}
	renders, reads := metric(t, e.srv, "twintowns_page_cache_renders_total"), store.content.Load()
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE site_texts SET intro = 'Ny inledning.'
		WHERE lang = 'sv' AND site_id = (SELECT id FROM sites WHERE slug = 'm0002')`); err != nil {
		t.Fatal(err)
	}
	e.srv.InvalidateSite(siteID(t, e, "m0002"))
	for _, h := range hosts {
		res := e.get(t, h, "/sv/")
		if edited := strings.Contains(res.body, "Ny inledning."); edited != (h == "m0002.localhost") {
			t.Errorf("%s shows the edit: %t", h, edited)
		}
		e.get(t, h, "/pl/")
	}
	if got := metric(t, e.srv, "twintowns_page_cache_renders_total") - renders; got != 2 {
		t.Errorf("%v pages rendered after the edit of one site, want its 2", got)
	}
	if got := store.content.Load() - reads; got != 1 {
		t.Errorf("%d contents read after the edit of one site, want 1", got)
	}
}

// Sites' content lives in the cache's byte bound: with room for a few sites, many sites are
// served right, their content read again as it is evicted, and the bound holds.
func TestSiteContentEvictedWithinBound(t *testing.T) {
	const bound = 2_000_000 // an eighth for contents: a few sites'
	e, store := copiesEnv(t, 30, func(o *web.Options) { o.CacheBytes = bound })
	for round := range 2 {
		for i := 1; i <= 30; i++ {
			host := fmt.Sprintf("m%04d.localhost", i)
			lang := []string{"sv", "pl"}[i%2] // copies of Seinäjoki, then of Siedlce
			res := e.get(t, host, "/"+lang+[]string{"/", "/accessibility"}[round])
			if res.StatusCode != 200 || canonicalHost(t, res.body) != host {
				t.Fatalf("round %d, %s: %d", round, host, res.StatusCode)
			}
			if b := metric(t, e.srv, "twintowns_page_cache_bytes"); b > bound {
				t.Fatalf("%v bytes cached, bound %d", b, bound)
			}
		}
	}
	if n := store.content.Load(); n <= 30 {
		t.Errorf("content read %d times for 30 sites twice: nothing was evicted", n)
	}
	if n := metric(t, e.srv, "twintowns_site_cache_entries"); n == 0 || n >= 30 {
		t.Errorf("%v sites' content cached", n)
	}
}

// The size the cache counts for a site's content is close to what it holds on the heap. The
// heap is measured five times: other goroutines of the test binary free memory meanwhile.
func TestContentSize(t *testing.T) {
	e := shared(t)
	sites, _ := e.db.SiteHeaders(context.Background())
	for _, site := range sites {
		const n = 20
		var heaps []float64
		var est float64
		for range 5 {
			var kept [n]twinning.Content
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for i := range kept {
				c, err := e.db.Content(context.Background(), site)
				if err != nil {
					t.Fatal(err)
				}
				kept[i] = c
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			heaps = append(heaps, (float64(after.HeapAlloc)-float64(before.HeapAlloc))/n)
			est = float64(web.ContentSize(&kept[0]))
			runtime.KeepAlive(kept)
		}
		slices.Sort(heaps)
		heap := heaps[len(heaps)/2]
		t.Logf("%s: heap %.0f bytes (of %v), estimate %.0f", site.Slug, heap, heaps, est)
		if est < heap/2 || est > heap*2 {
			t.Errorf("%s: estimate %.0f bytes, heap %.0f", site.Slug, est, heap)
		}
	}
}

// Share images are drawn once, stored for every instance, and dropped with their entry or
// when what they show changes.
func TestShareImagesStoredAndDropped(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	stored := func(typ string, id int64) int {
		var n int
		if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM share_images WHERE type = $1 AND id = $2`, typ, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	koszalin, sj := cityID(t, e, "seinajoki", "koszalin"), siteID(t, e, "seinajoki")
	first := e.get(t, seinajoki, "/fi/cities/koszalin/share.png")
	home := e.get(t, seinajoki, "/fi/share.png")
	if first.StatusCode != 200 || home.StatusCode != 200 || metric(t, e.srv, "twintowns_share_images_drawn_total") != 2 {
		t.Fatalf("%d %d, %v drawn", first.StatusCode, home.StatusCode, metric(t, e.srv, "twintowns_share_images_drawn_total"))
	}
	if stored("city", koszalin) != 1 || stored("site", sj) != 1 {
		t.Fatal("share images not stored")
	}
	other := envOn(t, e.db) // another instance, or this one after a restart
	if again := other.get(t, seinajoki, "/fi/cities/koszalin/share.png"); again.body != first.body {
		t.Error("the other instance serves another image")
	}
	if n := metric(t, other.srv, "twintowns_share_images_drawn_total"); n != 0 {
		t.Errorf("the other instance drew %v images", n)
	}
	// A city's name changes: its image and the site's go, and are drawn anew.
	if _, err := e.db.Pool.Exec(ctx, `UPDATE city_texts SET name = 'Koszalin (Pommern)' WHERE city_id = $1 AND lang = 'fi'`, koszalin); err != nil {
		t.Fatal(err)
	}
	if stored("city", koszalin) != 0 || stored("site", sj) != 0 {
		t.Error("images kept after the city's name changed")
	}
	other.srv.InvalidateSite(sj)
	if again := other.get(t, seinajoki, "/fi/cities/koszalin/share.png"); again.StatusCode != 200 || again.body == first.body {
		t.Error("image not drawn again after the change")
	}
	if stored("city", koszalin) != 1 {
		t.Error("new image not stored")
	}
	// The city goes to the trash: so does its image.
	if err := e.db.TrashEntry(ctx, twinning.CityType, sj, koszalin, true, twinning.Actor{Email: "t@example.org"}); err != nil {
		t.Fatal(err)
	}
	if stored("city", koszalin) != 0 {
		t.Error("image kept with its city in the trash")
	}
	if res := e.get(t, seinajoki, "/fi/cities/koszalin/share.png"); res.StatusCode != http.StatusNotFound {
		t.Errorf("image of a city in the trash: %d", res.StatusCode)
	}
}

// With thousands of sites, staff pages list sites a page at a time, with a search: the
// list of sites and the site choices of the account form.
func TestSiteListsArePaginated(t *testing.T) {
	e, _ := copiesEnv(t, 120)
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	links := regexp.MustCompile(`<li><a href="/admin/sites/([a-z0-9-]+)">`)
	first := root.get("/admin/sites")
	if n := len(links.FindAllString(first.body, -1)); first.StatusCode != 200 || n != 50 {
		t.Fatalf("first page: %d, %d sites", first.StatusCode, n)
	}
	if !strings.Contains(first.body, `href="/admin/sites?page=2" rel="next"`) || !strings.Contains(first.body, "122") {
		t.Error("first page: no link to the next page or no count")
	}
	last := root.get("/admin/sites?page=3")
	if n := len(links.FindAllString(last.body, -1)); n != 22 || !strings.Contains(last.body, `rel="prev"`) || strings.Contains(last.body, `rel="next"`) {
		t.Errorf("last page: %d sites", n)
	}
	found := root.get("/admin/sites?q=m0107")
	if m := links.FindAllStringSubmatch(found.body, -1); len(m) != 1 || m[0][1] != "m0107" {
		t.Errorf("search m0107: %v", m)
	}
	if res := root.get("/admin/sites?q=siedlce.localhost"); !strings.Contains(res.body, `href="/admin/sites/siedlce"`) {
		t.Error("search by host name finds nothing")
	}
	if res := root.get("/admin/sites?q=nothing-like-it"); res.StatusCode != 200 || len(links.FindAllString(res.body, -1)) != 0 {
		t.Errorf("search without result: %d", res.StatusCode)
	}
	for _, bad := range []string{"?page=-3", "?page=x", "?page=99999999999999999999", "?q=%00"} {
		if res := root.get("/admin/sites" + bad); res.StatusCode != 200 {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}

	// The account form: the sites ticked, then a page of the others; a search keeps what was typed.
	boxes := regexp.MustCompile(`<input type="checkbox" id="site-(\d+)" name="sites" value="\d+"( checked)?>`)
	form := root.get("/admin/users/new")
	if n := len(boxes.FindAllString(form.body, -1)); n != 50 {
		t.Errorf("new account form offers %d sites", n)
	}
	m0107 := fmt.Sprint(siteID(t, e, "m0107"))
	typed := url.Values{"email": {"new@example.org"}, "role": {"editor"}, "sites": {m0107}, "langs": {"sv"},
		"site_q": {"m0011"}, "site_q_shown": {""}, "site_search": {"1"}}
	res := root.post("/admin/users/new", typed)
	got := boxes.FindAllStringSubmatch(res.body, -1)
	if res.StatusCode != 200 || len(got) != 2 || got[0][1] != m0107 || got[0][2] == "" || got[1][2] != "" {
		t.Fatalf("search of sites: %d, %v", res.StatusCode, got)
	}
	if !strings.Contains(res.body, `value="new@example.org"`) || !strings.Contains(res.body, `value="m0011"`) {
		t.Error("the search lost what was typed")
	}
	if u, _, err := e.db.UserByEmail(context.Background(), "new@example.org"); err == nil {
		t.Errorf("a search made the account %v", u)
	}
	// Enter in the search field (the form's own button, the search changed) searches too.
	typed.Del("site_search")
	typed.Set("site_q", "m0012")
	typed.Set("site_q_shown", "m0011")
	if res := root.post("/admin/users/new", typed); res.StatusCode != 200 || !strings.Contains(res.body, `value="m0012"`) {
		t.Errorf("Enter in the search: %d", res.StatusCode)
	}
	typed.Set("site_q_shown", "m0012")
	if res := root.post("/admin/users/new", typed); res.StatusCode != 200 || !strings.Contains(res.body, "one-time-link") {
		t.Errorf("invite after searching: %d", res.StatusCode)
	}
	if u, _, err := e.db.UserByEmail(context.Background(), "new@example.org"); err != nil || len(u.Sites) != 1 || fmt.Sprint(u.Sites[0]) != m0107 {
		t.Errorf("invited account: %+v, %v", u, err)
	}
	next := url.Values{"email": {"x@example.org"}, "role": {"editor"}, "site_page": {"2"}}
	if res := root.post("/admin/users/new", next); res.StatusCode != 200 || len(boxes.FindAllString(res.body, -1)) != 50 ||
		!strings.Contains(res.body, `name="site_page" value="1"`) {
		t.Errorf("second page of sites: %d", res.StatusCode)
	}
}
