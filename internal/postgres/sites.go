package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// The reads of sites that cost one site, not all of them: thousands of sites share a
// database, and a request concerns one.

// SiteHeaders returns every site without its texts, the default site first: what resolving
// a host name and a site's languages need (a few hundred bytes a site).
func (db *DB) SiteHeaders(ctx context.Context) ([]twinning.Site, error) {
	rows, _ := db.Pool.Query(ctx, `SELECT `+siteColumns+` FROM sites ORDER BY is_default DESC, id`)
	srs, err := pgx.CollectRows(rows, pgx.RowToStructByName[siteRow])
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	sites := make([]twinning.Site, len(srs))
	for i, r := range srs {
		sites[i] = r.site()
		sites[i].Texts = nil
	}
	return sites, nil
}

// SiteHeader returns one site without its texts.
func (db *DB) SiteHeader(ctx context.Context, id int64) (twinning.Site, error) {
	s, err := db.siteWhere(ctx, `id = $1`, id)
	s.Texts = nil
	return s, err
}

// SiteBySlug returns the site with the slug, with its texts.
func (db *DB) SiteBySlug(ctx context.Context, slug string) (twinning.Site, error) {
	s, err := db.siteWhere(ctx, `slug = $1`, slug)
	if err != nil {
		return s, err
	}
	texts, err := siteTexts(ctx, db.Pool, s.ID, false)
	s.Texts = texts[s.ID]
	return s, err
}

// SiteNames returns the sites with the IDs and the default site, each with its slug and the
// names of its texts only: what an account's password must not be made of costs the
// account's sites, not every site of a country.
func (db *DB) SiteNames(ctx context.Context, ids []int64) ([]twinning.Site, error) {
	rows, _ := db.Pool.Query(ctx, `
		SELECT s.id, s.slug, t.lang, t.name
		FROM sites s LEFT JOIN site_texts t ON t.site_id = s.id
		WHERE s.is_default OR s.id = ANY ($1)
		ORDER BY s.is_default DESC, s.id`, ids)
	var sites []twinning.Site
	var id int64
	var slug string
	var lang, name *string
	_, err := pgx.ForEachRow(rows, []any{&id, &slug, &lang, &name}, func() error {
		if len(sites) == 0 || sites[len(sites)-1].ID != id {
			sites = append(sites, twinning.Site{ID: id, Slug: slug, Texts: map[string]twinning.SiteText{}})
		}
		if lang != nil && name != nil {
			sites[len(sites)-1].Texts[*lang] = twinning.SiteText{Lang: *lang, Name: *name}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("names of sites %v: %w", ids, err)
	}
	return sites, nil
}

func (db *DB) siteWhere(ctx context.Context, where string, arg any) (twinning.Site, error) {
	rows, _ := db.Pool.Query(ctx, `SELECT `+siteColumns+` FROM sites WHERE `+where, arg)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[siteRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return twinning.Site{}, twinning.Errorf(twinning.ENOTFOUND, "site %v not found", arg)
	}
	if err != nil {
		return twinning.Site{}, fmt.Errorf("site %v: %w", arg, err)
	}
	return r.site(), nil
}

// SiteList returns a page of the sites that q selects, named in q.Lang (else in their
// default language), ordered by name, and how many q selects in all.
func (db *DB) SiteList(ctx context.Context, q twinning.SiteQuery) ([]twinning.SiteName, int, error) {
	search := strings.ToLower(strings.TrimSpace(q.Search))
	rows, _ := db.Pool.Query(ctx, `
		WITH named AS (
			SELECT s.id, s.slug, s.hosts,
			       coalesce(nullif(t.name, ''), nullif(d.name, ''), s.slug) AS name
			FROM sites s
			LEFT JOIN site_texts t ON t.site_id = s.id AND t.lang = $1
			LEFT JOIN site_texts d ON d.site_id = s.id AND d.lang = s.default_lang
			WHERE ($2::bigint[] IS NULL OR s.id = ANY ($2))
		), found AS (
			SELECT * FROM named
			WHERE $3 = '' OR strpos(lower(name), $3) > 0 OR strpos(slug, $3) > 0
			   OR EXISTS (SELECT 1 FROM unnest(hosts) h WHERE strpos(h, $3) > 0)
		)
		SELECT id, slug, name, coalesce(hosts[1], ''), count(*) OVER () FROM found
		ORDER BY lower(name), id OFFSET $4 LIMIT $5`,
		q.Lang, q.IDs, search, max(q.Offset, 0), max(q.Limit, 1))
	var out []twinning.SiteName
	var n twinning.SiteName
	total := 0
	_, err := pgx.ForEachRow(rows, []any{&n.ID, &n.Slug, &n.Name, &n.Host, &total}, func() error {
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list sites: %w", err)
	}
	if len(out) == 0 && q.Offset > 0 { // past the end: the first page counts them
		first := q
		first.Offset, first.Limit = 0, 1
		_, total, err = db.SiteList(ctx, first)
		return nil, total, err
	}
	return out, total, nil
}

// PublishedLanguages are the languages some site publishes.
func (db *DB) PublishedLanguages(ctx context.Context) ([]string, error) {
	rows, _ := db.Pool.Query(ctx, `SELECT DISTINCT unnest(languages) FROM sites ORDER BY 1`)
	langs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("published languages: %w", err)
	}
	return langs, nil
}

// existingSites returns those of ids that are sites.
func existingSites(ctx context.Context, q querier, ids []int64) ([]int64, error) {
	rows, _ := q.Query(ctx, `SELECT id FROM sites WHERE id = ANY ($1)`, ids)
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("check sites: %w", err)
	}
	return out, nil
}
