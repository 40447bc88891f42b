package web

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"twintowns/internal/twinning"
)

// The origin of absolute URLs comes from the site and the listener, never from the Host
// header, so that one cached page serves every client.
func TestOrigin(t *testing.T) {
	site := twinning.Site{Hosts: []string{"seinajoki.example", "www.seinajoki.example"}}
	tests := []struct {
		name       string
		trustProxy bool
		listen     int
		tls        bool
		forwarded  string
		want       string
	}{
		{"no listener (handler tests)", false, 0, false, "", "http://seinajoki.example"},
		{"port 80", false, 80, false, "", "http://seinajoki.example"},
		{"port 8080", false, 8080, false, "", "http://seinajoki.example:8080"},
		{"TLS on 443", false, 443, true, "", "https://seinajoki.example"},
		{"TLS on 8443", false, 8443, true, "", "https://seinajoki.example:8443"},
		{"forwarded https ignored without a trusted proxy", false, 8080, false, "https", "http://seinajoki.example:8080"},
		{"behind a proxy: no port", true, 8080, false, "https", "https://seinajoki.example"},
		{"behind a proxy, plain", true, 8080, false, "", "http://seinajoki.example"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{opts: Options{TrustProxy: tc.trustProxy}}
			r := httptest.NewRequest(http.MethodGet, "/fi/", nil)
			r.Host = "attacker.example:1234"
			if tc.listen != 0 {
				r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: tc.listen}))
			}
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tc.forwarded != "" {
				r.Header.Set("X-Forwarded-Proto", tc.forwarded)
			}
			secure, port := s.originOf(r)
			if got := origin(site, secure, port); got != tc.want {
				t.Errorf("origin = %q, want %q", got, tc.want)
			}
		})
	}
	if got := origin(twinning.Site{}, false, 0); got != "http://localhost" {
		t.Errorf("a site without hosts: %q", got)
	}
}
