package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeSource is axe-core's script, installed by make test under var/ (or $AXE_JS).
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_JS")
	if path == "" {
		path = filepath.Join(repoRoot(t), "var", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core not installed (make test installs it with npm): %v", err)
	}
	return string(b)
}

const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' '))})))`

// checkAxe runs axe-core on the page loaded in ctx.
func checkAxe(t *testing.T, ctx context.Context, src, name string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if loaded, _ := chromedp.Run(c, chromedp.Evaluate[bool](`typeof axe !== "undefined"`)); !loaded { // once per page
		if _, err := chromedp.Run(c, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			t.Fatalf("%s: inject axe: %v", name, err)
		}
	}
	vs, err := chromedp.Run(c, chromedp.Evaluate[[]violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", name, err)
	}
	for _, v := range vs {
		t.Errorf("%s: %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

func TestEveryPublicPageMeetsWCAG21AA(t *testing.T) {
	s := startSite(t)
	src := axeSource(t)
	ctx := tab(t, browser(t))
	n := 0
	for _, host := range []string{"seinajoki.localhost", "siedlce.localhost"} {
		for _, path := range append(sitemapPaths(t, s, host), "/xx/not-found") {
			do(t, ctx, chromedp.Navigate(s.url(host, path)))
			checkAxe(t, ctx, src, host+path)
			n++
		}
	}
	if n < 90 {
		t.Errorf("checked %d pages only", n)
	}
}

func TestEveryAdminPageMeetsWCAG21AA(t *testing.T) {
	s := startSite(t)
	src := axeSource(t)
	ctx := tab(t, browser(t))
	tr := s.locales.For("sv")
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/lang/sv?next=/admin/login")))
	checkAxe(t, ctx, src, "login")
	fill(t, ctx, tr.T("admin.login.email"), staffEmail)
	fill(t, ctx, tr.T("admin.login.password"), "wrong password!!")
	follow(t, ctx, button(tr.T("admin.login.submit")))
	checkAxe(t, ctx, src, "login with error")
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))

	// every staff page as it opens: TestEveryStaffPage; here the pages of a filter and of a
	// preview, and an entry's form after a validation error, its preview, history, revision
	base := "/admin/sites/seinajoki"
	for _, path := range []string{base + "/cities?kind=twin", base + "/texts/preview?page=history"} {
		do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", path)))
		checkAxe(t, ctx, src, path)
	}
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", base+"/cities")))
	follow(t, ctx, link("Sopron"))
	edit := location(t, ctx)
	checkAxe(t, ctx, src, "edit form")
	screenshot(t, ctx, "admin-edit")
	fill(t, ctx, tr.T("admin.field.population_year"), "tusen")
	follow(t, ctx, button(tr.T("admin.action.draft")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("validation.population_missing")) {
		t.Fatalf("no error for a population year without a population:\n%s", text)
	}
	checkAxe(t, ctx, src, "edit form with errors")
	screenshot(t, ctx, "admin-edit-errors")
	fill(t, ctx, tr.T("admin.field.population_year"), "")
	follow(t, ctx, button(tr.T("admin.action.preview")))
	checkAxe(t, ctx, src, "edit form with preview")
	follow(t, ctx, button(tr.T("admin.action.draft")))
	do(t, ctx, chromedp.Navigate(edit+"/preview?lang=pl"))
	checkAxe(t, ctx, src, "public preview")
	do(t, ctx, chromedp.Navigate(edit+"/history"))
	checkAxe(t, ctx, src, "history")
	follow(t, ctx, `//table//a`)
	checkAxe(t, ctx, src, "revision")
}
