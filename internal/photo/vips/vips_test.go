package vips

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/davidbyttow/govips/v2/vips"
	xwebp "golang.org/x/image/webp"

	"twintowns/internal/photo"
	"twintowns/internal/photo/phototest"
)

// pngOf is a small PNG.
func pngOf(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)))
	return b.Bytes()
}

// withJPEGSize rewrites the frame header of a JPEG to claim another size: a bomb.
func withJPEGSize(b []byte, w, h int) []byte {
	b = bytes.Clone(b)
	for i := 2; i+9 < len(b); {
		marker, n := b[i+1], int(binary.BigEndian.Uint16(b[i+2:]))
		if marker == 0xC0 || marker == 0xC2 {
			binary.BigEndian.PutUint16(b[i+5:], uint16(h))
			binary.BigEndian.PutUint16(b[i+7:], uint16(w))
			return b
		}
		i += 2 + n
	}
	panic("no frame header")
}

// withPNGSize rewrites the IHDR of a PNG (and its checksum) to claim another size.
func withPNGSize(b []byte, w, h int) []byte {
	b = bytes.Clone(b)
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func heic(t *testing.T, w, h int) []byte {
	t.Helper()
	startVips()
	img, err := vips.NewImageFromBuffer(phototest.JPEG(w, h, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	b, _, err := img.ExportHeif(&vips.HeifExportParams{Quality: 50})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func info(f photo.Format, w, h int) photo.Info { return photo.Info{Format: f, Width: w, Height: h} }

func TestProbe(t *testing.T) {
	small := phototest.JPEG(64, 48, 0)
	webp, err := Process(pngOf(40, 30))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want photo.Info
		err  error
	}{
		{"jpeg", small, info(photo.JPEG, 64, 48), nil},
		{"jpeg with exif", phototest.JPEG(64, 48, 6), info(photo.JPEG, 64, 48), nil},
		{"png", pngOf(30, 20), info(photo.PNG, 30, 20), nil},
		{"webp", webp.Variants[0].Body, info(photo.WebP, 40, 30), nil},
		{"heic", heic(t, 128, 64), info(photo.HEIC, 128, 64), nil},
		{"jpeg bomb", withJPEGSize(small, 10000, 6001), info(photo.JPEG, 10000, 6001), photo.ErrPixels},
		{"png bomb", withPNGSize(pngOf(30, 20), 100000, 100000), info(photo.PNG, 100000, 100000), photo.ErrPixels},
		{"60 megapixels", withJPEGSize(small, 10000, 6000), info(photo.JPEG, 10000, 6000), nil},
		{"pdf", []byte("%PDF-1.4\n"), photo.Info{}, photo.ErrFormat},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), photo.Info{}, photo.ErrFormat},
		{"empty", nil, photo.Info{}, photo.ErrFormat},
		{"jpeg magic only", []byte{0xFF, 0xD8, 0xFF, 0xE0}, photo.Info{}, photo.ErrBroken},
		{"heif without meta", append([]byte{0, 0, 0, 16}, "ftypheic\x00\x00\x00\x00"...), photo.Info{}, photo.ErrBroken},
		{"too large", make([]byte, photo.MaxBytes+1), photo.Info{}, photo.ErrSize},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := photo.Probe(tc.b)
			if !errors.Is(err, tc.err) || err == nil && got != tc.want {
				t.Errorf("Probe = %+v, %v; want %+v, %v", got, err, tc.want, tc.err)
			}
		})
	}
}

// exifOf is what exiftool finds in b besides the file's own properties.
func exifOf(t *testing.T, b []byte) string {
	t.Helper()
	path, err := exec.LookPath("exiftool")
	if err != nil {
		t.Fatal("exiftool is missing: make test installs it (Debian libimage-exiftool-perl)")
	}
	f := t.TempDir() + "/x"
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, "-a", "-G1", "-EXIF:all", "-GPS:all", "-XMP:all", "-IPTC:all", "-MakerNotes:all", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// A phone's photo, taken turned (EXIF orientation 6) with its GPS position: every variant
// is upright, has the widths asked for, and carries no metadata at all.
func TestProcessStripsAndTurns(t *testing.T) {
	orig := phototest.JPEG(2400, 1800, 6)
	if got := exifOf(t, orig); !strings.Contains(got, "GPS Latitude") || !strings.Contains(got, phototest.Secret) {
		t.Fatalf("the test photo has no EXIF to strip:\n%s", got)
	}
	r, err := Process(orig)
	if err != nil {
		t.Fatal(err)
	}
	if r.Width != 1600 || r.Height != 2133 {
		t.Errorf("upright size %dx%d, want 1600x2133", r.Width, r.Height)
	}
	var sizes []string
	for _, v := range append(r.Variants, r.Share) {
		sizes = append(sizes, string(v.Format)+" "+itoa(v.Width)+"x"+itoa(v.Height))
		if got := exifOf(t, v.Body); got != "" || bytes.Contains(v.Body, []byte(phototest.Secret)) || bytes.Contains(v.Body, []byte("Exif\x00\x00")) {
			t.Errorf("%s %d has metadata:\n%s", v.Format, v.Width, got)
		}
		if v.Width == photo.ShareWidth {
			continue
		}
		decode := jpeg.Decode
		if v.Format == photo.WebP {
			decode = xwebp.Decode
		}
		img, err := decode(bytes.NewReader(v.Body))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != v.Width || img.Bounds().Dy() != v.Height {
			t.Errorf("%dx%d says %dx%d", img.Bounds().Dx(), img.Bounds().Dy(), v.Width, v.Height)
		}
		// stored with red on the left, shown turned clockwise: red on top
		top, bottom := img.At(v.Width/2, v.Height/5), img.At(v.Width/2, v.Height*4/5)
		if tr, _, tb, _ := top.RGBA(); tr <= tb {
			t.Errorf("%d: top not red: %v", v.Width, top)
		}
		if br, _, bb, _ := bottom.RGBA(); br >= bb {
			t.Errorf("%d: bottom not blue: %v", v.Width, bottom)
		}
	}
	want := "webp 480x640 jpeg 480x640 webp 960x1280 jpeg 960x1280 webp 1600x2133 jpeg 1600x2133 jpeg 1200x630"
	if strings.Join(sizes, " ") != want {
		t.Errorf("variants %s, want %s", strings.Join(sizes, " "), want)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// Small photos keep their size (never enlarged); other formats give the same variants; a
// damaged file is an error the person can mend, not a crash.
func TestProcessFormats(t *testing.T) {
	for _, tc := range []struct {
		name   string
		b      []byte
		widths []int
		err    error
	}{
		{"small jpeg", phototest.JPEG(700, 400, 0), []int{480, 700}, nil},
		{"tiny png", pngOf(300, 200), []int{300}, nil},
		{"heic", heic(t, 1000, 800), []int{480, 960, 1000}, nil},
		{"truncated", phototest.JPEG(800, 600, 0)[:3000], nil, photo.ErrBroken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Process(tc.b)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			var widths []int
			for _, v := range r.Variants {
				if v.Format == photo.WebP {
					widths = append(widths, v.Width)
				}
			}
			if !slices.Equal(widths, tc.widths) {
				t.Errorf("widths %v, want %v", widths, tc.widths)
			}
		})
	}
}
