package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/prometheus/client_golang/prometheus"

	"twintowns/internal/demo"
	"twintowns/internal/locale"
	"twintowns/internal/oidc"
	"twintowns/internal/photo"
	"twintowns/internal/postgres"
	"twintowns/internal/web"
)

const usage = `usage: twintowns <command> [flags]

commands:
  serve [-addr :8080]   serve the sites
  migrate               apply the database migrations
  seed                  load or refresh the demo content (idempotent)
  user add -email E (-site SLUG | -admin)   add a staff account; the password is read from stdin
  user list                                 list the accounts
  user disable -email E                     stop an account from signing in
  user password -email E                    set a new password, read from stdin

environment:
  DATABASE_URL   PostgreSQL connection URL (required)
  LOG_LEVEL      debug, info, warn or error (default info)
  TRUST_PROXY    "true" to trust X-Forwarded-Proto from a TLS-terminating proxy
  METRICS_ADDR   address of /metrics in Prometheus' format, e.g. 127.0.0.1:9100 (off if empty)
  PAGE_CACHE_MB  memory for rendered pages, compressed copies included (default 32)
  CACHE_S_MAXAGE seconds a shared cache (CDN, proxy) may keep a public page (default 60)
  CACHE_STALE_WHILE_REVALIDATE  seconds it may serve it stale while refreshing (default 300)
  HSTS_DAYS      days browsers keep to HTTPS once they reached the site over it (default 365, 0: off)
  PASSWORD_HASHES  password hashes at once, 19 MiB each (default: what 64 MiB and all CPUs but one allow)
  OIDC_PROVIDERS_FILE  TOML file of the OpenID providers staff sign in with ([[provider]] tables)
  OIDC_PROVIDERS   ids of providers given by OIDC_<ID>_NAME, _ISSUER, _CLIENT_ID, _CLIENT_SECRET(_FILE)
  PASSWORD_SIGN_IN "false" turns local passwords off: staff sign in through the providers only
`

// run is the whole program; main only gives it the process's context, arguments,
// environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	log := newLogger(getenv("LOG_LEVEL"), stderr)
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, log, stderr)
	case "migrate":
		return withDB(ctx, getenv, func(db *postgres.DB) error {
			applied, err := db.Migrate(ctx)
			for _, name := range applied {
				log.Info("migration applied", "name", name)
			}
			return err
		})
	case "seed":
		return withDB(ctx, getenv, func(db *postgres.DB) error { return seed(ctx, db, log) })
	case "user":
		return withDB(ctx, getenv, func(db *postgres.DB) error { return userCommand(ctx, db, rest, stdin, stdout, stderr) })
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func withDB(ctx context.Context, getenv func(string) string, f func(*postgres.DB) error) error {
	url := getenv("DATABASE_URL")
	if url == "" {
		return errors.New("DATABASE_URL is not set")
	}
	db, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	return f(db)
}

func seed(ctx context.Context, db *postgres.DB, log *slog.Logger) error {
	sites, err := demo.Seed(ctx, db)
	for _, c := range sites {
		log.Info("demo site loaded", "site", c.Site.Slug, "cities", len(c.Cities))
	}
	return err
}

// serverOptions reads the web server's settings from the environment.
func serverOptions(getenv func(string) string) (web.Options, error) {
	opts := web.Options{TrustProxy: strings.EqualFold(getenv("TRUST_PROXY"), "true")}
	for _, v := range []struct {
		name     string
		def, min int
		unit     string
		set      func(n int)
	}{
		{"PAGE_CACHE_MB", 32, 1, "mebibytes", func(n int) { opts.CacheBytes = int64(n) << 20 }},
		{"CACHE_S_MAXAGE", 60, 0, "seconds", func(n int) { opts.SharedMaxAge = time.Duration(n) * time.Second }},
		{"CACHE_STALE_WHILE_REVALIDATE", 300, 0, "seconds", func(n int) { opts.StaleWhileRevalidate = time.Duration(n) * time.Second }},
		{"PASSWORD_HASHES", 0, 0, "hashes", func(n int) { opts.PasswordHashes = n }},
		{"HSTS_DAYS", 365, 0, "days", func(n int) { opts.HSTSMaxAge = time.Duration(n) * 24 * time.Hour }},
	} {
		n := v.def
		if s := getenv(v.name); s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil || n < v.min || n > 1<<20 {
				return opts, fmt.Errorf("%s=%q: want a whole number of %s from %d", v.name, s, v.unit, v.min)
			}
		}
		v.set(n)
	}
	cfgs, err := oidc.Load(getenv)
	if err != nil {
		return opts, err
	}
	if len(cfgs) > 0 {
		providers, err := oidc.New(cfgs)
		if err != nil {
			return opts, fmt.Errorf("OpenID providers: %w", err)
		}
		opts.Providers = providers
	}
	switch v := strings.ToLower(getenv("PASSWORD_SIGN_IN")); v {
	case "", "true", "on":
	case "false", "off":
		if len(cfgs) == 0 {
			return opts, errors.New("PASSWORD_SIGN_IN=false needs an OpenID provider, or nobody could sign in")
		}
		opts.NoPasswords = true
	default:
		return opts, fmt.Errorf("PASSWORD_SIGN_IN=%q: want true or false", v)
	}
	if p := getenv("PHOTO_WORKER"); p != "" {
		opts.PhotoWorker = func(ctx context.Context) *exec.Cmd { return photo.Worker(ctx, p) }
	}
	return opts, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, log *slog.Logger, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, getenv, func(db *postgres.DB) error {
		bundle, err := locale.Load()
		if err != nil {
			return err
		}
		opts, err := serverOptions(getenv)
		if err != nil {
			return err
		}
		opts.Sessions = pgxstore.New(db.Pool)
		opts.ContentChanges = db
		opts.Collectors = []prometheus.Collector{poolCollector{db.Pool}}
		srv, err := web.NewServer(log, db, bundle, opts)
		if err != nil {
			return err
		}
		// Memory, unless GOGC or GOMEMLIMIT say otherwise: the heap may grow by half its live
		// size between collections (under a mixed load with edits this keeps RSS about 8 MiB
		// lower at the same throughput), within a soft limit of the page cache plus room for
		// the rest. The memory of start-up (the dummy password hash of package auth alone
		// takes 19 MiB) goes back to the system at once, not minutes later.
		if getenv("GOGC") == "" {
			debug.SetGCPercent(50)
		}
		if getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(opts.CacheBytes + 24<<20)
		}
		debug.FreeOSMemory()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go srv.Run(ctx)
		if addr := getenv("METRICS_ADDR"); addr != "" {
			ml, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("METRICS_ADDR: %w", err)
			}
			ms := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
			go ms.Serve(ml)
			defer ms.Close()
			log.Info("serving metrics", "addr", ml.Addr().String())
		}

		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return err
		}
		hs := &http.Server{
			Handler:           srv,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
			// Requests in flight keep their context through a graceful shutdown.
			BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		}
		errc := make(chan error, 1)
		go func() { errc <- hs.Serve(ln) }()
		log.Info("serving", "addr", ln.Addr().String())
		select {
		case err := <-errc:
			return err
		case <-ctx.Done():
		}
		log.Info("shutting down: finishing requests in flight")
		shutdownCtx, done := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
		defer done()
		if err := hs.Shutdown(shutdownCtx); err != nil {
			return err
		}
		log.Info("stopped")
		return nil
	})
}
