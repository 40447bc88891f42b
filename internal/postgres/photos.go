package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// AddPhoto stores a photo uploaded for a city, with its variants, as an entry of PhotoType
// (e holds its alt texts, credit and licence): published, or as a draft. It returns its id.
// The photo goes last among the city's.
func (db *DB) AddPhoto(ctx context.Context, siteID, cityID int64, e twinning.Entry, up twinning.PhotoUpload, publish bool, by twinning.Actor) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if err := cityOfSite(ctx, tx, siteID, cityID); err != nil {
			return err
		}
		var err error
		if id, err = createEntry(ctx, tx, siteID, e, publish, by); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO photos (id, site_id, city_id, position, fingerprint, media_type, size, width, height)
			SELECT $1, $2, $3, coalesce(max(position) + 1, 0), $4, $5, $6, $7, $8 FROM photos WHERE city_id = $3`,
			id, siteID, cityID, up.Fingerprint, up.MediaType, len(up.Original), up.Width, up.Height); err != nil {
			return fmt.Errorf("store photo: %w", err)
		}
		if err := writePhotoFiles(ctx, tx, id, up); err != nil {
			return err
		}
		return audit(ctx, tx, by, siteID, "upload_photo", "city", cityID, "photo "+up.Fingerprint)
	})
	if err == nil {
		db.contentChanged(siteID)
	}
	return id, err
}

// ReplacePhoto puts another file in the place of a photo's, with its variants; its texts,
// facts and place stay. The variants' addresses change with the file.
func (db *DB) ReplacePhoto(ctx context.Context, siteID, id int64, up twinning.PhotoUpload, by twinning.Actor) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE photos SET fingerprint = $3, media_type = $4, size = $5, width = $6, height = $7, updated_at = now()
			WHERE id = $1 AND site_id = $2`, id, siteID, up.Fingerprint, up.MediaType, len(up.Original), up.Width, up.Height)
		if err != nil {
			return fmt.Errorf("replace photo %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return twinning.Errorf(twinning.ENOTFOUND, "photo %d not found in site %d", id, siteID)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM photo_variants WHERE photo_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM photo_originals WHERE photo_id = $1`, id); err != nil {
			return err
		}
		if err := writePhotoFiles(ctx, tx, id, up); err != nil {
			return err
		}
		return audit(ctx, tx, by, siteID, "replace", twinning.PhotoType.Name, id, "photo "+up.Fingerprint)
	})
	if err == nil {
		db.contentChanged(siteID)
	}
	return err
}

func writePhotoFiles(ctx context.Context, tx pgx.Tx, id int64, up twinning.PhotoUpload) error {
	if _, err := tx.Exec(ctx, `INSERT INTO photo_originals (photo_id, content) VALUES ($1, $2)`, id, up.Original); err != nil {
		return fmt.Errorf("store photo %d: %w", id, err)
	}
	for _, f := range up.Files {
		if _, err := tx.Exec(ctx, `
			INSERT INTO photo_variants (photo_id, purpose, format, width, height, content) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, f.Purpose, f.Format, f.Width, f.Height, f.Body); err != nil {
			return fmt.Errorf("store a variant of photo %d: %w", id, err)
		}
	}
	return nil
}

// cityOfSite checks that a city of the site exists and is not in the trash.
func cityOfSite(ctx context.Context, tx pgx.Tx, siteID, cityID int64) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cities WHERE id = $1 AND site_id = $2 AND deleted_at IS NULL)`,
		cityID, siteID).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return twinning.Errorf(twinning.ENOTFOUND, "city %d not found in site %d", cityID, siteID)
	}
	return nil
}

// Photo moves: to the first place, where it leads the city's page, or one place up or down.
const (
	MoveLead = "lead"
	MoveUp   = "up"
	MoveDown = "down"
)

// MovePhoto moves a photo among its city's photos (those in the trash keep their places).
func (db *DB) MovePhoto(ctx context.Context, siteID, id int64, move string, by twinning.Actor) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var cityID int64
		err := tx.QueryRow(ctx, `SELECT city_id FROM photos WHERE id = $1 AND site_id = $2`, id, siteID).Scan(&cityID)
		if errors.Is(err, pgx.ErrNoRows) {
			return twinning.Errorf(twinning.ENOTFOUND, "photo %d not found in site %d", id, siteID)
		}
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id FROM photos WHERE city_id = $1 ORDER BY position, id FOR UPDATE`, cityID)
		order, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("photos of city %d: %w", cityID, err)
		}
		i := slices.Index(order, id)
		switch {
		case move == MoveLead && i > 0:
			order = slices.Insert(slices.Delete(order, i, i+1), 0, id)
		case move == MoveUp && i > 0:
			order[i-1], order[i] = order[i], order[i-1]
		case move == MoveDown && i+1 < len(order):
			order[i+1], order[i] = order[i], order[i+1]
		case move != MoveLead && move != MoveUp && move != MoveDown:
			return twinning.Errorf(twinning.EINVALID, "no photo move %q", move)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE photos p SET position = o.n - 1 FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, n)
			WHERE p.id = o.id AND p.position <> o.n - 1`, order); err != nil {
			return fmt.Errorf("move photo %d: %w", id, err)
		}
		return audit(ctx, tx, by, siteID, "move_"+move, twinning.PhotoType.Name, id, "")
	})
	if err == nil {
		db.contentChanged(siteID)
	}
	return err
}

// CityPhotos returns the files of a city's photos as staff see them: every photo, drafts and
// those in the trash too, in order; their texts are entries (Entries, Entry).
func (db *DB) CityPhotos(ctx context.Context, siteID, cityID int64) ([]twinning.Photo, error) {
	return loadPhotos(ctx, db.Pool, `p.site_id = $1 AND p.city_id = $2`, siteID, cityID)
}

// Photo returns the files of one photo of a site.
func (db *DB) Photo(ctx context.Context, siteID, id int64) (twinning.Photo, error) {
	ps, err := loadPhotos(ctx, db.Pool, `p.site_id = $1 AND p.id = $2`, siteID, id)
	if err != nil {
		return twinning.Photo{}, err
	}
	if len(ps) == 0 {
		return twinning.Photo{}, twinning.Errorf(twinning.ENOTFOUND, "photo %d not found in site %d", id, siteID)
	}
	return ps[0], nil
}

// loadPhotos reads the photos matching where (over photos p), with their variants, in order.
func loadPhotos(ctx context.Context, q querier, where string, args ...any) ([]twinning.Photo, error) {
	rows, _ := q.Query(ctx, `
		SELECT p.id, p.city_id, p.fingerprint, p.width, p.height,
		       coalesce((SELECT jsonb_agg(jsonb_build_object('Purpose', v.purpose, 'Format', v.format,
		                         'Width', v.width, 'Height', v.height) ORDER BY v.purpose, v.format, v.width)
		                 FROM photo_variants v WHERE v.photo_id = p.id), '[]')
		FROM photos p
		WHERE `+where+`
		ORDER BY p.city_id, p.position, p.id`, args...)
	var out []twinning.Photo
	var p twinning.Photo
	_, err := pgx.ForEachRow(rows, []any{&p.ID, &p.CityID, &p.Fingerprint, &p.Width, &p.Height, &p.Variants}, func() error {
		out = append(out, p)
		p.Variants = nil
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list photos: %w", err)
	}
	return out, nil
}

// publishedPhotos returns the site's published photos that are not in the trash, by city, in
// order, with their alt texts, credit and licence.
func publishedPhotos(ctx context.Context, q querier, siteID int64) (map[int64][]twinning.Photo, error) {
	entries, err := photoMapping.load(ctx, q, siteID, publicEntry)
	if err != nil {
		return nil, fmt.Errorf("photo entries: %w", err)
	}
	byID := map[int64]twinning.Entry{}
	for _, e := range entries {
		if e.DeletedAt == nil {
			byID[e.ID] = e
		}
	}
	photos, err := loadPhotos(ctx, q, `p.site_id = $1`, siteID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]twinning.Photo{}
	for _, p := range photos {
		e, ok := byID[p.ID]
		if !ok {
			continue
		}
		p.Credit, p.Licence, p.Alt = e.Text("credit"), e.Text("photo_licence"), map[string]string{}
		for lang, t := range e.Texts {
			if alt := t.Fields["alt"]; alt != "" {
				p.Alt[lang] = alt
			}
		}
		out[p.CityID] = append(out[p.CityID], p)
	}
	return out, nil
}

// PhotoFile returns the bytes of a variant of the site's photo with the fingerprint. public
// asks for a photo the public site shows: published, not in the trash, of a city that is
// neither; staff see their drafts too.
func (db *DB) PhotoFile(ctx context.Context, siteID int64, fingerprint string, v twinning.PhotoVariant, public bool) ([]byte, error) {
	var body []byte
	err := db.Pool.QueryRow(ctx, `
		SELECT v.content FROM photo_variants v JOIN photos p ON p.id = v.photo_id JOIN cities c ON c.id = p.city_id
		WHERE p.site_id = $1 AND p.fingerprint = $2 AND v.purpose = $3 AND v.format = $4 AND ($5 = 0 OR v.width = $5)
		  AND (NOT $6 OR c.deleted_at IS NULL AND c.published_at IS NOT NULL AND EXISTS (
		       SELECT 1 FROM published_entries e WHERE e.type = 'photo' AND e.id = p.id AND e.deleted_at IS NULL))
		LIMIT 1`, siteID, fingerprint, v.Purpose, v.Format, v.Width, public).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, twinning.Errorf(twinning.ENOTFOUND, "no photo %s %+v in site %d", fingerprint, v, siteID)
	}
	if err != nil {
		return nil, fmt.Errorf("photo %s: %w", fingerprint, err)
	}
	return body, nil
}
