// Package web is the HTTP face of the product: routes, middleware, the page cache and one
// small handler per page.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os/exec"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/photo"
	"twintowns/internal/twinning"
)

// Store is what the site reads from and writes to the database.
type Store interface {
	// SiteHeaders and SiteHeader read sites without their texts; Content reads a site's
	// texts with the rest of what it shows.
	SiteHeaders(ctx context.Context) ([]twinning.Site, error)
	SiteHeader(ctx context.Context, id int64) (twinning.Site, error)
	Content(ctx context.Context, site twinning.Site) (twinning.Content, error)
	Attachment(ctx context.Context, siteID int64, citySlug, slug string) (twinning.Attachment, []byte, error)
	Ping(ctx context.Context) error
	AdminStore
	FeedbackStore
	UserStore
	ChangeStore
	ShareStore
	IdentityStore
	PageStore
}

// PageStore keeps rendered pages for every instance (see Options.Build).
type PageStore interface {
	RenderedPage(ctx context.Context, siteID, version int64, build string, tls bool, port int, path string) (twinning.RenderedPage, error)
	SaveRenderedPages(ctx context.Context, pages []twinning.RenderedPage) error
}

// ContentChanges tells the server when a site's content changed: after the writes of this instance
// (OnContentChange) and of any instance (ListenContentChanges). siteID 0 means every site.
type ContentChanges interface {
	OnContentChange(f func(siteID int64))
	ListenContentChanges(ctx context.Context, log *slog.Logger, changed func(siteID int64))
	ListenerConnected() bool
}

// Options are the settings of the HTTP server that come from the environment.
type Options struct {
	// TrustProxy makes the server believe X-Forwarded-Proto, for canonical URLs and Secure
	// cookies behind a TLS-terminating proxy.
	TrustProxy bool
	// Sessions stores the staff's sessions (pgxstore in production: every instance sees them).
	Sessions scs.Store
	// ContentChanges invalidates the page cache; nil leaves it to calls of Invalidate.
	ContentChanges ContentChanges
	// CacheBytes bounds the page cache, compressed variants included (DefaultCacheBytes if 0).
	CacheBytes int64
	// SharedMaxAge and StaleWhileRevalidate say how long a shared cache (a CDN, a proxy) may
	// keep public pages, and serve them stale while it fetches them again.
	SharedMaxAge, StaleWhileRevalidate time.Duration
	// Collectors are extra metrics for /metrics (the database pool's, from cmd).
	Collectors []prometheus.Collector
	// RequestLog says which requests are logged (the zero value: all).
	RequestLog RequestLog
	// HSTSMaxAge is how long browsers that reached the site over TLS should use nothing
	// else (Strict-Transport-Security); 0 sends no such header.
	HSTSMaxAge time.Duration
	// PasswordHashes is how many password hashes may run at once; 0 means what 64 MiB and
	// the CPUs but one allow (auth.HashesFor).
	PasswordHashes int
	// Providers are the OpenID providers staff may sign in with; nil for none.
	Providers Providers
	// NoPasswords turns local passwords off: staff sign in through Providers only.
	NoPasswords bool
	// PhotoWorker starts the process that makes a photo's variants (cmd/twintowns-photo);
	// photo.InstalledWorker when nil.
	PhotoWorker func(ctx context.Context) *exec.Cmd
	// Build names the program (its version): public pages it renders are stored in the
	// database for every instance of the same build (PageStore), and pages not in memory are
	// read from there before they are rendered. Empty: pages are not stored.
	Build string
}

// Server serves every site of the database. Pages are rendered once and served from memory
// until the content of their site changes (see ContentChanges).
type Server struct {
	store    Store
	admin    AdminStore
	feedback FeedbackStore
	users    UserStore
	shares   ShareStore
	identity IdentityStore
	locales  *locale.Bundle
	log      *slog.Logger
	opts     Options
	assets   *assets
	cache    *cache
	index    siteIndex
	handler  http.Handler
	metrics  *metrics

	photos     *photo.Processor
	photoCache *photoCache

	fills       singleflight.Group
	rendering   chan struct{} // a slot per page rendering at once, see render
	publicCache []string

	sessions, secureSessions *scs.SessionManager
	throttle                 auth.Throttle
	sharesDrawn              atomic.Uint64              // share images drawn (not found stored)
	toStore                  chan twinning.RenderedPage // pages rendered, for savePages
	hashes                   *auth.Hashes
	proxy                    proxyWatch
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
	if opts.PhotoWorker == nil {
		opts.PhotoWorker = photo.InstalledWorker
	}
	if opts.SharedMaxAge < 0 || opts.StaleWhileRevalidate < 0 {
		return nil, errors.New("web: negative cache lifetime")
	}
	s := &Server{store: store, admin: store, feedback: store, users: store, shares: store, identity: store, locales: locales, log: log, opts: opts, assets: a,
		cache: newCache(opts.CacheBytes), throttle: auth.DefaultThrottle,
		photos: photo.NewProcessor(photoWorkers, opts.PhotoWorker), photoCache: newPhotoCache(photoCacheBytes),
		rendering: make(chan struct{}, runtime.GOMAXPROCS(0)), toStore: make(chan twinning.RenderedPage, storeQueue),
		publicCache: []string{fmt.Sprintf("public, max-age=0, s-maxage=%d, stale-while-revalidate=%d",
			int(opts.SharedMaxAge.Seconds()), int(opts.StaleWhileRevalidate.Seconds()))},
	}
	if opts.PasswordHashes <= 0 {
		opts.PasswordHashes = auth.HashesFor(64<<20, runtime.GOMAXPROCS(0))
	}
	s.hashes = auth.NewHashes(opts.PasswordHashes, hashWait)
	s.sessions, s.secureSessions = newSessions(opts.Sessions, s.sessionError)
	s.metrics = newMetrics(s)
	s.handler = s.routes()
	if opts.ContentChanges != nil {
		opts.ContentChanges.OnContentChange(s.InvalidateSite)
	}
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes is the route table of routes.go, for what walks every page (chi.Walk): the browser
// test of every staff page.
func (s *Server) Routes() chi.Routes { return s.handler.(chi.Routes) }

// Run listens for content changes of every instance until ctx ends, dropping the pages of
// the sites that changed (without Options.ContentChanges it only waits), and forgets the
// addresses in feedback older than its site's retention period.
func (s *Server) Run(ctx context.Context) {
	s.checkProxyAtStart(ctx)
	go s.forgetFeedbackAddresses(ctx)
	go s.savePages(ctx)
	if s.opts.ContentChanges == nil {
		<-ctx.Done()
		return
	}
	s.opts.ContentChanges.ListenContentChanges(ctx, s.log, s.InvalidateSite)
}

// Invalidate drops every cached site, content and page.
func (s *Server) Invalidate() { s.InvalidateSite(0) }

// InvalidateSite drops the cached content, pages and photos of one site (0: every site), and
// reads its header again before the next request.
func (s *Server) InvalidateSite(siteID int64) {
	s.index.invalidate(siteID)
	s.cache.invalidate(siteID)
	s.photoCache.invalidate(siteID)
}
