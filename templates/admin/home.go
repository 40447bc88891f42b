package admin

import (
	"time"

	"twintowns/internal/twinning"
)

// HomeView is the staff home: for each site the person works on, the work waiting there;
// for administrators, the accounts waiting for their first sign-in.
type HomeView struct {
	Sites    []SiteWork
	AllSites string // the list of every site, when not all are shown here; "" otherwise
	Waiting  []WaitingAccount
}

// WaitingAccount is an invited account whose person has not signed in yet.
type WaitingAccount struct {
	Email   string
	Invited time.Time
	URL     string // the account's page, to make a new link
}

// SiteWork is the work waiting on one site, each count with where to do it.
type SiteWork struct {
	Site        SiteRef
	MyDrafts    []WorkItem // the person's drafts
	OtherDrafts []WorkItem // other people's drafts
	Langs       []LangWork // the languages the person translates
	// ToTranslate are the first fields waiting for a translation in the person's languages,
	// each linked to the translator's screen; MoreToTranslate lists them all, when there are
	// more.
	ToTranslate     []WorkItem
	MoreToTranslate string
	NewFeedback     int
	FeedbackURL     string // "" for who may not read the feedback
	Jobs            int    // translation jobs with an agency, or back and not imported
	JobsURL         string
	Changes         []WorkItem
	ChangesURL      string // the audit log, for administrators; "" for others
}

// WorkItem is an entry with something to do or something done: its name and what tells it
// apart (Detail), the type's name, where to go, and, as the list needs, the field and
// language, its state, who and when.
type WorkItem struct {
	Name, Detail, Type, URL string
	Field, Lang             string
	State                   twinning.TranslationState
	Action                  string // message ID of what was done
	Who                     string
	When                    time.Time
}

// LangWork is how far one language of a site is: fields missing and out of date (each count
// linked to the overview filtered so), and for a language the site requires, the fields that
// keep it from parity.
type LangWork struct {
	Lang                    string
	Required                bool
	Missing, Outdated, Gaps int
	MissingURL, OutdatedURL string
	ParityURL               string
}
