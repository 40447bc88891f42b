package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"twintowns/static"
)

// assets are the embedded static files under fingerprinted names, so that they can be
// cached for a year and still change with every release.
type assets struct {
	byURL  map[string]asset  // "/static/css/site.1a2b3c4d5e6f.css"
	byName map[string]string // "css/site.css" -> its URL
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]asset{}, byName: map[string]string{}}
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
		a.byURL[url] = asset{body: b, contentType: mime.TypeByExtension(ext)}
		a.byName[name] = url
		return nil
	})
	return a, err
}

// url is the fingerprinted URL of an asset.
func (a *assets) url(name string) string { return a.byName[name] }

// handleStatic serves an asset by its exact fingerprinted URL; anything else is a 404.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.byURL[r.URL.Path]
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(f.body)
}
