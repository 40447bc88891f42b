package demo

import (
	"testing"

	"twintowns/internal/twinning"
)

// TestCoordinatesFromGeoNames checks that the places.toml files written by ./places load:
// GeoNames places, a district or county at its seat marked approximate.
func TestCoordinatesFromGeoNames(t *testing.T) {
	sites, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]twinning.Content{}
	for _, c := range sites {
		bySlug[c.Site.Slug] = c
	}
	tests := []struct {
		site, city string // city "" is the site itself
		geonames   int64  // 0: off the map
		lat, lon   float64
		seat       bool
	}{
		{"seinajoki", "", 637219, 62.79446, 22.82822, false},
		{"siedlce", "", 759412, 52.16772, 22.29006, false},
		{"seinajoki", "schweinfurt", 2834498, 50.04937, 10.22175, false},
		{"seinajoki", "thunder-bay", 6166142, 48.38202, -89.25018, false},
		{"siedlce", "berdychiv", 712441, 49.89928, 28.60235, false},
		{"seinajoki", "jiangjin", 1805798, 29.28993, 106.25001, true},  // Jijiang, the district's seat
		{"seinajoki", "rudong", 1804979, 32.31737, 121.18552, true},    // Juegang, the county's seat
		{"seinajoki", "changsha", 1815577, 28.19874, 112.97087, false}, // the one in Hunan
		{"siedlce", "vilnius-district", 593116, 54.68916, 25.2798, true},
		{"siedlce", "kirov", 548408, 58.59665, 49.66007, false}, // the most populous
	}
	for _, tc := range tests {
		t.Run(tc.site+"/"+tc.city, func(t *testing.T) {
			c := bySlug[tc.site]
			p := c.Site.Place
			if tc.city != "" {
				city, err := c.City(tc.city)
				if err != nil {
					t.Fatal(err)
				}
				p = city.Place()
			}
			if tc.geonames == 0 {
				if p.Located() || p.GeoNamesID != 0 {
					t.Fatalf("on the map: %+v", p)
				}
				return
			}
			if !p.Located() || p.GeoNamesID != tc.geonames || *p.Latitude != tc.lat || *p.Longitude != tc.lon || p.Seat != tc.seat {
				t.Fatalf("place = %+v (%v, %v)", p, deref(p.Latitude), deref(p.Longitude))
			}
		})
	}
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
