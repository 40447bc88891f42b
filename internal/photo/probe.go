// Package photo reads the photos staff upload and makes what the public site serves of them:
// variants at a few widths, in WebP and JPEG, turned upright, without EXIF, GPS or any other
// metadata. The headers are read here in Go, before anything is decoded; decoding, resizing
// and encoding are libvips's (through govips), a bounded number of photos at a time.
package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// Limits of an upload: a photo from any camera or phone of today fits; a decompression bomb
// (a small file that claims a huge image) is refused from its header.
const (
	MaxBytes  = 25 << 20
	MaxPixels = 60_000_000
)

// Format is the format of an image, as found in its bytes.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
	HEIC Format = "heic" // HEIF with HEVC, as phones take them (AVIF, HEIF with AV1, too)
)

// MediaType is the format's media type.
func (f Format) MediaType() string {
	switch f {
	case JPEG:
		return "image/jpeg"
	case HEIC:
		return "image/heic"
	}
	return "image/" + string(f)
}

// Ext is the file name extension of the format, without the dot.
func (f Format) Ext() string {
	if f == JPEG {
		return "jpg"
	}
	return string(f)
}

// Errors of an upload that the person can mend by choosing another file.
var (
	ErrFormat = errors.New("photo: not a JPEG, PNG, WebP or HEIC image")
	ErrPixels = errors.New("photo: more pixels than MaxPixels")
	ErrSize   = errors.New("photo: larger than MaxBytes")
	ErrBroken = errors.New("photo: the image cannot be read")
)

// Info is what the header of an image says.
type Info struct {
	Format        Format
	Width, Height int // as stored, before any EXIF orientation
}

// Probe tells the format of an image from its bytes (never from a name) and its size from
// its header, decoding no pixels. It refuses what is not a photo of a known format, and
// images over the limits.
func Probe(b []byte) (Info, error) {
	if len(b) > MaxBytes {
		return Info{}, ErrSize
	}
	var (
		info Info
		cfg  image.Config
		err  error
	)
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		info.Format = JPEG
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		info.Format = PNG
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		info.Format = WebP
		cfg, err = webp.DecodeConfig(bytes.NewReader(b))
	case isHEIF(b):
		info.Format = HEIC
		cfg.Width, cfg.Height, err = heifSize(b)
	default:
		return Info{}, ErrFormat
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, ErrBroken
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	if int64(info.Width)*int64(info.Height) > MaxPixels {
		return info, ErrPixels
	}
	return info, nil
}

// heifBrands are the brands of the HEIF files libheif reads: HEVC stills and sequences,
// and AVIF.
var heifBrands = map[string]bool{"heic": true, "heix": true, "heim": true, "heis": true, "hevc": true,
	"hevx": true, "mif1": true, "msf1": true, "avif": true, "avis": true}

// isHEIF reports whether b starts with the ftyp box of a HEIF file.
func isHEIF(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	size := int(binary.BigEndian.Uint32(b))
	if size < 16 || size > len(b) {
		return false
	}
	if heifBrands[string(b[8:12])] {
		return true
	}
	for i := 16; i+4 <= size; i += 4 { // compatible brands
		if heifBrands[string(b[i:i+4])] {
			return true
		}
	}
	return false
}

// heifSize reads the size of a HEIF image from the image spatial extents ('ispe') of its
// item properties (meta/iprp/ipco); of several (tiles, thumbnails) the largest, so that the
// limit holds whichever is the image.
func heifSize(b []byte) (w, h int, err error) {
	meta, ok := findBox(b, "meta")
	if !ok || len(meta) < 4 {
		return 0, 0, ErrBroken
	}
	iprp, ok := findBox(meta[4:], "iprp") // meta is a full box: version and flags first
	if !ok {
		return 0, 0, ErrBroken
	}
	ipco, ok := findBox(iprp, "ipco")
	if !ok {
		return 0, 0, ErrBroken
	}
	for rest := ipco; ; {
		typ, body, next, ok := nextBox(rest)
		if !ok {
			break
		}
		if typ == "ispe" && len(body) >= 12 {
			bw, bh := int(binary.BigEndian.Uint32(body[4:])), int(binary.BigEndian.Uint32(body[8:]))
			if int64(bw)*int64(bh) > int64(w)*int64(h) {
				w, h = bw, bh
			}
		}
		rest = next
	}
	if w == 0 || h == 0 {
		return 0, 0, ErrBroken
	}
	return w, h, nil
}

// findBox returns the body of the first box of type typ among the boxes in b.
func findBox(b []byte, typ string) ([]byte, bool) {
	for {
		t, body, next, ok := nextBox(b)
		if !ok {
			return nil, false
		}
		if t == typ {
			return body, true
		}
		b = next
	}
}

// nextBox splits the first ISO base media file format box off b.
func nextBox(b []byte) (typ string, body, rest []byte, ok bool) {
	if len(b) < 8 {
		return "", nil, nil, false
	}
	size, head := uint64(binary.BigEndian.Uint32(b)), uint64(8)
	switch size {
	case 0: // to the end
		size = uint64(len(b))
	case 1: // 64-bit size
		if len(b) < 16 {
			return "", nil, nil, false
		}
		size, head = binary.BigEndian.Uint64(b[8:]), 16
	}
	if size < head || size > uint64(len(b)) {
		return "", nil, nil, false
	}
	return string(b[4:8]), b[head:size], b[size:], true
}
