package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"twintowns/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// syncBuffer is a log sink the server writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestCommands(t *testing.T) {
	url := pgtest.NewDatabase(t)
	metricsAddr := freeAddr(t)
	getenv := func(k string) string {
		switch k {
		case "DATABASE_URL":
			return url
		case "METRICS_ADDR":
			return metricsAddr
		}
		return ""
	}
	ctx := context.Background()
	var out bytes.Buffer
	for _, args := range [][]string{{"migrate"}, {"migrate"}, {"seed"}, {"seed"}} {
		if err := run(ctx, args, getenv, strings.NewReader(""), &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
	}
	if err := run(ctx, []string{"nope"}, getenv, nil, &out, &out); err == nil {
		t.Error("unknown command accepted")
	}
	if err := run(ctx, []string{"seed"}, func(string) string { return "" }, nil, &out, &out); err == nil {
		t.Error("seed without DATABASE_URL accepted")
	}

	// serve: healthy, pages, structured logs, graceful stop with a request in flight
	addr := freeAddr(t)
	serveCtx, stop := context.WithCancel(ctx)
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(serveCtx, []string{"serve", "-addr", addr}, getenv, nil, io.Discard, logs) }()
	base := "http://" + addr
	waitHealthy(t, base+"/healthz")

	res, err := http.Get(base + "/fi/cities/koszalin")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "Koszalin") {
		t.Fatalf("city page: %d", res.StatusCode)
	}
	// the line is written once the response is out: wait for it a little
	for deadline := time.Now().Add(2 * time.Second); !strings.Contains(logs.String(), `"path":"/fi/cities/koszalin"`) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), `"msg":"request"`) || !strings.Contains(logs.String(), `"path":"/fi/cities/koszalin"`) {
		t.Errorf("no structured request log:\n%s", logs.String())
	}
	// /metrics on METRICS_ADDR only, with the pool's and the listener's figures
	for _, want := range []string{`twintowns_db_pool_total_conns `, `twintowns_content_listener_up 1`,
		`twintowns_http_request_duration_seconds_count{route="/{lang:[a-z]{2}}/cities/{slug}",status="200"} 1`} {
		if m := scrape(t, "http://"+metricsAddr+"/metrics"); !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if res, err := http.Get(base + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public address: %v %v", res, err)
	}

	// A request in flight when the server is told to stop: the database holds it (a lock
	// on cities) until after the stop signal; it must still be answered in full.
	lockConn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer lockConn.Close(ctx)
	tx, err := lockConn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE cities IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	type result struct {
		status int
		body   string
		err    error
	}
	inFlight := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, base+"/pl/", nil)
		req.Host = "siedlce.localhost"
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			inFlight <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		inFlight <- result{status: res.StatusCode, body: string(b)}
	}()
	time.Sleep(200 * time.Millisecond)
	stop()
	time.Sleep(200 * time.Millisecond)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-inFlight
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, "Pescantina") {
		t.Errorf("request in flight was not finished: %d %v", r.status, r.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// scrape reads url's body, waiting up to 5 s for the listener to be up.
func scrape(t *testing.T, url string) string {
	t.Helper()
	var body string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if body = string(b); strings.Contains(body, "twintowns_content_listener_up 1") {
			break
		}
	}
	return body
}

func TestServerOptions(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	opts, err := serverOptions(env())
	if err != nil || opts.CacheBytes != 32<<20 || opts.SharedMaxAge != time.Minute || opts.StaleWhileRevalidate != 5*time.Minute ||
		opts.HSTSMaxAge != 365*24*time.Hour || opts.PasswordHashes != 0 {
		t.Errorf("defaults: %+v %v", opts, err)
	}
	opts, err = serverOptions(env("PAGE_CACHE_MB", "8", "CACHE_S_MAXAGE", "0", "CACHE_STALE_WHILE_REVALIDATE", "30", "TRUST_PROXY", "TRUE",
		"HSTS_DAYS", "0", "PASSWORD_HASHES", "4"))
	if err != nil || opts.CacheBytes != 8<<20 || opts.SharedMaxAge != 0 || opts.StaleWhileRevalidate != 30*time.Second || !opts.TrustProxy ||
		opts.HSTSMaxAge != 0 || opts.PasswordHashes != 4 {
		t.Errorf("set: %+v %v", opts, err)
	}
	for _, bad := range [][]string{{"PAGE_CACHE_MB", "0"}, {"PAGE_CACHE_MB", "lots"}, {"CACHE_S_MAXAGE", "-1"}, {"CACHE_STALE_WHILE_REVALIDATE", "1e9"}} {
		if _, err := serverOptions(env(bad...)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("server never became healthy")
}

func TestUserCommands(t *testing.T) {
	url := pgtest.NewDatabase(t)
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}
	ctx := context.Background()
	var out bytes.Buffer
	runOK := func(stdin string, args ...string) string {
		t.Helper()
		out.Reset()
		if err := run(ctx, args, getenv, strings.NewReader(stdin), &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	runOK("", "migrate")
	runOK("", "seed")
	runOK("first pass phrase 123\n", "user", "add", "-site", "seinajoki", "-email", "Anna@Seinajoki.fi")
	runOK("admin pass phrase 123\n", "user", "add", "-admin", "-email", "root@example.org")
	runOK("editor pass phrase 123\n", "user", "add", "-role", "editor", "-site", "seinajoki", "-site", "siedlce", "-email", "ed@example.org")
	runOK("translator pass phrase 1\n", "user", "add", "-role", "translator", "-site", "siedlce", "-lang", "sv", "-lang", "it", "-email", "tove@example.org")
	for _, bad := range [][]string{
		{"user", "add", "-role", "translator", "-site", "siedlce", "-email", "t2@example.org"}, // no language
		{"user", "add", "-role", "translator", "-site", "siedlce", "-lang", "en", "-email", "t2@example.org"},
		{"user", "add", "-role", "owner", "-site", "siedlce", "-email", "t2@example.org"},
		{"user", "add", "-role", "editor", "-email", "t2@example.org"}, // no site
		{"user", "add", "-admin", "-role", "editor", "-site", "siedlce", "-email", "t2@example.org"},
		{"user", "disable", "-email", "root@example.org"}, // the last administrator
	} {
		if err := run(ctx, bad, getenv, strings.NewReader("some pass phrase 123\n"), &out, &out); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	for _, want := range []string{
		`root@example.org\s+administrator\s+\*\s+\*`, `ed@example.org\s+editor\s+seinajoki,siedlce\s+\*`,
		`tove@example.org\s+translator\s+siedlce\s+it,sv`, `anna@seinajoki.fi\s+editor\s+seinajoki\s`,
	} {
		if list := runOK("", "user", "list"); !regexp.MustCompile(want).MatchString(list) {
			t.Errorf("user list lacks %s:\n%s", want, list)
		}
	}
	for _, bad := range [][]string{
		{"user", "add", "-site", "seinajoki", "-email", "anna@seinajoki.fi"}, // exists
		{"user", "add", "-site", "nowhere", "-email", "x@example.org"},       // no such site
		{"user", "add", "-email", "x@example.org"},                           // no site, not admin
		{"user", "add", "-site", "siedlce", "-email", "not-an-email"},
		{"user", "disable", "-email", "nobody@example.org"},
	} {
		if err := run(ctx, bad, getenv, strings.NewReader("some pass phrase 123\n"), &out, &out); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	// short, common and guessable passwords are refused with the reason, for new accounts
	// and new passwords alike
	for _, weak := range []struct{ password, reason string }{
		{"short", "shorter than 12 characters"}, {"            ", "repeats"}, {"aaaaaaaaaaaa", "repeats"},
		{"password1234", "most common passwords"}, {"Seinajoki2024", "site's name"},
	} {
		for _, args := range [][]string{{"user", "add", "-site", "siedlce", "-email", "weak@example.org"},
			{"user", "password", "-email", "anna@seinajoki.fi"}} {
			err := run(ctx, args, getenv, strings.NewReader(weak.password+"\n"), &out, &out)
			if err == nil || !strings.Contains(err.Error(), weak.reason) {
				t.Errorf("%v with %q: %v", args, weak.password, err)
			}
		}
	}
	if err := run(ctx, []string{"user", "password", "-email", "anna@seinajoki.fi"}, getenv, strings.NewReader("Anna@Seinajoki.fi\n"), &out, &out); err == nil ||
		!strings.Contains(err.Error(), "e-mail address") {
		t.Errorf("the account's address as its password: %v", err)
	}
	list := runOK("", "user", "list")
	if !strings.Contains(list, "anna@seinajoki.fi") || !strings.Contains(list, "seinajoki") || !strings.Contains(list, "root@example.org") {
		t.Errorf("user list:\n%s", list)
	}
	runOK("second pass phrase 456\n", "user", "password", "-email", "anna@seinajoki.fi")
	runOK("", "user", "disable", "-email", "anna@seinajoki.fi")
	if list := runOK("", "user", "list"); !strings.Contains(list, time.Now().Format("2006-01-02")) {
		t.Errorf("disabled user not marked:\n%s", list)
	}
}
