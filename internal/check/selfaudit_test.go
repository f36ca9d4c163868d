package check_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"newsdesk/internal/check"
	"newsdesk/internal/model"
	"newsdesk/internal/store"
	"newsdesk/internal/store/sqlstore/pgtest"
)

func TestSelfAuditOnSQLite(t *testing.T) { selfAudit(t, openSQLite(t)) }

func TestSelfAuditOnPostgreSQL(t *testing.T) { selfAudit(t, pgtest.Open(t)) }

// selfAudit: a re-scan, stopped after a batch and resumed by a new
// process, finds a confused word, a link to a missing story, a missing
// picture, a stale column, an empty one and an expired placement; an item
// accepted with a reason stays accepted, a fixed story's item is marked
// fixed by the next scan; the list exports to XLSX and reads back.
func selfAudit(t *testing.T, st store.Store) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := newSite(t, st)
	s.checks.Now = func() time.Time { return now }
	empty := model.Column{Slug: "empty", Name: "空栏目"}
	if err := st.CreateColumn(ctx, &empty); err != nil {
		t.Fatal(err)
	}
	s.col.UpdateDays = 14
	if err := st.UpdateColumn(ctx, &s.col); err != nil {
		t.Fatal(err)
	}
	pub := func(title, body string, at time.Time) model.Article {
		a := model.Article{ColumnID: s.col.ID, Title: title, Body: body, Status: model.StatusPublished, PublishedAt: at}
		if err := s.articles.Import(ctx, s.editor, &a, "test"); err != nil {
			t.Fatal(err)
		}
		return a
	}
	old := now.AddDate(0, 0, -20)
	confused := pub("讲座通知", "<p>既使下雨，讲座照常。</p>", old)
	pub("旧闻链接", `<p>见<a href="/articles/99999">旧闻</a>。</p>`, old)
	pub("缺图", `<figure><img src="/media/999/a.jpg" alt="合影"><figcaption>合影（摄影：李四）</figcaption></figure>`, old)
	if err := st.SetPlacement(ctx, model.Placement{Slot: model.SlotFocus, ArticleID: confused.ID, ExpiresAt: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}

	if _, err := s.checks.StartAudit(ctx, s.contributor); err == nil {
		t.Error("a contributor started the self-audit")
	}
	s.checks.AuditBatch = 2
	run, err := s.checks.StartAudit(ctx, s.editor)
	if err != nil {
		t.Fatal(err)
	}
	if done, err := s.checks.AuditStep(ctx, &run); err != nil || done || run.Scanned != 2 {
		t.Fatalf("first step: done %v, scanned %d, %v", done, run.Scanned, err)
	}
	// A restart: a new service resumes the run from where it stopped.
	again := &check.Service{Store: st, Now: s.checks.Now, AuditBatch: 2}
	if err := again.AuditJob(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	run, err = st.CheckAuditRun(ctx)
	if err != nil || run.FinishedAt.IsZero() || run.Scanned != 3 || run.Total != 3 {
		t.Fatalf("resumed run: %+v %v", run, err)
	}
	items, _, err := again.AuditItems(ctx, s.editor, model.CheckAuditQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	byRule := map[string]model.CheckAuditItem{}
	for _, it := range items {
		byRule[it.Rule] = it
	}
	for rule, text := range map[string]string{"confused:既使": "既使", check.RuleBrokenLink: "/articles/99999", check.RuleBrokenPicture: "/media/999/a.jpg",
		check.RuleStale: s.col.Name, check.RuleEmpty: "空栏目", check.RulePlacement: "focus:"} {
		if it, ok := byRule[rule]; !ok || !strings.Contains(it.Text, text) || it.Status != model.AuditOpen {
			t.Errorf("no open %s item on %q: %+v", rule, text, items)
		}
	}
	if err := again.SetAuditStatus(ctx, s.editor, byRule[check.RuleEmpty].ID, model.AuditAccepted, ""); err == nil {
		t.Error("accepted without a reason")
	}
	if err := again.SetAuditStatus(ctx, s.editor, byRule[check.RuleEmpty].ID, model.AuditAccepted, "栏目下月启用"); err != nil {
		t.Fatal(err)
	}
	confused.Body = "<p>即使下雨，讲座照常。</p>"
	if err := s.articles.Update(ctx, s.editor, &confused); err != nil {
		t.Fatal(err)
	}
	if confused.Status == model.StatusPublished {
		// A published story's edit is a working copy until approved.
		if _, err := s.articles.ApproveRevision(ctx, s.editor, confused.ID, confused.Version, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := again.RunAudit(ctx, s.editor); err != nil {
		t.Fatal(err)
	}
	items, _, _ = again.AuditItems(ctx, s.editor, model.CheckAuditQuery{Limit: 100})
	for _, it := range items {
		want := model.AuditOpen
		switch it.Rule {
		case "confused:既使":
			want = model.AuditFixed
		case check.RuleEmpty:
			want = model.AuditAccepted
		}
		if it.Status != want {
			t.Errorf("after the re-scan %s is %s, want %s", it.Rule, it.Status, want)
		}
	}

	var b bytes.Buffer
	header := []string{"单位", "栏目", "稿件", "规则", "内容", "状态", "理由"}
	row := func(it model.CheckAuditItem) []string {
		return []string{"", "", "", it.Rule, it.Text, it.Status, it.Reason}
	}
	if err := again.ExportAudit(ctx, s.editor, header, row, &b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(items)+1 || rows[0][3] != "规则" {
		t.Fatalf("XLSX: %d rows for %d items: %v", len(rows), len(items), rows)
	}
	found := false
	for _, r := range rows[1:] {
		if r[3] == check.RuleEmpty && r[5] == model.AuditAccepted && r[6] == "栏目下月启用" {
			found = true
		}
	}
	if !found {
		t.Errorf("the accepted item is not in the workbook: %v", rows)
	}
}
