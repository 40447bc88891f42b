package postgres_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

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

// A district placed at its seat is marked approximate; coordinates set by hand are no longer
// GeoNames' seat, and a new seed puts the mark back.
func TestPlaceSeatMark(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	rudong := func() twinning.City {
		t.Helper()
		sites, err := db.Sites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Content(ctx, sites[0])
		if err != nil {
			t.Fatal(err)
		}
		city, err := c.City("rudong")
		if err != nil {
			t.Fatal(err)
		}
		return city
	}
	if c := rudong(); !c.PlaceSeat || c.GeoNamesID != 1804979 {
		t.Fatalf("rudong: seat %v, GeoNames %d", c.PlaceSeat, c.GeoNamesID)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE cities SET latitude = 32.4 WHERE slug = 'rudong'`); err != nil {
		t.Fatal(err)
	}
	if c := rudong(); c.PlaceSeat || c.GeoNamesID != 0 {
		t.Errorf("set by hand: seat %v, GeoNames %d", c.PlaceSeat, c.GeoNamesID)
	}
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	if c := rudong(); !c.PlaceSeat || c.GeoNamesID != 1804979 {
		t.Errorf("seeded again: seat %v, GeoNames %d", c.PlaceSeat, c.GeoNamesID)
	}
}

// Every transaction that changes a site's published content moves the site's modification
// time forward, once, and touches no other site's; two transactions changing rows of one site
// in opposite orders do not deadlock on it.
func TestSiteModified(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	modified := func() (time.Time, time.Time) {
		t.Helper()
		sites, err := db.Sites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sites[0].Modified, sites[1].Modified
	}
	s0, s1 := modified()
	var rows0 int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM site_changes`).Scan(&rows0)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE cities SET position = position WHERE site_id = (SELECT id FROM sites WHERE slug = 'seinajoki')`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE city_texts SET name = name WHERE city_id IN (SELECT c.id FROM cities c JOIN sites s ON s.id = c.site_id WHERE s.slug = 'seinajoki')`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	n0, n1 := modified()
	if !n0.After(s0) || !n1.Equal(s1) {
		t.Errorf("seinajoki %v -> %v, siedlce %v -> %v", s0, n0, s1, n1)
	}
	var rows int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM site_changes`).Scan(&rows)
	if rows != rows0+1 {
		t.Errorf("%d rows for one transaction", rows-rows0)
	}

	// Opposite orders: A changes Koszalin then Sopron, B Sopron then Koszalin, interleaved
	// so that each holds its first row when it asks for its second; without the shared row
	// of site_changes neither waits for the other.
	a, _ := db.Pool.Begin(ctx)
	b, _ := db.Pool.Begin(ctx)
	defer a.Rollback(ctx)
	defer b.Rollback(ctx)
	if _, err := b.Exec(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
		t.Fatal(err)
	}
	set := func(tx pgx.Tx, slug string) error {
		_, err := tx.Exec(ctx, `UPDATE cities SET position = position WHERE slug = $1`, slug)
		return err
	}
	if err := set(a, "koszalin"); err != nil {
		t.Fatal(err)
	}
	if err := set(b, "sopron"); err != nil {
		t.Fatalf("second editor waits for the first: %v", err)
	}
	if err := set(a, "schweinfurt"); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}
