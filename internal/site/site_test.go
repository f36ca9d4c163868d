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

// TestEditorsAddAndRemovePages: an editor adds a page at a new address
// and removes it again, each change audited; a contributor cannot; a bad
// or taken address and the pages the site links to are refused, changing
// nothing.
func TestEditorsAddAndRemovePages(t *testing.T) {
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
	help := model.Page{Slug: site.PageHelp, Title: "使用帮助", Body: "<p>帮助</p>"}
	if err := svc.SavePage(ctx, editor, &help); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddPage(ctx, contributor, "contact", "联系我们"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a contributor added a page: %v", err)
	}
	p, err := svc.AddPage(ctx, editor, " contact ", " 联系我们 ")
	if err != nil || p.Slug != "contact" || p.Title != "联系我们" {
		t.Fatalf("add = %+v, %v", p, err)
	}
	for name, c := range map[string]struct{ slug, title, code string }{
		"taken":      {"contact", "又一个", "page_taken"},
		"help":       {site.PageHelp, "帮助", "page_taken"},
		"upper case": {"Contact", "联系", "page_slug"},
		"a slash":    {"a/b", "联系", "page_slug"},
		"no title":   {"about", " ", "page"},
		"too long":   {"a123456789012345678901234567890123456789012345678901234567890123456789", "长", "page_slug"},
	} {
		var ie *model.InvalidError
		if _, err := svc.AddPage(ctx, editor, c.slug, c.title); !errors.As(err, &ie) || ie.Code != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	var ie *model.InvalidError
	if err := svc.DeletePage(ctx, editor, site.PageHelp); !errors.As(err, &ie) || ie.Code != "page_required" {
		t.Errorf("the help page was removed: %v", err)
	}
	if err := svc.DeletePage(ctx, contributor, "contact"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a contributor removed a page: %v", err)
	}
	if err := svc.DeletePage(ctx, editor, "contact"); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeletePage(ctx, editor, "contact"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	pages, _ := st.Pages(ctx)
	if len(pages) != 1 || pages[0].Slug != site.PageHelp {
		t.Errorf("pages left: %+v", pages)
	}
	entries, n, _ := st.Audit(ctx, 10, 0)
	if n != 3 || entries[0].Action != "page_delete" || entries[0].Target != "page contact" || entries[1].Action != "page_add" {
		t.Errorf("audit: %d entries %+v", n, entries)
	}
}
