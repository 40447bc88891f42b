// Package components holds the pieces the pages share: Markdown, the fallback notice, and the
// localized formatting of a city's facts.
package components

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"

	"twintowns/internal/locale"
	"twintowns/internal/twinning"
)

// md renders CommonMark with raw HTML escaped (goldmark's default), so staff text can never
// inject markup.
var md = goldmark.New()

// MarkdownHTML renders Markdown to safe HTML.
func MarkdownHTML(src string) string {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return ""
	}
	return b.String()
}

// AgreementText is when the agreement was made, as precisely as known: "26 lipca 1998",
// "1987", "vuodesta 1974", "yli 30 vuoden ajan"; "" when unknown.
func AgreementText(t *locale.Translator, a twinning.Agreement) string {
	switch a.Precision {
	case twinning.PrecisionDay:
		return t.Date(a.Date)
	case twinning.PrecisionYear:
		return strconv.Itoa(a.Year)
	case twinning.PrecisionSince:
		return t.T("agreement.since", "Year", strconv.Itoa(a.Year))
	case twinning.PrecisionOverYears:
		return t.N("agreement.over", int64(a.OverYears))
	}
	return ""
}

// AgreementLabel names what AgreementText dates: the agreement where the sources give one,
// else the partnership ("since 1974", "for over 30 years" say nothing of an agreement).
func AgreementLabel(t *locale.Translator, a twinning.Agreement) string {
	if a.Precision == twinning.PrecisionSince || a.Precision == twinning.PrecisionOverYears {
		return t.T("city.facts.partnership")
	}
	return t.T("city.facts.agreement")
}

// ListAgreement is the short agreement note of the home page's lists.
func ListAgreement(t *locale.Translator, a twinning.Agreement) string {
	if y := a.YearKnown(); y != 0 {
		return t.T("list.agreement.year", "Year", strconv.Itoa(y))
	}
	return AgreementText(t, a)
}

// PopulationText is a population as the source gives it: "106 000", "noin 1,8 miljoonaa (2018)".
func PopulationText(t *locale.Translator, p twinning.Population) string {
	var s string
	if p.Millions {
		m := float64(p.Count) / 1e6
		digits := uint64(0)
		if p.Count%1_000_000 != 0 {
			digits = 1
		}
		count := strconv.FormatFloat(m, 'f', int(digits), 64)
		var err error
		s, err = t.Localize("city.population.millions", count, "Count", t.Decimal(m, digits))
		if err != nil {
			s = t.Number(p.Count)
		}
	} else {
		s = t.Number(p.Count)
	}
	if p.Approx {
		s = t.T("city.population.approx", "Population", s)
	}
	if p.Year != 0 {
		s = t.T("city.population.year", "Population", s, "Year", strconv.Itoa(p.Year))
	}
	if p.Area {
		s = t.T("city.population.area", "Population", s)
	}
	return s
}

// StatusText is the state of a partnership with its date where there is one.
func StatusText(t *locale.Translator, c twinning.City) string {
	switch c.Status {
	case twinning.StatusSuspended:
		if c.StatusSince != nil {
			return t.T("city.status.suspended_since", "Date", t.Date(*c.StatusSince))
		}
		return t.T("city.status.suspended")
	case twinning.StatusEnded:
		if c.StatusUntil != nil {
			return t.T("city.status.ended_on", "Date", t.Date(*c.StatusUntil))
		}
		return t.T("city.status.ended")
	case twinning.StatusUnknown:
		return t.T("city.status.unknown")
	}
	if c.StatusSince != nil {
		return t.T("city.status.active_since", "Date", t.Date(*c.StatusSince))
	}
	return t.T("city.status.active")
}

// KindText is "Twin town" or "Partner city".
func KindText(t *locale.Translator, k twinning.Kind) string {
	if k == twinning.KindTwin {
		return t.T("city.kind.twin")
	}
	return t.T("city.kind.partner")
}

// SizeText is a file size in kB or MB.
func SizeText(t *locale.Translator, n int64) string {
	if n >= 1_000_000 {
		return t.T("size.mb", "Size", t.Decimal(float64(n)/1e6, 1))
	}
	return t.T("size.kb", "Size", t.Number(max(1, (n+500)/1000)))
}

// FormatName is an attachment's format as readers know it: "DOC", "PDF".
func FormatName(format string) string { return strings.ToUpper(format) }

// Summary is a plain-text excerpt of Markdown of at most n runes, for meta descriptions.
func Summary(src string, n int) string {
	s := stripMarkdown(src)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexAny(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

var mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

func stripMarkdown(src string) string {
	s := mdLink.ReplaceAllString(src, "$1")
	s = strings.NewReplacer("\n- ", " ", "**", "", "__", "", "# ", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// DateText is a date as precisely as it is known: "24 czerwca 2001", "październik 2000",
// "1996", "rok szkolny 1999/2000". Month names stand alone (CLDR's stand-alone forms, which
// the CLDR formatter lacks, are messages).
func DateText(t *locale.Translator, d twinning.PartialDate) string {
	switch d.Precision {
	case twinning.DateDay:
		return t.Date(d.Time())
	case twinning.DateMonth:
		return t.T("date.month_year", "Month", t.T("date.month."+strconv.Itoa(d.Month)), "Year", strconv.Itoa(d.Year))
	case twinning.DateSchoolYear:
		return t.T("date.school_year", "Years", d.String())
	}
	return strconv.Itoa(d.Year)
}
