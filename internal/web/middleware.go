package web

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

// langCookie remembers the language a visitor chose with the switcher; only "/" reads it.
const langCookie = "lang"

type siteKey struct{}

// statusWriter records what a handler wrote, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs every request as one structured line.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.log.LogAttrs(r.Context(), levelFor(sw.status), "request",
			slog.String("method", r.Method), slog.String("host", r.Host), slog.String("path", loggedPath(r)),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("remote", r.RemoteAddr))
	})
}

// recoverPanics turns a panic into a logged, translated 500 page.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.renderError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withSite finds the site of the request's host name (port ignored); unknown hosts get the
// default site.
func (s *Server) withSite(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		site, err := s.siteFor(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), siteKey{}, site)))
	})
}

// siteFor returns the site of the request: from the context when withSite ran, else by host.
func (s *Server) siteFor(r *http.Request) (twinning.Site, error) {
	if site, ok := r.Context().Value(siteKey{}).(twinning.Site); ok {
		return site, nil
	}
	sites, err := s.sites(r.Context())
	if err != nil {
		return twinning.Site{}, err
	}
	return siteByHost(sites, r.Host)
}

func siteByHost(sites []twinning.Site, hostport string) (twinning.Site, error) {
	host := strings.ToLower(hostport)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	for _, site := range sites {
		for _, h := range site.Hosts {
			if h == host {
				return site, nil
			}
		}
	}
	for _, site := range sites {
		if site.IsDefault {
			return site, nil
		}
	}
	if len(sites) > 0 {
		return sites[0], nil
	}
	return twinning.Site{}, twinning.Errorf(twinning.ENOTFOUND, "no site configured")
}

// withLang checks the language of /{lang}/... and puts its translator in the context. A
// visit through the language switcher (?switch=1) records the choice and redirects to the
// plain URL.
func (s *Server) withLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := chi.URLParam(r, "lang")
		site, err := s.siteFor(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if !site.Publishes(lang) || !s.locales.Has(lang) {
			s.handleNotFound(w, r)
			return
		}
		if r.URL.Path == "/"+lang {
			http.Redirect(w, r, "/"+lang+"/", http.StatusMovedPermanently)
			return
		}
		if r.URL.Query().Has("switch") {
			http.SetCookie(w, &http.Cookie{
				Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.isTLS(r), SameSite: http.SameSiteLaxMode,
			})
			w.Header().Set("Cache-Control", "no-store")
			http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
			return
		}
		ctx := locale.WithTranslator(r.Context(), s.locales.For(lang))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) isTLS(r *http.Request) bool {
	return r.TLS != nil || (s.opts.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

// baseURL is scheme and host of the request, for absolute URLs.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if s.isTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// sites returns every site, from the cache when it holds them.
func (s *Server) sites(ctx context.Context) ([]twinning.Site, error) {
	if sites := s.cache.getSites(); sites != nil {
		return sites, nil
	}
	gen := s.cache.generation()
	sites, err := s.store.Sites(ctx)
	if err != nil {
		return nil, err
	}
	s.cache.putSites(gen, sites)
	return sites, nil
}

// content returns everything a site shows, from the cache when it holds it.
func (s *Server) content(ctx context.Context, site twinning.Site) (twinning.Content, error) {
	if c, ok := s.cache.getContent(site.ID); ok {
		return c, nil
	}
	gen := s.cache.generation()
	c, err := s.store.Content(ctx, site)
	if err != nil {
		return c, err
	}
	s.cache.putContent(gen, c)
	return c, nil
}

// securityHeaders tells browsers to run no script, frame nothing, send no referrer
// elsewhere, and trust no sniffed content type: the site needs none of that.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// cleanForms makes every value of a posted form valid text for PostgreSQL: invalid UTF-8
// becomes U+FFFD and NUL bytes are dropped, so no input can make a query fail. A form that
// cannot be parsed is left for its handler to refuse.
func cleanForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			if err := r.ParseForm(); err == nil {
				cleanValues(r.PostForm)
				cleanValues(r.Form)
			}
		}
		next.ServeHTTP(w, r)
	})
}

func cleanValues(v map[string][]string) {
	for k, vs := range v {
		for i, s := range vs {
			vs[i] = cleanText(s)
		}
		v[k] = vs
	}
}

// cleanText is s as valid UTF-8 without NUL bytes.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
