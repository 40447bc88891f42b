package main

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/prometheus/client_golang/prometheus"

	"twintowns/internal/demo"
	"twintowns/internal/geo"
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
  seed [-copies N]      load or refresh the demo content (idempotent); -copies N also makes
                        sites m0001 … mNNNN (host mNNNN.localhost), copies of the demo sites
  user add -email E (-site SLUG | -admin)   add a staff account; the password is read from stdin
  user list                                 list the accounts
  user disable -email E                     stop an account from signing in
  user password -email E                    set a new password, read from stdin

environment:
  DATABASE_URL   PostgreSQL connection URL (required)
  LOG_LEVEL      debug, info, warn or error (default info)
  TRUST_PROXY    "true" to trust X-Forwarded-Proto from a TLS-terminating proxy
  METRICS_ADDR   address of /metrics in Prometheus' format, e.g. 127.0.0.1:9100 (off if empty)
  MEMORY_LIMIT_MB  memory the process may use (default: the cgroup's limit, else 256); the
                 cache gets a third of it and Go's memory limit the budget less 32 MiB
  PAGE_CACHE_MB  memory for rendered pages and sites' content (default a third of the budget)
  LOG_REQUESTS   all, errors or none: which requests are logged (default all)
  LOG_REQUESTS_SAMPLE  fraction of the requests without error that are logged (default 1)
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
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		fs.SetOutput(stderr)
		copies := fs.Int("copies", 0, "also make this many copies of the demo sites (m0001.localhost …), for scale tests")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if *copies < 0 || *copies > postgres.MaxCopies {
			return fmt.Errorf("-copies: want 0 to %d", postgres.MaxCopies)
		}
		return withDB(ctx, getenv, func(db *postgres.DB) error { return seed(ctx, db, log, *copies) })
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

func seed(ctx context.Context, db *postgres.DB, log *slog.Logger, copies int) error {
	sites, err := demo.Seed(ctx, db)
	for _, c := range sites {
		log.Info("demo site loaded", "site", c.Site.Slug, "cities", len(c.Cities))
	}
	if err != nil || copies == 0 {
		return err
	}
	start := time.Now()
	made, err := db.CopySites(ctx, demo.Sites, copies)
	if err == nil {
		log.Info("copies of the demo sites made", "sites", made, "copies", copies, "took", time.Since(start).String())
	}
	return err
}

// serverOptions reads the web server's settings from the environment, and the plan of its
// memory (readFile reads the cgroup's limit).
func serverOptions(getenv func(string) string, readFile func(string) ([]byte, error)) (web.Options, memoryPlan, error) {
	opts := web.Options{TrustProxy: strings.EqualFold(getenv("TRUST_PROXY"), "true")}
	mem, err := planMemory(getenv, readFile)
	if err != nil {
		return opts, mem, err
	}
	opts.CacheBytes = mem.cache
	for _, v := range []struct {
		name     string
		def, min int
		unit     string
		set      func(n int)
	}{
		{"CACHE_S_MAXAGE", 60, 0, "seconds", func(n int) { opts.SharedMaxAge = time.Duration(n) * time.Second }},
		{"CACHE_STALE_WHILE_REVALIDATE", 300, 0, "seconds", func(n int) { opts.StaleWhileRevalidate = time.Duration(n) * time.Second }},
		{"PASSWORD_HASHES", 0, 0, "hashes", func(n int) { opts.PasswordHashes = n }},
		{"HSTS_DAYS", 365, 0, "days", func(n int) { opts.HSTSMaxAge = time.Duration(n) * 24 * time.Hour }},
	} {
		n := v.def
		if s := getenv(v.name); s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil || n < v.min || n > 1<<20 {
				return opts, mem, fmt.Errorf("%s=%q: want a whole number of %s from %d", v.name, s, v.unit, v.min)
			}
		}
		v.set(n)
	}
	if opts.RequestLog, err = web.ParseRequestLog(getenv("LOG_REQUESTS"), getenv("LOG_REQUESTS_SAMPLE")); err != nil {
		return opts, mem, err
	}
	cfgs, err := oidc.Load(getenv)
	if err != nil {
		return opts, mem, err
	}
	if len(cfgs) > 0 {
		providers, err := oidc.New(cfgs)
		if err != nil {
			return opts, mem, fmt.Errorf("OpenID providers: %w", err)
		}
		opts.Providers = providers
	}
	switch v := strings.ToLower(getenv("PASSWORD_SIGN_IN")); v {
	case "", "true", "on":
	case "false", "off":
		if len(cfgs) == 0 {
			return opts, mem, errors.New("PASSWORD_SIGN_IN=false needs an OpenID provider, or nobody could sign in")
		}
		opts.NoPasswords = true
	default:
		return opts, mem, fmt.Errorf("PASSWORD_SIGN_IN=%q: want true or false", v)
	}
	if p := getenv("PHOTO_WORKER"); p != "" {
		opts.PhotoWorker = func(ctx context.Context) *exec.Cmd { return photo.Worker(ctx, p) }
	}
	return opts, mem, nil
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
		opts, mem, err := serverOptions(getenv, os.ReadFile)
		if err != nil {
			return err
		}
		geo.SetPathCacheBytes(mem.budget / 64)
		opts.Sessions = pgxstore.New(db.Pool)
		opts.ContentChanges = db
		opts.Collectors = []prometheus.Collector{poolCollector{db.Pool}}
		if opts.Build, err = buildID(); err != nil {
			return err
		}
		srv, err := web.NewServer(log, db, bundle, opts)
		if err != nil {
			return err
		}
		go func() {
			// after an upgrade, what the old program rendered (its instances had an hour to go)
			if err := db.ForgetOtherBuilds(ctx, opts.Build, time.Hour); err != nil {
				log.Warn("pages of other builds not deleted", "err", err)
			}
		}()
		// Memory, unless GOGC or GOMEMLIMIT say otherwise (see memory.go). The memory of
		// start-up goes back to the system at once, not minutes later.
		watch := setMemory(getenv, mem)
		debug.FreeOSMemory()
		log.Info("memory", "budget_mib", mem.budget>>20, "from", mem.source, "cache_mib", mem.cache>>20, "go_limit_mib", mem.goLimit>>20)
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		if watch {
			go watchMemory(ctx, log, mem.goLimit, time.Second)
		}
		go srv.Run(ctx)
		if addr := getenv("METRICS_ADDR"); addr != "" {
			ml, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("METRICS_ADDR: %w", err)
			}
			// The private address also profiles the running server (go tool pprof).
			mux := http.NewServeMux()
			mux.Handle("/", srv.MetricsHandler())
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
			ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
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

// buildID names this program for the pages it stores for every instance (web.Options.Build):
// a hash of the Go build ID its executable carries (a hash of its code, templates and messages,
// all built in), else of the whole executable.
func buildID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("build id: %w", err)
	}
	h := sha256.New()
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if note := f.Section(".note.go.buildid"); note != nil {
			if _, err := io.Copy(h, note.Open()); err == nil {
				return hex.EncodeToString(h.Sum(nil)[:12]), nil
			}
			h.Reset()
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("build id: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("build id: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}
