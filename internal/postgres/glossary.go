package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// Glossary returns a site's glossary in its order. A site whose glossary was never written
// gets the product's kind glossary first (twinning.KindGlossary).
func (db *DB) Glossary(ctx context.Context, siteID int64) ([]twinning.GlossaryEntry, error) {
	var seeded bool
	if err := db.Pool.QueryRow(ctx, `SELECT glossary_seeded FROM sites WHERE id = $1`, siteID).Scan(&seeded); err != nil {
		return nil, fmt.Errorf("glossary of site %d: %w", siteID, err)
	}
	if !seeded {
		err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `UPDATE sites SET glossary_seeded = true WHERE id = $1 AND NOT glossary_seeded`, siteID)
			if err != nil || tag.RowsAffected() == 0 {
				return err // another request seeded it
			}
			return writeGlossary(ctx, tx, siteID, twinning.KindGlossary)
		})
		if err != nil {
			return nil, fmt.Errorf("seed the glossary of site %d: %w", siteID, err)
		}
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT g.id, t.lang, t.term FROM glossary g JOIN glossary_terms t ON t.glossary_id = g.id
		WHERE g.site_id = $1 ORDER BY g.position, g.id, t.lang`, siteID)
	if err != nil {
		return nil, fmt.Errorf("glossary of site %d: %w", siteID, err)
	}
	var out []twinning.GlossaryEntry
	var id int64
	var lang, term string
	_, err = pgx.ForEachRow(rows, []any{&id, &lang, &term}, func() error {
		if n := len(out); n == 0 || out[n-1].ID != id {
			out = append(out, twinning.GlossaryEntry{ID: id, Terms: map[string]string{}})
		}
		out[len(out)-1].Terms[lang] = term
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("glossary of site %d: %w", siteID, err)
	}
	return out, nil
}

// SaveGlossary replaces a site's glossary, audited. Empty terms are dropped, and entries left
// without any.
func (db *DB) SaveGlossary(ctx context.Context, siteID int64, g []twinning.GlossaryEntry, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE sites SET glossary_seeded = true WHERE id = $1`, siteID); err != nil {
			return fmt.Errorf("save glossary: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM glossary WHERE site_id = $1`, siteID); err != nil {
			return fmt.Errorf("save glossary: %w", err)
		}
		if err := writeGlossary(ctx, tx, siteID, g); err != nil {
			return err
		}
		return audit(ctx, tx, by, siteID, "glossary", "site", siteID, "")
	})
}

func writeGlossary(ctx context.Context, tx pgx.Tx, siteID int64, g []twinning.GlossaryEntry) error {
	pos := 0
	for _, e := range g {
		terms := map[string]string{}
		for lang, t := range e.Terms {
			if t = strings.TrimSpace(t); t != "" {
				terms[lang] = t
			}
		}
		if len(terms) == 0 {
			continue
		}
		pos++
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO glossary (site_id, position) VALUES ($1, $2) RETURNING id`, siteID, pos).Scan(&id); err != nil {
			return fmt.Errorf("save glossary: %w", err)
		}
		for lang, t := range terms {
			if _, err := tx.Exec(ctx, `INSERT INTO glossary_terms (glossary_id, lang, term) VALUES ($1, $2, $3)`, id, lang, t); err != nil {
				return fmt.Errorf("save glossary term: %w", err)
			}
		}
	}
	return nil
}
