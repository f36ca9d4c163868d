package slot_test

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
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

// TestArrangeSavesTheOrderOnlyFromTheVersionShown: the board's save puts
// the slot in the order given and takes out what it does not name, in one
// audited change; a second editor saving from the same version is refused
// with ErrConflict and changes nothing; a story page's placement moves the
// version too; bad input (twice the same story, a draft added) is refused.
func TestArrangeSavesTheOrderOnlyFromTheVersionShown(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "newsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	col := model.Column{Slug: "news", Name: "新闻"}
	st.CreateColumn(ctx, &col)
	var ids []int64
	for _, title := range []string{"甲", "乙", "丙"} {
		a := model.Article{ColumnID: col.ID, Title: title, Status: model.StatusPublished, PublishedAt: time.Now().Add(-time.Hour)}
		if err := st.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	draft := model.Article{ColumnID: col.ID, Title: "草稿", Status: model.StatusDraft}
	st.CreateArticle(ctx, &draft)
	u := model.User{Username: "e", Name: "编辑", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	st.CreateUser(ctx, &u)
	r := model.User{Username: "r", Name: "审稿", PasswordHash: "x", Roles: []string{model.RoleReviewer}}
	st.CreateUser(ctx, &r)
	editor, reviewer := model.Actor{User: u}, model.Actor{User: r}
	changed := 0
	svc := &slot.Service{Store: st, Changed: func() { changed++ }}

	b, err := svc.Board(ctx, editor, model.SlotFocus)
	if err != nil || b.Version != 0 || len(b.Placements) != 0 {
		t.Fatalf("empty board = %+v, %v", b, err)
	}
	if _, err := svc.Board(ctx, reviewer, model.SlotFocus); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a reviewer read the board: %v", err)
	}
	v := b.Version
	for _, id := range ids {
		if v, err = svc.Add(ctx, editor, model.SlotFocus, v, id, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Add(ctx, editor, model.SlotFocus, v, draft.ID, time.Time{}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a draft was added: %v", err)
	}
	if _, err := svc.Add(ctx, editor, model.SlotFocus, v, ids[0], time.Time{}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a story was added twice: %v", err)
	}
	order := func() []int64 {
		ps, _ := st.Placements(ctx, model.SlotFocus)
		var out []int64
		for _, p := range ps {
			out = append(out, p.ArticleID)
		}
		return out
	}
	if got := order(); len(got) != 3 || got[0] != ids[0] || got[2] != ids[2] {
		t.Fatalf("after adding: %v", got)
	}
	until := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	// Editor A moves 丙 first and takes 乙 out; editor B, shown the same
	// version, tries to put 乙 first.
	shown := v
	_, n0, _ := st.Audit(ctx, 1, 0)
	v, err = svc.Arrange(ctx, editor, model.SlotFocus, shown, []model.Placement{{ArticleID: ids[2], ExpiresAt: until}, {ArticleID: ids[0]}})
	if err != nil || v != shown+1 {
		t.Fatalf("arrange = %d, %v", v, err)
	}
	if got := order(); len(got) != 2 || got[0] != ids[2] || got[1] != ids[0] {
		t.Fatalf("after arranging: %v", got)
	}
	if ps, _ := st.Placements(ctx, model.SlotFocus); !ps[0].ExpiresAt.Equal(until) || ps[0].Position != 0 || ps[1].Position != 1 {
		t.Fatalf("positions and expiry: %+v", ps)
	}
	entries, n, _ := st.Audit(ctx, 1, 0)
	if n != n0+1 || entries[0].Action != "slot_arrange" || entries[0].Detail != idList(ids[2], ids[0]) {
		t.Fatalf("audit after arranging: %d %+v", n, entries)
	}
	before := changed
	if _, err := svc.Arrange(ctx, editor, model.SlotFocus, shown, []model.Placement{{ArticleID: ids[1]}}); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("a save from an old version: %v", err)
	}
	if got := order(); len(got) != 2 || got[0] != ids[2] || changed != before {
		t.Fatalf("a refused save changed the slot: %v", got)
	}
	if _, n2, _ := st.Audit(ctx, 1, 0); n2 != n {
		t.Fatalf("a refused save was audited")
	}
	// A story page's slot form moves the version: a board shown before it
	// cannot save over it.
	if err := svc.Place(ctx, editor, model.Placement{Slot: model.SlotFocus, ArticleID: ids[1], Position: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Arrange(ctx, editor, model.SlotFocus, v, nil); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("a board from before a story page's placement saved: %v", err)
	}
	for name, c := range map[string]struct {
		actor model.Actor
		slot  string
		order []model.Placement
		want  error
	}{
		"reviewer":      {reviewer, model.SlotFocus, nil, model.ErrForbidden},
		"unknown slot":  {editor, "banner", nil, model.ErrInvalid},
		"twice":         {editor, model.SlotFocus, []model.Placement{{ArticleID: ids[0]}, {ArticleID: ids[0]}}, model.ErrInvalid},
		"no such story": {editor, model.SlotFocus, []model.Placement{{ArticleID: 9999}}, model.ErrNotFound},
	} {
		cur, _ := st.SlotVersion(ctx, model.SlotFocus)
		if _, err := svc.Arrange(ctx, c.actor, c.slot, cur, c.order); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if got := order(); len(got) != 3 {
		t.Fatalf("refused arrangements changed the slot: %v", got)
	}
}

func idList(ids ...int64) string {
	var s []string
	for _, id := range ids {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return strings.Join(s, ", ")
}
