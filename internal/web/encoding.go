package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// encoding is a content coding a cached page is kept in.
type encoding int

const (
	identity encoding = iota
	encGzip
	encBrotli
	numEncodings
)

// variant is one encoding of a cached page, with its header values built once.
type variant struct {
	body          []byte   // the variant, or its own bytes when it has shared parts
	parts         [][]byte // the whole variant, when it has shared parts: its own and shared segments
	shared        []*segment
	etag          string
	etagHeader    []string
	contentLength []string
	encoding      []string // nil for identity
}

// minCompress is the size under which compressing a page is not worth a variant.
const minCompress = 512

// Compression levels: a page is compressed when it renders, and at national scale pages
// render all the time (a country's pages do not all fit in memory), so the variant made then
// is gzip at a fast level: a tenth of brotli's time for a tenth more bytes. Brotli, about a
// tenth smaller, is made for the pages asked for again, which are served many times; above
// quality 5 it allocates large match finders and takes ten times as long for a few percent on
// pages of a few kilobytes; its window is small since pages are small.
const (
	gzipLevel     = 5
	brotliQuality = 5
	brotliWindow  = 18
)

// Compressors are reused: their buffers cost more than compressing a page.
var (
	gzipWriters   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w }}
	brotliWriters = sync.Pool{New: func() any {
		return brotli.NewWriterOptions(nil, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindow})
	}}
	gzipReaders sync.Pool
)

// cachedPage is a rendered page, kept compressed: its gzip variant is made when it is
// rendered; the brotli and identity variants are made from it when a client asks for them,
// and kept from the second ask on (a page asked for again is a hot page) while the cache has
// room (cache.roomy): when pages compete for memory, a client that takes gzip gets gzip. A
// page that does not compress (an image, a few hundred bytes) keeps its identity variant
// alone. So a page read once costs about a fourth of its size, where three variants cost one
// and a half times it.
type cachedPage struct {
	key        pageKey
	tag        string // hash of the identity body: the ETags of every variant derive from it
	compressed bool   // offered in gzip and brotli
	variants   [numEncodings]atomic.Pointer[variant]
	asks       [numEncodings]atomic.Int32 // of the variants not kept
	item       *cacheItem                 // its place in the cache; nil when it was not stored
	// header values shared by every response of the page, built once
	contentType, contentLang []string
	etags                    [numEncodings][]string
	// lastModified is the Last-Modified of documents that know when their content changed
	// (the open data), modTime the same as a time.
	lastModified []string
	modTime      time.Time
	// cacheControl replaces the public pages' Cache-Control (static files: a year).
	cacheControl []string
}

// newPage keeps a rendered page in its smallest quick form, with the land outlines of its
// maps shared through c (see segments.go); it also returns the identity variant of the body
// at hand, for the request that rendered it.
func newPage(key pageKey, body []byte, c *cache) (*cachedPage, *variant) {
	sum := sha256.Sum256(body)
	p := &cachedPage{key: key, tag: hex.EncodeToString(sum[:12])}
	for e := range numEncodings {
		p.etags[e] = []string{p.etag(e)}
	}
	plain := p.newVariant(identity, body)
	if len(body) >= minCompress && !isPNG(body) {
		if v, ok := p.gzipVariant(body, c); ok {
			p.compressed = true
			p.variants[encGzip].Store(v)
		} else if gz := compress(&gzipWriters, body); len(gz) < len(body) {
			p.compressed = true
			p.variants[encGzip].Store(p.newVariant(encGzip, gz))
		}
	}
	if !p.compressed {
		p.variants[identity].Store(plain)
	}
	return p, plain
}

// encodingFor is the encoding of a response to a client that accepts accept: the one it
// prefers, but gzip instead of brotli while brotli was asked for once only (brotli takes ten
// times as long to make) or while the cache has no room for it (see cachedPage), when the
// client takes gzip too.
func (p *cachedPage) encodingFor(accept string, roomy bool) encoding {
	enc := negotiateEncoding(accept, [numEncodings]bool{true, p.compressed, p.compressed})
	if enc == encBrotli && p.variants[encBrotli].Load() == nil && (!roomy || p.asks[encBrotli].Add(1) < 2) &&
		negotiateEncoding(accept, [numEncodings]bool{true, true, false}) == encGzip {
		return encGzip
	}
	return enc
}

// isPNG tells a PNG image, which does not compress further.
func isPNG(body []byte) bool { return bytes.HasPrefix(body, []byte("\x89PNG\r\n\x1a\n")) }

// etag is the ETag of the page's variant e.
func (p *cachedPage) etag(e encoding) string {
	return `"` + p.tag + [numEncodings]string{"", "-gz", "-br"}[e] + `"`
}

// variant returns the page in encoding e, making it from the gzip variant when it is not
// kept (see cachedPage); c accounts for what is kept. plain, when not nil, is the identity
// variant at hand.
func (p *cachedPage) variant(e encoding, plain *variant, c *cache) *variant {
	if v := p.variants[e].Load(); v != nil {
		return v
	}
	keep := (e != identity || p.asks[identity].Add(1) >= 2) && c.roomy.Load()
	if e == identity && plain != nil && !keep {
		return plain
	}
	body := plain.bodyOrNil()
	if body == nil {
		if kept := p.variants[identity].Load(); kept != nil {
			body = kept.body
		} else {
			body = gunzip(p.variants[encGzip].Load())
		}
	}
	v := p.newVariant(identity, body)
	if e == encBrotli {
		v = p.newVariant(encBrotli, compress(&brotliWriters, body))
	}
	if keep && p.variants[e].CompareAndSwap(nil, v) {
		c.grow(p, int64(len(v.body))+variantOverhead)
	}
	return v
}

func (v *variant) bodyOrNil() []byte {
	if v == nil {
		return nil
	}
	return v.body
}

// write writes the variant.
func (v *variant) write(w io.Writer) {
	if v.parts == nil {
		w.Write(v.body)
		return
	}
	for _, p := range v.parts {
		w.Write(p)
	}
}

// reader reads the variant.
func (v *variant) reader() io.Reader {
	if v.parts == nil {
		return bytes.NewReader(v.body)
	}
	rs := make([]io.Reader, len(v.parts))
	for i, p := range v.parts {
		rs[i] = bytes.NewReader(p)
	}
	return io.MultiReader(rs...)
}

// gunzip unpacks a gzip variant this package made.
func gunzip(v *variant) []byte {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(v.reader())
	} else {
		err = zr.Reset(v.reader())
	}
	var out []byte
	if err == nil {
		out, err = io.ReadAll(zr)
	}
	if err != nil {
		panic("web: cached gzip variant does not decode: " + err.Error()) // made by compress
	}
	gzipReaders.Put(zr)
	return out
}

// size is what the page costs in the cache.
func (p *cachedPage) size() int64 {
	n := int64(pageOverhead)
	for e := range numEncodings {
		if v := p.variants[e].Load(); v != nil {
			n += int64(len(v.body)) + variantOverhead
		}
	}
	return n
}

// compressor is what gzip's and brotli's writers have in common.
type compressor interface {
	io.WriteCloser
	Reset(w io.Writer)
}

// compress compresses body with a writer from pool.
func compress(pool *sync.Pool, body []byte) []byte {
	var buf bytes.Buffer
	w := pool.Get().(compressor)
	w.Reset(&buf)
	w.Write(body)
	w.Close()
	pool.Put(w)
	return bytes.Clone(buf.Bytes()) // no spare capacity kept in the cache
}

func (p *cachedPage) newVariant(e encoding, body []byte) *variant {
	v := &variant{body: body, etag: p.etag(e), etagHeader: p.etags[e], contentLength: []string{strconv.Itoa(len(body))}}
	if e != identity {
		v.encoding = [numEncodings][]string{nil, {"gzip"}, {"br"}}[e]
	}
	return v
}

// negotiateEncoding picks the encoding of a response from Accept-Encoding (RFC 9110
// 12.5.3): the highest q-value among those the page has, brotli before gzip before identity
// on a tie. It never refuses: when nothing acceptable is available, identity it is.
func negotiateEncoding(accept string, have [numEncodings]bool) encoding {
	if accept == "" {
		return identity
	}
	// q-values in thousandths; -1 is "not mentioned"
	qBr, qGzip, qIdentity, qAny := -1, -1, -1, -1
	for accept != "" {
		var item string
		item, accept, _ = strings.Cut(accept, ",")
		coding, params, _ := strings.Cut(item, ";")
		coding = strings.TrimSpace(coding)
		q := 1000
		if params != "" {
			q = parseQ(params)
		}
		switch {
		case strings.EqualFold(coding, "br"):
			qBr = max(qBr, q)
		case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
			qGzip = max(qGzip, q)
		case strings.EqualFold(coding, "identity"):
			qIdentity = max(qIdentity, q)
		case coding == "*":
			qAny = max(qAny, q)
		}
	}
	orAny := func(q int) int {
		if q < 0 {
			return max(qAny, 0)
		}
		return q
	}
	best, bestQ := identity, orAny(qIdentity)
	if qIdentity < 0 && qAny < 0 {
		bestQ = 1 // acceptable, but after anything named
	}
	for _, c := range []struct {
		enc encoding
		q   int
	}{{encGzip, orAny(qGzip)}, {encBrotli, orAny(qBr)}} {
		if have[c.enc] && c.q > 0 && c.q >= bestQ {
			best, bestQ = c.enc, c.q
		}
	}
	return best
}

// parseQ reads the q parameter of an Accept-Encoding item in thousandths; a malformed one is 0.
func parseQ(params string) int {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		value = strings.TrimSpace(value)
		if value == "" || len(value) > 5 || (value[0] != '0' && value[0] != '1') {
			return 0
		}
		q := int(value[0]-'0') * 1000
		if len(value) > 1 {
			if value[1] != '.' {
				return 0
			}
			for i, scale := 2, 100; i < len(value); i, scale = i+1, scale/10 {
				if value[i] < '0' || value[i] > '9' {
					return 0
				}
				q += int(value[i]-'0') * scale
			}
		}
		return min(q, 1000)
	}
	return 1000
}

// etagMatches reports whether an If-None-Match header names etag (weak comparison, as
// RFC 9110 13.1.2 asks for this header).
func etagMatches(header, etag string) bool {
	for header != "" {
		var tag string
		tag, header, _ = strings.Cut(header, ",")
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
