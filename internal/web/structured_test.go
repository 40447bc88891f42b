package web_test

import (
	"encoding/json"
	"encoding/xml"
	stdhtml "html"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	jsonLDRE = regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`)
	metaRE   = regexp.MustCompile(`<meta (?:property|name)="((?:og|twitter):[a-z_:]+)" content="([^"]*)">`)
)

type ldNode struct {
	Type             string  `json:"@type"`
	Name             string  `json:"name"`
	URL              string  `json:"url"`
	ContainedInPlace *ldNode `json:"containedInPlace"`
	Address          *struct {
		Country string `json:"addressCountry"`
	} `json:"address"`
	SameAs   []string `json:"sameAs"`
	Elements []struct {
		Position int    `json:"position"`
		Item     ldNode `json:"item"`
	} `json:"itemListElement"`
}

type ldPage struct {
	Context    string  `json:"@context"`
	Type       string  `json:"@type"`
	URL        string  `json:"url"`
	InLanguage string  `json:"inLanguage"`
	About      *ldNode `json:"about"`
	MainEntity *ldNode `json:"mainEntity"`
}

// Every page kind of both sites carries parseable JSON-LD and complete, absolute Open Graph
// and Twitter card metadata.
func TestStructuredDataAndOpenGraph(t *testing.T) {
	e := shared(t)
	type page struct{ host, path, kind string }
	pages := []page{
		{seinajoki, "/fi/", "home"}, {seinajoki, "/sv/cities/koszalin", "city"},
		{siedlce, "/it/", "home"}, {siedlce, "/pl/cities/dasing", "city"}, {siedlce, "/fi/history", "other"},
		{seinajoki, "/it/accessibility", "other"}, {siedlce, "/sv/accessibility/feedback", "other"},
		{seinajoki, "/pl/accessibility/feedback/thanks", "other"},
	}
	for _, p := range pages {
		t.Run(p.host+p.path, func(t *testing.T) {
			res := e.get(t, p.host, p.path)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			lang, url := p.path[1:3], "http://"+p.host+p.path
			m := jsonLDRE.FindAllStringSubmatch(res.body, -1)
			if len(m) != 1 {
				t.Fatalf("%d JSON-LD scripts", len(m))
			}
			if strings.Contains(m[0][1], "</") {
				t.Errorf("unescaped </ in JSON-LD")
			}
			var ld ldPage
			if err := json.Unmarshal([]byte(m[0][1]), &ld); err != nil {
				t.Fatalf("JSON-LD: %v\n%s", err, m[0][1])
			}
			if ld.Context != "https://schema.org" || ld.Type != "WebPage" || ld.InLanguage != lang || ld.URL != url {
				t.Errorf("WebPage = %+v", ld)
			}
			if ld.About == nil || ld.About.Type != "City" || ld.About.ContainedInPlace == nil || ld.About.ContainedInPlace.Type != "Country" {
				t.Errorf("about = %+v", ld.About)
			}
			switch p.kind {
			case "home":
				if ld.MainEntity == nil || ld.MainEntity.Type != "ItemList" || len(ld.MainEntity.Elements) < 7 {
					t.Fatalf("home main entity = %+v", ld.MainEntity)
				}
				first := ld.MainEntity.Elements[0]
				if first.Position != 1 || first.Item.Type != "City" || !strings.HasPrefix(first.Item.URL, "http://"+p.host+"/"+lang+"/cities/") {
					t.Errorf("first partner = %+v", first)
				}
			case "city":
				c := ld.MainEntity
				if c == nil || c.Type != "City" || c.URL != url || c.Address == nil || len(c.Address.Country) != 2 ||
					c.ContainedInPlace == nil || c.ContainedInPlace.Name == "" || len(c.SameAs) == 0 {
					t.Fatalf("city = %+v", c)
				}
				if p.path == "/sv/cities/koszalin" && (c.Name != "Koszalin" || c.ContainedInPlace.Name != "Polen") {
					t.Errorf("koszalin in Swedish = %+v", c)
				}
			default:
				if ld.MainEntity != nil {
					t.Errorf("main entity on a plain page: %+v", ld.MainEntity)
				}
			}

			meta := map[string][]string{}
			for _, mm := range metaRE.FindAllStringSubmatch(res.body, -1) {
				meta[mm[1]] = append(meta[mm[1]], stdhtml.UnescapeString(mm[2]))
			}
			one := func(k string) string {
				if len(meta[k]) != 1 || meta[k][0] == "" {
					t.Errorf("%s = %q", k, meta[k])
					return ""
				}
				return meta[k][0]
			}
			one("og:title")
			one("og:description")
			one("og:site_name")
			one("og:image:alt")
			if one("og:url") != url {
				t.Errorf("og:url = %q, want %q", meta["og:url"], url)
			}
			image := one("og:image")
			wantImage := "http://" + p.host + "/" + lang + "/share.png"
			if p.kind == "city" {
				wantImage = url + "/share.png"
			}
			if image != wantImage || one("twitter:image") != wantImage {
				t.Errorf("og:image = %q, want %q", image, wantImage)
			}
			if one("og:image:width") != "1200" || one("og:image:height") != "630" || one("twitter:card") != "summary_large_image" || one("og:type") != "website" {
				t.Errorf("image size or card: %v", meta)
			}
			loc := one("og:locale")
			if len(loc) != 5 || loc[:3] != lang+"_" {
				t.Errorf("og:locale = %q", loc)
			}
			if alts := meta["og:locale:alternate"]; len(alts) != 3 {
				t.Errorf("og:locale:alternate = %v", alts)
			}
		})
	}
	// The language's own country where the site is in it.
	for path, want := range map[string]string{"/fi/": "fi_FI", "/sv/": "sv_SE"} {
		if !strings.Contains(e.get(t, seinajoki, path).body, `<meta property="og:locale" content="`+want+`">`) {
			t.Errorf("%s: og:locale is not %s", path, want)
		}
	}
}

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

// readFeed fetches and checks the Atom feed of a site in lang: every element RFC 4287
// requires, tag URIs unique within the feed.
func readFeed(t *testing.T, e *env, host, lang string) atomFeed {
	t.Helper()
	res := e.get(t, host, "/"+lang+"/feed.atom")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(res.body), &f); err != nil {
		t.Fatalf("feed: %v", err)
	}
	rfc3339 := func(s string) {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("updated %q: %v", s, err)
		}
	}
	if f.Lang != lang || !strings.HasPrefix(f.ID, "tag:") || f.Title == "" || f.Author.Name == "" {
		t.Errorf("feed head: %+v", f)
	}
	rfc3339(f.Updated)
	self := false
	for _, l := range f.Links {
		self = self || (l.Rel == "self" && l.Href == "http://"+host+"/"+lang+"/feed.atom")
	}
	if !self {
		t.Errorf("no link rel=self: %+v", f.Links)
	}
	ids := map[string]bool{}
	for _, en := range f.Entries {
		if !strings.HasPrefix(en.ID, "tag:") || ids[en.ID] || en.Title == "" || en.Summary == "" ||
			!strings.HasPrefix(en.Link.Href, "http://"+host+"/"+lang+"/") {
			t.Errorf("entry %+v", en)
		}
		ids[en.ID] = true
		rfc3339(en.Updated)
	}
	return f
}

func TestFeed(t *testing.T) {
	e := newEnv(t)
	before := readFeed(t, e, seinajoki, "fi")
	if len(before.Entries) != 10 || before.Title != "Seinäjoki: muutokset sivustolla" {
		t.Fatalf("seinäjoki feed: %d entries, %q", len(before.Entries), before.Title)
	}
	addDraftAndTrash(t, e)
	s := e.staff(t, "anna@seinajoki.fi", "seinajoki", false)
	s.login("anna@seinajoki.fi")
	form := formOf(t, s.get("/admin/sites/seinajoki/cities/new").body)
	for k, v := range map[string]string{"slug": "tartto", "kind": "partner", "country": "EE",
		"agreement_precision": "year", "agreement_year": "2020", "name_fi": "Tartto", "name_sv": "Tartu",
		"description_fi": "Tartto on yliopistokaupunki.", "action": "publish"} {
		form.Set(k, v)
	}
	if res := s.post("/admin/sites/seinajoki/cities/new", form); res.StatusCode != 303 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	e.srv.Invalidate()
	fi := readFeed(t, e, seinajoki, "fi")
	if len(fi.Entries) != 11 || fi.Entries[0].Title != "Uusi yhteistyökaupunki: Tartto" ||
		fi.Entries[0].Summary != "Tartto on yliopistokaupunki." || fi.Updated != fi.Entries[0].Updated {
		t.Errorf("fi feed after publishing: %+v", fi.Entries[0])
	}
	for _, en := range fi.Entries {
		if strings.Contains(en.Title, "Draftburg") || strings.Contains(en.Title, "Trashburg") {
			t.Errorf("draft or trash in the feed: %s", en.Title)
		}
	}
	sv := readFeed(t, e, seinajoki, "sv")
	if sv.Entries[0].Title != "Ny samarbetsstad: Tartu" || sv.Entries[0].ID == fi.Entries[0].ID ||
		strings.TrimSuffix(sv.Entries[0].ID, "/sv") != strings.TrimSuffix(fi.Entries[0].ID, "/fi") {
		t.Errorf("sv entry %+v", sv.Entries[0])
	}
	for _, en := range readFeed(t, e, siedlce, "fi").Entries {
		if strings.Contains(en.Title, "Tartto") {
			t.Errorf("siedlce feed has seinäjoki's city")
		}
	}
}
