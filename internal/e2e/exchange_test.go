package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"twintowns/internal/auth"
	"twintowns/internal/twinning"
)

// An editor's translation job in the browser, by visible labels: export a job from the
// overview (a download), get the agency's file back, import it, resolve the one conflict side
// by side (another editor published the same field meanwhile), publish. axe finds nothing on
// the overview, the preview (at 1280 and 390 px) and the result.
func TestTranslationJobInTheBrowser(t *testing.T) {
	s := startSite(t)
	src := axeSource(t)
	ctx := tab(t, browser(t))
	tr := s.locales.For("sv")
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/lang/sv?next=/admin/login")))
	fill(t, ctx, tr.T("admin.login.email"), staffEmail)
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))

	// export a job: Finnish (the site's default) into Italian, for an agency, with a due date
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/sites/seinajoki/translations")))
	do(t, ctx, chromedp.SetValue(field(tr.T("admin.translate.to")), "it"), chromedp.SetValue(field(tr.T("admin.export.scope")), "all"))
	fill(t, ctx, tr.T("admin.export.sent_to"), "Agenzia Roma")
	fill(t, ctx, tr.T("admin.export.due"), "2026-12-31")
	dir := t.TempDir()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
		return err
	}), chromedp.Click(button(tr.T("admin.export.submit"))))
	var xlf string
	deadline := time.Now().Add(30 * time.Second)
	for ev, err := range progress {
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			xlf = string(b)
			break
		}
	}

	// meanwhile another editor publishes a new Italian name for Koszalin
	ctxDB := context.Background()
	site, _ := s.db.SiteBySlug(ctxDB, "seinajoki")
	hash, _ := auth.HashPassword(staffPassword)
	other, err := s.db.CreateUser(ctxDB, "ewa@seinajoki.fi", "seinajoki", false, hash)
	if err != nil {
		t.Fatal(err)
	}
	koszalin := cityIDOf(t, s, "koszalin")
	e, err := s.db.Entry(ctxDB, twinning.CityType, site.ID, koszalin)
	if err != nil {
		t.Fatal(err)
	}
	e.Texts["it"].Fields["name"] = "Koszalin (Pomerania)"
	if _, err := s.db.SaveEntry(ctxDB, site.ID, e, true, "publish", twinning.Actor{UserID: other.ID, Email: other.Email}); err != nil {
		t.Fatal(err)
	}

	// the agency's file: both names changed
	for slug, name := range map[string]string{"koszalin": "Koszalin (agenzia)", "sopron": "Sopron (agenzia)"} {
		re := regexp.MustCompile(`(?s)(<trans-unit id="city/` + strconv.FormatInt(cityIDOf(t, s, slug), 10) + `/name"[^>]*>\s*<source[^>]*>[^<]*</source>\s*<target[^>]*>)[^<]*(</target>)`)
		if !re.MatchString(xlf) {
			t.Fatalf("no name of %s in the download:\n%.2000s", slug, xlf)
		}
		xlf = re.ReplaceAllString(xlf, "${1}"+name+"${2}")
	}
	file := filepath.Join(t.TempDir(), "seinajoki_fi-it_job-1.xlf")
	if err := os.WriteFile(file, []byte(xlf), 0o644); err != nil {
		t.Fatal(err)
	}

	// import: the preview shows the conflict side by side
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/sites/seinajoki/translations")))
	text := bodyText(t, ctx)
	for _, want := range []string{"Agenzia Roma", tr.T("admin.job.status.sent")} {
		if !strings.Contains(text, want) {
			t.Errorf("the job list lacks %q", want)
		}
	}
	checkAxe(t, ctx, src, "translation overview with a job")
	do(t, ctx, chromedp.SetUploadFiles(`//input[@id="file"]`, []string{file}))
	follow(t, ctx, button(tr.T("admin.import.submit")))
	text = bodyText(t, ctx)
	for _, want := range []string{tr.T("admin.import.conflict"), tr.T("admin.import.exported"), tr.T("admin.import.current"),
		"Koszalin (Pomerania)", "Koszalin (agenzia)", "Sopron (agenzia)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q:\n%s", want, text)
		}
	}
	checkAxe(t, ctx, src, "import preview with a conflict")
	screenshot(t, ctx, "admin-import-conflict-1280")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload())
	checkAxe(t, ctx, src, "import preview with a conflict at 390 px")
	if eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`) {
		t.Error("the preview overflows at 390 px")
	}
	screenshot(t, ctx, "admin-import-conflict-390")
	do(t, ctx, chromedp.EmulateViewport(1280, 900))

	// the editor takes the agency's name for Koszalin too, and publishes
	do(t, ctx, chromedp.Click(field(tr.T("admin.import.accept_theirs"))))
	follow(t, ctx, button(tr.T("admin.import.publish")))
	if text := bodyText(t, ctx); strings.Count(text, tr.N("admin.import.result.published", 1)) != 2 {
		t.Fatalf("result:\n%s", text)
	}
	checkAxe(t, ctx, src, "import result")
	for slug, name := range map[string]string{"koszalin": "Koszalin (agenzia)", "sopron": "Sopron (agenzia)"} {
		do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/it/cities/"+slug)))
		if !strings.Contains(bodyText(t, ctx), name) {
			t.Errorf("/it/cities/%s does not show %q", slug, name)
		}
	}
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/sites/seinajoki/translations")))
	if !strings.Contains(bodyText(t, ctx), tr.T("admin.job.status.imported")) {
		t.Error("the job is not marked imported")
	}
}

// cityIDOf is the id of a city of Seinäjoki, or of the site named after the slug ("siedlce/dasing").
func cityIDOf(t *testing.T, s *site, slug string) int64 {
	t.Helper()
	site, slug, ok := strings.Cut(slug, "/")
	if !ok {
		site, slug = "seinajoki", site
	}
	var id int64
	if err := s.db.Pool.QueryRow(context.Background(),
		`SELECT c.id FROM cities c JOIN sites s ON s.id = c.site_id WHERE s.slug = $1 AND c.slug = $2`, site, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func ptr[T any](v T) *T { return &v }
