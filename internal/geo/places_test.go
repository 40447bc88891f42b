package geo

import "testing"

// The gazetteer tells Changsha, the prefecture-level city in Hunan, from its namesakes, and
// finds a name typed without its accents.
func TestSearchPlaces(t *testing.T) {
	got := SearchPlaces("cn", "changsha", 10)
	if len(got) < 3 || got[0].ID != 1815577 || got[0].Region != "Hunan" || got[0].Population < 1_000_000 {
		t.Fatalf("Changsha: %+v", got)
	}
	if got[0].Lat != 28.19874 || got[0].Lon != 112.97087 {
		t.Errorf("Changsha at %v, %v", got[0].Lat, got[0].Lon)
	}
	if fi := SearchPlaces("FI", "seinajoki", 5); len(fi) == 0 || fi[0].Name != "Seinäjoki" {
		t.Errorf("Seinäjoki: %+v", fi)
	}
	if p, ok := PlaceByID("PL", 759412); !ok || p.Name != "Siedlce" {
		t.Errorf("Siedlce by id: %+v %v", p, ok)
	}
	for _, tc := range []struct{ country, q string }{{"CN", ""}, {"XX", "a"}, {"", "Changsha"}, {"C", "x"}} {
		if got := SearchPlaces(tc.country, tc.q, 5); len(got) != 0 {
			t.Errorf("%q in %q: %+v", tc.q, tc.country, got)
		}
	}
}
