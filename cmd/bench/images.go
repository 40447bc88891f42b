package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
	"golang.org/x/image/draw"

	"twintowns/internal/auth"
	"twintowns/internal/photo"
	"twintowns/internal/photo/phototest"
	"twintowns/internal/photo/vips"
	"twintowns/internal/postgres"
)

// The photo measurements: which image library makes the variants of a 24-megapixel photo
// faster and in less memory (each in a process of its own, whose peak RSS is its cost), and
// what an upload of 60 megapixels, and a burst of uploads, cost the real server.

// Libraries compared.
const (
	libVips   = "libvips"
	libPureGo = "pure Go"
)

// maxUploadGrowth is how far above its RSS before the upload a 60-megapixel photo may take
// the server.
const maxUploadGrowth = 300 << 20

// imageResult is what a worker measured.
type imageResult struct {
	Library         string
	Cold, Warm      time.Duration // variants of the photo, first and second time in the process
	AVIF            time.Duration // one AVIF of the largest variant, for comparison
	Baseline, Peak  int64         // VmRSS before, VmHWM after
	Variants, Bytes int
	Note            string
}

// imageBench runs a worker per library on a 24-megapixel JPEG and prints a table.
func imageBench(ctx context.Context, stdout io.Writer, dir string) error {
	file := filepath.Join(dir, "photo-24mp.jpg")
	if err := os.WriteFile(file, phototest.JPEG(6000, 4000, 6), 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nphotos: the variants of a 24-megapixel JPEG (6000x4000, EXIF orientation 6): WebP and JPEG at 480, 960 and 1600 px and a 1200x630 share image; one process per library\n")
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "library\tfirst\tsecond\tAVIF 1600 px\tRSS before\tpeak RSS\tpeak - before\tfiles\tbytes\t")
	for _, lib := range []string{libVips, libPureGo} {
		out, err := exec.CommandContext(ctx, self, "-image-worker", lib, "-image", file).Output()
		if err != nil {
			return fmt.Errorf("%s worker: %w", lib, err)
		}
		var r imageResult
		if err := json.Unmarshal(out, &r); err != nil {
			return fmt.Errorf("%s worker: %w", lib, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t\n", r.Library+r.Note, secs(r.Cold), secs(r.Warm), secs(r.AVIF),
			mib(r.Baseline), mib(r.Peak), mib(r.Peak-r.Baseline), r.Variants, r.Bytes)
	}
	return tw.Flush()
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// imageWorker makes the variants of the image at path twice with lib and prints its
// measurements as JSON.
func imageWorker(lib, path string, stdout io.Writer) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	r := imageResult{Library: lib}
	r.Baseline, _ = memory(os.Getpid())
	var variants func() ([]photo.Variant, error)
	var avifOf func(photo.Variant) error
	switch lib {
	case libVips:
		variants = func() ([]photo.Variant, error) {
			res, err := vips.Process(b)
			return append(res.Variants, res.Share), err
		}
		avifOf = func(v photo.Variant) error { _, err := vips.AVIF(v.Body); return err }
	case libPureGo:
		if webp.Dynamic() == nil {
			r.Note = " (libwebp through purego: build with -tags nodynamic)"
		} else {
			r.Note = " (WebP, AVIF: WASM)"
		}
		variants = func() ([]photo.Variant, error) { return pureGo(b) }
		avifOf = func(v photo.Variant) error {
			img, err := jpeg.Decode(bytes.NewReader(v.Body))
			if err != nil {
				return err
			}
			return avif.Encode(io.Discard, img, avif.Options{Quality: 60, Speed: 8})
		}
	default:
		return fmt.Errorf("no library %q", lib)
	}
	for i := range 2 {
		start := time.Now()
		vs, err := variants()
		if err != nil {
			return err
		}
		d := time.Since(start)
		if i == 0 {
			r.Cold, r.Variants = d, len(vs)
			for _, v := range vs {
				r.Bytes += len(v.Body)
			}
			continue
		}
		r.Warm = d
		var largest photo.Variant
		for _, v := range vs {
			if v.Format == photo.JPEG && v.Width > largest.Width && v.Width != photo.ShareWidth {
				largest = v
			}
		}
		start = time.Now()
		if err := avifOf(largest); err != nil {
			return err
		}
		r.AVIF = time.Since(start)
	}
	_, r.Peak = memory(os.Getpid())
	return json.NewEncoder(stdout).Encode(r)
}

// pureGo makes the same variants with the standard library, golang.org/x/image/draw and
// gen2brain/webp: decoded whole, scaled with Catmull-Rom (the largest from the photo, the
// others from the largest, as libvips does), encoded. (It does not turn the photo upright:
// that would take an EXIF reader besides.)
func pureGo(b []byte) ([]photo.Variant, error) {
	src, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	scale := func(from image.Image, w, h int) *image.RGBA {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), from, from.Bounds(), draw.Src, nil)
		return dst
	}
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	big := scale(src, photo.Widths[len(photo.Widths)-1], sh*photo.Widths[len(photo.Widths)-1]/sw)
	src = nil
	var out []photo.Variant
	encode := func(img image.Image) error {
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		var wb, jb bytes.Buffer
		if err := webp.Encode(&wb, img, webp.Options{Quality: 78, Method: 4}); err != nil {
			return err
		}
		if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 82}); err != nil {
			return err
		}
		out = append(out, photo.Variant{Format: photo.WebP, Width: w, Height: h, Body: wb.Bytes()},
			photo.Variant{Format: photo.JPEG, Width: w, Height: h, Body: jb.Bytes()})
		return nil
	}
	for _, w := range photo.Widths {
		img := big
		if w < big.Bounds().Dx() {
			img = scale(big, w, big.Bounds().Dy()*w/big.Bounds().Dx())
		}
		if err := encode(img); err != nil {
			return nil, err
		}
	}
	// the share image: the middle of the largest, cut to its proportions
	bw, bh := big.Bounds().Dx(), big.Bounds().Dy()
	cw, ch := bw, bw*photo.ShareHeight/photo.ShareWidth
	if ch > bh {
		cw, ch = bh*photo.ShareWidth/photo.ShareHeight, bh
	}
	crop := big.SubImage(image.Rect((bw-cw)/2, (bh-ch)/2, (bw+cw)/2, (bh+ch)/2))
	share := scale(crop, photo.ShareWidth, photo.ShareHeight)
	var sb bytes.Buffer
	if err := jpeg.Encode(&sb, share, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	return append(out, photo.Variant{Format: photo.JPEG, Width: photo.ShareWidth, Height: photo.ShareHeight, Body: sb.Bytes()}), nil
}

// uploadBench signs in to the running server as an editor and uploads a 60-megapixel photo,
// then four 24-megapixel ones at once, reading the server's RSS around them, and runs the
// photo worker (worker) on the 60-megapixel one for its peak RSS. It fails when the server's
// growth and the worker's peak together exceed maxUploadGrowth.
func uploadBench(ctx context.Context, stdout io.Writer, db *postgres.DB, base string, pid int, dir, worker string) error {
	const email, password = "bench@seinajoki.fi", "a long enough bench password"
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := db.CreateUser(ctx, email, "seinajoki", false, hash); err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 5 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/admin/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign-in: %d", res.StatusCode)
	}
	var city int64
	if err := db.Pool.QueryRow(ctx, `SELECT c.id FROM cities c JOIN sites s ON s.id = c.site_id WHERE s.slug = 'seinajoki' ORDER BY c.position LIMIT 1`).Scan(&city); err != nil {
		return err
	}
	upload := func(b []byte) error {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		part, _ := w.CreateFormFile("photo", "big.jpg")
		part.Write(b)
		w.WriteField("alt_fi", "Koekuva")
		w.WriteField("credit", "bench")
		w.WriteField("action", "publish")
		w.Close()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/admin/sites/seinajoki/cities/%d/photos", base, city), &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		page, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusSeeOther {
			m := regexp.MustCompile(`class="field-error"[^>]*>([^<]+)`).FindSubmatch(page)
			return fmt.Errorf("upload: %d %s", res.StatusCode, m)
		}
		return nil
	}
	big := phototest.JPEG(10000, 6000, 6)
	fmt.Fprintf(stdout, "\nupload of a 60-megapixel JPEG (10000x6000, %s) to the running server, then four 24-megapixel ones at once:\n", mib(int64(len(big))))
	before, _ := memory(pid)
	start := time.Now()
	if err := upload(big); err != nil {
		return err
	}
	took := time.Since(start)
	_, peak := memory(pid)
	cmd := exec.CommandContext(ctx, worker)
	cmd.Stdin = bytes.NewReader(big)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("photo worker: %w", err)
	}
	workerPeak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	fmt.Fprintf(stdout, "60 MP: %s; server VmRSS before %s, VmHWM after %s (+%s); the worker process's peak RSS %s; together +%s\n",
		secs(took), mib(before), mib(peak), mib(peak-before), mib(workerPeak), mib(peak-before+workerPeak))
	var failed []string
	if peak-before+workerPeak > maxUploadGrowth {
		failed = append(failed, fmt.Sprintf("a 60-megapixel upload took %s above the server's RSS", mib(peak-before+workerPeak)))
	}
	mid, err := os.ReadFile(filepath.Join(dir, "photo-24mp.jpg"))
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	start = time.Now()
	for i := range errs {
		wg.Go(func() { errs[i] = upload(mid) })
	}
	wg.Wait()
	rss, peak2 := memory(pid)
	fmt.Fprintf(stdout, "4 x 24 MP at once: %s; server VmHWM %s (+%s over the RSS before the 60 MP one), VmRSS after %s; one worker at a time\n",
		secs(time.Since(start)), mib(peak2), mib(peak2-before), mib(rss))
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if peak2-before+workerPeak > maxUploadGrowth {
		failed = append(failed, fmt.Sprintf("a burst of uploads took %s above the server's RSS", mib(peak2-before+workerPeak)))
	}
	if len(failed) > 0 {
		return errors.New(fmt.Sprint(failed))
	}
	fmt.Fprintf(stdout, "photo target met: uploads keep the server within +%s\n", mib(maxUploadGrowth))
	return nil
}
