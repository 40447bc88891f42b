package web

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math"

	"golang.org/x/image/vector"
)

// The site's icon in the site's colours (the accent of site.css): two white rings, the
// twinned towns, on a blue rounded square. static/favicon.svg draws it for browsers that
// take SVG; faviconICO draws the same for /favicon.ico, which browsers ask for whatever the
// page says.

var iconBlue = color.RGBA{0x0b, 0x53, 0x94, 0xff}

// faviconICO is an ICO file holding the icon as 16, 32 and 48 pixel PNG images (ICO has
// allowed PNG images since Windows Vista; every browser reads them).
func faviconICO() ([]byte, error) {
	sizes := []int{16, 32, 48}
	var images [][]byte
	for _, n := range sizes {
		var b bytes.Buffer
		if err := png.Encode(&b, drawIcon(n)); err != nil {
			return nil, err
		}
		images = append(images, b.Bytes())
	}
	var out bytes.Buffer
	le := func(v any) { binary.Write(&out, binary.LittleEndian, v) }
	le([]uint16{0, 1, uint16(len(sizes))}) // reserved, type 1 (icon), count
	offset := 6 + 16*len(sizes)
	for i, n := range sizes {
		le([]uint8{uint8(n % 256), uint8(n % 256), 0, 0}) // width, height, colours, reserved
		le([]uint16{1, 32})                               // planes, bits per pixel
		le([]uint32{uint32(len(images[i])), uint32(offset)})
		offset += len(images[i])
	}
	for _, img := range images {
		out.Write(img)
	}
	return out.Bytes(), nil
}

// drawIcon draws the icon n pixels square, as static/favicon.svg does in its 32 units.
func drawIcon(n int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	s := float32(n) / 32
	z := vector.NewRasterizer(n, n)
	// the rounded square, corner radius 6
	const r = 6
	z.MoveTo(r*s, 0)
	z.LineTo((32-r)*s, 0)
	arc(z, (32-r)*s, r*s, r*s, -math.Pi/2, 0)
	z.LineTo(32*s, (32-r)*s)
	arc(z, (32-r)*s, (32-r)*s, r*s, 0, math.Pi/2)
	z.LineTo(r*s, 32*s)
	arc(z, r*s, (32-r)*s, r*s, math.Pi/2, math.Pi)
	z.LineTo(0, r*s)
	arc(z, r*s, r*s, r*s, math.Pi, 3*math.Pi/2)
	z.ClosePath()
	z.Draw(img, img.Bounds(), image.NewUniform(iconBlue), image.Point{})
	// the two rings, radius 7 and 3 wide: each an outer circle and an inner one drawn the
	// other way round, which leaves the hole
	for _, cx := range []float32{12, 20} {
		z = vector.NewRasterizer(n, n)
		circlePath(z, cx*s, 16*s, 8.5*s, false)
		circlePath(z, cx*s, 16*s, 5.5*s, true)
		z.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{})
	}
	return img
}

// arc continues the path along a circle around cx, cy from angle a0 to a1.
func arc(z *vector.Rasterizer, cx, cy, r float32, a0, a1 float64) {
	const steps = 8
	for i := 1; i <= steps; i++ {
		a := a0 + (a1-a0)*float64(i)/steps
		z.LineTo(cx+r*float32(math.Cos(a)), cy+r*float32(math.Sin(a)))
	}
}

// circlePath adds a closed circle to the path, clockwise or, reversed, counterclockwise.
func circlePath(z *vector.Rasterizer, cx, cy, r float32, reversed bool) {
	const steps = 48
	for i := 0; i <= steps; i++ {
		a := 2 * math.Pi * float64(i) / steps
		if reversed {
			a = -a
		}
		x, y := cx+r*float32(math.Cos(a)), cy+r*float32(math.Sin(a))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
}
