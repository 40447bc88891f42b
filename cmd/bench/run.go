package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"twintowns/internal/demo"
	"twintowns/internal/pgtest"
	"twintowns/internal/photo"
	"twintowns/internal/postgres"
)

// target is one URL under load.
type target struct {
	name, path string
}

var targets = []target{
	{"city page", "/fi/cities/koszalin"},
	{"home page", "/fi/"},
}

// host is the Host header of every request: the default demo site.
const host = "seinajoki.localhost"

// Targets of the measurement, reported (not asserted) after the load.
const (
	targetRatio = 0.65
	targetP99   = 10 * time.Millisecond
	targetRSS   = 40 << 20
	// the hardening test under mixed load with edits fails the run beyond this
	mixedRSSLimit = 60 << 20
)

func run(ctx context.Context, args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	bin := fs.String("bin", "var/twintowns", "the twintowns binary to measure")
	dir := fs.String("dir", "var/bench", "folder for the saved pages and nginx's files")
	nginx := fs.String("nginx", "nginx", "the nginx binary")
	duration := fs.Duration("duration", 10*time.Second, "load time per target, encoding and server")
	warmup := fs.Duration("warmup", 2*time.Second, "warm-up time per target, encoding and server")
	conns := fs.Int("conns", 50, "concurrent keep-alive connections")
	mixed := fs.Duration("mixed", 60*time.Second, "time of the mixed load with edits (0: skip)")
	lh := fs.String("lighthouse", "", "the lighthouse command (npm); empty: skip the Lighthouse runs")
	lhRuns := fs.Int("lighthouse-runs", 3, "Lighthouse runs per page (the median is reported)")
	attack := fs.Duration("attack", 60*time.Second, "time of the attack beside normal traffic (0: skip)")
	demoRun := fs.Bool("demo", true, "the runs on the demo sites (against nginx, mixed load, attack)")
	scaleSites := fs.Int("scale", 0, "the scale run on this many copies of the demo sites, then two instances behind nginx (0: skip)")
	scaleTime := fs.Duration("scale-time", 30*time.Second, "time of each load of the scale run")
	photos := fs.Bool("photos", true, "measure the image libraries and photo uploads")
	worker := fs.String("image-worker", "", "internal: measure one image library on -image")
	imageFile := fs.String("image", "", "internal: the image of -image-worker")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *worker != "" {
		return imageWorker(*worker, *imageFile, stdout)
	}
	if *conns < 1 || *conns > 1000 || *duration <= 0 || *duration > time.Hour || *mixed < 0 || *mixed > time.Hour || *attack < 0 || *attack > time.Hour {
		return errors.New("flags out of range")
	}
	if *scaleSites > 0 { // after the runs on the demo sites, their servers stopped, whatever their outcome
		defer func() {
			if ctx.Err() == nil {
				err = errors.Join(err, scaleRun(ctx, stdout, scaleConfig{bin: *bin, nginx: *nginx, dir: *dir, sites: *scaleSites, duration: *scaleTime}))
			}
		}()
	}
	if !*demoRun {
		return nil
	}

	db, url, stop, err := demoDatabase(ctx)
	if err != nil {
		return err
	}
	defer stop()

	appAddr, nginxAddr := freeAddr(), freeAddr()
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

	// nginx serves the very bytes the app answers, one file per target.
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	for _, d := range []string{"www", "tmp"} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o755); err != nil {
			return err
		}
	}
	for _, tg := range targets {
		body, err := fetch("http://" + appAddr + tg.path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(abs, "www", fileName(tg.path)), body, 0o644); err != nil {
			return err
		}
	}
	conf := filepath.Join(abs, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConfig(abs, nginxAddr)), 0o644); err != nil {
		return err
	}
	ngx := exec.CommandContext(ctx, *nginx, "-p", abs, "-c", conf, "-e", filepath.Join(abs, "error.log"))
	ngx.Stderr = os.Stderr
	if err := ngx.Start(); err != nil {
		return fmt.Errorf("start nginx: %w (make bench installs it)", err)
	}
	defer stopProcess(ngx)
	if err := waitHealthy("http://" + nginxAddr + "/healthz"); err != nil {
		return err
	}

	if err := pageSize(stdout, "http://"+appAddr); err != nil {
		return err
	}
	var errs []error // each run's figures are printed, whatever the other's outcome
	if *lh != "" {
		if *lhRuns < 1 || *lhRuns > 20 {
			return errors.New("flags out of range")
		}
		pages := []target{{"home page", "/fi/"}, {"city page", "/fi/cities/koszalin"}}
		errs = append(errs, lighthouse(ctx, stdout, *lh, appAddr, abs, *lhRuns, pages))
	}
	fmt.Fprintln(stdout)

	fmt.Fprintf(stdout, "machine: %s, %d CPUs, load average %s, %s, %s; %d connections, %s per run after %s warm-up\n\n",
		cpuModel(), runtime.NumCPU(), loadAverage(), runtime.Version(), nginxVersion(*nginx), *conns, *duration, *warmup)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tencoding\tserver\treq/s\tp50\tp99\terrors\tratio\t")
	var missed []string
	for _, tg := range targets {
		for _, enc := range []string{"", "gzip"} {
			var results [2]result
			for i, base := range []string{"http://" + appAddr, "http://" + nginxAddr} {
				load(ctx, base+tg.path, enc, *conns, *warmup)
				results[i] = load(ctx, base+tg.path, enc, *conns, *duration)
			}
			encName := cmp.Or(enc, "identity")
			for i, name := range []string{"twintowns", "nginx"} {
				r := results[i]
				ratio := ""
				if i == 0 {
					q := r.rps / results[1].rps
					ratio = fmt.Sprintf("%.2f", q)
					if q < targetRatio {
						missed = append(missed, fmt.Sprintf("%s %s: %.2fx nginx", tg.name, encName, q))
					}
					if r.p99 > targetP99 {
						missed = append(missed, fmt.Sprintf("%s %s: p99 %s", tg.name, encName, ms(r.p99)))
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%s\t%s\t%d\t%s\t\n", tg.name, encName, name, r.rps, ms(r.p50), ms(r.p99), r.errors, ratio)
			}
		}
	}
	tw.Flush()
	rss, hwm := memory(app.Process.Pid)
	fmt.Fprintf(stdout, "\ntwintowns after the load: VmRSS %s, VmHWM %s\n", mib(rss), mib(hwm))
	if rss > targetRSS {
		missed = append(missed, "RSS after the load "+mib(rss))
	}
	if len(missed) > 0 {
		fmt.Fprintf(stdout, "targets missed (>= %.2fx nginx, p99 <= %s, RSS <= %s): %s\n", targetRatio, ms(targetP99), mib(targetRSS), strings.Join(missed, "; "))
	} else {
		fmt.Fprintln(stdout, "all targets met")
	}

	if *mixed > 0 {
		errs = append(errs, mixedLoad(ctx, stdout, db, "http://"+appAddr, app.Process.Pid, *mixed))
	}
	if *attack > 0 {
		errs = append(errs, attackRun(ctx, stdout, db, "http://"+appAddr, app.Process.Pid, *attack))
	}
	// after the mixed load and the attack, whose RSS targets a photo's memory would blur
	if *photos {
		if err := imageBench(ctx, stdout, abs); err != nil {
			errs = append(errs, err)
		} else {
			err := uploadBench(ctx, stdout, db, "http://"+appAddr, app.Process.Pid, abs, filepath.Join(filepath.Dir(*bin), photo.WorkerName))
			errs = append(errs, err)
			if err == nil && *lh != "" { // the demo has no photos: the city uploadBench gave its photos
				_, slug, err := photoCity(ctx, db)
				if err == nil {
					err = lighthouse(ctx, stdout, *lh, appAddr, abs, *lhRuns, []target{{"city page with a photo", "/fi/cities/" + slug}})
				}
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// nginxConfig serves the saved pages at their paths, gzip on, from one loopback port.
func nginxConfig(dir, addr string) string {
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the saved pages stay readable whoever owns the folder
	}
	var locs strings.Builder
	for _, tg := range targets {
		fmt.Fprintf(&locs, "        location = %s { rewrite ^ /%s break; }\n", tg.path, fileName(tg.path))
	}
	return fmt.Sprintf(`%s
daemon off;
worker_processes auto;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log error;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %[2]s/tmp/body;
    proxy_temp_path %[2]s/tmp/proxy;
    fastcgi_temp_path %[2]s/tmp/fastcgi;
    uwsgi_temp_path %[2]s/tmp/uwsgi;
    scgi_temp_path %[2]s/tmp/scgi;
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    gzip on;
    gzip_vary on;
    gzip_min_length 512;
    server {
        listen %[3]s;
        root %[2]s/www;
        location = /healthz { return 200 "ok\n"; }
%[4]s    }
}
`, user, dir, addr, locs.String())
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

// load sends GET requests to url from conns keep-alive connections for d, asking for the
// encoding enc ("" for none).
func load(ctx context.Context, url, enc string, conns int, d time.Duration) result {
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
		wg.Go(func() {
			lat := make([]time.Duration, 0, 1<<14)
			bad := 0
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				req.Host = host
				if enc != "" {
					req.Header.Set("Accept-Encoding", enc)
				}
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
				if res.StatusCode >= 400 || res.Header.Get("Content-Encoding") != enc {
					bad++
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		})
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

// mixedLoad is the hardening test: for d, clients ask for every kind of URL of both sites
// (and unknown hosts, unknown pages, compressed and conditional requests) while another
// instance edits content several times a second. No response may be a 5xx, and the
// server's RSS must stay under mixedRSSLimit.
func mixedLoad(ctx context.Context, stdout io.Writer, db *postgres.DB, base string, pid int, d time.Duration) error {
	sites, err := db.Sites(ctx)
	if err != nil {
		return err
	}
	type page struct{ host, path string }
	var pages []page
	for _, site := range sites {
		c, err := db.Content(ctx, site)
		if err != nil {
			return err
		}
		h := site.Hosts[0]
		pages = append(pages, page{h, "/"}, page{h, "/sitemap.xml"}, page{h, "/robots.txt"}, page{h, "/admin/login"})
		for _, l := range site.Languages {
			for _, p := range []string{"/", "/history", "/accessibility", "/accessibility/feedback", "/cities/nowhere", "/nothing"} {
				pages = append(pages, page{h, "/" + l + p})
			}
			for _, city := range c.Cities {
				pages = append(pages, page{h, "/" + l + "/cities/" + city.Slug})
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var requests, fivexx, failed, edits atomic.Int64
	var maxRSS atomic.Int64
	var wg sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: 32, MaxConnsPerHost: 32, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range 32 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			etags := map[string]string{}
			for ctx.Err() == nil {
				p := pages[rng.IntN(len(pages))]
				method := http.MethodGet
				if rng.IntN(10) == 0 {
					method = http.MethodHead
				}
				req, _ := http.NewRequestWithContext(ctx, method, base+p.path, nil)
				req.Host = p.host
				if rng.IntN(10) == 0 {
					req.Host = fmt.Sprintf("x%d.example:%d", rng.Uint32(), rng.IntN(65536))
				}
				req.Header.Set("Accept-Encoding", []string{"", "gzip", "br", "gzip, deflate, br", "br;q=0.5, gzip"}[rng.IntN(5)])
				if tag, ok := etags[p.host+p.path]; ok && rng.IntN(2) == 0 {
					req.Header.Set("If-None-Match", tag)
				}
				res, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				requests.Add(1)
				if res.StatusCode >= 500 {
					fivexx.Add(1)
				}
				if req.Header.Get("Accept-Encoding") == "" {
					etags[p.host+p.path] = res.Header.Get("ETag")
				}
			}
		})
	}
	wg.Go(func() { // another instance edits a city of either site, five times a second
		rng := rand.New(rand.NewPCG(99, 7))
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			site := sites[rng.IntN(len(sites))]
			if _, err := db.Pool.Exec(ctx, `UPDATE city_texts SET summary = $2
				WHERE city_id = (SELECT id FROM cities WHERE site_id = $1 ORDER BY random() LIMIT 1)`,
				site.ID, "Edit "+strconv.Itoa(rng.Int())); err == nil {
				edits.Add(1)
			}
		}
	})
	wg.Go(func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			rss, _ := memory(pid)
			if rss > maxRSS.Load() {
				maxRSS.Store(rss)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
	wg.Wait()
	_, hwm := memory(pid)
	fmt.Fprintf(stdout, "\nmixed load with edits, %s: %d responses (%.0f/s), %d edits, %d 5xx, %d failed requests; VmRSS at most %s, VmHWM %s\n",
		d, requests.Load(), float64(requests.Load())/d.Seconds(), edits.Load(), fivexx.Load(), failed.Load(), mib(maxRSS.Load()), mib(hwm))
	switch {
	case fivexx.Load() > 0 || failed.Load() > 0:
		return fmt.Errorf("mixed load: %d 5xx responses, %d failed requests", fivexx.Load(), failed.Load())
	case maxRSS.Load() >= mixedRSSLimit:
		return fmt.Errorf("mixed load: RSS reached %s (limit %s)", mib(maxRSS.Load()), mib(mixedRSSLimit))
	case edits.Load() == 0:
		return errors.New("mixed load: no edit succeeded")
	}
	fmt.Fprintln(stdout, "mixed load: no 5xx, RSS under", mib(mixedRSSLimit))
	return nil
}

func fileName(path string) string {
	return cmp.Or(strings.Trim(strings.ReplaceAll(path, "/", "_"), "_"), "index") + ".html"
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

// memory reads a process's resident memory and its high-water mark, in bytes.
func memory(pid int) (rss, hwm int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	kb := func(v string) int64 {
		n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		return n << 10
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = kb(v)
		} else if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = kb(v)
		}
	}
	return rss, hwm
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func nginxVersion(bin string) string {
	out, err := exec.Command(bin, "-v").CombinedOutput()
	if err != nil {
		return "nginx ?"
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "nginx version: ")
}

// loadAverage is the machine's load over 1, 5 and 15 minutes: other work on it moves the
// figures.
func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
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

// demoDatabase starts a PostgreSQL of its own and makes a database on it, migrated and
// holding the demo content; stop closes the database and stops the server.
func demoDatabase(ctx context.Context) (db *postgres.DB, url string, stop func(), err error) {
	pg, err := pgtest.Start()
	if err != nil {
		return nil, "", nil, err
	}
	stop = pg.Stop
	defer func() {
		if err != nil {
			stop()
		}
	}()
	if url, err = pg.NewDatabase(ctx); err != nil {
		return nil, "", nil, err
	}
	if db, err = postgres.Open(ctx, url); err != nil {
		return nil, "", nil, err
	}
	stop = func() { db.Close(); pg.Stop() }
	if _, err = db.Migrate(ctx); err != nil {
		return nil, "", nil, err
	}
	if _, err = demo.Seed(ctx, db); err != nil {
		return nil, "", nil, err
	}
	return db, url, stop, nil
}
