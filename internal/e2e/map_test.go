package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// mapGeometry measures every map of the page after scrolling it into view: the size of each
// marker's symbol and crowded area's outline (the targets), the markers that overlap, the
// areas whose link leads nowhere.
const mapGeometry = `(() => {
	const out = {targets: 0, small: [], overlaps: [], dangling: [], maps: 0};
	for (const svg of document.querySelectorAll('svg.map-svg')) {
		svg.scrollIntoView();
		out.maps++;
		const pins = [...svg.querySelectorAll('a.marker .pin path')].map(p => ({name: p.closest('a').getAttribute('aria-label'), r: p.getBoundingClientRect()}));
		const areas = [...svg.querySelectorAll('a.map-area rect')].map(p => ({name: p.closest('a').getAttribute('aria-label'), r: p.getBoundingClientRect()}));
		for (const t of pins.concat(areas)) {
			out.targets++;
			if (t.r.width < 23.9 || t.r.height < 23.9) out.small.push(t.name + ' ' + t.r.width.toFixed(1) + 'x' + t.r.height.toFixed(1));
		}
		for (let i = 0; i < pins.length; i++) for (let j = i + 1; j < pins.length; j++) {
			const a = pins[i].r, b = pins[j].r;
			if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.overlaps.push(pins[i].name + ' / ' + pins[j].name);
		}
		for (const a of svg.querySelectorAll('a.map-area')) {
			if (!document.getElementById(a.getAttribute('href').slice(1))) out.dangling.push(a.getAttribute('href'));
		}
	}
	window.scrollTo(0, 0);
	return out;
})()`

type geometry struct {
	Targets, Maps             int
	Small, Overlaps, Dangling []string
}

// The new map at a phone's and a desktop's width: every marker and area is a target of at
// least 24 pixels, no marker hides another, every area links to its larger map, the
// municipality is on every locator map; long words hyphenate in the page's language.
func TestMapAtPhoneAndDesktop(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	pages := []struct {
		name, host, path string
		maps, targets    int // maps on the page; targets at least
	}{
		{"home", "seinajoki.localhost", "/fi/", 3, 10 + 2},
		{"home-siedlce", "siedlce.localhost", "/pl/", 2, 7 + 1},
		{"city-far", "seinajoki.localhost", "/fi/cities/qingdao", 1, 1},
		{"city-near", "siedlce.localhost", "/pl/cities/vilnius-district", 1, 1},
	}
	for _, width := range []int64{390, 1280} {
		for _, pg := range pages {
			opts := []chromedp.EmulateViewportOption{}
			if width < 500 {
				opts = append(opts, chromedp.EmulateMobile)
			}
			do(t, ctx, chromedp.EmulateViewport(width, 844, opts...), chromedp.Navigate(s.url(pg.host, pg.path)))
			g := eval[geometry](t, ctx, mapGeometry)
			name := fmt.Sprintf("%s at %d px", pg.name, width)
			if g.Maps != pg.maps || g.Targets < pg.targets {
				t.Errorf("%s: %d maps, %d targets", name, g.Maps, g.Targets)
			}
			for _, list := range [][]string{g.Small, g.Overlaps, g.Dangling} {
				if len(list) > 0 {
					t.Errorf("%s: %s", name, strings.Join(list, "; "))
				}
			}
			if home := eval[int](t, ctx, `document.querySelectorAll('.map-locator svg.map-svg .marker-home').length`); strings.HasPrefix(pg.name, "city") && home != 1 {
				t.Errorf("%s: the municipality is not on the locator map", name)
			}
			if h := eval[string](t, ctx, `getComputedStyle(document.querySelector('main p')).hyphens + ' ' + document.documentElement.lang`); h != "auto "+pg.path[1:3] {
				t.Errorf("%s: hyphens and language %q", name, h)
			}
			screenshot(t, ctx, fmt.Sprintf("map-%s-%d", pg.name, width))
		}
	}
}
