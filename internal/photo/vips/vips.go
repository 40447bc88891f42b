// Package vips makes the variants of photos with libvips (through govips and cgo). It runs in
// the photo worker process (cmd/twintowns-photo), never in the server: a decoder of files
// from outside runs apart, and its memory goes back to the system when the worker exits.
package vips

import (
	"encoding/binary"
	"fmt"
	"log/slog"
	"sync"

	"github.com/davidbyttow/govips/v2/vips"

	"twintowns/internal/photo"
)

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

// Process makes the variants of an image that photo.Probe accepted: decoded once, shrunk
// on load where the format allows, turned upright by its EXIF orientation, then resized and
// encoded without any metadata.
func Process(b []byte) (photo.Result, error) {
	if _, err := photo.Probe(b); err != nil {
		return photo.Result{}, err
	}
	startVips()
	return process(b)
}

func process(b []byte) (photo.Result, error) {
	// The upright photo at the largest width, decoded once (libvips shrinks JPEG and WebP
	// while decoding) and kept uncompressed for the variants.
	params := vips.NewImportParams() // fail on a damaged file
	big, err := vips.LoadThumbnailFromBuffer(b, photo.Widths[len(photo.Widths)-1], maxCoord, vips.InterestingNone, vips.SizeDown, params)
	if err != nil {
		return photo.Result{}, fmt.Errorf("%w: %v", photo.ErrBroken, err)
	}
	r := photo.Result{Width: big.Width(), Height: big.Height()}
	base, _, err := big.ExportTiff(&vips.TiffExportParams{StripMetadata: true, Compression: vips.TiffCompressionNone, TileWidth: 256, TileHeight: 256})
	big.Close()
	if err != nil {
		return photo.Result{}, fmt.Errorf("%w: %v", photo.ErrBroken, err)
	}
	for _, w := range widthsFor(r.Width) {
		img, err := vips.NewImageFromBuffer(base)
		if err != nil {
			return photo.Result{}, err
		}
		if w < r.Width {
			err = img.Thumbnail(w, maxCoord, vips.InterestingNone)
		}
		var vs []photo.Variant
		if err == nil {
			vs, err = encode(img)
		}
		img.Close()
		if err != nil {
			return photo.Result{}, err
		}
		r.Variants = append(r.Variants, vs...)
	}
	share, err := vips.NewImageFromBuffer(base)
	if err != nil {
		return photo.Result{}, err
	}
	defer share.Close()
	if err := share.ThumbnailWithSize(photo.ShareWidth, photo.ShareHeight, vips.InterestingAttention, vips.SizeBoth); err != nil {
		return photo.Result{}, err
	}
	body, _, err := share.ExportJpeg(&vips.JpegExportParams{StripMetadata: true, Quality: jpegQuality, OptimizeCoding: true})
	if err != nil {
		return photo.Result{}, err
	}
	r.Share = photo.Variant{Format: photo.JPEG, Width: share.Width(), Height: share.Height(), Body: body}
	return r, nil
}

// widthsFor are the widths of the variants of a photo full pixels wide (at most the largest
// of Widths): the smaller Widths, and its own.
func widthsFor(full int) []int {
	var out []int
	for _, w := range photo.Widths {
		if w < full {
			out = append(out, w)
		}
	}
	return append(out, full)
}

// encode writes img as WebP and as (progressive) JPEG, without metadata.
func encode(img *vips.ImageRef) ([]photo.Variant, error) {
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
	return []photo.Variant{{Format: photo.WebP, Width: w, Height: h, Body: wp}, {Format: photo.JPEG, Width: w, Height: h, Body: jp}}, nil
}

// stripWebP drops the EXIF and XMP chunks of a WebP file and their flags: libvips 8.14
// writes an EXIF chunk (sizes, resolution) even when told to strip.
func stripWebP(b []byte) ([]byte, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, fmt.Errorf("%w: not a WebP file", photo.ErrBroken)
	}
	out := append([]byte{}, b[:12]...)
	for rest := b[12:]; len(rest) > 0; {
		if len(rest) < 8 {
			return nil, fmt.Errorf("%w: truncated WebP chunk", photo.ErrBroken)
		}
		n := int(binary.LittleEndian.Uint32(rest[4:]))
		end := 8 + n + n%2 // chunks are padded to even sizes
		if n < 0 || end > len(rest) {
			return nil, fmt.Errorf("%w: truncated WebP chunk", photo.ErrBroken)
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
