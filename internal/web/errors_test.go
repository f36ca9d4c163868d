package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
)

// TestStoreFailureShowsStyledErrorPage closes the database under a running
// site: pages answer 500 with the site's own error page, never a crash.
func TestStoreFailureShowsStyledErrorPage(t *testing.T) {
	cfg, err := config.Parse("test", []string{"--data", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.Store.Close()
	rec := httptest.NewRecorder()
	a.Web.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/columns/news", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "服务器出错了") || !strings.Contains(rec.Body.String(), "/static/") {
		t.Fatalf("status %d, body %.300s", rec.Code, rec.Body.String())
	}
}
