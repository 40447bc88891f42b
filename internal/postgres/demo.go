package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// SaveContent creates or refreshes a site and the cities of c, matched by slug, in one
// transaction. Cities of the site that c does not hold are left as they are, and so are the
// stored files of attachments. Running it twice with the same content changes nothing visible.
func (db *DB) SaveContent(ctx context.Context, c twinning.Content) error {
	s := c.Site
	var siteID int64 // 0 (every site) until known
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if s.IsDefault {
			if _, err := tx.Exec(ctx, `UPDATE sites SET is_default = false WHERE is_default AND slug <> $1`, s.Slug); err != nil {
				return fmt.Errorf("clear default site: %w", err)
			}
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO sites (slug, hosts, is_default, languages, default_lang, source_lang, required_langs, country,
				latitude, longitude, geonames_id, official_code)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (slug) DO UPDATE SET hosts = $2, is_default = $3, languages = $4, default_lang = $5,
				source_lang = $6, required_langs = $7, country = $8, latitude = $9, longitude = $10,
				geonames_id = $11, official_code = $12
			RETURNING id`,
			s.Slug, s.Hosts, s.IsDefault, s.Languages, s.DefaultLang, s.SourceLang, s.RequiredLangs, s.Country,
			s.Place.Latitude, s.Place.Longitude, nullID(s.Place.GeoNamesID), s.OfficialCode).Scan(&siteID)
		if err != nil {
			return fmt.Errorf("save site %s: %w", s.Slug, err)
		}
		if err := seedEntry(ctx, tx, twinning.SiteType, siteID, siteID); err != nil {
			return err
		}
		for _, t := range s.Texts {
			if err := writeSiteText(ctx, tx, siteID, t); err != nil {
				return fmt.Errorf("save site %s: %w", s.Slug, err)
			}
		}
		cities := map[string]int64{}
		for i, city := range c.Cities {
			city.Position = i
			id, err := saveCity(ctx, tx, siteID, city)
			if err != nil {
				return fmt.Errorf("save city %s/%s: %w", s.Slug, city.Slug, err)
			}
			cities[city.Slug] = id
		}
		for t, es := range c.Entries {
			for _, e := range es {
				if err := seedPublished(ctx, tx, siteID, e, cities); err != nil {
					return fmt.Errorf("save %s %s/%s: %w", t.Name, s.Slug, e.Text("slug"), err)
				}
			}
		}
		return nil
	})
	db.contentChanged(siteID)
	return err
}

// seedPublished creates or refreshes, matched by slug, a published entry of a type the engine
// stores by its declaration; its references to cities name them by slug.
func seedPublished(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, cities map[string]int64) error {
	for _, f := range e.Type.Facts {
		if f.Kind != twinning.FactReference || f.Ref != twinning.CityType {
			continue
		}
		var ids []string
		for _, slug := range strings.Fields(e.Facts[twinning.Fact(f.Key)]) {
			id, ok := cities[slug]
			if !ok {
				return fmt.Errorf("no city %q", slug)
			}
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		e.Facts[twinning.Fact(f.Key)] = strings.Join(ids, " ")
	}
	e, errs := e.Type.CheckFacts(e)
	if err := errs.Err(); err != nil {
		return err
	}
	m, err := mappingOf(e.Type)
	if err != nil {
		return err
	}
	stored, err := working(ctx, tx, e.Type, siteID, everyEntry)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(stored, func(x twinning.Entry) bool { return x.Text("slug") == e.Text("slug") }); i >= 0 {
		e.ID = stored[i].ID
	} else if e.ID, err = m.newID(ctx, tx); err != nil {
		return err
	}
	if err := seedEntry(ctx, tx, e.Type, e.ID, siteID); err != nil {
		return err
	}
	return m.publish(ctx, tx, siteID, e)
}

func saveCity(ctx context.Context, tx pgx.Tx, siteID int64, c twinning.City) (int64, error) {
	f := factsOf(c)
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO cities (site_id, `+cityFactColumns+`, position, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, now())
		ON CONFLICT (site_id, slug) DO UPDATE SET kind = $3, country = $4, population = $5,
			population_year = $6, population_approx = $7, population_scale = $8,
			population_area = $9, agreement_precision = $10, agreement_date = $11,
			agreement_year = $12, agreement_over_years = $13, status = $14, status_since = $15,
			status_until = $16, latitude = $17, longitude = $18, wikidata_id = $19,
			position = $20, updated_at = now(),
			published_at = coalesce(cities.published_at, now())
		RETURNING id`,
		append([]any{siteID}, append(f, c.Position)...)...).Scan(&id)
	if err != nil {
		return 0, err
	}
	// After the upsert: changed coordinates drop the old id and seat mark (triggers
	// forget_geonames_id, forget_place_seat).
	if _, err := tx.Exec(ctx, `UPDATE cities SET geonames_id = $2, place_seat = $3
		WHERE id = $1 AND (geonames_id, place_seat) IS DISTINCT FROM ($2, $3)`,
		id, nullID(c.GeoNamesID), c.PlaceSeat); err != nil {
		return 0, fmt.Errorf("geonames id: %w", err)
	}
	if err := writeCityContent(ctx, tx, id, c); err != nil {
		return 0, err
	}
	if err := seedEntry(ctx, tx, twinning.CityType, id, siteID); err != nil {
		return 0, err
	}
	for i, at := range c.Attachments {
		var attID int64
		err := tx.QueryRow(ctx, `
			INSERT INTO city_attachments (city_id, slug, kind, format, media_type, position)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (city_id, slug) DO UPDATE SET kind = $3, format = $4, media_type = $5, position = $6
			RETURNING id`, id, at.Slug, at.Kind, at.Format, at.MediaType, i).Scan(&attID)
		if err != nil {
			return 0, fmt.Errorf("attachment %s: %w", at.Slug, err)
		}
		if err := writeAttachmentTitles(ctx, tx, attID, at); err != nil {
			return 0, err
		}
		if err := seedEntry(ctx, tx, twinning.DocumentType, attID, siteID); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// seedEntry gives an entry loaded by seed its place in the lifecycle; a refresh counts as a
// new version, so that an edit started before it meets a conflict.
func seedEntry(ctx context.Context, tx pgx.Tx, t *twinning.Type, id, siteID int64) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO entries (type, id, site_id) VALUES ($1, $2, $3)
		ON CONFLICT (type, id) DO UPDATE SET version = entries.version + 1`, t.Name, id, siteID)
	if err != nil {
		return fmt.Errorf("seed %s entry %d: %w", t.Name, id, err)
	}
	return nil
}

// cityFactColumns are the language-neutral columns of a city, in the order of factsOf.
const cityFactColumns = `slug, kind, country, population, population_year, population_approx,
	population_scale, population_area, agreement_precision, agreement_date, agreement_year,
	agreement_over_years, status, status_since, status_until, latitude, longitude, wikidata_id`

// factsOf returns the language-neutral columns of a city, in the order of cityFactColumns:
// slug, kind, country, population (5), agreement (4), status (3), coordinates (2), wikidata_id.
func factsOf(c twinning.City) []any {
	var (
		pop, popYear   any
		approx, area   bool
		scale          = "units"
		agrDate        any
		agrYear, agrOv any
	)
	if p := c.Population; p != nil {
		pop, approx, area = p.Count, p.Approx, p.Area
		if p.Year != 0 {
			popYear = p.Year
		}
		if p.Millions {
			scale = "millions"
		}
	}
	a := c.Agreement
	switch a.Precision {
	case twinning.PrecisionDay:
		agrDate, agrYear = a.Date, a.Date.Year()
	case twinning.PrecisionYear, twinning.PrecisionSince:
		agrYear = a.Year // the precision tells which
	case twinning.PrecisionOverYears:
		agrOv = a.OverYears
	}
	return []any{c.Slug, c.Kind, c.Country, pop, popYear, approx, scale, area, a.Precision,
		agrDate, agrYear, agrOv, c.Status, c.StatusSince, c.StatusUntil, c.Latitude, c.Longitude,
		c.WikidataID}
}

// writeCityContent replaces a city's texts and links with those of c.
func writeCityContent(ctx context.Context, tx pgx.Tx, id int64, c twinning.City) error {
	for _, q := range []string{`DELETE FROM city_texts WHERE city_id = $1`, `DELETE FROM city_links WHERE city_id = $1`} {
		if _, err := tx.Exec(ctx, q, id); err != nil {
			return err
		}
	}
	for lang, t := range c.Texts {
		_, err := tx.Exec(ctx, `
			INSERT INTO city_texts (city_id, lang, name, full_name, summary, description, aims,
				association, translated_from, reviewed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id, lang, t.Name, t.FullName, t.Summary, t.Description, t.Aims, t.Association,
			t.TranslatedFrom, reviewedOrEmpty(t.Reviewed))
		if err != nil {
			return fmt.Errorf("text %s: %w", lang, err)
		}
	}
	for i, l := range c.Links {
		_, err := tx.Exec(ctx, `
			INSERT INTO city_links (city_id, kind, lang, url, label, position) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, l.Kind, l.Lang, l.URL, l.Label, i)
		if err != nil {
			return fmt.Errorf("link %s: %w", l.URL, err)
		}
	}
	return nil
}

// writeSiteText creates or replaces a site's text in one language.
func writeSiteText(ctx context.Context, tx pgx.Tx, siteID int64, t twinning.SiteText) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO site_texts (site_id, lang, name, intro, partners_intro, history_title,
			history, events_title, events, translated_from, reviewed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (site_id, lang) DO UPDATE SET name = $3, intro = $4, partners_intro = $5,
			history_title = $6, history = $7, events_title = $8, events = $9,
			translated_from = $10, reviewed = $11, updated_at = now()`,
		siteID, t.Lang, t.Name, t.Intro, t.PartnersIntro, t.HistoryTitle, t.History,
		t.EventsTitle, t.Events, t.TranslatedFrom, reviewedOrEmpty(t.Reviewed))
	if err != nil {
		return fmt.Errorf("site text %s: %w", t.Lang, err)
	}
	return nil
}

// writeAttachmentTitles creates or replaces the titles of a document, with where each was
// translated from.
func writeAttachmentTitles(ctx context.Context, tx pgx.Tx, attID int64, a twinning.Attachment) error {
	for lang, title := range a.Titles {
		if title == "" {
			continue
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO city_attachment_titles (attachment_id, lang, title, translated_from, reviewed)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (attachment_id, lang) DO UPDATE SET title = $3, translated_from = $4, reviewed = $5`,
			attID, lang, title, a.TranslatedFrom[lang], a.Reviewed[lang])
		if err != nil {
			return fmt.Errorf("attachment title %s: %w", lang, err)
		}
	}
	return nil
}

// nullID stores an unknown id (0) as NULL.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// reviewedOrEmpty is a text's review marks as stored: never NULL.
func reviewedOrEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
