package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLoadMeasures(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != host {
			w.WriteHeader(http.StatusBadRequest)
		}
		if r.Header.Get("Accept-Encoding") == "gzip" {
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Write([]byte("page"))
	}))
	defer ts.Close()
	for _, enc := range []string{"", "gzip"} {
		r := load(context.Background(), ts.URL+"/fi/", enc, 4, 300*time.Millisecond)
		if r.rps <= 0 || r.errors != 0 || r.p50 <= 0 || r.p99 < r.p50 {
			t.Errorf("%q: result = %+v", enc, r)
		}
	}
}

func TestHelpers(t *testing.T) {
	if got := fileName("/fi/cities/koszalin"); got != "fi_cities_koszalin.html" {
		t.Errorf("fileName = %q", got)
	}
	if got := fileName("/"); got != "index.html" {
		t.Errorf("fileName(/) = %q", got)
	}
	if rss, hwm := memory(os.Getpid()); rss <= 0 || hwm < rss {
		t.Errorf("memory = %d, %d", rss, hwm)
	}
	if ms(1500*time.Microsecond) != "1.50ms" {
		t.Errorf("ms = %q", ms(1500*time.Microsecond))
	}
	conf := nginxConfig("/d", "127.0.0.1:1234")
	for _, want := range []string{"listen 127.0.0.1:1234;", "location = /fi/cities/koszalin { rewrite ^ /fi_cities_koszalin.html break; }", "root /d/www;", "gzip on;"} {
		if !strings.Contains(conf, want) {
			t.Errorf("nginx config lacks %q", want)
		}
	}
}

func TestAttackHelpers(t *testing.T) {
	if a, b := fromAddress(0).String(), fromAddress(251).String(); a != "127.0.0.2" || b != "127.0.1.3" {
		t.Errorf("fromAddress = %s, %s", a, b)
	}
	var peers sync.Map
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peers.Store(strings.Split(r.RemoteAddr, ":")[0], true)
		if r.URL.Path == "/admin/login" {
			w.WriteHeader(http.StatusTooManyRequests) // reads nothing of the body
			return
		}
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
	}))
	defer ts.Close()
	ctx := context.Background()
	if got := signIn(ctx, ts.URL, fromAddress(5), "x"); got != http.StatusTooManyRequests {
		t.Errorf("signIn = %d", got)
	}
	if got := bigBody(ctx, ts.URL, "/nowhere", fromAddress(6), 1<<20); got != http.StatusRequestEntityTooLarge && got != 0 {
		t.Errorf("bigBody = %d", got)
	}
	for _, ip := range []string{"127.0.0.7", "127.0.0.8"} {
		if _, ok := peers.Load(ip); !ok {
			t.Errorf("no request from %s", ip)
		}
	}
}
