package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"twintowns/internal/demo"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

// The scale fixture: copies of the demo sites with all their content, each referring to its
// own entries; made once.
func TestCopySites(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	glossaries := map[string]int{} // read before the copies: a source's glossary is seeded
	for _, slug := range demo.Sites {
		s, err := db.SiteBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		g, err := db.Glossary(ctx, s.ID)
		if err != nil || len(g) == 0 {
			t.Fatalf("glossary of %s: %d terms, %v", slug, len(g), err)
		}
		glossaries[slug] = len(g)
	}
	if made, err := db.CopySites(ctx, demo.Sites, 4); err != nil || made != 4 {
		t.Fatalf("made %d: %v", made, err)
	}
	if made, err := db.CopySites(ctx, demo.Sites, 4); err != nil || made != 0 {
		t.Errorf("again: made %d: %v", made, err)
	}
	for _, bad := range []struct {
		sources []string
		n       int
	}{{[]string{"nowhere"}, 1}, {nil, 1}, {demo.Sites, -1}, {demo.Sites, postgres.MaxCopies + 1}} {
		if _, err := db.CopySites(ctx, bad.sources, bad.n); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	for i, source := range []string{"seinajoki", "siedlce", "seinajoki", "siedlce"} {
		slug := fmt.Sprintf("m%04d", i+1)
		orig, err := db.SiteBySlug(ctx, source)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := db.SiteBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if cp.IsDefault || !slices.Equal(cp.Hosts, []string{slug + ".localhost"}) || !slices.Equal(cp.Languages, orig.Languages) ||
			cp.Texts[orig.DefaultLang].Name != orig.Texts[orig.DefaultLang].Name || cp.Texts[orig.DefaultLang].History != orig.Texts[orig.DefaultLang].History {
			t.Errorf("%s: site %+v", slug, cp)
		}
		if g, err := db.Glossary(ctx, cp.ID); err != nil || len(g) != glossaries[source] {
			t.Errorf("%s: glossary of %d terms, source %d: %v", slug, len(g), glossaries[source], err)
		}
		a, err := db.Content(ctx, orig)
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.Content(ctx, cp)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Cities) != len(b.Cities) || len(a.Entries[twinning.EventType]) != len(b.Entries[twinning.EventType]) {
			t.Fatalf("%s: %d cities, %d events; source %d, %d", slug, len(b.Cities), len(b.Entries[twinning.EventType]),
				len(a.Cities), len(a.Entries[twinning.EventType]))
		}
		cities := map[string]string{} // the copy's city ids, by slug
		for i, c := range b.Cities {
			o := a.Cities[i]
			if c.Slug != o.Slug || c.ID == o.ID || c.SiteID != cp.ID || len(c.Texts) != len(o.Texts) || len(c.Links) != len(o.Links) ||
				len(c.Attachments) != len(o.Attachments) || c.Texts[orig.DefaultLang].Description != o.Texts[orig.DefaultLang].Description {
				t.Errorf("%s: city %s differs from its source", slug, c.Slug)
			}
			for j, at := range c.Attachments {
				if at.ID == o.Attachments[j].ID || at.Titles[orig.DefaultLang] != o.Attachments[j].Titles[orig.DefaultLang] {
					t.Errorf("%s: document %s of %s", slug, at.Slug, c.Slug)
				}
			}
			cities[fmt.Sprint(c.ID)] = c.Slug
		}
		origCities := map[string]string{}
		for _, c := range a.Cities {
			origCities[fmt.Sprint(c.ID)] = c.Slug
		}
		for i, e := range b.Entries[twinning.EventType] {
			o := a.Entries[twinning.EventType][i]
			if e.ID == o.ID || e.Fact("slug") != o.Fact("slug") || e.Texts[orig.DefaultLang].Fields["title"] != o.Texts[orig.DefaultLang].Fields["title"] {
				t.Errorf("%s: event %s differs from its source", slug, e.Fact("slug"))
			}
			for _, key := range []string{"cities", "held_in"} {
				var got, want []string
				for _, id := range strings.Fields(e.Fact(key)) {
					slug, ok := cities[id]
					if !ok {
						t.Errorf("%s: event %s refers to city %s of another site", cp.Slug, e.Fact("slug"), id)
					}
					got = append(got, slug)
				}
				for _, id := range strings.Fields(o.Fact(key)) {
					want = append(want, origCities[id])
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: event %s %s = %v, source %v", cp.Slug, e.Fact("slug"), key, got, want)
				}
			}
		}
		// The copy's entries have their place in the engine: the staff can edit them.
		for _, ty := range []*twinning.Type{twinning.CityType, twinning.EventType, twinning.DocumentType, twinning.SiteType} {
			es, err := db.Entries(ctx, ty, cp.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			os, _ := db.Entries(ctx, ty, orig.ID, false)
			if len(es) != len(os) {
				t.Errorf("%s: %d %s entries, source %d", slug, len(es), ty.Name, len(os))
			}
		}
	}
}

// A site's content, as the public's pages read it, holds no review marks (only the staff's
// translation states read them): servers keep the content of thousands of sites, and the
// marks were a fifth of it and a third of the time of reading it.
func TestPublicContentHasNoReviewMarks(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	site, err := db.SiteBySlug(ctx, "seinajoki")
	if err != nil {
		t.Fatal(err)
	}
	staff, err := db.Entries(ctx, twinning.CityType, site.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, e := range staff {
		for _, x := range e.Texts {
			marked += len(x.Reviewed)
		}
	}
	if marked == 0 {
		t.Fatal("the demo's cities have no review marks to leave out")
	}
	c, err := db.Content(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	for _, city := range c.Cities {
		for lang, x := range city.Texts {
			if x.Reviewed != nil {
				t.Errorf("%s in %s: review marks %v", city.Slug, lang, x.Reviewed)
			}
		}
	}
	for _, x := range c.Site.Texts {
		if x.Reviewed != nil {
			t.Errorf("site text in %s: review marks", x.Lang)
		}
	}
	for typ, es := range c.Entries {
		for _, e := range es {
			for _, x := range e.Texts {
				if x.Reviewed != nil {
					t.Errorf("%s %d: review marks", typ.Name, e.ID)
				}
			}
		}
	}
}
