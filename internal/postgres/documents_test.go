package postgres_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

var validSlug = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

func sabinov(t *testing.T) (db *postgres.DB, siteID, cityID int64) {
	t.Helper()
	db = seeded(t)
	if err := db.Pool.QueryRow(context.Background(),
		`SELECT s.id, c.id FROM cities c JOIN sites s ON s.id = c.site_id WHERE s.slug = 'siedlce' AND c.slug = 'sabinov'`).Scan(&siteID, &cityID); err != nil {
		t.Fatal(err)
	}
	return db, siteID, cityID
}

// A file name in any script or starting with punctuation gives a valid, transliterated slug.
func TestAttachmentSlugs(t *testing.T) {
	db, siteID, cityID := sabinov(t)
	tests := []struct{ name, want string }{
		{"Äänekoski sopimus", "aanekoski-sopimus-"},
		{"Łódź umowa", "lodz-umowa-"},
		{"(luonnos) sopimus", "luonnos-sopimus-"},
		{"-draft", "draft-"},
		{"Sopimus_2024 ÖÖ", "sopimus-2024-oo-"},
		{"Договор о побратимстве", "dogovor-o-pobratimstve-"},
		{"---", "document-"},
		{"", "document-"},
		{"\u200b\u0301", "document-"},
		{"ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää ääää", "aaaa-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			title := "title " + tc.name
			err := db.AddAttachment(context.Background(), siteID, cityID,
				twinning.Attachment{Slug: tc.name, Kind: "agreement", Format: "pdf", MediaType: "application/pdf",
					Titles: map[string]string{"pl": title}}, []byte("%PDF-1.4"), twinning.Actor{Email: "test"})
			if err != nil {
				t.Fatal(err)
			}
			var slug string
			if err := db.Pool.QueryRow(context.Background(), `
				SELECT a.slug FROM city_attachments a JOIN city_attachment_titles t ON t.attachment_id = a.id
				WHERE t.title = $1`, title).Scan(&slug); err != nil {
				t.Fatal(err)
			}
			if !validSlug.MatchString(slug) || len(slug) > 72 || !strings.HasPrefix(slug, tc.want) {
				t.Errorf("slug %q, want a valid slug starting %q", slug, tc.want)
			}
		})
	}
}

// Parallel uploads of one name all succeed, with distinct slugs.
func TestParallelAttachments(t *testing.T) {
	db, siteID, cityID := sabinov(t)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = db.AddAttachment(context.Background(), siteID, cityID,
				twinning.Attachment{Slug: "umowa", Kind: "agreement", Format: "pdf", MediaType: "application/pdf",
					Titles: map[string]string{"pl": "Umowa"}}, []byte("%PDF-1.4"), twinning.Actor{Email: "test"})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("upload %d: %v", i, err)
		}
	}
	var stored, distinct int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT slug) FROM city_attachments
		WHERE city_id = $1 AND slug LIKE 'umowa-%'`, cityID).Scan(&stored, &distinct); err != nil {
		t.Fatal(err)
	}
	if stored != n || distinct != n {
		t.Errorf("%d uploads stored with %d distinct slugs, want %d", stored, distinct, n)
	}
}
