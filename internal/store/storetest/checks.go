package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func testCheckRules(t *testing.T, s store.Store) {
	ed := model.User{Username: "ed", Name: "Ed", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &ed))
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	first := model.CheckRuleList{Kind: "words", Body: "示例敏感词 | 示例 | block\n", SavedBy: ed.ID, SavedAt: at}
	must(t, s.SaveCheckRules(ctx, &first))
	second := model.CheckRuleList{Kind: "words", Body: "示例敏感词 | 示例 | warn\n", SavedBy: ed.ID, SavedAt: at.Add(time.Minute)}
	must(t, s.SaveCheckRules(ctx, &second))
	other := model.CheckRuleList{Kind: "domains", Body: "edu.cn\n", SavedAt: at}
	must(t, s.SaveCheckRules(ctx, &other))
	if first.Version != 1 || second.Version != 2 || other.Version != 1 {
		t.Fatalf("versions %d, %d, %d; want 1, 2 and 1", first.Version, second.Version, other.Version)
	}
	latest, err := s.CheckRules(ctx)
	must(t, err)
	if len(latest) != 2 || latest[0].Kind != "domains" || latest[1].Version != 2 || latest[1].Body != second.Body ||
		latest[1].SavedBy != ed.ID || !latest[1].SavedAt.Equal(second.SavedAt) {
		t.Errorf("latest lists: %+v", latest)
	}
	hist, err := s.CheckRuleVersions(ctx, "words")
	must(t, err)
	if len(hist) != 2 || hist[0].Version != 2 || hist[1].Body != first.Body {
		t.Errorf("history: %+v", hist)
	}
}

func testCheckAcks(t *testing.T, s store.Store) {
	col := column(t, s, "news", 0)
	a := model.Article{ColumnID: col.ID, Title: "稿件", Status: model.StatusDraft}
	must(t, s.CreateArticle(ctx, &a))
	ed := model.User{Username: "ed", Name: "Ed", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &ed))
	ack := model.CheckAck{ArticleID: a.ID, Version: 1, Keys: []string{"word:测试\x1f测试", "punctuation:space\x1f "}, Findings: "测试", Reason: "引用原文", UserID: ed.ID, IP: "127.0.0.1",
		At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	must(t, s.AddCheckAck(ctx, &ack))
	got, err := s.CheckAcks(ctx, a.ID)
	must(t, err)
	if len(got) != 1 || got[0].ID != ack.ID || !slices.Equal(got[0].Keys, ack.Keys) || got[0].Reason != "引用原文" || got[0].UserID != ed.ID || !got[0].At.Equal(ack.At) {
		t.Errorf("acknowledgements: %+v", got)
	}
}

func testCheckAudit(t *testing.T, s store.Store) {
	if _, err := s.CheckAuditRun(ctx); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("no run yet: %v, want ErrNotFound", err)
	}
	run := model.CheckAuditRun{StartedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Total: 3}
	must(t, s.SaveCheckAuditRun(ctx, &run))
	run.AfterID, run.Scanned = 7, 2
	must(t, s.SaveCheckAuditRun(ctx, &run))
	got, err := s.CheckAuditRun(ctx)
	must(t, err)
	if got.ID != run.ID || got.AfterID != 7 || got.Scanned != 2 || !got.FinishedAt.IsZero() {
		t.Errorf("run: %+v", got)
	}

	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	item := func(rule, text string) model.CheckAuditItem {
		return model.CheckAuditItem{ColumnID: 3, UnitID: 2, Rule: rule, Category: "c", Level: "warn", Text: text}
	}
	must(t, s.SetCheckAuditItems(ctx, 9, 0, []model.CheckAuditItem{item("a", "x"), item("b", "y"), item("c", "z")}, at))
	must(t, s.SetCheckAuditItems(ctx, 0, 3, []model.CheckAuditItem{item("column:stale", "学校要闻")}, at))
	items, total, err := s.CheckAuditItems(ctx, model.CheckAuditQuery{UnitID: 2})
	must(t, err)
	if total != 4 || len(items) != 4 {
		t.Fatalf("items: %d %+v", total, items)
	}
	var b model.CheckAuditItem
	for _, it := range items {
		if it.Rule == "b" {
			b = it
		}
	}
	must(t, s.SetCheckAuditStatus(ctx, b.ID, model.AuditAccepted, "原文引用", 0, at))
	// The next scan: a is gone (fixed), b still there (stays accepted), c
	// still there (open); the column's finding is untouched.
	must(t, s.SetCheckAuditItems(ctx, 9, 0, []model.CheckAuditItem{item("b", "y"), item("c", "z")}, at.Add(time.Hour)))
	items, _, err = s.CheckAuditItems(ctx, model.CheckAuditQuery{})
	must(t, err)
	status := map[string]string{}
	for _, it := range items {
		status[it.Rule] = it.Status
	}
	want := map[string]string{"a": model.AuditFixed, "b": model.AuditAccepted, "c": model.AuditOpen, "column:stale": model.AuditOpen}
	for k, v := range want {
		if status[k] != v {
			t.Errorf("after the re-scan %s is %q, want %q", k, status[k], v)
		}
	}
	if open, n, _ := s.CheckAuditItems(ctx, model.CheckAuditQuery{Status: model.AuditOpen}); n != 2 || len(open) != 2 {
		t.Errorf("open items: %d", n)
	}
	// A scan that did not look for rule c (external links with network
	// checks off) leaves its item as it was: not fixed, though not found.
	must(t, s.SetCheckAuditItems(ctx, 9, 0, []model.CheckAuditItem{item("b", "y")}, at.Add(2*time.Hour), "c"))
	items, _, err = s.CheckAuditItems(ctx, model.CheckAuditQuery{})
	must(t, err)
	for _, it := range items {
		if it.Rule == "c" && (it.Status != model.AuditOpen || !it.UpdatedAt.Equal(at.Add(time.Hour))) {
			t.Errorf("an item of a rule the scan kept: %+v", it)
		}
	}
	if err := s.SetCheckAuditStatus(ctx, 9999, model.AuditFixed, "", 0, at); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing item: %v", err)
	}
}
