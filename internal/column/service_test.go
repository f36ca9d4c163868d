package column_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"newsdesk/internal/column"
	"newsdesk/internal/store"
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
	mk := func(name string, roles ...string) store.Actor {
		u := store.User{Username: name, Name: name, PasswordHash: "x", Roles: roles}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return store.Actor{User: u, IP: "127.0.0.1", Via: "desk"}
	}
	editor, contributor := mk("editor", store.RoleEditor), mk("c", store.RoleContributor)
	changed := 0
	svc := &column.Service{Store: st, Changed: func() { changed++ }}
	news, err := svc.Save(ctx, editor, store.Column{Slug: "news", Name: " 综合新闻 "})
	if err != nil || news.ID == 0 || news.Name != "综合新闻" {
		t.Fatalf("create: %+v, %v", news, err)
	}
	sub, err := svc.Save(ctx, editor, store.Column{Slug: "campus", Name: "校园", ParentID: news.ID})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		actor store.Actor
		c     store.Column
		want  error
		code  string
	}{
		{"contributor", contributor, store.Column{Slug: "x", Name: "某栏目"}, store.ErrForbidden, ""},
		{"no name", editor, store.Column{Slug: "x"}, store.ErrInvalid, "column_name"},
		{"bad slug", editor, store.Column{Slug: "综合", Name: "综合"}, store.ErrInvalid, "column_slug"},
		{"slug taken", editor, store.Column{Slug: "news", Name: "又一个"}, store.ErrInvalid, "column_taken"},
		{"no such parent", editor, store.Column{Slug: "y", Name: "某", ParentID: 999}, store.ErrInvalid, "column_parent"},
		{"cycle", editor, store.Column{ID: news.ID, Slug: "news", Name: "综合新闻", ParentID: sub.ID}, store.ErrInvalid, "column_cycle"},
		{"missing", editor, store.Column{ID: 999, Name: "无"}, store.ErrNotFound, ""},
	}
	for _, c := range cases {
		_, before, _ := st.Audit(ctx, 1, 0)
		_, err := svc.Save(ctx, c.actor, c.c)
		var ie *store.InvalidError
		if !errors.Is(err, c.want) || (c.code != "" && (!errors.As(err, &ie) || ie.Code != c.code)) {
			t.Errorf("%s: %v, want %v %s", c.name, err, c.want, c.code)
		}
		if _, after, _ := st.Audit(ctx, 1, 0); after != before {
			t.Errorf("%s: a refused save left an audit entry", c.name)
		}
	}
	// A rename keeps the slug links point at.
	renamed, err := svc.Save(ctx, editor, store.Column{ID: sub.ID, Slug: "other", Name: "校园生活", ParentID: news.ID})
	if err != nil || renamed.Slug != "campus" {
		t.Fatalf("rename: %+v, %v", renamed, err)
	}
	entries, n, _ := st.Audit(ctx, 10, 0)
	if n != 3 || entries[0].Action != "column_update" || entries[0].UserID != editor.User.ID || entries[0].Via != "desk" || changed != 3 {
		t.Errorf("audit after three saves: %d entries, newest %+v; %d purges", n, entries[0], changed)
	}
}
