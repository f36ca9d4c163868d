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
