package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"twintowns/internal/twinning"
)

// mapping is where the published state of a type lives: the generic tables for the types the
// engine stores by their declaration, or the tables of the types the product had before.
type mapping struct {
	// load reads a site's published entries of the type (in the trash or not).
	load func(ctx context.Context, q querier, siteID int64, sel selection) ([]twinning.Entry, error)
	// publish writes an entry's facts and texts to the published tables, the first time too.
	publish func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error
	// hide takes a published entry off the public site (del) or puts it back.
	hide func(ctx context.Context, tx pgx.Tx, siteID, id int64, del bool) error
	// newID draws the id of a new entry; nil for a type whose entries come otherwise (uploads).
	newID func(ctx context.Context, tx pgx.Tx) (int64, error)
	// parents reads, by id, the entries a site's entries of a type with a Parent belong to,
	// never published ones too; nil where load says it.
	parents func(ctx context.Context, q querier, siteID int64) (map[int64]int64, error)
}

// selection is which entries a load reads: all of the site's, or the one with an id; public
// leaves out what only the staff's translation states read (review marks).
type selection struct {
	all    bool
	id     int64
	public bool
}

var (
	everyEntry  = selection{all: true}
	publicEntry = selection{all: true, public: true}
)

// reviewMarks is the column of review marks a read selects: col for the staff, none for the
// public's pages, which never show them (decoding them was a third of reading a site's
// content, at national scale a read for most pages that render).
func reviewMarks(public bool, col string) string {
	if public {
		return "NULL::jsonb"
	}
	return col
}

func oneEntry(id int64) selection { return selection{id: id} }

// mappingOf returns the store of a type: what its declaration's Store names, or the generic
// tables.
func mappingOf(t *twinning.Type) (mapping, error) {
	switch t.Store {
	case "":
		return genericMapping(t), nil
	case "cities":
		return cityMapping, nil
	case "site_texts":
		return siteMapping, nil
	case "documents":
		return documentMapping, nil
	case "photos":
		return photoMapping, nil
	}
	return mapping{}, fmt.Errorf("no store %q for content type %q", t.Store, t.Name)
}

// HasStore reports whether the store can keep entries of t: the registry test's question.
func HasStore(t *twinning.Type) bool { _, err := mappingOf(t); return err == nil }

// label names an entry in the audit log: its slug, where it has one.
func label(e twinning.Entry) string {
	for _, f := range e.Type.Facts {
		if f.Kind == twinning.FactSlug {
			return e.Facts[twinning.Fact(f.Key)]
		}
	}
	return ""
}

func genericMapping(t *twinning.Type) mapping {
	return mapping{
		load: func(ctx context.Context, q querier, siteID int64, sel selection) ([]twinning.Entry, error) {
			rows, _ := q.Query(ctx, `
				SELECT id, facts, published_at, updated_at, deleted_at FROM published_entries
				WHERE type = $1 AND site_id = $2 AND ($3 OR id = $4) ORDER BY id`, t.Name, siteID, sel.all, sel.id)
			var out []twinning.Entry
			byID := map[int64]int{}
			var (
				id                 int64
				facts              storedFacts
				published, updated time.Time
				deleted            *time.Time
			)
			_, err := pgx.ForEachRow(rows, []any{&id, &facts, &published, &updated, &deleted}, func() error {
				p := published
				byID[id] = len(out)
				out = append(out, twinning.Entry{Type: t, ID: id, SiteID: siteID, Facts: decodeFacts(t, facts.Facts, facts.Lists),
					Texts: map[string]twinning.Text{}, PublishedAt: &p, UpdatedAt: updated, DeletedAt: deleted})
				facts = storedFacts{}
				return nil
			})
			if err != nil {
				return nil, err
			}
			rows, _ = q.Query(ctx, `
				SELECT id, lang, fields, translated_from, `+reviewMarks(sel.public, "reviewed")+` FROM published_texts
				WHERE type = $1 AND site_id = $2 AND ($3 OR id = $4)`, t.Name, siteID, sel.all, sel.id)
			var x twinning.Text
			_, err = pgx.ForEachRow(rows, []any{&id, &x.Lang, &x.Fields, &x.TranslatedFrom, &x.Reviewed}, func() error {
				if i, ok := byID[id]; ok {
					out[i].Texts[x.Lang] = x
				}
				x = twinning.Text{}
				return nil
			})
			return out, err
		},
		publish: func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error {
			var f storedFacts
			f.Facts, f.Lists = encodeFacts(e)
			if _, err := tx.Exec(ctx, `
				INSERT INTO published_entries (type, id, site_id, facts) VALUES ($1, $2, $3, $4)
				ON CONFLICT (type, id) DO UPDATE SET facts = $4, updated_at = now(), deleted_at = NULL`,
				t.Name, e.ID, siteID, f); err != nil {
				return fmt.Errorf("publish %s %d: %w", t.Name, e.ID, err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM published_texts WHERE type = $1 AND id = $2`, t.Name, e.ID); err != nil {
				return err
			}
			for lang, x := range e.Texts {
				if _, err := tx.Exec(ctx, `
					INSERT INTO published_texts (type, id, site_id, lang, fields, translated_from, reviewed)
					VALUES ($1, $2, $3, $4, $5, $6, $7)`,
					t.Name, e.ID, siteID, lang, x.Fields, x.TranslatedFrom, reviewedOrEmpty(x.Reviewed)); err != nil {
					return fmt.Errorf("publish %s %d in %s: %w", t.Name, e.ID, lang, err)
				}
			}
			return nil
		},
		hide: func(ctx context.Context, tx pgx.Tx, siteID, id int64, del bool) error {
			_, err := tx.Exec(ctx, `UPDATE published_entries SET deleted_at = CASE WHEN $4 THEN now() END
				WHERE type = $1 AND id = $2 AND site_id = $3`, t.Name, id, siteID, del)
			return err
		},
		newID: func(ctx context.Context, tx pgx.Tx) (id int64, err error) {
			err = tx.QueryRow(ctx, `SELECT nextval('entry_ids')`).Scan(&id)
			return id, err
		},
	}
}

// storedFacts is the facts column of published_entries: the facts of snapshot format 3.
type storedFacts struct {
	Facts map[string]any              `json:"facts"`
	Lists map[string][]map[string]any `json:"lists,omitempty"`
}

var cityMapping = mapping{
	load: func(ctx context.Context, q querier, siteID int64, sel selection) ([]twinning.Entry, error) {
		cities, err := loadCities(ctx, q, sel.public, `c.site_id = $1 AND ($2 OR c.id = $3)`, siteID, sel.all, sel.id)
		out := make([]twinning.Entry, len(cities))
		for i, c := range cities {
			out[i] = c.Entry()
		}
		return out, err
	},
	publish: func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error {
		c := twinning.CityOf(e)
		cols := strings.Fields(strings.ReplaceAll(cityFactColumns, ",", " "))
		set := make([]string, len(cols))
		for i, col := range cols {
			set[i] = col + " = EXCLUDED." + col
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO cities (id, site_id, `+cityFactColumns+`, position, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
				(SELECT coalesce(max(position), -1) + 1 FROM cities WHERE site_id = $2), now())
			ON CONFLICT (id) DO UPDATE SET `+strings.Join(set, ", ")+`,
				published_at = coalesce(cities.published_at, now()), deleted_at = NULL, updated_at = now()`,
			append([]any{e.ID, siteID}, factsOf(c)...)...)
		if err != nil {
			return slugTaken(err)
		}
		// After the upsert, whose changed coordinates drop the old place (forget_geonames_id):
		// the entry's own, which the form already forgot if the coordinates were typed by hand.
		if _, err := tx.Exec(ctx, `UPDATE cities SET geonames_id = $2 WHERE id = $1 AND geonames_id IS DISTINCT FROM $2`,
			e.ID, nullID(c.GeoNamesID)); err != nil {
			return fmt.Errorf("geonames id of city %d: %w", e.ID, err)
		}
		return writeCityContent(ctx, tx, e.ID, c)
	},
	hide: func(ctx context.Context, tx pgx.Tx, siteID, id int64, del bool) error {
		_, err := tx.Exec(ctx, `UPDATE cities SET deleted_at = CASE WHEN $3 THEN now() END WHERE id = $1 AND site_id = $2`,
			id, siteID, del)
		return err
	},
	newID: func(ctx context.Context, tx pgx.Tx) (id int64, err error) {
		err = tx.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('cities', 'id'))`).Scan(&id)
		return id, err
	},
}

var siteMapping = mapping{
	load: func(ctx context.Context, q querier, siteID int64, sel selection) ([]twinning.Entry, error) {
		if !sel.all && sel.id != siteID {
			return nil, nil
		}
		texts, err := siteTexts(ctx, q, siteID, sel.public)
		if err != nil {
			return nil, err
		}
		s := twinning.Site{ID: siteID, Texts: texts[siteID]}
		return []twinning.Entry{s.Entry()}, nil
	},
	publish: func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error {
		if _, err := tx.Exec(ctx, `DELETE FROM site_texts WHERE site_id = $1`, siteID); err != nil {
			return err
		}
		for _, t := range (twinning.Site{}).WithTexts(e).Texts {
			if err := writeSiteText(ctx, tx, siteID, t); err != nil {
				return err
			}
		}
		return nil
	},
}

var documentMapping = mapping{
	load: func(ctx context.Context, q querier, siteID int64, sel selection) ([]twinning.Entry, error) {
		rows, _ := q.Query(ctx, `
			SELECT a.id, a.city_id, a.slug, a.deleted_at,
			       coalesce(jsonb_object_agg(t.lang, t.title) FILTER (WHERE t.lang IS NOT NULL), '{}'),
			       coalesce(jsonb_object_agg(t.lang, t.translated_from) FILTER (WHERE t.translated_from <> ''), '{}'),
			       coalesce(jsonb_object_agg(t.lang, t.reviewed) FILTER (WHERE t.reviewed <> ''), '{}')
			FROM city_attachments a JOIN cities c ON c.id = a.city_id
			LEFT JOIN city_attachment_titles t ON t.attachment_id = a.id
			WHERE c.site_id = $1 AND ($2 OR a.id = $3)
			GROUP BY a.id ORDER BY a.position, a.id`, siteID, sel.all, sel.id)
		var out []twinning.Entry
		var a twinning.Attachment
		var city int64
		_, err := pgx.ForEachRow(rows, []any{&a.ID, &city, &a.Slug, &a.DeletedAt, &a.Titles, &a.TranslatedFrom, &a.Reviewed}, func() error {
			e := a.Entry(siteID)
			e.Parent = city
			out = append(out, e)
			a = twinning.Attachment{}
			return nil
		})
		return out, err
	},
	publish: func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error {
		if _, err := tx.Exec(ctx, `DELETE FROM city_attachment_titles WHERE attachment_id = $1`, e.ID); err != nil {
			return err
		}
		return writeAttachmentTitles(ctx, tx, e.ID, twinning.Attachment{}.WithTitles(e))
	},
	hide: func(ctx context.Context, tx pgx.Tx, siteID, id int64, del bool) error {
		_, err := tx.Exec(ctx, `
			UPDATE city_attachments a SET deleted_at = CASE WHEN $3 THEN now() END
			FROM cities c WHERE a.id = $1 AND c.id = a.city_id AND c.site_id = $2`, id, siteID, del)
		return err
	},
}

// photoMapping keeps photos as the engine keeps its own types; their city is the photos
// table's.
var photoMapping = func() mapping {
	m := genericMapping(twinning.PhotoType)
	m.parents = func(ctx context.Context, q querier, siteID int64) (map[int64]int64, error) {
		rows, _ := q.Query(ctx, `SELECT id, city_id FROM photos WHERE site_id = $1`, siteID)
		out := map[int64]int64{}
		var id, city int64
		_, err := pgx.ForEachRow(rows, []any{&id, &city}, func() error { out[id] = city; return nil })
		if err != nil {
			return nil, fmt.Errorf("cities of photos: %w", err)
		}
		return out, nil
	}
	return m
}()

func slugTaken(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return (twinning.FieldErrors{twinning.Fact("slug"): "validation.slug_taken"}).Err()
	}
	return err
}

// siteTexts reads the published texts of one site (siteID) or of all (0), by site.
func siteTexts(ctx context.Context, q querier, siteID int64, public bool) (map[int64]map[string]twinning.SiteText, error) {
	where := `site_id = $1` // an index scan, also in a generic plan
	if siteID == 0 {
		where = `$1 = 0`
	}
	rows, _ := q.Query(ctx, `
		SELECT site_id, lang, name, intro, partners_intro, history_title, history,
		       events_title, events, translated_from, `+reviewMarks(public, "reviewed")+`
		FROM site_texts WHERE `+where, siteID)
	out := map[int64]map[string]twinning.SiteText{}
	var id int64
	var t twinning.SiteText
	_, err := pgx.ForEachRow(rows, []any{&id, &t.Lang, &t.Name, &t.Intro, &t.PartnersIntro,
		&t.HistoryTitle, &t.History, &t.EventsTitle, &t.Events, &t.TranslatedFrom, &t.Reviewed}, func() error {
		if out[id] == nil {
			out[id] = map[string]twinning.SiteText{}
		}
		out[id][t.Lang] = t
		t.Reviewed = nil
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read site texts: %w", err)
	}
	if siteID != 0 && out[siteID] == nil {
		out[siteID] = map[string]twinning.SiteText{}
	}
	return out, nil
}
