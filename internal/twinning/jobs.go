package twinning

import (
	"strings"
	"time"
)

// Translation jobs and imports: an export to an agency is a job that remembers, per unit
// (one field of one entry in the target language), the source and target it was made from,
// so that an import applies only what the file changes and never overwrites newer work.

// JobStatus is where a translation job stands.
type JobStatus string

const (
	JobSent      JobStatus = "sent"      // exported, with the agency
	JobReturned  JobStatus = "returned"  // a file of the job was uploaded
	JobImported  JobStatus = "imported"  // a file of the job was imported
	JobCancelled JobStatus = "cancelled" // called off; its files still import, with a warning
)

// JobStatuses lists the statuses in their order.
var JobStatuses = []JobStatus{JobSent, JobReturned, JobImported, JobCancelled}

// Job is one export to an agency.
type Job struct {
	ID                     int64
	SiteID                 int64
	SourceLang, TargetLang string
	Scope                  string // "missing-outdated", "all", "chosen"
	Format                 string // "xlf" or "po"
	SentTo                 string // the agency or person, as staff typed it
	Due                    *time.Time
	Status                 JobStatus
	FileName               string
	CreatedBy              string // email
	CreatedAt, UpdatedAt   time.Time
	Words                  WordCounts
	Units                  []JobUnit // not filled by listings
	Entries                int       // how many entries its units belong to
}

// JobUnit is one unit of a job as exported.
type JobUnit struct {
	ID     string // "city/12/description"
	Source string
	Target string // "" for none
	State  TranslationState
	Words  int // of the source
}

// WordCounts are the words of a job's sources by the state of their translation, as agencies
// quote them: new words (no translation), words whose translation is out of date (a fuzzy
// match for the agency), and words already translated (context matches, for review only).
type WordCounts struct {
	New, Outdated, Translated int
}

// Total is every word of the job.
func (w WordCounts) Total() int { return w.New + w.Outdated + w.Translated }

// Add counts words of a unit in its state.
func (w *WordCounts) Add(state TranslationState, words int) {
	switch state {
	case TranslationMissing:
		w.New += words
	case TranslationOutdated:
		w.Outdated += words
	default:
		w.Translated += words
	}
}

// TextHash identifies a field's text as an exchange file carries it: spaces at both ends do not
// count, since tools that pretty-print add or drop them.
func TextHash(s string) string { return Hash(strings.TrimSpace(s)) }

// ImportCheck is what an import knows of one translated unit of a file.
type ImportCheck struct {
	// Base is the TextHash of the target the unit was exported with; "" when neither the file
	// nor its job says.
	Base string
	// Current is the product's target now, File the file's.
	Current, File string
	// ExportSource is the source as exported (by the job, else as the file has it), Source
	// the product's now.
	ExportSource, Source string
}

// ImportSkip says why an import leaves a unit alone.
type ImportSkip string

const (
	SkipNone      ImportSkip = ""
	SkipSame      ImportSkip = "same"      // the file's target is the product's already
	SkipUntouched ImportSkip = "untouched" // the file leaves the target as it was exported
)

// ImportDecision is what an import does with one unit.
type ImportDecision struct {
	Skip ImportSkip
	// Conflict: the product's target changed since the export (or the file does not say what it
	// was made from), so taking the file's would overwrite newer work unseen.
	Conflict    bool
	BaseUnknown bool
	// SourceChanged: the source changed since the export; the file's translation may be of
	// the old text.
	SourceChanged bool
}

// Ticked reports whether the unit is accepted unless the person says otherwise.
func (d ImportDecision) Ticked() bool { return d.Skip == SkipNone && !d.Conflict && !d.SourceChanged }

// Decide applies the rules of an import to one unit: a target the file leaves as exported is
// not applied; a target changed in the product since the export is a conflict.
func (c ImportCheck) Decide() ImportDecision {
	file, current := strings.TrimSpace(c.File), strings.TrimSpace(c.Current)
	switch {
	case c.Base != "" && TextHash(file) == c.Base:
		return ImportDecision{Skip: SkipUntouched}
	case file == current:
		return ImportDecision{Skip: SkipSame}
	}
	d := ImportDecision{
		Conflict:      c.Base == "" || TextHash(current) != c.Base,
		BaseUnknown:   c.Base == "",
		SourceChanged: strings.TrimSpace(c.ExportSource) != strings.TrimSpace(c.Source),
	}
	return d
}

// EntrySave is one entry of a batch saved in one transaction: all of them or none.
type EntrySave struct {
	Entry   Entry
	Publish bool
	Action  string // as SaveEntry's action: "publish", "translation_import"
}

// Upload is an exchange file between its preview and its confirmation, kept in the database
// for the person and site that uploaded it.
type Upload struct {
	SiteID, UserID int64
	JobID          int64 // 0 when the file names no job of the site
	Name           string
	Data           []byte
	// Plan is what the last preview showed, per unit id: confirm re-checks it.
	Plan      map[string]PlanUnit
	ExpiresAt time.Time
}

// PlanUnit is the state of a unit's field when a preview showed it: the TextHash of the
// product's target and of its source.
type PlanUnit struct {
	Target, Source string
}

// MemoryPair is a source text and its translation, as the site holds them: an entry of the
// translation memory.
type MemoryPair struct{ Source, Target string }

// Match is a suggestion of the translation memory: a pair whose source is like the text
// being translated, and how much, in percent (100: the same text).
type Match struct {
	Source, Target string
	Quality        int
}
