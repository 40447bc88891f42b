package twinning

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

// sqlStateError stands for a driver's error that carries PostgreSQL's SQLSTATE.
type sqlStateError string

func (e sqlStateError) Error() string    { return "ERROR (SQLSTATE " + string(e) + ")" }
func (e sqlStateError) SQLState() string { return string(e) }

// A database that cannot be reached is recognised whatever the driver wraps around it.
func TestErrorCodeUnavailable(t *testing.T) {
	noSocket := &net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.ENOENT)}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no socket", fmt.Errorf("failed to connect: %w", noSocket), EUNAVAILABLE},
		{"refused", fmt.Errorf("get user 1: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), EUNAVAILABLE},
		{"connection ended mid-reply", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), EUNAVAILABLE},
		{"query timed out", fmt.Errorf("sites: %w", context.DeadlineExceeded), EUNAVAILABLE},
		{"server shutting down", fmt.Errorf("save: %w", sqlStateError("57P01")), EUNAVAILABLE},
		{"server starting", sqlStateError("57P03"), EUNAVAILABLE},
		{"connection failure", sqlStateError("08006"), EUNAVAILABLE},
		{"unique violation", sqlStateError("23505"), EINTERNAL},
		{"check violation", fmt.Errorf("store: %w", sqlStateError("23514")), EINTERNAL},
		{"domain error first", fmt.Errorf("x: %w", errors.Join(Errorf(ENOTFOUND, "city"), io.ErrUnexpectedEOF)), ENOTFOUND},
		{"plain", errors.New("plain"), EINTERNAL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorCode(tc.err); got != tc.want {
				t.Errorf("ErrorCode(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}
