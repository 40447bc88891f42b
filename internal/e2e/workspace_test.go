package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"twintowns/internal/auth"
)

// visible is the JavaScript that tells whether the element of an XPath is shown.
func visible(xpath string) string {
	return fmt.Sprintf(`(() => { const el = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		return !!el && el.checkVisibility(); })()`, xpath)
}

// The everyday jobs of a Siedlce editor, by visible labels at 1280 and 390 px: the typo in
// Dasing's Polish description is one page load from the list and one click from published;
// the edit form stays short; the home counts the out-of-date translation the change made;
// the place picker sets Changsha. Every page passes axe and is saved as a screenshot.
func TestStaffWorkspaceInTheBrowser(t *testing.T) {
	s := startSite(t)
	hash, _ := auth.HashPassword(staffPassword)
	if _, err := s.db.CreateUser(t.Context(), "jan@siedlce.pl", "siedlce", false, hash); err != nil {
		t.Fatal(err)
	}
	src := axeSource(t)
	ctx := tab(t, browser(t))
	pl := s.locales.For("pl")
	const host = "siedlce.localhost"
	signInWith(t, ctx, s, host, pl, "jan@siedlce.pl")
	if !strings.HasSuffix(location(t, ctx), "/admin/") || !strings.Contains(bodyText(t, ctx), pl.T("admin.home.drafts")) {
		t.Fatalf("after sign-in: %s\n%s", location(t, ctx), bodyText(t, ctx))
	}
	// the Italian fields missing or out of date, as the home's table counts them
	outdatedIt := func() string {
		return eval[string](t, ctx, `[...document.querySelectorAll('table.counts tbody tr')].find(r => r.querySelector('a[href*="lang=it"]') || r.cells[0].textContent.includes(`+xq(pl.Language("it"))+`))
			?.innerText.replace(/\s+/g, " ") ?? ""`)
	}
	before := outdatedIt()
	checkAxeWidths(t, ctx, src, "staff home")
	for _, w := range []int64{1280, 390} {
		opts := []chromedp.EmulateViewportOption{}
		if w < 500 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		do(t, ctx, chromedp.EmulateViewport(w, 844, opts...))
		screenshot(t, ctx, fmt.Sprintf("admin-home-%d", w))

		// the form of Dasing: one page load from the list, the Polish description in view
		follow(t, ctx, link(pl.T("admin.nav.city")))
		follow(t, ctx, link("Dasing"))
		height := eval[float64](t, ctx, `document.documentElement.scrollHeight`)
		limit := map[int64]float64{1280: 3000, 390: 6000}[w]
		if height > limit {
			t.Errorf("edit form at %d px is %.0f px tall, want at most %.0f", w, height, limit)
		}
		desc := `//textarea[@name="description_pl"]`
		if !eval[bool](t, ctx, visible(desc)) {
			t.Fatalf("at %d px the Polish description is not shown on opening the form", w)
		}
		bar := eval[string](t, ctx, `getComputedStyle(document.querySelector('.action-bar')).position`)
		if bar != "sticky" {
			t.Errorf("action bar position %s", bar)
		}
		screenshot(t, ctx, fmt.Sprintf("admin-edit-%d", w))
		do(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
			el.value = el.value + " Poprawka %d."; })()`, desc, w)))
		follow(t, ctx, button(pl.T("admin.action.publish"))) // the one click
		if text := bodyText(t, ctx); !strings.Contains(text, pl.T("admin.flash.published")) {
			t.Fatalf("at %d px not published:\n%s", w, text)
		}
		// the other languages fold away; a language opens by its name, keeping what was typed
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#texts-it > summary').click()`))
		if open := eval[string](t, ctx, `[...document.querySelectorAll('details.lang-section[open]')].map(d => d.id).join(" ")`); open != "texts-it" || eval[bool](t, ctx, visible(desc)) {
			t.Errorf("at %d px opening Italian does not show Italian alone: %s", w,
				eval[string](t, ctx, `[...document.querySelectorAll('details.lang-section')].map(d => d.id + ":" + d.open + ":" + d.getAttribute("name")).join(" ") + " " + location.href`))
		}
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
	checkAxeWidths(t, ctx, src, "edit form")

	// the home counts the Italian description the change made missing or out of date
	follow(t, ctx, link(pl.T("admin.home.title")))
	if after := outdatedIt(); after == before {
		t.Errorf("the home's Italian row did not change: %s", after)
	}

	// Changsha from the place picker: the prefecture-level city, not its namesakes
	sj := s.locales.For("fi")
	signOut(t, ctx)
	signInWith(t, ctx, s, "seinajoki.localhost", sj, staffEmail)
	follow(t, ctx, link(sj.T("admin.nav.city")))
	follow(t, ctx, link("Changsha"))
	do(t, ctx, chromedp.Click(`//summary[normalize-space(.)=`+xq(sj.T("admin.group.place"))+`]`))
	fill(t, ctx, sj.T("admin.place.search_label"), "Changsha")
	follow(t, ctx, button(sj.T("admin.place.search")))
	checkAxeWidths(t, ctx, src, "place picker")
	screenshot(t, ctx, "admin-place-picker-1280")
	first := eval[string](t, ctx, `document.querySelector('.place-results li').textContent`)
	if !strings.Contains(first, "Hunan") {
		t.Fatalf("first place found: %q", first)
	}
	follow(t, ctx, `(//ul/li/button[@name="place"])[1]`)
	lat := eval[string](t, ctx, `document.getElementById("coordinates_latitude").value`)
	lon := eval[string](t, ctx, `document.getElementById("coordinates_longitude").value`)
	if lat != "28.19874" || lon != "112.97087" {
		t.Errorf("Changsha at %s, %s", lat, lon)
	}
	if !eval[bool](t, ctx, `!!document.querySelector('.coordinates-preview svg')`) {
		t.Error("no marker preview")
	}
}

// A Siedlce editor publishes a new Polish summary of Sabinov, then translates it into Italian:
// the staff home links the Italian field that became out of date, one page load reaches it on
// the translator's screen, and one click publishes the translation.
func TestTranslatingANewSummaryFromTheHome(t *testing.T) {
	s := startSite(t)
	hash, _ := auth.HashPassword(staffPassword)
	if _, err := s.db.CreateUser(t.Context(), "ewa@siedlce.pl", "siedlce", false, hash); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t, browser(t))
	pl := s.locales.For("pl")
	signInWith(t, ctx, s, "siedlce.localhost", pl, "ewa@siedlce.pl")

	// the new Polish summary, published from Sabinov's form
	follow(t, ctx, link(pl.T("admin.nav.city")))
	follow(t, ctx, link("Sabinov"))
	const polish = "Sabinow to miasto partnerskie na Słowacji; jarmark w czerwcu 2001 roku."
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('textarea[name="summary_pl"]').value = `+xq(polish)))
	follow(t, ctx, button(pl.T("admin.action.publish")))
	if text := bodyText(t, ctx); !strings.Contains(text, pl.T("admin.flash.published")) {
		t.Fatalf("Polish summary not published:\n%s", text)
	}

	// the home names the Italian summary as out of date; one page load reaches the field
	follow(t, ctx, link(pl.T("admin.home.title")))
	item := `//a[contains(@href, "to=it") and normalize-space(.)=` + xq("Sabinov: "+pl.T("admin.field.summary")) + `]`
	if !eval[bool](t, ctx, visible(item)) {
		t.Fatalf("the home does not link Sabinov's Italian summary:\n%s", bodyText(t, ctx))
	}
	follow(t, ctx, item)
	field := `//textarea[@name="summary_it"]`
	if !eval[bool](t, ctx, visible(field)) {
		t.Fatalf("the Italian summary is not in view at %s", location(t, ctx))
	}
	if !strings.Contains(bodyText(t, ctx), polish) {
		t.Error("the translator's screen does not show the new Polish source")
	}
	const italian = "Sabinov è una città gemellata in Slovacchia; la fiera nel giugno 2001."
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('textarea[name="summary_it"]').value = `+xq(italian)))
	follow(t, ctx, button(pl.T("admin.action.publish"))) // the one click
	if text := bodyText(t, ctx); !strings.Contains(text, pl.T("admin.flash.published")) {
		t.Fatalf("Italian summary not published:\n%s", text)
	}
	follow(t, ctx, link(pl.T("admin.home.title")))
	if eval[bool](t, ctx, visible(item)) {
		t.Error("the home still lists Sabinov's Italian summary after its translation was published")
	}
}
