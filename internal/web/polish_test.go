package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// /favicon.ico answers (it was a 404 that Lighthouse counted) with an icon in the site's
// blue, and pages name it: the SVG icon, still served, Chromium draws in a document of its
// own on the page's main thread while the page loads (issue 17: TBT).
func TestFavicon(t *testing.T) {
	e := shared(t)
	ico := e.get(t, seinajoki, "/favicon.ico")
	if ico.StatusCode != 200 || ico.Header.Get("Content-Type") != "image/vnd.microsoft.icon" {
		t.Fatalf("favicon.ico: %d %s", ico.StatusCode, ico.Header.Get("Content-Type"))
	}
	b := []byte(ico.body)
	if len(b) < 6+16 || binary.LittleEndian.Uint16(b[2:]) != 1 || binary.LittleEndian.Uint16(b[4:]) != 3 {
		t.Fatalf("not an icon file with 3 images: % x", b[:min(len(b), 22)])
	}
	// the second image: 32 pixels, a PNG
	entry := b[6+16 : 6+32]
	size, offset := binary.LittleEndian.Uint32(entry[8:]), binary.LittleEndian.Uint32(entry[12:])
	img, err := png.Decode(bytes.NewReader(b[offset : offset+size]))
	if err != nil || img.Bounds().Dx() != 32 || entry[0] != 32 {
		t.Fatalf("32-pixel image: %v %v", err, img)
	}
	if r, g, bl, _ := img.At(1, 16).RGBA(); r>>8 != 0x0b || g>>8 != 0x53 || bl>>8 != 0x94 {
		t.Errorf("the icon is not the site's blue: %x %x %x", r>>8, g>>8, bl>>8)
	}
	if r, g, bl, _ := img.At(5, 16).RGBA(); r>>8 != 0xff || g>>8 != 0xff || bl>>8 != 0xff {
		t.Errorf("no white ring: %x %x %x", r>>8, g>>8, bl>>8)
	}
	svg := e.get(t, siedlce, "/favicon.svg")
	if svg.StatusCode != 200 || svg.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg.body, `fill="#0b5394"`) {
		t.Errorf("favicon.svg: %d %s", svg.StatusCode, svg.Header.Get("Content-Type"))
	}
	for _, page := range []string{"/pl/", "/pl/cities/vilnius-district"} {
		body := e.get(t, siedlce, page).body
		if !strings.Contains(body, `<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">`) || strings.Contains(body, "favicon.svg") {
			t.Errorf("%s names no icon, or the SVG one", page)
		}
	}
}

// Static files are served precompressed in the encoding asked for, with Vary and an ETag
// per encoding.
func TestStaticFilesPrecompressed(t *testing.T) {
	e := shared(t)
	css := regexp.MustCompile(`<link rel="stylesheet" href="(/static/css/site\.[0-9a-f]+\.css)">`).FindStringSubmatch(e.get(t, seinajoki, "/fi/").body)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	plain := e.get(t, seinajoki, css[1], "Accept-Encoding", "identity")
	if plain.StatusCode != 200 || plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.body, "hyphens: auto") {
		t.Fatalf("identity: %d %q", plain.StatusCode, plain.Header.Get("Content-Encoding"))
	}
	tags := map[string]bool{}
	for _, enc := range []string{"br", "gzip"} {
		res := e.get(t, seinajoki, css[1], "Accept-Encoding", enc)
		if res.Header.Get("Content-Encoding") != enc || res.Header.Get("Vary") != "Accept-Encoding" ||
			!strings.Contains(res.Header.Get("Cache-Control"), "immutable") || res.Header.Get("Content-Type") != "text/css; charset=utf-8" {
			t.Errorf("%s: %v", enc, res.Header)
		}
		var r io.Reader = brotli.NewReader(strings.NewReader(res.body))
		if enc == "gzip" {
			r, _ = gzip.NewReader(strings.NewReader(res.body))
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != plain.body || len(res.body) >= len(plain.body)/2 {
			t.Errorf("%s: %d bytes of %d, decompressed equal: %v (%v)", enc, len(res.body), len(plain.body), string(got) == plain.body, err)
		}
		tag := res.Header.Get("Etag")
		tags[tag] = true
		if r := e.get(t, seinajoki, css[1], "Accept-Encoding", enc, "If-None-Match", tag); r.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-None-Match: %d", enc, r.StatusCode)
		}
	}
	if len(tags) != 2 {
		t.Errorf("ETags %v", tags)
	}
}

// The feed is linked in every page's footer, not only in its head.
func TestFeedLinkVisible(t *testing.T) {
	e := shared(t)
	for _, path := range []string{"/pl/", "/pl/cities/dasing", "/pl/history"} {
		if body := e.get(t, siedlce, path).body; !strings.Contains(body, `<li><a href="/pl/feed.atom" type="application/atom+xml">Kanał aktualności (Atom)</a></li>`) {
			t.Errorf("%s: no visible feed link", path)
		}
	}
}

// Every URL of the sitemap says when its content last changed: a city's page when the city
// did, the others when the site did; a change moves only what it changed.
func TestSitemapLastmod(t *testing.T) {
	e := newEnv(t)
	type sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			Lastmod string `xml:"lastmod"`
		} `xml:"url"`
	}
	read := func() map[string]time.Time {
		var s sm
		if err := xml.Unmarshal([]byte(e.get(t, siedlce, "/sitemap.xml").body), &s); err != nil {
			t.Fatal(err)
		}
		out := map[string]time.Time{}
		for _, u := range s.URLs {
			m, err := time.Parse(time.RFC3339, u.Lastmod)
			if err != nil {
				t.Fatalf("%s: lastmod %q", u.Loc, u.Lastmod)
			}
			out[strings.TrimPrefix(u.Loc, origin(siedlce))] = m
		}
		return out
	}
	before := read()
	time.Sleep(1100 * time.Millisecond)
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE cities SET updated_at = now() WHERE slug = 'kirov'`); err != nil {
		t.Fatal(err)
	}
	e.srv.Invalidate()
	after := read()
	if !after["/pl/cities/kirov"].After(before["/pl/cities/kirov"]) {
		t.Errorf("kirov: %v, then %v", before["/pl/cities/kirov"], after["/pl/cities/kirov"])
	}
	if !after["/pl/cities/dasing"].Equal(before["/pl/cities/dasing"]) {
		t.Errorf("dasing moved: %v, then %v", before["/pl/cities/dasing"], after["/pl/cities/dasing"])
	}
	if !after["/pl/"].After(before["/pl/"]) {
		t.Errorf("the home page (the site changed): %v, then %v", before["/pl/"], after["/pl/"])
	}
}

// The pages' JSON-LD names the municipality as their publisher (a GovernmentOrganization
// with its official code) and when their content last changed.
func TestJSONLDPublisherAndDate(t *testing.T) {
	e := shared(t)
	ld := regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`)
	for _, tc := range []struct{ host, path, code string }{
		{siedlce, "/pl/", "1464011"}, {seinajoki, "/fi/cities/koszalin", "743"}, {siedlce, "/it/history", "1464011"},
	} {
		m := ld.FindStringSubmatch(e.get(t, tc.host, tc.path).body)
		if m == nil {
			t.Fatalf("%s: no JSON-LD", tc.path)
		}
		var page struct {
			Publisher struct {
				Type       string `json:"@type"`
				Name, URL  string
				Identifier string
			}
			DateModified string
		}
		if err := json.Unmarshal([]byte(m[1]), &page); err != nil {
			t.Fatal(err)
		}
		if page.Publisher.Type != "GovernmentOrganization" || page.Publisher.Identifier != tc.code || page.Publisher.Name == "" {
			t.Errorf("%s: publisher %+v", tc.path, page.Publisher)
		}
		if d, err := time.Parse(time.RFC3339, page.DateModified); err != nil || time.Since(d) > 24*time.Hour {
			t.Errorf("%s: dateModified %q", tc.path, page.DateModified)
		}
	}
}

// The history of Siedlce has subheadings in every language and a table of contents whose
// every link leads to one of them (or to the list of joint events).
func TestHistoryTableOfContents(t *testing.T) {
	e := shared(t)
	toc := regexp.MustCompile(`(?s)<nav class="toc" aria-labelledby="toc-heading"><h2 id="toc-heading">([^<]+)</h2><ol>(.*?)</ol></nav>`)
	item := regexp.MustCompile(`<li><a href="#([^"]+)">([^<]+)</a></li>`)
	for lang, want := range map[string]string{"pl": "Rejon Wileński", "it": "Distretto di Vilnius", "sv": "Vilnius distrikt", "fi": "Vilnan piiri"} {
		body := e.get(t, siedlce, "/"+lang+"/history").body
		m := toc.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no table of contents", lang)
		}
		items := item.FindAllStringSubmatch(m[2], -1)
		if len(items) != 8 || items[2][2] != want || items[7][1] != "events" {
			t.Errorf("%s: contents %v", lang, items)
		}
		for _, it := range items {
			if !strings.Contains(body, `<h2 id="`+it[1]+`">`) {
				t.Errorf("%s: %s leads nowhere", lang, it[1])
			}
		}
		if n := strings.Count(body, "<h2 "); n != 1+7+1 {
			t.Errorf("%s: %d headings", lang, n)
		}
	}
	// Seinäjoki has no history: no page, no contents
	if res := e.get(t, seinajoki, "/fi/history"); res.StatusCode != http.StatusNotFound {
		t.Errorf("Seinäjoki's history: %d", res.StatusCode)
	}
}
