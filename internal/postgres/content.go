package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

type siteRow struct {
	ID            int64
	Slug          string
	Hosts         []string
	IsDefault     bool
	Languages     []string
	DefaultLang   string
	SourceLang    string
	RequiredLangs []string
	Country       string
	DataLicence   string
	Latitude      *float64
	Longitude     *float64
	GeoNamesID    *int64
	OfficialCode  string
	ContactEmail  string `db:"data_contact_email"`
	ContactURL    string `db:"data_contact_url"`
	Modified      time.Time
	Version       int64
	// FeedbackRetentionMonths: see twinning.Site
	FeedbackRetentionMonths int
}

func (r siteRow) site() twinning.Site {
	return twinning.Site{
		ID: r.ID, Slug: r.Slug, Hosts: r.Hosts, IsDefault: r.IsDefault, Languages: r.Languages, DefaultLang: r.DefaultLang,
		SourceLang: r.SourceLang, RequiredLangs: r.RequiredLangs, Country: r.Country, Licence: r.DataLicence,
		FeedbackRetentionMonths: r.FeedbackRetentionMonths,
		Place:                   twinning.Place{Latitude: r.Latitude, Longitude: r.Longitude, GeoNamesID: deref(r.GeoNamesID)},
		OfficialCode:            r.OfficialCode, DataContact: twinning.DataContact{Email: r.ContactEmail, URL: r.ContactURL},
		Modified: r.Modified, ContentVersion: r.Version, Texts: map[string]twinning.SiteText{},
	}
}

const siteColumns = `id, slug, hosts, is_default, languages, default_lang, source_lang, required_langs, country, data_licence,
	latitude, longitude, geonames_id, official_code, data_contact_email, data_contact_url, feedback_retention_months,
	coalesce((SELECT max(changed_at) FROM site_changes WHERE site_id = sites.id), now()) AS modified,
	site_version(id) AS version`

// Sites returns every site with its texts, the default site first.
func (db *DB) Sites(ctx context.Context) ([]twinning.Site, error) {
	rows, _ := db.Pool.Query(ctx, `SELECT `+siteColumns+` FROM sites ORDER BY is_default DESC, id`)
	srs, err := pgx.CollectRows(rows, pgx.RowToStructByName[siteRow])
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	sites := make([]twinning.Site, len(srs))
	byID := map[int64]*twinning.Site{}
	for i, r := range srs {
		sites[i] = r.site()
		byID[r.ID] = &sites[i]
	}
	texts, err := siteTexts(ctx, db.Pool, 0, false)
	if err != nil {
		return nil, err
	}
	for i := range sites {
		if t := texts[sites[i].ID]; t != nil {
			sites[i].Texts = t
		}
	}
	return sites, nil
}

// Content returns a site's published content: the site with its texts, its cities with their
// texts, links and attachments, in display order, and the entries of every type with public
// pages of its own, by date. The published tables hold only what was published; the trash is
// left out. site needs only its header (SiteHeader); its texts are read here.
func (db *DB) Content(ctx context.Context, site twinning.Site) (twinning.Content, error) {
	// The version first: what is read after it is at least as new (see RenderedPage).
	var version int64
	if err := db.Pool.QueryRow(ctx, `SELECT site_version($1)`, site.ID).Scan(&version); err != nil {
		return twinning.Content{}, fmt.Errorf("content version of site %s: %w", site.Slug, err)
	}
	texts, err := siteTexts(ctx, db.Pool, site.ID, true)
	if err != nil {
		return twinning.Content{}, fmt.Errorf("content of site %s: %w", site.Slug, err)
	}
	site.Texts = texts[site.ID]
	cities, err := loadCities(ctx, db.Pool, true, `c.site_id = $1 AND c.deleted_at IS NULL`, site.ID)
	if err != nil {
		return twinning.Content{}, fmt.Errorf("content of site %s: %w", site.Slug, err)
	}
	photos, err := publishedPhotos(ctx, db.Pool, site.ID)
	if err != nil {
		return twinning.Content{}, fmt.Errorf("content of site %s: %w", site.Slug, err)
	}
	for i := range cities {
		cities[i].Attachments = slices.DeleteFunc(cities[i].Attachments, func(a twinning.Attachment) bool { return a.DeletedAt != nil })
		cities[i].Photos = photos[cities[i].ID]
	}
	c := twinning.Content{Site: site, Cities: cities, Entries: map[*twinning.Type][]twinning.Entry{}, Version: version}
	for _, t := range twinning.Types.Public() {
		m, err := mappingOf(t)
		if err != nil {
			return c, err
		}
		es, err := m.load(ctx, db.Pool, site.ID, publicEntry)
		if err != nil {
			return c, fmt.Errorf("%s entries of site %s: %w", t.Name, site.Slug, err)
		}
		es = slices.DeleteFunc(es, func(e twinning.Entry) bool { return e.DeletedAt != nil })
		twinning.SortByDate(es)
		c.Entries[t] = es
	}
	return c, nil
}

// loadCities reads the cities matching where (over cities c) as published, with their texts,
// links and attachments (those in the trash too).
func loadCities(ctx context.Context, q querier, public bool, where string, args ...any) ([]twinning.City, error) {
	rows, _ := q.Query(ctx, `
		SELECT id, site_id, slug, kind, country, population, population_year, population_approx,
		       population_scale, population_area, agreement_precision, agreement_date,
		       agreement_year, agreement_over_years, status, status_since, status_until,
		       latitude, longitude, wikidata_id, position, updated_at,
		       published_at, deleted_at, geonames_id, place_seat
		FROM cities c
		WHERE `+where+`
		ORDER BY position, id`, args...)
	var (
		out                              []twinning.City
		city                             twinning.City
		pop                              *int64
		popYear, agrYear, agrOver        *int32
		popApprox, popArea               bool
		popScale, kind, prec, status     string
		agrDate, statusSince, statusUntl *time.Time
		geonamesID                       *int64
	)
	byID := map[int64]int{}
	_, err := pgx.ForEachRow(rows, []any{&city.ID, &city.SiteID, &city.Slug, &kind, &city.Country,
		&pop, &popYear, &popApprox, &popScale, &popArea, &prec, &agrDate, &agrYear, &agrOver,
		&status, &statusSince, &statusUntl, &city.Latitude, &city.Longitude, &city.WikidataID,
		&city.Position, &city.UpdatedAt, &city.PublishedAt, &city.DeletedAt, &geonamesID, &city.PlaceSeat}, func() error {
		x := city
		x.GeoNamesID = deref(geonamesID)
		x.Kind, x.Status = twinning.Kind(kind), twinning.Status(status)
		x.StatusSince, x.StatusUntil = statusSince, statusUntl
		x.Population = nil
		if pop != nil {
			x.Population = &twinning.Population{Count: *pop, Year: int(deref(popYear)), Approx: popApprox,
				Millions: popScale == "millions", Area: popArea}
		}
		x.Agreement = twinning.Agreement{Precision: twinning.Precision(prec), Year: int(deref(agrYear)), OverYears: int(deref(agrOver))}
		if agrDate != nil {
			x.Agreement.Date = *agrDate
		}
		x.Texts = map[string]twinning.CityText{}
		byID[x.ID] = len(out)
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list cities: %w", err)
	}

	rows, _ = q.Query(ctx, `
		SELECT t.city_id, t.lang, t.name, t.full_name, t.summary, t.description, t.aims,
		       t.association, t.translated_from, `+reviewMarks(public, "t.reviewed")+`
		FROM city_texts t JOIN cities c ON c.id = t.city_id
		WHERE `+where, args...)
	var cityID int64
	var t twinning.CityText
	_, err = pgx.ForEachRow(rows, []any{&cityID, &t.Lang, &t.Name, &t.FullName, &t.Summary,
		&t.Description, &t.Aims, &t.Association, &t.TranslatedFrom, &t.Reviewed}, func() error {
		if i, ok := byID[cityID]; ok {
			out[i].Texts[t.Lang] = t
		}
		t.Reviewed = nil
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list city texts: %w", err)
	}

	rows, _ = q.Query(ctx, `
		SELECT l.city_id, l.kind, l.lang, l.url, l.label
		FROM city_links l JOIN cities c ON c.id = l.city_id
		WHERE `+where+`
		ORDER BY l.position, l.id`, args...)
	var l twinning.Link
	_, err = pgx.ForEachRow(rows, []any{&cityID, &l.Kind, &l.Lang, &l.URL, &l.Label}, func() error {
		if i, ok := byID[cityID]; ok {
			out[i].Links = append(out[i].Links, l)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list city links: %w", err)
	}

	rows, _ = q.Query(ctx, `
		SELECT a.city_id, a.id, a.slug, a.kind, a.format, a.media_type, coalesce(a.size, 0),
		       a.content IS NOT NULL, a.deleted_at,
		       coalesce((SELECT jsonb_object_agg(lang, title) FROM city_attachment_titles
		                 WHERE attachment_id = a.id), '{}')
		FROM city_attachments a JOIN cities c ON c.id = a.city_id
		WHERE `+where+`
		ORDER BY a.position, a.id`, args...)
	var a twinning.Attachment
	_, err = pgx.ForEachRow(rows, []any{&cityID, &a.ID, &a.Slug, &a.Kind, &a.Format, &a.MediaType,
		&a.Size, &a.Present, &a.DeletedAt, &a.Titles}, func() error {
		if i, ok := byID[cityID]; ok {
			out[i].Attachments = append(out[i].Attachments, a)
		}
		a.Titles = nil
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	return out, nil
}

// Attachment returns the stored file of a city's attachment.
func (db *DB) Attachment(ctx context.Context, siteID int64, citySlug, slug string) (twinning.Attachment, []byte, error) {
	var a twinning.Attachment
	var content []byte
	err := db.Pool.QueryRow(ctx, `
		SELECT a.id, a.slug, a.kind, a.format, a.media_type, coalesce(a.size, 0), a.content
		FROM city_attachments a JOIN cities c ON c.id = a.city_id
		WHERE c.site_id = $1 AND c.slug = $2 AND a.slug = $3 AND a.content IS NOT NULL
		  AND a.deleted_at IS NULL AND c.deleted_at IS NULL`,
		siteID, citySlug, slug).Scan(&a.ID, &a.Slug, &a.Kind, &a.Format, &a.MediaType, &a.Size, &content)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, nil, twinning.Errorf(twinning.ENOTFOUND, "attachment %s/%s not found", citySlug, slug)
	}
	if err != nil {
		return a, nil, fmt.Errorf("get attachment %s/%s: %w", citySlug, slug, err)
	}
	a.Present = true
	return a, content, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}
