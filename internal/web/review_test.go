package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"newsdesk/internal/article"
	"newsdesk/internal/demo"
	"newsdesk/internal/model"
)

// TestReviewDecisionsOverTheDeskAndTheLedger: a story in the demo's
// four-step column is decided on through the desk's forms — a decision
// meant for another step is refused — and the ledger, exported as XLSX
// and CSV, holds each decision; both files read back with real readers.
func TestReviewDecisionsOverTheDeskAndTheLedger(t *testing.T) {
	a, srv := deskServer(t)
	cols, _ := a.Store.Columns(context.Background())
	var col int64
	for _, c := range cols {
		if c.Slug == demo.ChainColumn {
			col = c.ID
		}
	}
	contributor, reviewer, editor := signIn(t, srv, "contributor"), signIn(t, srv, "reviewer"), signIn(t, srv, "editor")
	res, d := contributor.post("/desk/articles", url.Values{"csrf": {contributor.csrf()}, "column": {itoa(col)}, "title": {"台账里的稿件"}, "body": {"<p>正文。</p>"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	id := articleID(res.Header.Get("Location"))
	if res, _ := act(t, contributor, id, "submit"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	if res, d := act(t, reviewer, id, "approve", "step", "2"); res.StatusCode != 422 || !strings.Contains(d.Find(".error-box").Text(), "第 2 步") {
		t.Errorf("a decision for step 2 at step 1: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	if res, _ := act(t, reviewer, id, "approve", "step", "1", "comment", "同意"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	_, page := editor.get("/desk/articles/" + itoa(id))
	if got := page.Find(".progress-done").Text(); !strings.Contains(got, "单位初审") || !strings.Contains(got, "王审核") {
		t.Errorf("progress line's done step: %q", got)
	}
	if got := page.Find(".progress-current").Text(); !strings.Contains(got, "编辑复审") {
		t.Errorf("progress line's current step: %q", got)
	}
	if opts := page.Find("#return_to option").Length(); opts != 2 { // the author, 单位初审
		t.Errorf("return targets: %d, want 2", opts)
	}
	if res, _ := act(t, editor, id, "return", "step", "2", "return_to", "1", "reason", "事实不清"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return to 单位初审: %d", res.StatusCode)
	}
	_, home := reviewer.get("/desk/")
	if !strings.Contains(home.Find(".inbox").Text(), "台账里的稿件") {
		t.Error("the story returned to 单位初审 is not in the reviewer's inbox")
	}

	raw := download(t, editor, "/desk/review/ledger?format=xlsx&column="+itoa(col))
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v (%q)", err, raw[:min(len(raw), 200)])
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, r := range rows[1:] {
		if len(r) > 9 && r[2] == "台账里的稿件" {
			found = append(found, r[5]+"/"+r[6]+"/"+r[7]+"/"+r[8])
		}
	}
	if rows[0][0] != "时间" || strings.Join(found, " ") != "单位初审/王审核/审核通过/ 编辑复审/李编辑/退回修改/事实不清" {
		t.Errorf("ledger header %v, the story's rows %v", rows[0], found)
	}
	raw = download(t, editor, "/desk/review/ledger?format=csv")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) < 3 || len(recs[0]) != 12 {
		t.Fatalf("the CSV: %v, %d rows", err, len(recs))
	}
	if res, _ := reviewer.get("/desk/review/ledger?format=csv"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a unit reviewer read the ledger: %d", res.StatusCode)
	}
}

// download returns the bytes of a desk file.
func download(t *testing.T, c *deskClient, path string) []byte {
	t.Helper()
	res, err := c.c.Get(c.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %v", path, res.StatusCode, err)
	}
	return raw
}

// TestPublicPageNamesReviewersWhenAsked: with the site setting on, the
// published story names who took its steps beside 责任编辑; off, it does not.
func TestPublicPageNamesReviewersWhenAsked(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	cols, _ := a.Store.Columns(ctx)
	var col int64
	for _, c := range cols {
		if c.Slug == demo.ChainColumn {
			col = c.ID
		}
	}
	user := func(name string) model.Actor {
		u, err := a.Store.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return model.Actor{User: u, IP: "127.0.0.1", Via: "test"}
	}
	s := model.Article{ColumnID: col, Title: "署名审核人的稿件", Body: "<p>正文。</p>"}
	if err := a.Articles.Create(ctx, user("contributor"), &s); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct{ who, action string }{{"contributor", article.ActionSubmit}, {"reviewer", article.ActionApprove},
		{"editor", article.ActionApprove}, {"proofreader", article.ActionApprove}, {"chief", article.ActionPublish}} {
		var err error
		if s, err = a.Articles.Move(ctx, user(step.who), s.ID, article.Move{Action: step.action, Version: s.Version}); err != nil {
			t.Fatalf("%s by %s: %v", step.action, step.who, err)
		}
	}
	page := func() string { return body(t, mustGet(t, srv.URL+"/articles/"+itoa(s.ID))) }
	if strings.Contains(page(), "王审核") {
		t.Error("reviewers named with the setting off")
	}
	if err := a.Site.Set(ctx, user("editor"), map[string]string{"review.names": "on"}); err != nil {
		t.Fatal(err)
	}
	defer a.Site.Set(ctx, user("editor"), map[string]string{"review.names": "off"})
	if got := page(); !strings.Contains(got, "审核：</span><span>王审核 李编辑 周校对 赵总编</span>") {
		t.Errorf("the public page does not name the reviewers in order:\n%s", got[strings.Index(got, "credits"):])
	}
}
