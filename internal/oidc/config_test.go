package oidc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	os.WriteFile(secretFile, []byte("from-a-file\n"), 0o600)
	file := filepath.Join(dir, "providers.toml")
	os.WriteFile(file, []byte(`
[[provider]]
id = "keycloak"
name = "Seinäjoen kaupunki"
issuer = "https://sso.example.fi/realms/seinajoki"
client_id = "twintowns"
client_secret_file = "`+secretFile+`"
scopes = ["groups"]

[[provider]]
id = "entra"
name = "Siedlce"
issuer = "https://login.microsoftonline.com/TENANT/v2.0"
client_id = "b1d0…"
client_secret_env = "ENTRA_SECRET"
groups_claim = "roles"
trust_email = true
`), 0o600)
	cfgs, err := Load(env("OIDC_PROVIDERS_FILE", file, "ENTRA_SECRET", "from-the-environment",
		"OIDC_PROVIDERS", "region-x", "OIDC_REGION_X_NAME", "Region", "OIDC_REGION_X_ISSUER", "https://id.region.example",
		"OIDC_REGION_X_CLIENT_ID", "tt", "OIDC_REGION_X_CLIENT_SECRET", "inline", "OIDC_REGION_X_SCOPES", "groups roles"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 3 {
		t.Fatalf("%d providers", len(cfgs))
	}
	if c := cfgs[0]; c.ClientSecret != "from-a-file" || c.Scopes[0] != "groups" || c.Name != "Seinäjoen kaupunki" {
		t.Errorf("keycloak: %+v", c)
	}
	if c := cfgs[1]; c.ClientSecret != "from-the-environment" || c.GroupsClaim != "roles" || !c.TrustEmail {
		t.Errorf("entra: %+v", c)
	}
	if c := cfgs[2]; c.ID != "region-x" || c.ClientSecret != "inline" || len(c.Scopes) != 2 || c.Issuer != "https://id.region.example" {
		t.Errorf("from the environment: %+v", c)
	}
	if _, err := New(cfgs); err != nil {
		t.Errorf("New: %v", err)
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	n := 0
	write := func(body string) string {
		n++
		p := filepath.Join(dir, fmt.Sprintf("p%d.toml", n))
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	tests := []struct {
		name string
		env  func(string) string
		want string
	}{
		{"unknown setting", env("OIDC_PROVIDERS_FILE", write("[[provider]]\nid = \"a\"\nclient_secrte = \"x\"\n")), "unknown setting"},
		{"two secrets", env("OIDC_PROVIDERS_FILE", write("[[provider]]\nid = \"a\"\nclient_secret = \"x\"\nclient_secret_env = \"Y\"\n")), "one way"},
		{"empty secret variable", env("OIDC_PROVIDERS_FILE", write("[[provider]]\nid = \"a\"\nclient_secret_env = \"NOPE\"\n")), "empty"},
		{"missing file", env("OIDC_PROVIDERS_FILE", filepath.Join(dir, "none.toml")), "OIDC_PROVIDERS_FILE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Load(tc.env); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	for _, c := range []Config{
		{ID: "Bad Id", Name: "x", Issuer: "https://x", ClientID: "c"},
		{ID: "ok", Name: "", Issuer: "https://x", ClientID: "c"},
		{ID: "ok", Name: "x", Issuer: "ftp://x", ClientID: "c"},
		{ID: "ok", Name: "x", Issuer: "https://x", ClientID: ""},
	} {
		if _, err := New([]Config{c}); err == nil {
			t.Errorf("New accepted %+v", c)
		}
	}
	ok := Config{ID: "a", Name: "A", Issuer: "https://a", ClientID: "c"}
	if _, err := New([]Config{ok, ok}); err == nil {
		t.Error("New accepted a provider twice")
	}
}
