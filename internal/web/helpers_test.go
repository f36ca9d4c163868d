package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"newsdesk/internal/i18n"
	"newsdesk/internal/web"
)

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serve runs one request against srv in-process and returns the body.
func serve(t *testing.T, srv *web.Server, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != 200 {
		t.Fatalf("GET %s = %d", path, rec.Code)
	}
	return rec.Body.String()
}
