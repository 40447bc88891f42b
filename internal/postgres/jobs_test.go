package postgres_test

import (
	"context"
	"testing"

	"twintowns/internal/twinning"
)

// An import is saved in one transaction: when one entry cannot be saved (someone saved it
// in between), none is, and the upload stays for another try.
func TestSaveImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := seeded(t)
	site, err := db.SiteBySlug(ctx, "siedlce")
	if err != nil {
		t.Fatal(err)
	}
	cities, err := db.Entries(ctx, twinning.CityType, site.ID, false)
	if err != nil || len(cities) < 2 {
		t.Fatal(cities, err)
	}
	a, b := cities[0].Clone(), cities[1].Clone()
	a.Texts["it"].Fields["name"] = "A nuovo"
	b.Texts["it"].Fields["name"] = "B nuovo"
	b.Version-- // an edit that started before someone else's save
	u, err := db.CreateUser(ctx, "jan@siedlce.pl", "siedlce", false, "x")
	if err != nil {
		t.Fatal(err)
	}
	hash := []byte("0123456789abcdef0123456789abcdef")
	if err := db.SaveUpload(ctx, hash, twinning.Upload{SiteID: site.ID, UserID: u.ID, Name: "x.xlf", Data: []byte("<x/>")}); err != nil {
		t.Fatal(err)
	}
	by := twinning.Actor{UserID: u.ID, Email: u.Email}
	err = db.SaveImport(ctx, site.ID, []twinning.EntrySave{{Entry: a, Publish: true, Action: "publish"}, {Entry: b, Publish: true, Action: "publish"}}, hash, 0, by)
	if twinning.ErrorCode(err) != twinning.ECONFLICT {
		t.Fatalf("err = %v, want a conflict", err)
	}
	after, err := db.Entry(ctx, twinning.CityType, site.ID, a.ID)
	if err != nil || after.Texts["it"].Fields["name"] == "A nuovo" || after.Version != a.Version {
		t.Errorf("the first entry was saved: %q version %d", after.Texts["it"].Fields["name"], after.Version)
	}
	if _, err := db.Upload(ctx, hash, site.ID, u.ID); err != nil {
		t.Errorf("the upload is gone after a failed import: %v", err)
	}
	b.Version++
	if err := db.SaveImport(ctx, site.ID, []twinning.EntrySave{{Entry: a, Publish: true, Action: "publish"}, {Entry: b, Action: "translation_import"}}, hash, 0, by); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Upload(ctx, hash, site.ID, u.ID); twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("the upload was not spent: %v", err)
	}
}

// An upload belongs to one person and site, and only a few are kept per person.
func TestUploadsAreOwnedAndBounded(t *testing.T) {
	ctx := context.Background()
	db := seeded(t)
	site, _ := db.SiteBySlug(ctx, "siedlce")
	jan, _ := db.CreateUser(ctx, "jan@siedlce.pl", "siedlce", false, "x")
	ewa, _ := db.CreateUser(ctx, "ewa@siedlce.pl", "siedlce", false, "x")
	var hashes [][]byte
	for i := range 7 {
		h := []byte{byte(i), 1, 2, 3}
		hashes = append(hashes, h)
		plan := map[string]twinning.PlanUnit{"city/1/name": {Target: "t", Source: "s"}}
		if err := db.SaveUpload(ctx, h, twinning.Upload{SiteID: site.ID, UserID: jan.ID, Name: "x.po", Data: []byte("x"), Plan: plan}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Upload(ctx, hashes[6], site.ID, ewa.ID); twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("another person's upload: %v", err)
	}
	up, err := db.Upload(ctx, hashes[6], site.ID, jan.ID)
	if err != nil || up.Plan["city/1/name"] != (twinning.PlanUnit{Target: "t", Source: "s"}) {
		t.Errorf("own upload: %+v %v", up, err)
	}
	if _, err := db.Upload(ctx, hashes[0], site.ID, jan.ID); twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("the oldest upload is still kept: %v", err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE exchange_uploads SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Upload(ctx, hashes[6], site.ID, jan.ID); twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("an expired upload: %v", err)
	}
}

// The memory ranks pairs by pg_trgm similarity of their source, at most as many as asked,
// none below the threshold.
func TestSimilar(t *testing.T) {
	db := seeded(t)
	pairs := []twinning.MemoryPair{
		{Source: "Staden ligger vid gränsen mot Österrike.", Target: "La città è al confine con l'Austria."},
		{Source: "Staden ligger vid havet.", Target: "La città è sul mare."},
		{Source: "Vänskapsavtalet slöts 1987.", Target: "L'accordo fu firmato nel 1987."},
	}
	got, err := db.Similar(context.Background(), "Staden ligger vid gränsen mot Tyskland.", pairs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Target != pairs[0].Target || got[0].Quality <= got[1].Quality || got[0].Quality >= 100 {
		t.Errorf("%+v", got)
	}
	if got, _ := db.Similar(context.Background(), "Vänskapsavtalet slöts 1987.", pairs, 3); len(got) != 1 || got[0].Quality != 100 {
		t.Errorf("exact: %+v", got)
	}
}
