package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCityPage serves a city page from the page cache, as almost every request is.
func BenchmarkCityPage(b *testing.B) {
	e := shared(b)
	benchGet(b, e, "/fi/cities/koszalin", false)
}

// BenchmarkCityPageRender renders the page every time (the cache dropped), from cached content.
func BenchmarkCityPageRender(b *testing.B) {
	e := shared(b)
	benchGet(b, e, "/fi/cities/koszalin", true)
}

// BenchmarkRoot is the negotiating redirect of "/".
func BenchmarkRoot(b *testing.B) {
	e := shared(b)
	benchGet(b, e, "/", false)
}

func benchGet(b *testing.B, e *env, path string, invalidate bool) {
	req := httptest.NewRequest(http.MethodGet, "http://"+seinajoki+path, nil)
	req.Host = seinajoki
	req.Header.Set("Accept-Language", "sv-FI,sv;q=0.9")
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, req)
	if w.Code >= 400 {
		b.Fatalf("%s: %d", path, w.Code)
	}
	b.ReportAllocs()
	for b.Loop() {
		if invalidate {
			b.StopTimer()
			e.srv.Invalidate()
			// keep the content cached: only the rendering is measured
			warm := httptest.NewRecorder()
			e.srv.ServeHTTP(warm, httptest.NewRequest(http.MethodGet, "http://"+seinajoki+"/fi/", nil))
			b.StartTimer()
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, req)
	}
}

// BenchmarkHomePage serves a home page from the page cache.
func BenchmarkHomePage(b *testing.B) {
	e := shared(b)
	benchGet(b, e, "/fi/", false)
}
