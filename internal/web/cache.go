package web

import (
	"container/list"
	"sync"
	"sync/atomic"
	"time"

	"twintowns/internal/twinning"
)

// DefaultCacheBytes bounds the page cache when Options.CacheBytes is 0.
const DefaultCacheBytes = 32 << 20

// pageKey is what a cached page depends on: the site (never the Host header, which any
// client can vary), what makes the origin of its absolute URLs (see originOf) and the path,
// which holds the language.
type pageKey struct {
	site int64
	tls  bool
	port int
	path string
}

// cache holds what the server read or rendered since the last content change. A fill that
// started before an invalidation is not stored (gen), so no stale page outlives it.
//
// Pages are bounded by bytes and evicted as a segmented LRU: a new page waits in probation
// and moves to the protected segment on its second hit; eviction takes probation first. A
// flood of pages asked once (crawlers, scanners) churns probation and leaves the pages people
// read in place.
type cache struct {
	mu      sync.Mutex
	gen     uint64
	sites   []twinning.Site
	content map[int64]twinning.Content

	pages                map[pageKey]*cachedPage
	probation, protected list.List
	bytes, protBytes     int64
	maxBytes             int64

	hits, misses, evictions, renders atomic.Uint64
}

// cachedPage is a rendered page in each encoding, ready to be written again.
type cachedPage struct {
	key      pageKey
	size     int64
	elem     *list.Element
	isProt   bool
	variants [numEncodings]*variant
	// header values shared by every response of the page, built once
	contentType, contentLang []string
	// lastModified is the Last-Modified of documents that know when their content changed
	// (the open data), modTime the same as a time.
	lastModified []string
	modTime      time.Time
	// cacheControl replaces the public pages' Cache-Control (static files: a year).
	cacheControl []string
}

func newCache(maxBytes int64) *cache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	return &cache{content: map[int64]twinning.Content{}, pages: map[pageKey]*cachedPage{}, maxBytes: maxBytes}
}

// invalidate drops what depends on site (0: every site). The list of sites goes in any case:
// it maps hosts to sites.
func (c *cache) invalidate(site int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.sites = nil
	if site == 0 {
		c.content = map[int64]twinning.Content{}
		c.pages = map[pageKey]*cachedPage{}
		c.probation.Init()
		c.protected.Init()
		c.bytes, c.protBytes = 0, 0
		return
	}
	delete(c.content, site)
	for k, p := range c.pages {
		if k.site == site {
			c.remove(p)
		}
	}
}

func (c *cache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// page returns the cached page of key, counting the hit or miss.
func (c *cache) page(key pageKey) *cachedPage {
	c.mu.Lock()
	p := c.pages[key]
	if p != nil {
		c.touch(p)
	}
	c.mu.Unlock()
	if p == nil {
		c.misses.Add(1)
	} else {
		c.hits.Add(1)
	}
	return p
}

// touch moves p to the front of the protected segment, demoting the least used protected
// pages to probation when that segment outgrows its share (80%).
func (c *cache) touch(p *cachedPage) {
	if p.isProt {
		c.protected.MoveToFront(p.elem)
		return
	}
	c.probation.Remove(p.elem)
	p.elem, p.isProt = c.protected.PushFront(p), true
	c.protBytes += p.size
	for c.protBytes > c.maxBytes/5*4 {
		old := c.protected.Back().Value.(*cachedPage)
		c.protected.Remove(old.elem)
		c.protBytes -= old.size
		old.elem, old.isProt = c.probation.PushFront(old), false
	}
}

// putPage stores p unless the cache was invalidated since gen; pages larger than the whole
// bound are not stored.
func (c *cache) putPage(gen uint64, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || p.size > c.maxBytes {
		return
	}
	if old := c.pages[p.key]; old != nil {
		c.remove(old)
	}
	p.elem, p.isProt = c.probation.PushFront(p), false
	c.pages[p.key] = p
	c.bytes += p.size
	for c.bytes > c.maxBytes {
		victim := c.probation.Back()
		if victim == nil {
			victim = c.protected.Back()
		}
		c.remove(victim.Value.(*cachedPage))
		c.evictions.Add(1)
	}
}

func (c *cache) remove(p *cachedPage) {
	if p.isProt {
		c.protected.Remove(p.elem)
		c.protBytes -= p.size
	} else {
		c.probation.Remove(p.elem)
	}
	c.bytes -= p.size
	delete(c.pages, p.key)
}

// cacheStats are the figures of the page cache, for /metrics and tests.
type cacheStats struct {
	Entries                          int
	Bytes                            int64
	Hits, Misses, Evictions, Renders uint64
}

func (c *cache) stats() cacheStats {
	c.mu.Lock()
	st := cacheStats{Entries: len(c.pages), Bytes: c.bytes}
	c.mu.Unlock()
	st.Hits, st.Misses, st.Evictions, st.Renders = c.hits.Load(), c.misses.Load(), c.evictions.Load(), c.renders.Load()
	return st
}

func (c *cache) getSites() []twinning.Site {
	c.mu.Lock()
	defer c.mu.Unlock()
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
	c.mu.Lock()
	defer c.mu.Unlock()
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
