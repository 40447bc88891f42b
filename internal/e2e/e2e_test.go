package e2e

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"twintowns/internal/auth"
	"twintowns/internal/locale"
	"twintowns/internal/pgtest"
	"twintowns/internal/photo/phototest"
	"twintowns/internal/photo/vips"
	"twintowns/internal/postgres"
	"twintowns/internal/web"
)

func TestMain(m *testing.M) {
	phototest.WorkerMain(vips.Process)
	os.Exit(pgtest.Main(m))
}

const staffEmail, staffPassword = "anna@seinajoki.fi", "a long enough password"

// site is the real server on a seeded PostgreSQL, with its content listener, on a TCP port.
type site struct {
	db      *postgres.DB
	port    string
	locales *locale.Bundle
	srv     *web.Server
}

func (s *site) url(host, path string) string { return "http://" + host + ":" + s.port + path }

func startSite(t *testing.T, options ...func(*web.Options)) *site {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	db := pgtest.SeededDB(t)
	hash, _ := auth.HashPassword(staffPassword)
	if _, err := db.CreateUser(ctx, staffEmail, "seinajoki", false, hash); err != nil {
		t.Fatal(err)
	}
	bundle, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	opts := web.Options{Sessions: pgxstore.NewWithCleanupInterval(db.Pool, 0), ContentChanges: db, PhotoWorker: phototest.Worker}
	for _, o := range options {
		o(&opts)
	}
	srv, err := web.NewServer(log, db, bundle, opts)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Run(ctx)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	return &site{db: db, port: port, locales: bundle, srv: srv}
}

// chromium finds Debian's Chromium (make test installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium not found: `make test` installs it (apt-get install chromium), or set CHROMIUM")
	return ""
}

// browser starts a headless Chromium; each call of tab opens a tab in it.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "en-US"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(alloc)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// tab opens another tab of the browser, with its own timeout.
func tab(t *testing.T, browserCtx context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `location.href`)
}

// xq quotes a string for XPath.
func xq(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + s + "'"
}

// link is the XPath of the link with this visible text.
func link(text string) string { return `//a[normalize-space(.)=` + xq(text) + `]` }

// button is the XPath of the button with this visible text; a button hidden from people (the
// default button a form puts first for Enter) is not one.
func button(text string) string {
	return `//button[not(@aria-hidden="true")][normalize-space(.)=` + xq(text) + `]`
}

// field is the XPath of the form control whose label has this visible text.
func field(label string) string { return fieldIn("", label) }

// fieldIn is the XPath of the form control whose label has this visible text within the
// element of the XPath scope (a language's section of a form).
func fieldIn(scope, label string) string {
	return `//*[@id=` + scope + `//label[normalize-space(.)=` + xq(label) + `]/@for]`
}

// follow clicks and waits for the next page to load.
func follow(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	before := eval[float64](t, ctx, `performance.timeOrigin`)
	do(t, ctx, chromedp.Click(sel))
	waitLoad(t, ctx, before)
}

// waitLoad waits for a new document (a new time origin) to finish loading: a form posted to
// its own URL loads a new page at the same address.
func waitLoad(t *testing.T, ctx context.Context, before float64) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		origin, err := chromedp.Run(c, chromedp.Evaluate[float64](`performance.timeOrigin`))
		var state string
		if err == nil {
			state, err = chromedp.Run(c, chromedp.Evaluate[string](`document.readyState`))
		}
		if err == nil && origin != before && state == "complete" {
			return
		}
		if c.Err() != nil {
			t.Fatalf("no new page after %s", location(t, ctx))
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// fill types into the field with the label, as a person would.
func fill(t *testing.T, ctx context.Context, label, value string) {
	t.Helper()
	fillField(t, ctx, field(label), value)
}

// fillField types into the field of the XPath, as a person would.
func fillField(t *testing.T, ctx context.Context, xpath, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const el = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		if (!el) return false;
		const folded = el.closest('details:not([open])'); // a person opens it by its summary first
		if (folded) folded.querySelector('summary').click();
		el.focus(); el.select && el.select(); el.value = '';
		return document.activeElement === el;
	})()`, xpath)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("no field %s on %s", xpath, location(t, ctx))
	}
	if value != "" {
		do(t, ctx, chromedp.KeyEvent(value))
	}
}

func bodyText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.body.innerText`)
}

// repoRoot is the folder of go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// sitemapPaths lists every public page of a host from its sitemap.
func sitemapPaths(t *testing.T, s *site, host string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:"+s.port+"/sitemap.xml", nil)
	req.Host = host + ":" + s.port
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &sm); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, u := range sm.URLs {
		paths = append(paths, strings.TrimPrefix(u.Loc, "http://"+host+":"+s.port))
	}
	return paths
}

func TestResidentSwitchesLanguageAndComesBack(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	do(t, ctx, chromedp.Navigate(s.url("siedlce.localhost", "/")))
	if got := location(t, ctx); got != s.url("siedlce.localhost", "/pl/") {
		t.Fatalf("/ sent an English-speaking browser to %s, want the site default /pl/", got)
	}
	follow(t, ctx, link("Italiano"))
	if got := location(t, ctx); got != s.url("siedlce.localhost", "/it/") {
		t.Fatalf("after the switcher: %s", got)
	}
	if text := bodyText(t, ctx); !strings.Contains(text, "7 città gemellate") {
		t.Errorf("Italian home page lacks the count:\n%s", text)
	}
	follow(t, ctx, link("Pescantina"))
	if text := bodyText(t, ctx); !strings.Contains(text, "10 novembre 1993") || !strings.Contains(text, "Città Pescantina") {
		t.Errorf("Italian city page:\n%s", text)
	}
	follow(t, ctx, link("Suomi"))
	if got := location(t, ctx); got != s.url("siedlce.localhost", "/fi/cities/pescantina") {
		t.Fatalf("switcher on a city page went to %s", got)
	}
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "fi" {
		t.Errorf("html lang = %s", lang)
	}
	do(t, ctx, chromedp.Navigate(s.url("siedlce.localhost", "/")))
	if got := location(t, ctx); got != s.url("siedlce.localhost", "/fi/") {
		t.Errorf("coming back to / went to %s, want the chosen /fi/", got)
	}
}

func TestStaffEditsAndPublishes(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	tr := s.locales.For("fi") // the browser's Accept-Language is en-US: the admin falls back to... see below
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/admin/lang/fi?next=/admin/login")))
	fill(t, ctx, tr.T("admin.login.email"), staffEmail)
	fill(t, ctx, tr.T("admin.login.password"), staffPassword)
	follow(t, ctx, button(tr.T("admin.login.submit")))
	if !strings.HasSuffix(location(t, ctx), "/admin/") {
		t.Fatalf("after sign-in: %s\n%s", location(t, ctx), bodyText(t, ctx))
	}
	follow(t, ctx, link(tr.T("admin.nav.city")))
	follow(t, ctx, link("Koszalin"))
	do(t, ctx, chromedp.Click(`//summary[normalize-space(.)=`+xq(tr.T("admin.group.population"))+`]`))
	fill(t, ctx, tr.T("admin.field.population"), "paljon")
	follow(t, ctx, button(tr.T("admin.action.publish")))
	text := bodyText(t, ctx)
	if !strings.Contains(text, tr.T("validation.number")) {
		t.Fatalf("no validation message:\n%s", text)
	}
	described := eval[string](t, ctx, `document.getElementById("population").getAttribute("aria-describedby")`)
	if !strings.Contains(described, "population-error") {
		t.Errorf("error not tied to the field: aria-describedby=%q", described)
	}
	if v := eval[string](t, ctx, `document.getElementById("population").value`); v != "paljon" {
		t.Errorf("typed value lost: %q", v)
	}
	fill(t, ctx, tr.T("admin.field.population"), "107000")
	follow(t, ctx, button(tr.T("admin.action.publish")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("admin.flash.published")) {
		t.Fatalf("not published:\n%s", text)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/fi/cities/koszalin")))
		if strings.Contains(bodyText(t, ctx), "107\u00a0000") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the public page does not show the change:\n%s", bodyText(t, ctx))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestPagesWorkWithoutJavaScript(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/")))
	follow(t, ctx, link("Svenska"))
	follow(t, ctx, link("Thunder Bay"))
	follow(t, ctx, link(s.locales.For("sv").T("feedback.title")))
	tr := s.locales.For("sv")
	fill(t, ctx, tr.T("feedback.message"), "Kontrasten i sidfoten är för låg.")
	follow(t, ctx, button(tr.T("feedback.submit")))
	if text := bodyText(t, ctx); !strings.Contains(text, tr.T("feedback.thanks.title")) {
		t.Fatalf("feedback without JavaScript:\n%s", text)
	}
}

func TestKeyboardOnly(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	for _, path := range []string{"/fi/", "/fi/cities/sopron", "/fi/accessibility/feedback"} {
		do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", path)))
		do(t, ctx, chromedp.KeyEvent("\t"))
		first := eval[map[string]any](t, ctx, focusInfo)
		if first["class"] != "skip-link" || first["visible"] != true || first["outline"] == "none" {
			t.Fatalf("%s: first Tab reaches %v, want the visible skip link", path, first)
		}
		do(t, ctx, chromedp.KeyEvent("\r"))
		if id := eval[string](t, ctx, `document.activeElement.id`); id != "main" {
			t.Errorf("%s: the skip link moves focus to %q", path, id)
		}
		n := int(eval[float64](t, ctx, `document.querySelectorAll('a[href], button, input:not([type=hidden]):not([tabindex="-1"]), select, textarea').length`))
		seen := map[string]bool{}
		do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", path)))
		for i := 0; i < n+2; i++ {
			do(t, ctx, chromedp.KeyEvent("\t"))
			f := eval[map[string]any](t, ctx, focusInfo)
			if f["tag"] == "BODY" {
				break
			}
			if f["outline"] == "none" || f["visible"] != true {
				t.Errorf("%s: focus on %v is not visible", path, f)
			}
			seen[fmt.Sprint(f["path"])] = true
		}
		if len(seen) < n-1 { // the honeypot field is not in the tab order on purpose
			t.Errorf("%s: Tab reached %d of %d controls", path, len(seen), n)
		}
	}
}

// focusInfo describes the focused element: tag, class, whether it is on screen, its outline.
const focusInfo = `(() => {
	const el = document.activeElement;
	const r = el.getBoundingClientRect();
	const st = getComputedStyle(el);
	const parts = [];
	for (let e = el; e && e.parentElement; e = e.parentElement) parts.unshift(e.tagName + ':' + Array.prototype.indexOf.call(e.parentElement.children, e));
	return {tag: el.tagName, class: el.className, visible: r.width > 0 && r.height > 0 && r.bottom > -1 && r.right > 0,
		outline: st.outlineStyle === 'none' || st.outlineWidth === '0px' ? 'none' : st.outlineStyle + ' ' + st.outlineWidth,
		path: parts.join('/')};
})()`

func TestScreenshotsAndLayout(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	for _, width := range []int64{1280, 390} {
		for name, url := range map[string]string{
			"home":         s.url("seinajoki.localhost", "/fi/"),
			"home-siedlce": s.url("siedlce.localhost", "/pl/"),
			"city":         s.url("siedlce.localhost", "/pl/cities/kirov"),
			"city-map":     s.url("seinajoki.localhost", "/sv/cities/thunder-bay"),
		} {
			opts := []chromedp.EmulateViewportOption{}
			if width < 500 {
				opts = append(opts, chromedp.EmulateMobile)
			}
			do(t, ctx, chromedp.EmulateViewport(width, 844, opts...), chromedp.Navigate(url))
			overflow := eval[bool](t, ctx, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
			if overflow {
				t.Errorf("%s at %d px overflows horizontally", name, width)
			}
			if size := eval[float64](t, ctx, `parseFloat(getComputedStyle(document.body).fontSize)`); size < 16 {
				t.Errorf("%s at %d px: body text %.0f px", name, width, size)
			}
			screenshot(t, ctx, fmt.Sprintf("%s-%d", name, width))
		}
	}
	// the print stylesheet hides the navigation
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if d := eval[string](t, ctx, `getComputedStyle(document.querySelector('.lang-switch')).display`); d != "none" {
		t.Errorf("print: language switcher display %s", d)
	}
	// the map prints in black on white: its markers still differ by shape
	do(t, ctx, chromedp.Navigate(s.url("seinajoki.localhost", "/fi/")))
	if f := eval[string](t, ctx, `getComputedStyle(document.querySelector('.marker-twin path')).fill + ' ' + getComputedStyle(document.querySelector('.map .sea')).fill`); f != "rgb(0, 0, 0) rgb(255, 255, 255)" {
		t.Errorf("print: map colours %s", f)
	}
}

// screenshot saves the whole page as var/screenshots/NAME.png.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "var", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 10_000 {
		t.Errorf("%s: screenshot of %d bytes", name, len(png))
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
