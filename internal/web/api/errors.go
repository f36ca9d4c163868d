package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"

	"newsdesk/internal/model"
)

// apiError is an error the API answers with a status, a stable code for
// programs and a catalogue message for people.
type apiError struct {
	status int
	code   string
	key    string // catalogue key of the message
	args   []any
}

func (e *apiError) Error() string { return e.code }

func newError(status int, code, key string, args ...any) *apiError {
	return &apiError{status: status, code: code, key: key, args: args}
}

// Errors the API itself finds.
var (
	errSignedOut = newError(http.StatusUnauthorized, "unauthorized", "api.unauthorized")
	errBadAuth   = newError(http.StatusUnauthorized, "unauthorized", "api.bad_authorization")
	errBadToken  = newError(http.StatusUnauthorized, "unauthorized", "api.bad_token")
	errCSRF      = newError(http.StatusForbidden, "csrf", "api.csrf")
	errRole      = newError(http.StatusForbidden, "forbidden", "api.forbidden")
	errNoRoute   = newError(http.StatusNotFound, "not_found", "api.no_route")
)

// conflictError is a refused save: someone saved the story after the
// caller read it. The answer carries the stored story, so the caller sees
// what changed.
type conflictError struct {
	err     error
	current any
}

func (e *conflictError) Error() string { return e.err.Error() }
func (e *conflictError) Unwrap() error { return e.err }

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	// Current is the stored story, with a 409 from a stale save.
	Current any `json:"current,omitempty"`
}

// Fail answers with the JSON error for err: the domain's errors mapped to
// their status, anything unexpected logged and answered 500.
func (a *API) Fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	var body errorBody
	var ae *apiError
	var ie *model.InvalidError
	var ce *conflictError
	status := http.StatusInternalServerError
	switch {
	case errors.As(err, &ae):
		status, body.Error.Code, body.Error.Message = ae.status, ae.code, a.Catalog.T(lang, ae.key, ae.args...)
	case errors.As(err, &ie):
		status, body.Error.Code = http.StatusUnprocessableEntity, ie.Code
		body.Error.Message = a.Catalog.T(lang, "invalid."+ie.Code, ie.Args...)
		if !a.Catalog.Has("invalid." + ie.Code) {
			body.Error.Message = a.Catalog.T(lang, "invalid.unknown")
		}
	case errors.Is(err, model.ErrNotFound):
		status, body.Error.Code, body.Error.Message = http.StatusNotFound, "not_found", a.Catalog.T(lang, "api.not_found")
	case errors.Is(err, model.ErrForbidden):
		status, body.Error.Code, body.Error.Message = http.StatusForbidden, "forbidden", a.Catalog.T(lang, "api.forbidden")
	case errors.Is(err, model.ErrConflict):
		status, body.Error.Code, body.Error.Message = http.StatusConflict, "conflict", a.Catalog.T(lang, "api.conflict")
		if errors.As(err, &ce) {
			body.Current = ce.current
		}
	case errors.Is(err, model.ErrFull), errors.Is(err, syscall.ENOSPC):
		a.Log.Error("storage full", "method", r.Method, "path", r.URL.Path, "err", err)
		status, body.Error.Code, body.Error.Message = http.StatusInsufficientStorage, "storage_full", a.Catalog.T(lang, "desk.storage_full")
	default:
		a.Log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error.Code, body.Error.Message = "internal", a.Catalog.T(lang, "api.internal")
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsdesk"`)
	}
	writeJSON(w, status, body)
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own types are encoded; this is a programming error.
		panic(fmt.Sprintf("encode answer: %v", err))
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// maxJSON bounds a JSON request body: a story's text is far smaller.
const maxJSON = 2 << 20

// decode reads the JSON body of r into v, strictly: unknown fields, wrong
// types, trailing data and oversize bodies are the caller's errors (400
// or 413, with a message saying what), never a 500.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	} else if err == nil {
		// Anything but white space after the value is an error.
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("trailing data")
		}
	}
	if err == nil {
		return nil
	}
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return newError(http.StatusRequestEntityTooLarge, "too_large", "api.too_large", maxJSON>>20)
	case errors.Is(err, io.EOF):
		return newError(http.StatusBadRequest, "bad_json", "api.empty_body")
	case errors.As(err, &syntax):
		return newError(http.StatusBadRequest, "bad_json", "api.bad_json", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newError(http.StatusBadRequest, "bad_json", "api.truncated_json")
	case errors.As(err, &typ):
		return newError(http.StatusBadRequest, "wrong_type", "api.wrong_type", typ.Field, jsonType(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return newError(http.StatusBadRequest, "unknown_field", "api.unknown_field", strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
	case err.Error() == "trailing data":
		return newError(http.StatusBadRequest, "bad_json", "api.trailing_json")
	}
	return newError(http.StatusBadRequest, "bad_json", "api.bad_json_other", err.Error())
}

// jsonType names a Go kind as JSON calls it.
func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "string":
		return "string"
	case kind == "bool":
		return "boolean"
	case kind == "slice", kind == "array":
		return "array"
	}
	return "object"
}

// badParam is a query parameter that is not understood.
func badParam(name, value string) error {
	return newError(http.StatusBadRequest, "bad_parameter", "api.bad_parameter", name, value)
}
