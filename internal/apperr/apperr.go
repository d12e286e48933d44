// Package apperr defines the small set of error codes clients see, and an error type
// that carries a code, a message safe to show and, for bad input, the offending field.
//
// Anything that is not an *Error is internal: its text goes to the log, never to a
// client.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for clients. It is sent as GraphQL extensions.code.
type Code string

// The codes clients see.
const (
	BadUserInput    Code = "BAD_USER_INPUT"
	NotFound        Code = "NOT_FOUND"
	Conflict        Code = "CONFLICT"
	Forbidden       Code = "FORBIDDEN"
	Unauthenticated Code = "UNAUTHENTICATED"
	Internal        Code = "INTERNAL"
	// Timeout is a statement the database ended after the statement timeout.
	Timeout Code = "STATEMENT_TIMEOUT"
	// Unavailable is the database out of reach: try again later.
	Unavailable Code = "SERVICE_UNAVAILABLE"
)

// Error is an application error with a message that is safe to show to clients.
type Error struct {
	Code    Code
	Message string
	// Field names the input that is wrong, as a path such as "input.participationRate".
	Field string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// New returns an error with the given code and message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a BAD_USER_INPUT error about the named field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns the code of err: the code of the *Error in its chain, or Internal.
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}

// InField returns err with its field set to field when err is a BAD_USER_INPUT error
// that names no field yet; other errors are returned unchanged.
func InField(err error, field string) error {
	if e, ok := As(err); ok && e.Code == BadUserInput && e.Field == "" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}
