package column_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/internal/column"
	"newsdesk/internal/model"
	"newsdesk/internal/store/sqlstore"
)

// TestSaveChecksColumnsAndAuditsEachChange: slugs, parents and cycles are
// checked by the service, only the news centre saves, and every accepted
// change leaves one audit entry while a refused one leaves none.
func TestSaveChecksColumnsAndAuditsEachChange(t *testing.T) {
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
		return model.Actor{User: u, IP: "127.0.0.1", Via: "desk"}
	}
	editor, contributor := mk("editor", model.RoleEditor), mk("c", model.RoleContributor)
	changed := 0
	svc := &column.Service{Store: st, Changed: func() { changed++ }}
	news, err := svc.Save(ctx, editor, model.Column{Slug: "news", Name: " 综合新闻 "})
	if err != nil || news.ID == 0 || news.Name != "综合新闻" {
		t.Fatalf("create: %+v, %v", news, err)
	}
	sub, err := svc.Save(ctx, editor, model.Column{Slug: "campus", Name: "校园", ParentID: news.ID})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		actor model.Actor
		c     model.Column
		want  error
		code  string
	}{
		{"contributor", contributor, model.Column{Slug: "x", Name: "某栏目"}, model.ErrForbidden, ""},
		{"no name", editor, model.Column{Slug: "x"}, model.ErrInvalid, "column_name"},
		{"bad slug", editor, model.Column{Slug: "综合", Name: "综合"}, model.ErrInvalid, "column_slug"},
		{"slug taken", editor, model.Column{Slug: "news", Name: "又一个"}, model.ErrInvalid, "column_taken"},
		{"no such parent", editor, model.Column{Slug: "y", Name: "某", ParentID: 999}, model.ErrInvalid, "column_parent"},
		{"cycle", editor, model.Column{ID: news.ID, Slug: "news", Name: "综合新闻", ParentID: sub.ID}, model.ErrInvalid, "column_cycle"},
		{"missing", editor, model.Column{ID: 999, Name: "无"}, model.ErrNotFound, ""},
		{"negative period", editor, model.Column{Slug: "z", Name: "某", UpdateDays: -1}, model.ErrInvalid, "column_update_days"},
		{"period too long", editor, model.Column{ID: news.ID, Name: "综合新闻", UpdateDays: column.MaxUpdateDays + 1}, model.ErrInvalid, "column_update_days"},
	}
	for _, c := range cases {
		_, before, _ := st.Audit(ctx, 1, 0)
		_, err := svc.Save(ctx, c.actor, c.c)
		var ie *model.InvalidError
		if !errors.Is(err, c.want) || (c.code != "" && (!errors.As(err, &ie) || ie.Code != c.code)) {
			t.Errorf("%s: %v, want %v %s", c.name, err, c.want, c.code)
		}
		if _, after, _ := st.Audit(ctx, 1, 0); after != before {
			t.Errorf("%s: a refused save left an audit entry", c.name)
		}
	}
	// A rename keeps the slug links point at.
	renamed, err := svc.Save(ctx, editor, model.Column{ID: sub.ID, Slug: "other", Name: "校园生活", ParentID: news.ID})
	if err != nil || renamed.Slug != "campus" {
		t.Fatalf("rename: %+v, %v", renamed, err)
	}
	entries, n, _ := st.Audit(ctx, 10, 0)
	if n != 3 || entries[0].Action != "column_update" || entries[0].UserID != editor.User.ID || entries[0].Via != "desk" || changed != 3 {
		t.Errorf("audit after three saves: %d entries, newest %+v; %d purges", n, entries[0], changed)
	}
	// The update period: set, changed and taken away, each audited with
	// the old and new period.
	for _, p := range []struct {
		days int
		want string
	}{{14, "update_days 0 → 14"}, {7, "update_days 14 → 7"}, {0, "update_days 7 → 0"}} {
		c, err := svc.Save(ctx, editor, model.Column{ID: news.ID, Name: "综合新闻", UpdateDays: p.days})
		if err != nil || c.UpdateDays != p.days {
			t.Fatalf("period %d: %+v %v", p.days, c, err)
		}
		cols, _ := st.Columns(ctx)
		if tree := column.NewTree(cols); func() int { c, _ := tree.Get(news.ID); return c.UpdateDays }() != p.days {
			t.Errorf("period %d not stored", p.days)
		}
		if entries, _, _ := st.Audit(ctx, 1, 0); !strings.Contains(entries[0].Detail, p.want) {
			t.Errorf("period %d audited as %q, want %q", p.days, entries[0].Detail, p.want)
		}
	}
}

// TestParseUpdateDays: empty is no period; whole days from 1, full-width
// digits read as digits; anything else refused with the period named.
func TestParseUpdateDays(t *testing.T) {
	for in, want := range map[string]int{"": 0, "  ": 0, "14": 14, " 30 ": 30, "１４": 14, "3660": 3660} {
		if got, err := column.ParseUpdateDays(in); err != nil || got != want {
			t.Errorf("ParseUpdateDays(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-3", "1.5", "两周", "14天", "3661", "99999999999999999999"} {
		var ie *model.InvalidError
		if _, err := column.ParseUpdateDays(in); !errors.As(err, &ie) || ie.Code != "column_update_days" {
			t.Errorf("ParseUpdateDays(%q): %v, want column_update_days", in, err)
		}
	}
}
