package postgres_test

import (
	"context"
	"slices"
	"testing"

	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

// A revision written in snapshot format 1 (json.Marshal of the domain structs, before the
// store owned its format) is restored intact: nothing is blanked.
func TestRestoreFormat1Revision(t *testing.T) {
	ctx := context.Background()
	db := seeded(t)
	sites, err := db.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sj := sites[0]
	var cityID int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM cities WHERE site_id = $1 AND slug = 'sopron'`, sj.ID).Scan(&cityID); err != nil {
		t.Fatal(err)
	}
	old := `{"ID":1,"Slug":"sopron","Kind":"twin","Country":"HU",
		"Population":{"Count":61000,"Year":2019,"Approx":true,"Millions":false,"Area":false},
		"Agreement":{"Precision":"year","Date":"0001-01-01T00:00:00Z","Year":1997,"OverYears":0},
		"Status":"active","StatusSince":null,"StatusUntil":null,"Latitude":47.68,"Longitude":16.58,
		"WikidataID":"Q134883","Position":4,"Version":3,"UpdatedAt":"2025-03-01T10:00:00Z",
		"Texts":{"fi":{"Lang":"fi","Name":"Sopron (vanha)","FullName":"","Summary":"Vanha tiivistelmä.",
			"Description":"Vanha kuvaus.","Aims":"","Association":"Sopron-seura","TranslatedFrom":"sv",
			"ReviewedSourceHash":"abc"},
		          "sv":{"Lang":"sv","Name":"Sopron","FullName":"","Summary":"","Description":"Gammal beskrivning.",
			"Aims":"","Association":"","TranslatedFrom":"","ReviewedSourceHash":""}},
		"Links":[{"Kind":"wikipedia","Lang":"sv","URL":"https://sv.wikipedia.org/wiki/Sopron","Label":""}],
		"Attachments":null}`
	if _, err := db.Pool.Exec(ctx, `
		INSERT INTO revisions (site_id, entity, entity_id, version, action, snapshot)
		VALUES ($1, 'city', $2, 3, 'publish', $3)`, sj.ID, cityID, old); err != nil {
		t.Fatal(err)
	}
	revs, err := db.Revisions(ctx, twinning.CityType, sj.ID, cityID)
	if err != nil || len(revs) != 1 {
		t.Fatalf("revisions: %v %v", revs, err)
	}
	current, err := db.Entry(ctx, twinning.CityType, sj.ID, cityID)
	if err != nil {
		t.Fatal(err)
	}
	restored := revs[0].Entry.Clone()
	restored.ID, restored.Version = cityID, current.Version
	if _, err := db.SaveEntry(ctx, sj.ID, restored, true, "restore", twinning.Actor{}); err != nil {
		t.Fatal(err)
	}
	content, err := db.Content(ctx, sj)
	if err != nil {
		t.Fatal(err)
	}
	c, err := content.City("sopron")
	if err != nil {
		t.Fatal(err)
	}
	fi := c.Texts["fi"]
	if fi.Name != "Sopron (vanha)" || fi.Summary != "Vanha tiivistelmä." || fi.Description != "Vanha kuvaus." ||
		fi.Association != "Sopron-seura" || fi.TranslatedFrom != "sv" || c.Texts["sv"].Description != "Gammal beskrivning." {
		t.Errorf("texts after restore: %+v", c.Texts)
	}
	if c.Population == nil || c.Population.Count != 61000 || c.Population.Year != 2019 || !c.Population.Approx ||
		c.Agreement.Year != 1997 || c.Latitude == nil || *c.Latitude != 47.68 || c.WikidataID != "Q134883" ||
		len(c.Links) != 1 || c.Links[0].URL != "https://sv.wikipedia.org/wiki/Sopron" {
		t.Errorf("facts after restore: %+v", c)
	}
}

// A draft saved by any type changes nothing public and sends no change; publishing does.
func TestDraftsStayPrivate(t *testing.T) {
	ctx := context.Background()
	db := seeded(t)
	sites, _ := db.Sites(ctx)
	sj := sites[0]
	var changed []int64
	db.OnContentChange(func(id int64) { changed = append(changed, id) })
	for _, typ := range []*twinning.Type{twinning.CityType, twinning.SiteType} {
		es, err := db.Entries(ctx, typ, sj.ID, false)
		if err != nil || len(es) == 0 {
			t.Fatalf("%s entries: %v", typ.Name, err)
		}
		e := es[0].Clone()
		x := e.Texts["fi"]
		x.Fields[typ.NameField()] = "Luonnos"
		e.Texts["fi"] = x
		v, err := db.SaveEntry(ctx, sj.ID, e, false, "draft", twinning.Actor{})
		if err != nil {
			t.Fatal(err)
		}
		if len(changed) != 0 {
			t.Errorf("%s: a draft announced a change", typ.Name)
		}
		got, _ := db.Entry(ctx, typ, sj.ID, e.ID)
		if !got.HasDraft || got.Texts["fi"].Fields[typ.NameField()] != "Luonnos" {
			t.Errorf("%s: the working copy lacks the draft", typ.Name)
		}
		content, _ := db.Content(ctx, sj)
		all, _ := db.Sites(ctx)
		public := map[*twinning.Type]string{twinning.CityType: content.Cities[0].Texts["fi"].Name,
			twinning.SiteType: all[0].Texts["fi"].Name}[typ]
		if public == "Luonnos" {
			t.Errorf("%s: the draft is public", typ.Name)
		}
		e.Version = v
		if _, err := db.SaveEntry(ctx, sj.ID, e, true, "publish", twinning.Actor{}); err != nil {
			t.Fatal(err)
		}
		if len(changed) != 1 || changed[0] != sj.ID {
			t.Errorf("%s: publishing announced %v", typ.Name, changed)
		}
		changed = nil
		// a stale version is a conflict, and changes nothing
		if _, err := db.SaveEntry(ctx, sj.ID, e, true, "publish", twinning.Actor{}); twinning.ErrorCode(err) != twinning.ECONFLICT {
			t.Errorf("%s: stale save: %v", typ.Name, err)
		}
	}
}

// Creating a draft of any type writes nothing to the published tables: the entry lives in
// the engine until it is published, and the public content needs no published_at filter.
func TestDraftsNeverTouchThePublishedTables(t *testing.T) {
	ctx := context.Background()
	db := seeded(t)
	sites, _ := db.Sites(ctx)
	sj := sites[0]
	count := func(q string) (n int) {
		if err := db.Pool.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cities, events := count(`SELECT count(*) FROM cities`), count(`SELECT count(*) FROM published_entries`)
	city := twinning.City{Slug: "luonnos", Kind: twinning.KindPartner, Country: "SE", Status: twinning.StatusUnknown,
		Agreement: twinning.Agreement{Precision: twinning.PrecisionUnknown},
		Texts:     map[string]twinning.CityText{"fi": {Lang: "fi", Name: "Luonnos"}}}.Entry()
	cityID, err := db.CreateEntry(ctx, sj.ID, city, false, twinning.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	event := twinning.Entry{Type: twinning.EventType, Facts: map[twinning.FieldKey]string{
		twinning.Fact("slug"): "juhla", twinning.Fact("date"): "1999/2000", twinning.Fact("cities"): ""},
		Texts: map[string]twinning.Text{"fi": {Lang: "fi", Fields: map[string]string{"title": "Juhla"}}}}
	eventID, err := db.CreateEntry(ctx, sj.ID, event, false, twinning.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	if count(`SELECT count(*) FROM cities`) != cities || count(`SELECT count(*) FROM published_entries`) != events {
		t.Fatal("a draft was written to the published tables")
	}
	content, _ := db.Content(ctx, sj)
	if _, err := content.City("luonnos"); err == nil || len(content.Entries[twinning.EventType]) != 0 {
		t.Fatal("a draft is public")
	}
	for typ, id := range map[*twinning.Type]int64{twinning.CityType: cityID, twinning.EventType: eventID} {
		e, err := db.Entry(ctx, typ, sj.ID, id)
		if err != nil || !e.HasDraft || e.PublishedAt != nil || e.Name("fi", nil) == "" {
			t.Fatalf("%s working copy: %+v %v", typ.Name, e, err)
		}
		// the slug is taken by the draft already
		dup := e.Clone()
		dup.ID = 0
		if _, err := db.CreateEntry(ctx, sj.ID, dup, false, twinning.Actor{}); twinning.ErrorCode(err) != twinning.EINVALID {
			t.Errorf("%s: a second draft with the slug: %v", typ.Name, err)
		}
		if _, err := db.SaveEntry(ctx, sj.ID, e, true, "publish", twinning.Actor{}); err != nil {
			t.Fatalf("%s: publish: %v", typ.Name, err)
		}
	}
	content, _ = db.Content(ctx, sj)
	if _, err := content.City("luonnos"); err != nil {
		t.Error("the published city is not public")
	}
	if ev, err := content.Entry(twinning.EventType, "juhla"); err != nil || ev.Texts["fi"].Fields["title"] != "Juhla" {
		t.Errorf("the published event: %+v %v", ev, err)
	}
	// the trash takes it off the public site, and gives it back
	if err := db.TrashEntry(ctx, twinning.EventType, sj.ID, eventID, true, twinning.Actor{}); err != nil {
		t.Fatal(err)
	}
	if content, _ = db.Content(ctx, sj); len(content.Entries[twinning.EventType]) != 0 {
		t.Error("an event in the trash is public")
	}
	if trash, _ := db.Entries(ctx, twinning.EventType, sj.ID, true); len(trash) != 1 {
		t.Errorf("trash %v", trash)
	}
}

// Revisions of snapshot formats 2 and 3 are read intact: format 2's input names (a row's
// "link_url_0", a fact whose name ends in a number, latitude and longitude) map onto the
// declared facts; format 3 stores every kind as a value of its kind and reads it back.
func TestSnapshotFormats(t *testing.T) {
	ctx := context.Background()
	db := seeded(t)
	sites, _ := db.Sites(ctx)
	sj := sites[0]
	var cityID int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM cities WHERE site_id = $1 AND slug = 'sopron'`, sj.ID).Scan(&cityID); err != nil {
		t.Fatal(err)
	}
	v2 := `{"format":2,"type":"city","facts":{"slug":"sopron","kind":"twin","country":"HU","status":"active",
		"agreement_precision":"year","agreement_year":"1997","population":"61000","population_approx":"on",
		"latitude":"47.68","longitude":"16.58","link_kind_0":"wikipedia","link_lang_0":"sv",
		"link_url_0":"https://sv.wikipedia.org/wiki/Sopron"},
		"texts":{"fi":{"fields":{"name":"Sopron (2)"}}}}`
	if _, err := db.Pool.Exec(ctx, `INSERT INTO revisions (site_id, entity, entity_id, version, action, snapshot)
		VALUES ($1, 'city', $2, 2, 'publish', $3)`, sj.ID, cityID, v2); err != nil {
		t.Fatal(err)
	}
	revs, err := db.Revisions(ctx, twinning.CityType, sj.ID, cityID)
	if err != nil || len(revs) == 0 {
		t.Fatal(revs, err)
	}
	c := twinning.CityOf(revs[0].Entry)
	if c.Latitude == nil || *c.Latitude != 47.68 || c.Population.Count != 61000 || !c.Population.Approx ||
		c.Agreement.Year != 1997 || len(c.Links) != 1 || c.Texts["fi"].Name != "Sopron (2)" {
		t.Fatalf("format 2: %+v", c)
	}
	// format 3: every kind written as its kind and read back the same
	current, _ := db.Entry(ctx, twinning.CityType, sj.ID, cityID)
	e := revs[0].Entry.Clone()
	e.ID, e.Version = cityID, current.Version
	e.Facts[twinning.Fact("status_since")] = "2001-02-03"
	if _, err := db.SaveEntry(ctx, sj.ID, e, false, "draft", twinning.Actor{}); err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	if err := db.Pool.QueryRow(ctx, `SELECT draft FROM entries WHERE type = 'city' AND id = $1`, cityID).Scan(&snap); err != nil {
		t.Fatal(err)
	}
	facts := snap["facts"].(map[string]any)
	if snap["format"] != float64(3) || facts["population"] != float64(61000) || facts["population_approx"] != true ||
		facts["status_since"] != "2001-02-03" || len(facts["coordinates"].([]any)) != 2 || snap["lists"] == nil {
		t.Errorf("format 3 facts %v", snap)
	}
	back, _ := db.Entry(ctx, twinning.CityType, sj.ID, cityID)
	want, _ := twinning.CityType.CheckFacts(e)
	for k, v := range want.Facts {
		if back.Facts[k] != v {
			t.Errorf("%s: %q read back as %q", k, v, back.Facts[k])
		}
	}
}

// Drafts and revisions of cities written before snapshots kept the GeoNames place of
// coordinates get it back from the published city where their coordinates are its own
// (migration 180); moved coordinates stay without one.
func TestOldSnapshotsGetTheirPlace(t *testing.T) {
	ctx := context.Background()
	db := seeded(t)
	var siteID, cityID int64
	if err := db.Pool.QueryRow(ctx, `SELECT site_id, id FROM cities WHERE slug = 'changsha'`).Scan(&siteID, &cityID); err != nil {
		t.Fatal(err)
	}
	e, err := db.Entry(ctx, twinning.CityType, siteID, cityID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveEntry(ctx, siteID, e, false, "draft", twinning.Actor{}); err != nil {
		t.Fatal(err)
	}
	// as they were written before: coordinates alone
	for _, q := range []string{
		`UPDATE entries SET draft = jsonb_set(draft, '{facts,coordinates}', '[28.19874, 112.97087]') WHERE type = 'city' AND id = $1`,
		`UPDATE revisions SET snapshot = jsonb_set(snapshot, '{facts,coordinates}', '[28.2, 112.97087]') WHERE entity = 'city' AND entity_id = $1`,
	} {
		if _, err := db.Pool.Exec(ctx, q, cityID); err != nil {
			t.Fatal(err)
		}
	}
	all, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(m postgres.Migration) bool { return m.Version == 180 })
	if _, err := db.Pool.Exec(ctx, all[i].SQL); err != nil {
		t.Fatal(err)
	}
	if draft, err := db.Entry(ctx, twinning.CityType, siteID, cityID); err != nil || twinning.CityOf(draft).GeoNamesID != 1815577 {
		t.Errorf("draft: GeoNames %d, %v", twinning.CityOf(draft).GeoNamesID, err)
	}
	revs, err := db.Revisions(ctx, twinning.CityType, siteID, cityID)
	if err != nil || len(revs) == 0 {
		t.Fatal(revs, err)
	}
	for _, r := range revs {
		if c := twinning.CityOf(r.Entry); c.GeoNamesID != 0 || *c.Latitude != 28.2 {
			t.Errorf("moved coordinates of a revision: GeoNames %d at %v", c.GeoNamesID, *c.Latitude)
		}
	}
}
