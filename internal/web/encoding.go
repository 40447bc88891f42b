package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"sync"

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
	body          []byte
	etag          string
	etagHeader    []string
	contentLength []string
	encoding      []string // nil for identity
}

// minCompress is the size under which compressing a page is not worth a variant.
const minCompress = 512

// Compression levels: pages are compressed once per change and served many times, but
// changes come in bursts and a page waits for its compression. Brotli above quality 5
// allocates large match finders and takes ten times as long for a few percent on pages of
// a few kilobytes; its window is small since pages are small.
const (
	gzipLevel     = gzip.DefaultCompression
	brotliQuality = 5
	brotliWindow  = 18
)

// Compressors are reused: their buffers cost more than compressing a page.
var (
	gzipWriters   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w }}
	brotliWriters = sync.Pool{New: func() any {
		return brotli.NewWriterOptions(nil, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindow})
	}}
)

// newVariants returns the identity variant of body and the compressed ones that are smaller.
func newVariants(body []byte) [numEncodings]*variant {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	var vs [numEncodings]*variant
	vs[identity] = newVariant(body, `"`+tag+`"`, "")
	if len(body) < minCompress {
		return vs
	}
	if gz := compress(&gzipWriters, body); len(gz) < len(body) {
		vs[encGzip] = newVariant(gz, `"`+tag+`-gz"`, "gzip")
	}
	if br := compress(&brotliWriters, body); len(br) < len(body) {
		vs[encBrotli] = newVariant(br, `"`+tag+`-br"`, "br")
	}
	return vs
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
	return buf.Bytes()
}

func newVariant(body []byte, etag, enc string) *variant {
	v := &variant{body: body, etag: etag, etagHeader: []string{etag}, contentLength: []string{strconv.Itoa(len(body))}}
	if enc != "" {
		v.encoding = []string{enc}
	}
	return v
}

// negotiateEncoding picks the encoding of a response from Accept-Encoding (RFC 9110
// 12.5.3): the highest q-value among those the page has, brotli before gzip before identity
// on a tie. It never refuses: when nothing acceptable is available, identity it is.
func negotiateEncoding(accept string, have *[numEncodings]*variant) encoding {
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
		if have[c.enc] != nil && c.q > 0 && c.q >= bestQ {
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
