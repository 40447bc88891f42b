package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"twintowns/internal/auth"
	"twintowns/internal/demo"
	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
	"twintowns/internal/web"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// nginxBin finds Debian's nginx (make test installs it).
func nginxBin(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("NGINX"), "nginx", "/usr/sbin/nginx"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("nginx not found: `make test` installs it (apt-get install nginx), or set NGINX")
	return ""
}

// instance is a twintowns server of its own (its own pool, listener and caches) on one
// database, on an address that survives its crash.
type instance struct {
	addr string
	db   *postgres.DB
	srv  *web.Server
	mu   sync.Mutex
	hs   *http.Server
}

func (in *instance) start(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", in.addr)
	for i := 0; err != nil && i < 50; i++ { // the port of a crashed instance may linger a moment
		time.Sleep(20 * time.Millisecond)
		l, err = net.Listen("tcp", in.addr)
	}
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: in.srv, ReadHeaderTimeout: 5 * time.Second}
	in.mu.Lock()
	in.hs = hs
	in.mu.Unlock()
	go hs.Serve(l)
}

// crash drops the listener and every connection at once, as a killed process does.
func (in *instance) crash() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.hs.Close()
}

func newInstance(t *testing.T, ctx context.Context, url string) *instance {
	t.Helper()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	bundle, _ := locale.Load()
	srv, err := web.NewServer(slog.New(slog.DiscardHandler), db, bundle, web.Options{TrustProxy: true,
		Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0), ContentChanges: db, SharedMaxAge: 2 * time.Second,
		StaleWhileRevalidate: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Run(ctx)
	for deadline := time.Now().Add(5 * time.Second); !db.ListenerConnected(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("listener did not connect")
		}
	}
	in := &instance{addr: freeAddr(), db: db, srv: srv}
	in.start(t)
	return in
}

// Two instances on one database behind nginx, as README's "Several instances" configures it:
// each instance crashes under load and comes back, and no client sees a failure; an edit
// made through one instance is served by the other at once and through the cache within
// s-maxage.
func TestTwoInstancesBehindNginx(t *testing.T) {
	nginx := nginxBin(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := pgtest.SeededDB(t)
	url := db.Pool.Config().ConnString()
	a, b := newInstance(t, ctx, url), newInstance(t, ctx, url)

	dir := t.TempDir()
	for _, d := range []string{"tmp", "cache"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	listen := freeAddr()
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(proxyNginxConfig(dir, proxySettings{listen: listen, cacheDir: filepath.Join(dir, "cache"),
		instances: []string{a.addr, b.addr}})), 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		os.Chmod(dir, 0o755) // nginx's workers run as root too, but keep the folder open
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopProcess(cmd) })
	proxy := "http://" + listen
	get := func(base, host, path string) (int, string, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		req.Host = host
		req.Header.Set("Accept-Encoding", "identity")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return res.StatusCode, string(body), err
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if code, _, _ := get(proxy, "seinajoki.localhost", "/healthz"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("nginx does not answer")
		}
	}

	// Load through nginx: cached pages, and pages that always go to an instance (the cache
	// keys on the query; the instances ignore it).
	paths := []string{"/fi/", "/sv/cities/koszalin", "/pl/cities/sopron", "/fi/accessibility", "/sitemap.xml"}
	var requests, failed atomic.Int64
	var firstErr atomic.Value
	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			tr := &http.Transport{MaxIdleConnsPerHost: 1}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			for n := 0; loadCtx.Err() == nil; n++ {
				path := paths[n%len(paths)]
				if n%2 == 0 {
					path += fmt.Sprintf("?n=%d-%d", i, n)
				}
				req, _ := http.NewRequestWithContext(loadCtx, http.MethodGet, proxy+path, nil)
				req.Host = "seinajoki.localhost"
				res, err := client.Do(req)
				if err != nil {
					if loadCtx.Err() == nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				requests.Add(1)
				if res.StatusCode != 200 {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%s: %d", path, res.StatusCode))
				}
			}
		})
	}
	// Each instance crashes and comes back; the other is marked failed for 2 s after its own
	// crash (fail_timeout), so they take turns.
	for _, step := range []func(){
		func() { time.Sleep(500 * time.Millisecond); a.crash() },
		func() { time.Sleep(500 * time.Millisecond); a.start(t) },
		func() { time.Sleep(2500 * time.Millisecond); b.crash() },
		func() { time.Sleep(500 * time.Millisecond); b.start(t) },
		func() { time.Sleep(1500 * time.Millisecond) },
	} {
		step()
	}
	stopLoad()
	wg.Wait()
	t.Logf("%d responses through nginx while each instance crashed and came back", requests.Load())
	if failed.Load() > 0 || requests.Load() < 100 {
		t.Errorf("%d failed of %d requests (first: %v)", failed.Load(), requests.Load(), firstErr.Load())
	}

	// An edit through instance A: A serves it at once, B within a second (NOTIFY), nginx once
	// its copy is older than s-maxage (2 s here).
	if code, body, _ := get(proxy, "seinajoki.localhost", "/sv/"); code != 200 || strings.Contains(body, "CC0") {
		t.Fatalf("through nginx before the edit: %d", code)
	}
	site, err := db.SiteBySlug(ctx, "seinajoki")
	if err != nil {
		t.Fatal(err)
	}
	site.Licence = "CC0-1.0"
	edited := time.Now()
	if err := a.db.SaveSiteSettings(ctx, site, twinning.Actor{Email: "t@example.org"}); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := get("http://"+a.addr, "seinajoki.localhost", "/sv/"); !strings.Contains(body, "CC0") {
		t.Error("instance A does not serve its own edit at once")
	}
	waitFor := func(what, base string, within time.Duration) {
		t.Helper()
		for {
			_, body, err := get(base, "seinajoki.localhost", "/sv/")
			if err == nil && strings.Contains(body, "CC0") {
				t.Logf("%s serves the edit after %s", what, time.Since(edited).Round(time.Millisecond))
				return
			}
			if time.Since(edited) > within {
				t.Errorf("%s does not serve the edit %s after it", what, within)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("instance B", "http://"+b.addr, time.Second)
	waitFor("nginx", proxy, 2*time.Second+time.Second)
}

// The bench's edit through one instance's staff form changes what the city's page shows, and
// the other instance serves it.
func TestEditThroughInstance(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CopySites(ctx, demo.Sites, 1); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(benchStaffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, twinning.User{Email: benchStaffEmail, Role: twinning.RoleAdministrator}, hash, twinning.Actor{Address: "test"}); err != nil {
		t.Fatal(err)
	}
	a, b := newInstance(t, ctx, url), newInstance(t, ctx, url)
	// b stands for the proxy too: a second wait on the same server
	if _, _, err := editThroughInstance(ctx, db, "http://"+a.addr, "http://"+b.addr, "http://"+b.addr, time.Second); err != nil {
		t.Error(err)
	}
}

// README's "Several instances" shows the configuration the bench and the test run.
func TestReadmeShowsProxyConfig(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	conf := proxyConfig(proxySettings{listen: "80", cacheDir: "/var/cache/nginx/twintowns",
		instances: []string{"10.0.0.5:8080", "10.0.0.6:8080"}})
	if !strings.Contains(string(readme), "```nginx\n"+conf+"```") {
		t.Errorf("README lacks the nginx configuration of cmd/bench/proxy.go:\n%s", conf)
	}
}
