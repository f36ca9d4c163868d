package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"newsdesk/internal/app"
	"newsdesk/internal/config"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// apiServer is a demo site (a small one: 20 stories) served over HTTP,
// with an API token for each demo user.
type apiServer struct {
	app    *app.App
	srv    *httptest.Server
	tokens map[string]string // demo username → API token
}

// site is the SQLite site most tests share.
var site struct {
	once sync.Once
	*apiServer
}

var demoUntil = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func newAPIServer(dir string, args ...string) (*apiServer, error) {
	ctx := context.Background()
	cfg, err := config.Parse("test", append([]string{"--data", dir, "--api-cors-origins", "https://app.example.edu.cn"}, args...))
	if err != nil {
		return nil, err
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	if err := a.LoadDemo(ctx, demo.Options{Until: demoUntil, Seed: 1, Articles: 20}); err != nil {
		a.Close()
		return nil, err
	}
	s := &apiServer{app: a, srv: httptest.NewServer(a.Web), tokens: map[string]string{}}
	for _, name := range []string{"contributor", "reviewer", "editor", "admin"} {
		u, err := a.Store.UserByName(ctx, name)
		if err != nil {
			return nil, err
		}
		secret, _, err := a.Accounts.CreateToken(ctx, model.SystemActor("cli"), u.ID, "test")
		if err != nil {
			return nil, err
		}
		s.tokens[name] = secret
	}
	return s, nil
}

func (s *apiServer) Close() {
	s.srv.Close()
	s.app.Close()
}

func apiSite(t *testing.T) (*app.App, *httptest.Server) {
	t.Helper()
	site.once.Do(func() {
		dir, err := os.MkdirTemp("", "newsdesk-api-*")
		if err != nil {
			panic(err)
		}
		if site.apiServer, err = newAPIServer(dir); err != nil {
			panic(err)
		}
	})
	return site.app, site.srv
}

// answer is an API response, its JSON decoded.
type answer struct {
	status int
	header http.Header
	raw    []byte
	json   map[string]any
}

// call sends a request as a demo user (by API token), or signed out ("").
// body is JSON-encoded unless it is a string or []byte, sent as is.
func call(t *testing.T, who, method, path string, body any, header ...string) answer {
	t.Helper()
	apiSite(t)
	return site.call(t, who, method, path, body, header...)
}

// call is call on this server.
func (s *apiServer) call(t *testing.T, who, method, path string, body any, header ...string) answer {
	t.Helper()
	srv := s.srv
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[who])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	a := answer{status: res.StatusCode, header: res.Header}
	if a.raw, err = io.ReadAll(res.Body); err != nil {
		t.Fatal(err)
	}
	if len(a.raw) > 0 && res.Header.Get("Content-Type") == "application/json; charset=utf-8" {
		if err := json.Unmarshal(a.raw, &a.json); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, a.raw)
		}
	}
	recordAnswer(method, path, a)
	return a
}

// num reads a JSON number field.
func (a answer) num(key string) int64 {
	f, _ := a.json[key].(float64)
	return int64(f)
}

// errCode is the error code of an error answer.
func (a answer) errCode() string {
	e, _ := a.json["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (a answer) errMessage() string {
	e, _ := a.json["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

// newDraft has a demo user create a draft by the API and returns it.
func newDraft(t *testing.T, who, title string) answer {
	t.Helper()
	apiSite(t)
	return site.newDraft(t, who, title)
}

func (s *apiServer) newDraft(t *testing.T, who, title string) answer {
	t.Helper()
	cols, err := s.app.Store.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res := s.call(t, who, "POST", "/api/v1/desk/articles", map[string]any{"column_id": cols[1].ID, "title": title,
		"summary": "摘要：" + title, "body": "<p>" + title + "的正文。</p>", "credits": map[string]any{"writers": []string{"张三"}}})
	if res.status != http.StatusCreated {
		t.Fatalf("create as %s: %d %s", who, res.status, res.raw)
	}
	return res
}

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }
