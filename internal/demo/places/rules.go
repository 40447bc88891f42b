package main

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Rule names how a city's place was chosen; places.toml records it per city.
type Rule string

const (
	// RuleName: exactly one place of the country has one of the city's names as its name.
	RuleName Rule = "name"
	// RuleAltName: exactly one place of the country has one of them among its GeoNames
	// alternate names.
	RuleAltName Rule = "alternate-name"
	// RuleProvince: several places bear the name; one lies in the province the source names.
	RuleProvince Rule = "province"
	// RulePopulation: several places bear the name and the source names no province that
	// decides; the most populous has at least ten times the people of every other.
	RulePopulation Rule = "population"
	// RuleSeat: the partner is a district or county; the place is its administrative seat,
	// so the point is approximate.
	RuleSeat Rule = "district-seat"
)

// populationFactor is how many times the people of every other namesake the most populous
// place must have for RulePopulation.
const populationFactor = 10

// query is what the source says of a city: its names, its country and, where it says so,
// its province and that it is a district or county.
type query struct {
	Country  string
	Names    []string
	Province string // as GeoNames names the first-order division; "" when the source names none
	Division string // "district" or "county" when the partner is one; "" for a city
}

// choice is the place a query resolves to (nil when no rule applies) and why, in words for
// places.toml.
type choice struct {
	Place *place
	Rule  Rule
	Why   string
}

// divisionSuffixes end the English names of districts and counties ("Jiangjin District",
// "Vilnius District Municipality"); without them the name is the one of the seat or of
// the division in GeoNames' own spelling.
var divisionSuffixes = []string{" District Municipality", " District", " County", " Municipality"}

// seatSuffixes are the words GeoNames adds to the name of a Chinese district (区 qū) or
// county (县 xiàn) among the alternate names of its seat ("Jiangjin Qu" of Jijiang).
var seatSuffixes = []string{" Qu", " Xian"}

// seatFeatures are GeoNames' feature codes of the seats of administrative divisions.
var seatFeatures = []string{"PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4"}

// resolve applies the rules, in order: the name (or alternate name) in the country; for a
// district or county, the seat of the division of that name; among several, the one in the
// province the source names, else the most populous when it has ten times the people of the
// next. It never guesses: where no rule decides, the city has no place and Why says so.
func (g *gazetteer) resolve(q query) choice {
	names, seats := q.Names, q.Division != ""
	if seats {
		names = seatNames(q.Names)
	}
	found, matched, byName := g.find(q.Country, names, seats)
	one, many := "place", "places"
	if seats {
		one, many = "seat of an administrative division", "seats of administrative divisions"
	}
	what := "named " + quoteAll(matched)
	switch len(found) {
	case 0:
		if seats {
			return choice{Why: fmt.Sprintf("no seat of an administrative division in %s bears the name %s", q.Country, quoteAll(names))}
		}
		return choice{Why: fmt.Sprintf("no place in %s named %s", q.Country, quoteAll(names))}
	case 1:
		p := found[0]
		c := choice{Place: p, Rule: RuleAltName}
		switch {
		case seats:
			c.Rule = RuleSeat
			c.Why = fmt.Sprintf("the %s's seat: the one %s in %s %s", q.Division, one, q.Country, what)
		case byName[p.ID]:
			c.Rule = RuleName
			c.Why = fmt.Sprintf("the one place in %s %s", q.Country, what)
		default:
			c.Why = fmt.Sprintf("the one place in %s %s (GeoNames alternate names of %s)", q.Country, what, p.Name)
		}
		return c
	}
	several := fmt.Sprintf("%d %s in %s %s (GeoNames %s)", len(found), many, q.Country, what, ids(found))
	rule := func(r Rule) Rule {
		if seats {
			return RuleSeat
		}
		return r
	}
	if q.Province != "" {
		in := slices.DeleteFunc(slices.Clone(found), func(p *place) bool { return !strings.EqualFold(g.province(p), q.Province) })
		if len(in) == 1 {
			return choice{Place: in[0], Rule: rule(RuleProvince),
				Why: fmt.Sprintf("%s; the one in %s, the province the source names", several, q.Province)}
		}
		several += fmt.Sprintf("; %d of them in %s, the province the source names", len(in), q.Province)
	}
	byPop := slices.Clone(found)
	slices.SortStableFunc(byPop, func(a, b *place) int { return cmp.Compare(b.Population, a.Population) })
	top, next := byPop[0], byPop[1]
	if next.Population > 0 && top.Population >= populationFactor*next.Population {
		return choice{Place: top, Rule: rule(RulePopulation),
			Why: fmt.Sprintf("%s; the most populous (%d people), more than %d times the next (%d)",
				several, top.Population, populationFactor, next.Population)}
	}
	return choice{Why: several + fmt.Sprintf("; none has %d times the people of the next", populationFactor)}
}

// find returns the places of country bearing one of names (seats of divisions only, when
// seats), ordered by GeoNames id, the names that matched, and which places matched by their
// main name.
func (g *gazetteer) find(country string, names []string, seats bool) (found []*place, matched []string, byName map[int64]bool) {
	byName = map[int64]bool{}
	for _, n := range names {
		hit := false
		for _, p := range g.byName[nameKey(country, n)] {
			if seats && !slices.Contains(seatFeatures, p.Feature) {
				continue
			}
			hit = true
			if strings.EqualFold(p.Name, n) || strings.EqualFold(p.ASCII, n) {
				byName[p.ID] = true
			}
			if !slices.Contains(found, p) {
				found = append(found, p)
			}
		}
		if hit {
			matched = append(matched, n)
		}
	}
	slices.SortFunc(found, func(a, b *place) int { return cmp.Compare(a.ID, b.ID) })
	return found, matched, byName
}

// seatNames are the names under which GeoNames knows the seat of a district or county: each
// name without its English division word ("Vilnius District Municipality" -> "Vilnius", a
// district named after its seat) and that with GeoNames' Chinese division words ("Jiangjin
// Qu").
func seatNames(names []string) []string {
	var out []string
	add := func(n string) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, n := range names {
		base := n
		for _, s := range divisionSuffixes {
			if len(base) > len(s) && strings.EqualFold(base[len(base)-len(s):], s) {
				base = base[:len(base)-len(s)]
				break
			}
		}
		add(base)
		for _, s := range seatSuffixes {
			add(base + s)
		}
	}
	return out
}

func ids(ps []*place) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.FormatInt(p.ID, 10)
	}
	return strings.Join(s, ", ")
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, " or ")
}
