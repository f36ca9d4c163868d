package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/internal/app"
	"newsdesk/internal/check"
	"newsdesk/internal/config"
	"newsdesk/internal/store"
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
	if _, err := (&check.Service{Store: db}).Save(ctx, store.SystemActor("cli"), check.KindWords, "示例敏感词 | 示例 | block\n", false); err != nil {
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
