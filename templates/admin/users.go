package admin

import (
	"context"
	"strconv"
	"strings"
	"time"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

// UserRow is an account in the administrators' list of accounts.
type UserRow struct {
	User  twinning.User
	Sites []string // the names of its sites
}

// UserPage is the invitation form (ID 0) or the page of an account: its role, sites and
// languages, whether it is enabled, and, once after it was made, a one-time link.
type UserPage struct {
	User  twinning.User // the stored account; zero for an invitation
	Form  Form          // email, role, site:ID, lang:LANG as typed
	Sites []Option      // the sites to tick: those ticked, then a page of those found
	Found Pager         // the search of sites to tick (site_q) and its page (site_page)
	Langs []string      // the languages a translator may be given
	Self  bool          // the administrator's own account
	Link  *OneTimeLink  // the one-time link just made, shown once
}

// OneTimeLink is a one-time link to pass on to its owner.
type OneTimeLink struct {
	URL     string
	Expires time.Time
	Invite  bool // an invitation (else a password reset)
}

// Path is the URL of the account's page.
func (p UserPage) Path() string { return "/admin/users/" + strconv.FormatInt(p.User.ID, 10) }

// Action is where the form posts: the invitation, or the account's page.
func (p UserPage) Action() string {
	if p.User.ID == 0 {
		return "/admin/users/new"
	}
	return p.Path()
}

// PasswordPage is the form a one-time link opens: the account's email and a new password.
type PasswordPage struct {
	Email  string
	Invite bool
	Form   Form // the error of "password", "password2"
	MinLen int  // the shortest password accepted
}

// SiteField is the Form key of a site's checkbox.
func SiteField(id string) twinning.FieldKey { return twinning.Fact("site:" + id) }

// LangField is the Form key of a language's checkbox.
func LangField(l string) twinning.FieldKey { return twinning.Fact("lang:" + l) }

// The Form keys of the accounts' forms.
var (
	emailKey     = twinning.Fact("email")
	roleKey      = twinning.Fact("role")
	sitesKey     = twinning.Fact("sites")
	langsKey     = twinning.Fact("langs")
	disableKey   = twinning.Fact("disable")
	passwordKeys = []twinning.FieldKey{twinning.Fact("password"), twinning.Fact("password2")}
)

// userState is the message ID of an account's state.
func userState(u twinning.User) string {
	switch {
	case u.DisabledAt != nil:
		return "admin.users.state_disabled"
	case !u.HasPassword:
		return "admin.users.state_invited"
	}
	return "admin.users.state_active"
}

// langNames names languages in the reader's language.
func langNames(ctx context.Context, langs []string) string {
	names := make([]string, len(langs))
	for i, l := range langs {
		names[i] = locale.From(ctx).Language(l)
	}
	return strings.Join(names, ", ")
}
