package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/i18n"
	"newsdesk/internal/model"
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

// editorActor is the demo site's editor as the actor of changes tests make
// through the domain services.
func editorActor(t *testing.T, a *app.App) model.Actor {
	t.Helper()
	u, err := a.Store.UserByName(context.Background(), "editor")
	if err != nil {
		t.Fatal(err)
	}
	return model.Actor{User: u, IP: "127.0.0.1", Via: "test"}
}

// transition moves article id (at version) through the workflow as the
// demo editor.
func transition(t *testing.T, a *app.App, id int64, version int, action string) model.Article {
	t.Helper()
	got, err := a.Articles.Transition(context.Background(), editorActor(t, a), id, version, action, "", time.Time{})
	if err != nil {
		t.Fatalf("%s article %d: %v", action, id, err)
	}
	return got
}
