package geo

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// Paths are the SVG path data of a frame's layers: its land and lakes (SVGPath of f.Rings),
// and the borders between countries (SVGLines of f.Lines).
type Paths struct{ Land, Borders, Lakes string }

func (p Paths) size() int64 { return int64(len(p.Land) + len(p.Borders) + len(p.Lakes)) }

// FramePaths are the paths of frame f, prepared once per frame and kept in a bounded LRU:
// projecting and simplifying the world's outlines takes milliseconds, and pages share
// frames (a city's page in each language, the sites of a region).
func FramePaths(f Frame) Paths {
	return paths.get(f)
}

// preparePaths projects and simplifies the layers of f.
func preparePaths(f Frame) Paths {
	l := f.Layers()
	return Paths{Land: SVGPath(f.Rings(l.Land)), Borders: SVGLines(f.Lines(l.Borders)), Lakes: SVGPath(f.Rings(l.Lakes))}
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
	d     Paths
}

type pathFlight struct {
	done chan struct{}
	d    Paths
}

func (c *pathCache) get(f Frame) Paths {
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
	fl.d = preparePaths(f)
	c.prepared.Add(1)
	c.mu.Lock()
	if _, ok := c.byFrame[f]; !ok && fl.d.size() <= c.max {
		c.byFrame[f] = c.lru.PushFront(&pathEntry{frame: f, d: fl.d})
		c.bytes += fl.d.size()
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
		c.bytes -= p.d.size()
	}
}
