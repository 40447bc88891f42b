package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

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

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// AddAttachment stores an uploaded document of a city, with its titles.
func (db *DB) AddAttachment(ctx context.Context, siteID, cityID int64, a twinning.Attachment, content []byte, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cities WHERE id = $1 AND site_id = $2 AND deleted_at IS NULL)`,
			cityID, siteID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", cityID, siteID)
		}
		base := nonSlug.ReplaceAllString(a.Slug, "-")
		if base == "" || base == "-" {
			base = "document"
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM city_attachments WHERE city_id = $1`, cityID).Scan(&n); err != nil {
			return err
		}
		slug := fmt.Sprintf("%s-%d", base, n+1)
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO city_attachments (city_id, slug, kind, format, media_type, size, content, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			cityID, slug, a.Kind, a.Format, a.MediaType, len(content), content, n).Scan(&id)
		if err != nil {
			return fmt.Errorf("store attachment: %w", err)
		}
		if err := writeAttachmentTitles(ctx, tx, id, a.Titles); err != nil {
			return err
		}
		return audit(ctx, tx, by, siteID, "upload", "city", cityID, slug)
	})
}

// DeleteAttachment moves a document of a city to the trash; RestoreAttachment takes it out.
func (db *DB) DeleteAttachment(ctx context.Context, siteID, cityID, attachmentID int64, by twinning.Actor) error {
	return db.trashAttachment(ctx, siteID, cityID, attachmentID, true, by)
}

// RestoreAttachment takes a document of a city out of the trash.
func (db *DB) RestoreAttachment(ctx context.Context, siteID, cityID, attachmentID int64, by twinning.Actor) error {
	return db.trashAttachment(ctx, siteID, cityID, attachmentID, false, by)
}

func (db *DB) trashAttachment(ctx context.Context, siteID, cityID, attachmentID int64, del bool, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var slug string
		err := tx.QueryRow(ctx, `
			UPDATE city_attachments a SET deleted_at = CASE WHEN $4 THEN now() END
			FROM cities c
			WHERE a.id = $1 AND a.city_id = $2 AND c.id = a.city_id AND c.site_id = $3
			  AND (a.deleted_at IS NULL) = $4
			RETURNING a.slug`, attachmentID, cityID, siteID, del).Scan(&slug)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "attachment %d not found", attachmentID)
		}
		if err != nil {
			return err
		}
		action := "delete_document"
		if !del {
			action = "restore_document"
		}
		return audit(ctx, tx, by, siteID, action, "city", cityID, slug)
	})
}
