package twinning

import (
	"slices"
	"strings"
	"time"
)

// Role is what a staff account may do.
type Role string

// The roles, from the most to the least powerful.
const (
	// RoleAdministrator may do everything on every site, manage accounts and site settings.
	RoleAdministrator Role = "administrator"
	// RoleEditor edits and publishes all content of the account's sites.
	RoleEditor Role = "editor"
	// RoleTranslator edits the texts of the account's languages on its sites and saves them
	// as drafts; facts and publishing are for editors.
	RoleTranslator Role = "translator"
)

// Roles lists every role, in the order they are offered.
var Roles = []Role{RoleAdministrator, RoleEditor, RoleTranslator}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a staff account with its role, the sites it works on (editors, translators) and
// the languages it translates (translators).
type User struct {
	ID    int64
	Email string
	Role  Role
	Sites []int64  // site IDs; every site for administrators whatever this holds
	Langs []string // languages a translator edits
	// IsAdmin mirrors Role == RoleAdministrator for the callers that read a field; the store
	// fills it, the methods below go by Role.
	IsAdmin    bool
	DisabledAt *time.Time
	CreatedAt  time.Time
	// SessionEpoch grows when the password changes or the account is disabled: sessions
	// begun under an older epoch are void.
	SessionEpoch int64
	HasPassword  bool // false for an invitation not yet taken up
	Name         string
	// StaffLang is the language the person chose for the staff area ("" when none); see
	// Lang.
	StaffLang string
	// ManagedBy is the provider whose group claims set the account's access, for an account
	// a provider created ("" for accounts administrators manage).
	ManagedBy string
	// SecondFactor tells whether the account has an authenticator app or a passkey.
	SecondFactor bool
}

// Lang is the staff language the person chose, "" when none: the staff area then speaks
// the language of the switcher or the browser.
func (u User) Lang() string { return u.StaffLang }

// MaxEmailLen is the longest email address of an account.
const MaxEmailLen = 320

func (u User) active() bool { return u.DisabledAt == nil }

func (u User) admin() bool { return u.active() && u.Role == RoleAdministrator }

// onSite reports whether the account works on the site (administrators on every one).
func (u User) onSite(siteID int64) bool {
	return u.admin() || (u.active() && u.Role.Valid() && slices.Contains(u.Sites, siteID))
}

// CanEdit reports whether the user may see the site's content in the staff area and change
// some of it: administrators everywhere, editors and translators on their sites.
func (u User) CanEdit(siteID int64) bool { return u.onSite(siteID) }

// CanPublish reports whether the user may make the site's drafts public.
func (u User) CanPublish(siteID int64) bool {
	return u.onSite(siteID) && (u.Role == RoleAdministrator || u.Role == RoleEditor)
}

// CanEditFacts reports whether the user may change what is the same in every language
// (slug, country, dates, links, documents), create, delete and restore entries.
func (u User) CanEditFacts(siteID int64) bool { return u.CanPublish(siteID) }

// CanReadFeedback reports whether the user may read the site's accessibility feedback,
// which holds members of the public's addresses: administrators and the site's editors.
func (u User) CanReadFeedback(siteID int64) bool { return u.CanPublish(siteID) }

// CanEditText reports whether the user may change the site's texts in lang.
func (u User) CanEditText(siteID int64, lang string) bool {
	if !u.onSite(siteID) {
		return false
	}
	return u.Role == RoleAdministrator || u.Role == RoleEditor || slices.Contains(u.Langs, lang)
}

// CanManageUsers reports whether the user may invite, change and disable accounts.
func (u User) CanManageUsers() bool { return u.admin() }

// CanChangeSettings reports whether the user may change a site's settings (its required
// languages).
func (u User) CanChangeSettings() bool { return u.admin() }

// Normalize puts an account's fields in their stored form: lower-case email, sites and
// languages sorted and unique, and none of them for an administrator (who has every site)
// nor languages for an editor (who has every language).
func (u User) Normalize() User {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Sites = slices.Compact(slices.Sorted(slices.Values(u.Sites)))
	u.Langs = slices.Compact(slices.Sorted(slices.Values(u.Langs)))
	switch u.Role {
	case RoleAdministrator:
		u.Sites, u.Langs = nil, nil
	case RoleEditor:
		u.Langs = nil
	}
	u.IsAdmin = u.Role == RoleAdministrator
	return u
}

// Validate checks an account's role, sites and languages; sites are the IDs of the sites that
// exist, langs the languages they publish.
func (u User) Validate(sites []int64, langs []string) FieldErrors {
	e := FieldErrors{}
	email, role, siteKey, langKey := Fact("email"), Fact("role"), Fact("sites"), Fact("langs")
	if len(u.Email) > MaxEmailLen || !emailRE.MatchString(u.Email) {
		e[email] = "validation.email"
	}
	if !u.Role.Valid() {
		e[role] = "validation.choice"
		return e
	}
	for _, s := range u.Sites {
		if !slices.Contains(sites, s) {
			e[siteKey] = "validation.choice"
		}
	}
	for _, l := range u.Langs {
		if !slices.Contains(langs, l) {
			e[langKey] = "validation.choice"
		}
	}
	if u.Role != RoleAdministrator && len(u.Sites) == 0 && e[siteKey] == "" {
		e[siteKey] = "validation.user_sites"
	}
	if u.Role == RoleTranslator && len(u.Langs) == 0 && e[langKey] == "" {
		e[langKey] = "validation.user_langs"
	}
	return e
}

// Revision is one saved state of an entry.
type Revision struct {
	ID          int64
	EntityID    int64
	Version     int
	Action      string // "draft", "publish", "restore", "create"
	AuthorEmail string
	CreatedAt   time.Time
	Entry       Entry // the state of the entry
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID        int64
	At        time.Time
	UserEmail string
	SiteID    *int64
	Action    string
	Entity    string
	EntityID  *int64
	Detail    string
	Address   string
}

// Feedback is a report of an accessibility problem.
type Feedback struct {
	ID        int64
	SiteID    int64
	Lang      string
	Message   string
	Page      string
	Email     string
	Address   string
	CreatedAt time.Time
}

// Limits of the feedback form, and how many months the addresses in feedback may be kept
// (DefaultFeedbackRetention unless the site's administrators set another).
const (
	MinFeedbackRetention     = 1
	DefaultFeedbackRetention = 12
	MaxFeedbackRetention     = 120

	MaxFeedbackLen     = 5000
	FeedbackPerHour    = 5 // per address
	maxFeedbackPageLen = 500
)

// Validate checks a feedback message as a person sends it.
func (f Feedback) Validate() FieldErrors {
	e := FieldErrors{}
	switch n := len([]rune(f.Message)); {
	case n == 0:
		e[Fact("message")] = "feedback.error.empty"
	case n > MaxFeedbackLen:
		e[Fact("message")] = "feedback.error.too_long"
	}
	if len(f.Page) > maxFeedbackPageLen {
		e[Fact("page")] = "feedback.error.too_long"
	}
	if f.Email != "" && (len(f.Email) > 320 || !emailRE.MatchString(f.Email)) {
		e[Fact("email")] = "feedback.error.email"
	}
	return e
}
