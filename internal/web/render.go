package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
	"twintowns/templates/layout"
	"twintowns/templates/pages"
)

// build makes a page's component; it returns the content type when that is not HTML.
type build func(r *http.Request) (templ.Component, error)

// cached serves a page from memory, rendering it on the first request after a change.
func (s *Server) cached(b build) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Host + r.URL.Path
		if p := s.cache.page(key); p != nil {
			writePage(w, r, p)
			return
		}
		gen := s.cache.generation()
		c, err := b(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := c.Render(r.Context(), &buf); err != nil {
			s.renderError(w, r, err)
			return
		}
		sum := sha256.Sum256(buf.Bytes())
		p := &renderedPage{body: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`,
			contentType: "text/html; charset=utf-8"}
		if t, ok := c.(contentTyped); ok {
			p.contentType = t.ContentType()
		}
		if tr, ok := locale.Lookup(r.Context()); ok {
			p.lang = tr.Lang
		}
		s.cache.putPage(gen, key, p)
		writePage(w, r, p)
	}
}

// contentTyped is a component that is not an HTML page (the sitemap).
type contentTyped interface{ ContentType() string }

// writePage writes a rendered page; browsers revalidate it with its ETag.
func writePage(w http.ResponseWriter, r *http.Request, p *renderedPage) {
	h := w.Header()
	h.Set("Content-Type", p.contentType)
	h.Set("ETag", p.etag)
	h.Set("Cache-Control", "no-cache")
	if p.lang != "" {
		h.Set("Content-Language", p.lang)
	}
	if match := r.Header.Get("If-None-Match"); match != "" && match == p.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(p.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(p.body)
	}
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
	}
	return http.StatusInternalServerError
}

// renderError is the one error path: a translated page with the error's status; internal
// errors are logged.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
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
	if siteErr == nil {
		if t, _ := site.Text(tr.Lang); t.Name != "" {
			name = t.Name
		}
	}
	kind := map[int]string{http.StatusNotFound: "notfound", http.StatusForbidden: "forbidden",
		http.StatusBadRequest: "invalid", http.StatusConflict: "invalid", http.StatusMethodNotAllowed: "invalid"}[status]
	if kind == "" {
		kind = "internal"
	}
	title := tr.T("error." + kind + ".title")
	p := layout.Page{Lang: tr.Lang, Languages: langs, Title: title, SiteName: name, Path: "/", BaseURL: s.baseURL(r),
		Stylesheet: s.assets.url("css/site.css")}
	ctx := locale.WithTranslator(r.Context(), tr)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", tr.Lang)
	w.WriteHeader(status)
	if err := pages.ErrorPage(p, kind).Render(ctx, w); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", err)
	}
}

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
