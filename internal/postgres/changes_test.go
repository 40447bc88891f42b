package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"twintowns/internal/twinning"
)

func TestChanges(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	sites, err := db.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sj, sd := sites[0], sites[1]
	if sj.Licence != twinning.DefaultLicence || sj.DataLicence().Name != "CC BY 4.0" {
		t.Errorf("licence = %q", sj.Licence)
	}
	by := twinning.Actor{Email: "staff@example.org", Address: "192.0.2.1"}
	// feed lists the changes of site as "kind:slug" strings, newest first.
	feed := func(site twinning.Site) []string {
		t.Helper()
		ch, err := db.Changes(ctx, site.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range ch {
			out = append(out, fmt.Sprintf("%s:%s", c.Kind, c.CitySlug))
		}
		return out
	}
	count := func(list []string, s string) (n int) {
		for _, x := range list {
			if x == s {
				n++
			}
		}
		return n
	}
	initial := feed(sj)
	if len(initial) != 10 || count(initial, "city_new:koszalin") != 1 {
		t.Fatalf("initial feed = %v", initial)
	}
	city := func(slug string) twinning.Entry {
		t.Helper()
		for _, trash := range []bool{false, true} {
			all, err := db.Entries(ctx, twinning.CityType, sj.ID, trash)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range all {
				if c.Fact("slug") == slug {
					return c
				}
			}
		}
		t.Fatalf("no city %s", slug)
		return twinning.Entry{}
	}

	// A draft is not news; publishing it is.
	k := city("koszalin")
	if _, err := db.SaveEntry(ctx, sj.ID, k, false, "draft", by); err != nil {
		t.Fatal(err)
	}
	if got := feed(sj); len(got) != 10 {
		t.Errorf("after a draft: %v", got)
	}
	k = city("koszalin")
	if _, err := db.SaveEntry(ctx, sj.ID, k, true, "publish", by); err != nil {
		t.Fatal(err)
	}
	if got := feed(sj); got[0] != "city_updated:koszalin" || len(got) != 11 {
		t.Errorf("after publishing: %v", got)
	}

	// A restored revision is saved as a draft: not news.
	k = city("koszalin")
	if _, err := db.SaveEntry(ctx, sj.ID, k, false, "restore", by); err != nil {
		t.Fatal(err)
	}
	if got := feed(sj); len(got) != 11 {
		t.Errorf("after restoring a revision: %v", got)
	}

	// A new draft city is not news; a new published one is.
	draft := twinning.City{Slug: "draftville", Kind: twinning.KindPartner, Country: "SE", Status: twinning.StatusActive,
		Agreement: twinning.Agreement{Precision: twinning.PrecisionUnknown},
		Texts:     map[string]twinning.CityText{"fi": {Lang: "fi", Name: "Draftville"}}}
	if _, err := db.CreateEntry(ctx, sj.ID, draft.Entry(), false, by); err != nil {
		t.Fatal(err)
	}
	pub := draft
	pub.Slug = "newtown"
	if _, err := db.CreateEntry(ctx, sj.ID, pub.Entry(), true, by); err != nil {
		t.Fatal(err)
	}
	got := feed(sj)
	if got[0] != "city_new:newtown" || count(got, "city_new:draftville") != 0 || len(got) != 12 {
		t.Errorf("after creating: %v", got)
	}

	// The trash hides a city's changes; coming back from it is news.
	k = city("koszalin")
	if err := db.TrashEntry(ctx, twinning.CityType, sj.ID, k.ID, true, by); err != nil {
		t.Fatal(err)
	}
	if got := feed(sj); count(got, "city_new:koszalin")+count(got, "city_updated:koszalin") != 0 {
		t.Errorf("trashed city in the feed: %v", got)
	}
	if err := db.TrashEntry(ctx, twinning.CityType, sj.ID, k.ID, false, by); err != nil {
		t.Fatal(err)
	}
	if got := feed(sj); got[0] != "city_updated:koszalin" || count(got, "city_updated:koszalin") != 2 {
		t.Errorf("after restoring from the trash: %v", got)
	}

	// Site texts: published are news, drafts are not.
	w, err := db.Entry(ctx, twinning.SiteType, sj.ID, sj.ID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.SaveEntry(ctx, sj.ID, w, false, "draft", by)
	if err != nil {
		t.Fatal(err)
	}
	if got := feed(sj); got[0] == "site_texts:" {
		t.Errorf("site draft in the feed: %v", got)
	}
	w.Version = v
	if _, err := db.SaveEntry(ctx, sj.ID, w, true, "publish", by); err != nil {
		t.Fatal(err)
	}
	if got := feed(sj); got[0] != "site_texts:" {
		t.Errorf("site texts not in the feed: %v", got)
	}

	// Nothing of one site reaches the other's feed.
	other := feed(sd)
	if len(other) != 7+13 || count(other, "event_new:") != 13 { // its cities and its joint events
		t.Errorf("siedlce feed = %v", other)
	}
	for _, s := range []string{"city_new:newtown", "site_texts:", "city_updated:koszalin"} {
		if count(other, s) != 0 {
			t.Errorf("siedlce feed has %s", s)
		}
	}
}
