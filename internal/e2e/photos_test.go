package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"twintowns/internal/photo/phototest"
)

// axeRun22 is axeRun with the WCAG 2.2 rules too.
const axeRun22 = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' '))})))`

// An editor uploads a phone's photo to a city through the form, by its visible labels; the
// city's public page leads with it, at 1280 and at 390 px: loaded in WebP at a width that
// fits the screen, upright, its space kept before it loads, no overflow; the pages pass axe
// with the WCAG 2.2 rules.
func TestStaffAddsAPhotoToACity(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	src := axeSource(t)
	tr := s.locales.For("fi")
	file := filepath.Join(t.TempDir(), "IMG_1234.JPG")
	if err := os.WriteFile(file, phototest.JPEG(3000, 2000, 6), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/lang/fi?next=/admin/login")))
	fill(t, ctx, tr.T("admin.login.email"), staffEmail)
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))
	follow(t, ctx, link(tr.T("admin.nav.city")))
	follow(t, ctx, link("Koszalin"))
	follow(t, ctx, link(tr.T("admin.entry.page.photos")))
	do(t, ctx, chromedp.SetUploadFiles(`#photo`, []string{file}))
	fill(t, ctx, tr.T("admin.photo.alt_in_required", "Language", tr.Language("fi")), "Koszalinin satama aamulla")
	fill(t, ctx, tr.T("admin.photo.alt_in", "Language", tr.Language("sv")), "Hamnen i Koszalin på morgonen")
	fill(t, ctx, tr.T("admin.field.credit"), "Anna Testaaja")
	follow(t, ctx, button(tr.T("admin.photo.upload_publish")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.flash.photo_published")) || !strings.Contains(text, tr.T("admin.photo.lead")) {
		t.Fatalf("not published:\n%s", text)
	}
	checkAxe22(t, ctx, src, "city form with a photo")
	follow(t, ctx, link("Koszalinin satama aamulla"))
	checkAxe22(t, ctx, src, "photo form")

	for _, width := range []int64{1280, 390} {
		opts := []chromedp.EmulateViewportOption{}
		if width < 500 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			do(t, ctx, chromedp.EmulateViewport(width, 844, opts...), chromedp.Navigate(s.url("seinajoki.localhost", "/fi/cities/koszalin")))
			if eval[bool](t, ctx, `document.querySelector('picture img') !== null`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the public page has no photo")
			}
			time.Sleep(100 * time.Millisecond)
		}
		eval[bool](t, ctx, `(async () => { const i = document.querySelector('picture img'); await i.decode(); return true })()`)
		type shown struct {
			Src                 string
			Natural, Shown      float64
			NaturalH, ShownH    float64
			Overflow, AboveFold bool
			Alt                 string
		}
		got := eval[shown](t, ctx, `(() => { const i = document.querySelector('picture img'); const r = i.getBoundingClientRect();
			return {src: i.currentSrc, natural: i.naturalWidth, shown: r.width, naturalH: i.naturalHeight, shownH: r.height,
				overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
				aboveFold: r.top < innerHeight, alt: i.alt} })()`)
		if !strings.HasSuffix(got.Src, ".webp") || got.Natural == 0 || got.Overflow || got.Alt != "Koszalinin satama aamulla" {
			t.Errorf("%d px: %+v", width, got)
		}
		// upright: the phone held the camera turned, the photo is taller than wide
		if got.NaturalH <= got.Natural {
			t.Errorf("%d px: not upright: %+v", width, got)
		}
		// sharp (as many pixels as the screen shows) without the largest file on a phone (the
		// browser may take a wider variant it has already loaded)
		dpr := eval[float64](t, ctx, `devicePixelRatio`)
		if got.Natural < got.Shown*dpr-1 || width < 500 && strings.HasSuffix(got.Src, "-1600.webp") {
			t.Errorf("%d px at %.0fx: loaded %s (%.0f px) for %.0f px", width, dpr, got.Src, got.Natural, got.Shown)
		}
		if !got.AboveFold {
			t.Errorf("%d px: the lead photo is below the fold", width)
		}
		screenshot(t, ctx, fmt.Sprintf("city-photo-%d", width))
		checkAxe22(t, ctx, src, fmt.Sprintf("city page with a photo at %d px", width))
	}
}

// checkAxe22 runs axe-core with the WCAG 2.2 rules on the page loaded in ctx.
func checkAxe22(t *testing.T, ctx context.Context, src, name string) {
	t.Helper()
	vs := eval[[]violation](t, ctx, src+";"+axeRun22)
	for _, v := range vs {
		t.Errorf("%s: %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}
