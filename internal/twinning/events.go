package twinning

// EventType is a joint event of the towns: what they did together, when (to the day, month or
// year, or a school year such as 1999/2000), which partner cities took part and where it was
// held. The whole type is this declaration: the engine gives it drafts, publishing, history,
// trash, translation and exchange; the staff screens and the public pages (list, page,
// sitemap, feed, JSON-LD as a schema.org Event, open data) follow from it.
var EventType = &Type{
	Name: "event",
	Fields: []TextField{
		{Key: "title", Kind: FieldLine, Max: MaxNameLen, Names: true},
		{Key: "venue", Kind: FieldLine, Max: MaxNameLen},
		{Key: "text", Kind: FieldMarkdown, Max: MaxTextLen, Rows: 6},
	},
	Facts: []FactField{
		{Key: "slug", Kind: FactSlug, Required: true, Hint: "admin.hint.slug"},
		{Key: "date", Kind: FactDate, Required: true, Hint: "admin.hint.event_date",
			Precisions: []DatePrecision{DateDay, DateMonth, DateYear, DateSchoolYear}},
		// The partner cities that took part, and the one it was held in (none: at home).
		{Key: "cities", Kind: FactReference, Ref: CityType, Many: true},
		{Key: "held_in", Kind: FactReference, Ref: CityType, Hint: "admin.hint.held_in"},
	},
	Trashable: true,
	Staff: Staff{Path: "events", List: true, Create: true, Columns: []string{"date", "cities"},
		Filters: []string{"cities"}, Describe: []string{"date"}},
	Public: Public{Path: "events", Date: "date", Schema: "Event"},
}
