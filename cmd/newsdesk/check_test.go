package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"newsdesk/internal/app"
	"newsdesk/internal/check"
	"newsdesk/internal/config"
	"newsdesk/internal/model"
)

// TestCheckPrintsAFindingALineAndFailsOnABlock: the site's own words
// apply; a text file with a block-level word exits 1, an HTML file with
// only a warning exits 0; each finding is file:offset: level category:
// text → suggestion.
func TestCheckPrintsAFindingALineAndFailsOnABlock(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"NEWSDESK_DATA": dir, "LANG": "zh_CN.UTF-8"}
	ctx := context.Background()
	db, err := app.OpenStore(ctx, config.Store{Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&check.Service{Store: db}).Save(ctx, model.SystemActor("cli"), check.KindWords, "示例敏感词 | 示例 | block\n", false); err != nil {
		t.Fatal(err)
	}
	db.Close()
	text := filepath.Join(dir, "稿件.txt")
	page := filepath.Join(dir, "稿件.html")
	os.WriteFile(text, []byte("2020年11月5日下午,由研究生院主办。会上出现了示例 敏感词。"), 0o644)
	os.WriteFile(page, []byte("<p>既使下雨，讲座照常。</p>"), 0o644)

	r := newsdesk(t, env, "", "check", text, page)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	want := []string{
		text + ":12: info 标点与格式: , → ，",
		text + ":26: block 示例: 示例 敏感词",
		text + ":28: info 标点与格式:   → ",
		page + ":0: warn 易错词: 既使 → 即使",
	}
	if r.code != exitFailed || !strings.Contains(r.stderr, "1 处必须修改") || strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("check: exit %d\n%s\nstderr %q\nwant\n%s", r.code, r.stdout, r.stderr, strings.Join(want, "\n"))
	}
	if r := newsdesk(t, env, "", "check", page); r.code != 0 {
		t.Errorf("a warning only: exit %d, %s", r.code, r.stderr)
	}
	if r := newsdesk(t, env, "", "check"); r.code != exitUsage {
		t.Errorf("no file: exit %d, %s", r.code, r.stderr)
	}
}

// TestSelfcheckWritesTheRectificationList: the re-scan reports what is
// open and writes the list as XLSX, read back here.
func TestSelfcheckWritesTheRectificationList(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"NEWSDESK_DATA": dir, "LANG": "zh_CN.UTF-8"}
	ctx := context.Background()
	db, err := app.OpenStore(ctx, config.Store{Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	col := model.Column{Slug: "news", Name: "学校要闻"}
	if err := db.CreateColumn(ctx, &col); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(dir, "整改清单.xlsx")
	r := newsdesk(t, env, "", "selfcheck", "--xlsx", out)
	if r.code != 0 || !strings.Contains(r.stdout, "检查了 0 篇稿件，1 项待整改") {
		t.Fatalf("selfcheck: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Sheet1")
	if len(rows) != 2 || rows[0][0] != "单位" || rows[1][1] != "学校要闻" || rows[1][3] != check.RuleEmpty || rows[1][7] != "待整改" {
		t.Errorf("rectification list: %v", rows)
	}
}
