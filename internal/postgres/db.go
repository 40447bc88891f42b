// Package postgres is the store: every SQL statement of the product lives here.
package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is the product's PostgreSQL database.
type DB struct {
	Pool *pgxpool.Pool
	url  string

	mu        sync.Mutex
	onChanges []func(siteID int64)
}

// OnContentChange registers f to be called after every published change this instance
// makes (other instances hear of it through ListenContentChanges).
func (db *DB) OnContentChange(f func(siteID int64)) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.onChanges = append(db.onChanges, f)
}

// contentChanged tells the registered callbacks that a site's public content changed.
func (db *DB) contentChanged(siteID int64) {
	db.mu.Lock()
	fs := db.onChanges
	db.mu.Unlock()
	for _, f := range fs {
		f(siteID)
	}
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
