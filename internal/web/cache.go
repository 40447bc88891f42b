package web

import (
	"container/list"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"

	"twintowns/internal/twinning"
)

// DefaultCacheBytes bounds the cache when Options.CacheBytes is 0.
const DefaultCacheBytes = 32 << 20

// contentShare is the part of the cache's bound that sites' contents may take, and
// roomyShare how full pages may be before they stop keeping variants besides gzip (see
// cachedPage.variant): with a country's pages competing for memory, a second copy of a page
// would push out a page nobody else holds.
const contentShare, roomyShare = 1.0 / 8, 3.0 / 4

// pageKey is what a cached page depends on: the site (never the Host header, which any
// client can vary), what makes the origin of its absolute URLs (see originOf) and the path,
// which holds the language. The key with the site alone (no path) holds the site's content.
type pageKey struct {
	site int64
	tls  bool
	port int
	path string
}

// contentKey is the key of a site's content: no page has an empty path.
func contentKey(site int64) pageKey { return pageKey{site: site} }

// cache holds what the server read or rendered within one bound of bytes: pages, and the
// content of sites in a share of it (contentShare). A site's content is read when one of its
// pages renders and kept while its pages render, so that a country's sites share the memory
// by use; its own share keeps it from crowding out pages: a site's content is twenty pages'
// worth of memory and serves only the renders of its pages, while a page in memory spares a
// render at every ask.
//
// Pages are evicted as a segmented LRU: a new page waits in probation and moves to the
// protected segment on its second hit; eviction takes probation first. A flood of pages asked
// once (crawlers, scanners, a uniform load over thousands of sites) churns probation and
// leaves the pages people read in place. Contents are evicted least recently used first.
//
// A change of a site drops that site's items and nothing else. A fill that started before a
// change of its site (or of everything) is not stored (see stamp), so no stale page outlives it.
type cache struct {
	mu      sync.Mutex
	gen     uint64           // grows when everything is dropped
	siteGen map[int64]uint64 // grows when a site's items are dropped

	items                map[pageKey]*cacheItem
	bySite               map[int64]*cacheItem // the first of each site's items, linked by sitePrev/siteNext
	probation, protected list.List            // pages
	contentLRU           list.List            // contents, most recently used first
	bytes, protBytes     int64                // of pages and their shared segments
	contentBytes         int64
	maxBytes, maxContent int64               // bounds of pages and of contents: together the cache's bound
	pages, contents      int                 // items of each kind
	segments             map[uint64]*segment // shared parts of cached pages (segments.go)
	segFlight            singleflight.Group
	roomy                atomic.Bool // pages fill less than roomyShare of their bound

	hits, misses, evictions, renders, contentReads atomic.Uint64
	stored, saved                                  atomic.Uint64 // pages read from and written to the PageStore
}

// cacheItem is a page or a site's content, with its place in the LRU and among its site's items.
type cacheItem struct {
	key                pageKey
	size               int64
	elem               *list.Element
	isProt             bool
	sitePrev, siteNext *cacheItem
	page               *cachedPage       // a page
	content            *twinning.Content // or a site's content
}

// stamp is the state of a site's items when a fill began.
type stamp struct{ gen, site uint64 }

func newCache(maxBytes int64) *cache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	maxContent := int64(float64(maxBytes) * contentShare)
	c := &cache{siteGen: map[int64]uint64{}, items: map[pageKey]*cacheItem{}, bySite: map[int64]*cacheItem{},
		segments: map[uint64]*segment{}, maxBytes: maxBytes - maxContent, maxContent: maxContent}
	c.roomy.Store(true)
	return c
}

// invalidate drops what depends on site (0: every site).
func (c *cache) invalidate(site int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if site == 0 {
		c.gen++
		clear(c.siteGen)
		c.items = map[pageKey]*cacheItem{}
		c.bySite = map[int64]*cacheItem{}
		c.probation.Init()
		c.protected.Init()
		c.contentLRU.Init()
		c.bytes, c.protBytes, c.contentBytes = 0, 0, 0
		c.roomy.Store(true)
		c.pages, c.contents = 0, 0
		for _, seg := range c.segments {
			seg.refs = 0
		}
		clear(c.segments)
		return
	}
	c.siteGen[site]++
	for it := c.bySite[site]; it != nil; it = it.siteNext {
		c.remove(it)
	}
}

// stamp returns the state of site's items, for a fill to store its result only if nothing
// changed meanwhile.
func (c *cache) stamp(site int64) stamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return stamp{c.gen, c.siteGen[site]}
}

// page returns the cached page of key, counting the hit or miss.
func (c *cache) page(key pageKey) *cachedPage {
	c.mu.Lock()
	it := c.items[key]
	if it != nil {
		c.touch(it)
	}
	c.mu.Unlock()
	if it == nil {
		c.misses.Add(1)
		return nil
	}
	c.hits.Add(1)
	return it.page
}

// putPage stores p unless its site changed since st.
func (c *cache) putPage(st stamp, p *cachedPage) {
	c.put(st, &cacheItem{key: p.key, size: p.size(), page: p})
}

// content returns the cached content of a site.
func (c *cache) content(site int64) (*twinning.Content, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it := c.items[contentKey(site)]
	if it == nil {
		return nil, false
	}
	c.touch(it)
	return it.content, true
}

// putContent stores a site's content, of about size bytes, unless the site changed since st.
func (c *cache) putContent(st stamp, ct *twinning.Content, size int64) {
	c.put(st, &cacheItem{key: contentKey(ct.Site.ID), size: size, content: ct})
}

// touch moves a content to the front of its LRU, a page to the front of the protected
// segment, demoting the least used protected pages to probation when that segment outgrows
// its share (80%).
func (c *cache) touch(it *cacheItem) {
	if it.content != nil {
		c.contentLRU.MoveToFront(it.elem)
		return
	}
	if it.isProt {
		c.protected.MoveToFront(it.elem)
		return
	}
	c.probation.Remove(it.elem)
	it.elem, it.isProt = c.protected.PushFront(it), true
	c.protBytes += it.size
	for c.protBytes > c.maxBytes/5*4 {
		old := c.protected.Back().Value.(*cacheItem)
		c.protected.Remove(old.elem)
		c.protBytes -= old.size
		old.elem, old.isProt = c.probation.PushFront(old), false
	}
}

// put stores it unless its site changed since st; items larger than their whole bound are
// not stored.
func (c *cache) put(st stamp, it *cacheItem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	site := it.key.site
	bound := c.maxBytes
	if it.content != nil {
		bound = c.maxContent
	}
	if st != (stamp{c.gen, c.siteGen[site]}) || it.size > bound {
		return
	}
	if old := c.items[it.key]; old != nil {
		c.remove(old)
	}
	if it.content != nil {
		it.elem = c.contentLRU.PushFront(it)
	} else {
		it.elem, it.isProt = c.probation.PushFront(it), false
	}
	c.items[it.key] = it
	if head := c.bySite[site]; head != nil {
		head.sitePrev, it.siteNext = it, head
	}
	c.bySite[site] = it
	if it.page != nil {
		it.page.item = it
		c.holdSegments(it.page, 1)
	}
	c.count(it, 1)
	c.evict()
}

// count adds (n 1) or takes away (n -1) it in the figures.
func (c *cache) count(it *cacheItem, n int) {
	if it.page != nil {
		c.pages += n
		c.bytes += int64(n) * it.size
	} else {
		c.contents += n
		c.contentBytes += int64(n) * it.size
	}
}

// grow adds delta bytes to a cached page that made a variant on demand.
func (c *cache) grow(p *cachedPage, delta int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it := p.item
	if it == nil || c.items[it.key] != it {
		return // not (or no longer) cached
	}
	it.size += delta
	c.bytes += delta
	if it.isProt {
		c.protBytes += delta
	}
	c.evict()
}

// evict removes the least used items until pages and contents are within their bounds.
func (c *cache) evict() {
	for c.bytes > c.maxBytes {
		victim := c.probation.Back()
		if victim == nil {
			victim = c.protected.Back()
		}
		c.remove(victim.Value.(*cacheItem))
		c.evictions.Add(1)
	}
	for c.contentBytes > c.maxContent {
		c.remove(c.contentLRU.Back().Value.(*cacheItem))
		c.evictions.Add(1)
	}
	c.roomy.Store(float64(c.bytes) < float64(c.maxBytes)*roomyShare)
}

func (c *cache) remove(it *cacheItem) {
	switch {
	case it.content != nil:
		c.contentLRU.Remove(it.elem)
	case it.isProt:
		c.protected.Remove(it.elem)
		c.protBytes -= it.size
	default:
		c.probation.Remove(it.elem)
	}
	c.count(it, -1)
	if it.page != nil {
		c.holdSegments(it.page, -1)
	}
	delete(c.items, it.key)
	if it.sitePrev != nil {
		it.sitePrev.siteNext = it.siteNext
	} else if it.siteNext != nil {
		c.bySite[it.key.site] = it.siteNext
	} else {
		delete(c.bySite, it.key.site)
	}
	if it.siteNext != nil {
		it.siteNext.sitePrev = it.sitePrev
	}
	// it keeps siteNext: invalidate walks on from it
	it.sitePrev = nil
}

// cacheStats are the figures of the cache, for /metrics and tests: Entries are pages,
// Contents the sites whose content is kept, Bytes both.
type cacheStats struct {
	Entries, Contents                              int
	Bytes                                          int64
	Hits, Misses, Evictions, Renders, ContentReads uint64
	Stored, Saved                                  uint64
}

func (c *cache) stats() cacheStats {
	c.mu.Lock()
	st := cacheStats{Entries: c.pages, Contents: c.contents, Bytes: c.bytes + c.contentBytes}
	c.mu.Unlock()
	st.Hits, st.Misses, st.Evictions, st.Renders = c.hits.Load(), c.misses.Load(), c.evictions.Load(), c.renders.Load()
	st.ContentReads = c.contentReads.Load()
	st.Stored, st.Saved = c.stored.Load(), c.saved.Load()
	return st
}
