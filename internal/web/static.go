package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"twintowns/static"
)

// assets are the embedded static files under fingerprinted names, so that they can be
// cached for a year and still change with every release, and the icons at the fixed names
// browsers ask for. Each is kept compressed (brotli, gzip) beside its plain bytes, like the
// pages, and served in the encoding the client prefers.
type assets struct {
	byURL  map[string]*cachedPage // "/static/css/site.1a2b3c4d5e6f.css", "/favicon.ico"
	byName map[string]string      // "css/site.css" -> its URL
}

var (
	immutable = []string{"public, max-age=31536000, immutable"} // assets and photos: their URLs change with their content
	dayLong   = []string{"public, max-age=86400"}               // the icons' URLs never change
)

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]*cachedPage{}, byName: map[string]string{}}
	add := func(url, contentType string, body []byte, cache []string) {
		p := newStaticPage(body)
		p.contentType, p.cacheControl = []string{contentType}, cache
		a.byURL[url] = p
	}
	err := fs.WalkDir(static.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static.FS, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		add(url, mime.TypeByExtension(ext), b, immutable)
		a.byName[name] = url
		if name == "favicon.svg" {
			add("/favicon.svg", mime.TypeByExtension(ext), b, dayLong)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ico, err := faviconICO()
	if err != nil {
		return nil, err
	}
	add("/favicon.ico", "image/vnd.microsoft.icon", ico, dayLong)
	return a, nil
}

// url is the fingerprinted URL of an asset.
func (a *assets) url(name string) string { return a.byName[name] }

// handleStatic serves an asset by its exact URL; anything else is a 404.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	p, ok := s.assets.byURL[r.URL.Path]
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	s.writePage(w, r, p, nil)
}

// newStaticPage keeps body in every encoding from the start: assets are few and small, and
// every browser asks for them.
func newStaticPage(body []byte) *cachedPage {
	sum := sha256.Sum256(body)
	p := &cachedPage{tag: hex.EncodeToString(sum[:12])}
	for e := range numEncodings {
		p.etags[e] = []string{p.etag(e)}
	}
	p.variants[identity].Store(p.newVariant(identity, body))
	if len(body) < minCompress || isPNG(body) {
		return p
	}
	gz, br := compress(&gzipWriters, body), compress(&brotliWriters, body)
	if len(gz) < len(body) && len(br) < len(body) {
		p.compressed = true
		p.variants[encGzip].Store(p.newVariant(encGzip, gz))
		p.variants[encBrotli].Store(p.newVariant(encBrotli, br))
	}
	return p
}
