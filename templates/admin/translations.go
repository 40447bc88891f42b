package admin

import (
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
	Gaps                []Gap
	Produced            time.Time
	ParityCSV           string
	ExportURL           string
	ImportURL           string
}

// OverviewRow is an entry with the state of each language; Fields name its fields, for the
// states per field shown on demand.
type OverviewRow struct {
	Key, Type, Name, URL string
	Langs                []LangState
	Fields               []Option
}

// Gap is a field that keeps a required language from being equal to the others.
type Gap struct {
	Key, Type, Entry, Field, FieldKey, Lang string
	State                                   twinning.TranslationState
}

// ImportView is the preview of an imported exchange file, or the form to upload one again
// with the reason the last file was refused.
type ImportView struct {
	From, To   string
	Units      []ImportUnit
	Data       string // the file, carried to the confirmation
	Name       string
	Action     string
	Error      string // message ID
	CanPublish bool
}

// ImportUnit is a unit of an imported file that changes a translation, or whose source
// changed since the export.
type ImportUnit struct {
	ID, Entry, Field, Target string
	Changed, SourceChanged   bool
	OldSource, NewSource     string
	Before, After            []DiffPart
}

// States lists the translation states, for the filter.
func States() []twinning.TranslationState {
	return []twinning.TranslationState{twinning.TranslationComplete, twinning.TranslationMissing, twinning.TranslationOutdated}
}
