package web

import (
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/components"
	"twintowns/templates/layout"
)

// ChangeStore reads a site's public changes, for its feed.
type ChangeStore interface {
	Changes(ctx context.Context, siteID int64, limit int) ([]twinning.Change, error)
}

// feedSize is how many of the newest changes a feed holds.
const feedSize = 50

// Atom 1.0 (RFC 4287), as much of it as the feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary atomText `xml:"summary"`
}

// atomDoc is the feed as a component, so that the page cache serves it.
type atomDoc struct{ feed atomFeed }

func (d atomDoc) Render(_ context.Context, w io.Writer) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(d.feed)
}

func (atomDoc) ContentType() string { return "application/atom+xml; charset=utf-8" }

// feed is the Atom feed of the site's public changes, in the request's language: new
// partnerships, updated city pages, updated site texts.
func (s *Server) feed(r *http.Request) (templ.Component, error) {
	c, err := s.siteContent(r)
	if err != nil {
		return nil, err
	}
	changes, err := s.store.Changes(r.Context(), c.Site.ID, feedSize)
	if err != nil {
		return nil, err
	}
	tr := locale.From(r.Context())
	return atomDoc{newFeed(c, changes, tr, s.baseURL(r), tagAuthority(c.Site, r.Host))}, nil
}

// newFeed writes changes of c's site as an Atom feed in tr's language. Ids are tag URIs
// (RFC 4151) under authority, unique per change and language, and never change.
func newFeed(c twinning.Content, changes []twinning.Change, tr *locale.Translator, base, authority string) atomFeed {
	lang := tr.Lang
	st, _ := c.Site.Text(lang)
	home := base + layout.Href(lang, "/")
	f := atomFeed{Lang: lang, ID: fmt.Sprintf("tag:%s,2026:%s/feed/%s", authority, c.Site.Slug, lang),
		Title:  tr.T("feed.title", "Site", st.Name),
		Author: atomPerson{Name: st.Name, URI: home},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + layout.FeedHref(lang)},
			{Rel: "alternate", Type: "text/html", Href: home}}}
	updated := time.Unix(0, 0)
	for _, ch := range changes {
		e := atomEntry{Updated: atomTime(ch.At),
			ID: fmt.Sprintf("tag:%s,%s:%s/%s/%d/%s", authority, ch.At.UTC().Format(time.DateOnly),
				c.Site.Slug, ch.Kind, ch.ID, lang)}
		switch ch.Kind {
		case twinning.ChangeSiteTexts:
			e.Title = tr.T("feed.site_texts")
			e.Link.Href = home
			e.Summary.Text = components.Summary(st.Intro, 300)
		default:
			city, err := c.City(ch.CitySlug)
			if err != nil { // published after the content was read: the next change renews both
				continue
			}
			text, _ := city.Text(lang, c.Site)
			e.Title = tr.T("feed.city_updated", "City", text.Name)
			if ch.Kind == twinning.ChangeCityNew {
				e.Title = tr.T("feed.city_new."+string(city.Kind), "City", text.Name)
			}
			e.Link.Href = base + layout.Href(lang, "/cities/"+city.Slug)
			// A translation with only a name is summed up by the city's page title.
			e.Summary.Text = cmp.Or(components.Summary(cmp.Or(text.Summary, text.Description+" "+text.Aims), 300),
				tr.T("city.title", "City", text.Name, "Country", tr.Country(city.Country), "Site", st.Name))
		}
		e.Link.Rel, e.Link.Type, e.Summary.Type = "alternate", "text/html", "text"
		if ch.At.After(updated) {
			updated = ch.At
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = atomTime(updated)
	return f
}

// tagAuthority is the domain name the site's tag URIs are minted under: its first host name,
// so that the ids stay the same whichever name a reader uses.
func tagAuthority(site twinning.Site, requestHost string) string {
	if len(site.Hosts) > 0 {
		return site.Hosts[0]
	}
	if h, _, err := net.SplitHostPort(requestHost); err == nil {
		return h
	}
	return requestHost
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
