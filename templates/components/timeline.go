package components

import (
	"slices"

	"twintowns/internal/twinning"
)

// TimelineEntry is a partnership on the timeline.
type TimelineEntry struct {
	Name      string
	Lang      string // the language of Name
	Href      string
	Kind      twinning.Kind
	Agreement twinning.Agreement
	// Event is set for an entry of a type with a public date (a joint event) rather than a
	// partnership: its type, and its date as known.
	Event *TimelineEvent
}

// TimelineEvent is what the timeline shows of a dated entry.
type TimelineEvent struct {
	Type string
	Date twinning.PartialDate
}

// EventEntry is a dated entry on the timeline, in the year its date begins in.
func EventEntry(name, lang, href, typ string, d twinning.PartialDate) TimelineEntry {
	return TimelineEntry{Name: name, Lang: lang, Href: href, Event: &TimelineEvent{Type: typ, Date: d},
		Agreement: twinning.Agreement{Precision: twinning.PrecisionYear, Year: d.Year, Date: d.Time()}}
}

// TimelineYear is the partnerships of one year, in the order given.
type TimelineYear struct {
	Year    int
	Entries []TimelineEntry
}

// TimelineOver is the partnerships the sources date only as "for over Years years".
type TimelineOver struct {
	Years   int
	Entries []TimelineEntry
}

// Timeline is the partnerships by the year they began (their agreement's, or the year they
// exist since, which the entry says), with what the sources give no year for kept apart:
// nothing is placed in a year it was not made.
type Timeline struct {
	Years   []TimelineYear
	Over    []TimelineOver
	Unknown []TimelineEntry
}

// NewTimeline sorts entries into years, "over N years" groups (longest first) and unknown.
func NewTimeline(entries []TimelineEntry) Timeline {
	var t Timeline
	for _, e := range entries {
		a := e.Agreement
		switch {
		case a.StartYear() != 0:
			y := a.StartYear()
			i := slices.IndexFunc(t.Years, func(g TimelineYear) bool { return g.Year == y })
			if i < 0 {
				t.Years = append(t.Years, TimelineYear{Year: y})
				i = len(t.Years) - 1
			}
			t.Years[i].Entries = append(t.Years[i].Entries, e)
		case a.Precision == twinning.PrecisionOverYears && a.OverYears > 0:
			i := slices.IndexFunc(t.Over, func(g TimelineOver) bool { return g.Years == a.OverYears })
			if i < 0 {
				t.Over = append(t.Over, TimelineOver{Years: a.OverYears})
				i = len(t.Over) - 1
			}
			t.Over[i].Entries = append(t.Over[i].Entries, e)
		default:
			t.Unknown = append(t.Unknown, e)
		}
	}
	slices.SortStableFunc(t.Years, func(a, b TimelineYear) int { return a.Year - b.Year })
	for _, y := range t.Years {
		slices.SortStableFunc(y.Entries, func(a, b TimelineEntry) int {
			return a.Agreement.Date.Compare(b.Agreement.Date) // dated days in order; years keep theirs
		})
	}
	slices.SortStableFunc(t.Over, func(a, b TimelineOver) int { return b.Years - a.Years })
	return t
}

// Empty reports whether the timeline has nothing to show.
func (t Timeline) Empty() bool { return len(t.Years)+len(t.Over)+len(t.Unknown) == 0 }
