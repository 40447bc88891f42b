package photo

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"sync"

	"github.com/davidbyttow/govips/v2/vips"
)

// Widths are the widths of the variants the public pages offer in srcset; a photo narrower
// than the largest gets its own width instead of the larger ones (never enlarged).
var Widths = []int{480, 960, 1600}

// ShareWidth and ShareHeight are the size of the share image (Open Graph) cut from a photo.
const ShareWidth, ShareHeight = 1200, 630

// Variant is one encoding of a photo at one size, without metadata.
type Variant struct {
	Format        Format // WebP or JPEG
	Width, Height int
	Body          []byte
}

// Result is what a photo becomes: its variants, widest last per format, and its share image.
type Result struct {
	Width, Height int // of the upright photo at the largest variant's scale
	Variants      []Variant
	Share         Variant // JPEG, ShareWidth x ShareHeight
}

// Encoding settings: quality for the eye at the sizes of a page; WebP's effort 4 is libwebp's
// default balance of time and size.
const (
	jpegQuality = 82
	webpQuality = 78
	webpEffort  = 4
)

// maxCoord lets a thumbnail be as tall as it needs: widths bound the variants.
const maxCoord = 10_000_000

var startVips = sync.OnceFunc(func() {
	vips.LoggingSettings(func(domain string, level vips.LogLevel, msg string) {
		slog.Warn("libvips", "domain", domain, "msg", msg)
	}, vips.LogLevelError)
	// One thread per photo, and no operation cache: photos are processed once, and memory
	// stays what one photo needs.
	vips.Startup(&vips.Config{ConcurrencyLevel: 1, MaxCacheFiles: 0, MaxCacheMem: 0, MaxCacheSize: 0})
})

// Processor makes the variants of photos, a bounded number at once: a burst of uploads waits
// for a slot instead of decoding every photo together.
type Processor struct {
	slots chan struct{}
}

// NewProcessor returns a processor that works on at most n photos at a time.
func NewProcessor(n int) *Processor {
	return &Processor{slots: make(chan struct{}, max(n, 1))}
}

// Process checks an uploaded image (Probe) and makes its variants: decoded once, shrunk on
// load where the format allows, turned upright by its EXIF orientation, then resized and
// encoded without any metadata. It waits for a slot or for ctx.
func (p *Processor) Process(ctx context.Context, b []byte) (Result, error) {
	if _, err := Probe(b); err != nil {
		return Result{}, err
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	startVips()
	return process(b)
}

func process(b []byte) (Result, error) {
	// The upright photo at the largest width, decoded once (libvips shrinks JPEG and WebP
	// while decoding) and kept uncompressed for the variants.
	params := vips.NewImportParams() // fail on a damaged file
	big, err := vips.LoadThumbnailFromBuffer(b, Widths[len(Widths)-1], maxCoord, vips.InterestingNone, vips.SizeDown, params)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrBroken, err)
	}
	r := Result{Width: big.Width(), Height: big.Height()}
	base, _, err := big.ExportTiff(&vips.TiffExportParams{StripMetadata: true, Compression: vips.TiffCompressionNone, TileWidth: 256, TileHeight: 256})
	big.Close()
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrBroken, err)
	}
	for _, w := range widthsFor(r.Width) {
		img, err := vips.NewImageFromBuffer(base)
		if err != nil {
			return Result{}, err
		}
		if w < r.Width {
			err = img.Thumbnail(w, maxCoord, vips.InterestingNone)
		}
		var vs []Variant
		if err == nil {
			vs, err = encode(img)
		}
		img.Close()
		if err != nil {
			return Result{}, err
		}
		r.Variants = append(r.Variants, vs...)
	}
	share, err := vips.NewImageFromBuffer(base)
	if err != nil {
		return Result{}, err
	}
	defer share.Close()
	if err := share.ThumbnailWithSize(ShareWidth, ShareHeight, vips.InterestingAttention, vips.SizeBoth); err != nil {
		return Result{}, err
	}
	body, _, err := share.ExportJpeg(&vips.JpegExportParams{StripMetadata: true, Quality: jpegQuality, OptimizeCoding: true})
	if err != nil {
		return Result{}, err
	}
	r.Share = Variant{Format: JPEG, Width: share.Width(), Height: share.Height(), Body: body}
	return r, nil
}

// widthsFor are the widths of the variants of a photo full pixels wide (at most the largest
// of Widths): the smaller Widths, and its own.
func widthsFor(full int) []int {
	var out []int
	for _, w := range Widths {
		if w < full {
			out = append(out, w)
		}
	}
	return append(out, full)
}

// encode writes img as WebP and as (progressive) JPEG, without metadata.
func encode(img *vips.ImageRef) ([]Variant, error) {
	w, h := img.Width(), img.Height()
	wp, _, err := img.ExportWebp(&vips.WebpExportParams{StripMetadata: true, Quality: webpQuality, ReductionEffort: webpEffort})
	if err != nil {
		return nil, err
	}
	if wp, err = stripWebP(wp); err != nil {
		return nil, err
	}
	jp, _, err := img.ExportJpeg(&vips.JpegExportParams{StripMetadata: true, Quality: jpegQuality, Interlace: true, OptimizeCoding: true})
	if err != nil {
		return nil, err
	}
	return []Variant{{Format: WebP, Width: w, Height: h, Body: wp}, {Format: JPEG, Width: w, Height: h, Body: jp}}, nil
}

// stripWebP drops the EXIF and XMP chunks of a WebP file and their flags: libvips 8.14
// writes an EXIF chunk (sizes, resolution) even when told to strip.
func stripWebP(b []byte) ([]byte, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, fmt.Errorf("%w: not a WebP file", ErrBroken)
	}
	out := append([]byte{}, b[:12]...)
	for rest := b[12:]; len(rest) > 0; {
		if len(rest) < 8 {
			return nil, fmt.Errorf("%w: truncated WebP chunk", ErrBroken)
		}
		n := int(binary.LittleEndian.Uint32(rest[4:]))
		end := 8 + n + n%2 // chunks are padded to even sizes
		if n < 0 || end > len(rest) {
			return nil, fmt.Errorf("%w: truncated WebP chunk", ErrBroken)
		}
		chunk := rest[:end]
		switch string(chunk[:4]) {
		case "EXIF", "XMP ":
		case "VP8X":
			c := append([]byte{}, chunk...)
			if len(c) > 8 {
				c[8] &^= 0x08 | 0x04 // the EXIF and XMP flags
			}
			out = append(out, c...)
		default:
			out = append(out, chunk...)
		}
		rest = rest[end:]
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}

// AVIF encodes a JPEG variant as AVIF: only make bench uses it, to weigh AVIF against WebP.
func AVIF(jpeg []byte) ([]byte, error) {
	startVips()
	img, err := vips.NewImageFromBuffer(jpeg)
	if err != nil {
		return nil, err
	}
	defer img.Close()
	b, _, err := img.ExportAvif(&vips.AvifExportParams{StripMetadata: true, Quality: 60, Effort: 2, Bitdepth: 8})
	return b, err
}
