package demo

import (
	"testing"

	"twintowns/internal/twinning"
)

// TestCoordinatesFromGeoNames checks the places.toml files written by ./places: GeoNames
// places where exactly one matches, nothing where none or several do.
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
	}{
		{"seinajoki", "", 637219, 62.79446, 22.82822},
		{"siedlce", "", 759412, 52.16772, 22.29006},
		{"seinajoki", "schweinfurt", 2834498, 50.04937, 10.22175},
		{"seinajoki", "thunder-bay", 6166142, 48.38202, -89.25018},
		{"siedlce", "berdychiv", 712441, 49.89928, 28.60235},
		{"seinajoki", "jiangjin", 0, 0, 0},       // a district
		{"seinajoki", "rudong", 0, 0, 0},         // a county
		{"seinajoki", "changsha", 0, 0, 0},       // three places of the name in China
		{"siedlce", "vilnius-district", 0, 0, 0}, // a district, not the city of Vilnius
		{"siedlce", "kirov", 0, 0, 0},            // two places of the name in Russia
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
			if !p.Located() || p.GeoNamesID != tc.geonames || *p.Latitude != tc.lat || *p.Longitude != tc.lon {
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
