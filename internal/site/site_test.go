package site_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"newsdesk/internal/model"
	"newsdesk/internal/site"
	"newsdesk/internal/store/sqlstore"
)

// TestSettingsAreAllOrNothingAndAudited: one bad value stores none, only
// the news centre changes the site, and pages are sanitised and audited.
func TestSettingsAreAllOrNothingAndAudited(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mk := func(name string, roles ...string) model.Actor {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: roles}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return model.Actor{User: u}
	}
	editor, contributor := mk("e", model.RoleEditor), mk("c", model.RoleContributor)
	svc := &site.Service{Store: st}
	if err := svc.Set(ctx, contributor, map[string]string{"site.name": "别人的网站"}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("contributor changed settings: %v", err)
	}
	if err := svc.Set(ctx, editor, map[string]string{"site.name": "新名字", "site.timezone": "Mars/Olympus"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad time zone: %v", err)
	}
	if s, _ := svc.Settings(ctx); s.Name != site.Defaults["site.name"] {
		t.Errorf("a refused change stored the name %q", s.Name)
	}
	if err := svc.Set(ctx, editor, map[string]string{"site.name": " 新名字 ", "site.timezone": "Asia/Shanghai"}); err != nil {
		t.Fatal(err)
	}
	if s, _ := svc.Settings(ctx); s.Name != "新名字" {
		t.Errorf("name %q", s.Name)
	}
	p := model.Page{Slug: site.PageHelp, Title: "使用帮助", Body: `<p onclick="x()">帮助</p><script>alert(1)</script>`}
	if err := svc.SavePage(ctx, contributor, &p); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("contributor saved a page: %v", err)
	}
	if err := svc.SavePage(ctx, editor, &p); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Page(ctx, site.PageHelp); got.Body != "<p>帮助</p>" {
		t.Errorf("stored page body %q", got.Body)
	}
	entries, n, _ := st.Audit(ctx, 10, 0)
	if n != 2 || entries[0].Action != "page" || entries[1].Action != "settings" {
		t.Errorf("audit: %d entries %+v", n, entries)
	}
}
