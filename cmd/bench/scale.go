package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/demo"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

// The scale run (issue 19): a country's worth of sites on one instance, and two instances
// behind nginx. The fixture is `seed -copies N`: N copies of the demo sites, each with all its
// content, on hosts mNNNN.localhost.

// Targets of the scale run, checked: the run fails when one is missed.
const (
	scaleHotRPS       = 2000                   // 80% of requests on 20% of the sites' pages
	scaleHotP99       = 100 * time.Millisecond // the same load
	scaleUniformRPS   = 500                    // requests spread over every page
	scaleRSS          = 250 << 20              // the server's RSS, throughout
	scaleEditP99      = 2.0                    // an edit a second elsewhere: p99 under this many times the p99 without
	scaleEditVisible  = time.Second            // an edit shows within this
	scaleStartup      = time.Second            // from the start of the process to a first page
	scaleStaff        = 50 * time.Millisecond  // a staff page of one site, median of 5
	scaleColdHome     = 10 * time.Millisecond  // a home page not rendered before (reported)
	scaleColdCity     = 5 * time.Millisecond   // a city page not rendered before (reported)
	scaleMemoryMB     = 250                    // MEMORY_LIMIT_MB of the instances
	scaleConns        = 50
	scaleAcceptCoding = "br, gzip"
)

// scaleConfig are the settings of the scale run.
type scaleConfig struct {
	bin, nginx, dir string
	sites           int           // copies of the demo sites
	duration        time.Duration // per load
}

// The administrator the bench signs in as.
const benchStaffEmail, benchStaffPassword = "bench@example.org", "a long bench password"

// sitePage is a public page of one site.
type sitePage struct{ host, path string }

// scaleRun measures one instance on the demo sites and cfg.sites copies of them, then two
// instances behind nginx; it fails on any target missed.
func scaleRun(ctx context.Context, stdout io.Writer, cfg scaleConfig) error {
	db, dbURL, stop, err := demoDatabase(ctx)
	if err != nil {
		return err
	}
	defer stop()
	fixture := time.Now()
	if _, err := db.CopySites(ctx, demo.Sites, cfg.sites); err != nil {
		return err
	}
	fixtureTime := time.Since(fixture)
	hash, err := auth.HashPassword(benchStaffPassword)
	if err != nil {
		return err
	}
	if _, err := db.AddUser(ctx, twinning.User{Email: benchStaffEmail, Role: twinning.RoleAdministrator}, hash, twinning.Actor{Address: "bench"}); err != nil {
		return err
	}
	sites, err := db.SiteHeaders(ctx)
	if err != nil {
		return err
	}

	fmt.Fprintf(stdout, "\nscale run: %d sites (the 2 demo sites and %d copies, made in %s by seed -copies), MEMORY_LIMIT_MB=%d; machine: %s, load average %s\n",
		len(sites), cfg.sites, fixtureTime.Round(10*time.Millisecond), scaleMemoryMB, cpuModel(), loadAverage())
	addr, metricsAddr := freeAddr(), freeAddr()
	started := time.Now()
	app, err := startInstance(ctx, cfg.bin, addr, dbURL, "METRICS_ADDR="+metricsAddr)
	if err != nil {
		return err
	}
	defer stopProcess(app)
	base := "http://" + addr
	startup, err := firstPage(ctx, base, sitePage{"m0001.localhost", "/fi/"}, started)
	if err != nil {
		return err
	}
	var maxRSS atomic.Int64
	sampleCtx, stopSampling := context.WithCancel(ctx)
	defer stopSampling()
	go sampleRSS(sampleCtx, app.Process.Pid, &maxRSS)

	var missed []string
	check := func(ok bool, format string, a ...any) {
		if !ok {
			missed = append(missed, fmt.Sprintf(format, a...))
		}
	}
	check(startup <= scaleStartup, "start-up to a first page %s", startup.Round(time.Millisecond))

	coldHome, coldCity, err := coldRenders(ctx, db, base, sites, 30)
	if err != nil {
		return err
	}
	pages, err := sitemapPages(ctx, base, sites)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(19, 2500))
	hot, cold := splitHot(pages, sites, rng)
	fmt.Fprintf(stdout, "start-up to a first page %s; cold render p50 (first page of a site, its content read from the database): home %s, city %s; %d pages in the sitemaps, %d of them on the 20%% of sites that get 80%% of the requests\n",
		startup.Round(time.Millisecond), ms(coldHome), ms(coldCity), len(pages), len(hot))

	// Every page once, as a search engine's crawler asks for them: each page is rendered once
	// and stored for every instance (a country's site that has run for a day is there).
	f0 := readCacheFigures(ctx, metricsAddr)
	crawlRes, crawlTime := crawl(ctx, base, scaleConns, pages)
	fmt.Fprintf(stdout, "every page once (a crawl): %d pages in %s, %.0f pages/s, p99 %s, %d failed; %s\n",
		len(pages), crawlTime.Round(time.Second), crawlRes.rps, ms(crawlRes.p99), crawlRes.errors,
		readCacheFigures(ctx, metricsAddr).since(f0, crawlTime))

	eighty := func(r *rand.Rand) sitePage {
		if r.IntN(5) < 4 {
			return hot[r.IntN(len(hot))]
		}
		return cold[r.IntN(len(cold))]
	}
	uniform := func(r *rand.Rand) sitePage { return pages[r.IntN(len(pages))] }

	figures := func() cacheFigures { return readCacheFigures(ctx, metricsAddr) }
	pageLoad(ctx, base, scaleConns, cfg.duration/2, eighty) // warm-up
	f0 = figures()
	hotRes := pageLoad(ctx, base, scaleConns, cfg.duration, eighty)
	f1 := figures()
	editCtx, stopEdits := context.WithCancel(ctx)
	editDone := make(chan editResult, 1)
	go func() { editDone <- editEverySecond(editCtx, db, base, sites) }()
	editRes := pageLoad(ctx, base, scaleConns, cfg.duration, eighty)
	stopEdits()
	edits := <-editDone
	f2 := figures()
	uniRes := pageLoad(ctx, base, scaleConns, cfg.duration, uniform)
	f3 := figures()

	staffTimes, err := staffPages(ctx, base, db, benchStaffEmail, benchStaffPassword)
	if err != nil {
		return err
	}

	// nginx serving the very bytes of a sample of the pages, from files, compressing on the fly.
	sample := make([]sitePage, 0, 1000)
	for _, i := range rng.Perm(len(pages))[:min(1000, len(pages))] {
		sample = append(sample, pages[i])
	}
	nginxRes, appSample, err := nginxReference(ctx, cfg, base, sample)
	if err != nil {
		return err
	}

	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "load (%d connections, %s each, Accept-Encoding: %s)\treq/s\tp50\tp99\tfailed\ttarget\t\n", scaleConns, cfg.duration, scaleAcceptCoding)
	row := func(name string, r result, target string) {
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%d\t%s\t\n", name, r.rps, ms(r.p50), ms(r.p99), r.errors, target)
	}
	row("80% of requests on 20% of the sites", hotRes, fmt.Sprintf(">= %d req/s, p99 <= %s", scaleHotRPS, ms(scaleHotP99)))
	row("the same, an edit a second elsewhere", editRes, fmt.Sprintf("p99 < %.0fx", scaleEditP99))
	row("uniform over every page", uniRes, fmt.Sprintf(">= %d req/s", scaleUniformRPS))
	row(fmt.Sprintf("twintowns, uniform over %d of the pages", len(sample)), appSample, "")
	row(fmt.Sprintf("nginx, the same %d pages from files (gzip)", len(sample)), nginxRes, "")
	tw.Flush()
	fmt.Fprintf(stdout, "twintowns/nginx on the sample: %.2f\ncache hits, contents read from the database per second: 80/20 %s; with edits %s; uniform %s; now %.0f MiB in %.0f pages and %.0f sites' content\n",
		appSample.rps/nginxRes.rps, f1.since(f0, cfg.duration), f2.since(f1, cfg.duration), f3.since(f2, cfg.duration), f3.bytes/(1<<20), f3.pages, f3.contents)
	fmt.Fprintf(stdout, "edits: %d, visible after %s (median), %s (max)\n", edits.count, ms(edits.median), ms(edits.max))
	fmt.Fprint(stdout, "staff pages of one site (median of 5, max):")
	for _, s := range staffTimes {
		fmt.Fprintf(stdout, " %s %s/%s;", s.name, ms(s.median), ms(s.max))
		check(s.median <= scaleStaff, "staff page %s %s", s.name, ms(s.median))
	}
	rss, hwm := memory(app.Process.Pid)
	fmt.Fprintf(stdout, "\nRSS at most %s (sampled every 100 ms), now %s, VmHWM %s\n", mib(maxRSS.Load()), mib(rss), mib(hwm))

	check(hotRes.rps >= scaleHotRPS, "80/20 load %.0f req/s", hotRes.rps)
	check(hotRes.p99 <= scaleHotP99, "80/20 load p99 %s", ms(hotRes.p99))
	check(uniRes.rps >= scaleUniformRPS, "uniform load %.0f req/s", uniRes.rps)
	check(float64(editRes.p99) < scaleEditP99*float64(hotRes.p99), "p99 with edits %s, without %s", ms(editRes.p99), ms(hotRes.p99))
	check(edits.count > 0 && edits.max <= scaleEditVisible, "edits visible after %s at most (%d edits)", ms(edits.max), edits.count)
	check(max(maxRSS.Load(), hwm) <= scaleRSS, "RSS %s", mib(max(maxRSS.Load(), hwm)))
	check(crawlRes.errors+hotRes.errors+editRes.errors+uniRes.errors == 0, "%d failed requests", crawlRes.errors+hotRes.errors+editRes.errors+uniRes.errors)
	if coldHome > scaleColdHome || coldCity > scaleColdCity {
		fmt.Fprintf(stdout, "cold renders over their targets (home <= %s, city <= %s): reported, not failed\n", ms(scaleColdHome), ms(scaleColdCity))
	}
	stopSampling()
	stopProcess(app)

	instErr := instancesRun(ctx, stdout, cfg, dbURL, db, hot)
	if len(missed) > 0 {
		fmt.Fprintf(stdout, "scale targets missed: %s\n", strings.Join(missed, "; "))
		return errors.Join(errors.New("scale run: targets missed"), instErr)
	}
	fmt.Fprintln(stdout, "scale targets met")
	return instErr
}

// startInstance starts `twintowns serve` on addr with the settings of the scale run.
func startInstance(ctx context.Context, bin, addr, dbURL string, env ...string) (*exec.Cmd, error) {
	app := exec.CommandContext(ctx, bin, "serve", "-addr", addr)
	app.Env = append(os.Environ(), append([]string{"DATABASE_URL=" + dbURL, "LOG_LEVEL=warn", "LOG_REQUESTS=errors",
		"MEMORY_LIMIT_MB=" + strconv.Itoa(scaleMemoryMB)}, env...)...)
	app.Stderr = os.Stderr
	if err := app.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w (run make build first)", bin, err)
	}
	return app, nil
}

// firstPage waits for the first answer of a page and returns the time since start.
func firstPage(ctx context.Context, base string, p sitePage, start time.Time) (time.Duration, error) {
	for time.Since(start) < 20*time.Second {
		if code, _, err := getPage(ctx, http.DefaultClient, base, p, ""); err == nil && code == 200 {
			return time.Since(start), nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, errors.New("server gave no first page in 20 s")
}

// getPage fetches a page of a site, with an Accept-Encoding.
func getPage(ctx context.Context, c *http.Client, base string, p sitePage, enc string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p.path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Host = p.host
	req.Header.Set("Accept-Encoding", enc)
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

func sampleRSS(ctx context.Context, pid int, maxRSS *atomic.Int64) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		if rss, _ := memory(pid); rss > maxRSS.Load() {
			maxRSS.Store(rss)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// coldRenders times the first home page of n copies not asked for before (its content read
// and the page rendered) and then a city page of each (rendered from the content read).
func coldRenders(ctx context.Context, db *postgres.DB, base string, sites []twinning.Site, n int) (home, city time.Duration, err error) {
	var homes, cities []time.Duration
	for _, s := range sites[len(sites)-min(n, len(sites)):] {
		c, err := db.Content(ctx, s)
		if err != nil {
			return 0, 0, err
		}
		for i, p := range []string{"/", "/cities/" + c.Cities[len(c.Cities)/2].Slug} {
			start := time.Now()
			code, _, err := getPage(ctx, http.DefaultClient, base, sitePage{s.Hosts[0], "/" + s.DefaultLang + p}, scaleAcceptCoding)
			if err != nil || code != 200 {
				return 0, 0, fmt.Errorf("cold page %s%s: %d %v", s.Hosts[0], p, code, err)
			}
			if i == 0 {
				homes = append(homes, time.Since(start))
			} else {
				cities = append(cities, time.Since(start))
			}
		}
	}
	slices.Sort(homes)
	slices.Sort(cities)
	return homes[len(homes)/2], cities[len(cities)/2], nil
}

var locRE = regexp.MustCompile(`<loc>http://([^/<]+)(/[^<]*)</loc>`)

// sitemapPages reads every site's sitemap through the server: the pages of the load.
func sitemapPages(ctx context.Context, base string, sites []twinning.Site) ([]sitePage, error) {
	var mu sync.Mutex
	var out []sitePage
	var firstErr error
	next := make(chan twinning.Site)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for s := range next {
				code, body, err := getPage(ctx, http.DefaultClient, base, sitePage{s.Hosts[0], "/sitemap.xml"}, "")
				mu.Lock()
				if err == nil && code != 200 {
					err = fmt.Errorf("sitemap of %s: %d", s.Slug, code)
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				for _, m := range locRE.FindAllStringSubmatch(string(body), -1) {
					host, _, _ := strings.Cut(m[1], ":")
					out = append(out, sitePage{host, m[2]})
				}
				mu.Unlock()
			}
		})
	}
	for _, s := range sites {
		next <- s
	}
	close(next)
	wg.Wait()
	slices.SortFunc(out, func(a, b sitePage) int { return strings.Compare(a.host+a.path, b.host+b.path) })
	return out, firstErr
}

// splitHot splits pages into those of a random 20% of the sites and the others.
func splitHot(pages []sitePage, sites []twinning.Site, rng *rand.Rand) (hot, cold []sitePage) {
	hotSites := map[string]bool{}
	for _, i := range rng.Perm(len(sites))[:max(1, len(sites)/5)] {
		hotSites[sites[i].Hosts[0]] = true
	}
	for _, p := range pages {
		if hotSites[p.host] {
			hot = append(hot, p)
		} else {
			cold = append(cold, p)
		}
	}
	return hot, cold
}

// crawl asks for every page once from conns connections.
func crawl(ctx context.Context, base string, conns int, pages []sitePage) (result, time.Duration) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	start := time.Now()
	res := pageLoad(ctx, base, conns, 24*time.Hour, func(*rand.Rand) sitePage {
		i := next.Add(1) - 1
		if i >= int64(len(pages)) {
			cancel()
			return pages[0]
		}
		return pages[i]
	})
	return res, time.Since(start)
}

// pageLoad sends GET requests from conns keep-alive connections for d, each for a page that
// pick chooses; anything but a 200 is a failure.
func pageLoad(ctx context.Context, base string, conns int, d time.Duration, pick func(*rand.Rand) sitePage) result {
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
	for i := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			lat := make([]time.Duration, 0, 1<<12)
			bad := 0
			for ctx.Err() == nil {
				p := pick(rng)
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+p.path, nil)
				req.Host = p.host
				req.Header.Set("Accept-Encoding", scaleAcceptCoding)
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
				if res.StatusCode != 200 {
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

type editResult struct {
	count       int
	median, max time.Duration
}

// editEverySecond changes, once a second, the introduction of a random site in its default
// language, as another instance would (the server hears of it by NOTIFY), and measures how
// long until the site's home page shows it.
func editEverySecond(ctx context.Context, db *postgres.DB, base string, sites []twinning.Site) editResult {
	rng := rand.New(rand.NewPCG(7, 19))
	var times []time.Duration
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			slices.Sort(times)
			r := editResult{count: len(times)}
			if len(times) > 0 {
				r.median, r.max = times[len(times)/2], times[len(times)-1]
			}
			return r
		case <-tick.C:
		}
		s := sites[rng.IntN(len(sites))]
		mark := fmt.Sprintf("Bench edit %d-%d.", n, rng.Uint32())
		if _, err := db.Pool.Exec(ctx, `UPDATE site_texts SET intro = $3 WHERE site_id = $1 AND lang = $2`, s.ID, s.DefaultLang, mark); err != nil {
			continue
		}
		edited := time.Now()
		for ctx.Err() == nil && time.Since(edited) < 5*time.Second {
			if _, body, err := getPage(ctx, http.DefaultClient, base, sitePage{s.Hosts[0], "/" + s.DefaultLang + "/"}, ""); err == nil && strings.Contains(string(body), mark) {
				times = append(times, time.Since(edited))
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// cacheFigures are the server's cache metrics at a moment.
type cacheFigures struct{ hits, misses, reads, bytes, pages, contents, stored, renders float64 }

var metricRE = regexp.MustCompile(`(?m)^(twintowns_page_cache_hits_total|twintowns_page_cache_misses_total|twintowns_site_content_reads_total|twintowns_page_cache_bytes|twintowns_page_cache_entries|twintowns_site_cache_entries|twintowns_page_store_reads_total|twintowns_page_cache_renders_total) (\S+)$`)

// readCacheFigures scrapes the server's /metrics.
func readCacheFigures(ctx context.Context, addr string) cacheFigures {
	var f cacheFigures
	_, body, err := getPage(ctx, http.DefaultClient, "http://"+addr, sitePage{"localhost", "/metrics"}, "")
	if err != nil {
		return f
	}
	for _, m := range metricRE.FindAllStringSubmatch(string(body), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		switch m[1] {
		case "twintowns_page_cache_hits_total":
			f.hits = v
		case "twintowns_page_cache_misses_total":
			f.misses = v
		case "twintowns_site_content_reads_total":
			f.reads = v
		case "twintowns_page_cache_bytes":
			f.bytes = v
		case "twintowns_page_cache_entries":
			f.pages = v
		case "twintowns_site_cache_entries":
			f.contents = v
		case "twintowns_page_store_reads_total":
			f.stored = v
		case "twintowns_page_cache_renders_total":
			f.renders = v
		}
	}
	return f
}

// since describes the cache's work between before and f, d apart.
func (f cacheFigures) since(before cacheFigures, d time.Duration) string {
	hits, misses := f.hits-before.hits, f.misses-before.misses
	return fmt.Sprintf("%.0f%% hits in memory, %.0f%% read from the database's rendered pages, %.0f%% rendered, %.0f content reads/s",
		100*hits/max(hits+misses, 1), 100*(f.stored-before.stored)/max(hits+misses, 1), 100*(f.renders-before.renders)/max(hits+misses, 1),
		(f.reads-before.reads)/d.Seconds())
}

type staffTime struct {
	name        string
	median, max time.Duration
}

// staffPages signs in as an administrator and times the staff pages of one copy, the list of
// sites and the new-account form.
func staffPages(ctx context.Context, base string, db *postgres.DB, email, password string) ([]staffTime, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, form url.Values) (int, error) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequestWithContext(ctx, method, base+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, nil
	}
	if code, err := do(http.MethodPost, "/admin/login", url.Values{"email": {email}, "password": {password}}); err != nil || code != http.StatusSeeOther {
		return nil, fmt.Errorf("staff sign-in: %d %v", code, err)
	}
	site, err := db.SiteBySlug(ctx, "m1234")
	if err != nil {
		site, err = db.SiteBySlug(ctx, "m0002")
	}
	if err != nil {
		return nil, err
	}
	var city int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM cities WHERE site_id = $1 ORDER BY position LIMIT 1`, site.ID).Scan(&city); err != nil {
		return nil, err
	}
	sitePath := "/admin/sites/" + site.Slug
	var out []staffTime
	for _, p := range []struct{ name, path string }{
		{"cities", sitePath + "/cities"},
		{"city form", sitePath + "/cities/" + strconv.FormatInt(city, 10)},
		{"translations", sitePath + "/translations"},
		{"glossary", sitePath + "/translations/glossary"},
		{"events", sitePath + "/events"},
		{"site texts", sitePath + "/texts"},
		{"sites", "/admin/sites"},
		{"new account", "/admin/users/new"},
	} {
		var times []time.Duration
		for i := range 6 {
			start := time.Now()
			code, err := do(http.MethodGet, p.path, nil)
			if err != nil || code != 200 {
				return nil, fmt.Errorf("staff page %s: %d %v", p.path, code, err)
			}
			if i > 0 { // the first warms the connection and the site's content
				times = append(times, time.Since(start))
			}
		}
		slices.Sort(times)
		out = append(out, staffTime{p.name, times[len(times)/2], times[len(times)-1]})
	}
	return out, nil
}

// nginxReference saves the pages of sample as files, serves them with nginx (gzip on the fly)
// and loads both servers uniformly over the sample.
func nginxReference(ctx context.Context, cfg scaleConfig, base string, sample []sitePage) (ngx, app result, err error) {
	dir, err := filepath.Abs(filepath.Join(cfg.dir, "scale"))
	if err != nil {
		return ngx, app, err
	}
	os.RemoveAll(dir)
	for _, p := range sample {
		code, body, err := getPage(ctx, http.DefaultClient, base, p, "")
		if err != nil || code != 200 {
			return ngx, app, fmt.Errorf("sample page %s%s: %d %v", p.host, p.path, code, err)
		}
		name := filepath.Join(dir, "www", p.host, filepath.FromSlash(p.path), "index.html") // /sv/events and /sv/events/x
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return ngx, app, err
		}
		if err := os.WriteFile(name, body, 0o644); err != nil {
			return ngx, app, err
		}
	}
	os.MkdirAll(filepath.Join(dir, "tmp"), 0o755)
	listen := freeAddr()
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(`%s
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
    keepalive_requests 1000000;
    gzip on;
    gzip_min_length 512;
    server {
        listen %[3]s;
        root %[2]s/www/$host;
        location = /healthz { return 200 "ok\n"; }
        location / { try_files $uri/index.html =404; }
    }
}
`, user, dir, listen)), 0o644); err != nil {
		return ngx, app, err
	}
	cmd := exec.CommandContext(ctx, cfg.nginx, "-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return ngx, app, fmt.Errorf("start nginx: %w", err)
	}
	defer stopProcess(cmd)
	if err := waitHealthy("http://" + listen + "/healthz"); err != nil {
		return ngx, app, err
	}
	pick := func(r *rand.Rand) sitePage { return sample[r.IntN(len(sample))] }
	d := cfg.duration / 2
	pageLoad(ctx, base, scaleConns, d/2, pick)
	app = pageLoad(ctx, base, scaleConns, d, pick)
	pageLoad(ctx, "http://"+listen, scaleConns, d/2, pick)
	ngx = pageLoad(ctx, "http://"+listen, scaleConns, d, pick)
	return ngx, app, nil
}
