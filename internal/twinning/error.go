package twinning

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// Error codes, mapped to HTTP statuses in one place (web.statusOf).
const (
	ECONFLICT  = "conflict"
	EINTERNAL  = "internal"
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	EFORBIDDEN = "forbidden"
	EMETHOD    = "method_not_allowed"
	// ETOOLARGE is a request body over its route's limit: nothing of it was kept.
	ETOOLARGE = "too_large"
	// EUNAVAILABLE is a database that cannot be reached: nothing was read or saved, and the
	// same request may work in a moment.
	EUNAVAILABLE = "unavailable"
)

// Error is a domain error: a code for the program and a message for the log.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("twinning error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first Error in err's chain, EUNAVAILABLE for a failure to
// reach the database, EINTERNAL for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	var v *ValidationError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.As(err, &v):
		return EINVALID
	case unreachable(err):
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// unreachable tells a failure to reach the database, seen in its error chain without knowing
// the driver: a network error on the way (no socket, refused, reset, broken pipe, timeout), a
// connection that ended in mid-reply, or PostgreSQL's own SQLSTATE for a lost connection
// (class 08) or a server shutting down, crashed or starting (57P01-57P03). The one place
// that knows what "unavailable" looks like.
func unreachable(err error) bool {
	var ne net.Error
	var st interface{ SQLState() string }
	switch {
	case errors.As(err, &ne), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &st):
		code := st.SQLState()
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
	}
	return false
}
