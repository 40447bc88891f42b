package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

// The public's feedback holds their addresses: editors and administrators read it,
// translators do not, not even by its URL.
func TestTranslatorsCannotReadFeedback(t *testing.T) {
	e := newEnv(t)
	sj := siteID(t, e, "seinajoki")
	if _, err := e.db.AddFeedback(context.Background(), twinning.Feedback{SiteID: sj, Lang: "fi", Message: "Kontrasti on heikko.",
		Email: "asukas@example.org", Address: "192.0.2.1"}, time.Now().Add(-time.Hour), 5); err != nil {
		t.Fatal(err)
	}
	tr := e.addUser(t, twinning.User{Email: "sv@example.org", Role: twinning.RoleTranslator, Sites: []int64{sj}, Langs: []string{"sv"}})
	if res := tr.get("/admin/sites/seinajoki/feedback"); res.StatusCode != http.StatusForbidden || strings.Contains(res.body, "asukas@example.org") {
		t.Errorf("translator: %d", res.StatusCode)
	}
	if res := tr.get("/admin/sites/seinajoki/cities"); strings.Contains(res.body, "/admin/sites/seinajoki/feedback") {
		t.Error("the translator's menu links the feedback")
	}
	ed := e.addUser(t, twinning.User{Email: "ed@example.org", Role: twinning.RoleEditor, Sites: []int64{sj}})
	if res := ed.get("/admin/sites/seinajoki/feedback"); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "asukas@example.org") {
		t.Errorf("editor: %d", res.StatusCode)
	}
}

// Addresses in feedback are forgotten once older than the site's retention period (12 months
// unless administrators set another), by a job of the server; the message stays, and the
// statement says so in every language.
func TestFeedbackAddressesAreForgotten(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sj, sd := siteID(t, e, "seinajoki"), siteID(t, e, "siedlce")
	add := func(site int64, age time.Duration, email string) {
		t.Helper()
		if _, err := e.db.Pool.Exec(ctx, `INSERT INTO feedback (site_id, lang, message, email, address, created_at)
			VALUES ($1, 'fi', 'Viesti', $2, '192.0.2.1', now() - make_interval(secs => $3))`, site, email, age.Seconds()); err != nil {
			t.Fatal(err)
		}
	}
	const month = 30 * 24 * time.Hour
	add(sj, 13*month, "old@example.org")
	add(sj, 11*month, "recent@example.org")
	add(sd, 3*month, "siedlce@example.org")
	kept := func() string {
		t.Helper()
		var s string
		e.db.Pool.QueryRow(ctx, `SELECT string_agg(email || '/' || address, ',' ORDER BY id) FROM feedback`).Scan(&s)
		return s
	}
	// the job of serve: at once when the server runs
	runCtx, stop := context.WithTimeout(ctx, 500*time.Millisecond)
	e.srv.Run(runCtx)
	stop()
	if got := kept(); got != "/,recent@example.org/192.0.2.1,siedlce@example.org/192.0.2.1" {
		t.Errorf("after the job: %s", got)
	}
	if n, err := e.db.ForgetFeedbackAddresses(ctx, time.Now()); err != nil || n != 0 {
		t.Errorf("again: %d %v", n, err)
	}
	// an administrator shortens Siedlce's period to 2 months
	root := e.staff(t, "root@example.org", "", true)
	root.login("root@example.org")
	settings := formOf(t, root.get("/admin/sites/siedlce/settings").body)
	if settings.Get("feedback_retention") != "12" {
		t.Fatalf("settings form: retention %q", settings.Get("feedback_retention"))
	}
	for _, bad := range []string{"0", "121", "twelve", ""} {
		settings.Set("feedback_retention", bad)
		if res := root.post("/admin/sites/siedlce/settings", settings); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(res.body, `id="feedback_retention-error"`) {
			t.Errorf("retention %q: %d", bad, res.StatusCode)
		}
	}
	settings.Set("feedback_retention", "2")
	if res := root.post("/admin/sites/siedlce/settings", settings); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.body)
	}
	if n, err := e.db.ForgetFeedbackAddresses(ctx, time.Now()); err != nil || n != 1 || kept() != "/,recent@example.org/192.0.2.1,/" {
		t.Errorf("after shortening: %d %v %s", n, err, kept())
	}
	bundle, _ := locale.Load()
	for _, tc := range []struct{ host, lang string }{{siedlce, "pl"}, {siedlce, "it"}, {seinajoki, "fi"}, {seinajoki, "sv"}} {
		months := map[string]int64{siedlce: 2, seinajoki: 12}[tc.host]
		want := bundle.For(tc.lang).N("a11y.feedback.retention", months)
		if res := e.get(t, tc.host, "/"+tc.lang+"/accessibility"); !strings.Contains(res.body, html2(want)) {
			t.Errorf("%s %s statement lacks %q", tc.host, tc.lang, want)
		}
	}
}

// html2 escapes as templ does.
func html2(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;").Replace(s)
}
