package postgres

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// ContentChannel is the NOTIFY channel on which every content change is announced with the
// site's id (see the triggers in migrations/020_notify_site.sql).
const ContentChannel = "twintowns_content"

// Retry waits of the listener: short, since pages stay stale while it is away.
const (
	listenRetryMin = 50 * time.Millisecond
	listenRetryMax = time.Second
)

// ListenContentChanges calls changed with the site's id whenever content changes in the
// database, from any instance, until ctx ends. It calls changed(0), meaning every site, after
// every (re)connection, since notifications sent while it was not listening are lost.
func (db *DB) ListenContentChanges(ctx context.Context, log *slog.Logger, changed func(siteID int64)) {
	wait := listenRetryMin
	for ctx.Err() == nil {
		connected, err := db.listen(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		if connected {
			wait = listenRetryMin
		}
		log.Warn("content listener lost its connection", "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, listenRetryMax)
	}
}

// ListenerConnected reports whether ListenContentChanges is connected and listening.
func (db *DB) ListenerConnected() bool { return db.listening.Load() }

// listen listens on one connection until it fails; connected says whether it got that far.
func (db *DB) listen(ctx context.Context, changed func(int64)) (connected bool, err error) {
	cctx, cancel := context.WithTimeout(ctx, 2*listenRetryMax)
	conn, err := pgx.Connect(cctx, db.url)
	cancel()
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ContentChannel); err != nil {
		return false, err
	}
	db.listening.Store(true)
	defer db.listening.Store(false)
	changed(0)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		id, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil || id < 0 {
			id = 0
		}
		changed(id)
	}
}
