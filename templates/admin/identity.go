package admin

import (
	"strconv"
	"strings"

	"twintowns/internal/twinning"
)

// Login is the sign-in page: the instance's providers and, unless passwords are off, the
// password form; Message is the ID of what went wrong.
type Login struct {
	Email     string
	Message   string
	Providers []twinning.Provider
	Passwords bool
}

// ProviderHref is where the button of a provider leads.
func ProviderHref(id string) string { return "/admin/oidc/" + id }

// VerifyPage asks for the second factor after a right password: the app's code (if the
// account has an app), a passkey (if it has one on this host), or a recovery code. Field is
// the form Message (an ID) is about: "code", "recovery" or "passkey".
type VerifyPage struct {
	TOTP           bool
	PasskeyOptions string // JSON for navigator.credentials.get; "" without passkeys here
	PasskeyScript  string
	Field, Message string
}

// ProfilePage is a person's own account.
type ProfilePage struct {
	User      twinning.User
	Form      Form     // name, staff_lang, passwords, passkey_name, second_factor as typed, with errors
	Langs     []string // the staff area's languages
	Passwords bool     // the account has a password it may change
	Factors   twinning.SecondFactors
	Host      string // the host name passkeys are registered on here
	// PasskeyOptions is the JSON for navigator.credentials.create.
	PasskeyOptions string
	// Required: the policy asks this person for a second factor and they have none.
	Required       bool
	Identities     []IdentityRow
	Sessions       []twinning.StaffSession
	CurrentSession string
}

// IdentityRow is a provider account linked to the person's account.
type IdentityRow struct {
	Identity     twinning.Identity
	ProviderName string
}

// TOTPSetup is the setup of an authenticator app: the QR code (a data URL), the secret for
// typing, and what went wrong with the code typed.
type TOTPSetup struct {
	QR      string
	Secret  string
	Message string
}

// SignInSettings is the administrators' page of the instance's sign-in.
type SignInSettings struct {
	Policy    twinning.SecondFactorPolicy
	Passwords bool
	Providers []ProviderView
	Sites     []Option
	Langs     []string
	// FormProvider is the provider whose rule form Form holds (after an error).
	FormProvider string
	Form         Form
}

// ProviderView is a provider as administrators see it.
type ProviderView struct {
	Provider    twinning.Provider
	Issuer      string
	ClientID    string
	GroupsClaim string
	Callbacks   []string // the redirect URIs to register at the provider
	Settings    twinning.ProviderSettings
}

// RuleAction is where a provider's rule form posts.
func (v ProviderView) RuleAction() string {
	return "/admin/identity/providers/" + v.Provider.ID + "/rules"
}

// RuleDelete is where the removal of a rule posts.
func (v ProviderView) RuleDelete(id int64) string {
	return v.RuleAction() + "/" + strconv.FormatInt(id, 10) + "/delete"
}

// passkeyHere tells a passkey of the host the page is on: the others work on theirs only.
func passkeyHere(p twinning.Passkey, host string) bool { return p.RPID == host }

// PasskeyDelete is where the removal of a passkey posts.
func PasskeyDelete(id int64) string {
	return "/admin/profile/passkeys/" + strconv.FormatInt(id, 10) + "/delete"
}

// IdentityDelete is where the removal of a linked provider account posts.
func IdentityDelete(id int64) string {
	return "/admin/profile/identities/" + strconv.FormatInt(id, 10) + "/delete"
}

// methodLabel is the message ID of how a session began.
func methodLabel(method string) string {
	if strings.HasPrefix(method, "oidc:") {
		return "admin.profile.method.provider"
	}
	return "admin.profile.method." + strings.ReplaceAll(method, "+", "_")
}

// browserName is a short name of a browser from its User-Agent, for the list of sessions.
func browserName(ua string) string {
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
		{"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			name := b.name
			for _, os := range []struct{ token, name string }{{"Windows", "Windows"}, {"Android", "Android"},
				{"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"}} {
				if strings.Contains(ua, os.token) {
					return name + ", " + os.name
				}
			}
			return name
		}
	}
	if r := []rune(ua); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return ua
}

// Keys of the profile's forms.
var (
	nameKey        = twinning.Fact("name")
	staffLangKey   = twinning.Fact("staff_lang")
	passkeyNameKey = twinning.Fact("passkey_name")
	factorKey      = twinning.Fact("second_factor")
	changeKeys     = []twinning.FieldKey{twinning.Fact("current_password"), twinning.Fact("new_password"), twinning.Fact("new_password2")}
	claimKey       = twinning.Fact("claim")
)

// siteNames names the sites of a rule.
func siteNames(sites []Option, ids []int64) string {
	var names []string
	for _, o := range sites {
		for _, id := range ids {
			if o.Value == strconv.FormatInt(id, 10) {
				names = append(names, o.Label)
			}
		}
	}
	return strings.Join(names, ", ")
}
