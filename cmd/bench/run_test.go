package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLoadMeasures(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != host {
			w.WriteHeader(http.StatusBadRequest)
		}
		w.Write([]byte("page"))
	}))
	defer ts.Close()
	r := load(context.Background(), ts.URL+"/fi/", 4, 300*time.Millisecond)
	if r.rps <= 0 || r.errors != 0 || r.p50 <= 0 || r.p99 < r.p50 {
		t.Errorf("result = %+v", r)
	}
}

func TestHelpers(t *testing.T) {
	if got := staticName("/fi/cities/koszalin"); got != "fi_cities_koszalin.html" {
		t.Errorf("staticName = %q", got)
	}
	if rss := peakRSS(os.Getpid()); !strings.HasSuffix(rss, "kB") {
		t.Errorf("peakRSS = %q", rss)
	}
	if ms(1500*time.Microsecond) != "1.50ms" {
		t.Errorf("ms = %q", ms(1500*time.Microsecond))
	}
}
