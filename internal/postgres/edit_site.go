package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// SaveSiteTexts saves a site's texts and required languages: published, or as its draft.
// site.Version must be the version the edit started from (ECONFLICT otherwise). action names
// the save in the history ("draft", "publish", "restore"). It returns the new version.
func (db *DB) SaveSiteTexts(ctx context.Context, site twinning.Site, publish bool, action string, by twinning.Actor) (int, error) {
	var version int
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var current int
		err := tx.QueryRow(ctx, `SELECT version FROM sites WHERE id = $1 FOR UPDATE`, site.ID).Scan(&current)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "site %d not found", site.ID)
		}
		if err != nil {
			return err
		}
		if current != site.Version {
			return twinning.Errorf(twinning.ECONFLICT, "site %d is at version %d, the edit started from %d", site.ID, current, site.Version)
		}
		if err := siteBaseline(ctx, tx, site.ID, current); err != nil {
			return err
		}
		version = current + 1
		site.Version = version
		if publish {
			if _, err := tx.Exec(ctx, `UPDATE sites SET version = $2, required_langs = $3, draft = NULL WHERE id = $1`,
				site.ID, version, site.RequiredLangs); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM site_texts WHERE site_id = $1`, site.ID); err != nil {
				return err
			}
			for _, t := range site.Texts {
				if err := writeSiteText(ctx, tx, site.ID, t); err != nil {
					return err
				}
			}
		} else {
			draft, err := json.Marshal(site)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE sites SET version = $2, draft = $3 WHERE id = $1`, site.ID, version, draft); err != nil {
				return err
			}
		}
		if err := insertRevision(ctx, tx, site.ID, "site", site.ID, version, action, site, by); err != nil {
			return err
		}
		auditAction := "site_texts"
		if !publish {
			auditAction = "site_draft"
		}
		return audit(ctx, tx, by, site.ID, auditAction, "site", site.ID, site.Slug)
	})
	db.contentChanged(site.ID)
	return version, err
}

// WorkingSite returns a site with its draft texts, where it has a draft: what staff edit.
func (db *DB) WorkingSite(ctx context.Context, slug string) (twinning.Site, error) {
	site, err := db.SiteBySlug(ctx, slug)
	if err != nil {
		return site, err
	}
	var draft []byte
	if err := db.Pool.QueryRow(ctx, `SELECT draft FROM sites WHERE id = $1`, site.ID).Scan(&draft); err != nil {
		return site, fmt.Errorf("read draft of site %s: %w", slug, err)
	}
	if draft == nil {
		return site, nil
	}
	var d twinning.Site
	if err := json.Unmarshal(draft, &d); err != nil {
		return site, fmt.Errorf("draft of site %s: %w", slug, err)
	}
	site.Texts, site.RequiredLangs, site.HasDraft = d.Texts, d.RequiredLangs, true
	return site, nil
}

// siteBaseline records the stored texts of a site that has no revision yet, so that the first
// edit can be undone.
func siteBaseline(ctx context.Context, tx pgx.Tx, siteID int64, version int) error {
	var has bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM revisions WHERE entity = 'site' AND entity_id = $1)`,
		siteID).Scan(&has); err != nil || has {
		return err
	}
	var site twinning.Site
	err := tx.QueryRow(ctx, `SELECT id, slug, required_langs FROM sites WHERE id = $1`, siteID).Scan(&site.ID, &site.Slug, &site.RequiredLangs)
	if err != nil {
		return err
	}
	site.Version, site.Texts = version, map[string]twinning.SiteText{}
	rows, _ := tx.Query(ctx, `
		SELECT lang, name, intro, partners_intro, history_title, history, events_title, events, translated_from
		FROM site_texts WHERE site_id = $1`, siteID)
	var t twinning.SiteText
	_, err = pgx.ForEachRow(rows, []any{&t.Lang, &t.Name, &t.Intro, &t.PartnersIntro, &t.HistoryTitle,
		&t.History, &t.EventsTitle, &t.Events, &t.TranslatedFrom}, func() error {
		site.Texts[t.Lang] = t
		return nil
	})
	if err != nil {
		return err
	}
	return insertRevision(ctx, tx, siteID, "site", siteID, version, "import", site, twinning.Actor{})
}
