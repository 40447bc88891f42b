package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// RenderedPage returns the stored page of a site at a path for an origin, rendered by build
// from the site's content at version; ENOTFOUND when there is none (never rendered, or only
// at another version: see migrations/200_rendered_pages.sql).
func (db *DB) RenderedPage(ctx context.Context, siteID, version int64, build string, tls bool, port int, path string) (twinning.RenderedPage, error) {
	p := twinning.RenderedPage{SiteID: siteID, Version: version, Build: build, TLS: tls, Port: port, Path: path}
	var modified *time.Time
	err := db.Pool.QueryRow(ctx, `
		SELECT tag, gzip, content_type, content_lang, modified FROM rendered_pages
		WHERE site_id = $1 AND build = $2 AND tls = $3 AND port = $4 AND path = $5 AND version = $6`,
		siteID, build, tls, port, path, version).Scan(&p.Tag, &p.Gzip, &p.ContentType, &p.ContentLang, &modified)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, twinning.Errorf(twinning.ENOTFOUND, "no rendered page %s of site %d at version %d", path, siteID, version)
	}
	if err != nil {
		return p, fmt.Errorf("rendered page %s of site %d: %w", path, siteID, err)
	}
	if modified != nil {
		p.Modified = *modified
	}
	return p, nil
}

// SaveRenderedPages stores rendered pages, each in place of the one it renders again unless
// that one is of a newer version, in one round trip.
func (db *DB) SaveRenderedPages(ctx context.Context, pages []twinning.RenderedPage) error {
	var b pgx.Batch
	for _, p := range pages {
		var modified *time.Time
		if !p.Modified.IsZero() {
			modified = &p.Modified
		}
		b.Queue(`
			INSERT INTO rendered_pages (site_id, build, tls, port, path, version, tag, gzip, content_type, content_lang, modified)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 WHERE EXISTS (SELECT FROM sites WHERE id = $1)
			ON CONFLICT (site_id, build, tls, port, path) DO UPDATE SET version = $6, tag = $7, gzip = $8,
				content_type = $9, content_lang = $10, modified = $11, stored_at = now()
			WHERE rendered_pages.version <= $6`,
			p.SiteID, p.Build, p.TLS, p.Port, p.Path, p.Version, p.Tag, p.Gzip, p.ContentType, p.ContentLang, modified)
	}
	if err := db.Pool.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("save %d rendered pages: %w", len(pages), err)
	}
	return nil
}

// ForgetOtherBuilds deletes the pages other builds rendered and nobody stored for a while:
// after an upgrade, what the old program rendered (an instance of it may still run while
// instances are replaced one by one).
func (db *DB) ForgetOtherBuilds(ctx context.Context, build string, after time.Duration) error {
	_, err := db.Pool.Exec(ctx, `DELETE FROM rendered_pages WHERE build <> $1 AND stored_at < now() - make_interval(secs => $2)`,
		build, after.Seconds())
	if err != nil {
		return fmt.Errorf("forget pages of other builds: %w", err)
	}
	return nil
}
