package twinning

import "testing"

func TestFieldKeyNames(t *testing.T) {
	for k, want := range map[FieldKey]string{
		Fact("country"):              "country",
		TextKey("description", "fi"): "description_fi",
		RowKey("link_url", 2):        "link_url_2",
	} {
		if got := k.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", k, got, want)
		}
	}
}

// Every type gets per-field translation states from the same code: site texts too.
func TestFieldStates(t *testing.T) {
	for _, typ := range []*Type{CityType, SiteType, DocumentType} {
		t.Run(typ.Name, func(t *testing.T) {
			name, other := typ.Fields[0].Key, typ.Fields[len(typ.Fields)-1].Key
			e := Entry{Type: typ, Texts: map[string]Text{
				"sv": {Lang: "sv", Fields: map[string]string{name: "Källa", other: "Lång text"}},
				"fi": {Lang: "fi", Fields: map[string]string{name: "Lähde"}, TranslatedFrom: "sv"},
			}}
			e.MarkReviewed("fi")
			if got := e.FieldState("fi", name); got != TranslationComplete {
				t.Errorf("reviewed name: %s", got)
			}
			if other != name {
				if got := e.FieldState("fi", other); got != TranslationMissing {
					t.Errorf("untranslated field: %s", got)
				}
			}
			if e.Translation("fi") != TranslationComplete || e.Translation("it") != TranslationMissing {
				t.Errorf("languages: fi %s, it %s", e.Translation("fi"), e.Translation("it"))
			}
			src := e.Texts["sv"]
			src.Fields[name] = "Ändrad källa"
			if got := e.FieldState("fi", name); got != TranslationOutdated {
				t.Errorf("after the source changed: %s", got)
			}
			if e.Translation("fi") != TranslationOutdated {
				t.Errorf("language after the source changed: %s", e.Translation("fi"))
			}
			e.MarkReviewed("fi", name)
			if got := e.FieldState("fi", name); got != TranslationComplete {
				t.Errorf("checked again: %s", got)
			}
		})
	}
}

// Required languages are checked the same way for every type, at publishing.
func TestRequiredLanguagesForEveryType(t *testing.T) {
	site := Site{Languages: []string{"sv", "fi"}, DefaultLang: "fi", RequiredLangs: []string{"fi"}}
	for _, typ := range []*Type{CityType, SiteType, DocumentType} {
		e := Entry{Type: typ, Texts: map[string]Text{"sv": {Lang: "sv", Fields: map[string]string{typ.NameField(): "X"}}}}
		errs := e.ValidatePublish(site)
		if errs[TextKey(typ.NameField(), "fi")] != "validation.required_language" {
			t.Errorf("%s: %v", typ.Name, errs)
		}
		e.Texts["fi"] = Text{Lang: "fi", Fields: map[string]string{typ.NameField(): "Y"}}
		if errs := e.ValidatePublish(site); len(errs) != 0 {
			t.Errorf("%s complete: %v", typ.Name, errs)
		}
	}
}

func TestValidateTexts(t *testing.T) {
	site := Site{Languages: []string{"sv", "fi"}, DefaultLang: "fi"}
	e := Entry{Type: SiteType, Texts: map[string]Text{
		"sv": {Lang: "sv", Fields: map[string]string{"intro": "ingen rubrik"}},
		"pl": {Lang: "pl", Fields: map[string]string{"name": "Nie publikowany"}},
		"fi": {Lang: "fi", Fields: map[string]string{"name": "Nimi"}, TranslatedFrom: "fi"},
	}}
	errs := e.Validate(site)
	for k, want := range map[FieldKey]string{
		TextKey("name", "sv"):            "validation.name_needed",
		TextKey("name", "pl"):            "validation.language",
		TextKey("translated_from", "fi"): "validation.choice",
	} {
		if errs[k] != want {
			t.Errorf("%s: %q, want %q (all: %v)", k, errs[k], want, errs)
		}
	}
	if errs := (Entry{Type: SiteType}).Validate(site); errs[TextKey("name", "fi")] != "validation.one_name" {
		t.Errorf("no name at all: %v", errs)
	}
}

// A city survives the round trip through its entry, and bad numbers are field errors,
// NaN and infinities included.
func TestCityEntryRoundTrip(t *testing.T) {
	lat, lon := 60.5, 22.25
	c := City{Slug: "turku", Kind: KindTwin, Country: "FI", Status: StatusActive, Latitude: &lat, Longitude: &lon,
		Population: &Population{Count: 200000, Year: 2020, Approx: true},
		Agreement:  Agreement{Precision: PrecisionYear, Year: 1990},
		Links:      []Link{{Kind: LinkWikipedia, Lang: "fi", URL: "https://fi.wikipedia.org/wiki/Turku"}},
		Texts:      map[string]CityText{"fi": {Lang: "fi", Name: "Turku", Description: "Kaupunki."}}, GeoNamesID: 633679}
	checked, errs := CityType.CheckFacts(c.Entry())
	back := CityOf(checked)
	if len(errs) != 0 || back.Slug != "turku" || *back.Latitude != lat || back.GeoNamesID != 633679 || back.Population.Year != 2020 ||
		back.Agreement.Year != 1990 || len(back.Links) != 1 || back.Texts["fi"].Description != "Kaupunki." {
		t.Fatalf("round trip: %+v %v", back, errs)
	}
	lk := FieldKey{Field: "coordinates", Part: PartLatitude}
	for _, bad := range []string{"NaN", "Inf", "-Inf", "+inf", "1e400", "abc", "95"} {
		e := c.Entry()
		e.Facts[lk] = bad
		if _, errs := CityType.CheckFacts(e); errs[lk] == "" {
			t.Errorf("latitude %q accepted", bad)
		}
	}
	// "since 1974" is its own precision, with its own field, and stays one through the entry
	c.Agreement = Agreement{Precision: PrecisionSince, Year: 1974}
	e := c.Entry()
	if e.Facts[Fact("since_year")] != "1974" || e.Facts[Fact("agreement_year")] != "" {
		t.Errorf("since facts: %v", e.Facts)
	}
	if checked, errs := CityType.CheckFacts(e); len(errs) != 0 || CityOf(checked).Agreement != c.Agreement ||
		CityOf(checked).Agreement.YearKnown() != 0 || CityOf(checked).Agreement.StartYear() != 1974 {
		t.Errorf("since round trip: %+v %v", CityOf(checked).Agreement, errs)
	}
	e.Facts[Fact("since_year")] = ""
	if _, errs := CityType.CheckFacts(e); errs[Fact("since_year")] != "validation.required" {
		t.Errorf("since without a year: %v", errs)
	}
	e.Facts[Fact("since_year")] = "74"
	if _, errs := CityType.CheckFacts(e); errs[Fact("since_year")] != "validation.year" {
		t.Errorf("since 74: %v", errs)
	}
}

// Coordinates typed by hand lose the GeoNames place they no longer come from; a place chosen
// anew, or coordinates left as they were, keep theirs.
func TestForgetMovedPlaces(t *testing.T) {
	lat, lon := 28.19874, 112.97087
	stored := City{Slug: "changsha", Kind: KindPartner, Country: "CN", Status: StatusUnknown, Latitude: &lat, Longitude: &lon,
		GeoNamesID: 1815577, Agreement: Agreement{Precision: PrecisionUnknown}}.Entry()
	latK, lonK, idK := FieldKey{Field: "coordinates", Part: PartLatitude}, FieldKey{Field: "coordinates", Part: PartLongitude},
		FieldKey{Field: "coordinates", Part: PartGeoNames}
	tests := []struct {
		name   string
		change map[FieldKey]string
		prev   *Entry
		keep   bool
	}{
		{"unchanged", nil, &stored, true},
		{"the same, typed with a comma", map[FieldKey]string{latK: "28,19874"}, &stored, true},
		{"moved by hand", map[FieldKey]string{latK: "28.2"}, &stored, false},
		{"cleared by hand", map[FieldKey]string{latK: "", lonK: ""}, &stored, false},
		{"another place chosen", map[FieldKey]string{latK: "27.8", lonK: "113.1", idK: "1799869"}, &stored, true},
		{"a new entry", map[FieldKey]string{latK: "28.2"}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := stored.Clone()
			for k, v := range tc.change {
				e.Facts[k] = v
			}
			want := e.Facts[idK]
			forgot := e.ForgetMovedPlaces(tc.prev)
			if tc.keep && (len(forgot) != 0 || e.Facts[idK] != want) || !tc.keep && (len(forgot) != 1 || forgot[0] != idK || e.Facts[idK] != "") {
				t.Errorf("forgot %v, id now %q", forgot, e.Facts[idK])
			}
		})
	}
}
