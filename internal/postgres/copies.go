package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// MaxCopies is the most copies CopySites makes: their slugs have four digits.
const MaxCopies = 9999

// CopySites makes sites m0001 … mNNNN (host mNNNN.localhost), each a copy of one of the
// sources (slugs, taken in turn) with all its published content: its texts in every
// language, cities with their texts, links and documents (files included), and the
// published entries of every type, references mapped to the copy's own entries. Drafts,
// revisions, accounts, share images and the glossary (a copy starts from the product's, as a
// new site does) are not copied; copies that exist are left alone.
// It is the fixture of scale tests and benchmarks: set-based SQL in one transaction, so that
// thousands of copies take seconds. It returns how many sites it made.
func (db *DB) CopySites(ctx context.Context, sources []string, n int) (int, error) {
	if n < 0 || n > MaxCopies || len(sources) == 0 {
		return 0, fmt.Errorf("copies: want 0 to %d copies of at least one site", MaxCopies)
	}
	made := 0
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var found int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM sites WHERE slug = ANY ($1)`, sources).Scan(&found); err != nil {
			return err
		}
		if found != len(sources) {
			return fmt.Errorf("copies: not every site of %v exists", sources)
		}
		// A superuser loads without firing triggers, as pg_restore does: the change
		// notifications of every row (one notification for all is sent below) and the checks
		// of foreign keys that the copy's joins keep by construction. Triggers would take
		// most of the time.
		var super bool
		if err := tx.QueryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil {
			return err
		}
		setup := []string{`SET LOCAL jit = off`}
		if super {
			setup = append(setup, `SET LOCAL session_replication_role = replica`)
		}
		for _, q := range append(setup,
			`CREATE TEMP TABLE copy_sites (new_id bigint PRIMARY KEY, old_id bigint NOT NULL, slug text NOT NULL) ON COMMIT DROP`,
			`CREATE TEMP TABLE copy_ids (type text, new_site bigint, old_id bigint, new_id bigint NOT NULL,
				PRIMARY KEY (type, new_site, old_id)) ON COMMIT DROP`,
		) {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO copy_sites (new_id, old_id, slug)
			SELECT nextval(pg_get_serial_sequence('sites', 'id')), s.id, c.slug
			FROM generate_series(1, $1) g
			CROSS JOIN LATERAL (SELECT 'm' || lpad(g::text, 4, '0') AS slug) c
			JOIN sites s ON s.slug = ($2::text[])[1 + (g - 1) % cardinality($2::text[])]
			WHERE NOT EXISTS (SELECT 1 FROM sites x WHERE x.slug = c.slug)`, n, sources)
		if err != nil {
			return fmt.Errorf("copies: %w", err)
		}
		if made = int(tag.RowsAffected()); made == 0 {
			return nil
		}
		// The new id of every copied entry, per copy.
		for _, q := range []string{
			`INSERT INTO copy_ids SELECT 'site', new_id, old_id, new_id FROM copy_sites`,
			// Ids are drawn in the order of the sources', so that what is ordered by id
			// (entries of one date) comes in the same order.
			`INSERT INTO copy_ids SELECT 'city', new_site, old_id, nextval(pg_get_serial_sequence('cities', 'id'))
				FROM (SELECT cs.new_id AS new_site, c.id AS old_id FROM cities c JOIN copy_sites cs ON cs.old_id = c.site_id
				      ORDER BY 1, 2) o`,
			`INSERT INTO copy_ids SELECT 'document', new_site, old_id, nextval(pg_get_serial_sequence('city_attachments', 'id'))
				FROM (SELECT cs.new_id AS new_site, a.id AS old_id FROM city_attachments a JOIN cities c ON c.id = a.city_id
				      JOIN copy_sites cs ON cs.old_id = c.site_id ORDER BY 1, 2) o`,
			`INSERT INTO copy_ids SELECT type, new_site, old_id, nextval('entry_ids')
				FROM (SELECT p.type, cs.new_id AS new_site, p.id AS old_id FROM published_entries p
				      JOIN copy_sites cs ON cs.old_id = p.site_id ORDER BY 2, 3) o`,
			`ANALYZE copy_sites`,
			`ANALYZE copy_ids`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("copies: %w", err)
			}
		}
		facts, err := remappedFacts()
		if err != nil {
			return err
		}
		for _, c := range copyTables(facts) {
			if err := copyRows(ctx, tx, c); err != nil {
				return fmt.Errorf("copies of %s: %w", c.table, err)
			}
		}
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, '0')`, ContentChannel)
		return err
	})
	if err == nil && made > 0 {
		db.contentChanged(0)
	}
	return made, err
}

// copyTable says how the rows of a table are copied: from which rows joined to their copies
// (the source row is src), and the columns that differ from the source's ("" leaves a column
// to its default).
type copyTable struct {
	table, from string
	set         map[string]string
}

// copyTables are the tables copied, in the order their foreign keys need; facts is the
// expression of the copied facts of published entries.
func copyTables(facts string) []copyTable {
	return []copyTable{
		{"sites", `sites src JOIN copy_sites cs ON cs.old_id = src.id`, map[string]string{
			"id": "cs.new_id", "slug": "cs.slug", "hosts": "ARRAY[cs.slug || '.localhost']", "is_default": "false", "created_at": "now()",
			"glossary_seeded": "false"}}, // a copy's glossary starts as a new site's
		{"site_texts", `site_texts src JOIN copy_sites cs ON cs.old_id = src.site_id`, map[string]string{"site_id": "cs.new_id"}},
		{"entries", `entries src JOIN copy_ids m ON m.type = src.type AND m.old_id = src.id`, map[string]string{
			"id": "m.new_id", "site_id": "m.new_site", "draft": "NULL"}},
		{"cities", `cities src JOIN copy_ids m ON m.type = 'city' AND m.old_id = src.id`, map[string]string{
			"id": "m.new_id", "site_id": "m.new_site"}},
		{"city_texts", `city_texts src JOIN copy_ids m ON m.type = 'city' AND m.old_id = src.city_id`, map[string]string{
			"city_id": "m.new_id"}},
		{"city_links", `city_links src JOIN copy_ids m ON m.type = 'city' AND m.old_id = src.city_id`, map[string]string{
			"id": "", "city_id": "m.new_id"}},
		{"city_attachments", `city_attachments src JOIN copy_ids m ON m.type = 'document' AND m.old_id = src.id
		JOIN copy_ids c ON c.type = 'city' AND c.old_id = src.city_id AND c.new_site = m.new_site`, map[string]string{
			"id": "m.new_id", "city_id": "c.new_id"}},
		{"city_attachment_titles", `city_attachment_titles src JOIN copy_ids m ON m.type = 'document' AND m.old_id = src.attachment_id`,
			map[string]string{"attachment_id": "m.new_id"}},
		{"published_entries", `published_entries src JOIN copy_ids m ON m.type = src.type AND m.old_id = src.id`, map[string]string{
			"id": "m.new_id", "site_id": "m.new_site", "facts": facts}},
		{"published_texts", `published_texts src JOIN copy_ids m ON m.type = src.type AND m.old_id = src.id`, map[string]string{
			"id": "m.new_id", "site_id": "m.new_site"}},
	}
}

// copyRows copies the rows of one table, every column the source's unless c sets it: columns
// added by later migrations are copied too.
func copyRows(ctx context.Context, tx pgx.Tx, c copyTable) error {
	rows, _ := tx.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
		ORDER BY ordinal_position`, c.table)
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	var names, values []string
	for _, col := range cols {
		v, ok := c.set[col]
		switch {
		case !ok:
			v = "src." + col
		case v == "":
			continue
		}
		names = append(names, col)
		values = append(values, v)
	}
	_, err = tx.Exec(ctx, `INSERT INTO `+c.table+` (`+strings.Join(names, ", ")+`)
		SELECT `+strings.Join(values, ", ")+` FROM `+c.from)
	return err
}

// remappedFacts is the expression of the facts of a copied published entry (src, with its copy
// m): its references (ids) point at the entries of its own copy.
func remappedFacts() (string, error) {
	var cases []string
	for _, t := range twinning.Types.All() {
		if t.Store != "" {
			continue // the first types keep references in columns of their own: none today
		}
		for _, l := range t.Lists {
			for _, f := range l.Facts {
				if f.Kind == twinning.FactReference {
					return "", fmt.Errorf("copies: references in the list %s of %s are not mapped", l.Key, t.Name)
				}
			}
		}
		expr := "src.facts"
		for _, f := range t.Facts {
			if f.Kind != twinning.FactReference {
				continue
			}
			path := quote("{facts,"+f.Key+"}") + "::text[]"
			value := `coalesce(to_jsonb((SELECT r.new_id FROM copy_ids r WHERE r.type = ` + quote(f.Ref.Name) + `
				AND r.old_id = (src.facts #>> ` + path + `)::bigint AND r.new_site = m.new_site)), 'null')`
			if f.Many {
				value = `coalesce((SELECT jsonb_agg(r.new_id ORDER BY o.i)
					FROM jsonb_array_elements_text(src.facts #> ` + path + `) WITH ORDINALITY o (v, i)
					JOIN copy_ids r ON r.type = ` + quote(f.Ref.Name) + ` AND r.old_id = o.v::bigint
					AND r.new_site = m.new_site), '[]')`
			}
			expr = `CASE WHEN src.facts #> ` + path + ` IS NULL THEN ` + expr + `
				ELSE jsonb_set(` + expr + `, ` + path + `, ` + value + `) END`
		}
		if expr != "src.facts" {
			cases = append(cases, "WHEN "+quote(t.Name)+" THEN "+expr)
		}
	}
	if len(cases) == 0 {
		return "src.facts", nil
	}
	return "CASE src.type " + strings.Join(cases, " ") + " ELSE src.facts END", nil
}

// quote is s as an SQL string literal; s comes from the declarations of types, not from input.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
