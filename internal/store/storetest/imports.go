package storetest

import (
	"errors"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// testImportRecords: a record is found by source and original, saved
// again it is replaced (not doubled), and an image's digest finds the
// oldest record of it whatever its source.
func testImportRecords(t *testing.T, s store.Store) {
	col := column(t, s, "news", 0)
	a := article(t, s, col.ID, "导入的稿件", day0)
	first := model.ImportRecord{Source: "wxr:http://old.example.edu.cn", Original: "http://old.example.edu.cn/?p=12", Kind: model.ImportArticle, RefID: a.ID, Digest: "aa", ImportedAt: day0}
	must(t, s.SaveImportRecord(ctx, first))
	got, err := s.ImportRecord(ctx, first.Source, first.Original)
	if err != nil || got != first {
		t.Fatalf("record read back as %+v, %v; stored %+v", got, err, first)
	}
	changed := first
	changed.Digest, changed.ImportedAt = "bb", day0.Add(time.Hour)
	must(t, s.SaveImportRecord(ctx, changed))
	if got, _ := s.ImportRecord(ctx, first.Source, first.Original); got != changed {
		t.Errorf("record saved again reads %+v, want %+v", got, changed)
	}
	if _, err := s.ImportRecord(ctx, "feed:other", first.Original); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("same address of another source: %v, want ErrNotFound", err)
	}
	photo := model.ImportRecord{Source: "crawl:http://a.example", Original: "http://a.example/1.jpg", Kind: model.ImportMedia, RefID: 7, Digest: "cc", ImportedAt: day0}
	again := model.ImportRecord{Source: "wxr:http://b.example", Original: "http://b.example/x.jpg", Kind: model.ImportMedia, RefID: 7, Digest: "cc", ImportedAt: day0.Add(time.Minute)}
	must(t, s.SaveImportRecord(ctx, photo))
	must(t, s.SaveImportRecord(ctx, again))
	if got, err := s.ImportRecordByDigest(ctx, model.ImportMedia, "cc"); err != nil || got != photo {
		t.Errorf("by digest: %+v, %v; want the oldest %+v", got, err, photo)
	}
	if _, err := s.ImportRecordByDigest(ctx, model.ImportArticle, "cc"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("digest of another kind: %v, want ErrNotFound", err)
	}
	all, err := s.ImportRecords(ctx, "")
	must(t, err)
	if len(all) != 3 || all[0].Source != photo.Source {
		t.Errorf("all records: %+v", all)
	}
	if one, _ := s.ImportRecords(ctx, first.Source); len(one) != 1 || one[0] != changed {
		t.Errorf("records of one source: %+v", one)
	}
}

// testRedirects: a redirect is found by its path, a path is taken once,
// an update keeps the id, listing pages by path, deleting removes it.
func testRedirects(t *testing.T, s store.Store) {
	col := column(t, s, "news", 0)
	a := article(t, s, col.ID, "旧地址的稿件", day0)
	story := model.Redirect{Path: "/info/1012/3456.htm", ArticleID: a.ID}
	must(t, s.SaveRedirect(ctx, &story))
	if story.ID == 0 || story.CreatedAt.IsZero() {
		t.Fatalf("created redirect has no id or time: %+v", story)
	}
	away := model.Redirect{Path: "/2019/0601/c1a2/page.htm", Target: "https://www.example.edu.cn/"}
	must(t, s.SaveRedirect(ctx, &away))
	got, err := s.RedirectByPath(ctx, story.Path)
	if err != nil || got.ID != story.ID || got.ArticleID != a.ID || got.Target != "" {
		t.Fatalf("by path: %+v, %v", got, err)
	}
	dup := model.Redirect{Path: story.Path, Target: "/"}
	if err := s.SaveRedirect(ctx, &dup); !errors.Is(err, model.ErrConflict) {
		t.Errorf("a path taken twice: %v, want ErrConflict", err)
	}
	away.Target = "/columns/news"
	must(t, s.SaveRedirect(ctx, &away))
	if got, _ := s.RedirectByID(ctx, away.ID); got.Target != "/columns/news" || got.Path != away.Path {
		t.Errorf("updated redirect reads %+v", got)
	}
	list, err := s.Redirects(ctx, "", 0)
	must(t, err)
	if len(list) != 2 || list[0].Path != away.Path || list[1].Path != story.Path {
		t.Errorf("redirects not by path: %+v", list)
	}
	if page, _ := s.Redirects(ctx, away.Path, 1); len(page) != 1 || page[0].ID != story.ID {
		t.Errorf("the page after %s: %+v", away.Path, page)
	}
	must(t, s.DeleteRedirect(ctx, away.ID))
	if _, err := s.RedirectByPath(ctx, away.Path); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleted redirect: %v, want ErrNotFound", err)
	}
	if err := s.DeleteRedirect(ctx, away.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting it again: %v, want ErrNotFound", err)
	}
}

// testRestoreHistory: a story restored from a site archive gets back the
// versions and events it had, with their own times and users, and its
// version number; the library pages through by id.
func testRestoreHistory(t *testing.T, s store.Store) {
	col := column(t, s, "news", 0)
	u := model.User{Username: "editor", Name: "编辑", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &u))
	a := article(t, s, col.ID, "恢复的稿件", day0)
	versions := []model.Version{
		{Version: 1, Title: "初稿", Body: "<p>一</p>", SavedBy: u.ID, SavedAt: day0.Add(-2 * time.Hour)},
		{Version: 3, Title: "恢复的稿件", Summary: "摘要", Body: "<p>二</p>", SavedAt: day0.Add(-time.Hour)},
	}
	events := []model.Event{
		{UserID: u.ID, Action: "submit", From: model.StatusDraft, To: model.StatusSubmitted, At: day0.Add(-90 * time.Minute), Via: "desk", ActorName: "编辑"},
		{Action: "publish", From: model.StatusSubmitted, To: model.StatusPublished, Comment: "定时", At: day0, Step: 1, StepKey: "editor", Version: 3, Via: "job"},
		{UserID: u.ID, Action: "submit", From: model.StatusPublished, To: model.StatusSubmitted, At: day0.Add(time.Hour), Version: 4, Via: "desk", Correction: true},
	}
	must(t, s.RestoreHistory(ctx, a.ID, 4, versions, events))
	gotV, err := s.Versions(ctx, a.ID)
	must(t, err)
	if len(gotV) != 2 {
		t.Fatalf("versions after restore: %+v", gotV)
	}
	for i, v := range versions {
		v.ArticleID = a.ID
		if gotV[i] != v {
			t.Errorf("version %d = %+v, want %+v", i, gotV[i], v)
		}
	}
	gotE, err := s.Events(ctx, a.ID)
	must(t, err)
	if len(gotE) != 3 {
		t.Fatalf("events after restore: %+v", gotE)
	}
	for i, ev := range events {
		ev.ArticleID, ev.ID = a.ID, gotE[i].ID
		if gotE[i] != ev {
			t.Errorf("event %d = %+v, want %+v", i, gotE[i], ev)
		}
	}
	if got, _ := s.Article(ctx, a.ID); got.Version != 4 {
		t.Errorf("version number after restore = %d, want 4", got.Version)
	}
	if err := s.RestoreHistory(ctx, a.ID+100, 1, nil, nil); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("restore on a missing article: %v, want ErrNotFound", err)
	}

	// Its working copy under review comes back as it was, waiting where it waited.
	wc := model.WorkingCopy{Article: model.Article{ID: a.ID, ColumnID: col.ID, Title: "更正后的标题", Body: "<p>更正</p>", Correction: "更正了日期。",
		Credits: model.Credits{Writers: []string{"王"}}, Status: model.StatusSubmitted, UpdatedAt: day0.Add(2 * time.Hour),
		Review: model.Review{Chain: []model.ReviewStep{{Name: "终审", Key: "editor"}}, Step: 0, Since: day0.Add(2 * time.Hour), Waiting: []string{"role:editor"}}},
		CreatedBy: u.ID, CopiedAt: day0.Add(time.Hour)}
	must(t, s.RestoreWorkingCopy(ctx, wc))
	got, err := s.WorkingCopy(ctx, a.ID)
	must(t, err)
	if got.Title != wc.Title || got.Body != wc.Body || got.Correction != wc.Correction || got.Status != wc.Status || got.CreatedBy != u.ID ||
		!got.CopiedAt.Equal(wc.CopiedAt) || !got.UpdatedAt.Equal(wc.UpdatedAt) || !got.Review.Since.Equal(wc.Review.Since) ||
		len(got.Review.Chain) != 1 || got.Review.Chain[0].Name != "终审" || got.Version != 4 || len(got.Credits.Writers) != 1 {
		t.Errorf("restored working copy %+v, want %+v", got, wc)
	}
	if inbox, n, err := s.ReviewInbox(ctx, []string{"role:editor"}, 10); err != nil || n != 1 || inbox[0].ID != a.ID {
		t.Errorf("the restored copy does not wait in its inbox: %v %d %v", inbox, n, err)
	}

	var ids []int64
	for i, name := range []string{"a.jpg", "b.jpg", "c.jpg"} {
		m := model.Media{Key: name, Name: name, ContentType: "image/jpeg", Size: 1, Checksum: name, CreatedAt: day0.Add(-time.Duration(i) * time.Hour)}
		must(t, s.CreateMedia(ctx, &m))
		ids = append(ids, m.ID)
	}
	page, total, err := s.MediaList(ctx, store.MediaQuery{ByID: true, AfterID: ids[0], Limit: 10})
	must(t, err)
	if total != -1 || len(page) != 2 || page[0].ID != ids[1] || page[1].ID != ids[2] {
		t.Errorf("media by id after %d: %d files, total %d: %+v", ids[0], len(page), total, page)
	}
}
