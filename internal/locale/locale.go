// Package locale is the product's language layer: interface messages (go-i18n, from the
// message files of locales/), language negotiation, and CLDR-backed dates, numbers, country
// and language names. Templates reach the Translator of a request through the context.
package locale

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	cldr "github.com/go-playground/locales"
	"github.com/go-playground/locales/bg"
	"github.com/go-playground/locales/cs"
	"github.com/go-playground/locales/da"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/el"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/et"
	"github.com/go-playground/locales/fi"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/hr"
	"github.com/go-playground/locales/hu"
	"github.com/go-playground/locales/is"
	"github.com/go-playground/locales/it"
	"github.com/go-playground/locales/lt"
	"github.com/go-playground/locales/lv"
	"github.com/go-playground/locales/nb"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pl"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/ro"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/se"
	"github.com/go-playground/locales/sk"
	"github.com/go-playground/locales/sl"
	"github.com/go-playground/locales/sv"
	"github.com/go-playground/locales/uk"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"twintowns/locales"
)

// Bundle is the registry of the languages the product can serve: one per message file
// LANG.toml found in locales/, each with its CLDR formatter.
type Bundle struct {
	bundle      *i18n.Bundle
	langs       []string
	translators map[string]*Translator
}

// cldrs are the CLDR formatters (dates, numbers) compiled into the product. A language needs
// one of them and a message file to be served; which languages exist is decided by the
// message files alone.
var cldrs = map[string]func() cldr.Translator{
	"bg": bg.New, "cs": cs.New, "da": da.New, "de": de.New, "el": el.New, "en": en.New, "es": es.New,
	"et": et.New, "fi": fi.New, "fr": fr.New, "hr": hr.New, "hu": hu.New, "is": is.New, "it": it.New,
	"lt": lt.New, "lv": lv.New, "nb": nb.New, "nl": nl.New, "pl": pl.New, "pt": pt.New, "ro": ro.New,
	"ru": ru.New, "se": se.New, "sk": sk.New, "sl": sl.New, "sv": sv.New, "uk": uk.New,
}

// Load reads the message files embedded in package locales.
func Load() (*Bundle, error) { return LoadFS(locales.FS) }

// MessageFiles are the message files of a language: the public site, the staff area, and
// the accessibility statement with its feedback form. The first one defines the language.
func MessageFiles(lang string) []string {
	return []string{lang + ".toml", "admin." + lang + ".toml", "a11y." + lang + ".toml"}
}

var languageFile = regexp.MustCompile(`^([a-z]{2,3})\.toml$`)

// Languages lists the languages that have a message file in fsys, sorted.
func Languages(fsys fs.FS) ([]string, error) {
	files, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		if m := languageFile.FindStringSubmatch(f); m != nil {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out, nil
}

// LoadFS reads the message files of every language in fsys.
func LoadFS(fsys fs.FS) (*Bundle, error) {
	langs, err := Languages(fsys)
	if err != nil || len(langs) == 0 {
		return nil, fmt.Errorf("load messages: no language files (%v)", err)
	}
	b := &Bundle{bundle: i18n.NewBundle(language.Make(langs[0])), langs: langs, translators: map[string]*Translator{}}
	b.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range langs {
		newCLDR, ok := cldrs[lang]
		if !ok {
			return nil, fmt.Errorf("load messages: no CLDR formatter for %q", lang)
		}
		for _, name := range MessageFiles(lang) {
			if _, err := fs.Stat(fsys, name); err != nil && name != lang+".toml" {
				continue // the staff and statement files fall back to another language
			}
			if _, err := b.bundle.LoadMessageFileFS(fsys, name); err != nil {
				return nil, fmt.Errorf("load messages: %w", err)
			}
		}
		tag := language.Make(lang)
		b.translators[lang] = &Translator{
			Lang:    lang,
			loc:     i18n.NewLocalizer(b.bundle, lang),
			cldr:    newCLDR(),
			regions: display.Regions(tag),
			langs:   display.Languages(tag),
		}
	}
	return b, nil
}

// Languages are the languages the product can serve, sorted.
func (b *Bundle) Languages() []string { return b.langs }

// Has reports whether the product can serve lang.
func (b *Bundle) Has(lang string) bool { _, ok := b.translators[lang]; return ok }

// For returns the Translator of lang, or of the first language when lang is not served.
func (b *Bundle) For(lang string) *Translator {
	if t, ok := b.translators[lang]; ok {
		return t
	}
	return b.translators[b.langs[0]]
}

// Translator renders interface text, dates, numbers and names in one language.
type Translator struct {
	Lang    string
	loc     *i18n.Localizer
	cldr    cldr.Translator
	regions display.Namer
	langs   display.Namer

	countriesOnce sync.Once
	countries     []Country
}

// T returns the message id, filled with the data given as key, value pairs. A missing
// message shows as its id, which the tests of the message files rule out.
func (t *Translator) T(id string, kv ...any) string {
	s, err := t.Localize(id, nil, kv...)
	if err != nil {
		return id
	}
	return s
}

// N returns the plural message id for count, with {{.Count}} the localized count.
func (t *Translator) N(id string, count int64, kv ...any) string {
	s, err := t.Localize(id, count, append(kv, "Count", t.Number(count))...)
	if err != nil {
		return id
	}
	return s
}

// Localize is T and N with the error: pluralCount is nil for a message without plural
// forms, or a number (int64, or a string such as "1.5" for decimals).
func (t *Translator) Localize(id string, pluralCount any, kv ...any) (string, error) {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: pluralCount})
}

// Date is the long CLDR date: "26 lipca 1998", "26. heinäkuuta 1998".
func (t *Translator) Date(d time.Time) string { return t.cldr.FmtDateLong(d) }

// Number is an integer with the language's grouping: "106 000", "106.000".
func (t *Translator) Number(n int64) string { return t.cldr.FmtNumber(float64(n), 0) }

// Decimal is a number with the given fraction digits: "1,5".
func (t *Translator) Decimal(f float64, digits uint64) string { return t.cldr.FmtNumber(f, digits) }

// DecimalSeparator is the language's decimal separator (CLDR): "," in fi, sv, pl and it.
func (t *Translator) DecimalSeparator() string {
	return strings.TrimSuffix(strings.TrimPrefix(t.cldr.FmtNumber(1.5, 1), "1"), "5")
}

// Country is the CLDR name of a region code in this language: "DE" is "Saksa" in Finnish.
func (t *Translator) Country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := t.regions.Name(r); n != "" {
		return n
	}
	return code
}

// areas are the regions of the world of UN M.49 (CLDR's territory containment) that name the
// area of a map, smallest first: subregions, then continents, then the world.
var areas = []string{
	"154", "155", "151", "039", // Northern, Western, Eastern, Southern Europe
	"030", "034", "035", "143", "145", // Eastern, Southern, South-Eastern, Central, Western Asia
	"021", "013", "029", "005", // Northern America, Central America, Caribbean, South America
	"015", "011", "017", "014", "018", // Northern, Western, Middle, Eastern, Southern Africa
	"053", "054", "057", "061", // Australasia, Melanesia, Micronesia, Polynesia
	"150", "142", "019", "002", "009", // Europe, Asia, Americas, Africa, Oceania
	"001",
}

// Area is the CLDR name, in this language, of the smallest region of the world that holds
// every country of codes (ISO 3166-1 alpha-2): "Europe" for Finland and Russia, "East Asia"
// for China alone.
func (t *Translator) Area(codes []string) string {
	for _, a := range areas {
		area := language.MustParseRegion(a)
		all := len(codes) > 0
		for _, c := range codes {
			r, err := language.ParseRegion(c)
			if err != nil || !area.Contains(r) {
				all = false
				break
			}
		}
		if all {
			return t.regions.Name(area)
		}
	}
	return t.regions.Name(language.MustParseRegion("001"))
}

// Language is the CLDR name of a language in this language: "sv" is "ruotsi" in Finnish.
func (t *Translator) Language(code string) string {
	if n := t.langs.Name(language.Make(code)); n != "" {
		return n
	}
	return code
}

// Autonym is a language's own name, capitalised as a menu item: "Svenska", "Suomi".
func Autonym(code string) string {
	tag := language.Make(code)
	n := display.Self.Name(tag)
	if n == "" {
		return code
	}
	r, size := utf8.DecodeRuneInString(n)
	return string(unicode.ToUpper(r)) + n[size:]
}

// Negotiate picks the language for a visitor of the bare "/" among langs: a supported
// explicit choice (the cookie) first, then the best match of the Accept-Language header,
// then def.
func Negotiate(choice, acceptLanguage string, langs []string, def string) string {
	if slices.Contains(langs, choice) {
		return choice
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return def
	}
	m := matcherFor(langs, def)
	_, idx, conf := m.matcher.Match(tags...)
	if conf == language.No {
		return def
	}
	base, _ := m.supported[idx].Base()
	if l := base.String(); slices.Contains(langs, l) {
		return l
	}
	return def
}

type matcher struct {
	matcher   language.Matcher
	supported []language.Tag
}

// matchers hold a matcher per set of languages and default, the default first (a Matcher is
// costly to build, and safe to share).
var matchers sync.Map

func matcherFor(langs []string, def string) matcher {
	key := def + ":" + strings.Join(langs, ",")
	if m, ok := matchers.Load(key); ok {
		return m.(matcher)
	}
	supported := []language.Tag{language.Make(def)}
	for _, l := range langs {
		if l != def {
			supported = append(supported, language.Make(l))
		}
	}
	m := matcher{language.NewMatcher(supported), supported}
	matchers.Store(key, m)
	return m
}

type ctxKey struct{}

// WithTranslator returns a context carrying t.
func WithTranslator(ctx context.Context, t *Translator) context.Context {
	return context.WithValue(ctx, ctxKey{}, t)
}

// From returns the Translator of the context. It panics without one: every page is
// rendered under the language middleware, and a page without a language is a bug.
func From(ctx context.Context) *Translator {
	t, ok := Lookup(ctx)
	if !ok {
		panic("locale: no translator in context")
	}
	return t
}

// Lookup returns the Translator of the context, if it has one.
func Lookup(ctx context.Context) (*Translator, bool) {
	t, ok := ctx.Value(ctxKey{}).(*Translator)
	return t, ok
}

// notCountries are codes CLDR names that are groupings, not countries.
var notCountries = map[string]bool{"EU": true, "EZ": true, "UN": true, "QO": true, "ZZ": true}

// Country is a region code with its name in one language.
type Country struct{ Code, Name string }

// Countries lists the countries CLDR knows, sorted by their names in this language. The list
// is built once per translator; callers must not change it.
func (t *Translator) Countries() []Country {
	t.countriesOnce.Do(func() { t.countries = t.buildCountries() })
	return t.countries
}

func (t *Translator) buildCountries() []Country {
	var out []Country
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize() != r || notCountries[code] {
				continue // not a region code, a withdrawn one, or a grouping
			}
			if n := t.regions.Name(r); n != "" {
				out = append(out, Country{code, n})
			}
		}
	}
	c := collate.New(language.Make(t.Lang))
	sort.Slice(out, func(i, j int) bool { return c.CompareString(out[i].Name, out[j].Name) < 0 })
	return out
}
