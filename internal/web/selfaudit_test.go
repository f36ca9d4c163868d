package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/app"
	"newsdesk/internal/check"
	"newsdesk/internal/model"
)

// auditSite is a demo site of its own for the self-audit's desk tests:
// they run the whole audit and turn network checks on, which must not
// meet the links other tests write into the shared desk site.
var auditSite struct {
	once sync.Once
	app  *app.App
	srv  *httptest.Server
}

func auditServer(t *testing.T) (*app.App, *httptest.Server) {
	t.Helper()
	auditSite.once.Do(func() {
		dir, err := os.MkdirTemp("", "newsdesk-audit-*")
		if err != nil {
			panic(err)
		}
		auditSite.app, auditSite.srv = newSite(dir)
	})
	return auditSite.app, auditSite.srv
}

// runAudit starts the self-audit from its desk page and runs the job, as
// the server's job runner would; it returns the open items' rows of
// every page of the rectification list.
func runAudit(t *testing.T, a *app.App, editor *deskClient) *goquery.Selection {
	t.Helper()
	if res, _ := editor.post("/desk/selfaudit", url.Values{"csrf": {editor.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start the self-audit: %d", res.StatusCode)
	}
	if _, err := a.Jobs.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	run, err := a.Store.CheckAuditRun(context.Background())
	if err != nil || run.FinishedAt.IsZero() {
		t.Fatalf("the self-audit did not finish: %+v %v", run, err)
	}
	var rows *goquery.Selection
	for page := 1; ; page++ {
		_, d := editor.get(fmt.Sprintf("/desk/selfaudit?status=open&page=%d", page))
		found := d.Find(".audit-items tbody tr.item-open")
		if rows == nil {
			rows = found
		} else {
			rows = rows.AddSelection(found)
		}
		if found.Length() == 0 || d.Find(`.pager a[rel=next]`).Length() == 0 {
			return rows
		}
	}
}

// auditRow finds the open row whose finding's text has text.
func auditRow(rows *goquery.Selection, text string) *goquery.Selection {
	return rows.FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Find("mark").Text(), text)
	})
}

// TestColumnUpdatePeriodThroughTheDesk: the column form's 更新周期（天）
// takes a whole number of days (full-width digits too) or nothing; a bad
// value is refused with the catalogue's message and changes nothing;
// each change is audited with the old and new period; the self-audit
// lists a column with nothing new within its period and marks it fixed
// once the period is longer than the gap.
func TestColumnUpdatePeriodThroughTheDesk(t *testing.T) {
	a, srv := auditServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")

	_, d := editor.get("/desk/site")
	var headlines model.Column
	cols, _ := a.Store.Columns(ctx)
	for _, c := range cols {
		if c.Slug == "headlines" {
			headlines = c
		}
	}
	row := d.Find(fmt.Sprintf(`form.column-row:has(input[name=id][value="%d"])`, headlines.ID))
	if v, _ := row.Find(`input[name=update_days]`).Attr("value"); v != "14" {
		t.Errorf("学校要闻's update period in the form is %q, want the demo's 14", v)
	}

	add := func(days string) (*http.Response, *goquery.Document) {
		return editor.post("/desk/columns", url.Values{"csrf": {editor.csrf()}, "name": {"通知公告"}, "slug": {"notices"}, "parent": {"0"}, "position": {"20"}, "update_days": {days}})
	}
	for _, bad := range []string{"两周", "0", "-7", "1.5", "99999"} {
		res, d := add(bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(d.Find(".error-box").Text(), "更新周期") || !strings.Contains(d.Find(".error-box").Text(), bad) {
			t.Errorf("update period %q: %d %q", bad, res.StatusCode, d.Find(".error-box").Text())
		}
	}
	if cols, _ := a.Store.Columns(ctx); hasSlug(cols, "notices") {
		t.Fatal("a refused update period made the column")
	}
	if res, d := add("７"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a column with a 7-day period: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	notices := columnBySlug(t, a, "notices")
	if notices.UpdateDays != 7 {
		t.Fatalf("update period stored as %d, want 7", notices.UpdateDays)
	}
	entries, _, _ := a.Store.Audit(ctx, 1, 0)
	if entries[0].Action != "column_create" || !strings.Contains(entries[0].Detail, "update_days 7") || entries[0].UserID == 0 {
		t.Errorf("audit of the new column: %+v", entries[0])
	}

	// A story published ten days ago is the column's newest: past 7 days.
	story := model.Article{ColumnID: notices.ID, Title: "关于寒假放假安排的通知", Body: "<p>全校师生：寒假自1月15日开始。</p>", Status: model.StatusPublished, PublishedAt: time.Now().AddDate(0, 0, -10)}
	if err := a.Articles.Import(ctx, editorActor(t, a), &story, "test"); err != nil {
		t.Fatal(err)
	}
	rows := runAudit(t, a, editor)
	if r := auditRow(rows, "通知公告"); r.Length() != 1 || !strings.Contains(r.Text(), check.RuleStale) || !strings.Contains(r.Text(), "7") {
		t.Errorf("the stale column is not on the list (%d open rows)", rows.Length())
	}

	save := func(days string) (*http.Response, *goquery.Document) {
		return editor.post("/desk/columns", url.Values{"csrf": {editor.csrf()}, "id": {itoa(notices.ID)}, "name": {"通知公告"}, "parent": {"0"}, "position": {"20"}, "update_days": {days}})
	}
	if res, _ := save("abc"); res.StatusCode != http.StatusUnprocessableEntity || columnBySlug(t, a, "notices").UpdateDays != 7 {
		t.Errorf("a bad period on an existing column: %d, period now %d", res.StatusCode, columnBySlug(t, a, "notices").UpdateDays)
	}
	if res, _ := save("30"); res.StatusCode != http.StatusSeeOther || columnBySlug(t, a, "notices").UpdateDays != 30 {
		t.Fatalf("period 30: %d", res.StatusCode)
	}
	if entries, _, _ := a.Store.Audit(ctx, 1, 0); entries[0].Action != "column_update" || !strings.Contains(entries[0].Detail, "update_days 7 → 30") {
		t.Errorf("audit of the period change: %+v", entries[0])
	}
	if r := auditRow(runAudit(t, a, editor), "通知公告"); r.Length() != 0 {
		t.Errorf("ten days without news within a 30-day period is still on the list: %q", r.Text())
	}
	// Empty: no period, never stale.
	if res, _ := save(""); res.StatusCode != http.StatusSeeOther || columnBySlug(t, a, "notices").UpdateDays != 0 {
		t.Fatalf("no period: %d", res.StatusCode)
	}
	if entries, _, _ := a.Store.Audit(ctx, 1, 0); !strings.Contains(entries[0].Detail, "update_days 30 → 0") {
		t.Errorf("audit of the period taken away: %+v", entries[0])
	}
	_, d = editor.get("/desk/site")
	row = d.Find(fmt.Sprintf(`form.column-row:has(input[name=id][value="%d"])`, notices.ID))
	if v, ok := row.Find(`input[name=update_days]`).Attr("value"); !ok || v != "" {
		t.Errorf("a column without a period shows %q", v)
	}
}

func hasSlug(cols []model.Column, slug string) bool {
	for _, c := range cols {
		if c.Slug == slug {
			return true
		}
	}
	return false
}

func columnBySlug(t *testing.T, a *app.App, slug string) model.Column {
	t.Helper()
	cols, err := a.Store.Columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.Slug == slug {
			return c
		}
	}
	t.Fatalf("no column %s", slug)
	return model.Column{}
}

// TestExternalLinkChecksThroughTheDesk: network checks are off until an
// editor turns them on in the site settings (bad values refused, nothing
// changed); the self-audit page says which; with them on, a run started
// from the desk lists a story's link to a missing page on 127.0.0.1 and
// not its link to a good one.
func TestExternalLinkChecksThroughTheDesk(t *testing.T) {
	a, srv := auditServer(t)
	ctx := context.Background()
	editor := signIn(t, srv, "editor")
	var mu sync.Mutex
	var agents []string
	outside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		if r.URL.Path == "/good" {
			fmt.Fprint(w, "ok")
			return
		}
		http.NotFound(w, r)
	}))
	defer outside.Close()
	story := model.Article{ColumnID: columnBySlug(t, a, "news").ID, Title: "合作院校动态", Status: model.StatusPublished, PublishedAt: time.Now(),
		Body: fmt.Sprintf(`<p>详见<a href="%[1]s/good">合作院校网站</a>和<a href="%[1]s/gone">旧的专题页</a>。</p>`, outside.URL)}
	if err := a.Articles.Import(ctx, editorActor(t, a), &story, "test"); err != nil {
		t.Fatal(err)
	}

	_, d := editor.get("/desk/selfaudit")
	if !strings.Contains(d.Find("#audit-links").Text(), "关闭") {
		t.Errorf("the self-audit page does not say network checks are off: %q", d.Find("#audit-links").Text())
	}
	_, d = editor.get("/desk/site")
	if v, _ := d.Find(`select[name="check.external_links"] option[selected]`).Attr("value"); v == "on" {
		t.Error("network checks are on by default")
	}
	if rows := runAudit(t, a, editor); len(agents) != 0 || auditRow(rows, outside.URL).Length() != 0 {
		t.Fatalf("network checks off, yet %d requests were made", len(agents))
	}

	settings := func(on, delay, timeout string) (*http.Response, *goquery.Document) {
		return editor.post("/desk/site", url.Values{"csrf": {editor.csrf()}, check.LinkSettingOn: {on}, check.LinkSettingDelay: {delay}, check.LinkSettingTimeout: {timeout}})
	}
	for _, bad := range [][3]string{{"on", "soon", "10"}, {"on", "100", "0"}, {"yes", "100", "10"}, {"on", "-1", "10"}} {
		if res, d := settings(bad[0], bad[1], bad[2]); res.StatusCode != http.StatusUnprocessableEntity || d.Find(".error-box").Text() == "" {
			t.Errorf("settings %v: %d %q", bad, res.StatusCode, d.Find(".error-box").Text())
		}
	}
	if st, _ := a.Site.Settings(ctx); st.Links.On {
		t.Fatal("a refused settings form turned network checks on")
	}
	if res, d := settings("on", "20", "5"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("turn network checks on: %d %q", res.StatusCode, d.Find(".error-box").Text())
	}
	_, d = editor.get("/desk/selfaudit")
	if txt := d.Find("#audit-links").Text(); !strings.Contains(txt, "开启") || !strings.Contains(txt, "20") || !strings.Contains(txt, "5") {
		t.Errorf("the self-audit page after turning them on: %q", txt)
	}
	rows := runAudit(t, a, editor)
	if r := auditRow(rows, outside.URL+"/gone"); r.Length() != 1 || !strings.Contains(r.Text(), "HTTP 404") || !strings.Contains(r.Text(), "合作院校动态") {
		t.Errorf("the broken outside link is not on the list (%d open rows)", rows.Length())
	}
	if r := auditRow(rows, outside.URL+"/good"); r.Length() != 0 {
		t.Errorf("a working outside link is on the list: %q", r.Text())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(agents) == 0 || !strings.HasPrefix(agents[0], "Newsdesk") {
		t.Errorf("requests: %q", agents)
	}
}
