// Package admin holds the pages of the staff area: sign-in, the list of entries, the edit
// form with a section per language, history, trash, site texts and the audit log.
package admin

import (
	"net/url"
	"strconv"

	"twintowns/internal/twinning"
)

// Frame is what every admin page shows around its content.
type Frame struct {
	Lang       string
	Title      string
	Stylesheet string
	User       *twinning.User
	Site       *SiteRef  // the site being edited, if any
	Sites      []SiteRef // the sites the user may edit
	Flash      string    // message ID of a one-time notice ("admin.flash.saved")
	Path       string    // the current URL, for the language switcher to come back to
}

// LangHref is the language switcher's link to lang: it records the choice and comes back here.
func (f Frame) LangHref(lang string) string {
	return "/admin/lang/" + lang + "?next=" + url.QueryEscape(f.Path)
}

// SiteRef names a site in admin pages.
type SiteRef struct {
	Slug string
	Name string
}

// Base is the prefix of the site's admin URLs.
func (f Frame) Base() string {
	if f.Site == nil {
		return "/admin"
	}
	return "/admin/sites/" + f.Site.Slug
}

// Form is a form's values as the person typed them, the message ID of what is wrong with
// each field, and, on a conflict, the other saved value of each field that differs.
type Form struct {
	Values map[string]string
	Errors twinning.FieldErrors
	Theirs map[string]string
}

// V is a field's value.
func (f Form) V(name string) string { return f.Values[name] }

// Checked tells whether a checkbox was ticked.
func (f Form) Checked(name string) bool { return f.Values[name] != "" }

// Err is the message ID of the field's error, or "".
func (f Form) Err(name string) string { return f.Errors[name] }

// Their returns the other version's value of a field on a conflict.
func (f Form) Their(name string) (string, bool) {
	v, ok := f.Theirs[name]
	return v, ok
}

// LinkRows is the number of link rows to show: the links plus blank rows for new ones.
func (f Form) LinkRows(blank int) []string {
	n, _ := strconv.Atoi(f.Values["links"])
	rows := make([]string, n+blank)
	for i := range rows {
		rows[i] = strconv.Itoa(i)
	}
	return rows
}

// describedBy is the aria-describedby of a field: its hint and error, where they exist.
func describedBy(f Form, name string, hint bool) string {
	s := ""
	if hint {
		s = name + "-hint"
	}
	if f.Err(name) != "" {
		if s != "" {
			s += " "
		}
		s += name + "-error"
	}
	return s
}

// CityRow is a city in the staff's list.
type CityRow struct {
	City  twinning.City
	Name  string
	Langs []LangState
}

// LangState is how complete a language of an entry is.
type LangState struct {
	Lang  string
	State twinning.TranslationState
}

// Option is a choice of a select element.
type Option struct {
	Value string
	Label string
}
