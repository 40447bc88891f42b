package geo

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// MarkerKind tells the places on a map apart; each kind has its own shape.
type MarkerKind string

const (
	MarkerHome    MarkerKind = "home"    // the municipality: a star
	MarkerTwin    MarkerKind = "twin"    // a twin town: a circle
	MarkerPartner MarkerKind = "partner" // a cooperation city: a square
)

// Marker is a place drawn on a map.
type Marker struct {
	Point
	Kind MarkerKind
}

// Share image size: what Open Graph readers show best.
const ShareWidth, ShareHeight = 1200, 630

var (
	colSea    = color.RGBA{0xe4, 0xee, 0xf5, 0xff}
	colLand   = color.RGBA{0xc9, 0xd6, 0xc3, 0xff}
	colBorder = color.RGBA{0xf8, 0xfa, 0xf7, 0xff}
	colInk    = color.RGBA{0x1b, 0x2a, 0x3a, 0xff}
	colTwin   = color.RGBA{0x0b, 0x5c, 0xad, 0xff}
	colPart   = color.RGBA{0xa3, 0x3b, 0x00, 0xff}
	colPaper  = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// fonts are the Go fonts, embedded in the program: they cover the letters of Swedish,
// Finnish, Italian and Polish (WGL4).
var fonts = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(gobold.TTF) })
var smallFont = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(goregular.TTF) })

// SharePNG draws a share image: title over the framed map with its markers, and the credit
// of the map data in small print.
func SharePNG(w io.Writer, title, credit string, f Frame, markers []Marker) error {
	img := image.NewRGBA(image.Rect(0, 0, ShareWidth, ShareHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(colPaper), image.Point{}, draw.Src)

	const top, bottom, margin = 130, 40, 40
	areaW, areaH := float64(ShareWidth-2*margin), float64(ShareHeight-top-bottom)
	s := min(areaW/Width, areaH/f.Height)
	ox := margin + (areaW-Width*s)/2
	oy := top + (areaH-f.Height*s)/2
	mapRect := image.Rect(int(ox), int(oy), int(math.Ceil(ox+Width*s)), int(math.Ceil(oy+f.Height*s)))
	draw.Draw(img, mapRect, image.NewUniform(colSea), image.Point{}, draw.Src)

	// The rasterizer works in the map's rectangle: its (0, 0) is mapRect.Min.
	z := vector.NewRasterizer(mapRect.Dx(), mapRect.Dy())
	pt := func(p [2]float64) (float32, float32) { return float32(p[0] * s), float32(p[1] * s) }
	layers := f.Layers()
	path := func(rings [][][2]float64) {
		for _, r := range rings {
			for i, p := range r {
				x, y := pt(p)
				if i == 0 {
					z.MoveTo(x, y)
				} else {
					z.LineTo(x, y)
				}
			}
			z.ClosePath()
		}
	}
	path(f.Rings(layers.Land))
	fill(img, z, mapRect, colLand)
	path(f.Rings(layers.Lakes))
	fill(img, z, mapRect, colSea)
	for _, l := range f.Lines(layers.Borders) {
		for i := 1; i < len(l); i++ {
			x0, y0 := pt(l[i-1])
			x1, y1 := pt(l[i])
			line(z, x0, y0, x1, y1, 0.7)
		}
	}
	fill(img, z, mapRect, colBorder)

	for _, m := range markers {
		if !f.Contains(m.Point) {
			continue
		}
		x, y := f.XY(m.Point)
		cx, cy := float32(x*s), float32(y*s)
		c := colTwin
		switch m.Kind {
		case MarkerHome:
			star(z, cx, cy, 17)
			fill(img, z, mapRect, colPaper)
			star(z, cx, cy, 13)
			c = colInk
		case MarkerPartner:
			square(z, cx, cy, 11)
			fill(img, z, mapRect, colPaper)
			square(z, cx, cy, 8)
			c = colPart
		default:
			circle(z, cx, cy, 11)
			fill(img, z, mapRect, colPaper)
			circle(z, cx, cy, 8)
		}
		fill(img, z, mapRect, c)
	}

	if err := text(img, fonts, title, 64, margin, 92, ShareWidth-2*margin); err != nil {
		return err
	}
	if err := text(img, smallFont, credit, 18, margin, ShareHeight-12, ShareWidth-2*margin); err != nil {
		return err
	}
	return png.Encode(w, img)
}

// fill paints what z holds in colour c into the rectangle r of dst, and empties z.
func fill(dst *image.RGBA, z *vector.Rasterizer, r image.Rectangle, c color.Color) {
	z.Draw(dst, r, image.NewUniform(c), image.Point{})
	z.Reset(r.Dx(), r.Dy())
}

func line(z *vector.Rasterizer, x0, y0, x1, y1, w float32) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	z.MoveTo(x0+nx, y0+ny)
	z.LineTo(x1+nx, y1+ny)
	z.LineTo(x1-nx, y1-ny)
	z.LineTo(x0-nx, y0-ny)
	z.ClosePath()
}

func circle(z *vector.Rasterizer, cx, cy, r float32) {
	const n = 32
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		x, y := cx+r*float32(math.Cos(a)), cy+r*float32(math.Sin(a))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
}

func square(z *vector.Rasterizer, cx, cy, r float32) {
	z.MoveTo(cx-r, cy-r)
	z.LineTo(cx+r, cy-r)
	z.LineTo(cx+r, cy+r)
	z.LineTo(cx-r, cy+r)
	z.ClosePath()
}

func star(z *vector.Rasterizer, cx, cy, r float32) {
	for i, p := range StarPoints(float64(cx), float64(cy), float64(r)) {
		if i == 0 {
			z.MoveTo(float32(p[0]), float32(p[1]))
		} else {
			z.LineTo(float32(p[0]), float32(p[1]))
		}
	}
	z.ClosePath()
}

// StarPoints are the corners of a five-pointed star of outer radius r around cx, cy.
func StarPoints(cx, cy, r float64) [][2]float64 {
	pts := make([][2]float64, 10)
	for i := range pts {
		rr := r
		if i%2 == 1 {
			rr = r * 0.45
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts[i] = [2]float64{cx + rr*math.Cos(a), cy + rr*math.Sin(a)}
	}
	return pts
}

// text writes s at x, baseline y, shrinking the size until it fits in width.
func text(dst *image.RGBA, fnt func() (*opentype.Font, error), s string, size float64, x, y, width int) error {
	f, err := fnt()
	if err != nil {
		return err
	}
	for ; ; size *= 0.9 {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return err
		}
		d := font.Drawer{Dst: dst, Src: image.NewUniform(colInk), Face: face}
		if d.MeasureString(s).Ceil() <= width || size < 12 {
			d.Dot = fixed.P(x, y)
			d.DrawString(s)
			return face.Close()
		}
		face.Close()
	}
}
