package postgres

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// memoryThreshold is the least trigram similarity a suggestion of the memory has (pg_trgm's
// own default for its % operator).
const memoryThreshold = 0.3

// Similar finds, among pairs of a source text and its translation, those whose source is
// most like text, by pg_trgm's trigram similarity: at most limit, best first, with the match
// as a percentage. The caller gives the pairs (the site's own translations), so the memory
// always holds what the site holds now.
func (db *DB) Similar(ctx context.Context, text string, pairs []twinning.MemoryPair, limit int) ([]twinning.Match, error) {
	if len(pairs) == 0 || text == "" {
		return nil, nil
	}
	sources, targets := make([]string, len(pairs)), make([]string, len(pairs))
	for i, p := range pairs {
		sources[i], targets[i] = p.Source, p.Target
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT s, t, similarity(s, $1) AS sim
		FROM unnest($2::text[], $3::text[]) AS m(s, t)
		WHERE similarity(s, $1) >= $4
		ORDER BY sim DESC, s, t LIMIT $5`, text, sources, targets, memoryThreshold, limit)
	if err != nil {
		return nil, fmt.Errorf("translation memory: %w", err)
	}
	matches, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (twinning.Match, error) {
		var m twinning.Match
		var sim float64
		err := r.Scan(&m.Source, &m.Target, &sim)
		m.Quality = int(math.Floor(sim * 100))
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("translation memory: %w", err)
	}
	return matches, nil
}
