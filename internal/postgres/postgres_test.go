package postgres_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"twintowns/internal/demo"
	"twintowns/internal/pgtest"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func open(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

func seeded(t *testing.T) *postgres.DB { return pgtest.SeededDB(t) }

// Two instances starting together apply each migration once.
func TestMigrateConcurrently(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	applied := make([][]string, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = db.Migrate(ctx)
		}()
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("migrate %d: %v", i, err)
		}
		total += len(applied[i])
	}
	all, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if total != len(all) {
		t.Errorf("applied %d migrations in all, want %d", total, len(all))
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(all) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(all))
	}
}

func TestSeedIsIdempotentAndComplete(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	count := func() (n int) {
		err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM cities) + (SELECT count(*) FROM city_texts)
			+ (SELECT count(*) FROM city_links) + (SELECT count(*) FROM city_attachments)
			+ (SELECT count(*) FROM city_attachment_titles) + (SELECT count(*) FROM site_texts)`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	if after := count(); after != before {
		t.Errorf("second seed changed row count %d -> %d", before, after)
	}

	all, err := db.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Slug != "seinajoki" || !all[0].IsDefault {
		t.Fatalf("sites = %+v", all)
	}
	for _, site := range all {
		c, err := db.Content(ctx, site)
		if err != nil {
			t.Fatal(err)
		}
		for _, city := range c.Cities {
			if len(city.Texts) != 4 {
				t.Errorf("%s/%s has %d texts", site.Slug, city.Slug, len(city.Texts))
			}
		}
	}
	seinajoki, _ := db.Content(ctx, all[0])
	rudong, err := seinajoki.City("rudong")
	if err != nil {
		t.Fatal(err)
	}
	if p := rudong.Population; p == nil || p.Count != 1_800_000 || !p.Approx || p.Year != 2018 || !p.Millions {
		t.Errorf("rudong population = %+v", rudong.Population)
	}
	siedlce, _ := db.Content(ctx, all[1])
	dasing, _ := siedlce.City("dasing")
	if want := time.Date(1998, 7, 26, 0, 0, 0, 0, time.UTC); !dasing.Agreement.Date.Equal(want) || dasing.Agreement.Precision != twinning.PrecisionDay {
		t.Errorf("dasing agreement = %+v", dasing.Agreement)
	}
	if len(dasing.Attachments) != 1 || dasing.Attachments[0].Present || dasing.Attachments[0].Titles["pl"] != "Tekst umowy o współpracy" {
		t.Errorf("dasing attachments = %+v", dasing.Attachments)
	}
}

func TestAttachmentNotFound(t *testing.T) {
	db := seeded(t)
	sites, _ := db.Sites(context.Background())
	// The demo's agreement exists only as a record: there is no file to serve.
	_, _, err := db.Attachment(context.Background(), sites[1].ID, "dasing", "agreement")
	if twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("err = %v, want not found", err)
	}
}

// A database seeded by an older demo, which linked an official site its source does not give,
// loses that link (the city's own and those inside its texts) when it is seeded again.
func TestReseedDropsLinksTheSourcesDoNotGive(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	const official = "https://www.schweinfurt.de/"
	schweinfurt := func() twinning.City {
		t.Helper()
		all, err := db.Sites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Content(ctx, all[0])
		if err != nil {
			t.Fatal(err)
		}
		city, err := c.City("schweinfurt")
		if err != nil {
			t.Fatal(err)
		}
		return city
	}
	linked := func(c twinning.City) bool {
		for _, l := range c.Links {
			if l.URL == official {
				return true
			}
		}
		for _, tx := range c.Texts {
			if strings.Contains(tx.Description, official) {
				return true
			}
		}
		return false
	}

	older, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	city, err := older[0].City("schweinfurt")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(older[0].Cities, func(c twinning.City) bool { return c.Slug == "schweinfurt" })
	older[0].Cities[i].Links = append(city.Links, twinning.Link{Kind: twinning.LinkOfficial, URL: official})
	for lang, tx := range city.Texts {
		tx.Description += " [webbplats](" + official + ")"
		older[0].Cities[i].Texts[lang] = tx
	}
	if err := db.SaveContent(ctx, older[0]); err != nil {
		t.Fatal(err)
	}
	if !linked(schweinfurt()) {
		t.Fatal("the older demo's link was not stored")
	}

	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	if c := schweinfurt(); linked(c) {
		t.Errorf("after a new seed, Schweinfurt still links %s: %+v", official, c.Links)
	}
}
