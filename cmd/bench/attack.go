package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/postgres"
)

// Limits of the attack run: memory growth while 100 sign-ins or 30 bodies of 10 MiB arrive
// at once, and what cached pages and memory may come to while the attack goes on.
const (
	burstGrowthLimit = 100 << 20
	attackP99Limit   = 50 * time.Millisecond
	attackRSSLimit   = 150 << 20
)

// ownerEmail and ownerPassword are the account the attack tries, and its owner signs in with.
const ownerEmail, ownerPassword = "owner@seinajoki.example", "tuulinen kesäpäivä Vaasassa"

// attackRun is the hardening test under attack. First two bursts, each of which may not
// grow the server's memory by burstGrowthLimit: 100 sign-ins at once from 100 addresses,
// then 30 bodies of 10 MiB at once to an unknown URL, the sign-in and the feedback form.
// Then for d: wrong passwords from many addresses and oversized bodies, beside readers of
// cached pages, whose p99 may not pass attackP99Limit, nor the server's RSS
// attackRSSLimit; and after it the account's owner signs in from an address of their own.
func attackRun(ctx context.Context, stdout io.Writer, db *postgres.DB, base string, pid int, d time.Duration) error {
	hash, err := auth.HashPassword(ownerPassword)
	if err != nil {
		return err
	}
	if _, err := db.CreateUser(ctx, ownerEmail, "seinajoki", false, hash); err != nil {
		return err
	}
	var failures []string

	growth := burst(pid, func() {
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Go(func() { signIn(ctx, base, fromAddress(i), "wrong password "+fmt.Sprint(i)) })
		}
		wg.Wait()
	})
	fmt.Fprintf(stdout, "\nattack: 100 sign-ins at once from 100 addresses: RSS grew by at most %s\n", mib(growth))
	if growth >= burstGrowthLimit {
		failures = append(failures, "100 sign-ins grew RSS by "+mib(growth))
	}
	growth = burst(pid, func() {
		var wg sync.WaitGroup
		for i := range 30 {
			path := []string{"/nowhere/" + fmt.Sprint(i), "/admin/login", "/fi/accessibility/feedback"}[i%3]
			wg.Go(func() { bigBody(ctx, base, path, fromAddress(100+i), 10<<20) })
		}
		wg.Wait()
	})
	fmt.Fprintf(stdout, "attack: 30 bodies of 10 MiB at once: RSS grew by at most %s\n", mib(growth))
	if growth >= burstGrowthLimit {
		failures = append(failures, "30 bodies of 10 MiB grew RSS by "+mib(growth))
	}

	// the attack beside normal traffic
	actx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var signIns, bodies, refused atomic.Int64
	var maxRSS atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var pageErrors atomic.Int64
	var wg sync.WaitGroup
	for g := range 12 { // wrong passwords, each from a new address in turn
		wg.Go(func() {
			for n := 0; actx.Err() == nil; n++ {
				if status := signIn(actx, base, fromAddress(2+(g*37+n)%250), fmt.Sprintf("guess %d-%d", g, n)); status == http.StatusTooManyRequests {
					refused.Add(1)
				}
				signIns.Add(1)
			}
		})
	}
	for g := range 4 { // oversized bodies, to known and unknown URLs
		wg.Go(func() {
			paths := []string{"/admin/login", "/nowhere", "/fi/accessibility/feedback", "/admin/sites/seinajoki/cities/1/documents"}
			for n := 0; actx.Err() == nil; n++ {
				bigBody(actx, base, paths[(g+n)%len(paths)], fromAddress(200+g), 10<<20)
				bodies.Add(1)
			}
		})
	}
	for range 8 { // residents reading cached pages
		wg.Go(func() {
			tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			var mine []time.Duration
			for n := 0; actx.Err() == nil; n++ {
				req, _ := http.NewRequestWithContext(actx, http.MethodGet, base+[]string{"/fi/", "/fi/cities/koszalin", "/sv/", "/it/accessibility"}[n%4], nil)
				req.Host = host
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					if actx.Err() == nil && pageErrors.Add(1) <= 3 {
						fmt.Fprintln(stdout, "attack: reading a cached page:", err)
					}
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK && pageErrors.Add(1) <= 3 {
					fmt.Fprintln(stdout, "attack: reading a cached page:", res.Status)
				}
				mine = append(mine, time.Since(t0))
				time.Sleep(5 * time.Millisecond)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Go(func() {
		for actx.Err() == nil {
			rss, _ := memory(pid)
			if rss > maxRSS.Load() {
				maxRSS.Store(rss)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	wg.Wait()
	slices.Sort(lat)
	var p50, p99 time.Duration
	if n := len(lat); n > 0 {
		p50, p99 = lat[n/2], lat[min(n-1, n*99/100)]
	}
	owner := signIn(ctx, base, fromAddress(254), ownerPassword)
	fmt.Fprintf(stdout, "attack, %s: %d wrong sign-ins (%d refused with 429), %d oversized bodies; cached pages: %d reads, p50 %s, p99 %s, %d errors; VmRSS at most %s; the owner signing in afterwards from another address: %d\n",
		d, signIns.Load(), refused.Load(), bodies.Load(), len(lat), ms(p50), ms(p99), pageErrors.Load(), mib(maxRSS.Load()), owner)
	switch {
	case p99 > attackP99Limit:
		failures = append(failures, "cached pages' p99 "+ms(p99))
	case pageErrors.Load() > 0:
		failures = append(failures, fmt.Sprintf("%d cached page reads failed", pageErrors.Load()))
	}
	if maxRSS.Load() > attackRSSLimit {
		failures = append(failures, "RSS "+mib(maxRSS.Load()))
	}
	if owner != http.StatusSeeOther {
		failures = append(failures, fmt.Sprintf("the owner's sign-in after the attack: %d", owner))
	}
	if len(failures) > 0 {
		return errors.New("attack: " + strings.Join(failures, "; "))
	}
	fmt.Fprintf(stdout, "attack: bursts under +%s, cached pages' p99 under %s, RSS under %s, the owner got in\n",
		mib(burstGrowthLimit), ms(attackP99Limit), mib(attackRSSLimit))
	return nil
}

// burst runs f and returns how much the process's RSS grew meanwhile, at most.
func burst(pid int, f func()) int64 {
	before, _ := memory(pid)
	var most atomic.Int64
	done := make(chan struct{})
	go func() {
		for {
			rss, _ := memory(pid)
			if rss > most.Load() {
				most.Store(rss)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	time.Sleep(200 * time.Millisecond) // memory still held once the answers are out
	if rss, _ := memory(pid); rss > most.Load() {
		most.Store(rss)
	}
	return max(0, most.Load()-before)
}

// fromAddress is the i-th loopback address clients send from (127.0.0.2 and on): without a
// proxy the server sees each as another client.
func fromAddress(i int) net.IP { return net.IPv4(127, 0, byte(i/250), byte(2+i%250)) }

// clientFrom is an HTTP client whose connections come from ip, one per request.
func clientFrom(ip net.IP) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 5 * time.Second}
	return &http.Client{
		Transport:     &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// signIn sends a sign-in of the owner's account with password from ip and returns the status.
func signIn(ctx context.Context, base string, ip net.IP, password string) int {
	form := url.Values{"email": {ownerEmail}, "password": {password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/login", strings.NewReader(form.Encode()))
	req.Host = host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := clientFrom(ip).Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// bigBody posts a multipart form with a file of size bytes, without a Content-Length (so
// that only the server's limit stops it), and returns the status, 0 when the server closed
// the connection first.
func bigBody(ctx context.Context, base, path string, ip net.IP, size int64) int {
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		part, err := w.CreateFormFile("file", "big.pdf")
		if err == nil {
			_, err = io.Copy(part, io.LimitReader(zeroReader{}, size))
		}
		if err == nil {
			err = w.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path, pr)
	req.Host = host
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := clientFrom(ip).Do(req)
	pr.CloseWithError(errors.New("done"))
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
