package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// Advisory lock classes of attempts: one lock per account and one per address, taken in
// this order, so parallel attempts on either are judged one after the other.
const (
	lockAttemptAccount = 7_146_080
	lockAttemptAddress = 7_146_081
)

// BeginAttempt judges an attempt and, unless allow refuses it, records it as a failure until
// FinishAttempt tells how it ended. allow sees the failures of the attempt's kind since
// `since` for its account (after the account's last success), for its account from its
// address (after that pair's last success) and from its address. The count, the judgement
// and the record happen under locks on the account and the address, so that parallel
// attempts cannot all pass on the same count. It returns the attempt's id, 0 when refused.
func (db *DB) BeginAttempt(ctx context.Context, a twinning.Attempt, since time.Time, allow func(twinning.Failures) bool) (int64, error) {
	email := normalEmail(a.Email)
	var id int64
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2 || ':' || $3)),
			pg_advisory_xact_lock($4, hashtext($2 || ':' || $5))`,
			lockAttemptAccount, string(a.Kind), email, lockAttemptAddress, a.Address); err != nil {
			return err
		}
		var f twinning.Failures
		if err := tx.QueryRow(ctx, `
			WITH account AS (
				SELECT address, succeeded, at FROM sign_in_attempts
				WHERE email = $1 AND kind = $3 AND at > $4
			)
			SELECT
				(SELECT count(*) FROM account WHERE NOT succeeded
					AND at > (SELECT coalesce(max(at), '-infinity') FROM account WHERE succeeded)),
				(SELECT count(*) FROM account WHERE NOT succeeded AND address = $2
					AND at > (SELECT coalesce(max(at), '-infinity') FROM account WHERE succeeded AND address = $2)),
				(SELECT count(*) FROM sign_in_attempts WHERE address = $2 AND kind = $3 AND at > $4 AND NOT succeeded)`,
			email, a.Address, string(a.Kind), since).Scan(&f.Account, &f.Pair, &f.Address); err != nil {
			return err
		}
		if !allow(f) {
			return nil
		}
		return tx.QueryRow(ctx, `
			INSERT INTO sign_in_attempts (kind, email, address, succeeded) VALUES ($1, $2, $3, false) RETURNING id`,
			string(a.Kind), email, a.Address).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("begin %s attempt: %w", a.Kind, err)
	}
	return id, nil
}

// FinishAttempt records how an attempt let through by BeginAttempt ended, and audits it:
// a success ends the account's failures, an unchecked attempt was no failure at all.
// userID is the account's when it exists.
func (db *DB) FinishAttempt(ctx context.Context, id int64, a twinning.Attempt, userID *int64, outcome twinning.AttemptOutcome) error {
	var change, action, why string
	switch outcome {
	case twinning.AttemptSucceeded:
		change, action = `UPDATE sign_in_attempts SET succeeded = true WHERE id = $1`, "sign_in"
	case twinning.AttemptFailed:
		action = "sign_in_failed"
	case twinning.AttemptUnchecked:
		change, action, why = `DELETE FROM sign_in_attempts WHERE id = $1`, "sign_in_refused", "unchecked"
	default:
		return fmt.Errorf("finish attempt: unknown outcome %q", outcome)
	}
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if change != "" {
			if _, err := tx.Exec(ctx, change, id); err != nil {
				return err
			}
		}
		return auditSignIn(ctx, tx, a, userID, action, attemptDetail(a, why))
	})
	if err != nil {
		return fmt.Errorf("finish attempt: %w", err)
	}
	return nil
}

// RecordSignIn audits a sign-in event that BeginAttempt did not judge: a refused attempt
// (detail says why), a sign-out, or a sign-in with a one-time link, which like any success
// ends the account's failures.
func (db *DB) RecordSignIn(ctx context.Context, email, address string, userID *int64, outcome, detail string) error {
	a := twinning.Attempt{Kind: twinning.AttemptPassword, Email: email, Address: address}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if outcome == "sign_in" {
			if _, err := tx.Exec(ctx, `INSERT INTO sign_in_attempts (kind, email, address, succeeded) VALUES ($1, $2, $3, true)`,
				string(a.Kind), normalEmail(email), address); err != nil {
				return err
			}
		}
		return auditSignIn(ctx, tx, a, userID, outcome, detail)
	})
}

// SignInAddresses counts the sign-in attempts since `since` and lists their addresses, at
// most two: whether they all came from one is what matters.
func (db *DB) SignInAddresses(ctx context.Context, since time.Time) (int, []string, error) {
	var n int
	var addrs []string
	err := db.Pool.QueryRow(ctx, `
		SELECT count(*), coalesce((SELECT array_agg(address) FROM
			(SELECT DISTINCT address FROM sign_in_attempts WHERE at > $1 LIMIT 2) a), '{}')
		FROM sign_in_attempts WHERE at > $1`, since).Scan(&n, &addrs)
	if err != nil {
		return 0, nil, fmt.Errorf("sign-in addresses: %w", err)
	}
	return n, addrs, nil
}

func auditSignIn(ctx context.Context, tx pgx.Tx, a twinning.Attempt, userID *int64, action, detail string) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO audit_log (user_id, user_email, action, entity, detail, address)
		VALUES ($1, $2, $3, 'user', $4, $5)`, userID, normalEmail(a.Email), action, detail, a.Address)
	return err
}

// attemptDetail is the audit log's note of an attempt: its kind, unless a password, and why.
func attemptDetail(a twinning.Attempt, why string) string {
	if a.Kind != twinning.AttemptPassword {
		why = strings.TrimSpace(string(a.Kind) + " " + why)
	}
	return why
}

func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
