package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var (
	svgRe    = regexp.MustCompile(`(?s)<svg viewBox="0 0 1000 \d+" class="map-svg">.*?</svg>`)
	markerRe = regexp.MustCompile(`<a href="([^"]*)" class="marker marker-(twin|partner)(?: marker-approx)?" aria-label="([^"]+)"><title[^>]*>([^<]+)</title>`)
)

func TestHomeMaps(t *testing.T) {
	e := shared(t)
	tests := []struct {
		host, scope     string
		markers         int // cities with coordinates from GeoNames
		areas           int // crowded areas drawn again larger
		twins, partners bool
	}{
		{seinajoki, "world", 10, 2, true, true},
		{siedlce, "region", 7, 1, true, false},
	}
	for _, tc := range tests {
		for _, lang := range []string{"sv", "it", "pl", "fi"} {
			t.Run(tc.host+"/"+lang, func(t *testing.T) {
				page := e.get(t, tc.host, "/"+lang+"/")
				if page.StatusCode != 200 {
					t.Fatalf("status %d", page.StatusCode)
				}
				if !strings.Contains(page.body, `<figure class="map map-`+tc.scope+`"`) {
					t.Errorf("the map is not framed to the %s", tc.scope)
				}
				// The map and the larger maps of its crowded areas.
				svg := strings.Join(svgRe.FindAllString(page.body, -1), "")
				if svg == "" {
					t.Fatal("no map")
				}
				// Nothing from elsewhere: no URL but the site's own city pages.
				if strings.Contains(svg, "http") || strings.Contains(svg, "<image") || strings.Contains(svg, "<script") || strings.Contains(svg, "url(") {
					t.Errorf("the map refers to something outside the site")
				}
				hrefs := regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(svg, -1)
				ms := markerRe.FindAllStringSubmatch(svg, -1)
				if len(ms) != tc.markers || len(hrefs) != tc.markers+tc.areas {
					t.Fatalf("%d markers, %d links, want %d and %d areas", len(ms), len(hrefs), tc.markers, tc.areas)
				}
				for i := 1; i <= tc.areas; i++ {
					id := fmt.Sprintf("home-map-%d", i)
					if !strings.Contains(svg, `<a href="#`+id+`" class="map-area"`) || !strings.Contains(page.body, `<figure class="map map-detail" id="`+id+`"`) {
						t.Errorf("no area linking to its larger map %s", id)
					}
				}
				kinds := map[string]bool{}
				for _, m := range ms {
					kinds[m[2]] = true
					if !strings.HasPrefix(m[1], "/"+lang+"/cities/") || !strings.HasPrefix(m[3], html(m[4])) {
						t.Errorf("marker %q named %q (title %q)", m[1], m[3], m[4])
					}
					if res := e.get(t, tc.host, m[1]); res.StatusCode != 200 {
						t.Errorf("%s: %d", m[1], res.StatusCode)
					}
				}
				if kinds["twin"] != tc.twins || kinds["partner"] != tc.partners {
					t.Errorf("marker kinds %v", kinds)
				}
				if !strings.Contains(svg, `class="marker marker-home" role="img" aria-label="`) {
					t.Error("the municipality is not marked")
				}
				// The legend tells the kinds apart by shape; the credit is under the map.
				caption := page.body[strings.Index(page.body, `</svg><figcaption id="home-map-caption"`):]
				caption = caption[:strings.Index(caption, "</figure>")]
				for _, want := range []string{`class="key marker-home"`, "Natural Earth", "GeoNames, CC BY 4.0"} {
					if !strings.Contains(caption, want) {
						t.Errorf("caption lacks %q", want)
					}
				}
				if strings.Contains(caption, `class="key marker-twin"`) != tc.twins || strings.Contains(caption, `class="key marker-partner"`) != tc.partners {
					t.Error("the legend does not match the markers")
				}
			})
		}
	}
}

func TestHomeMapNamesThePlacesItLeavesOff(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE cities SET latitude = NULL, longitude = NULL
		WHERE slug IN ('vawkavysk', 'kirov')`); err != nil {
		t.Fatal(err)
	}
	e.srv.Invalidate()
	page := e.get(t, siedlce, "/pl/")
	missing := regexp.MustCompile(`<p class="map-missing">(.*?)</p>`).FindStringSubmatch(page.body)
	if missing == nil {
		t.Fatal("no list of cities left off the map")
	}
	for _, name := range []string{"Wołkowysk", "Kirow"} {
		if !strings.Contains(missing[1], name) {
			t.Errorf("%s is not named as left off: %s", name, missing[1])
		}
	}
}

func TestTimeline(t *testing.T) {
	e := shared(t)
	tests := []struct {
		host, lang string
		years      string
		want       []string
		not        []string
	}{
		{seinajoki, "fi", "1974 1987 2016 2017 2018", []string{
			`<time datetime="2017-06-15">15. kesäkuuta 2017</time>`,
			`<span class="timeline-year">yli 30 vuoden ajan</span><ul><li><a href="/fi/cities/sopron">Sopron</a>`,
			`<span class="timeline-year">Vuosi ei tiedossa</span><ul><li><a href="/fi/cities/qingdao">Qingdao</a>`,
		}, nil},
		{siedlce, "pl", "1993 1996 1997 1998 1999 2000 2001 2002 2003 2004 2005 2008", []string{
			`<time datetime="1998-05-30">`, `<time datetime="1998-07-26">`, `<h2 id="timeline">Partnerstwa i wspólne wydarzenia według lat</h2>`,
			// the joint events, as precisely dated as the source dates them
			`<a href="/pl/events/wizyta-uczniow-z-pescantiny">Uczniowie z Pescantiny z wizytą w siedleckich szkołach</a> <span class="meta">Wspólne wydarzenie <span aria-hidden="true">·</span> <time datetime="1999">rok szkolny 1999/2000</time>`,
			`<time datetime="2000-10">październik 2000</time>`, `<time datetime="1999-06-10">10 czerwca 1999</time>`,
		}, []string{`class="timeline-undated"`}},
		{seinajoki, "sv", "1974 1987 2016 2017 2018", []string{`<span class="timeline-year">i över 30 år</span>`, "År inte angivet"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.host+"/"+tc.lang, func(t *testing.T) {
			body := e.get(t, tc.host, "/"+tc.lang+"/").body
			ol := regexp.MustCompile(`(?s)<ol class="timeline">.*?</ol>`).FindString(body)
			var years []string
			for _, m := range regexp.MustCompile(`<span class="timeline-year"><time datetime="(\d{4})">`).FindAllStringSubmatch(ol, -1) {
				years = append(years, m[1])
			}
			if got := strings.Join(years, " "); got != tc.years {
				t.Errorf("years %q, want %q", got, tc.years)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("timeline lacks %s", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("timeline has %s", n)
				}
			}
		})
	}
}

// Every locator map shows the municipality: on the map when it is near, else as an arrow
// toward it at the edge with its distance. A district at its seat is marked approximate.
func TestCityLocatorMap(t *testing.T) {
	e := shared(t)
	tests := []struct {
		host, path string
		want       []string
	}{
		{siedlce, "/pl/cities/dasing", []string{`<a href="/pl/cities/dasing" class="marker marker-twin"`,
			`<g class="marker marker-home" role="img" aria-label="Siedlce (nasze miasto)">`}},
		{seinajoki, "/it/cities/thunder-bay", []string{`<a href="/it/cities/thunder-bay" class="marker marker-twin"`,
			`<g class="marker marker-home marker-away" role="img" aria-label="Seinäjoki (il nostro comune), a 6.`}},
		{siedlce, "/pl/cities/kirov", []string{`<a href="/pl/cities/kirov" class="marker marker-twin"`, `km stąd, poza mapą`}},
		{seinajoki, "/fi/cities/jiangjin", []string{`<a href="/fi/cities/jiangjin" class="marker marker-twin marker-approx"`,
			`likimääräinen sijainti: piirin hallintokeskus`}},
		{siedlce, "/pl/cities/vilnius-district", []string{`class="marker marker-twin marker-approx"`,
			`aria-label="Siedlce (nasze miasto)"`, `położenie przybliżone: siedziba władz okręgu`}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			body := e.get(t, tc.host, tc.path).body
			if !strings.Contains(body, `<figure class="map map-locator" id="city-map"`) || !strings.Contains(body, "GeoNames, CC BY 4.0") {
				t.Fatal("no locator map with its credit")
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %s", w)
				}
			}
		})
	}
}

func TestShareImages(t *testing.T) {
	e := shared(t)
	tests := []struct{ host, path string }{
		{seinajoki, "/fi/share.png"},
		{siedlce, "/it/share.png"},
		{siedlce, "/pl/cities/dasing/share.png"},
		{siedlce, "/pl/cities/kirov/share.png"}, // no coordinates: the site's map
		{seinajoki, "/sv/cities/qingdao/share.png"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			res := e.get(t, tc.host, tc.path)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
				t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			img, err := png.Decode(bytes.NewReader([]byte(res.body)))
			if err != nil {
				t.Fatal(err)
			}
			if s := img.Bounds().Size(); s.X != 1200 || s.Y != 630 {
				t.Errorf("size %v", s)
			}
			again := e.get(t, tc.host, tc.path, "If-None-Match", res.Header.Get("ETag"))
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("cached image not revalidated: %d", again.StatusCode)
			}
		})
	}
	// The og:image of the pages is this image.
	for _, page := range []string{"/fi/", "/fi/cities/koszalin"} {
		m := regexp.MustCompile(`<meta property="og:image" content="` + regexp.QuoteMeta(origin(seinajoki)) + `([^"]+)"`).FindStringSubmatch(e.get(t, seinajoki, page).body)
		if m == nil {
			t.Fatalf("%s: no og:image", page)
		}
		if res := e.get(t, seinajoki, m[1]); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("%s: og:image %s answers %d %s", page, m[1], res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if res := e.get(t, siedlce, "/pl/cities/nowhere/share.png"); res.StatusCode != 404 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("unknown city: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestStaffSetCoordinatesWithPreview(t *testing.T) {
	e := newEnv(t)
	s := e.staff(t, "ola@siedlce.pl", "siedlce", false)
	s.lang = "pl"
	s.login("ola@siedlce.pl")
	ctx := context.Background()
	geonamesID := func(slug string) (id *int64) {
		t.Helper()
		if err := e.db.Pool.QueryRow(ctx, `SELECT c.geonames_id FROM cities c JOIN sites s ON s.id = c.site_id
			WHERE s.slug = 'siedlce' AND c.slug = $1`, slug).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	if id := geonamesID("dasing"); id == nil || *id != 2938837 {
		t.Fatalf("demo Dasing has GeoNames id %v", id)
	}

	if _, err := e.db.Pool.Exec(ctx, `UPDATE cities SET latitude = NULL, longitude = NULL WHERE slug = 'kirov'`); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/admin/sites/siedlce/cities/%d", cityID(t, e, "siedlce", "kirov"))
	page := s.get(path).body
	if strings.Contains(page, `id="coordinates-map-caption"`) {
		t.Fatal("a preview for a city without coordinates")
	}
	form := formOf(t, page)
	form.Set("coordinates_latitude", "58.59665")
	form.Set("coordinates_longitude", "49.66007")
	form.Set("action", "preview")
	res := s.post(path, form)
	if !strings.Contains(res.body, `id="coordinates-map-caption"`) || !strings.Contains(res.body, `class="marker marker-twin" role="img" aria-label="Kirow, miasto partnerskie"`) {
		t.Fatalf("no marker preview of the typed coordinates:\n%s", res.body)
	}
	form.Set("coordinates_latitude", "95")
	form.Set("action", "draft")
	if res := s.post(path, form); res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(res.body, `id="coordinates-map-caption"`) {
		t.Errorf("impossible coordinates: %d, previewed", res.StatusCode)
	}

	// Staff correct Dasing by hand: the coordinates are no longer GeoNames'.
	path = fmt.Sprintf("/admin/sites/siedlce/cities/%d", cityID(t, e, "siedlce", "dasing"))
	form = formOf(t, s.get(path).body)
	form.Set("coordinates_latitude", "48.39")
	form.Set("action", "publish")
	if res := s.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", res.StatusCode, res.body)
	}
	if id := geonamesID("dasing"); id != nil {
		t.Errorf("hand-set coordinates keep GeoNames id %d", *id)
	}
	if id := geonamesID("sabinov"); id == nil {
		t.Error("another city lost its GeoNames id")
	}
	if body := e.get(t, siedlce, "/pl/cities/dasing").body; !strings.Contains(body, `<figure class="map map-locator"`) {
		t.Error("the corrected city has no map")
	}
}
