package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// The content engine: one implementation of the lifecycle of every type of entry (drafts,
// publishing, versions and conflicts, revisions, restore, trash, audit). What differs per type
// is only where its published state lives, declared once per type as a kind (kinds.go).

// kind is how the engine reads and writes the published state of one content type.
type kind struct {
	// load reads a site's entries of the type (id 0: all of them) as they are published,
	// in the trash or not.
	load func(ctx context.Context, q querier, siteID, id int64) ([]twinning.Entry, error)
	// create adds a new entry, published or not, and returns its id.
	create func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, publish bool) (int64, error)
	// publish writes an entry's facts and texts to the published tables.
	publish func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error
	// check refuses what the database would refuse on publishing (a taken slug), so that a
	// draft is refused too; nil when there is nothing to check.
	check func(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error
	// trash moves an entry to the trash or out of it (del false).
	trash func(ctx context.Context, tx pgx.Tx, siteID, id int64, del bool) error
	// label names an entry in the audit log.
	label func(e twinning.Entry) string
}

func kindOf(t *twinning.Type) (kind, error) {
	k, ok := kinds[t.Name]
	if !ok {
		return kind{}, fmt.Errorf("no store for content type %q", t.Name)
	}
	return k, nil
}

// Entries returns the working copies of a site's entries of type t: each with its saved
// draft where it has one. trash selects the deleted entries instead of the others.
func (db *DB) Entries(ctx context.Context, t *twinning.Type, siteID int64, trash bool) ([]twinning.Entry, error) {
	all, err := working(ctx, db.Pool, t, siteID, 0)
	if err != nil {
		return nil, err
	}
	var out []twinning.Entry
	for _, e := range all {
		if (e.DeletedAt != nil) == trash {
			out = append(out, e)
		}
	}
	return out, nil
}

// Entry returns the working copy of one entry of a site, in the trash or not.
func (db *DB) Entry(ctx context.Context, t *twinning.Type, siteID, id int64) (twinning.Entry, error) {
	return workingOne(ctx, db.Pool, t, siteID, id)
}

func workingOne(ctx context.Context, q querier, t *twinning.Type, siteID, id int64) (twinning.Entry, error) {
	es, err := working(ctx, q, t, siteID, id)
	if err != nil {
		return twinning.Entry{}, err
	}
	if len(es) == 0 {
		return twinning.Entry{}, twinning.Errorf(twinning.ENOTFOUND, "%s %d not found in site %d", t.Name, id, siteID)
	}
	return es[0], nil
}

// working reads the published entries and lays their drafts and versions over them.
func working(ctx context.Context, q querier, t *twinning.Type, siteID, id int64) ([]twinning.Entry, error) {
	k, err := kindOf(t)
	if err != nil {
		return nil, err
	}
	es, err := k.load(ctx, q, siteID, id)
	if err != nil {
		return nil, fmt.Errorf("load %s entries of site %d: %w", t.Name, siteID, err)
	}
	rows, _ := q.Query(ctx, `
		SELECT id, version, draft FROM entries
		WHERE type = $1 AND site_id = $2 AND ($3 = 0 OR id = $3)`, t.Name, siteID, id)
	type state struct {
		version int
		draft   []byte
	}
	states := map[int64]state{}
	var eid int64
	var st state
	if _, err := pgx.ForEachRow(rows, []any{&eid, &st.version, &st.draft}, func() error {
		states[eid] = st
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read lifecycle of %s entries: %w", t.Name, err)
	}
	for i, e := range es {
		s, ok := states[e.ID]
		if !ok {
			continue
		}
		e.Version = s.version
		if s.draft != nil {
			d, err := decodeSnapshot(t, s.draft)
			if err != nil {
				return nil, fmt.Errorf("draft of %s %d: %w", t.Name, e.ID, err)
			}
			e.Facts, e.Texts, e.HasDraft = d.Facts, d.Texts, true
		}
		es[i] = e
	}
	return es, nil
}

// CreateEntry adds an entry of type t to the site, published or as a draft, and returns its id.
func (db *DB) CreateEntry(ctx context.Context, siteID int64, e twinning.Entry, publish bool, by twinning.Actor) (int64, error) {
	k, err := kindOf(e.Type)
	if err != nil {
		return 0, err
	}
	if k.create == nil {
		return 0, fmt.Errorf("%s entries are not created through the engine", e.Type.Name)
	}
	var id int64
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if k.check != nil {
			if err := k.check(ctx, tx, siteID, e); err != nil {
				return err
			}
		}
		if id, err = k.create(ctx, tx, siteID, e, publish); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO entries (type, id, site_id) VALUES ($1, $2, $3)`, e.Type.Name, id, siteID); err != nil {
			return fmt.Errorf("create %s entry: %w", e.Type.Name, err)
		}
		e.ID, e.Version = id, 1
		action := "create"
		if publish {
			action = "create_publish"
		}
		return record(ctx, tx, siteID, e, action, by, k.label(e))
	})
	if err == nil && publish {
		db.contentChanged(siteID)
	}
	return id, err
}

// SaveEntry saves staff's edit of an entry: as its draft, or published. e.Version must be the
// version the edit started from; when someone saved in between, it returns an ECONFLICT error
// and changes nothing. action names the save in the history ("draft", "publish", "restore").
// It returns the new version.
func (db *DB) SaveEntry(ctx context.Context, siteID int64, e twinning.Entry, publish bool, action string, by twinning.Actor) (int, error) {
	var version int
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var err error
		version, err = saveEntry(ctx, tx, siteID, e, publish, action, by)
		return err
	})
	if err == nil && publish {
		db.contentChanged(siteID)
	}
	return version, err
}

// saveEntry is one save of SaveEntry, in tx.
func saveEntry(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, publish bool, action string, by twinning.Actor) (int, error) {
	k, err := kindOf(e.Type)
	if err != nil {
		return 0, err
	}
	var current int
	err = tx.QueryRow(ctx, `SELECT version FROM entries WHERE type = $1 AND id = $2 AND site_id = $3 FOR UPDATE`,
		e.Type.Name, e.ID, siteID).Scan(&current)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, twinning.Errorf(twinning.ENOTFOUND, "%s %d not found in site %d", e.Type.Name, e.ID, siteID)
	}
	if err != nil {
		return 0, fmt.Errorf("lock %s %d: %w", e.Type.Name, e.ID, err)
	}
	stored, err := workingOne(ctx, tx, e.Type, siteID, e.ID)
	if err != nil {
		return 0, err
	}
	if stored.DeletedAt != nil {
		return 0, twinning.Errorf(twinning.ENOTFOUND, "%s %d is in the trash", e.Type.Name, e.ID)
	}
	if current != e.Version {
		return 0, twinning.Errorf(twinning.ECONFLICT, "%s %d is at version %d, the edit started from %d", e.Type.Name, e.ID, current, e.Version)
	}
	if err := baseline(ctx, tx, siteID, stored); err != nil {
		return 0, err
	}
	if k.check != nil {
		if err := k.check(ctx, tx, siteID, e); err != nil {
			return 0, err
		}
	}
	version := current + 1
	var draft []byte
	if publish {
		if err := k.publish(ctx, tx, siteID, e); err != nil {
			return 0, err
		}
	} else if draft, err = encodeSnapshot(e); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `UPDATE entries SET version = $3, draft = $4 WHERE type = $1 AND id = $2`,
		e.Type.Name, e.ID, version, draft); err != nil {
		return 0, fmt.Errorf("save %s %d: %w", e.Type.Name, e.ID, err)
	}
	e.Version = version
	return version, record(ctx, tx, siteID, e, action, by, k.label(e))
}

// TrashEntry moves an entry to the trash (del) or takes it out again.
func (db *DB) TrashEntry(ctx context.Context, t *twinning.Type, siteID, id int64, del bool, by twinning.Actor) error {
	k, err := kindOf(t)
	if err != nil {
		return err
	}
	if !t.Trashable {
		return twinning.Errorf(twinning.ENOTFOUND, "%s entries have no trash", t.Name)
	}
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		e, err := workingOne(ctx, tx, t, siteID, id)
		if err != nil {
			return err
		}
		if (e.DeletedAt != nil) == del {
			return twinning.Errorf(twinning.ENOTFOUND, "%s %d is not where it could be moved from", t.Name, id)
		}
		if err := k.trash(ctx, tx, siteID, id, del); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE entries SET version = version + 1 WHERE type = $1 AND id = $2`, t.Name, id); err != nil {
			return err
		}
		action := "delete"
		if !del {
			action = "restore"
		}
		return audit(ctx, tx, by, siteID, action, t.Name, id, k.label(e))
	})
	if err == nil {
		db.contentChanged(siteID)
	}
	return err
}

// Revisions lists the saved states of an entry, newest first.
func (db *DB) Revisions(ctx context.Context, t *twinning.Type, siteID, id int64) ([]twinning.Revision, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT id, entity_id, version, action, author_email, created_at, snapshot
		FROM revisions WHERE site_id = $1 AND entity = $2 AND entity_id = $3
		ORDER BY id DESC`, siteID, t.Name, id)
	if err != nil {
		return nil, fmt.Errorf("list revisions of %s %d: %w", t.Name, id, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (twinning.Revision, error) {
		var rev twinning.Revision
		var snap []byte
		if err := r.Scan(&rev.ID, &rev.EntityID, &rev.Version, &rev.Action, &rev.AuthorEmail, &rev.CreatedAt, &snap); err != nil {
			return rev, err
		}
		e, err := decodeSnapshot(t, snap)
		if err != nil {
			return rev, fmt.Errorf("revision %d: %w", rev.ID, err)
		}
		e.ID, e.SiteID, e.Version = id, siteID, rev.Version
		rev.Entry = e
		return rev, nil
	})
}

// baseline records the stored state of an entry that has no revision yet (loaded by seed or
// from before revisions existed), so that the first edit can be undone too.
func baseline(ctx context.Context, tx pgx.Tx, siteID int64, stored twinning.Entry) error {
	var has bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM revisions WHERE entity = $1 AND entity_id = $2)`,
		stored.Type.Name, stored.ID).Scan(&has); err != nil || has {
		return err
	}
	return insertRevision(ctx, tx, siteID, stored, "import", twinning.Actor{})
}

// record keeps a saved entry as a revision and audits the save.
func record(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, action string, by twinning.Actor, label string) error {
	if err := insertRevision(ctx, tx, siteID, e, action, by); err != nil {
		return err
	}
	return audit(ctx, tx, by, siteID, action, e.Type.Name, e.ID, label)
}

// insertRevision stores one saved state of an entry, as a snapshot.
func insertRevision(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, action string, by twinning.Actor) error {
	snap, err := encodeSnapshot(e)
	if err != nil {
		return err
	}
	var author any
	if by.UserID != 0 {
		author = by.UserID
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO revisions (site_id, entity, entity_id, version, action, snapshot, author_id, author_email)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, siteID, e.Type.Name, e.ID, e.Version, action, snap, author, by.Email); err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}
