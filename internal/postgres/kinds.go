package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"twintowns/internal/twinning"
)

// kinds are where each content type's published state lives.
var kinds = map[string]kind{
	twinning.CityType.Name: {
		load: func(ctx context.Context, q querier, siteID, id int64) ([]twinning.Entry, error) {
			cities, err := loadCities(ctx, q, `c.site_id = $1 AND ($2 = 0 OR c.id = $2)`, siteID, id)
			out := make([]twinning.Entry, len(cities))
			for i, c := range cities {
				out[i] = c.Entry()
			}
			return out, err
		},
		create: func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, publish bool) (int64, error) {
			c, _ := twinning.CityFromEntry(e)
			var pos int
			if err := tx.QueryRow(ctx, `SELECT coalesce(max(position), -1) + 1 FROM cities WHERE site_id = $1`, siteID).Scan(&pos); err != nil {
				return 0, err
			}
			var published any
			if publish {
				published = time.Now()
			}
			var id int64
			err := tx.QueryRow(ctx, `
				INSERT INTO cities (site_id, `+cityFactColumns+`, position, published_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
				RETURNING id`, append(append([]any{siteID}, factsOf(c)...), pos, published)...).Scan(&id)
			if err != nil {
				return 0, slugTaken(err)
			}
			return id, writeCityContent(ctx, tx, id, c)
		},
		publish: func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error {
			c, _ := twinning.CityFromEntry(e)
			_, err := tx.Exec(ctx, `
				UPDATE cities SET slug = $2, kind = $3, country = $4, population = $5, population_year = $6,
					population_approx = $7, population_scale = $8, population_area = $9,
					agreement_precision = $10, agreement_date = $11, agreement_year = $12,
					agreement_over_years = $13, status = $14, status_since = $15, status_until = $16,
					latitude = $17, longitude = $18, wikidata_id = $19,
					published_at = coalesce(published_at, now()), updated_at = now()
				WHERE id = $1`, append([]any{e.ID}, factsOf(c)...)...)
			if err != nil {
				return slugTaken(err)
			}
			return writeCityContent(ctx, tx, e.ID, c)
		},
		check: func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error {
			var taken bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cities WHERE site_id = $1 AND slug = $2 AND id <> $3)`,
				siteID, e.Fact("slug"), e.ID).Scan(&taken); err != nil {
				return err
			}
			if taken {
				return (twinning.FieldErrors{twinning.Fact("slug"): "validation.slug_taken"}).Err()
			}
			return nil
		},
		trash: func(ctx context.Context, tx pgx.Tx, siteID, id int64, del bool) error {
			_, err := tx.Exec(ctx, `UPDATE cities SET deleted_at = CASE WHEN $3 THEN now() END WHERE id = $1 AND site_id = $2`,
				id, siteID, del)
			return err
		},
		label: func(e twinning.Entry) string { return e.Fact("slug") },
	},

	twinning.SiteType.Name: {
		load: func(ctx context.Context, q querier, siteID, id int64) ([]twinning.Entry, error) {
			if id != 0 && id != siteID {
				return nil, nil
			}
			texts, err := siteTexts(ctx, q, siteID)
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
		label: func(e twinning.Entry) string { return "" },
	},

	twinning.DocumentType.Name: {
		load: func(ctx context.Context, q querier, siteID, id int64) ([]twinning.Entry, error) {
			rows, _ := q.Query(ctx, `
				SELECT a.id, a.slug, a.deleted_at,
				       coalesce(jsonb_object_agg(t.lang, t.title) FILTER (WHERE t.lang IS NOT NULL), '{}'),
				       coalesce(jsonb_object_agg(t.lang, t.translated_from) FILTER (WHERE t.translated_from <> ''), '{}'),
				       coalesce(jsonb_object_agg(t.lang, t.reviewed) FILTER (WHERE t.reviewed <> ''), '{}')
				FROM city_attachments a JOIN cities c ON c.id = a.city_id
				LEFT JOIN city_attachment_titles t ON t.attachment_id = a.id
				WHERE c.site_id = $1 AND ($2 = 0 OR a.id = $2)
				GROUP BY a.id ORDER BY a.position, a.id`, siteID, id)
			var out []twinning.Entry
			var a twinning.Attachment
			_, err := pgx.ForEachRow(rows, []any{&a.ID, &a.Slug, &a.DeletedAt, &a.Titles, &a.TranslatedFrom, &a.Reviewed}, func() error {
				e := a.Entry(siteID)
				e.Facts = map[twinning.FieldKey]string{twinning.Fact("slug"): a.Slug}
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
		trash: func(ctx context.Context, tx pgx.Tx, siteID, id int64, del bool) error {
			_, err := tx.Exec(ctx, `
				UPDATE city_attachments a SET deleted_at = CASE WHEN $3 THEN now() END
				FROM cities c WHERE a.id = $1 AND c.id = a.city_id AND c.site_id = $2`, id, siteID, del)
			return err
		},
		label: func(e twinning.Entry) string { return e.Fact("slug") },
	},
}

func slugTaken(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return (twinning.FieldErrors{twinning.Fact("slug"): "validation.slug_taken"}).Err()
	}
	return err
}

// siteTexts reads the published texts of one site (siteID) or of all (0), by site.
func siteTexts(ctx context.Context, q querier, siteID int64) (map[int64]map[string]twinning.SiteText, error) {
	rows, _ := q.Query(ctx, `
		SELECT site_id, lang, name, intro, partners_intro, history_title, history,
		       events_title, events, translated_from, reviewed
		FROM site_texts WHERE $1 = 0 OR site_id = $1`, siteID)
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
