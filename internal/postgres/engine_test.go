package postgres_test

import (
	"context"
	"testing"

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
