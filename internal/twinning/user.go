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
	Entry       Entry // the state of the entry
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

// Feedback is a report of an accessibility problem.
type Feedback struct {
	ID        int64
	SiteID    int64
	Lang      string
	Message   string
	Page      string
	Email     string
	Address   string
	CreatedAt time.Time
}

// Limits of the feedback form.
const (
	MaxFeedbackLen     = 5000
	FeedbackPerHour    = 5 // per address
	maxFeedbackPageLen = 500
)

// Validate checks a feedback message as a person sends it.
func (f Feedback) Validate() FieldErrors {
	e := FieldErrors{}
	switch n := len([]rune(f.Message)); {
	case n == 0:
		e[Fact("message")] = "feedback.error.empty"
	case n > MaxFeedbackLen:
		e[Fact("message")] = "feedback.error.too_long"
	}
	if len(f.Page) > maxFeedbackPageLen {
		e[Fact("page")] = "feedback.error.too_long"
	}
	if f.Email != "" && (len(f.Email) > 320 || !emailRE.MatchString(f.Email)) {
		e[Fact("email")] = "feedback.error.email"
	}
	return e
}
