package postgres_test

import (
	"context"
	"testing"

	"twintowns/internal/postgres"
)

// Text stored before it was cleaned on the way in is cleaned once by migration 081: pages,
// the map and exports never meet a control character.
func TestCleanTextMigration(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `
		UPDATE city_texts SET name = 'Kosza' || chr(1) || 'lin', summary = E'tab\there\r\nline' || chr(11) || chr(133)
		WHERE city_id = (SELECT min(city_id) FROM city_texts) AND lang = 'fi';
		UPDATE entries SET draft = jsonb_build_object('name', 'A' || chr(1) || 'B' || chr(159), 'kept', E'a literal \\u0001 and a\ttab')
		WHERE (type, id) = (SELECT type, id FROM entries ORDER BY type, id LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	var sql string
	all, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.Version == 81 {
			sql = m.SQL
		}
	}
	pooled, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn := pooled.Hijack() // its temporary functions go with it
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
	var name, summary, draftName, kept string
	if err := db.Pool.QueryRow(ctx, `SELECT name, summary FROM city_texts
		WHERE city_id = (SELECT min(city_id) FROM city_texts) AND lang = 'fi'`).Scan(&name, &summary); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT draft->>'name', draft->>'kept' FROM entries ORDER BY type, id LIMIT 1`).Scan(&draftName, &kept); err != nil {
		t.Fatal(err)
	}
	if name != "Koszalin" || summary != "tab\there\r\nline" || draftName != "AB" || kept != `a literal \u0001 and a`+"\ttab" {
		t.Errorf("cleaned: %q %q %q %q", name, summary, draftName, kept)
	}
}
