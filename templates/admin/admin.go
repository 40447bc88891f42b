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
	Languages  []string // the languages the staff area speaks
	Title      string
	Stylesheet string
	User       *twinning.User
	Site       *SiteRef // the site being edited, if any
	// Home is the staff home, marked when it is the page shown; Nav the staff menu: the pages
	// the person may use, grouped by task; Crumbs lead from the home to the page's parent.
	Home   NavLink
	Nav    []NavGroup
	Crumbs []Crumb
	Flash  string // message ID of a one-time notice ("admin.flash.saved")
	// Warning is the message ID of a standing warning about the installation, for
	// administrators ("admin.warning.proxy").
	Warning string
	Path    string // the current URL, for the language switcher to come back to
	// Scripts are the product's own scripts the page runs (passkeys need the WebAuthn API).
	Scripts []string
}

// NavGroup is a task of the staff menu (the site's content, translation, settings...) with
// its pages.
type NavGroup struct {
	ID      string // the group's HTML id, for its list's name
	LabelID string
	Links   []NavLink
}

// NavLink is a page of the staff menu; Current is its aria-current: "page" for the page
// shown, "true" for a page under it (an entry of a list), "" otherwise.
type NavLink struct {
	Href    string
	LabelID string
	Current string
}

// Crumb is a step of the breadcrumb: a page above the one shown, named as people know it.
type Crumb struct {
	Href  string
	Label string
}

// LangHref is the language switcher's link to lang: it records the choice and comes back here.
func (f Frame) LangHref(lang string) string {
	return "/admin/lang/" + lang + "?next=" + url.QueryEscape(f.Path)
}

// Pager is one page of a long list (thousands of sites) and the search that selected it.
type Pager struct {
	Query              string
	Page, Pages, Total int
}

// PageSize is how many items a page of a long list shows.
const PageSize = 50

// NewPager is the pager of page (from 1) of total items found by query.
func NewPager(query string, page, total int) Pager {
	return Pager{Query: query, Page: max(page, 1), Pages: max((total+PageSize-1)/PageSize, 1), Total: total}
}

// Offset is the index of the page's first item.
func (p Pager) Offset() int { return (max(p.Page, 1) - 1) * PageSize }

// PageHref is the URL of page n of the list at path, with the same search.
func (p Pager) PageHref(path string, n int) string {
	v := url.Values{}
	if p.Query != "" {
		v.Set("q", p.Query)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// SiteRef names a site in admin pages.
type SiteRef struct {
	Slug string
	Name string
	Host string // its first host name, where lists tell sites of one name apart
	URL  string // the site's staff home
}

// Form is a form's values as the person typed them, the message ID of what is wrong with
// each field, and, on a conflict, the other saved value of each field that differs.
type Form struct {
	Values map[twinning.FieldKey]string
	Errors twinning.FieldErrors
	Theirs map[twinning.FieldKey]string
	// Rows is, per list of the entry (links), how many rows hold values.
	Rows map[string]int
}

// V is a field's value.
func (f Form) V(k twinning.FieldKey) string { return f.Values[k] }

// Checked tells whether a checkbox was ticked.
func (f Form) Checked(k twinning.FieldKey) bool { return f.Values[k] != "" }

// Err is the message ID of the field's error, or "".
func (f Form) Err(k twinning.FieldKey) string { return f.Errors[k] }

// Their returns the other version's value of a field on a conflict.
func (f Form) Their(k twinning.FieldKey) (string, bool) {
	v, ok := f.Theirs[k]
	return v, ok
}

// describedBy is the aria-describedby of a field: its hint and error, where they exist.
func describedBy(f Form, k twinning.FieldKey, hint bool) string {
	s := ""
	if hint {
		s = k.String() + "-hint"
	}
	if f.Err(k) != "" {
		if s != "" {
			s += " "
		}
		s += k.String() + "-error"
	}
	return s
}

// Option is a choice of a select element.
type Option struct {
	Value string
	Label string
}
