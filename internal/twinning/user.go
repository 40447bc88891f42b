package twinning

import "time"

// User is a staff account: of one site, or an administrator of every site.
type User struct {
	ID         int64
	Email      string
	SiteID     *int64
	IsAdmin    bool
	DisabledAt *time.Time
	CreatedAt  time.Time
}

// CanEdit reports whether the user may see and change the site's entries.
func (u User) CanEdit(siteID int64) bool {
	return u.DisabledAt == nil && (u.IsAdmin || (u.SiteID != nil && *u.SiteID == siteID))
}

// Revision is one saved state of an entry.
type Revision struct {
	ID          int64
	EntityID    int64
	Version     int
	Action      string // "draft", "publish", "restore", "create"
	AuthorEmail string
	CreatedAt   time.Time
	City        City
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID        int64
	At        time.Time
	UserEmail string
	SiteID    *int64
	Action    string
	Entity    string
	EntityID  *int64
	Detail    string
	Address   string
}

// CityFilter narrows the staff's list of cities.
type CityFilter struct {
	Kind   Kind   // "" for every kind
	Status Status // "" for every status
	Trash  bool   // the deleted entries instead of the others
}
