// Package postgres is the store: every SQL statement of the product lives here.
package postgres

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is the product's PostgreSQL database.
type DB struct {
	Pool *pgxpool.Pool
	url  string

	mu        sync.Mutex
	onChange  []func(siteID int64)
	listening atomic.Bool
}

// Open connects to the database at url. It does not wait for the server: Ping does.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return &DB{Pool: pool, url: url}, nil
}

// Close closes every connection.
func (db *DB) Close() { db.Pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.Pool.Ping(ctx) }

// OnContentChange registers f to be called after every committed write of this DB to a
// site's content, with the site's id (0: any site). Callers see their own writes at once,
// without waiting for the NOTIFY round trip.
func (db *DB) OnContentChange(f func(siteID int64)) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.onChange = append(db.onChange, f)
}

// contentChanged tells the registered callbacks that a write to siteID committed. Write
// functions call it after their transaction, and also when it failed: a failed commit may
// still have committed, and dropping a page costs only a render.
func (db *DB) contentChanged(siteID int64) {
	db.mu.Lock()
	fs := db.onChange
	db.mu.Unlock()
	for _, f := range fs {
		f(siteID)
	}
}
