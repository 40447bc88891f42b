// Package phototest makes photos for tests: JPEGs of any size, with the EXIF a phone writes
// (orientation, GPS position, camera), so that tests can check none of it is served.
package phototest

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/jpeg"
	"os"
	"os/exec"

	"twintowns/internal/photo"
)

// Secret is a string written into the EXIF of the test photos (the camera's owner): a
// served file that contains it leaks metadata.
const Secret = "Secret Owner 4711"

// JPEG returns a w x h JPEG: the left half red, the right half blue, with a gradient. With
// orientation > 0 it carries an EXIF segment with that orientation, a GPS position
// (62.79 N, 22.84 E) and Secret as the artist.
func JPEG(w, h, orientation int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[img.YOffset(x, y)] = uint8(60 + (x+y)%64)
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			i := img.COffset(2*x, 2*y)
			if 2*x < w/2 {
				img.Cb[i], img.Cr[i] = 90, 240 // red
			} else {
				img.Cb[i], img.Cr[i] = 240, 110 // blue
			}
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(err)
	}
	out := b.Bytes()
	if orientation == 0 {
		return out
	}
	return append(append(append([]byte{}, out[:2]...), exifSegment(orientation)...), out[2:]...)
}

// exifSegment is an APP1 segment with a little-endian TIFF structure: IFD0 (orientation,
// artist, GPS pointer) and the GPS IFD (latitude and longitude with their references).
func exifSegment(orientation int) []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II*\x00")
	binary.Write(&t, le, uint32(8))
	type entry struct {
		tag, typ uint16
		count    uint32
		value    []byte // inline when at most 4 bytes, else at an offset
	}
	u16 := func(v uint16) []byte { b := make([]byte, 2); le.PutUint16(b, v); return b }
	u32 := func(v uint32) []byte { b := make([]byte, 4); le.PutUint32(b, v); return b }
	rational := func(vals ...uint32) []byte {
		var b []byte
		for _, v := range vals {
			b = append(append(b, u32(v)...), u32(1)...)
		}
		return b
	}
	artist := append([]byte(Secret), 0)
	const ifd0Entries, gpsEntries = 3, 4
	ifd0Size := 2 + 12*ifd0Entries + 4
	artistOff := 8 + ifd0Size
	gpsOff := artistOff + len(artist)
	gpsSize := 2 + 12*gpsEntries + 4
	latOff := gpsOff + gpsSize
	lonOff := latOff + 24
	writeIFD := func(es []entry) {
		binary.Write(&t, le, uint16(len(es)))
		for _, e := range es {
			binary.Write(&t, le, e.tag)
			binary.Write(&t, le, e.typ)
			binary.Write(&t, le, e.count)
			v := append(append([]byte{}, e.value...), 0, 0, 0, 0)
			t.Write(v[:4])
		}
		binary.Write(&t, le, uint32(0))
	}
	writeIFD([]entry{
		{0x0112, 3, 1, u16(uint16(orientation))},                 // Orientation
		{0x013B, 2, uint32(len(artist)), u32(uint32(artistOff))}, // Artist
		{0x8825, 4, 1, u32(uint32(gpsOff))},                      // GPS IFD
	})
	t.Write(artist)
	writeIFD([]entry{
		{0x0001, 2, 2, []byte("N\x00")},     // GPSLatitudeRef
		{0x0002, 5, 3, u32(uint32(latOff))}, // GPSLatitude
		{0x0003, 2, 2, []byte("E\x00")},     // GPSLongitudeRef
		{0x0004, 5, 3, u32(uint32(lonOff))}, // GPSLongitude
	})
	t.Write(rational(62, 47, 24))
	t.Write(rational(22, 50, 24))
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// workerEnv marks a test binary started as the photo worker.
const workerEnv = "TWINTOWNS_PHOTO_TEST_WORKER"

// WorkerMain makes a test binary the photo worker when Worker started it: call it first in
// TestMain, with the worker's processing (vips.Process). Otherwise it returns.
func WorkerMain(process func([]byte) (photo.Result, error)) {
	if os.Getenv(workerEnv) != "1" {
		return
	}
	if err := photo.ServeWorker(os.Stdin, os.Stdout, process); err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}

// Worker starts the running test binary as the photo worker (see WorkerMain), so that tests
// need no worker binary built beforehand.
func Worker(ctx context.Context) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0])
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	return cmd
}
