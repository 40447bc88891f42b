package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// StartStaffSession records a session that begins, under the account's current epoch, and
// forgets the account's sessions that are over (an older epoch, or idle longer than idle).
func (db *DB) StartStaffSession(ctx context.Context, s twinning.StaffSession, idle time.Duration) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			DELETE FROM staff_sessions s USING users u
			WHERE s.user_id = $1 AND u.id = s.user_id
				AND (s.epoch <> u.session_epoch OR s.last_seen_at < now() - make_interval(secs => $2))`,
			s.UserID, idle.Seconds()); err != nil {
			return fmt.Errorf("forget old sessions of user %d: %w", s.UserID, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO staff_sessions (id, user_id, epoch, method, address, user_agent)
			SELECT $1, id, session_epoch, $3, $4, $5 FROM users WHERE id = $2`,
			s.ID, s.UserID, s.Method, s.Address, s.UserAgent); err != nil {
			return fmt.Errorf("start session of user %d: %w", s.UserID, err)
		}
		return nil
	})
}

// StaffSession returns a session that is not over: its row is there and its epoch is its
// account's. It records that the session was seen, once a minute at most.
func (db *DB) StaffSession(ctx context.Context, id string) (twinning.StaffSession, error) {
	var s twinning.StaffSession
	var stale bool
	err := db.Pool.QueryRow(ctx, `
		SELECT s.id, s.user_id, s.method, s.address, s.user_agent, s.created_at, s.last_seen_at,
			s.last_seen_at < now() - interval '1 minute'
		FROM staff_sessions s JOIN users u ON u.id = s.user_id AND u.session_epoch = s.epoch
		WHERE s.id = $1`, id).Scan(&s.ID, &s.UserID, &s.Method, &s.Address, &s.UserAgent, &s.CreatedAt, &s.LastSeenAt, &stale)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, twinning.Errorf(twinning.ENOTFOUND, "no session")
	}
	if err != nil {
		return s, fmt.Errorf("read session: %w", err)
	}
	if stale {
		if _, err := db.Pool.Exec(ctx, `UPDATE staff_sessions SET last_seen_at = now() WHERE id = $1`, id); err != nil {
			return s, fmt.Errorf("touch session: %w", err)
		}
	}
	return s, nil
}

// StaffSessions lists the account's sessions that are not over, the latest seen first.
func (db *DB) StaffSessions(ctx context.Context, userID int64, idle time.Duration) ([]twinning.StaffSession, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT s.id, s.user_id, s.method, s.address, s.user_agent, s.created_at, s.last_seen_at
		FROM staff_sessions s JOIN users u ON u.id = s.user_id AND u.session_epoch = s.epoch
		WHERE s.user_id = $1 AND s.last_seen_at > now() - make_interval(secs => $2)
		ORDER BY s.last_seen_at DESC, s.id`, userID, idle.Seconds())
	if err != nil {
		return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[twinning.StaffSession])
}

// EndStaffSession forgets a session that was signed out.
func (db *DB) EndStaffSession(ctx context.Context, id string) error {
	if _, err := db.Pool.Exec(ctx, `DELETE FROM staff_sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// EndOtherSessions signs the account out everywhere but in keepSession, audited; it returns
// the account's new session epoch.
func (db *DB) EndOtherSessions(ctx context.Context, userID int64, keepSession string, by twinning.Actor) (int64, error) {
	var epoch int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		u, err := userByID(ctx, tx, userID, "FOR UPDATE")
		if err != nil {
			return err
		}
		if epoch, err = endOtherSessions(ctx, tx, userID, keepSession); err != nil {
			return err
		}
		return auditUser(ctx, tx, by, "sessions_end", u, u.Email)
	})
	return epoch, err
}

// endOtherSessions moves the account to a new session epoch, which ends every session begun
// before, and carries keepSession ("" for none) over to it.
func endOtherSessions(ctx context.Context, tx pgx.Tx, userID int64, keepSession string) (int64, error) {
	if _, err := tx.Exec(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1`, userID); err != nil {
		return 0, fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return keepOnlySession(ctx, tx, userID, keepSession)
}

// keepOnlySession forgets the account's sessions but keepSession, which goes on under the
// account's current epoch; it returns that epoch.
func keepOnlySession(ctx context.Context, tx pgx.Tx, userID int64, keepSession string) (int64, error) {
	var epoch int64
	if err := tx.QueryRow(ctx, `SELECT session_epoch FROM users WHERE id = $1`, userID).Scan(&epoch); err != nil {
		return 0, fmt.Errorf("epoch of user %d: %w", userID, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM staff_sessions WHERE user_id = $1 AND id <> $2`, userID, keepSession); err != nil {
		return 0, fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE staff_sessions SET epoch = $2 WHERE id = $1`, keepSession, epoch); err != nil {
		return 0, fmt.Errorf("keep session of user %d: %w", userID, err)
	}
	return epoch, nil
}
