package pages

import "twintowns/internal/twinning"

// EntryView is the public page of an entry of a type with generic pages: its name, its date,
// its facts and short texts as a list of terms, its long texts.
type EntryView struct {
	Type   *twinning.Type
	Name   string
	Lang   string // the language of the texts shown (a fallback's when TextOK is false)
	TextOK bool
	Date   *twinning.PartialDate
	Facts  []FactView
	Body   []string // Markdown
	From   string   // the language the texts were translated from
}

// FactView is a fact of a public page: its label's message ID and its values, each a link
// where it names another page.
type FactView struct {
	LabelID string
	Values  []ValueView
}

// ValueView is one value of a fact; Lang is set where its text is in another language than
// the page.
type ValueView struct {
	Text, Href, Lang string
}

// EntryItem is an entry in a list: its name, link and date.
type EntryItem struct {
	Name, Lang, Href string
	Date             *twinning.PartialDate
}

// EntryList is the list page of a type, or the list of a city's page.
type EntryList struct {
	Type  *twinning.Type
	Items []EntryItem
}
