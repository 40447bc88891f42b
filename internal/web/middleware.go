package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/clean"
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

// logRequests logs requests, each as one structured line, as Options.RequestLog says, and
// counts them all in the metrics.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.metrics.observe(r, sw.status, time.Since(start))
		if !s.opts.RequestLog.logs(max(sw.status, http.StatusOK)) {
			return
		}
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
// It is the site's header: its texts are in its content.
func (s *Server) siteFor(r *http.Request) (twinning.Site, error) {
	if site, ok := r.Context().Value(siteKey{}).(twinning.Site); ok {
		return site, nil
	}
	return s.siteByHost(r.Context(), r.Host)
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

// baseURL is the origin of the absolute URLs of the request's site (see origin).
func (s *Server) baseURL(r *http.Request) string {
	site, _ := s.siteFor(r)
	tls, port := s.originOf(r)
	return origin(site, tls, port)
}

// originOf is what, besides the site, makes the origin of a request's absolute URLs: TLS,
// and the port the server listens on when visitors see it (0 when they do not: behind a
// proxy, or the scheme's default port). Neither comes from the Host header, so a page
// cached under them is the same for every client.
func (s *Server) originOf(r *http.Request) (tls bool, port int) {
	tls = s.isTLS(r)
	if s.opts.TrustProxy {
		return tls, 0
	}
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok {
		port = a.Port
	}
	if (tls && port == 443) || (!tls && port == 80) {
		port = 0
	}
	return tls, port
}

// siteHost is the site's own host name, for its absolute URLs and the tag URIs of its feed:
// its first host name, so that they stay the same whichever name a reader uses, and never the
// Host header, since pages are cached per site.
func siteHost(site twinning.Site) string {
	if len(site.Hosts) > 0 {
		return site.Hosts[0]
	}
	return "localhost"
}

// origin is the scheme and host of a site's absolute URLs.
func origin(site twinning.Site, tls bool, port int) string {
	host := siteHost(site)
	if port != 0 {
		host = net.JoinHostPort(host, strconv.Itoa(port))
	}
	if tls {
		return "https://" + host
	}
	return "http://" + host
}

// securityHeaders tells browsers to run no script, frame nothing, send no referrer
// elsewhere, trust no sniffed content type, use none of the powerful features (camera,
// location...), and let only the site's own pages embed its resources: the site needs none
// of that. The staff area, where each person sees their own work, also shares no browsing
// context with other sites' pages (staffHeaderValues). Over TLS (directly or behind a
// trusted proxy) it asks them to come back only over HTTPS (HSTS, Options.HSTSMaxAge).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	hsts := []string{"max-age=" + strconv.Itoa(int(s.opts.HSTSMaxAge.Seconds()))}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaderValues {
			h[k] = v // shared slices, built once: every response carries them
		}
		if isStaffPath(r.URL.Path) {
			for k, v := range staffHeaderValues {
				h[k] = v
			}
		}
		if s.opts.HSTSMaxAge > 0 && s.isTLS(r) {
			h["Strict-Transport-Security"] = hsts
		}
		next.ServeHTTP(w, r)
	})
}

var securityHeaderValues = http.Header{
	"Content-Security-Policy": {"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
	"X-Content-Type-Options":  {"nosniff"},
	"Referrer-Policy":         {"strict-origin-when-cross-origin"},
	"X-Frame-Options":         {"DENY"},
	// Features left out keep the browsers' default (publickey-credentials-*: this site only).
	"Permissions-Policy": {"accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), " +
		"fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), " +
		"picture-in-picture=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=(), browsing-topics=()"},
	"Cross-Origin-Resource-Policy": {"same-site"},
}

// staffHeaderValues are the staff area's: a page that opens it (or that it opens) on another
// site gets no handle on its window. Public pages, the same for everyone, have nothing such a
// handle could learn, and go without: with Cross-Origin-Opener-Policy Chromium loads a page
// opened from a page without it (Lighthouse's about:blank, say) in a renderer process
// started for it, whose main thread then does about half as much work again while the page
// loads: most of Lighthouse's TBT (issue 17; README, "Page weight and Lighthouse").
var staffHeaderValues = http.Header{
	"Cross-Origin-Opener-Policy": {"same-origin"},
}

// noReferrer keeps a page's address from the pages it links to and the resources it loads:
// the one-time links' addresses hold their token, and sign-in pages need send nothing.
func noReferrer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Referrer-Policy"] = referrerNone
		next.ServeHTTP(w, r)
	})
}

var referrerNone = []string{"no-referrer"}

// headAsGet answers HEAD as GET on every GET route (net/http then sends the headers alone):
// no route here answers HEAD differently. chi's middleware.GetHead misses the "/" route of a
// sub-router such as /{lang}/ and /admin/ (go-chi/chi#755): the look-ahead it makes finds
// the mount's catch-all, which takes every method.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			if rctx := chi.RouteContext(r.Context()); rctx != nil {
				rctx.RouteMethod = http.MethodGet
			}
		}
		next.ServeHTTP(w, r)
	})
}

// refuseBadPaths answers 404 for a path that is not valid text once decoded (NUL bytes,
// invalid UTF-8): no page has such a name, and PostgreSQL refuses it as a query parameter.
func (s *Server) refuseBadPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !utf8.ValidString(r.URL.Path) || strings.IndexByte(r.URL.Path, 0) >= 0 {
			s.handleNotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bodyKey holds a request's body while no route has declared how much of it to read.
type bodyKey struct{}

// holdBodies lets no handler read a request's body unless its route declares a limit
// (readBody): the body is put aside and replaced by one that reads nothing. So a request to
// an unknown URL, or to one that takes no body, costs no memory or disk whatever it sends.
func holdBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody { // most requests: nothing to hold
			next.ServeHTTP(w, r)
			return
		}
		ctx := context.WithValue(r.Context(), bodyKey{}, r.Body)
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(w, r.Body, 0)
		next.ServeHTTP(w, r)
	})
}

// readBody reads a form of at most limit bytes, before the handler and once its route has
// matched (and, for staff, once the person is known): larger bodies get a translated 413
// page, without being read further. See readForm.
func (s *Server) readBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := readForm(w, r, limit); err != nil {
				s.renderError(w, r, err)
				return
			}
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
			next.ServeHTTP(w, r)
		})
	}
}

// readForm reads the request's form, URL-encoded or multipart, of at most limit bytes, or
// returns an ETOOLARGE error. Every value is then cleaned (clean.Text: valid UTF-8, no
// control characters but tab and line breaks, NFC), the one place every form goes through.
// Media types are compared as
// mime.ParseMediaType reads them, as net/http does, so no spelling of a content type skips
// this. Multipart files spill to disk beyond multipartMemory, within the limit; the caller
// removes them (r.MultipartForm.RemoveAll). A form that cannot be parsed otherwise is left for its
// handler to refuse: its body then fails again with the same error.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	if r.ContentLength > limit {
		return tooLarge(r, limit)
	}
	if body, ok := r.Context().Value(bodyKey{}).(io.ReadCloser); ok {
		r.Body = body
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	switch mediaType(r) {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		if err = r.ParseMultipartForm(multipartMemory); err == nil {
			clean.Values(r.MultipartForm.Value)
		}
	default:
		return nil
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		r.Form, r.PostForm, r.MultipartForm = nil, nil, nil
		return tooLarge(r, limit)
	case err != nil:
		r.Form, r.PostForm, r.MultipartForm = nil, nil, nil
		r.Body = io.NopCloser(errReader{err})
	default:
		clean.Values(r.PostForm)
		clean.Values(r.Form)
	}
	return nil
}

// multipartMemory is how much of a multipart form is held in memory; the rest of its files
// go to temporary files, within the route's limit.
const multipartMemory = 1 << 20

func tooLarge(r *http.Request, limit int64) error {
	return twinning.Errorf(twinning.ETOOLARGE, "%s %s: body over %d bytes", r.Method, r.URL.Path, limit)
}

// mediaType is the media type of the request's body, lower case, without parameters; "" when
// it has none or it cannot be parsed.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
