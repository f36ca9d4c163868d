package storetest

import (
	"errors"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func twoEditors(t *testing.T, s store.Store) (model.User, model.User) {
	t.Helper()
	a := model.User{Username: "alice", Name: "Alice", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	b := model.User{Username: "bob", Name: "Bob", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &a))
	must(t, s.CreateUser(ctx, &b))
	return a, b
}

// testEditLocks: a lock is held against others until its heartbeat is
// stale or it is taken over; the holder's renewal keeps its start; a page
// releases only its own lock.
func testEditLocks(t *testing.T, s store.Store) {
	alice, bob := twoEditors(t, s)
	a := article(t, s, column(t, s, "news", 0).ID, "锁", day0)
	t0 := day0.Add(time.Hour)
	lock := func(u model.User, token string, at time.Time, force bool) model.EditLock {
		t.Helper()
		l, err := s.AcquireLock(ctx, model.EditLock{ArticleID: a.ID, UserID: u.ID, Token: token, Since: at, SeenAt: at}, at.Add(-2*time.Minute), force)
		must(t, err)
		return l
	}
	if _, err := s.EditLock(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("no lock yet: %v", err)
	}
	if l := lock(alice, "p1", t0, false); l.UserID != alice.ID || !l.Since.Equal(t0) {
		t.Fatalf("alice takes the free lock: %+v", l)
	}
	if l := lock(bob, "p2", t0.Add(time.Minute), false); l.UserID != alice.ID {
		t.Fatalf("bob may not take a live lock: %+v", l)
	}
	if l := lock(alice, "p1", t0.Add(90*time.Second), false); l.UserID != alice.ID || !l.Since.Equal(t0) || !l.SeenAt.Equal(t0.Add(90*time.Second)) {
		t.Fatalf("alice's heartbeat renews, keeping since: %+v", l)
	}
	if l := lock(bob, "p2", t0.Add(2*time.Minute), true); l.UserID != bob.ID || l.Token != "p2" || !l.Since.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("bob takes over: %+v", l)
	}
	if l := lock(alice, "p1", t0.Add(150*time.Second), false); l.UserID != bob.ID {
		t.Fatalf("alice's next heartbeat finds bob's lock: %+v", l)
	}
	// A lapsed lock is anyone's.
	if l := lock(alice, "p3", t0.Add(10*time.Minute), false); l.UserID != alice.ID || l.Token != "p3" {
		t.Fatalf("alice takes the lapsed lock: %+v", l)
	}
	must(t, s.ReleaseLock(ctx, a.ID, alice.ID, "p1")) // an old page: nothing happens
	if l, err := s.EditLock(ctx, a.ID); err != nil || l.Token != "p3" {
		t.Fatalf("an old page released a newer lock: %+v %v", l, err)
	}
	must(t, s.ReleaseLock(ctx, a.ID, alice.ID, "p3"))
	if _, err := s.EditLock(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("released: %v", err)
	}
}

// testAnnotations: annotations and replies round-trip in order and are
// resolved with who and when.
func testAnnotations(t *testing.T, s store.Store) {
	alice, bob := twoEditors(t, s)
	a := article(t, s, column(t, s, "news", 0).ID, "批注", day0)
	root := model.Annotation{ArticleID: a.ID, UserID: alice.ID, Quote: "正文", Prefix: "", Suffix: "。", Position: 3, Version: 1, Body: "事实不清", CreatedAt: day0}
	must(t, s.CreateAnnotation(ctx, &root))
	reply := model.Annotation{ArticleID: a.ID, ParentID: root.ID, UserID: bob.ID, Body: "已核实", CreatedAt: day0.Add(time.Minute)}
	must(t, s.CreateAnnotation(ctx, &reply))
	must(t, s.ResolveAnnotation(ctx, root.ID, bob.ID, day0.Add(2*time.Minute)))
	got, err := s.Annotations(ctx, a.ID)
	must(t, err)
	if len(got) != 2 || got[0].ID != root.ID || got[1].ParentID != root.ID || got[1].Body != "已核实" {
		t.Fatalf("annotations: %+v", got)
	}
	if g := got[0]; g.Quote != "正文" || g.Suffix != "。" || g.Position != 3 || g.Version != 1 || g.ResolvedBy != bob.ID || !g.ResolvedAt.Equal(day0.Add(2*time.Minute)) || !g.CreatedAt.Equal(day0) {
		t.Fatalf("root read back: %+v", g)
	}
	if one, err := s.Annotation(ctx, reply.ID); err != nil || one.UserID != bob.ID || !one.ResolvedAt.IsZero() {
		t.Fatalf("reply: %+v %v", one, err)
	}
	if _, err := s.Annotation(ctx, reply.ID+100); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("missing annotation: %v", err)
	}
	if err := s.ResolveAnnotation(ctx, reply.ID+100, bob.ID, day0); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("resolving a missing annotation: %v", err)
	}
}

// testWorkingCopies: saving a copy moves the story's version on and keeps
// the copy in the history, leaves the published text alone, refuses a
// stale version; the copy is read back and deleted.
func testWorkingCopies(t *testing.T, s store.Store) {
	alice, _ := twoEditors(t, s)
	a := article(t, s, column(t, s, "news", 0).ID, "原标题", day0)
	wc := model.WorkingCopy{Article: a, CreatedBy: alice.ID}
	wc.Title, wc.Body, wc.Correction, wc.SavedBy = "新标题", "<p>改过的正文</p>", "更正：日期有误", alice.ID
	must(t, s.SaveWorkingCopy(ctx, &wc))
	if wc.Version != a.Version+1 {
		t.Fatalf("version after the copy's save: %d", wc.Version)
	}
	live, err := s.Article(ctx, a.ID)
	must(t, err)
	if live.Title != "原标题" || live.Body != "<p>正文</p>" || live.Version != wc.Version || live.Correction != "" {
		t.Fatalf("published text changed: %+v", live)
	}
	got, err := s.WorkingCopy(ctx, a.ID)
	must(t, err)
	if got.Title != "新标题" || got.Body != "<p>改过的正文</p>" || got.Correction != "更正：日期有误" || got.CreatedBy != alice.ID || got.Version != wc.Version || got.ColumnID != a.ColumnID {
		t.Fatalf("copy read back: %+v", got)
	}
	stale := got
	stale.Version--
	if err := s.SaveWorkingCopy(ctx, &stale); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("stale copy save: %v", err)
	}
	vs, err := s.Versions(ctx, a.ID)
	must(t, err)
	if len(vs) != 2 || vs[1].Title != "新标题" || vs[1].Version != wc.Version || vs[1].SavedBy != alice.ID {
		t.Fatalf("history: %+v", vs)
	}
	// Approving is the service's: the live text takes the copy's, with
	// the revision time and the note, and the copy goes.
	live.Title, live.Body, live.Correction, live.RevisedAt = got.Title, got.Body, got.Correction, day0.Add(time.Hour)
	must(t, s.UpdateArticle(ctx, &live))
	must(t, s.DeleteWorkingCopy(ctx, a.ID))
	after, err := s.Article(ctx, a.ID)
	must(t, err)
	if after.Title != "新标题" || after.Correction != "更正：日期有误" || !after.RevisedAt.Equal(day0.Add(time.Hour)) {
		t.Fatalf("approved: %+v", after)
	}
	if _, err := s.WorkingCopy(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("copy after delete: %v", err)
	}
	if err := s.DeleteWorkingCopy(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("deleting no copy: %v", err)
	}
}
