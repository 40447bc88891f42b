package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"twintowns/internal/postgres"
)

// proxySettings are what differs between installations in the nginx configuration of
// README's "Several instances": where nginx listens and keeps its cache, and the instances.
type proxySettings struct {
	listen    string   // "80", "127.0.0.1:8080"
	cacheDir  string   // proxy_cache_path
	instances []string // "10.0.0.5:8080", ...
}

// proxyConfig is the http block of nginx in front of several instances: an upstream with
// failover, and a shared cache that keeps what the pages' Cache-Control allows (s-maxage,
// stale-while-revalidate), one entry per encoding. README's "Several instances" shows it.
func proxyConfig(p proxySettings) string {
	var servers strings.Builder
	for _, in := range p.instances {
		fmt.Fprintf(&servers, "        server %s max_fails=1 fail_timeout=2s;\n", in)
	}
	return fmt.Sprintf(`    proxy_cache_path %s levels=1:2 keys_zone=twintowns:10m max_size=1g inactive=1h use_temp_path=off;

    # The encoding the instances answer in (brotli, gzip or none), from the client's
    # Accept-Encoding: one cache entry per encoding, whatever the header's spelling.
    map $http_accept_encoding $twintowns_encoding {
        default "";
        "~*\bbr\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))" br;
        "~*\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))" gzip;
    }

    upstream twintowns {
%s        keepalive 32;
    }

    server {
        listen %s;

        location / {
            proxy_pass http://twintowns;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Accept-Encoding $twintowns_encoding;

            # An instance that fails or stops answering: the request goes to the next one
            # (GET and HEAD only; a form posted is never sent twice).
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_connect_timeout 1s;

            # Public pages for CACHE_S_MAXAGE, then stale while one request fetches them
            # again (a 304 when the ETag still matches); staff pages, the negotiating "/" and
            # errors say no-store or set cookies and are never kept.
            proxy_cache twintowns;
            proxy_cache_key $scheme$host$request_uri$twintowns_encoding;
            proxy_ignore_headers Vary;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_background_update on;
            proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;
            add_header X-Cache-Status $upstream_cache_status always;
        }
    }
`, p.cacheDir, servers.String(), p.listen)
}

// proxyNginxConfig is a whole nginx configuration around proxyConfig, for the bench and its
// tests: in the foreground, its files under dir.
func proxyNginxConfig(dir string, p proxySettings) string {
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the folder's files stay usable whoever owns it
	}
	return fmt.Sprintf(`%s
daemon off;
worker_processes 1;
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
%[3]s}
`, user, dir, proxyConfig(p))
}

// instancesRun is the run of README's "Several instances": two instances on the scale run's
// database behind nginx as proxyConfig sets it up. Under load through nginx each instance is
// killed (SIGKILL) and started again: no request may fail. Then an edit made through one
// instance's staff form must be served by the other at once, and through nginx within
// s-maxage.
func instancesRun(ctx context.Context, stdout io.Writer, cfg scaleConfig, dbURL string, db *postgres.DB, pages []sitePage) error {
	const sMaxAge = 5 * time.Second
	dir, err := filepath.Abs(filepath.Join(cfg.dir, "instances"))
	if err != nil {
		return err
	}
	os.RemoveAll(dir)
	for _, d := range []string{"tmp", "cache"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	env := []string{"TRUST_PROXY=true", "CACHE_S_MAXAGE=" + strconv.Itoa(int(sMaxAge.Seconds())), "CACHE_STALE_WHILE_REVALIDATE=60"}
	addrs := []string{freeAddr(), freeAddr()}
	apps := make([]*exec.Cmd, 2)
	for i, a := range addrs {
		if apps[i], err = startInstance(ctx, cfg.bin, a, dbURL, env...); err != nil {
			return err
		}
		defer func() { stopProcess(apps[i]) }()
		if err := waitHealthy("http://" + a + "/healthz"); err != nil {
			return err
		}
	}
	listen := freeAddr()
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(proxyNginxConfig(dir, proxySettings{listen: listen, cacheDir: filepath.Join(dir, "cache"), instances: addrs})), 0o644); err != nil {
		return err
	}
	ngx := exec.CommandContext(ctx, cfg.nginx, "-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log"))
	ngx.Stderr = os.Stderr
	if err := ngx.Start(); err != nil {
		return fmt.Errorf("start nginx: %w", err)
	}
	defer stopProcess(ngx)
	proxy := "http://" + listen
	if err := waitHealthy(proxy + "/healthz"); err != nil {
		return err
	}

	// The load: the pages (nginx keeps them for s-maxage), and as many requests with a query
	// of their own, which nginx's cache cannot answer: they reach an instance every time.
	const d = 20 * time.Second
	var requests, failed, upstream atomic.Int64
	loadCtx, stopLoad := context.WithTimeout(ctx, d)
	defer stopLoad()
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			tr := &http.Transport{MaxIdleConnsPerHost: 1}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			rng := rand.New(rand.NewPCG(uint64(i), 5))
			for n := 0; loadCtx.Err() == nil; n++ {
				p := pages[rng.IntN(len(pages))]
				if n%2 == 0 {
					p.path += "?n=" + strconv.Itoa(i) + "-" + strconv.Itoa(n)
				}
				req, _ := http.NewRequestWithContext(loadCtx, http.MethodGet, proxy+p.path, nil)
				req.Host = p.host
				req.Header.Set("Accept-Encoding", scaleAcceptCoding)
				res, err := client.Do(req)
				if err != nil {
					if loadCtx.Err() == nil {
						failed.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				requests.Add(1)
				if res.StatusCode != 200 {
					failed.Add(1)
				}
				if s := res.Header.Get("X-Cache-Status"); s == "MISS" || s == "EXPIRED" || s == "BYPASS" || s == "" {
					upstream.Add(1)
				}
			}
		})
	}
	// Each instance is killed and started again; nginx leaves a failed instance alone for its
	// fail_timeout (2 s), so the second is killed well after the first is back.
	begin := time.Now()
	var restarts []string
	var stepErr error
	for _, step := range []struct {
		at   time.Duration
		i    int
		kill bool
	}{{3 * time.Second, 0, true}, {4 * time.Second, 0, false}, {11 * time.Second, 1, true}, {12 * time.Second, 1, false}} {
		time.Sleep(time.Until(begin.Add(step.at)))
		if step.kill {
			apps[step.i].Process.Kill()
			apps[step.i].Wait()
			continue
		}
		started := time.Now()
		if apps[step.i], err = startInstance(ctx, cfg.bin, addrs[step.i], dbURL, env...); err != nil {
			stepErr = err
			break
		}
		if err := waitHealthy("http://" + addrs[step.i] + "/healthz"); err != nil {
			stepErr = err
			break
		}
		restarts = append(restarts, time.Since(started).Round(time.Millisecond).String())
	}
	wg.Wait()
	fmt.Fprintf(stdout, "\ntwo instances behind nginx (%s), each killed (SIGKILL) and started again under load: %d responses in %s, %d of them from an instance, %d failed; restarted instances healthy after %s\n",
		nginxVersion(cfg.nginx), requests.Load(), d, upstream.Load(), failed.Load(), strings.Join(restarts, ", "))
	if stepErr != nil {
		return stepErr
	}

	// An edit through instance A's staff form.
	visibleB, visibleProxy, err := editThroughInstance(ctx, db, "http://"+addrs[0], "http://"+addrs[1], proxy, sMaxAge)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "an edit through instance A: served by instance B after %s, through nginx after %s (s-maxage %s)\n",
		visibleB.Round(time.Millisecond), visibleProxy.Round(time.Millisecond), sMaxAge)
	var missed []string
	if failed.Load() > 0 {
		missed = append(missed, fmt.Sprintf("%d failed responses at nginx", failed.Load()))
	}
	if visibleB > time.Second {
		missed = append(missed, "edit served by the other instance after "+visibleB.String())
	}
	if visibleProxy > sMaxAge+time.Second {
		missed = append(missed, "edit served through nginx after "+visibleProxy.String())
	}
	if len(missed) > 0 {
		return errors.New("two instances: " + strings.Join(missed, "; "))
	}
	fmt.Fprintln(stdout, "two instances: no failed response, the edit served at once and within s-maxage")
	return nil
}

// editThroughInstance signs in to instance a as the bench's administrator, changes the description
// of m0001's first city in its staff form and publishes it, then times until instance b and
// the proxy serve the city's page with it.
func editThroughInstance(ctx context.Context, db *postgres.DB, a, b, proxy string, within time.Duration) (time.Duration, time.Duration, error) {
	site, err := db.SiteBySlug(ctx, "m0001")
	if err != nil {
		return 0, 0, err
	}
	var id int64
	var slug string
	if err := db.Pool.QueryRow(ctx, `SELECT id, slug FROM cities WHERE site_id = $1 ORDER BY position LIMIT 1`, site.ID).Scan(&id, &slug); err != nil {
		return 0, 0, err
	}
	page := sitePage{site.Hosts[0], "/" + site.DefaultLang + "/cities/" + slug}
	for _, base := range []string{b, proxy} { // both have the page before the edit
		if code, _, err := getPage(ctx, http.DefaultClient, base, page, ""); err != nil || code != 200 {
			return 0, 0, fmt.Errorf("%s%s: %d %v", base, page.path, code, err)
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) (int, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, a+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, nil
	}
	if code, err := post("/admin/login", url.Values{"email": {benchStaffEmail}, "password": {benchStaffPassword}}); err != nil || code != http.StatusSeeOther {
		return 0, 0, fmt.Errorf("sign-in on instance A: %d %v", code, err)
	}
	formPath := "/admin/sites/m0001/cities/" + strconv.FormatInt(id, 10)
	code, body, err := getPage(ctx, c, a, sitePage{"", formPath}, "") // no Host of its own: the cookie jar goes by it
	if err != nil || code != 200 {
		return 0, 0, fmt.Errorf("edit form on instance A: %d %v", code, err)
	}
	form := formValues(string(body))
	mark := fmt.Sprintf("Bench edit through instance A, %d.", time.Now().UnixNano())
	form.Set("description_"+site.DefaultLang, mark)
	form.Set("action", "publish")
	if code, err := post(formPath, form); err != nil || code != http.StatusSeeOther {
		return 0, 0, fmt.Errorf("publishing on instance A: %d %v", code, err)
	}
	edited := time.Now()
	wait := func(base string) (time.Duration, error) {
		for time.Since(edited) < within+5*time.Second {
			if _, body, err := getPage(ctx, http.DefaultClient, base, page, ""); err == nil && strings.Contains(string(body), mark) {
				return time.Since(edited), nil
			}
			time.Sleep(10 * time.Millisecond)
		}
		return 0, fmt.Errorf("%s does not serve the edit", base)
	}
	visibleB, err := wait(b)
	if err != nil {
		return 0, 0, err
	}
	visibleProxy, err := wait(proxy)
	return visibleB, visibleProxy, err
}

var (
	inputRE    = regexp.MustCompile(`<input\b[^>]*>`)
	attrRE     = regexp.MustCompile(`\s([a-z-]+)(?:="([^"]*)")?`)
	textareaRE = regexp.MustCompile(`(?s)<textarea\b[^>]*\sname="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectRE   = regexp.MustCompile(`(?s)<select\b[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formValues reads a form page back as a browser would send it.
func formValues(page string) url.Values {
	v := url.Values{}
	for _, tag := range inputRE.FindAllString(page, -1) {
		attrs := map[string]string{}
		for _, m := range attrRE.FindAllStringSubmatch(tag, -1) {
			attrs[m[1]] = html.UnescapeString(m[2])
		}
		name := attrs["name"]
		_, checked := attrs["checked"]
		switch attrs["type"] {
		case "submit", "button", "file":
			continue
		case "checkbox", "radio":
			if !checked {
				continue
			}
		}
		if name != "" {
			v.Add(name, attrs["value"])
		}
	}
	for _, m := range textareaRE.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(strings.TrimPrefix(m[2], "\n")))
	}
	for _, m := range selectRE.FindAllStringSubmatch(page, -1) {
		if sel := selectedRE.FindStringSubmatch(m[2]); sel != nil {
			v.Set(m[1], html.UnescapeString(sel[1]))
		}
	}
	return v
}
