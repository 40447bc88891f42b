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

// The content engine: one implementation of the lifecycle of every type of entry (drafts,
// publishing, versions and conflicts, revisions, restore, trash, audit). What differs per type
// is its declaration (twinning.Type) and where its published state lives (kinds.go). An entry
// exists in `entries` from its creation; its published tables hold it only once published.

// Entries returns the working copies of a site's entries of type t: each with its saved
// draft where it has one. trash selects the deleted entries instead of the others.
func (db *DB) Entries(ctx context.Context, t *twinning.Type, siteID int64, trash bool) ([]twinning.Entry, error) {
	all, err := working(ctx, db.Pool, t, siteID, everyEntry)
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
	es, err := working(ctx, q, t, siteID, oneEntry(id))
	if err != nil {
		return twinning.Entry{}, err
	}
	if len(es) == 0 {
		return twinning.Entry{}, twinning.Errorf(twinning.ENOTFOUND, "%s %d not found in site %d", t.Name, id, siteID)
	}
	return es[0], nil
}

// working reads the published entries and lays their drafts and versions over them; an entry
// never published is its draft.
func working(ctx context.Context, q querier, t *twinning.Type, siteID int64, sel selection) ([]twinning.Entry, error) {
	k, err := mappingOf(t)
	if err != nil {
		return nil, err
	}
	es, err := k.load(ctx, q, siteID, sel)
	if err != nil {
		return nil, fmt.Errorf("load %s entries of site %d: %w", t.Name, siteID, err)
	}
	rows, _ := q.Query(ctx, `
		SELECT id, version, draft, deleted_at FROM entries
		WHERE type = $1 AND site_id = $2 AND ($3 OR id = $4) ORDER BY id`, t.Name, siteID, sel.all, sel.id)
	type state struct {
		id      int64
		version int
		draft   []byte
		deleted *time.Time
	}
	var states []state
	var st state
	if _, err := pgx.ForEachRow(rows, []any{&st.id, &st.version, &st.draft, &st.deleted}, func() error {
		states = append(states, st)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read lifecycle of %s entries: %w", t.Name, err)
	}
	published := map[int64]int{}
	for i, e := range es {
		published[e.ID] = i
	}
	for _, s := range states {
		i, ok := published[s.id]
		if !ok {
			if s.draft == nil {
				continue // a document whose city is gone, say
			}
			es = append(es, twinning.Entry{Type: t, ID: s.id, SiteID: siteID})
			i = len(es) - 1
		}
		e := es[i]
		e.Version, e.DeletedAt = s.version, s.deleted
		if s.draft != nil {
			d, err := decodeSnapshot(t, s.draft)
			if err != nil {
				return nil, fmt.Errorf("draft of %s %d: %w", t.Name, e.ID, err)
			}
			e.Facts, e.Texts, e.HasDraft = d.Facts, d.Texts, true
		}
		es[i] = e
	}
	if k.parents != nil {
		parents, err := k.parents(ctx, q, siteID)
		if err != nil {
			return nil, err
		}
		for i := range es {
			es[i].Parent = parents[es[i].ID]
		}
	}
	return es, nil
}

// check refuses what publishing would refuse, so that a draft is refused too: a slug another
// entry of the type (a draft, or in the trash) has, a reference to no entry of the site.
func check(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry) error {
	errs := twinning.FieldErrors{}
	for _, f := range e.Type.Facts {
		switch f.Kind {
		case twinning.FactSlug:
			others, err := working(ctx, tx, e.Type, siteID, everyEntry)
			if err != nil {
				return err
			}
			for _, o := range others {
				if o.ID != e.ID && o.Text(f.Key) == e.Text(f.Key) {
					errs[twinning.Fact(f.Key)] = "validation.slug_taken"
				}
			}
		case twinning.FactReference:
			refs := e.Refs(f.Key)
			if len(refs) == 0 {
				continue
			}
			targets, err := working(ctx, tx, f.Ref, siteID, everyEntry)
			if err != nil {
				return err
			}
			for _, id := range refs {
				if !slices.ContainsFunc(targets, func(x twinning.Entry) bool { return x.ID == id }) {
					errs[twinning.Fact(f.Key)] = "validation.choice"
				}
			}
		}
	}
	return errs.Err()
}

// CreateEntry adds an entry of type t to the site, published or as a draft, and returns its
// id. A draft touches no published table.
func (db *DB) CreateEntry(ctx context.Context, siteID int64, e twinning.Entry, publish bool, by twinning.Actor) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) (err error) {
		id, err = createEntry(ctx, tx, siteID, e, publish, by)
		return err
	})
	if err == nil && publish {
		db.contentChanged(siteID)
	}
	return id, err
}

// createEntry adds an entry in tx: its id from its type's store, its row in entries (with
// its draft, unless published), its published state, its first revision.
func createEntry(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, publish bool, by twinning.Actor) (int64, error) {
	k, err := mappingOf(e.Type)
	if err != nil {
		return 0, err
	}
	if k.newID == nil {
		return 0, fmt.Errorf("%s entries are not created through the engine", e.Type.Name)
	}
	e, _ = e.Type.CheckFacts(e)
	if err := check(ctx, tx, siteID, e); err != nil {
		return 0, err
	}
	id, err := k.newID(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("new %s id: %w", e.Type.Name, err)
	}
	e.ID, e.Version = id, 1
	var draft []byte
	if !publish {
		if draft, err = encodeSnapshot(e); err != nil {
			return 0, err
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO entries (type, id, site_id, draft) VALUES ($1, $2, $3, $4)`,
		e.Type.Name, id, siteID, draft); err != nil {
		return 0, fmt.Errorf("create %s entry: %w", e.Type.Name, err)
	}
	if publish {
		if err := k.publish(ctx, tx, siteID, e); err != nil {
			return 0, err
		}
	}
	action := "create"
	if publish {
		action = "create_publish"
	}
	return id, record(ctx, tx, siteID, e, action, by, label(e))
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

// saveEntry is one save of SaveEntry, in tx (SaveImport saves several in one).
func saveEntry(ctx context.Context, tx pgx.Tx, siteID int64, e twinning.Entry, publish bool, action string, by twinning.Actor) (int, error) {
	k, err := mappingOf(e.Type)
	if err != nil {
		return 0, err
	}
	e, _ = e.Type.CheckFacts(e)
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
	if err := check(ctx, tx, siteID, e); err != nil {
		return 0, err
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
	return version, record(ctx, tx, siteID, e, action, by, label(e))
}

// TrashEntry moves an entry to the trash (del) or takes it out again.
func (db *DB) TrashEntry(ctx context.Context, t *twinning.Type, siteID, id int64, del bool, by twinning.Actor) error {
	k, err := mappingOf(t)
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
		if e.PublishedAt != nil {
			if err := k.hide(ctx, tx, siteID, id, del); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE entries SET version = version + 1, deleted_at = CASE WHEN $3 THEN now() END
			WHERE type = $1 AND id = $2`, t.Name, id, del); err != nil {
			return err
		}
		action := "delete"
		if !del {
			action = "restore"
		}
		return audit(ctx, tx, by, siteID, action, t.Name, id, label(e))
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
