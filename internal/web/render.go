package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// build makes a page's component; it returns the content type when that is not HTML.
type build func(r *http.Request) (templ.Component, error)

// cached serves a page from memory, rendering it on the first request after a change.
// Concurrent requests for a page that is not in memory wait for one rendering.
func (s *Server) cached(b build) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		site, err := s.siteFor(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		tls, port := s.originOf(r)
		key := pageKey{site: site.ID, tls: tls, port: port, path: r.URL.Path}
		if p := s.cache.page(key); p != nil {
			s.writePage(w, r, p, nil)
			return
		}
		st := s.cache.stamp(site.ID)
		flight := fmt.Sprintf("%d %d %d %t %d %s", st.gen, st.site, key.site, key.tls, key.port, key.path)
		v, err, _ := s.fills.Do(flight, func() (any, error) {
			// the rendering outlives a first requester that goes away
			r := r.WithContext(context.WithoutCancel(r.Context()))
			if p := s.storedPage(r.Context(), st, site, key); p != nil {
				return rendered{p: p}, nil
			}
			// the version of the content the page is rendered from, or an older one (pages.go)
			c, err := s.content(r.Context(), site)
			if err != nil {
				return nil, err
			}
			p, plain, err := s.render(r, b, st, key)
			if err == nil {
				s.storePage(p, c.Version)
			}
			return rendered{p, plain}, err
		})
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		out := v.(rendered)
		s.writePage(w, r, out.p, out.plain)
	}
}

// rendered is a page just rendered and its identity variant at hand.
type rendered struct {
	p     *cachedPage
	plain *variant
}

// render renders and compresses a page and stores it unless its site changed since st; it
// returns the page and its identity variant at hand.
// At most GOMAXPROCS pages render at once: rendering is CPU work, so more would not finish
// sooner, and after an invalidation under load the garbage of every page rendering at once
// would set the process's memory high-water mark.
func (s *Server) render(r *http.Request, b build, st stamp, key pageKey) (*cachedPage, *variant, error) {
	s.rendering <- struct{}{}
	defer func() { <-s.rendering }()
	s.cache.renders.Add(1)
	c, err := b(r)
	if err != nil {
		return nil, nil, err
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	if err := c.Render(r.Context(), buf); err != nil {
		return nil, nil, err
	}
	p, plain := newPage(key, bytes.Clone(buf.Bytes()), s.cache)
	p.contentType = htmlType
	if t, ok := c.(contentTyped); ok {
		p.contentType = []string{t.ContentType()}
	}
	if tr, ok := locale.Lookup(r.Context()); ok {
		p.contentLang = []string{tr.Lang}
	}
	if m, ok := c.(lastModifier); ok && !m.LastModified().IsZero() {
		p.modTime = m.LastModified().UTC().Truncate(time.Second)
		p.lastModified = []string{p.modTime.Format(http.TimeFormat)}
	}
	s.cache.putPage(st, p)
	return p, plain, nil
}

// renderBuffers hold pages while they render and compress.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// What a cached page costs besides its bodies: the page, its place in the cache (item, list
// element, map entry, key), header values; and each variant.
const (
	pageOverhead    = 640
	variantOverhead = 192
)

var (
	htmlType     = []string{"text/html; charset=utf-8"}
	varyEncoding = []string{"Accept-Encoding"}
)

// contentTyped is a component that is not an HTML page (the sitemap).
type contentTyped interface{ ContentType() string }

// lastModifier is a document that knows when its content last changed.
type lastModifier interface{ LastModified() time.Time }

// writePage writes a cached page in the encoding the client prefers; plain, when not nil,
// is its identity variant at hand. Browsers revalidate it with the ETag of that encoding;
// shared caches keep it as long as Options allow.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, p *cachedPage, plain *variant) {
	enc := p.encodingFor(r.Header.Get("Accept-Encoding"), s.cache.roomy.Load())
	h := w.Header()
	h["Content-Type"] = p.contentType
	h["Etag"] = p.etags[enc]
	h["Cache-Control"] = s.publicCache
	if p.cacheControl != nil {
		h["Cache-Control"] = p.cacheControl
	}
	h["Vary"] = varyEncoding
	if p.contentLang != nil {
		h["Content-Language"] = p.contentLang
	}
	if p.lastModified != nil {
		h["Last-Modified"] = p.lastModified
	}
	if notModified(r, p.etags[enc][0], p.modTime) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	v := p.variant(enc, plain, s.cache)
	if v.encoding != nil {
		h["Content-Encoding"] = v.encoding
	}
	h["Content-Length"] = v.contentLength
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		v.write(w)
	}
}

// notModified tells a conditional request that its copy is current: by the ETag, or, when
// the request names none, by the time (RFC 9110 13.1.3).
func notModified(r *http.Request, etag string, modTime time.Time) bool {
	if match := r.Header.Get("If-None-Match"); match != "" {
		return etagMatches(match, etag)
	}
	if since := r.Header.Get("If-Modified-Since"); since != "" && !modTime.IsZero() {
		t, err := http.ParseTime(since)
		return err == nil && !modTime.After(t)
	}
	return false
}

// statusOf maps a domain error to its HTTP status: the one place that does.
func statusOf(err error) int {
	switch twinning.ErrorCode(err) {
	case twinning.ENOTFOUND:
		return http.StatusNotFound
	case twinning.EINVALID:
		return http.StatusBadRequest
	case twinning.EFORBIDDEN:
		return http.StatusForbidden
	case twinning.ECONFLICT:
		return http.StatusConflict
	case twinning.EMETHOD:
		return http.StatusMethodNotAllowed
	case twinning.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case twinning.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// retryAfter is how long a client should wait before trying again while the database is
// unavailable; a restarted PostgreSQL answers within seconds.
const retryAfter = "5"

// renderError is the one error path: a translated page with the error's status; internal
// errors are logged. While the database is unavailable the page says that nothing was saved
// (in the staff area, in the staff's words) and asks the client to retry.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if gone := r.Context().Err(); gone != nil && errors.Is(err, gone) {
		return // the client went away: nobody to answer, nothing went wrong here
	}
	status := statusOf(err)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "path", loggedPath(r), "err", err)
	}
	tr, ok := locale.Lookup(r.Context())
	site, siteErr := s.siteFor(r)
	langs := s.locales.Languages()
	if siteErr == nil {
		langs = site.Languages
	}
	if !ok {
		def := langs[0]
		if siteErr == nil {
			def = site.DefaultLang
		}
		tr = s.locales.For(requestLang(r, langs, def))
	}
	name := ""
	if siteErr == nil && status != http.StatusServiceUnavailable {
		if c, err := s.content(r.Context(), site); err == nil {
			t, _ := c.Site.Text(tr.Lang)
			name = t.Name
		}
	}
	kind := map[int]string{http.StatusNotFound: "notfound", http.StatusForbidden: "forbidden",
		http.StatusBadRequest: "invalid", http.StatusConflict: "invalid", http.StatusMethodNotAllowed: "invalid",
		http.StatusServiceUnavailable: "unavailable", http.StatusRequestEntityTooLarge: "toolarge"}[status]
	switch {
	case kind == "":
		kind = "internal"
	case kind == "unavailable" && isStaffPath(r.URL.Path):
		kind = "unavailable_staff"
	}
	title := tr.T("error." + kind + ".title")
	p := layout.Page{Lang: tr.Lang, Languages: langs, Title: title, SiteName: name, Path: "/", BaseURL: s.baseURL(r),
		Stylesheet: s.assets.url("css/site.css")}
	ctx := locale.WithTranslator(r.Context(), tr)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", tr.Lang)
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	if err := pages.ErrorPage(p, kind).Render(ctx, w); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", err)
	}
}

// isStaffPath tells a URL of the staff area.
func isStaffPath(p string) bool { return p == "/admin" || strings.HasPrefix(p, "/admin/") }

// handleMethodNotAllowed answers a method a URL does not take.
func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, twinning.Errorf(twinning.EMETHOD, "%s not allowed on %s", r.Method, r.URL.Path))
}

// handleNotFound answers any unknown URL with the translated 404 page.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, twinning.Errorf(twinning.ENOTFOUND, "no page at %s", r.URL.Path))
}

// requestLang is the language, among langs, for a page outside the language tree: the
// language of the path when it has one, else the negotiated one.
func requestLang(r *http.Request, langs []string, def string) string {
	if first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); slices.Contains(langs, first) {
		return first
	}
	choice := ""
	if c, err := r.Cookie(langCookie); err == nil {
		choice = c.Value
	}
	return locale.Negotiate(choice, r.Header.Get("Accept-Language"), langs, def)
}
