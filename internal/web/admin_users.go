package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// UserStore is what the administrators' pages of accounts and the one-time links use.
type UserStore interface {
	Users(ctx context.Context) ([]twinning.User, error)
	InviteUser(ctx context.Context, u twinning.User, tokenHash []byte, valid time.Duration, by twinning.Actor) (twinning.User, error)
	UpdateUser(ctx context.Context, id int64, role twinning.Role, sites []int64, langs []string, by twinning.Actor) (twinning.User, error)
	SetUserDisabled(ctx context.Context, id int64, disabled bool, by twinning.Actor) error
	IssueLink(ctx context.Context, userID int64, tokenHash []byte, valid time.Duration, by twinning.Actor) error
	LinkUser(ctx context.Context, tokenHash []byte) (twinning.User, error)
	UseLink(ctx context.Context, tokenHash []byte, passwordHash, address string) (twinning.User, error)
}

// handleUsers lists every account.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.users.Users(r.Context())
	if err != nil {
		return err
	}
	sites, err := s.siteOptions(r)
	if err != nil {
		return err
	}
	rows := make([]admin.UserRow, len(users))
	for i, u := range users {
		rows[i].User = u
		for _, o := range sites {
			if slices.Contains(u.Sites, optionID(o)) {
				rows[i].Sites = append(rows[i].Sites, o.Label)
			}
		}
	}
	s.page(w, r, http.StatusOK, admin.UsersPage(s.frame(r, "admin.users.title"), rows))
	return nil
}

// siteOptions are the sites to choose from, named in the staff member's language.
func (s *Server) siteOptions(r *http.Request) ([]admin.Option, error) {
	sites, err := s.sites(r.Context())
	if err != nil {
		return nil, err
	}
	lang := locale.From(r.Context()).Lang
	opts := make([]admin.Option, len(sites))
	for i, site := range sites {
		opts[i] = admin.Option{Value: strconv.FormatInt(site.ID, 10), Label: siteRef(site, lang).Name}
	}
	return opts, nil
}

// publishedLanguages are the languages some site publishes: those a translator may be given.
func (s *Server) publishedLanguages(r *http.Request) ([]string, error) {
	sites, err := s.sites(r.Context())
	if err != nil {
		return nil, err
	}
	var langs []string
	for _, l := range s.locales.Languages() {
		if slices.ContainsFunc(sites, func(site twinning.Site) bool { return site.Publishes(l) }) {
			langs = append(langs, l)
		}
	}
	return langs, nil
}

func optionID(o admin.Option) int64 {
	id, _ := strconv.ParseInt(o.Value, 10, 64)
	return id
}

// access is the role, sites and languages of an account as a form sends them.
type access struct {
	role  twinning.Role
	sites []int64
	langs []string
	form  admin.Form
}

// parseAccess reads the role, sites and languages posted; what is not a number or not a
// choice is an error on its field, the rest the store checks.
func parseAccess(r *http.Request) access {
	a := access{role: twinning.Role(r.PostFormValue("role")),
		form: admin.Form{Values: map[twinning.FieldKey]string{twinning.Fact("role"): r.PostFormValue("role")}, Errors: twinning.FieldErrors{}}}
	for _, v := range r.PostForm["sites"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			a.form.Errors[twinning.Fact("sites")] = "validation.choice"
			continue
		}
		a.sites = append(a.sites, id)
		a.form.Values[admin.SiteField(v)] = "on"
	}
	for _, l := range r.PostForm["langs"] {
		a.langs = append(a.langs, l)
		a.form.Values[admin.LangField(l)] = "on"
	}
	return a
}

// accessForm is the form of a stored account.
func accessForm(u twinning.User) admin.Form {
	f := admin.Form{Values: map[twinning.FieldKey]string{twinning.Fact("role"): string(u.Role), twinning.Fact("email"): u.Email}}
	for _, id := range u.Sites {
		f.Values[admin.SiteField(strconv.FormatInt(id, 10))] = "on"
	}
	for _, l := range u.Langs {
		f.Values[admin.LangField(l)] = "on"
	}
	return f
}

// userPage renders the invitation form or an account's page with the form given.
func (s *Server) userPage(w http.ResponseWriter, r *http.Request, status int, p admin.UserPage) error {
	sites, err := s.siteOptions(r)
	if err != nil {
		return err
	}
	p.Sites = sites
	if p.Langs, err = s.publishedLanguages(r); err != nil {
		return err
	}
	p.Self = p.User.ID != 0 && p.User.ID == currentUser(r).ID
	title, kv := "admin.users.invite", []any{}
	if p.User.ID != 0 {
		title, kv = "admin.users.edit", []any{"Email", p.User.Email}
	}
	s.page(w, r, status, admin.UserFormPage(s.frame(r, title, kv...), p))
	return nil
}

// userParam is the account of the URL's {id}.
func (s *Server) userParam(r *http.Request) (twinning.User, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return twinning.User{}, err
	}
	return s.admin.UserByID(r.Context(), id)
}

// fieldErrors returns the fields of a validation error, or nil for any other error.
func fieldErrors(err error) twinning.FieldErrors {
	var v *twinning.ValidationError
	if errors.As(err, &v) {
		return v.Fields
	}
	return nil
}

// newLink makes a one-time link: the token for the URL, its hash for the store.
func (s *Server) newLink(r *http.Request) (url string, hash []byte, expires time.Time) {
	token, hash := auth.NewToken()
	return s.baseURL(r) + passwordPath + token, hash, time.Now().Add(auth.LinkValidity)
}
