package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"twintowns/internal/auth"
)

const adminEmail = "root@example.org"

// A translator's day in the browser, by visible labels: the overview, the translator's
// screen (also at 390 px), the language settings, and an agency's XLIFF file imported
// through its preview. axe finds nothing on any of the pages.
func TestTranslationWorkflow(t *testing.T) {
	s := startSite(t)
	hash, _ := auth.HashPassword(staffPassword)
	if _, err := s.db.CreateUser(context.Background(), adminEmail, "", true, hash); err != nil {
		t.Fatal(err)
	}
	src := axeSource(t)
	ctx := tab(t, browser(t))
	tr := s.locales.For("fi")
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/lang/fi?next=/admin/login")))
	fill(t, ctx, tr.T("admin.login.email"), adminEmail)
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))

	base := "/admin/sites/seinajoki"
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", base+"/cities")))
	follow(t, ctx, link(tr.T("admin.nav.overview")))
	checkAxe(t, ctx, src, "translation overview")
	screenshot(t, ctx, "admin-translations")
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", base+"/translations?lang=it&state=complete")))
	checkAxe(t, ctx, src, "translation overview, filtered")
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", base+"/settings")))
	checkAxe(t, ctx, src, "language settings")

	// the translator's screen of a city, reached from its form
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", base+"/cities")))
	follow(t, ctx, link("Sopron"))
	do(t, ctx, chromedp.Click(`//details[@id="texts-it"]/summary`)) // Italian, folded away
	follow(t, ctx, link(tr.T("admin.translate.link", "Language", tr.Language("it"))))
	checkAxe(t, ctx, src, "translator's screen")
	screenshot(t, ctx, "admin-translate-1280")
	label := tr.T("admin.field.summary")
	fill(t, ctx, label, "Sopron, città ungherese al confine con l'Austria.")
	follow(t, ctx, button(tr.T("admin.action.draft")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.flash.draft")) {
		t.Fatalf("no draft notice after translating:\n%s", text)
	}
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload())
	if eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`) {
		t.Error("the translator's screen overflows at 390 px")
	}
	if cols := eval[string](t, ctx, `getComputedStyle(document.querySelector('.translate-pair')).gridTemplateColumns`); strings.Count(cols, "px") != 1 {
		t.Errorf("source and target are not stacked at 390 px: %s", cols)
	}
	screenshot(t, ctx, "admin-translate-390")
	do(t, ctx, chromedp.EmulateViewport(1280, 900))

	// an agency's file: exported over HTTP, a target filled, uploaded in the browser
	xlf := exportFile(t, s, base+"/translations/export", url.Values{"from": {"sv"}, "to": {"it"}, "scope": {"all"}, "format": {"xliff"}})
	unit := regexp.MustCompile(`(?s)(<trans-unit id="city/\d+/description"[^>]*>.*?</source>)\s*<target[^>]*>.*?</target>`).FindStringSubmatch(xlf)
	if unit == nil {
		t.Fatal("no unit to fill in the export")
	}
	xlf = strings.Replace(xlf, unit[0], unit[1]+`<target state="translated">Descrizione tradotta dall'agenzia.</target>`, 1)
	file := filepath.Join(t.TempDir(), "seinajoki_sv-it.xlf")
	if err := os.WriteFile(file, []byte(xlf), 0o644); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", base+"/translations")))
	do(t, ctx, chromedp.SetUploadFiles(`//input[@id="file"]`, []string{file}))
	follow(t, ctx, button(tr.T("admin.import.submit")))
	checkAxe(t, ctx, src, "import preview")
	screenshot(t, ctx, "admin-import-preview")
	// the short description drops numbers and links of the source: accepted by ticking it
	if !strings.Contains(bodyText(t, ctx), tr.T("admin.qa.numbers")) {
		t.Error("the preview shows no warning of the quality checks")
	}
	do(t, ctx, chromedp.Click(field(tr.T("admin.import.accept"))))
	follow(t, ctx, button(tr.T("admin.import.publish")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.N("admin.import.result.published", 1)) {
		t.Fatalf("no notice after the import:\n%s", text)
	}
}

// exportFile downloads an export as a signed-in administrator outside the browser (on the
// loopback address, which serves the default site, Seinäjoki).
func exportFile(t *testing.T, s *site, path string, form url.Values) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(s.url("127.0.0.1", "/admin/login"), url.Values{"email": {adminEmail}, "password": {staffPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = c.PostForm(s.url("127.0.0.1", path), form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("export: %s", strconv.Itoa(res.StatusCode))
	}
	return string(b)
}
