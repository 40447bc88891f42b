package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"twintowns/internal/demo"
	"twintowns/internal/pgtest"
	"twintowns/internal/postgres"
)

// target is one URL under load.
type target struct {
	name, path string
}

var targets = []target{
	{"city page", "/fi/cities/koszalin"},
	{"home page", "/fi/"},
	{"/ (negotiation)", "/"},
}

// host is the Host header of every request: the default demo site.
const host = "seinajoki.localhost"

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	bin := fs.String("bin", "var/twintowns", "the twintowns binary to measure")
	duration := fs.Duration("duration", 10*time.Second, "load time per target and server")
	warmup := fs.Duration("warmup", 2*time.Second, "warm-up time per target and server")
	conns := fs.Int("conns", 32, "concurrent keep-alive connections")
	staticDir := fs.String("static", "", "internal: serve this folder as the static file server")
	addr := fs.String("addr", "", "internal: listen address of the static file server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *staticDir != "" {
		return serveStatic(*staticDir, *addr)
	}

	pg, err := pgtest.Start()
	if err != nil {
		return err
	}
	defer pg.Stop()
	url, err := pg.NewDatabase(ctx)
	if err != nil {
		return err
	}
	if err := seed(ctx, url); err != nil {
		return err
	}

	appAddr, staticAddr := freeAddr(), freeAddr()
	app := exec.CommandContext(ctx, *bin, "serve", "-addr", appAddr)
	app.Env = append(os.Environ(), "DATABASE_URL="+url, "LOG_LEVEL=error")
	app.Stderr = os.Stderr
	if err := app.Start(); err != nil {
		return fmt.Errorf("start %s: %w (run make build first)", *bin, err)
	}
	defer stopProcess(app)
	if err := waitHealthy("http://" + appAddr + "/healthz"); err != nil {
		return err
	}

	// The static server serves the very bytes the app answers, one file per target.
	dir, err := os.MkdirTemp("", "twintowns-static-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, tg := range targets {
		if tg.path == "/" {
			continue
		}
		body, err := fetch("http://" + appAddr + tg.path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, staticName(tg.path)), body, 0o644); err != nil {
			return err
		}
	}
	self, _ := os.Executable()
	static := exec.CommandContext(ctx, self, "-static", dir, "-addr", staticAddr)
	static.Stderr = os.Stderr
	if err := static.Start(); err != nil {
		return err
	}
	defer stopProcess(static)
	if err := waitHealthy("http://" + staticAddr + "/healthz"); err != nil {
		return err
	}

	fmt.Fprintf(stdout, "machine: %s, %d CPUs, %s; %d connections, %s per run after %s warm-up\n\n",
		cpuModel(), runtime.NumCPU(), runtime.Version(), *conns, *duration, *warmup)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tserver\treq/s\tp50\tp99\terrors\tratio\t")
	for _, tg := range targets {
		var results [2]result
		for i, base := range []string{"http://" + appAddr, "http://" + staticAddr} {
			load(ctx, base+tg.path, *conns, *warmup)
			results[i] = load(ctx, base+tg.path, *conns, *duration)
		}
		for i, name := range []string{"twintowns", "static"} {
			r := results[i]
			ratio := ""
			if i == 0 {
				ratio = fmt.Sprintf("%.2f", r.rps/results[1].rps)
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%s\t%s\t%d\t%s\t\n", tg.name, name, r.rps, ms(r.p50), ms(r.p99), r.errors, ratio)
		}
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\npeak RSS: twintowns %s, static %s\n", peakRSS(app.Process.Pid), peakRSS(static.Process.Pid))
	return nil
}

func seed(ctx context.Context, url string) error {
	db, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	_, err = demo.Seed(ctx, db)
	return err
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

// load sends GET requests to url from conns keep-alive connections for d.
func load(ctx context.Context, url string, conns int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 1<<16)
			bad := 0
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				req.Host = host
				req.Header.Set("Accept-Language", "sv-FI,sv;q=0.9,en;q=0.5")
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode >= 400 {
					bad++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(all)
	r := result{errors: errs}
	if n := len(all); n > 0 {
		r.rps = float64(n) / elapsed.Seconds()
		r.p50, r.p99 = all[n/2], all[min(n-1, n*99/100)]
	}
	return r
}

// serveStatic is the reference: Go's file server over the saved pages, and the same redirect
// as the app's "/" (a static server can only answer it with fixed bytes).
func serveStatic(dir, addr string) error {
	files := http.FileServer(http.Dir(dir))
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Vary", "Accept-Language, Cookie")
			w.Header().Set("Cache-Control", "private, no-store")
			http.Redirect(w, r, "/sv/", http.StatusFound)
			return
		}
		r.URL.Path = "/" + staticName(r.URL.Path)
		files.ServeHTTP(w, r)
	})
	return http.ListenAndServe(addr, mux)
}

func staticName(path string) string {
	return strings.Trim(strings.ReplaceAll(path, "/", "_"), "_") + ".html"
}

func fetch(url string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Host = host
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %d", url, res.StatusCode)
	}
	return io.ReadAll(res.Body)
}

func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(url string) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("server did not become healthy: " + url)
}

func stopProcess(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
	}
}

// peakRSS reads a process's high-water mark of resident memory.
func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return runtime.GOARCH
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
