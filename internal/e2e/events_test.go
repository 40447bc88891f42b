package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"twintowns/internal/auth"
)

// A joint event made by staff in the browser like any other entry: from the menu, its form
// made from the declaration (a date as a school year, partner cities ticked, the city it was
// held in chosen), saved as a draft that stays private, translated on the translator's
// screen, published; then public on its page and on the partner city's. axe finds nothing
// on any of the pages.
func TestStaffMakesTranslatesAndPublishesAnEvent(t *testing.T) {
	s := startSite(t)
	hash, _ := auth.HashPassword(staffPassword)
	if _, err := s.db.CreateUser(context.Background(), adminEmail, "", true, hash); err != nil {
		t.Fatal(err)
	}
	src := axeSource(t)
	ctx := tab(t, browser(t))
	tr := s.locales.For("fi")
	const host = "siedlce.localhost"
	do(t, ctx, chromedp.Navigate(s.url(host, "/admin/lang/fi?next=/admin/login")))
	fill(t, ctx, tr.T("admin.login.email"), adminEmail)
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))
	do(t, ctx, chromedp.Navigate(s.url(host, "/admin/sites/siedlce/cities")))
	follow(t, ctx, link(tr.T("admin.nav.event")))
	checkAxe(t, ctx, src, "list of events")
	follow(t, ctx, link(tr.T("admin.new.event")))
	checkAxe(t, ctx, src, "new event")

	fill(t, ctx, tr.T("admin.field.slug"), "wizyta-z-sabinova")
	fill(t, ctx, tr.T("admin.field.date"), "2002/2003")
	do(t, ctx, chromedp.Click(`//label[normalize-space(.)="Sabinov"]`))
	choose(t, ctx, tr.T("admin.field.held_in"), "Sabinov")
	typeInto(t, ctx, "title_pl", "Wizyta uczniów w Sabinovie")
	typeInto(t, ctx, "text_pl", "Uczniowie z Siedlec odwiedzili szkołę w Sabinovie.")
	follow(t, ctx, button(tr.T("admin.action.draft")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.flash.draft")) {
		t.Fatalf("no draft notice:\n%s", text)
	}
	checkAxe(t, ctx, src, "event form")
	screenshot(t, ctx, "admin-event")
	edit := location(t, ctx)
	do(t, ctx, chromedp.Navigate(s.url(host, "/pl/events/wizyta-z-sabinova")))
	if text := bodyText(t, ctx); strings.Contains(text, "Wizyta uczniów") {
		t.Fatal("the draft is public")
	}

	do(t, ctx, chromedp.Navigate(edit))
	follow(t, ctx, link(tr.T("admin.translate.link", "Language", tr.Language("fi"))))
	checkAxe(t, ctx, src, "translator's screen of an event")
	typeInto(t, ctx, "title_fi", "Oppilasvierailu Sabinoviin")
	typeInto(t, ctx, "text_fi", "Siedlcen oppilaat vierailivat koulussa Sabinovissa.")
	follow(t, ctx, button(tr.T("admin.action.draft")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.flash.draft")) {
		t.Fatalf("the translation was not saved:\n%s", text)
	}

	do(t, ctx, chromedp.Navigate(edit))
	follow(t, ctx, button(tr.T("admin.action.publish")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.flash.published")) {
		t.Fatalf("not published:\n%s", text)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		do(t, ctx, chromedp.Navigate(s.url(host, "/fi/events/wizyta-z-sabinova")))
		text := bodyText(t, ctx)
		if strings.Contains(text, "Oppilasvierailu Sabinoviin") && strings.Contains(text, "lukuvuosi 2002/2003") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the event is not public:\n%s", text)
		}
		time.Sleep(100 * time.Millisecond)
	}
	checkAxe(t, ctx, src, "public event page")
	screenshot(t, ctx, "event")
	do(t, ctx, chromedp.Navigate(s.url(host, "/fi/cities/sabinov")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Oppilasvierailu Sabinoviin") {
		t.Errorf("Sabinov's page does not list the event:\n%s", text)
	}
	checkAxe(t, ctx, src, "city page with events")
	do(t, ctx, chromedp.Navigate(s.url(host, "/fi/events")))
	checkAxe(t, ctx, src, "list of events")
}

// typeInto types into the input with the id, opening its language by its summary where it is
// folded away (the texts of one language, whose labels repeat
// per language).
func typeInto(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const d = document.getElementById(%q)?.closest('details:not([open])');
		if (d) d.querySelector('summary').click(); })()`, id)))
	do(t, ctx, chromedp.Focus(`//*[@id=`+xq(id)+`]`), chromedp.KeyEvent(value))
}

// choose picks the option with the text in the drop-down with the label.
func choose(t *testing.T, ctx context.Context, label, option string) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const el = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		if (!el) return false;
		const o = [...el.options].find(o => o.text === %q);
		if (!o) return false;
		el.value = o.value;
		return true;
	})()`, field(label), option)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("no option %q in %q on %s", option, label, location(t, ctx))
	}
}
