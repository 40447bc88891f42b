package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/clean"
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
	SiteNames(ctx context.Context, ids []int64) ([]twinning.Site, error)
}

// handleUsers lists every account.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.users.Users(r.Context())
	if err != nil {
		return err
	}
	var ids []int64
	for _, u := range users {
		ids = append(ids, u.Sites...)
	}
	sites, err := s.siteOptions(r, ids)
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

// siteOptions are the sites of ids, named in the staff member's language.
func (s *Server) siteOptions(r *http.Request, ids []int64) ([]admin.Option, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	names, _, err := s.admin.SiteList(r.Context(), twinning.SiteQuery{IDs: ids, Lang: locale.From(r.Context()).Lang, Limit: len(ids)})
	return options(names), err
}

func options(names []twinning.SiteName) []admin.Option {
	opts := make([]admin.Option, len(names))
	for i, n := range names {
		opts[i] = admin.Option{Value: strconv.FormatInt(n.ID, 10), Label: siteNameRef(n).Name}
	}
	return opts
}

// siteChoices are the sites the account form offers: those ticked, then a page of the sites
// that the search of the form (site_q, site_page, posted or in the URL) finds.
func (s *Server) siteChoices(r *http.Request, f admin.Form) ([]admin.Option, admin.Pager, error) {
	var ticked []int64
	for k, v := range f.Values {
		if id, ok := strings.CutPrefix(k.Field, "site:"); ok && v != "" {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				ticked = append(ticked, n)
			}
		}
	}
	opts, err := s.siteOptions(r, ticked)
	if err != nil {
		return nil, admin.Pager{}, err
	}
	query := formOrQuery(r, "site_q")
	page, _ := strconv.Atoi(formOrQuery(r, "site_page"))
	if r.Method == http.MethodPost && !r.PostForm.Has("site_page") {
		page = 1 // a new search starts at its first page
	}
	pg := admin.NewPager(query, page, 0)
	found, total, err := s.admin.SiteList(r.Context(), twinning.SiteQuery{Search: query, Lang: locale.From(r.Context()).Lang,
		Offset: pg.Offset(), Limit: admin.PageSize})
	if err != nil {
		return nil, admin.Pager{}, err
	}
	for _, o := range options(found) {
		if !slices.ContainsFunc(opts, func(t admin.Option) bool { return t.Value == o.Value }) {
			opts = append(opts, o)
		}
	}
	return opts, admin.NewPager(query, page, total), nil
}

// formOrQuery is a value of the posted form, else of the URL's query.
func formOrQuery(r *http.Request, name string) string {
	if r.Method == http.MethodPost && r.PostForm.Has(name) {
		return r.PostFormValue(name)
	}
	return clean.Text(r.URL.Query().Get(name))
}

// searchingSites tells a post of the account form that asks for other sites to tick (a
// search, another page of it, or Enter in the search field), not to save.
func searchingSites(r *http.Request) bool {
	return r.PostForm.Has("site_search") || r.PostForm.Has("site_page") ||
		r.PostFormValue("site_q") != r.PostFormValue("site_q_shown")
}

// publishedLanguages are the languages some site publishes: those a translator may be given.
func (s *Server) publishedLanguages(r *http.Request) ([]string, error) {
	published, err := s.admin.PublishedLanguages(r.Context())
	if err != nil {
		return nil, err
	}
	var langs []string
	for _, l := range s.locales.Languages() {
		if slices.Contains(published, l) {
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
	var err error
	if p.Sites, p.Found, err = s.siteChoices(r, p.Form); err != nil {
		return err
	}
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
