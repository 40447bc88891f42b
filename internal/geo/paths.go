package geo

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// LandPath is the SVG path data of the land in frame f (SVGPath of f.Rings of its layers' land),
// prepared once per frame and kept in a bounded LRU: projecting and simplifying the world's
// outlines takes milliseconds, and the sites of a region share frames (every city of a
// region its locator map, copies of a site all of theirs).
func LandPath(f Frame) string {
	return paths.get(f)
}

// SetPathCacheBytes bounds the memory of the prepared paths (DefaultPathCacheBytes until set).
func SetPathCacheBytes(n int64) {
	paths.mu.Lock()
	defer paths.mu.Unlock()
	paths.max = max(n, 0)
	paths.evict()
}

// PathCacheStats are the prepared paths kept, their bytes, and how often a path was prepared.
func PathCacheStats() (entries int, bytes int64, prepared uint64) {
	paths.mu.Lock()
	defer paths.mu.Unlock()
	return len(paths.byFrame), paths.bytes, paths.prepared.Load()
}

// DefaultPathCacheBytes holds about 170 world or regional maps.
const DefaultPathCacheBytes = 4 << 20

var paths = &pathCache{max: DefaultPathCacheBytes, byFrame: map[Frame]*list.Element{}}

type pathCache struct {
	mu       sync.Mutex
	max      int64
	bytes    int64
	byFrame  map[Frame]*list.Element
	lru      list.List // of *pathEntry, most recent first
	prepared atomic.Uint64
	flights  sync.Map // Frame -> *pathFlight: concurrent misses of a frame prepare it once
}

type pathEntry struct {
	frame Frame
	d     string
}

type pathFlight struct {
	done chan struct{}
	d    string
}

func (c *pathCache) get(f Frame) string {
	c.mu.Lock()
	if e, ok := c.byFrame[f]; ok {
		c.lru.MoveToFront(e)
		d := e.Value.(*pathEntry).d
		c.mu.Unlock()
		return d
	}
	c.mu.Unlock()
	fl := &pathFlight{done: make(chan struct{})}
	if other, loaded := c.flights.LoadOrStore(f, fl); loaded {
		o := other.(*pathFlight)
		<-o.done
		return o.d
	}
	fl.d = SVGPath(f.Rings(f.Layers().Land))
	c.prepared.Add(1)
	c.mu.Lock()
	if _, ok := c.byFrame[f]; !ok && int64(len(fl.d)) <= c.max {
		c.byFrame[f] = c.lru.PushFront(&pathEntry{frame: f, d: fl.d})
		c.bytes += int64(len(fl.d))
		c.evict()
	}
	c.mu.Unlock()
	close(fl.done)
	c.flights.Delete(f)
	return fl.d
}

// evict drops the least used paths beyond the bound; c.mu is held.
func (c *pathCache) evict() {
	for c.bytes > c.max {
		e := c.lru.Back()
		p := e.Value.(*pathEntry)
		c.lru.Remove(e)
		delete(c.byFrame, p.frame)
		c.bytes -= int64(len(p.d))
	}
}
