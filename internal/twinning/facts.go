package twinning

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FactKind is what a language-neutral fact holds. Parsing, validation, the form's input and
// the stored format of a fact follow from its kind: a type declares kinds and writes no parser.
type FactKind string

const (
	FactText        FactKind = "text"        // one line of plain text
	FactSlug        FactKind = "slug"        // the entry's address, unique among the site's entries of the type
	FactChoice      FactKind = "choice"      // one of Choices
	FactDate        FactKind = "date"        // a date as precise as its Precisions allow
	FactNumber      FactKind = "number"      // a number within Min and Max
	FactBoolean     FactKind = "boolean"     // a tick box
	FactCoordinates FactKind = "coordinates" // latitude and longitude (WGS 84), both or none, and the GeoNames place they come from
	FactURL         FactKind = "url"         // an http or https address
	FactReference   FactKind = "reference"   // another entry of the site, of type Ref
)

// FactKinds lists every kind.
var FactKinds = []FactKind{FactText, FactSlug, FactChoice, FactDate, FactNumber, FactBoolean, FactCoordinates, FactURL, FactReference}

// The inputs of a coordinates fact: latitude, longitude and the GeoNames place they were
// taken from (none where staff typed them).
const (
	PartLatitude  = "latitude"
	PartLongitude = "longitude"
	PartGeoNames  = "geonames_id"
)

// CoordinateParts are the inputs of a coordinates fact, in the order of its Keys.
var CoordinateParts = []string{PartLatitude, PartLongitude, PartGeoNames}

// Option sources: choices that come from outside the domain (CLDR), offered by the form.
const OptionsCountries = "countries"

// FactField declares one language-neutral fact of a content type.
type FactField struct {
	Key      string
	Kind     FactKind
	Required bool
	// When limits the fact to entries whose fact When.Fact has one of When.Values (the date
	// of an agreement made on a known day); elsewhere it is cleared.
	When *Condition
	// MaxLen bounds text in runes (MaxNameLen when 0); Min and Max bound numbers, Decimals
	// lets them have a fraction; Year makes a number a year (800 to next year).
	MaxLen   int
	Min, Max float64
	Decimals bool
	Year     bool
	// Choices are the values of a choice, Labels the prefix of their message IDs
	// ("city.status." + value); the value is its own label when Labels is "".
	Choices []string
	Labels  string
	// Options names where the form takes the choices of a text fact from (OptionsCountries).
	Options string
	// Pattern checks a text; Invalid is the message of a value that fails it or the limits.
	Pattern *regexp.Regexp
	Invalid string
	Upper   bool // a text is stored in capitals (country codes)
	// Precisions are the precisions a date may have; a day only when empty.
	Precisions []DatePrecision
	// Ref is the type a reference points to; Many lets it point to several entries.
	Ref  *Type
	Many bool
	// Hint is the message ID of a hint under the input; Group the fieldset it is shown in
	// (message admin.group.<Group>).
	Hint  string
	Group string
	// Default is the value of a new entry's fact.
	Default string
	// Was are the names the fact had in snapshot formats 1 and 2 (a coordinates fact: the
	// latitude's and the longitude's).
	Was []string
}

// Condition makes a fact apply only for some values of another.
type Condition struct {
	Fact   string
	Values []string
}

// List declares rows of facts, such as a city's links. A row counts when any of its facts
// that is not a choice (a choice always has a value) is filled.
type List struct {
	Key   string
	Facts []FactField
}

// Keys are the form keys of the fact: one, or for coordinates one per CoordinateParts.
func (f FactField) Keys(row int) []FieldKey {
	k := FieldKey{Field: f.Key, Row: row}
	if f.Kind == FactCoordinates {
		keys := make([]FieldKey, len(CoordinateParts))
		for i, p := range CoordinateParts {
			keys[i], keys[i].Part = k, p
		}
		return keys
	}
	return []FieldKey{k}
}

// DatePrecision is how much of a date is known.
type DatePrecision string

const (
	DateDay        DatePrecision = "day"         // 2001-06-24
	DateMonth      DatePrecision = "month"       // 2001-06
	DateYear       DatePrecision = "year"        // 2001
	DateSchoolYear DatePrecision = "school_year" // 1999/2000
)

// PartialDate is a date known to its Precision: Month and Day are 0 where unknown; a school
// year is Year/Year+1.
type PartialDate struct {
	Precision        DatePrecision
	Year, Month, Day int
}

var (
	dayRE    = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	monthRE  = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	yearRE   = regexp.MustCompile(`^(\d{4})$`)
	schoolRE = regexp.MustCompile(`^(\d{4})\s*/\s*(\d{4})$`)
)

// ParseDate reads a date as staff type it: "2001-06-24", "2001-06", "2001" or "1999/2000".
func ParseDate(s string) (PartialDate, bool) {
	s = strings.TrimSpace(s)
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	switch {
	case dayRE.MatchString(s):
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return PartialDate{}, false
		}
		return PartialDate{Precision: DateDay, Year: t.Year(), Month: int(t.Month()), Day: t.Day()}, true
	case monthRE.MatchString(s):
		m := monthRE.FindStringSubmatch(s)
		d := PartialDate{Precision: DateMonth, Year: atoi(m[1]), Month: atoi(m[2])}
		return d, d.Month >= 1 && d.Month <= 12
	case yearRE.MatchString(s):
		return PartialDate{Precision: DateYear, Year: atoi(s)}, true
	case schoolRE.MatchString(s):
		m := schoolRE.FindStringSubmatch(s)
		return PartialDate{Precision: DateSchoolYear, Year: atoi(m[1])}, atoi(m[2]) == atoi(m[1])+1
	}
	return PartialDate{}, false
}

// String is the date as stored and typed: "2001-06-24", "2001-06", "2001", "1999/2000".
func (d PartialDate) String() string {
	switch d.Precision {
	case DateDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case DateMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case DateYear:
		return fmt.Sprintf("%04d", d.Year)
	case DateSchoolYear:
		return fmt.Sprintf("%04d/%04d", d.Year, d.Year+1)
	}
	return ""
}

// Datetime is the date as HTML's <time datetime> takes it: a school year by the year it
// begins in.
func (d PartialDate) Datetime() string {
	if d.Precision == DateSchoolYear {
		return fmt.Sprintf("%04d", d.Year)
	}
	return d.String()
}

// Time is the first day the date can mean, for ordering.
func (d PartialDate) Time() time.Time {
	return time.Date(d.Year, time.Month(max(d.Month, 1)), max(d.Day, 1), 0, 0, 0, 0, time.UTC)
}

// Compare orders dates by their first day, the less precise first on the same day.
func (d PartialDate) Compare(o PartialDate) int {
	if c := d.Time().Compare(o.Time()); c != 0 {
		return c
	}
	return precisionRank(o.Precision) - precisionRank(d.Precision)
}

func precisionRank(p DatePrecision) int {
	return map[DatePrecision]int{DateDay: 3, DateMonth: 2, DateYear: 1, DateSchoolYear: 0}[p]
}

// Value is a fact read by its kind.
type Value struct {
	Text   string // text, slug, choice, URL: trimmed
	Number float64
	Bool   bool
	Date   PartialDate
	Place  Place
	Refs   []int64
}

// raw returns the typed strings of the fact in e: one, or latitude and longitude.
func (f FactField) raw(facts map[FieldKey]string, row int) []string {
	var out []string
	for _, k := range f.Keys(row) {
		out = append(out, strings.TrimSpace(facts[k]))
	}
	return out
}

// empty reports whether nothing of the fact is filled in.
func (f FactField) empty(facts map[FieldKey]string, row int) bool {
	for _, s := range f.raw(facts, row) {
		if s != "" {
			return false
		}
	}
	return true
}

// parse reads the fact's typed strings by its kind; msg is the message ID of what is wrong,
// on the key it concerns.
func (f FactField) parse(facts map[FieldKey]string, row int) (v Value, bad FieldKey, msg string) {
	raw := f.raw(facts, row)
	s := raw[0]
	key := f.Keys(row)[0]
	switch f.Kind {
	case FactText, FactURL, FactSlug, FactChoice:
		if f.Upper {
			s = strings.ToUpper(s)
		}
		v.Text = s
		switch {
		case len([]rune(s)) > cmpOr(f.MaxLen, MaxNameLen):
			return v, key, "validation.too_long"
		case f.Kind == FactSlug && !slugRE.MatchString(s):
			return v, key, "validation.slug"
		case f.Kind == FactURL && !urlOK(s):
			return v, key, "validation.url"
		case f.Kind == FactChoice && !slices.Contains(f.Choices, s):
			return v, key, "validation.choice"
		case f.Pattern != nil && !f.Pattern.MatchString(s):
			return v, key, cmpOr(f.Invalid, "validation.choice")
		}
	case FactNumber:
		n, ok := readNumber(s, f.Decimals)
		if !ok {
			return v, key, "validation.number"
		}
		v.Number = n
		if (f.Year && !yearOK(int(n))) || (!f.Year && (n < f.Min || n > f.Max)) {
			return v, key, cmpOr(f.Invalid, "validation.number")
		}
	case FactBoolean:
		v.Bool = s != ""
	case FactDate:
		d, ok := ParseDate(s)
		switch {
		case !ok:
			return v, key, "validation.date_format"
		case !slices.Contains(f.precisions(), d.Precision):
			return v, key, "validation.date_precision"
		case !yearOK(d.Year):
			return v, key, "validation.date"
		}
		v.Date = d
	case FactCoordinates:
		lat, okLat := readNumber(raw[0], true)
		lon, okLon := readNumber(raw[1], true)
		keys := f.Keys(row)
		id, errID := strconv.ParseInt(raw[2], 10, 64)
		switch {
		case raw[0] != "" && !okLat:
			return v, keys[0], "validation.number"
		case raw[1] != "" && !okLon:
			return v, keys[1], "validation.number"
		case (raw[0] == "") != (raw[1] == ""):
			return v, keys[1], "validation.coordinates"
		case raw[2] != "" && (errID != nil || id <= 0):
			return v, keys[2], "validation.geonames"
		case raw[0] == "":
			return v, keys[2], "validation.geonames_alone"
		}
		v.Place = Place{Latitude: &lat, Longitude: &lon, GeoNamesID: id}
		errs := FieldErrors{}
		v.Place.check(errs)
		if m := errs[Fact("latitude")]; m != "" {
			return v, keys[0], m
		}
		if m := errs[Fact("longitude")]; m != "" {
			return v, keys[1], m
		}
	case FactReference:
		for _, x := range strings.Fields(s) {
			id, err := strconv.ParseInt(x, 10, 64)
			if err != nil || id <= 0 {
				return v, key, "validation.choice"
			}
			if !slices.Contains(v.Refs, id) {
				v.Refs = append(v.Refs, id)
			}
		}
		if len(v.Refs) > 1 && !f.Many {
			return v, key, "validation.choice"
		}
	}
	return v, FieldKey{}, ""
}

// format writes a value back as its canonical typed strings, by key.
func (f FactField) format(v Value, row int) map[FieldKey]string {
	keys := f.Keys(row)
	out := map[FieldKey]string{}
	switch f.Kind {
	case FactNumber:
		out[keys[0]] = strconv.FormatFloat(v.Number, 'f', -1, 64)
	case FactBoolean:
		if v.Bool {
			out[keys[0]] = "on"
		}
	case FactDate:
		out[keys[0]] = v.Date.String()
	case FactCoordinates:
		if v.Place.Located() {
			out[keys[0]] = strconv.FormatFloat(*v.Place.Latitude, 'f', -1, 64)
			out[keys[1]] = strconv.FormatFloat(*v.Place.Longitude, 'f', -1, 64)
			if v.Place.GeoNamesID != 0 {
				out[keys[2]] = strconv.FormatInt(v.Place.GeoNamesID, 10)
			}
		}
	case FactReference:
		ids := make([]string, len(v.Refs))
		for i, id := range v.Refs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		out[keys[0]] = strings.Join(ids, " ")
	default:
		out[keys[0]] = v.Text
	}
	return out
}

func (f FactField) precisions() []DatePrecision {
	if len(f.Precisions) == 0 {
		return []DatePrecision{DateDay}
	}
	return f.Precisions
}

// applies reports whether the fact applies to an entry with these facts (see When).
func (f FactField) applies(facts map[FieldKey]string) bool {
	return f.When == nil || slices.Contains(f.When.Values, strings.TrimSpace(facts[Fact(f.When.Fact)]))
}

// readNumber reads a number as people type it: spaces and separators of thousands allowed
// in whole numbers, a decimal comma or point in decimals.
func readNumber(s string, decimals bool) (float64, bool) {
	if decimals {
		s = strings.ReplaceAll(s, ",", ".")
	} else {
		s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ".", "", ",", "").Replace(s)
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(n) || (!decimals && n != float64(int64(n))) {
		return 0, false
	}
	return n, true
}

// CheckFacts reads every fact and row of an entry by its declaration: what is wrong with each
// as a message ID, and the entry with its facts in canonical form (inapplicable ones and
// empty rows dropped).
func (t *Type) CheckFacts(e Entry) (Entry, FieldErrors) {
	errs := FieldErrors{}
	out := map[FieldKey]string{}
	one := func(f FactField, src map[FieldKey]string, srcRow, row int) {
		if f.empty(src, srcRow) {
			if f.Required {
				errs[f.Keys(row)[0]] = "validation.required"
			}
			return
		}
		v, bad, msg := f.parse(src, srcRow)
		if msg != "" {
			errs[FieldKey{Field: bad.Field, Part: bad.Part, Row: row}] = msg
			for _, k := range f.Keys(srcRow) { // keep what was typed
				out[FieldKey{Field: k.Field, Part: k.Part, Row: row}] = src[k]
			}
			return
		}
		for k, s := range f.format(v, row) {
			out[k] = s
		}
	}
	for _, f := range t.Facts {
		if f.applies(e.Facts) {
			one(f, e.Facts, 0, 0)
		}
	}
	for _, l := range t.Lists {
		n := 0
		for i := range e.rowCount(l) {
			if !l.filled(e.Facts, i+1) {
				continue
			}
			n++
			for _, f := range l.Facts {
				one(f, e.Facts, i+1, n)
			}
		}
	}
	e.Facts = out
	if t.Check != nil {
		errs.Merge(t.Check(e))
	}
	return e, errs
}

// filled reports whether a row has a value other than a choice.
func (l List) filled(facts map[FieldKey]string, row int) bool {
	for _, f := range l.Facts {
		if f.Kind != FactChoice && !f.empty(facts, row) {
			return true
		}
	}
	return false
}

// rowCount is the number of rows of l the entry's facts reach.
func (e Entry) rowCount(l List) int {
	n := 0
	for k := range e.Facts {
		if k.Row > n && slices.ContainsFunc(l.Facts, func(f FactField) bool { return f.Key == k.Field }) {
			n = k.Row
		}
	}
	return n
}

// FactField returns the declaration of a fact, of the type's facts or of its lists' rows.
func (t *Type) FactField(key string) (FactField, bool) {
	for _, f := range t.Facts {
		if f.Key == key {
			return f, true
		}
	}
	for _, l := range t.Lists {
		for _, f := range l.Facts {
			if f.Key == key {
				return f, true
			}
		}
	}
	return FactField{}, false
}

// Value returns a fact of the entry read by its kind; ok is false when it is empty or does not
// read (facts are checked before they are stored, so a stored one reads).
func (e Entry) Value(key string) (Value, bool) {
	return e.RowValue(key, 0)
}

// RowValue returns a fact of the row (from 1) of a list, or of the entry (row 0), read by its kind.
func (e Entry) RowValue(key string, row int) (Value, bool) {
	f, ok := e.Type.FactField(key)
	if !ok || f.empty(e.Facts, row) {
		return Value{}, false
	}
	v, _, msg := f.parse(e.Facts, row)
	return v, msg == ""
}

// Text returns a text, slug, choice or URL fact, "" when empty.
func (e Entry) Text(key string) string { v, _ := e.Value(key); return v.Text }

// Int returns a whole number fact, 0 when empty.
func (e Entry) Int(key string) int64 { v, _ := e.Value(key); return int64(v.Number) }

// Bool returns a boolean fact.
func (e Entry) Bool(key string) bool { v, _ := e.Value(key); return v.Bool }

// Date returns a date fact.
func (e Entry) Date(key string) (PartialDate, bool) { v, ok := e.Value(key); return v.Date, ok }

// Refs returns the ids a reference fact points to.
func (e Entry) Refs(key string) []int64 { v, _ := e.Value(key); return v.Refs }

// Rows returns the rows of a list, each fact of a row read by its kind.
func (e Entry) Rows(list string) []map[string]Value {
	var out []map[string]Value
	for _, l := range e.Type.Lists {
		if l.Key != list {
			continue
		}
		for i := range e.rowCount(l) {
			row := map[string]Value{}
			for _, f := range l.Facts {
				if v, ok := e.RowValue(f.Key, i+1); ok {
					row[f.Key] = v
				}
			}
			out = append(out, row)
		}
	}
	return out
}

// SetFact sets a fact of the entry from a value of its kind (for conversions from typed
// structs); a zero value clears it.
func (e *Entry) SetFact(key string, v Value) { e.setRowFact(key, 0, v) }

func (e *Entry) setRowFact(key string, row int, v Value) {
	f, ok := e.Type.FactField(key)
	if !ok {
		panic("twinning: no fact " + key + " in type " + e.Type.Name)
	}
	if e.Facts == nil {
		e.Facts = map[FieldKey]string{}
	}
	for _, k := range f.Keys(row) {
		delete(e.Facts, k)
	}
	for k, s := range f.format(v, row) {
		if s != "" && s != "0" || f.Kind == FactNumber && v.Number != 0 {
			e.Facts[k] = s
		}
	}
}

// AddRow appends a row to a list of the entry.
func (e *Entry) AddRow(list string, row map[string]Value) {
	for _, l := range e.Type.Lists {
		if l.Key == list {
			n := e.rowCount(l) + 1
			for k, v := range row {
				e.setRowFact(k, n, v)
			}
		}
	}
}

func cmpOr[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}
