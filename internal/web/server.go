// Package web is the HTTP face of the product: routes, middleware, the page cache and one
// small handler per page.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/alexedwards/scs/v2"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

// Store is what the site reads from and writes to the database.
type Store interface {
	Sites(ctx context.Context) ([]twinning.Site, error)
	Content(ctx context.Context, site twinning.Site) (twinning.Content, error)
	Attachment(ctx context.Context, siteID int64, citySlug, slug string) (twinning.Attachment, []byte, error)
	Ping(ctx context.Context) error
	AdminStore
	FeedbackStore
	UserStore
	ChangeStore
}

// Options are the settings of the HTTP server that come from the environment.
type Options struct {
	// TrustProxy makes the server believe X-Forwarded-Proto, for canonical URLs and Secure
	// cookies behind a TLS-terminating proxy.
	TrustProxy bool
	// Sessions stores the staff's sessions (pgxstore in production: every instance sees them).
	Sessions scs.Store
}

// Server serves every site of the database. Pages are rendered once and served from memory
// until Invalidate is called (on every content change, see postgres.ListenContentChanges).
type Server struct {
	store    Store
	admin    AdminStore
	feedback FeedbackStore
	users    UserStore
	locales  *locale.Bundle
	log      *slog.Logger
	opts     Options
	assets   *assets
	cache    *cache
	handler  http.Handler

	sessions, secureSessions *scs.SessionManager
	throttle                 auth.Throttle
}

// NewServer returns the HTTP handler of the public site.
func NewServer(log *slog.Logger, store Store, locales *locale.Bundle, opts Options) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	if opts.Sessions == nil {
		return nil, errors.New("web: no session store")
	}
	s := &Server{store: store, admin: store, feedback: store, users: store, locales: locales, log: log, opts: opts, assets: a,
		cache: newCache(), throttle: auth.DefaultThrottle}
	s.sessions, s.secureSessions = newSessions(opts.Sessions)
	s.handler = s.routes()
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Invalidate drops every cached site, content and page.
func (s *Server) Invalidate() { s.cache.clear() }
