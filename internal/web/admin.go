package web

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// AdminStore is what the staff area reads and writes.
type AdminStore interface {
	SiteBySlug(ctx context.Context, slug string) (twinning.Site, error)
	UserByEmail(ctx context.Context, email string) (twinning.User, string, error)
	UserByID(ctx context.Context, id int64) (twinning.User, error)
	BeginAttempt(ctx context.Context, a twinning.Attempt, since time.Time, allow func(twinning.Failures) bool) (int64, error)
	FinishAttempt(ctx context.Context, id int64, a twinning.Attempt, userID *int64, outcome twinning.AttemptOutcome) error
	RecordSignIn(ctx context.Context, email, address string, userID *int64, outcome, detail string) error
	SignInAddresses(ctx context.Context, since time.Time) (attempts int, addresses []string, err error)
	EntryStore
	ExchangeStore
	WorkStore
	AddAttachment(ctx context.Context, siteID, cityID int64, a twinning.Attachment, content []byte, by twinning.Actor) error
	Documents(ctx context.Context, siteID, cityID int64) ([]twinning.Attachment, error)
	PhotoStore
	SaveSiteSettings(ctx context.Context, site twinning.Site, by twinning.Actor) error
	SiteList(ctx context.Context, q twinning.SiteQuery) ([]twinning.SiteName, int, error)
	PublishedLanguages(ctx context.Context) ([]string, error)
	AuditLog(ctx context.Context, siteID *int64, limit int) ([]twinning.AuditEntry, error)
}

// EntryStore is the content engine: the lifecycle of entries of every type.
type EntryStore interface {
	Entries(ctx context.Context, t *twinning.Type, siteID int64, trash bool) ([]twinning.Entry, error)
	Entry(ctx context.Context, t *twinning.Type, siteID, id int64) (twinning.Entry, error)
	CreateEntry(ctx context.Context, siteID int64, e twinning.Entry, publish bool, by twinning.Actor) (int64, error)
	SaveEntry(ctx context.Context, siteID int64, e twinning.Entry, publish bool, action string, by twinning.Actor) (int, error)
	TrashEntry(ctx context.Context, t *twinning.Type, siteID, id int64, del bool, by twinning.Actor) error
	Revisions(ctx context.Context, t *twinning.Type, siteID, id int64) ([]twinning.Revision, error)
}

// Session lifetimes of the staff area.
const (
	sessionIdle     = 2 * time.Hour
	sessionLifetime = 12 * time.Hour
	sessionUserKey  = "user_id"
	sessionEpochKey = "epoch" // the account's SessionEpoch at sign-in
	sessionFlashKey = "flash"
)

type (
	userKey       struct{}
	adminSiteKey  struct{}
	sessionMgrKey struct{}
)

// newSessions returns the session managers of plain HTTP and of TLS (Secure cookies); a
// session that cannot be loaded or saved goes to onError.
func newSessions(store scs.Store, onError func(http.ResponseWriter, *http.Request, error)) (plain, secure *scs.SessionManager) {
	mk := func(secure bool) *scs.SessionManager {
		sm := scs.New()
		sm.ErrorFunc = onError
		sm.Store = store
		sm.IdleTimeout = sessionIdle
		sm.Lifetime = sessionLifetime
		sm.Cookie.Name = "twintowns_session"
		sm.Cookie.HttpOnly = true
		sm.Cookie.SameSite = http.SameSiteLaxMode
		sm.Cookie.Path = "/admin"
		sm.Cookie.Secure = secure
		return sm
	}
	return mk(false), mk(true)
}

// withSession loads the staff session from PostgreSQL and saves it after the handler.
func (s *Server) withSession(next http.Handler) http.Handler {
	plain := s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionMgrKey{}, s.sessions)))
	}))
	secure := s.secureSessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionMgrKey{}, s.secureSessions)))
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w = &sessionWriter{ResponseWriter: w}
		if s.isTLS(r) {
			secure.ServeHTTP(w, r)
		} else {
			plain.ServeHTTP(w, r)
		}
	})
}

// sessionError answers a request whose session could not be loaded or saved (the database
// is down) through the one error path. Saving happens when the handler starts its answer;
// what the handler writes after the error page is dropped.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Del("Location")
	if sw, ok := w.(*sessionWriter); ok && sw.failed {
		return // the error page is already the answer
	}
	staffForm := r.Method == http.MethodPost &&
		(strings.HasPrefix(r.URL.Path, "/admin/sites/") || strings.HasPrefix(r.URL.Path, "/admin/users"))
	if staffForm && r.PostForm == nil && statusOf(err) == http.StatusServiceUnavailable {
		// the session could not be loaded: the route has not read its form yet
		if readForm(w, r, limitStaffForm) == nil && r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
	}
	if staffForm && statusOf(err) == http.StatusServiceUnavailable && len(r.PostForm) > 0 {
		s.unsavedForm(w, r)
	} else {
		s.renderError(w, r, err)
	}
	if sw, ok := w.(*sessionWriter); ok {
		sw.failed = true
	}
}

// sessionWriter is the response of a request with a session: once the session failed, its
// error page is the whole answer.
type sessionWriter struct {
	http.ResponseWriter
	failed bool
}

func (w *sessionWriter) WriteHeader(code int) {
	if !w.failed {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *sessionWriter) Write(b []byte) (int, error) {
	if w.failed {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *sessionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func session(r *http.Request) *scs.SessionManager {
	return r.Context().Value(sessionMgrKey{}).(*scs.SessionManager)
}

// withAdminLang puts the translator of the staff member's language in the context: the
// language chosen with the switcher, else Accept-Language (requireUser then falls back on
// the person's first site rather than the default site).
func (s *Server) withAdminLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tr := s.locales.For(requestLang(r, s.locales.Languages(), s.defaultLang(r.Context())))
		next.ServeHTTP(w, r.WithContext(locale.WithTranslator(r.Context(), tr)))
	})
}

// requireUser lets only signed-in, enabled staff through.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := session(r).GetInt64(r.Context(), sessionUserKey)
		if id == 0 {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		u, err := s.admin.UserByID(r.Context(), id)
		if err != nil && twinning.ErrorCode(err) != twinning.ENOTFOUND {
			s.renderError(w, r, err)
			return
		}
		if err != nil || u.DisabledAt != nil || session(r).GetInt64(r.Context(), sessionEpochKey) != u.SessionEpoch {
			_ = session(r).Destroy(r.Context())
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		// the session's row: gone when the person signed out everywhere
		st, err := s.identity.StaffSession(r.Context(), currentSession(r))
		if err != nil && twinning.ErrorCode(err) != twinning.ENOTFOUND {
			s.renderError(w, r, err)
			return
		}
		if err != nil || st.UserID != u.ID {
			_ = session(r).Destroy(r.Context())
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		ctx := context.WithValue(r.Context(), userKey{}, u)
		// the person's own choice (their profile), else their browser's language among the
		// staff languages, else their first site's default language
		lang := u.Lang()
		if lang == "" || !s.locales.Has(lang) {
			lang = requestLang(r, s.locales.Languages(), s.staffDefaultLang(ctx, u))
		}
		ctx = locale.WithTranslator(ctx, s.locales.For(lang))
		if !enrolPath(r.URL.Path) {
			if must, err := s.needsSecondFactor(ctx, u, st); err != nil {
				s.renderError(w, r, err)
				return
			} else if must {
				flash(r, "admin.profile.second_factor_required")
				http.Redirect(w, r, "/admin/profile#second-factor", http.StatusSeeOther)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// staffDefaultLang is the staff area's language for u when neither their choice nor their
// browser names one of the staff languages: the default language of their first site (by
// name), or for administrators, who work on every site, of the default site.
func (s *Server) staffDefaultLang(ctx context.Context, u twinning.User) string {
	if !u.IsAdmin && len(u.Sites) > 0 {
		if sites, _, err := s.mySites(ctx, u, "", 1); err == nil && len(sites) == 1 && s.locales.Has(sites[0].DefaultLang) {
			return sites[0].DefaultLang
		}
	}
	return s.defaultLang(ctx)
}

// signIn starts a new session for u, begun by method (twinning.MethodPassword...): a new
// token, the account's session epoch, so that changing the password or disabling the
// account ends it, and a row that the person's profile lists.
func (s *Server) signIn(r *http.Request, u twinning.User, method string) error {
	ctx := r.Context()
	if err := session(r).RenewToken(ctx); err != nil {
		return err
	}
	for _, k := range []string{pendingUserKey, pendingEpochKey, pendingAtKey, pendingTriesKey, webauthnKey} {
		session(r).Remove(ctx, k)
	}
	sid := newSessionID()
	if err := s.identity.StartStaffSession(ctx, twinning.StaffSession{ID: sid, UserID: u.ID, Method: method,
		Address: s.clientAddress(r), UserAgent: userAgent(r)}, sessionIdle); err != nil {
		return err
	}
	session(r).Put(ctx, sessionUserKey, u.ID)
	session(r).Put(ctx, sessionEpochKey, u.SessionEpoch)
	session(r).Put(ctx, sessionIDKey, sid)
	return nil
}

// userAgent is the browser of a request, as the list of sessions shows it.
func userAgent(r *http.Request) string {
	ua := strings.ToValidUTF8(r.UserAgent(), "")
	if len(ua) > 300 {
		ua = ua[:300]
	}
	return ua
}

// defaultLang is the default language of the default site: the staff area's language when
// nothing else tells.
func (s *Server) defaultLang(ctx context.Context) string {
	if site, err := s.siteByHost(ctx, ""); err == nil && s.locales.Has(site.DefaultLang) {
		return site.DefaultLang
	}
	return s.locales.Languages()[0]
}

func currentUser(r *http.Request) twinning.User { return r.Context().Value(userKey{}).(twinning.User) }

// requireSite resolves {site} and refuses staff of other sites.
func (s *Server) requireSite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		site, err := s.admin.SiteBySlug(r.Context(), chi.URLParam(r, "site"))
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if !currentUser(r).CanEdit(site.ID) {
			s.renderError(w, r, twinning.Errorf(twinning.EFORBIDDEN, "%s may not edit site %s", currentUser(r).Email, site.Slug))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), adminSiteKey{}, site)))
	})
}

func adminSite(r *http.Request) twinning.Site {
	return r.Context().Value(adminSiteKey{}).(twinning.Site)
}

// requireAdmin lets only administrators through.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !currentUser(r).IsAdmin {
			s.renderError(w, r, twinning.Errorf(twinning.EFORBIDDEN, "%s is not an administrator", currentUser(r).Email))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// frame is the admin page frame of the request: the person, their sites, the staff menu with
// the current page marked and, on a site's pages, the breadcrumb's first steps.
func (s *Server) frame(r *http.Request, titleID string, kv ...any) admin.Frame {
	tr := locale.From(r.Context())
	f := admin.Frame{Lang: tr.Lang, Languages: s.locales.Languages(), Title: tr.T(titleID, kv...), Stylesheet: s.assets.url("css/site.css"),
		Path: r.URL.RequestURI()}
	site, inSite := r.Context().Value(adminSiteKey{}).(twinning.Site)
	if inSite {
		ref := siteRef(site, tr.Lang)
		f.Site = &ref
	}
	if u, ok := r.Context().Value(userKey{}).(twinning.User); ok {
		f.User = &u
		var mine []twinning.Site
		if !inSite && !u.IsAdmin && len(u.Sites) == 1 {
			mine, _, _ = s.mySites(r.Context(), u, tr.Lang, 1)
		}
		f.Flash = session(r).PopString(r.Context(), sessionFlashKey)
		if !inSite && len(mine) == 1 {
			site, inSite = mine[0], true // the one site of the person: its menu everywhere
		}
		var menuSite *twinning.Site
		if inSite {
			menuSite = &site
		}
		f.Home, f.Nav = staffNav(u, menuSite, r.URL.Path)
		if r.URL.Path != "/admin/" {
			f.Crumbs = []admin.Crumb{{Href: "/admin/", Label: tr.T("admin.home.title")}}
		}
		if f.Site != nil && r.URL.Path != f.Site.URL {
			f.Crumbs = append(f.Crumbs, admin.Crumb{Href: f.Site.URL, Label: f.Site.Name})
		}
	}
	return f
}

func siteRef(site twinning.Site, lang string) admin.SiteRef {
	t, _ := site.Text(lang)
	return siteNameRef(twinning.SiteName{ID: site.ID, Slug: site.Slug, Name: t.Name})
}

// siteNameRef is the link to a site's staff pages, named in a list of sites.
func siteNameRef(n twinning.SiteName) admin.SiteRef {
	name := n.Name
	if name == "" {
		name = n.Slug
	}
	return admin.SiteRef{Slug: n.Slug, Name: name, Host: n.Host, URL: adminURLs{n.Slug}.home()}
}

// flash leaves a one-time notice for the next page.
func flash(r *http.Request, messageID string) {
	session(r).Put(r.Context(), sessionFlashKey, messageID)
}

// actor is who makes the request's changes.
func (s *Server) actor(r *http.Request) twinning.Actor {
	u := currentUser(r)
	return twinning.Actor{UserID: u.ID, Email: u.Email, Address: s.clientAddress(r)}
}

// clientAddress is the client's IP address: the peer's, or behind a trusted proxy the last
// address the proxy added to X-Forwarded-For.
func (s *Server) clientAddress(r *http.Request) string {
	if s.opts.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// page writes an admin page with a status, rendered fully before the first byte.
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", locale.From(r.Context()).Lang)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func idParam(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, twinning.Errorf(twinning.ENOTFOUND, "bad id %q", chi.URLParam(r, name))
	}
	return id, nil
}
