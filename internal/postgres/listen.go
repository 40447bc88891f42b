package postgres

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// ContentChannel is the NOTIFY channel on which every content change is announced
// (see the triggers in migrations/001_content.sql).
const ContentChannel = "twintowns_content"

// ListenContentChanges calls changed whenever content changes in the database, from any
// instance, until ctx ends. It also calls changed after every (re)connection, since
// notifications sent while it was not listening are lost.
func (db *DB) ListenContentChanges(ctx context.Context, log *slog.Logger, changed func()) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := db.listen(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		log.Warn("content listener lost its connection", "err", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (db *DB) listen(ctx context.Context, changed func()) error {
	conn, err := pgx.Connect(ctx, db.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ContentChannel); err != nil {
		return err
	}
	changed()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		changed()
	}
}
