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
	return seeded(t, NewDatabase(t))
}

// SeededDB returns a new database on this server, migrated and holding the demo content; it
// is closed when the test ends. For tests that stop and start their own server.
func (s *Server) SeededDB(t testing.TB) *postgres.DB {
	t.Helper()
	u, err := s.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return seeded(t, u)
}

func seeded(t testing.TB, url string) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, url)
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
