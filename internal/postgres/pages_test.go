package postgres_test

import (
	"context"
	"testing"

	"twintowns/internal/twinning"
)

// A stored page is read back only at the version of its site's content it was rendered from:
// every transaction that changes the site counts up the version (and no other site's), one
// under way does not until it commits, and editors do not wait for each other; a page of an
// older version arriving late does not replace a newer one.
func TestRenderedPagesFollowTheSiteVersion(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	header := func(slug string) twinning.Site {
		t.Helper()
		s, err := db.SiteBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		h, err := db.SiteHeader(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	site, other := header("seinajoki"), header("siedlce")
	before, err := db.Content(ctx, site)
	if err != nil || before.Version != site.ContentVersion || site.ContentVersion == 0 {
		t.Fatalf("content at %d, site at %d: %v", before.Version, site.ContentVersion, err)
	}
	page := func(s twinning.Site, version int64, body string) twinning.RenderedPage {
		return twinning.RenderedPage{SiteID: s.ID, Build: "b", Port: 80, Path: "/fi/", Version: version, Tag: body,
			Gzip: []byte(body), ContentType: "text/html; charset=utf-8", ContentLang: "fi"}
	}
	read := func(s twinning.Site, version int64) string {
		t.Helper()
		p, err := db.RenderedPage(ctx, s.ID, version, "b", false, 80, "/fi/")
		if twinning.ErrorCode(err) == twinning.ENOTFOUND {
			return ""
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(p.Gzip)
	}
	if err := db.SaveRenderedPages(ctx, []twinning.RenderedPage{page(site, before.Version, "old"), page(other, other.ContentVersion, "other")}); err != nil {
		t.Fatal(err)
	}
	if got := read(site, site.ContentVersion); got != "old" {
		t.Fatalf("stored page %q", got)
	}
	if _, err := db.RenderedPage(ctx, site.ID, site.ContentVersion, "another build", false, 80, "/fi/"); twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("another build's page: %v", err)
	}

	// Two editors of the site at once, in opposite orders of rows: neither waits.
	a, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Rollback(ctx)
	b, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback(ctx)
	for _, q := range []struct {
		a    bool
		stmt string
	}{
		{true, `UPDATE site_texts SET intro = 'Uusi johdanto.' WHERE site_id = (SELECT id FROM sites WHERE slug = 'seinajoki') AND lang = 'fi'`},
		{false, `UPDATE cities SET position = position WHERE slug = 'sopron'`},
		{true, `UPDATE cities SET position = position WHERE slug = 'koszalin'`},
		{false, `SET LOCAL lock_timeout = '2s'`},
		{false, `UPDATE site_texts SET intro = intro WHERE site_id = (SELECT id FROM sites WHERE slug = 'seinajoki') AND lang = 'sv'`},
	} {
		tx := b
		if q.a {
			tx = a
		}
		if _, err := tx.Exec(ctx, q.stmt); err != nil {
			t.Fatalf("%s: %v", q.stmt, err)
		}
	}
	if got := header("seinajoki").ContentVersion; got != site.ContentVersion {
		t.Errorf("version %d while the edits are under way, %d before", got, site.ContentVersion)
	}
	if err := a.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	now := header("seinajoki")
	if now.ContentVersion != site.ContentVersion+2 || header("siedlce").ContentVersion != other.ContentVersion {
		t.Fatalf("versions %d after %d, the other site %d after %d", now.ContentVersion, site.ContentVersion,
			header("siedlce").ContentVersion, other.ContentVersion)
	}
	if got := read(site, now.ContentVersion); got != "" {
		t.Errorf("the page from before the edits is served at the new version: %q", got)
	}
	if got := read(other, other.ContentVersion); got != "other" {
		t.Errorf("the other site's page: %q", got)
	}
	after, err := db.Content(ctx, site)
	if err != nil || after.Version != now.ContentVersion || after.Site.Texts["fi"].Intro != "Uusi johdanto." {
		t.Fatalf("content at %d: %v", after.Version, err)
	}
	if err := db.SaveRenderedPages(ctx, []twinning.RenderedPage{page(site, after.Version, "new")}); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveRenderedPages(ctx, []twinning.RenderedPage{page(site, before.Version, "late")}); err != nil {
		t.Fatal(err)
	}
	if got := read(site, now.ContentVersion); got != "new" {
		t.Errorf("after storing the new page: %q", got)
	}
	if err := db.ForgetOtherBuilds(ctx, "c", 0); err != nil {
		t.Fatal(err)
	}
	if got := read(site, now.ContentVersion); got != "" {
		t.Errorf("a page of an old build outlived its upgrade: %q", got)
	}
}
