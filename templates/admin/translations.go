package admin

import (
	"strconv"
	"strings"
	"time"

	"twintowns/internal/twinning"
)

// Overview is the translation overview of a site.
type Overview struct {
	Languages, Required []string
	Types               []Option
	Type, Lang, State   string // the filters
	Rows                []OverviewRow
	Counts              map[string]map[twinning.TranslationState]int // per language
	Words               map[string]twinning.WordCounts               // per language
	Jobs                []JobRow
	Export              Form   // what was typed of a job to export, with its errors
	GlossaryURL         string // for those who edit the glossary, else ""
	Gaps                []Gap
	Produced            time.Time
	ParityCSV           string
	ExportURL           string
	// ExportFrom and ExportTo are the languages the export form offers first.
	ExportFrom, ExportTo string
	ImportURL            string
}

// JobRow is a translation job in the overview's list, with where to download its file again
// and, while it is with the agency, to cancel it.
type JobRow struct {
	twinning.Job
	FileURL, CancelURL string
}

// OverviewRow is an entry with the state of each language; Detail tells it apart from
// entries of its name (a document's city); Pending are its fields not complete in some
// language, shown on demand.
type OverviewRow struct {
	Key, Type, Name, Detail, URL string
	Langs                        []LangState
	Pending                      []PendingField
}

// ID is the row's HTML id: its key with what an id should not hold replaced ("entry-city-11").
func (r OverviewRow) ID() string { return "entry-" + strings.ReplaceAll(r.Key, "/", "-") }

// PendingField is a field of an entry that is missing or out of date in one language.
type PendingField struct {
	Field, Lang string
	State       twinning.TranslationState
}

// Gap is a field that keeps a required language from being equal to the others.
type Gap struct {
	Key, Type, Entry, Detail, Field, FieldKey, Lang string
	State                                           twinning.TranslationState
}

// ImportView is the preview of an imported exchange file, or the form to upload one again
// with the reason the last file was refused.
type ImportView struct {
	From, To   string
	Job        *JobLine // the job the file belongs to; nil for none
	Units      []ImportUnit
	Skipped    ImportSkipped
	Token      string // of the upload, kept on the server until confirmed
	Action     string
	Error      string // message ID of why the file was refused
	Notice     string // message ID of what the page says first
	CanPublish bool
}

// Count is how many units are so.
func (v ImportView) Count(is func(ImportUnit) bool) int {
	n := 0
	for _, u := range v.Units {
		if is(u) {
			n++
		}
	}
	return n
}

// JobLine is what a preview says of the file's job.
type JobLine struct {
	ID      int64
	Created time.Time
	SentTo  string
	Status  twinning.JobStatus
	Newer   []int64 // later jobs into the same language that share units with it
}

// ImportSkipped counts the units of a file that change nothing.
type ImportSkipped struct {
	Same         int // the file's text is the product's already
	Untouched    int // the file leaves the text as it was exported
	Untranslated int // no translation in the file, or one marked unfinished
}

// ImportUnit is a unit of an imported file that changes a translation.
type ImportUnit struct {
	ID, Entry, Field string
	Ticked           bool // accepted unless the person unticks it
	// Conflict: the product's text changed since the export (BaseUnknown: the file does not
	// say what it was made from) or since the preview (ChangedSincePreview).
	Conflict, BaseUnknown, ChangedSincePreview bool
	SourceChanged                              bool
	NeedsReview                                bool      // the file marks the translation for review
	Warnings                                   []Warning // what the quality checks found
	Invalid                                    string    // message ID of why it cannot be imported
	InvalidCode                                string    // the code at fault, for Invalid: "{2}"
	// Base is the text as exported (HasBase false when unknown), Current the product's now,
	// File the file's.
	Base, Current, File  string
	HasBase              bool
	OldSource, NewSource string
	Before, After        []DiffPart // the word diff of Current to File
}

// Warning is what a quality check found in a translation: Kind names its message
// ("admin.qa."+Kind), Detail what differs.
type Warning struct {
	Kind, Detail string
}

// ImportResult is what a confirmed import saved, entry by entry.
type ImportResult struct {
	Entries []ImportedEntry
	Back    string
}

// ImportedEntry is one saved entry: published, or saved as a draft (with the reasons when
// publishing was asked for).
type ImportedEntry struct {
	Name, Type, URL      string
	Units                int
	Published, Requested bool
	Reasons              []PublishReason
}

// PublishReason is a required language that kept an entry from being published.
type PublishReason struct {
	Lang     string
	Outdated bool // out of date, else missing
}

// jobNumbers lists job ids for a sentence: "14, 15".
func jobNumbers(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

// States lists the translation states, for the filter.
func States() []twinning.TranslationState {
	return []twinning.TranslationState{twinning.TranslationComplete, twinning.TranslationMissing, twinning.TranslationOutdated}
}
