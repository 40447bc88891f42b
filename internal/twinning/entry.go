package twinning

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"math"
	"strconv"
	"strings"
	"time"
)

// FieldKey names one input of an entry: a fact ("country"), a text field in a language
// ("description" in "fi"), or a field of a row of a list ("link_url" of the third link). It is
// the key of values and errors from the domain to the template; String is the only place
// that turns it into a form input's name.
type FieldKey struct {
	Field string
	Lang  string // set for translatable texts
	Row   int    // rows of a list, counted from 1; 0 for none
	Part  string // the input of a fact that has several (CoordinateParts)
}

// Fact is the key of a language-neutral field.
func Fact(field string) FieldKey { return FieldKey{Field: field} }

// TextKey is the key of a translatable field in lang.
func TextKey(field, lang string) FieldKey { return FieldKey{Field: field, Lang: lang} }

// RowKey is the key of a field of the i-th row (from 0) of a list.
func RowKey(field string, i int) FieldKey { return FieldKey{Field: field, Row: i + 1} }

// String is the form input's name and HTML id: "country", "description_fi", "link_url_2",
// "coordinates_latitude", "term_2_fi" (a row's field in a language).
func (k FieldKey) String() string {
	s := k.Field
	if k.Part != "" {
		s += "_" + k.Part
	}
	switch {
	case k.Lang != "" && k.Row > 0:
		return s + "_" + strconv.Itoa(k.Row-1) + "_" + k.Lang
	case k.Lang != "":
		return s + "_" + k.Lang
	case k.Row > 0:
		return s + "_" + strconv.Itoa(k.Row-1)
	}
	return s
}

// FieldKind tells how a translatable field is typed and shown.
type FieldKind int

const (
	FieldLine     FieldKind = iota // one line of plain text
	FieldText                      // a few lines of plain text
	FieldMarkdown                  // long text, Markdown
)

// TextField declares one translatable field of a content type.
type TextField struct {
	Key  string
	Kind FieldKind
	Max  int // runes
	Rows int // height of the text area in the form
	// Names marks the field that names an entry: a text without it does not exist.
	Names bool
}

// Type declares a kind of content, once: its translatable fields, its typed facts, where its
// published state is stored, its staff screens and its public pages. Every type gets the same
// lifecycle (draft, publish, revisions, restore, trash, conflicts, translation state) from
// the one implementation; it is handed to Register (see Types).
type Type struct {
	Name   string // "city", "event": stored in revisions and the audit log, used in message IDs
	Fields []TextField
	Facts  []FactField
	Lists  []List
	// Check checks what the kinds of the facts cannot: rules across facts. nil for none.
	Check func(e Entry) FieldErrors
	// Trashable types can be deleted to the trash and restored; a Single type has one entry
	// per site, whose id is the site's.
	Trashable bool
	Single    bool
	// Parent is the type whose entries an entry of this type belongs to (a document to its
	// city): its staff pages sit under the parent's, and lists name the parent beside it.
	Parent *Type
	// Store names the tables of a type the product had before the engine stored types by
	// their declaration ("cities", "site_texts", "documents"), or of a type the engine stores
	// beside tables of its own ("photos": their files and city); "" for the engine's own.
	Store  string
	Staff  Staff
	Public Public
}

// Staff declares the staff screens of a type.
type Staff struct {
	// Path is the URL segment of the type under a site in the staff area.
	Path string
	// List gives the type a list of its entries and a menu entry (messages admin.nav.<type>
	// and admin.list.<type>); Create lets staff add entries there (admin.new.<type>).
	List, Create bool
	// Columns are the facts the list shows, Filters those it can be narrowed by.
	Columns, Filters []string
	// Describe are the facts that tell entries of one name apart where entries of every type
	// are listed (the staff home, the translation overview): an event's date.
	Describe []string
}

// Public declares the public pages of a type.
type Public struct {
	// Path is the URL segment of the type's pages: /{lang}/{Path} lists the entries,
	// /{lang}/{Path}/{slug} shows one; its open data is /data/{Path}.json and .csv.
	Path string
	// Own is set for a type whose pages are the product's own templates (cities); the
	// generic list and entry pages are not mounted for it.
	Own bool
	// Date is the fact that dates an entry: the order of lists, the timeline.
	Date string
	// Schema is the schema.org type of an entry in the pages' JSON-LD ("Event").
	Schema string
}

// NameField is the field without which a translation does not exist.
func (t *Type) NameField() string {
	for _, f := range t.Fields {
		if f.Names {
			return f.Key
		}
	}
	return ""
}

// Field returns the declaration of a translatable field.
func (t *Type) Field(key string) (TextField, bool) {
	for _, f := range t.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return TextField{}, false
}

// Text is an entry's translatable fields in one language, with where it was translated from
// and, per field, the hash of the source field it was last written or checked against.
type Text struct {
	Lang           string
	Fields         map[string]string
	TranslatedFrom string
	Reviewed       map[string]string
}

// Empty reports whether no field of the text is filled.
func (t Text) Empty() bool {
	for _, v := range t.Fields {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// Entry is one translatable item of any type: language-neutral facts and texts per language,
// with its place in the lifecycle.
type Entry struct {
	Type    *Type
	ID      int64
	SiteID  int64
	Version int
	// Facts are the type's language-neutral fields as canonical strings (see City.Facts).
	Facts map[FieldKey]string
	Texts map[string]Text
	// PublishedAt is nil for an entry never published; DeletedAt is set while it is in the
	// trash; HasDraft tells that saved changes wait to be published.
	PublishedAt *time.Time
	DeletedAt   *time.Time
	HasDraft    bool
	UpdatedAt   time.Time
	// Parent is the id of the entry this one belongs to, for a type with a Parent.
	Parent int64
}

// Fact returns a fact's value.
func (e Entry) Fact(k string) string { return e.Facts[Fact(k)] }

// Name returns the entry's name in lang or, where it has none, in the first language of
// order that has one.
func (e Entry) Name(lang string, order []string) string {
	n := e.Type.NameField()
	for _, l := range append([]string{lang}, order...) {
		if v := e.Texts[l].Fields[n]; v != "" {
			return v
		}
	}
	return ""
}

// Hash identifies the content of a field, to notice when a translation's source changed.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// TranslationState is how complete one language, or one field in it, of an entry is.
type TranslationState string

const (
	TranslationComplete TranslationState = "complete"
	TranslationMissing  TranslationState = "missing"
	TranslationOutdated TranslationState = "outdated" // its source changed since it was reviewed
)

// FieldState is the state of one field in lang: missing where the source has text and the
// translation has none, out of date where the source field changed since the translation
// was written or checked.
func (e Entry) FieldState(lang, field string) TranslationState {
	t, ok := e.Texts[lang]
	if !ok {
		return TranslationMissing
	}
	v := strings.TrimSpace(t.Fields[field])
	src, hasSrc := e.source(t)
	if !hasSrc {
		if v == "" && field == e.Type.NameField() {
			return TranslationMissing
		}
		return TranslationComplete
	}
	sv := src.Fields[field]
	switch {
	case v == "" && strings.TrimSpace(sv) != "":
		return TranslationMissing
	case v == "" && field == e.Type.NameField():
		return TranslationMissing
	case strings.TrimSpace(sv) != "" && t.Reviewed[field] != Hash(sv):
		return TranslationOutdated
	}
	return TranslationComplete
}

// source returns the text t was translated from, when it is a translation of one that exists.
func (e Entry) source(t Text) (Text, bool) {
	if t.TranslatedFrom == "" || t.TranslatedFrom == t.Lang {
		return Text{}, false
	}
	src, ok := e.Texts[t.TranslatedFrom]
	return src, ok
}

// Translation is the state of a whole language: missing without a name, out of date when any
// field is, complete otherwise.
func (e Entry) Translation(lang string) TranslationState {
	t, ok := e.Texts[lang]
	if !ok || strings.TrimSpace(t.Fields[e.Type.NameField()]) == "" {
		return TranslationMissing
	}
	for _, f := range e.Type.Fields {
		if e.FieldState(lang, f.Key) == TranslationOutdated {
			return TranslationOutdated
		}
	}
	return TranslationComplete
}

// MarkReviewed records that the fields of lang (all of them when none are named) match
// their source now.
func (e *Entry) MarkReviewed(lang string, fields ...string) {
	t, ok := e.Texts[lang]
	if !ok {
		return
	}
	src, ok := e.source(t)
	if !ok {
		return
	}
	if len(fields) == 0 {
		for _, f := range e.Type.Fields {
			fields = append(fields, f.Key)
		}
	}
	reviewed := maps.Clone(t.Reviewed)
	if reviewed == nil {
		reviewed = map[string]string{}
	}
	for _, f := range fields {
		if sv := src.Fields[f]; sv != "" {
			reviewed[f] = Hash(sv)
		} else {
			delete(reviewed, f)
		}
	}
	t.Reviewed = reviewed
	e.Texts[lang] = t
}

// KeepReviews carries the review marks of prev (the stored working copy) over to the edited
// entry e: a field the person changed, or whose language they ticked as checked, counts as
// reviewed against its source now; any other field keeps the mark it had.
func (e *Entry) KeepReviews(prev *Entry, checked func(lang, field string) bool) {
	for lang, t := range e.Texts {
		var old Text
		had := false
		if prev != nil {
			old, had = prev.Texts[lang]
		}
		if _, ok := e.source(t); !ok {
			continue
		}
		t.Reviewed = maps.Clone(old.Reviewed)
		e.Texts[lang] = t
		for _, f := range e.Type.Fields {
			changed := !had || old.Fields[f.Key] != t.Fields[f.Key] || old.TranslatedFrom != t.TranslatedFrom
			if changed || checked(lang, f.Key) {
				e.MarkReviewed(lang, f.Key)
			}
		}
	}
}

// ForgetMovedPlaces drops the GeoNames place of coordinates changed by hand: coordinates that
// differ from prev's (the stored working copy) while their place is still prev's no longer
// come from it, as the trigger forget_geonames_id says of the published row. A place chosen
// anew (another id) stays. It returns the keys it emptied, for the form.
func (e *Entry) ForgetMovedPlaces(prev *Entry) []FieldKey {
	if prev == nil {
		return nil
	}
	var out []FieldKey
	for _, f := range e.Type.Facts {
		if f.Kind != FactCoordinates {
			continue
		}
		id := f.Keys(0)[2]
		was, ok := prev.Value(f.Key)
		if !ok || was.Place.GeoNamesID == 0 || strings.TrimSpace(e.Facts[id]) != strconv.FormatInt(was.Place.GeoNamesID, 10) {
			continue // no place before, or a place chosen anew
		}
		if now, ok := e.Value(f.Key); ok && *now.Place.Latitude == *was.Place.Latitude && *now.Place.Longitude == *was.Place.Longitude {
			continue // still the place's coordinates
		}
		delete(e.Facts, id)
		out = append(out, id)
	}
	return out
}

// Validate checks an entry as staff save it: its facts (by its type) and its texts in the
// languages the site publishes.
func (e Entry) Validate(site Site) FieldErrors {
	_, errs := e.Type.CheckFacts(e)
	name := e.Type.NameField()
	named := false
	for lang, t := range e.Texts {
		if !site.Publishes(lang) {
			errs[TextKey(name, lang)] = "validation.language"
			continue
		}
		if strings.TrimSpace(t.Fields[name]) != "" {
			named = true
		} else if !t.Empty() {
			errs[TextKey(name, lang)] = "validation.name_needed"
		}
		for _, f := range e.Type.Fields {
			if len([]rune(t.Fields[f.Key])) > f.Max {
				errs[TextKey(f.Key, lang)] = "validation.too_long"
			}
		}
		if t.TranslatedFrom != "" && (!site.Publishes(t.TranslatedFrom) || t.TranslatedFrom == lang) {
			errs[TextKey("translated_from", lang)] = "validation.choice"
		}
	}
	if !named {
		errs[TextKey(name, site.DefaultLang)] = "validation.one_name"
	}
	return errs
}

// ValidatePublish checks what publishing needs beyond Validate, the same for every type:
// every language the site requires is complete.
func (e Entry) ValidatePublish(site Site) FieldErrors {
	errs := FieldErrors{}
	for _, lang := range site.RequiredLangs {
		switch e.Translation(lang) {
		case TranslationMissing:
			errs[TextKey(e.Type.NameField(), lang)] = "validation.required_language"
		case TranslationOutdated:
			errs[TextKey("reviewed", lang)] = "validation.outdated_language"
		}
	}
	return errs
}

// Clone returns a copy of e whose maps can be changed without touching e's.
func (e Entry) Clone() Entry {
	c := e
	c.Facts = maps.Clone(e.Facts)
	if c.Facts == nil {
		c.Facts = map[FieldKey]string{}
	}
	c.Texts = make(map[string]Text, len(e.Texts))
	for l, t := range e.Texts {
		t.Fields, t.Reviewed = maps.Clone(t.Fields), maps.Clone(t.Reviewed)
		c.Texts[l] = t
	}
	return c
}

// finite reports whether f is a number a person can mean: not NaN and not infinite.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// TextIn returns the entry's text in lang or, when that translation is missing, the best
// available one in the site's order; the returned text's Lang tells which.
func (e Entry) TextIn(lang string, site Site) (Text, bool) {
	l, ok := pick(lang, site.fallbackOrder(), func(l string) bool {
		return strings.TrimSpace(e.Texts[l].Fields[e.Type.NameField()]) != ""
	})
	t := e.Texts[l]
	t.Lang = l
	return t, ok
}
