package twinning

import "testing"

func site() Site {
	return Site{Languages: []string{"sv", "it", "pl", "fi"}, DefaultLang: "fi", SourceLang: "sv", Texts: map[string]SiteText{
		"sv": {Lang: "sv", Name: "Seinäjoki"},
	}}
}

func TestTextFallback(t *testing.T) {
	s := site()
	tests := []struct {
		name     string
		texts    []string
		lang     string
		wantLang string
		wantOK   bool
	}{
		{"present", []string{"fi", "sv"}, "sv", "sv", true},
		{"site default first", []string{"fi", "sv", "pl"}, "it", "fi", false},
		{"then source language", []string{"sv", "pl"}, "it", "sv", false},
		{"then any", []string{"pl"}, "it", "pl", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := City{Texts: map[string]CityText{}}
			for _, l := range tc.texts {
				c.Texts[l] = CityText{Lang: l, Name: "x-" + l}
			}
			got, ok := c.Text(tc.lang, s)
			if got.Lang != tc.wantLang || ok != tc.wantOK {
				t.Errorf("Text(%s) = %s, %v; want %s, %v", tc.lang, got.Lang, ok, tc.wantLang, tc.wantOK)
			}
		})
	}
	if st, ok := s.Text("pl"); ok || st.Lang != "sv" {
		t.Errorf("site text fallback = %s, %v", st.Lang, ok)
	}
}

func TestLinksFor(t *testing.T) {
	s := site()
	c := City{Links: []Link{
		{Kind: LinkWikipedia, Lang: "en", URL: "en"},
		{Kind: LinkOfficial, URL: "official"},
		{Kind: LinkWikipedia, Lang: "sv", URL: "sv"},
		{Kind: LinkWikipedia, Lang: "pl", URL: "pl"},
	}}
	tests := map[string]string{"pl": "pl", "sv": "sv", "fi": "sv", "it": "sv"}
	for lang, want := range tests {
		links := c.LinksFor(lang, s)
		if len(links) != 2 || links[0].URL != want || links[1].URL != "official" {
			t.Errorf("LinksFor(%s) = %+v, want wikipedia %s then official", lang, links, want)
		}
	}
	onlyEN := City{Links: []Link{{Kind: LinkWikipedia, Lang: "en", URL: "en"}}}
	if l := onlyEN.LinksFor("fi", s); len(l) != 1 || l[0].URL != "en" {
		t.Errorf("English fallback = %+v", l)
	}
	if l := (City{}).LinksFor("fi", s); len(l) != 0 {
		t.Errorf("no links = %+v", l)
	}
}

func TestErrorCode(t *testing.T) {
	if ErrorCode(nil) != "" || ErrorCode(Errorf(ENOTFOUND, "x")) != ENOTFOUND || ErrorCode(errTest{}) != EINTERNAL {
		t.Error("ErrorCode mapping wrong")
	}
}

type errTest struct{}

func (errTest) Error() string { return "plain" }

func TestStatusRecorded(t *testing.T) {
	tests := []struct {
		s               Status
		valid, recorded bool
	}{
		{StatusActive, true, true},
		{StatusSuspended, true, true},
		{StatusEnded, true, true},
		{StatusUnknown, true, false},
		{"", false, false},
		{"paused", false, false},
	}
	for _, tc := range tests {
		if got := tc.s.Valid(); got != tc.valid {
			t.Errorf("%q.Valid() = %v, want %v", tc.s, got, tc.valid)
		}
		if got := tc.s.Recorded(); got != tc.recorded {
			t.Errorf("%q.Recorded() = %v, want %v", tc.s, got, tc.recorded)
		}
	}
}
