package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/twinning"
)

// Translation jobs (every export to an agency), the uploads of exchange files between preview
// and confirmation, and the import that saves what a file changes through the engine.

// CreateJob stores a translation job with its units. file makes the exported file once the
// job has its id (the file names it), inside the same transaction: no job without its file.
func (db *DB) CreateJob(ctx context.Context, j twinning.Job, file func(id int64) (name string, data []byte, err error), by twinning.Actor) (twinning.Job, error) {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		var author any
		if by.UserID != 0 {
			author = by.UserID
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO translation_jobs (site_id, source_lang, target_lang, scope, format, sent_to, due_date,
				file_name, file, created_by, created_email)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '', '', $8, $9)
			RETURNING id, status, created_at, updated_at`,
			j.SiteID, j.SourceLang, j.TargetLang, j.Scope, j.Format, j.SentTo, j.Due, author, by.Email,
		).Scan(&j.ID, &j.Status, &j.CreatedAt, &j.UpdatedAt); err != nil {
			return fmt.Errorf("create translation job: %w", err)
		}
		rows := make([][]any, len(j.Units))
		for i, u := range j.Units {
			rows[i] = []any{j.ID, u.ID, u.Source, u.Target, jobState(u.State), u.Words}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"translation_job_units"},
			[]string{"job_id", "unit_id", "source", "target", "state", "words"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("store units of job %d: %w", j.ID, err)
		}
		name, data, err := file(j.ID)
		if err != nil {
			return err
		}
		j.FileName = name
		if _, err := tx.Exec(ctx, `UPDATE translation_jobs SET file_name = $2, file = $3 WHERE id = $1`, j.ID, name, data); err != nil {
			return fmt.Errorf("store file of job %d: %w", j.ID, err)
		}
		return audit(ctx, tx, by, j.SiteID, "translation_export", "job", j.ID, name)
	})
	return j, err
}

// jobState is how a unit's state is stored: the words of a job are counted as agencies quote.
func jobState(s twinning.TranslationState) string {
	switch s {
	case twinning.TranslationMissing:
		return "new"
	case twinning.TranslationOutdated:
		return "outdated"
	}
	return "translated"
}

func translationState(s string) twinning.TranslationState {
	switch s {
	case "new":
		return twinning.TranslationMissing
	case "outdated":
		return twinning.TranslationOutdated
	}
	return twinning.TranslationComplete
}

// jobColumns are what a listing reads of a job, with its word counts.
const jobColumns = `
	j.id, j.site_id, j.source_lang, j.target_lang, j.scope, j.format, j.sent_to, j.due_date, j.status,
	j.file_name, j.created_email, j.created_at, j.updated_at,
	coalesce(sum(u.words) FILTER (WHERE u.state = 'new'), 0),
	coalesce(sum(u.words) FILTER (WHERE u.state = 'outdated'), 0),
	coalesce(sum(u.words) FILTER (WHERE u.state = 'translated'), 0),
	count(DISTINCT split_part(u.unit_id, '/', 1) || '/' || split_part(u.unit_id, '/', 2))`

func scanJob(row pgx.CollectableRow) (twinning.Job, error) {
	var j twinning.Job
	var due *time.Time
	err := row.Scan(&j.ID, &j.SiteID, &j.SourceLang, &j.TargetLang, &j.Scope, &j.Format, &j.SentTo, &due, &j.Status,
		&j.FileName, &j.CreatedBy, &j.CreatedAt, &j.UpdatedAt, &j.Words.New, &j.Words.Outdated, &j.Words.Translated, &j.Entries)
	j.Due = due
	return j, err
}

// Jobs lists a site's translation jobs, newest first.
func (db *DB) Jobs(ctx context.Context, siteID int64) ([]twinning.Job, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+jobColumns+`
		FROM translation_jobs j LEFT JOIN translation_job_units u ON u.job_id = j.id
		WHERE j.site_id = $1 GROUP BY j.id ORDER BY j.created_at DESC, j.id DESC`, siteID)
	if err != nil {
		return nil, fmt.Errorf("list jobs of site %d: %w", siteID, err)
	}
	jobs, err := pgx.CollectRows(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("list jobs of site %d: %w", siteID, err)
	}
	return jobs, nil
}

// Job returns a job of the site with its units.
func (db *DB) Job(ctx context.Context, siteID, id int64) (twinning.Job, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+jobColumns+`
		FROM translation_jobs j LEFT JOIN translation_job_units u ON u.job_id = j.id
		WHERE j.site_id = $1 AND j.id = $2 GROUP BY j.id`, siteID, id)
	if err != nil {
		return twinning.Job{}, fmt.Errorf("find job %d: %w", id, err)
	}
	j, err := pgx.CollectExactlyOneRow(rows, scanJob)
	if errors.Is(err, pgx.ErrNoRows) {
		return j, twinning.Errorf(twinning.ENOTFOUND, "no job %d in site %d", id, siteID)
	}
	if err != nil {
		return j, fmt.Errorf("find job %d: %w", id, err)
	}
	rows, err = db.Pool.Query(ctx, `SELECT unit_id, source, target, state, words FROM translation_job_units
		WHERE job_id = $1 ORDER BY unit_id`, id)
	if err != nil {
		return j, fmt.Errorf("units of job %d: %w", id, err)
	}
	j.Units, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (twinning.JobUnit, error) {
		var u twinning.JobUnit
		var st string
		err := r.Scan(&u.ID, &u.Source, &u.Target, &st, &u.Words)
		u.State = translationState(st)
		return u, err
	})
	if err != nil {
		return j, fmt.Errorf("units of job %d: %w", id, err)
	}
	return j, nil
}

// NewerJobs lists the jobs of the site, made after job id into the same language and not
// cancelled, that share a unit with it: their files may hold newer translations.
func (db *DB) NewerJobs(ctx context.Context, siteID, id int64) ([]int64, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT DISTINCT j.id FROM translation_jobs j
		JOIN translation_jobs old ON old.id = $2 AND old.site_id = $1
		JOIN translation_job_units u ON u.job_id = j.id
		WHERE j.site_id = $1 AND j.id > old.id AND j.target_lang = old.target_lang AND j.status <> 'cancelled'
		  AND u.unit_id IN (SELECT unit_id FROM translation_job_units WHERE job_id = old.id)
		ORDER BY j.id`, siteID, id)
	if err != nil {
		return nil, fmt.Errorf("jobs newer than %d: %w", id, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("jobs newer than %d: %w", id, err)
	}
	return ids, nil
}

// JobFile returns the file a job was exported as.
func (db *DB) JobFile(ctx context.Context, siteID, id int64) (string, []byte, error) {
	var name string
	var data []byte
	err := db.Pool.QueryRow(ctx, `SELECT file_name, file FROM translation_jobs WHERE site_id = $1 AND id = $2`, siteID, id).Scan(&name, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, twinning.Errorf(twinning.ENOTFOUND, "no job %d in site %d", id, siteID)
	}
	if err != nil {
		return "", nil, fmt.Errorf("file of job %d: %w", id, err)
	}
	return name, data, nil
}

// SetJobStatus moves a job of the site to a status, audited.
func (db *DB) SetJobStatus(ctx context.Context, siteID, id int64, st twinning.JobStatus, by twinning.Actor) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		return setJobStatus(ctx, tx, siteID, id, st, by)
	})
}

func setJobStatus(ctx context.Context, tx pgx.Tx, siteID, id int64, st twinning.JobStatus, by twinning.Actor) error {
	tag, err := tx.Exec(ctx, `UPDATE translation_jobs SET status = $3, updated_at = now() WHERE site_id = $1 AND id = $2`, siteID, id, string(st))
	if err != nil {
		return fmt.Errorf("set status of job %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return twinning.Errorf(twinning.ENOTFOUND, "no job %d in site %d", id, siteID)
	}
	return audit(ctx, tx, by, siteID, "translation_job_"+string(st), "job", id, "")
}

// Uploads are bounded: each person keeps at most this many per site (the oldest go first),
// each for uploadValidity.
const (
	uploadsKept    = 5
	uploadValidity = 12 * time.Hour
)

// SaveUpload keeps an uploaded exchange file under the hash of its token until confirmed or
// expired; it drops expired uploads and the person's oldest beyond uploadsKept.
func (db *DB) SaveUpload(ctx context.Context, tokenHash []byte, u twinning.Upload) error {
	plan, err := encodePlan(u.Plan)
	if err != nil {
		return err
	}
	var job any
	if u.JobID != 0 {
		job = u.JobID
	}
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM exchange_uploads WHERE expires_at < now()`); err != nil {
			return fmt.Errorf("drop expired uploads: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			DELETE FROM exchange_uploads WHERE token_hash IN (
				SELECT token_hash FROM exchange_uploads WHERE user_id = $1 AND site_id = $2
				ORDER BY created_at DESC OFFSET $3)`, u.UserID, u.SiteID, uploadsKept-1); err != nil {
			return fmt.Errorf("drop old uploads: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO exchange_uploads (token_hash, site_id, user_id, job_id, name, data, plan, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
			tokenHash, u.SiteID, u.UserID, job, u.Name, u.Data, plan, uploadValidity.Seconds()); err != nil {
			return fmt.Errorf("keep upload: %w", err)
		}
		if u.JobID != 0 {
			if _, err := tx.Exec(ctx, `UPDATE translation_jobs SET status = 'returned', updated_at = now()
				WHERE id = $1 AND status = 'sent'`, u.JobID); err != nil {
				return fmt.Errorf("mark job %d returned: %w", u.JobID, err)
			}
		}
		return nil
	})
}

// Upload returns an upload of the person in the site that has not expired.
func (db *DB) Upload(ctx context.Context, tokenHash []byte, siteID, userID int64) (twinning.Upload, error) {
	u := twinning.Upload{SiteID: siteID, UserID: userID}
	var job *int64
	var plan []byte
	err := db.Pool.QueryRow(ctx, `
		SELECT job_id, name, data, plan, expires_at FROM exchange_uploads
		WHERE token_hash = $1 AND site_id = $2 AND user_id = $3 AND expires_at > now()`,
		tokenHash, siteID, userID).Scan(&job, &u.Name, &u.Data, &plan, &u.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, twinning.Errorf(twinning.ENOTFOUND, "no upload of user %d in site %d", userID, siteID)
	}
	if err != nil {
		return u, fmt.Errorf("find upload: %w", err)
	}
	if job != nil {
		u.JobID = *job
	}
	u.Plan, err = decodePlan(plan)
	return u, err
}

// SetUploadPlan records what a new preview of an upload showed.
func (db *DB) SetUploadPlan(ctx context.Context, tokenHash []byte, plan map[string]twinning.PlanUnit) error {
	b, err := encodePlan(plan)
	if err != nil {
		return err
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE exchange_uploads SET plan = $2 WHERE token_hash = $1`, tokenHash, b); err != nil {
		return fmt.Errorf("record preview: %w", err)
	}
	return nil
}

// storedPlan is the stored format of an upload's plan, version 1: per unit id, the hashes of
// the product's target ("t") and source ("s") when the preview was made.
type storedPlan struct {
	V     int                       `json:"v"`
	Units map[string]storedPlanUnit `json:"units"`
}

type storedPlanUnit struct {
	T string `json:"t"`
	S string `json:"s"`
}

func encodePlan(plan map[string]twinning.PlanUnit) ([]byte, error) {
	p := storedPlan{V: 1, Units: map[string]storedPlanUnit{}}
	for id, u := range plan {
		p.Units[id] = storedPlanUnit{u.Target, u.Source}
	}
	return json.Marshal(p)
}

func decodePlan(b []byte) (map[string]twinning.PlanUnit, error) {
	var p storedPlan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("read plan of upload: %w", err)
	}
	if p.V != 1 && len(p.Units) > 0 {
		return nil, fmt.Errorf("plan of upload: unknown format %d", p.V)
	}
	out := make(map[string]twinning.PlanUnit, len(p.Units))
	for id, u := range p.Units {
		out[id] = twinning.PlanUnit{Target: u.T, Source: u.S}
	}
	return out, nil
}

// SaveImport saves what an import changes, through the engine, in one transaction: every
// entry (each a revision, audited) or none when any fails. The upload is spent and its job,
// if any, marked imported in the same transaction.
func (db *DB) SaveImport(ctx context.Context, siteID int64, saves []twinning.EntrySave, tokenHash []byte, jobID int64, by twinning.Actor) error {
	published := false
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		for _, sv := range saves {
			if _, err := saveEntry(ctx, tx, siteID, sv.Entry, sv.Publish, sv.Action, by); err != nil {
				return err
			}
			published = published || sv.Publish
		}
		if _, err := tx.Exec(ctx, `DELETE FROM exchange_uploads WHERE token_hash = $1`, tokenHash); err != nil {
			return fmt.Errorf("spend upload: %w", err)
		}
		if jobID != 0 {
			return setJobStatus(ctx, tx, siteID, jobID, twinning.JobImported, by)
		}
		return nil
	})
	if err == nil && published {
		db.contentChanged(siteID)
	}
	return err
}
