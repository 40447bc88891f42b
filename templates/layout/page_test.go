package layout

import "testing"

func TestURLs(t *testing.T) {
	home := Page{Path: "/", BaseURL: "http://x", DefaultLang: "pl"}
	city := Page{Path: "/cities/kirov", BaseURL: "http://x", DefaultLang: "pl"}
	tests := []struct{ got, want string }{
		{home.URL("sv"), "http://x/sv/"},
		{home.XDefault(), "http://x/"},
		{city.URL("it"), "http://x/it/cities/kirov"},
		{city.XDefault(), "http://x/pl/cities/kirov"},
		{city.SwitchHref("fi"), "/fi/cities/kirov?switch=1"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
