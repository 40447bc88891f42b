package web

import (
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
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
	return atomDoc{newFeed(c, changes, tr, s.baseURL(r), siteHost(c.Site))}, nil
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
		t, _ := twinning.Types.Type(ch.EntryType)
		switch {
		case ch.Kind == twinning.ChangeSiteTexts:
			e.Title = tr.T("feed.site_texts")
			e.Link.Href = home
			e.Summary.Text = components.Summary(st.Intro, 300)
		case t != nil && slices.Contains(twinning.Types.Public(), t):
			i := slices.IndexFunc(c.Entries[t], func(e twinning.Entry) bool { return e.ID == ch.EntryID })
			if i < 0 { // published after the content was read: the next change renews both
				continue
			}
			v := entryView(lang, c, c.Entries[t][i])
			e.Title = tr.T("feed."+string(ch.Kind), "Name", v.Name)
			e.Link.Href = base + layout.Href(lang, entryPath(t, c.Entries[t][i].Text("slug")))
			e.Summary.Text = cmp.Or(components.Summary(strings.Join(v.Body, " "), 300), v.Name)
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

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
