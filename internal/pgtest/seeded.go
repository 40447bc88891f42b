package pgtest

import (
	"context"
	"testing"

	"twintowns/internal/demo"
	"twintowns/internal/postgres"
)

// SeededDB returns a new database on the package's shared server, migrated and holding the
// demo content; it is closed when the test ends.
func SeededDB(t testing.TB) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db
}
