package web

import (
	"sync"

	"twintowns/internal/twinning"
)

// maxPages bounds the page cache: hosts are part of the key, and any client can send any
// Host header.
const maxPages = 20_000

// cache holds what the server read or rendered since the last content change. A fill that
// started before a change is not stored (gen), so no stale page outlives Invalidate.
type cache struct {
	mu      sync.RWMutex
	gen     uint64
	sites   []twinning.Site
	content map[int64]twinning.Content
	pages   map[string]*renderedPage
}

// renderedPage is a response body ready to be written again.
type renderedPage struct {
	body        []byte
	etag        string
	contentType string
	lang        string
}

func newCache() *cache {
	return &cache{content: map[int64]twinning.Content{}, pages: map[string]*renderedPage{}}
}

func (c *cache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.sites = nil
	c.content = map[int64]twinning.Content{}
	c.pages = map[string]*renderedPage{}
}

func (c *cache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

func (c *cache) page(key string) *renderedPage {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.pages[key]
}

func (c *cache) putPage(gen uint64, key string, p *renderedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.pages) >= maxPages {
		c.pages = map[string]*renderedPage{}
	}
	c.pages[key] = p
}

func (c *cache) getSites() []twinning.Site {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.sites
}

func (c *cache) putSites(gen uint64, sites []twinning.Site) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.sites = sites
	}
}

func (c *cache) getContent(siteID int64) (twinning.Content, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ct, ok := c.content[siteID]
	return ct, ok
}

func (c *cache) putContent(gen uint64, ct twinning.Content) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen {
		c.content[ct.Site.ID] = ct
	}
}
