package web

import (
	"fmt"
	"testing"
)

func testPage(site int64, path string, size int64) *cachedPage {
	return &cachedPage{key: pageKey{site: site, path: path}, size: size}
}

// The cache stays within its byte bound, and pages read more than once survive a flood of
// pages read once.
func TestCacheBoundAndEviction(t *testing.T) {
	c := newCache(100_000)
	hot := []string{"/fi/", "/fi/cities/a", "/sv/", "/pl/"}
	for _, p := range hot {
		c.putPage(c.generation(), testPage(1, p, 10_000))
		c.page(pageKey{site: 1, path: p}) // second use: protected
	}
	for i := range 22_000 {
		c.putPage(c.generation(), testPage(1, fmt.Sprintf("/fi/x%d", i), 3_000))
		if st := c.stats(); st.Bytes > 100_000 {
			t.Fatalf("after %d pages: %d bytes", i, st.Bytes)
		}
	}
	for _, p := range hot {
		if c.page(pageKey{site: 1, path: p}) == nil {
			t.Errorf("hot page %s evicted by the flood", p)
		}
	}
	st := c.stats()
	if st.Evictions == 0 || st.Entries > 100_000/3_000+len(hot) {
		t.Errorf("stats %+v", st)
	}
	c.putPage(c.generation(), testPage(1, "/huge", 200_000))
	if c.page(pageKey{site: 1, path: "/huge"}) != nil {
		t.Error("a page larger than the bound was stored")
	}
}

// Protected pages that outgrow their share go back to probation instead of crowding it out.
func TestCacheProtectedShare(t *testing.T) {
	c := newCache(100_000)
	for i := range 20 {
		k := fmt.Sprintf("/p%d", i)
		c.putPage(c.generation(), testPage(1, k, 10_000))
		c.page(pageKey{site: 1, path: k})
	}
	if c.protBytes > 80_000 || c.bytes > 100_000 {
		t.Errorf("protected %d, total %d", c.protBytes, c.bytes)
	}
}

func TestCacheInvalidateSite(t *testing.T) {
	c := newCache(0)
	c.putPage(c.generation(), testPage(1, "/fi/", 100))
	c.putPage(c.generation(), testPage(2, "/pl/", 100))
	gen := c.generation()
	c.invalidate(1)
	if c.page(pageKey{site: 1, path: "/fi/"}) != nil || c.page(pageKey{site: 2, path: "/pl/"}) == nil {
		t.Error("invalidating site 1 must drop its pages and only them")
	}
	c.putPage(gen, testPage(1, "/fi/", 100)) // rendered before the change
	if c.page(pageKey{site: 1, path: "/fi/"}) != nil {
		t.Error("a page rendered before the invalidation was stored")
	}
	c.invalidate(0)
	if st := c.stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Errorf("after invalidating everything: %+v", st)
	}
}
