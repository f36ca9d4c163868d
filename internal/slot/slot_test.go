package slot_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/slot"
	"newsdesk/internal/store/sqlstore"
)

// TestOnlyTheNewsCentrePlacesAndEachPlacementIsAudited: contributors and
// reviewers cannot curate 焦点/推荐; an editor's placement and removal each
// leave one audit entry naming the slot; bad input changes nothing.
func TestOnlyTheNewsCentrePlacesAndEachPlacementIsAudited(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	col := model.Column{Slug: "news", Name: "新闻"}
	st.CreateColumn(ctx, &col)
	a := model.Article{ColumnID: col.ID, Title: "稿件", Status: model.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
	if err := st.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, roles ...string) model.Actor {
		u := model.User{Username: name, Name: name, PasswordHash: "x", Roles: roles}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		return model.Actor{User: u}
	}
	editor, reviewer := mk("e", model.RoleEditor), mk("r", model.RoleReviewer)
	svc := &slot.Service{Store: st}
	for _, c := range []struct {
		name  string
		actor model.Actor
		p     model.Placement
		want  error
	}{
		{"reviewer", reviewer, model.Placement{Slot: model.SlotFocus, ArticleID: a.ID}, model.ErrForbidden},
		{"unknown slot", editor, model.Placement{Slot: "banner", ArticleID: a.ID}, model.ErrInvalid},
		{"negative position", editor, model.Placement{Slot: model.SlotFocus, ArticleID: a.ID, Position: -1}, model.ErrInvalid},
		{"no such story", editor, model.Placement{Slot: model.SlotFocus, ArticleID: 999}, model.ErrNotFound},
	} {
		if err := svc.Place(ctx, c.actor, c.p); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, n, _ := st.Audit(ctx, 1, 0); n != 0 {
		t.Fatalf("refused placements left %d audit entries", n)
	}
	if err := svc.Place(ctx, editor, model.Placement{Slot: model.SlotFocus, ArticleID: a.ID, Position: 2}); err != nil {
		t.Fatal(err)
	}
	if placed, _ := st.Placements(ctx, model.SlotFocus); len(placed) != 1 || placed[0].Position != 2 {
		t.Fatalf("placements %+v", placed)
	}
	if err := svc.Remove(ctx, reviewer, model.SlotFocus, a.ID); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("reviewer removed: %v", err)
	}
	if err := svc.Remove(ctx, editor, model.SlotFocus, a.ID); err != nil {
		t.Fatal(err)
	}
	entries, n, _ := st.Audit(ctx, 10, 0)
	if n != 2 || entries[0].Action != "slot_remove" || entries[1].Action != "slot" || entries[1].Detail != "focus 2" {
		t.Errorf("audit: %d entries %+v", n, entries)
	}
}
