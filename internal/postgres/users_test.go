package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"twintowns/internal/auth"
	"twintowns/internal/postgres"
	"twintowns/internal/twinning"
)

func siteIDs(t *testing.T, db *postgres.DB) (seinajoki, siedlce int64) {
	t.Helper()
	ctx := context.Background()
	a, err := db.SiteBySlug(ctx, "seinajoki")
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.SiteBySlug(ctx, "siedlce")
	if err != nil {
		t.Fatal(err)
	}
	return a.ID, b.ID
}

func fieldErrors(err error) twinning.FieldErrors {
	var v *twinning.ValidationError
	if errors.As(err, &v) {
		return v.Fields
	}
	return nil
}

// Today's accounts become administrators and editors of their site.
func TestMigrateRoles(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	all, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if m.Version >= 60 {
			break
		}
		if _, err := db.Pool.Exec(ctx, m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		db.Pool.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
	}
	if _, err := db.Pool.Exec(ctx, `
		INSERT INTO sites (slug, default_lang, source_lang, country) VALUES ('a', 'fi', 'fi', 'FI');
		INSERT INTO users (email, site_id, is_admin, password_hash) VALUES
			('root@example.org', NULL, true, 'h1'),
			('anna@example.org', (SELECT id FROM sites WHERE slug = 'a'), false, 'h2')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	root, hash, err := db.UserByEmail(ctx, "root@example.org")
	if err != nil || root.Role != twinning.RoleAdministrator || !root.IsAdmin || hash != "h1" || !root.HasPassword {
		t.Errorf("root = %+v %q %v", root, hash, err)
	}
	anna, _, err := db.UserByEmail(ctx, "anna@example.org")
	site, _ := db.SiteBySlug(ctx, "a")
	if err != nil || anna.Role != twinning.RoleEditor || !slices.Equal(anna.Sites, []int64{site.ID}) || anna.IsAdmin {
		t.Errorf("anna = %+v %v", anna, err)
	}
}

func TestAddAndUpdateUsers(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	sj, sd := siteIDs(t, db)
	by := twinning.Actor{Email: "root@example.org", Address: "192.0.2.1"}
	tr, err := db.AddUser(ctx, twinning.User{Email: "Tove@Example.org", Role: twinning.RoleTranslator,
		Sites: []int64{sd, sj}, Langs: []string{"sv", "it"}}, "", by)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.UserByID(ctx, tr.ID)
	if err != nil || got.Email != "tove@example.org" || got.Role != twinning.RoleTranslator || got.HasPassword ||
		!slices.Equal(got.Sites, []int64{min(sj, sd), max(sj, sd)}) || !slices.Equal(got.Langs, []string{"it", "sv"}) {
		t.Fatalf("translator = %+v %v", got, err)
	}
	if !got.CanEditText(sj, "sv") || got.CanEditText(sj, "fi") || got.CanPublish(sj) {
		t.Error("the stored translator's permissions are wrong")
	}
	tests := []struct {
		name  string
		u     twinning.User
		field string
	}{
		{"email taken", twinning.User{Email: "tove@example.org", Role: twinning.RoleAdministrator}, "email"},
		{"editor without site", twinning.User{Email: "e@example.org", Role: twinning.RoleEditor}, "sites"},
		{"unknown site", twinning.User{Email: "e@example.org", Role: twinning.RoleEditor, Sites: []int64{-5}}, "sites"},
		{"translator without language", twinning.User{Email: "e@example.org", Role: twinning.RoleTranslator, Sites: []int64{sj}}, "langs"},
		{"bad role", twinning.User{Email: "e@example.org", Role: "root"}, "role"},
		{"bad email", twinning.User{Email: "e", Role: twinning.RoleAdministrator}, "email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.AddUser(ctx, tc.u, "", by)
			if fieldErrors(err)[twinning.Fact(tc.field)] == "" {
				t.Errorf("error = %v, want one on %s", err, tc.field)
			}
		})
	}
	ed, err := db.UpdateUser(ctx, tr.ID, twinning.RoleEditor, []int64{sj}, []string{"sv"}, by)
	if err != nil || ed.Role != twinning.RoleEditor || ed.Langs != nil || !slices.Equal(ed.Sites, []int64{sj}) {
		t.Fatalf("promoted = %+v %v", ed, err)
	}
	if again, _ := db.UserByID(ctx, tr.ID); again.Role != twinning.RoleEditor || !again.CanPublish(sj) || again.CanEdit(sd) {
		t.Errorf("stored editor = %+v", again)
	}
	if _, err := db.UpdateUser(ctx, 999999, twinning.RoleEditor, []int64{sj}, nil, by); twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("update of nobody: %v", err)
	}
	var actions []string
	rows, _ := db.Pool.Query(ctx, `SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = $1 ORDER BY id`, tr.ID)
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions = append(actions, a)
	}
	if !slices.Equal(actions, []string{"user_add", "user_update"}) {
		t.Errorf("audit = %v", actions)
	}
}

func TestLastAdministratorStays(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	sj, _ := siteIDs(t, db)
	root, err := db.CreateUser(ctx, "root@example.org", "", true, "h")
	if err != nil {
		t.Fatal(err)
	}
	var by twinning.Actor
	if _, err := db.UpdateUser(ctx, root.ID, twinning.RoleEditor, []int64{sj}, nil, by); fieldErrors(err)[twinning.Fact("role")] != "validation.last_admin" {
		t.Errorf("demoting the last administrator: %v", err)
	}
	if err := db.SetUserDisabled(ctx, root.ID, true, by); fieldErrors(err)[twinning.Fact("role")] != "validation.last_admin" {
		t.Errorf("disabling the last administrator: %v", err)
	}
	// with a second administrator, either may go
	second, err := db.CreateUser(ctx, "second@example.org", "", true, "h")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserDisabled(ctx, second.ID, true, by); err != nil {
		t.Fatal(err)
	}
	// a disabled administrator does not count
	if _, err := db.UpdateUser(ctx, root.ID, twinning.RoleEditor, []int64{sj}, nil, by); fieldErrors(err)[twinning.Fact("role")] != "validation.last_admin" {
		t.Errorf("demoting the last enabled administrator: %v", err)
	}
	if err := db.SetUserDisabled(ctx, second.ID, false, by); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateUser(ctx, root.ID, twinning.RoleEditor, []int64{sj}, nil, by); err != nil {
		t.Errorf("demoting one of two administrators: %v", err)
	}
}

func TestPasswordChangesAndDisablingEndSessions(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, "anna@seinajoki.fi", "seinajoki", false, "h")
	if err != nil {
		t.Fatal(err)
	}
	epoch := func() int64 {
		got, err := db.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.SessionEpoch
	}
	e0 := epoch()
	if err := db.SetPassword(ctx, u.Email, "h2"); err != nil || epoch() != e0+1 {
		t.Errorf("password change: epoch %d, %v", epoch(), err)
	}
	if err := db.DisableUser(ctx, u.Email); err != nil || epoch() != e0+2 {
		t.Errorf("disabling: epoch %d, %v", epoch(), err)
	}
	if err := db.SetUserDisabled(ctx, u.ID, false, twinning.Actor{}); err != nil || epoch() != e0+2 {
		t.Errorf("enabling: epoch %d, %v", epoch(), err)
	}
	if err := db.SetPassword(ctx, "nobody@example.org", "h"); twinning.ErrorCode(err) != twinning.ENOTFOUND {
		t.Errorf("password of nobody: %v", err)
	}
}

func TestOneTimeLinks(t *testing.T) {
	db := seeded(t)
	ctx := context.Background()
	sj, _ := siteIDs(t, db)
	by := twinning.Actor{Email: "root@example.org"}
	token, hash := auth.NewToken()
	u, err := db.InviteUser(ctx, twinning.User{Email: "new@example.org", Role: twinning.RoleEditor, Sites: []int64{sj}},
		hash, auth.LinkValidity, by)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("only the hash is stored", func(t *testing.T) {
		var n int
		db.Pool.QueryRow(ctx, `SELECT count(*) FROM user_tokens WHERE hash = $1 OR encode(hash, 'escape') LIKE '%' || $2 || '%'`,
			[]byte(token), token).Scan(&n)
		if n != 0 {
			t.Error("the token itself is in the database")
		}
	})
	t.Run("valid 72 hours", func(t *testing.T) {
		var hours float64
		db.Pool.QueryRow(ctx, `SELECT extract(epoch FROM expires_at - now()) / 3600 FROM user_tokens WHERE hash = $1`, hash).Scan(&hours)
		if hours < 71.9 || hours > 72 {
			t.Errorf("valid for %.2f hours", hours)
		}
	})
	t.Run("an invitation", func(t *testing.T) {
		got, err := db.LinkUser(ctx, auth.TokenHash(token))
		if err != nil || got.ID != u.ID || got.HasPassword {
			t.Fatalf("link = %+v %v", got, err)
		}
		if _, hash, _ := db.UserByEmail(ctx, "new@example.org"); hash != "" {
			t.Errorf("invited account has password %q", hash)
		}
	})
	t.Run("single use", func(t *testing.T) {
		got, err := db.UseLink(ctx, hash, "pw-hash", "192.0.2.7")
		if err != nil || got.ID != u.ID || got.SessionEpoch != u.SessionEpoch+1 {
			t.Fatalf("use: %+v %v", got, err)
		}
		if _, h, _ := db.UserByEmail(ctx, "new@example.org"); h != "pw-hash" {
			t.Errorf("password hash = %q", h)
		}
		if _, err := db.UseLink(ctx, hash, "other", ""); twinning.ErrorCode(err) != twinning.ENOTFOUND {
			t.Errorf("second use: %v", err)
		}
		if _, err := db.LinkUser(ctx, hash); twinning.ErrorCode(err) != twinning.ENOTFOUND {
			t.Errorf("used link still shown: %v", err)
		}
	})
	t.Run("expiry enforced", func(t *testing.T) {
		_, h := auth.NewToken()
		if err := db.IssueLink(ctx, u.ID, h, auth.LinkValidity, by); err != nil {
			t.Fatal(err)
		}
		if got, err := db.LinkUser(ctx, h); err != nil || !got.HasPassword {
			t.Fatalf("reset link: %+v %v", got, err)
		}
		var purpose string
		db.Pool.QueryRow(ctx, `SELECT purpose FROM user_tokens WHERE hash = $1`, h).Scan(&purpose)
		if purpose != "reset" {
			t.Errorf("purpose = %q", purpose)
		}
		db.Pool.Exec(ctx, `UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE hash = $1`, h)
		if _, err := db.LinkUser(ctx, h); twinning.ErrorCode(err) != twinning.ENOTFOUND {
			t.Errorf("expired link shown: %v", err)
		}
		if _, err := db.UseLink(ctx, h, "x", ""); twinning.ErrorCode(err) != twinning.ENOTFOUND {
			t.Errorf("expired link used: %v", err)
		}
	})
	t.Run("a new link revokes the old", func(t *testing.T) {
		_, first := auth.NewToken()
		_, second := auth.NewToken()
		db.IssueLink(ctx, u.ID, first, auth.LinkValidity, by)
		db.IssueLink(ctx, u.ID, second, auth.LinkValidity, by)
		if _, err := db.LinkUser(ctx, first); twinning.ErrorCode(err) != twinning.ENOTFOUND {
			t.Errorf("the older link still works: %v", err)
		}
		if _, err := db.LinkUser(ctx, second); err != nil {
			t.Errorf("the newer link: %v", err)
		}
	})
	t.Run("not for a disabled account", func(t *testing.T) {
		_, h := auth.NewToken()
		db.IssueLink(ctx, u.ID, h, auth.LinkValidity, by)
		if err := db.SetUserDisabled(ctx, u.ID, true, by); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UseLink(ctx, h, "x", ""); twinning.ErrorCode(err) != twinning.ENOTFOUND {
			t.Errorf("link of a disabled account used: %v", err)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		if _, err := db.LinkUser(ctx, auth.TokenHash("made up")); twinning.ErrorCode(err) != twinning.ENOTFOUND {
			t.Errorf("made-up link: %v", err)
		}
	})
	_ = time.Now
}
