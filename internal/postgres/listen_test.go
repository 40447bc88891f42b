package postgres_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"twintowns/internal/demo"
	"twintowns/internal/pgtest"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

// listen starts db's listener and returns the site ids it reports, after the first call
// (0, on connecting) has come.
func listen(t *testing.T, db *postgres.DB) <-chan int64 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	calls := make(chan int64, 64)
	go db.ListenContentChanges(ctx, slog.New(slog.DiscardHandler), func(id int64) { calls <- id })
	if got := next(t, calls); got != 0 {
		t.Fatalf("first call %d, want 0", got)
	}
	if !db.ListenerConnected() {
		t.Error("ListenerConnected is false while listening")
	}
	return calls
}

func next(t *testing.T, calls <-chan int64) int64 {
	t.Helper()
	select {
	case id := <-calls:
		return id
	case <-time.After(5 * time.Second):
		t.Fatal("no call within 5 s")
		return -1
	}
}

func siteIDMap(t *testing.T, db *postgres.DB) map[string]int64 {
	t.Helper()
	sites, err := db.Sites(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, s := range sites {
		ids[s.Slug] = s.ID
	}
	return ids
}

// Every content table announces the site of the changed row, found through the parents.
func TestNotifyCarriesTheSite(t *testing.T) {
	db := seeded(t)
	ids := siteIDMap(t, db)
	calls := listen(t, db)
	city := `(SELECT id FROM cities WHERE slug = 'pescantina')`
	tests := []struct {
		name, sql, site string
	}{
		{"sites", `UPDATE sites SET country = country WHERE slug = 'siedlce'`, "siedlce"},
		{"site_texts", `UPDATE site_texts SET intro = intro || '.' WHERE lang = 'it' AND site_id = (SELECT id FROM sites WHERE slug = 'seinajoki')`, "seinajoki"},
		{"cities", `UPDATE cities SET position = position WHERE slug = 'pescantina'`, "siedlce"},
		{"city_texts", `UPDATE city_texts SET summary = 'x' WHERE lang = 'fi' AND city_id = ` + city, "siedlce"},
		{"city_links", `INSERT INTO city_links (city_id, kind, url) VALUES (` + city + `, 'other', 'https://example.org')`, "siedlce"},
		{"city_attachments", `INSERT INTO city_attachments (city_id, slug, format, media_type) VALUES (` + city + `, 'x', 'pdf', 'application/pdf')`, "siedlce"},
		{"city_attachment_titles", `INSERT INTO city_attachment_titles (attachment_id, lang, title)
			SELECT id, 'fi', 'x' FROM city_attachments WHERE slug = 'x' AND city_id = ` + city, "siedlce"},
		{"many rows, one site", `UPDATE city_texts SET summary = summary || '.' WHERE city_id IN (SELECT id FROM cities WHERE site_id = (SELECT id FROM sites WHERE slug = 'seinajoki'))`, "seinajoki"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := db.Pool.Exec(context.Background(), tc.sql); err != nil {
				t.Fatal(err)
			}
			if got := next(t, calls); got != ids[tc.site] {
				t.Errorf("payload %d, want %d (%s)", got, ids[tc.site], tc.site)
			}
			select { // one notification per site and transaction
			case extra := <-calls:
				t.Errorf("second call %d", extra)
			case <-time.After(100 * time.Millisecond):
			}
		})
	}
}

// The store's own writes call the registered callbacks with the site at once.
func TestOnContentChange(t *testing.T) {
	db := seeded(t)
	ids := siteIDMap(t, db)
	ctx := context.Background()
	var got []int64
	db.OnContentChange(func(id int64) { got = append(got, id) })
	var cityID int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM cities WHERE slug = 'pescantina'`).Scan(&cityID); err != nil {
		t.Fatal(err)
	}
	by := twinning.Actor{Email: "t@example.org"}
	if err := db.TrashEntry(ctx, twinning.CityType, ids["siedlce"], cityID, true, by); err != nil {
		t.Fatal(err)
	}
	if err := db.TrashEntry(ctx, twinning.CityType, ids["siedlce"], cityID, false, by); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	want := []int64{ids["siedlce"], ids["siedlce"], ids["seinajoki"], ids["siedlce"]}
	if len(got) != len(want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("calls %v, want %v", got, want)
			break
		}
	}
}

// After an outage the listener is back within a second of the database, reports 0 (what was
// said meanwhile is lost), and hears another instance's changes again.
func TestListenerReconnects(t *testing.T) {
	srv, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	ctx := context.Background()
	db := srv.SeededDB(t)
	url := db.Pool.Config().ConnString()
	calls := listen(t, db)
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // long enough for the retry wait to reach its ceiling
	if db.ListenerConnected() {
		t.Error("ListenerConnected is true while the database is down")
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	for next(t, calls) != 0 {
	}
	if d := time.Since(back); d > 1500*time.Millisecond {
		t.Errorf("listener back %s after the database", d)
	} else {
		t.Logf("listener back %s after the database", d)
	}
	other, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Pool.Exec(ctx, `UPDATE sites SET country = country WHERE slug = 'siedlce'`); err != nil {
		t.Fatal(err)
	}
	if got := next(t, calls); got != siteIDMap(t, other)["siedlce"] {
		t.Errorf("payload %d after reconnecting", got)
	}
}
