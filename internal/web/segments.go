package web

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"hash/maphash"
	"strconv"
	"sync"

	"github.com/klauspost/compress/flate"
)

// Pages with a map are two-thirds outlines (SVG path data of land, lakes and borders): the
// same outlines on every page of the same frame (a city's page in each language, the home
// pages of neighbours). A
// page's gzip variant is therefore made of deflate segments that each end on a byte boundary
// (a sync flush): the page's own text, compressed when it renders, and the outlines of its
// maps, compressed once and shared by every page that shows them. Segments compressed apart
// make one valid deflate stream when written one after the other (RFC 1951: a stream is a
// sequence of blocks, and none refers back across a segment), so clients see a plain gzip
// body. A page then costs its own text, compressed, and renders by compressing only that.

// segment is deflate data that ends on a byte boundary: outlines of a map, shared.
type segment struct {
	hash uint64
	data []byte
	refs int // cached pages that hold it; guarded by cache.mu
}

// minShared is the size under which outlines are compressed with their page: a segment
// costs its page a few bytes of flush and the context of the text before it.
const minShared = 512

var (
	// outlineAttrs open the path data of a map's layers (templates/components/map.templ).
	outlineAttrs = [][]byte{[]byte(`<path class="land" d="`), []byte(`<path class="lake" d="`), []byte(`<path class="borders" d="`)}
	segSeed      = maphash.MakeSeed()
	// deflaters are reused like the compressors of encoding.go.
	deflaters = sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, gzipLevel); return w }}
)

// outlineSpans finds the outlines (path data) of a page's maps worth sharing, in order.
func outlineSpans(body []byte) [][2]int {
	var spans [][2]int
	for from := 0; ; {
		start := -1
		for _, attr := range outlineAttrs {
			if i := bytes.Index(body[from:], attr); i >= 0 && (start < 0 || from+i+len(attr) < start) {
				start = from + i + len(attr)
			}
		}
		if start < 0 {
			return spans
		}
		n := bytes.IndexByte(body[start:], '"')
		if n < 0 {
			return spans
		}
		if n >= minShared {
			spans = append(spans, [2]int{start, start + n})
		}
		from = start + n
	}
}

// deflate compresses b into a segment: flushed on a byte boundary, or closed (the last block
// of the stream) when last.
func deflate(b []byte, last bool) []byte {
	var buf bytes.Buffer
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(b)
	if last {
		w.Close()
	} else {
		w.Flush()
	}
	deflaters.Put(w)
	return buf.Bytes()
}

// gzipHeader is the header of every gzip variant: deflate, no name, no time.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// gzipVariant makes the gzip variant of body with the outlines of its maps as shared
// segments (from c); ok is false when it has none (see compress).
func (p *cachedPage) gzipVariant(body []byte, c *cache) (v *variant, ok bool) {
	spans := outlineSpans(body)
	if len(spans) == 0 {
		return nil, false
	}
	own := append([]byte{}, gzipHeader...)
	var cuts []int // where each shared segment comes in
	var shared []*segment
	at := 0
	for _, sp := range spans {
		own = append(own, deflate(body[at:sp[0]], false)...)
		cuts = append(cuts, len(own))
		shared = append(shared, c.outlineSegment(body[sp[0]:sp[1]]))
		at = sp[1]
	}
	own = append(own, deflate(body[at:], true)...)
	own = binary.LittleEndian.AppendUint32(own, crc32.ChecksumIEEE(body))
	own = binary.LittleEndian.AppendUint32(own, uint32(len(body)))
	own = bytes.Clone(own) // no spare capacity kept
	v = p.newVariant(encGzip, own)
	prev, n := 0, len(own)
	for i, cut := range cuts {
		v.parts = append(v.parts, own[prev:cut], shared[i].data)
		prev = cut
		n += len(shared[i].data)
	}
	v.parts = append(v.parts, own[prev:])
	v.shared = shared
	v.contentLength = []string{strconv.Itoa(n)}
	return v, true
}

// outlineSegment returns the compressed outlines text: the segment a cached page already
// holds, else compressed now (concurrent pages share one compression). It is counted in the
// cache when a page that holds it is stored.
func (c *cache) outlineSegment(text []byte) *segment {
	h := maphash.Bytes(segSeed, text)
	c.mu.Lock()
	s := c.segments[h]
	c.mu.Unlock()
	if s != nil {
		return s
	}
	v, _, _ := c.segFlight.Do(strconv.FormatUint(h, 36), func() (any, error) {
		return &segment{hash: h, data: bytes.Clone(deflate(text, false))}, nil
	})
	return v.(*segment)
}

// holdSegments counts the shared segments of a page being stored; c.mu is held.
func (c *cache) holdSegments(p *cachedPage, n int) {
	v := p.variants[encGzip].Load()
	if v == nil {
		return
	}
	for _, s := range v.shared {
		s.refs += n
		switch {
		case n > 0 && s.refs == 1:
			c.bytes += int64(len(s.data)) + segmentOverhead
			c.segments[s.hash] = s
		case n < 0 && s.refs == 0:
			c.bytes -= int64(len(s.data)) + segmentOverhead
			if c.segments[s.hash] == s {
				delete(c.segments, s.hash)
			}
		}
	}
}

// segmentOverhead is what a shared segment costs besides its data.
const segmentOverhead = 128
