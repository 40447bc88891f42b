package twinning

import "testing"

func TestDataLicence(t *testing.T) {
	tests := []struct{ stored, want string }{
		{"", "CC-BY-4.0"},
		{"CC0-1.0", "CC0-1.0"},
		{"CC-BY-SA-4.0", "CC-BY-SA-4.0"},
		{"GPL-3.0", "CC-BY-4.0"}, // not an open-data licence this product offers
	}
	for _, tc := range tests {
		l := Site{Licence: tc.stored}.DataLicence()
		if l.ID != tc.want || l.URL == "" || l.Name == "" {
			t.Errorf("DataLicence(%q) = %+v, want %s", tc.stored, l, tc.want)
		}
	}
}
