package twinning

import (
	"fmt"
	"regexp"
	"slices"
)

// Registry holds the content types of the product, each registered once. Every layer (the
// store, the staff screens, the public pages) walks it; nothing else lists types.
type Registry struct {
	types []*Type
}

// Types is the product's registry: every content type, in the order the staff menu and the
// translation overview list them.
var Types = MustRegistry(CityType, EventType, SiteType, DocumentType, PhotoType)

// MustRegistry registers types in order and panics on a bad declaration: the product does
// not start with one.
func MustRegistry(types ...*Type) *Registry {
	r := &Registry{}
	for _, t := range types {
		if err := r.Register(t); err != nil {
			panic(err)
		}
	}
	return r
}

var typeNameRE = regexp.MustCompile(`^[a-z][a-z_]*$`)

// Register adds a type after checking its declaration: a unique name, one field that names
// entries, unique keys, choices with values, references to registered types, list columns,
// filters and dates that are facts of the right kind.
func (r *Registry) Register(t *Type) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("content type %q: %s", t.Name, fmt.Sprintf(format, a...))
	}
	if !typeNameRE.MatchString(t.Name) {
		return bad("bad name")
	}
	if _, ok := r.Type(t.Name); ok {
		return bad("registered twice")
	}
	names := 0
	keys := map[string]bool{}
	for _, f := range t.Fields {
		if f.Names {
			names++
		}
		if keys[f.Key] || f.Max <= 0 {
			return bad("field %q is declared twice or has no length", f.Key)
		}
		keys[f.Key] = true
	}
	if names != 1 {
		return bad("%d fields name its entries, want 1", names)
	}
	facts := append([]FactField{}, t.Facts...)
	for _, l := range t.Lists {
		facts = append(facts, l.Facts...)
	}
	for _, f := range facts {
		if keys[f.Key] {
			return bad("fact %q is declared twice", f.Key)
		}
		keys[f.Key] = true
		switch {
		case !slices.Contains(FactKinds, f.Kind):
			return bad("fact %q has no kind", f.Key)
		case f.Kind == FactChoice && len(f.Choices) == 0:
			return bad("choice %q has no choices", f.Key)
		case f.Kind == FactReference && f.Ref == nil:
			return bad("reference %q refers to no type", f.Key)
		case f.Kind == FactReference && f.Ref != t && !slices.Contains(r.types, f.Ref):
			return bad("reference %q refers to %q, which is not registered before it", f.Key, f.Ref.Name)
		case f.Kind == FactNumber && !f.Year && f.Max <= f.Min:
			return bad("number %q has no limits", f.Key)
		}
		if f.When != nil {
			if _, ok := t.FactField(f.When.Fact); !ok {
				return bad("fact %q depends on %q, which it does not have", f.Key, f.When.Fact)
			}
		}
	}
	for _, k := range append(append([]string{}, t.Staff.Columns...), t.Staff.Filters...) {
		if _, ok := t.FactField(k); !ok {
			return bad("list column or filter %q is no fact", k)
		}
	}
	for _, k := range t.Staff.Describe {
		if _, ok := t.FactField(k); !ok {
			return bad("description %q is no fact", k)
		}
	}
	if t.Parent != nil && (t.Parent == t || !slices.Contains(r.types, t.Parent)) {
		return bad("parent %q is not registered before it", t.Parent.Name)
	}
	for _, k := range t.Staff.Filters {
		if f, _ := t.FactField(k); f.Kind != FactChoice && f.Kind != FactReference {
			return bad("filter %q is neither a choice nor a reference", k)
		}
	}
	if d := t.Public.Date; d != "" {
		if f, ok := t.FactField(d); !ok || f.Kind != FactDate {
			return bad("public date %q is no date fact", d)
		}
	}
	if t.Public.Path != "" && !t.Public.Own && !slices.ContainsFunc(t.Facts, func(f FactField) bool { return f.Kind == FactSlug }) {
		return bad("public pages need a slug fact for their addresses")
	}
	if t.Staff.Create && !t.Staff.List {
		return bad("entries are created from the list, which it has not")
	}
	r.types = append(r.types, t)
	return nil
}

// All returns every registered type, in order.
func (r *Registry) All() []*Type { return slices.Clone(r.types) }

// Type returns the registered type with the name.
func (r *Registry) Type(name string) (*Type, bool) {
	i := slices.IndexFunc(r.types, func(t *Type) bool { return t.Name == name })
	if i < 0 {
		return nil, false
	}
	return r.types[i], true
}

// Public returns the types with public pages of the generic kind (not Own), in order.
func (r *Registry) Public() []*Type {
	var out []*Type
	for _, t := range r.types {
		if t.Public.Path != "" && !t.Public.Own {
			out = append(out, t)
		}
	}
	return out
}

// Children returns the types whose entries belong to entries of t (a city's documents), in
// order: each gives an entry of t a page of its own.
func (r *Registry) Children(t *Type) []*Type {
	var out []*Type
	for _, x := range r.types {
		if x.Parent == t {
			out = append(out, x)
		}
	}
	return out
}

// Referring returns the facts of every registered type that refer to t, with their types.
func (r *Registry) Referring(t *Type) []Reference {
	var out []Reference
	for _, x := range r.types {
		for _, f := range x.Facts {
			if f.Kind == FactReference && f.Ref == t {
				out = append(out, Reference{Type: x, Fact: f.Key})
			}
		}
	}
	return out
}

// Reference is a fact of a type that refers to entries of another.
type Reference struct {
	Type *Type
	Fact string
}

// Messages are the IDs of the staff-area messages a type needs, built from its name, its
// fields, its facts and their choices: what the registry test checks every language has.
func (t *Type) Messages() []string {
	ids := []string{"admin.type." + t.Name, "admin.exchange.where." + t.Name}
	if t.Staff.List {
		ids = append(ids, "admin.nav."+t.Name, "admin.list."+t.Name)
	}
	if t.Staff.Create {
		ids = append(ids, "admin.new."+t.Name)
	}
	if t.Parent != nil { // the page of them on their parent's
		ids = append(ids, "admin.entry.page."+t.Staff.Path, "admin.entry.title."+t.Staff.Path)
	}
	for _, f := range t.Fields {
		ids = append(ids, "admin.field."+f.Key)
	}
	facts := append([]FactField{}, t.Facts...)
	for _, l := range t.Lists {
		facts = append(facts, l.Facts...)
		ids = append(ids, "admin.field."+l.Key, "admin.row."+l.Key)
	}
	for _, f := range facts {
		ids = append(ids, "admin.field."+f.Key)
		if f.Kind == FactCoordinates {
			for _, p := range CoordinateParts {
				ids = append(ids, "admin.field."+p)
			}
			ids = append(ids, "admin.hint.geonames", "validation.geonames", "validation.geonames_alone")
		}
		if f.Group != "" {
			ids = append(ids, "admin.group."+f.Group)
		}
		if f.Hint != "" {
			ids = append(ids, f.Hint)
		}
		if f.Invalid != "" {
			ids = append(ids, f.Invalid)
		}
		for _, c := range f.Choices {
			if f.Labels != "" {
				ids = append(ids, f.Labels+c)
			}
		}
	}
	return ids
}

// PublicMessages are the IDs of the public site's messages a type's generic pages need.
func (t *Type) PublicMessages() []string {
	if t.Public.Path == "" || t.Public.Own {
		return nil
	}
	ids := []string{t.Name + ".list.title", t.Name + ".list.empty", t.Name + ".related", "feed." + t.Name + "_new",
		"feed." + t.Name + "_updated"}
	if t.Public.Date != "" {
		ids = append(ids, t.Name+".timeline")
	}
	for _, f := range t.Facts {
		if f.Kind != FactSlug {
			ids = append(ids, t.Name+".fact."+f.Key)
		}
	}
	for _, f := range t.Fields {
		if f.Kind == FieldLine && !f.Names {
			ids = append(ids, t.Name+".fact."+f.Key)
		}
	}
	return ids
}
