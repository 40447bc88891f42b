package main

import (
	"bytes"
	"context"
	"debug/elf"
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
	for _, args := range [][]string{{"migrate"}, {"migrate"}, {"seed"}, {"seed"}, {"seed", "-copies", "3"}, {"seed", "-copies", "3"}} {
		if err := run(ctx, args, getenv, strings.NewReader(""), &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
	}
	if n := strings.Count(out.String(), `"msg":"copies of the demo sites made","sites":`); n != 2 ||
		!strings.Contains(out.String(), `"sites":3,`) || !strings.Contains(out.String(), `"sites":0,`) {
		t.Errorf("seed -copies 3 twice: the copies made\n%s", out.String())
	}
	if err := run(ctx, []string{"seed", "-copies", "-1"}, getenv, nil, &out, &out); err == nil {
		t.Error("seed -copies -1 accepted")
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
	copyReq, _ := http.NewRequest(http.MethodGet, base+"/pl/cities/dasing", nil)
	copyReq.Host = "m0002.localhost"
	if res, err := http.DefaultClient.Do(copyReq); err != nil || res.StatusCode != 200 {
		t.Errorf("a copy's page: %v %v", res, err)
	} else {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(b), `<link rel="canonical" href="http://m0002.localhost`) {
			t.Error("the copy's page is not the copy's")
		}
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
		`twintowns_http_request_duration_seconds_count{route="/{lang:[a-z]{2}}/cities/{slug}",status="200"} 2`} {
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
	noCgroup := func(string) ([]byte, error) { return nil, os.ErrNotExist }
	opts, _, err := serverOptions(env(), noCgroup)
	if budget := int64(defaultBudget); err != nil || opts.CacheBytes != int64(float64(budget)*cacheShare) || opts.SharedMaxAge != time.Minute || opts.StaleWhileRevalidate != 5*time.Minute ||
		opts.HSTSMaxAge != 365*24*time.Hour || opts.PasswordHashes != 0 {
		t.Errorf("defaults: %+v %v", opts, err)
	}
	opts, _, err = serverOptions(env("PAGE_CACHE_MB", "8", "CACHE_S_MAXAGE", "0", "CACHE_STALE_WHILE_REVALIDATE", "30", "TRUST_PROXY", "TRUE",
		"LOG_REQUESTS", "errors", "HSTS_DAYS", "0", "PASSWORD_HASHES", "4"), noCgroup)
	if err != nil || opts.CacheBytes != 8<<20 || opts.SharedMaxAge != 0 || opts.StaleWhileRevalidate != 30*time.Second || !opts.TrustProxy ||
		opts.RequestLog.Mode != "errors" || opts.HSTSMaxAge != 0 || opts.PasswordHashes != 4 {
		t.Errorf("set: %+v %v", opts, err)
	}
	for _, bad := range [][]string{{"PAGE_CACHE_MB", "0"}, {"PAGE_CACHE_MB", "lots"}, {"CACHE_S_MAXAGE", "-1"}, {"CACHE_STALE_WHILE_REVALIDATE", "1e9"},
		{"MEMORY_LIMIT_MB", "10"}, {"MEMORY_LIMIT_MB", "x"}, {"LOG_REQUESTS", "some"}, {"LOG_REQUESTS_SAMPLE", "2"}} {
		if _, _, err := serverOptions(env(bad...), noCgroup); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// The memory budget comes from MEMORY_LIMIT_MB, else the cgroup (v2, then v1), else the
// default; the cache and Go's limit follow from it.
func TestPlanMemory(t *testing.T) {
	files := func(m map[string]string) func(string) ([]byte, error) {
		return func(name string) ([]byte, error) {
			if v, ok := m[name]; ok {
				return []byte(v), nil
			}
			return nil, os.ErrNotExist
		}
	}
	v2, v1 := cgroupFiles[0], cgroupFiles[1]
	for _, tc := range []struct {
		name   string
		env    map[string]string
		files  map[string]string
		budget int64
		cache  int64
	}{
		{"nothing set", nil, nil, defaultBudget, defaultBudget / 3},
		{"cgroup v2", nil, map[string]string{v2: "536870912\n"}, 512 << 20, 512 << 20 / 3},
		{"cgroup v2 without limit", nil, map[string]string{v2: "max\n", v1: "1073741824"}, defaultBudget, defaultBudget / 3},
		{"cgroup v1", nil, map[string]string{v1: "1073741824\n"}, 1 << 30, 1 << 30 / 3},
		{"cgroup v1 without limit", nil, map[string]string{v1: "9223372036854771712"}, defaultBudget, defaultBudget / 3},
		{"setting beats cgroup", map[string]string{"MEMORY_LIMIT_MB": "250"}, map[string]string{v2: "1073741824"}, 250 << 20, 250 << 20 / 3},
		{"cache set", map[string]string{"MEMORY_LIMIT_MB": "250", "PAGE_CACHE_MB": "300"}, nil, 250 << 20, 300 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := planMemory(func(k string) string { return tc.env[k] }, files(tc.files))
			if err != nil {
				t.Fatal(err)
			}
			if p.budget != tc.budget || p.cache != tc.cache {
				t.Errorf("budget %d, cache %d; want %d, %d", p.budget, p.cache, tc.budget, tc.cache)
			}
			if p.goLimit < p.cache+16<<20 || (p.cache <= p.budget*6/10 && p.goLimit != p.budget-outsideHeap) {
				t.Errorf("Go's limit %d for budget %d, cache %d", p.goLimit, p.budget, p.cache)
			}
		})
	}
}

// Go's memory limit never falls under the live heap: it rises above a heap that outgrew the
// plan, and comes back to the plan when the heap shrinks.
func TestLimitFollowsLiveHeap(t *testing.T) {
	const planned = 200 << 20
	for _, live := range []int64{0, 10 << 20, 100 << 20, 160 << 20, 190 << 20, 400 << 20} {
		got := limitFor(planned, live)
		if got < planned || got < live+live/8 {
			t.Errorf("live %d MiB: limit %d MiB", live>>20, got>>20)
		}
		if live <= 160<<20 && got != planned {
			t.Errorf("live %d MiB: limit %d MiB, want the plan", live>>20, got>>20)
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

// The build names the program by the Go build ID its executable carries: the same for every
// instance of one binary, read without hashing the whole executable at start-up.
func TestBuildID(t *testing.T) {
	a, err := buildID()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := buildID()
	if len(a) != 24 || a != b {
		t.Errorf("build ids %q, %q", a, b)
	}
	exe, _ := os.Executable()
	f, err := elf.Open(exe)
	if err != nil {
		t.Skip("not an ELF executable")
	}
	defer f.Close()
	if f.Section(".note.go.buildid") == nil {
		t.Error("the executable carries no Go build ID")
	}
}
