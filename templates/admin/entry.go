package admin

import (
	"github.com/a-h/templ"
	"twintowns/internal/geo"

	"twintowns/internal/twinning"
)

// Link is a link of a page, its text a message ID.
type Link struct {
	Href    string
	LabelID string
}

// EntryHeader is the top of an entry's staff pages.
type EntryHeader struct {
	Name      string
	New       bool
	Published bool
	HasDraft  bool
	// Links lead to the entry's other views (preview, history); Pages are its pages (the form,
	// its documents), the one shown marked.
	Links []Link
	Pages []NavLink
}

// EntryEdit is the edit form of an entry of any content type.
type EntryEdit struct {
	Header     EntryHeader
	Type       *twinning.Type
	Form       Form
	Conflict   bool   // someone saved the entry while this person edited it
	ConflictBy string // who saved the other version
	Preview    bool   // show the rendered Markdown of the typed texts
	SaveFailed bool   // the save did not happen (the database did not answer); nothing typed is lost
	CanPublish bool
	Langs      []LangState // the site's languages with the state of each
	Required   []string    // languages the site requires before publishing
	Open       string      // the language whose texts are shown unfolded
	// Translate leads to the translator's screen per language.
	Translate map[string]string
	DeleteURL string // "" for a type without a trash
	// Facts is the language-neutral part of the form (nil for a type without facts).
	Facts templ.Component
	// Before comes above the form (a photo's image).
	Before templ.Component
}

// EntryDocuments is an entry's page of documents.
type EntryDocuments struct {
	Header EntryHeader
	Docs   templ.Component
}

// LangState is how complete a language of an entry is, with the state of each field.
type LangState struct {
	Lang   string
	State  twinning.TranslationState
	Fields map[string]twinning.TranslationState
}

// FieldState is the state of a field of the language, complete when unknown.
func (l LangState) FieldState(field string) twinning.TranslationState {
	if s, ok := l.Fields[field]; ok {
		return s
	}
	return twinning.TranslationComplete
}

// EntryList is the staff's list of a site's entries of one type, or of its trash.
type EntryList struct {
	Columns []string // message IDs of the type's own columns
	Rows    []EntryRow
	Filters []Filter
	Trash   bool
	NewURL  string // the form of a new entry, for those who may add one; "" otherwise
	NewID   string // message ID of its link
	// Notes explain what the list shows: a column whose value is still its default (a
	// status nobody recorded) says what to do about it.
	Notes []string
}

// EntryRow is an entry in a list.
type EntryRow struct {
	Name       string
	URL        string // the edit form; "" in the trash
	Cells      []string
	StateID    string // message ID of its publishing state
	Langs      []LangState
	RestoreURL string
}

// Filter narrows a list by a fact.
type Filter struct {
	Key     twinning.FieldKey
	LabelID string
	Options []Option
	Value   string
}

// DocumentRow is a document of a city on its edit page.
type DocumentRow struct {
	Title     string
	Format    string
	Size      int64
	Present   bool
	InTrash   bool
	EditURL   string
	ActionURL string // delete, or restore when in the trash
}

// Settings is the form of a site's languages, for administrators.
type Settings struct {
	Form      Form
	Languages []Option // every language the product can serve
	Licences  []Option // the licences of the site's open data
	// CodeScheme names the register of the official code in the site's country.
	CodeScheme string
}

// FactsView is the facts part of an entry's form: groups of inputs, then lists of rows.
type FactsView struct {
	Groups    []FactGroup
	Lists     []FactList
	NameField string // the text field whose value names a marker on a map preview
	Picker    PlacePicker
}

// PlacePicker finds a place by name in the gazetteer, in the entry's country, to fill in its
// coordinates: what was searched, what was found, and the place chosen.
type PlacePicker struct {
	Query    string
	Searched bool
	Country  string // "" until the entry has one
	Found    []geo.Place
	Chosen   *geo.Place
}

// FactGroup is a fieldset of facts; after the first, groups fold away unless Open (a fact
// of theirs has an error).
type FactGroup struct {
	LegendID string
	Inputs   []FactInput
	Open     bool
}

// FactList is the rows of a list: the filled ones and blank ones for new rows; it folds away
// unless Open.
type FactList struct {
	Key      string
	CountKey twinning.FieldKey // the hidden input that tells how many rows are filled
	Rows     [][]FactInput
	Open     bool
}

// FactInput is the input of one fact: its declaration, its keys (two for coordinates) and,
// for choices, countries and references, the options.
type FactInput struct {
	Fact    twinning.FactField
	Keys    []twinning.FieldKey
	Options []Option
}
