package web

import (
	"strings"

	"twintowns/internal/twinning"
	"twintowns/templates/admin"
)

// staffNav is the staff menu of u: the home, then, for the site being worked on (nil for
// none), its content (the registry's menu entries and the trash), its translation, the
// public's feedback and its settings, then what administrators manage across sites. Only
// what u may use is listed; the page at path is marked current.
func staffNav(u twinning.User, site *twinning.Site, path string) (admin.NavLink, []admin.NavGroup) {
	var groups []admin.NavGroup
	if site != nil {
		url := adminURLs{site.Slug}
		content := admin.NavGroup{ID: "nav-content", LabelID: "admin.nav.group.content"}
		for _, t := range twinning.Types.All() {
			if t.Staff.List {
				content.Links = append(content.Links, admin.NavLink{Href: url.list(t), LabelID: "admin.nav." + t.Name})
			}
		}
		if u.CanEditFacts(site.ID) {
			content.Links = append(content.Links, admin.NavLink{Href: url.trash(), LabelID: "admin.nav.trash"})
		}
		translation := admin.NavGroup{ID: "nav-translation", LabelID: "admin.nav.group.translation", Links: []admin.NavLink{
			{Href: url.translations(), LabelID: "admin.nav.overview"},
			{Href: url.jobs(), LabelID: "admin.nav.jobs"},
		}}
		if u.CanChangeSettings() {
			translation.Links = append(translation.Links, admin.NavLink{Href: url.glossary(), LabelID: "admin.nav.glossary"})
		}
		groups = append(groups, content, translation)
		if u.CanReadFeedback(site.ID) {
			groups = append(groups, admin.NavGroup{ID: "nav-feedback", LabelID: "admin.nav.group.feedback",
				Links: []admin.NavLink{{Href: url.feedback(), LabelID: "admin.nav.feedback"}}})
		}
		if u.CanChangeSettings() {
			groups = append(groups, admin.NavGroup{ID: "nav-settings", LabelID: "admin.nav.group.settings",
				Links: []admin.NavLink{{Href: url.settings(), LabelID: "admin.nav.settings"}}})
		}
	}
	if u.CanManageUsers() {
		groups = append(groups, admin.NavGroup{ID: "nav-admin", LabelID: "admin.nav.group.admin", Links: []admin.NavLink{
			{Href: "/admin/sites", LabelID: "admin.nav.sites"},
			{Href: "/admin/users", LabelID: "admin.nav.users"},
			{Href: "/admin/identity", LabelID: "admin.nav.identity"},
			{Href: "/admin/audit", LabelID: "admin.nav.audit"},
		}})
	}
	home := admin.NavLink{Href: "/admin/", LabelID: "admin.home.title"}
	if path == home.Href {
		home.Current = "page"
	}
	markCurrent(groups, path)
	return home, groups
}

// markCurrent marks the link of the page at path ("page"), or else the one whose page path is
// under, the longest such ("true": an entry of a list, a job of the jobs).
func markCurrent(groups []admin.NavGroup, path string) {
	var best *admin.NavLink
	for gi := range groups {
		for li := range groups[gi].Links {
			l := &groups[gi].Links[li]
			switch {
			case l.Href == path:
				l.Current = "page"
				return
			case strings.HasPrefix(path, l.Href+"/") && (best == nil || len(l.Href) > len(best.Href)):
				best = l
			}
		}
	}
	if best != nil {
		best.Current = "true"
	}
}
