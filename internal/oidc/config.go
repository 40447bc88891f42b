package oidc

import (
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// fileConfig is a provider in the providers file (OIDC_PROVIDERS_FILE).
type fileConfig struct {
	ID               string   `toml:"id"`
	Name             string   `toml:"name"`
	Issuer           string   `toml:"issuer"`
	ClientID         string   `toml:"client_id"`
	ClientSecret     string   `toml:"client_secret"`
	ClientSecretFile string   `toml:"client_secret_file"`
	ClientSecretEnv  string   `toml:"client_secret_env"`
	Scopes           []string `toml:"scopes"`
	GroupsClaim      string   `toml:"groups_claim"`
	TrustEmail       bool     `toml:"trust_email"`
}

// Load reads the providers of the instance: from the TOML file OIDC_PROVIDERS_FILE
// ([[provider]] tables), then from the environment for each id of OIDC_PROVIDERS
// (comma-separated): OIDC_<ID>_NAME, _ISSUER, _CLIENT_ID, _CLIENT_SECRET or
// _CLIENT_SECRET_FILE, _SCOPES (space-separated), _GROUPS_CLAIM, _TRUST_EMAIL (true).
// Dashes of an id are underscores in the variables' names.
func Load(getenv func(string) string) ([]Config, error) {
	var cfgs []Config
	if path := getenv("OIDC_PROVIDERS_FILE"); path != "" {
		var f struct {
			Provider []fileConfig `toml:"provider"`
		}
		md, err := toml.DecodeFile(path, &f)
		if err != nil {
			return nil, fmt.Errorf("OIDC_PROVIDERS_FILE: %w", err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			return nil, fmt.Errorf("OIDC_PROVIDERS_FILE: unknown setting %s", und[0])
		}
		for _, p := range f.Provider {
			secret, err := secret(getenv, p.ID, p.ClientSecret, p.ClientSecretFile, p.ClientSecretEnv)
			if err != nil {
				return nil, err
			}
			cfgs = append(cfgs, Config{ID: p.ID, Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: secret,
				Scopes: p.Scopes, GroupsClaim: p.GroupsClaim, TrustEmail: p.TrustEmail})
		}
	}
	for _, id := range strings.Split(getenv("OIDC_PROVIDERS"), ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		v := func(name string) string {
			return strings.TrimSpace(getenv("OIDC_" + strings.ToUpper(strings.ReplaceAll(id, "-", "_")) + "_" + name))
		}
		secret, err := secret(getenv, id, v("CLIENT_SECRET"), v("CLIENT_SECRET_FILE"), "")
		if err != nil {
			return nil, err
		}
		cfgs = append(cfgs, Config{ID: id, Name: v("NAME"), Issuer: v("ISSUER"), ClientID: v("CLIENT_ID"), ClientSecret: secret,
			Scopes: strings.Fields(v("SCOPES")), GroupsClaim: v("GROUPS_CLAIM"), TrustEmail: strings.EqualFold(v("TRUST_EMAIL"), "true")})
	}
	return cfgs, nil
}

// secret is a client secret given in one of three ways; a public client has none.
func secret(getenv func(string) string, id, inline, file, env string) (string, error) {
	n := 0
	for _, s := range []string{inline, file, env} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return "", fmt.Errorf("provider %s: give its client secret one way only", id)
	}
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("provider %s: client secret file: %w", id, err)
		}
		return strings.TrimSpace(string(b)), nil
	case env != "":
		s := getenv(env)
		if s == "" {
			return "", fmt.Errorf("provider %s: %s is empty", id, env)
		}
		return s, nil
	}
	return inline, nil
}
