package web

import (
	"container/list"
	"net/http"
	"strconv"
	"sync"

	"github.com/go-chi/chi/v5"

	"twintowns/internal/photo"
	"twintowns/internal/twinning"
)

// maxPhotoBody is the largest request a photo upload may send: the file and its form.
const maxPhotoBody = photo.MaxBytes + 1<<20

// photoCacheBytes bounds the photo files kept in memory.
const photoCacheBytes = 16 << 20

// immutable is the Cache-Control of a photo file: its address changes with its content.
var immutable = []string{"public, max-age=31536000, immutable"}

// handlePhoto serves a variant of a published photo of the request's site, from memory or
// PostgreSQL, to be cached for a year: its address carries the fingerprint of its file.
func (s *Server) handlePhoto(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteFor(r)
	if err != nil {
		return err
	}
	return s.servePhoto(w, r, site.ID, true)
}

// servePhoto writes the photo file named by {file} of a site; public: only one the public
// site shows, which is then kept in memory.
func (s *Server) servePhoto(w http.ResponseWriter, r *http.Request, siteID int64, public bool) error {
	name := chi.URLParam(r, "file")
	fp, v, ok := twinning.ParsePhotoPath(name)
	if !ok {
		return twinning.Errorf(twinning.ENOTFOUND, "no photo file %q", name)
	}
	key := photoKey{site: siteID, name: name}
	body := s.photoCache.get(key)
	if body == nil || !public {
		var err error
		if body, err = s.store.PhotoFile(r.Context(), siteID, fp, v, public); err != nil {
			return err
		}
		if public {
			s.photoCache.put(key, body)
		}
	}
	h := w.Header()
	h.Set("Content-Type", map[string]string{"webp": "image/webp", "jpeg": "image/jpeg"}[v.Format])
	h["Etag"] = []string{`"` + fp + "-" + name + `"`}
	if public {
		h["Cache-Control"] = immutable
	} else {
		h.Set("Cache-Control", "private, no-store")
	}
	if r.Header.Get("If-None-Match") != "" && etagMatches(r.Header.Get("If-None-Match"), h.Get("Etag")) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// photoKey names a photo file of a site.
type photoKey struct {
	site int64
	name string
}

// photoCache keeps the photo files read last, up to a number of bytes (least recently used
// out first). A site's files are dropped with its pages: a photo taken off the site is not
// served from memory.
type photoCache struct {
	mu    sync.Mutex
	max   int64
	bytes int64
	order list.List // of *photoEntry, most recent first
	byKey map[photoKey]*list.Element
}

type photoEntry struct {
	key  photoKey
	body []byte
}

func newPhotoCache(max int64) *photoCache {
	return &photoCache{max: max, byKey: map[photoKey]*list.Element{}}
}

func (c *photoCache) get(k photoKey) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*photoEntry).body
	}
	return nil
}

func (c *photoCache) put(k photoKey, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[k]; ok || int64(len(body)) > c.max/4 {
		return
	}
	c.byKey[k] = c.order.PushFront(&photoEntry{key: k, body: body})
	c.bytes += int64(len(body))
	for c.bytes > c.max {
		last := c.order.Back()
		c.drop(last)
	}
}

func (c *photoCache) drop(e *list.Element) {
	pe := c.order.Remove(e).(*photoEntry)
	delete(c.byKey, pe.key)
	c.bytes -= int64(len(pe.body))
}

// invalidate drops the files of a site (0: of every site).
func (c *photoCache) invalidate(site int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.byKey {
		if site == 0 || k.site == site {
			c.drop(e)
		}
	}
}
