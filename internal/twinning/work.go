package twinning

import (
	"strings"
	"time"
)

// Draft is an entry with saved changes that the public site does not show yet, with who
// saved them last and when: the drafts waiting on the staff home.
type Draft struct {
	Type        string
	ID          int64
	AuthorID    int64 // 0 where the account is gone or the change came from the seed
	AuthorEmail string
	SavedAt     time.Time
}

// TranslationWork calls f for each field of e that lang translates: every field that has text
// in the language lang is translated from (the site's default where lang names none), with
// the state of its translation, missing where lang has no text for it. An original text (lang
// is its own source) translates nothing.
func (e Entry) TranslationWork(site Site, lang string, f func(field TextField, source string, state TranslationState)) {
	from := e.Texts[lang].TranslatedFrom
	if from == "" {
		from = site.DefaultLang
	}
	if from == lang {
		return
	}
	for _, fd := range e.Type.Fields {
		src := e.Texts[from].Fields[fd.Key]
		if strings.TrimSpace(src) == "" {
			continue
		}
		f(fd, src, e.TargetState(lang, fd.Key))
	}
}

// TargetState is how far a field of e is in lang as a translation's target, as exports and
// word counts see it: missing without text, else its translation state.
func (e Entry) TargetState(lang, field string) TranslationState {
	if strings.TrimSpace(e.Texts[lang].Fields[field]) == "" {
		return TranslationMissing
	}
	return e.FieldState(lang, field)
}
