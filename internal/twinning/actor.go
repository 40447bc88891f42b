package twinning

// Actor is who does a change, for revisions and the audit log.
type Actor struct {
	UserID  int64
	Email   string
	Address string
}
