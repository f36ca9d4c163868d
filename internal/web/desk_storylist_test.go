package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// listIDs are the story ids a story list page shows, in order.
func listIDs(d *goquery.Document) []string {
	var out []string
	d.Find(".story-table tbody tr td.title a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		out = append(out, strings.TrimPrefix(href, "/desk/articles/"))
	})
	return out
}

// The story list shows each role what it may see, under column headers:
// a contributor their own stories, the unit reviewer their unit's, editors
// every one; a filter for another unit or author never widens it.
func TestStoryListScopedPerRole(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	contributor := signIn(t, srv, "contributor")
	own := newStory(t, contributor, "稿件管理里自己的稿件")
	otherUnit := model.Unit{Name: "稿件管理外单位"}
	if err := a.Store.CreateUnit(ctx, &otherUnit); err != nil {
		t.Fatal(err)
	}
	cols, _ := a.Store.Columns(ctx)
	foreign := model.Article{ColumnID: cols[1].ID, Title: "稿件管理外单位稿件", Status: model.StatusDraft, UnitID: otherUnit.ID}
	if err := a.Articles.Import(ctx, model.SystemActor("test"), &foreign, "test"); err != nil {
		t.Fatal(err)
	}
	ownID, foreignID := fmt.Sprint(own), fmt.Sprint(foreign.ID)
	for _, c := range []struct {
		who, query        string
		see, notSee       []string
		headers, checkbox bool
	}{
		{"contributor", "?sort=updated", []string{ownID}, []string{foreignID}, true, false},
		{"contributor", fmt.Sprintf("?sort=updated&unit=%d", otherUnit.ID), []string{ownID}, []string{foreignID}, true, false},
		{"reviewer", "?sort=updated", []string{ownID}, []string{foreignID}, true, false},
		{"editor", "?sort=updated", []string{ownID, foreignID}, nil, true, true},
		{"editor", fmt.Sprintf("?unit=%d", otherUnit.ID), []string{foreignID}, []string{ownID}, true, true},
		{"editor", "?state=published", nil, []string{ownID, foreignID}, true, true},
		{"admin", "?state=draft&sort=updated", []string{ownID, foreignID}, nil, true, true},
	} {
		res, d := signIn(t, srv, c.who).get("/desk/articles" + c.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d", c.who, c.query, res.StatusCode)
		}
		ids := strings.Join(listIDs(d), " ") + " "
		for _, id := range c.see {
			if !strings.Contains(" "+ids, " "+id+" ") {
				t.Errorf("%s %s: story %s missing from %s", c.who, c.query, id, ids)
			}
		}
		for _, id := range c.notSee {
			if strings.Contains(" "+ids, " "+id+" ") {
				t.Errorf("%s %s: sees story %s", c.who, c.query, id)
			}
		}
		if got := d.Find(".story-table thead th").Length(); c.headers && got < 7 {
			t.Errorf("%s: %d column headers", c.who, got)
		}
		if got := d.Find(`input[name=story]`).Length() > 0; got != c.checkbox {
			t.Errorf("%s: bulk checkboxes shown = %v", c.who, got)
		}
	}
	// A filter that makes no sense is said, in the user's language, and
	// the whole list is shown.
	for _, q := range []string{"?state=lost", "?from=2026-13-01", "?after=abc", "?from=2026-05-02&to=2026-05-01", "?sort=sideways"} {
		res, d := signIn(t, srv, "editor").get("/desk/articles" + q)
		if res.StatusCode != http.StatusOK || d.Find(".error-box").Text() == "" || len(listIDs(d)) == 0 {
			t.Errorf("%s: %d, error %q, %d rows", q, res.StatusCode, d.Find(".error-box").Text(), len(listIDs(d)))
		}
	}
}

// The list's filters: column (with sub-columns), state, unit, author,
// dates, photos, and the two orders, checked against the store.
func TestStoryListFilters(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	ed := signIn(t, srv, "editor")
	cols, _ := a.Store.Columns(ctx)
	users, _ := a.Store.Users(ctx)
	var contributor model.User
	for _, u := range users {
		if u.Username == "contributor" {
			contributor = u
		}
	}
	tz, _ := time.LoadLocation("Asia/Shanghai")
	from := demoUntil.AddDate(0, 0, -20).In(tz)
	for _, c := range []struct {
		query string
		want  store.ListQuery
	}{
		{"", store.ListQuery{}},
		{"?sort=updated", store.ListQuery{ByUpdate: true}},
		{"?state=published", store.ListQuery{Status: model.StatusPublished}},
		{fmt.Sprintf("?column=%d", cols[0].ID), store.ListQuery{ColumnIDs: subtree(cols, cols[0].ID)}},
		{fmt.Sprintf("?author=%d&sort=updated", contributor.ID), store.ListQuery{AuthorID: contributor.ID, ByUpdate: true}},
		{fmt.Sprintf("?unit=%d", contributor.UnitID), store.ListQuery{UnitID: contributor.UnitID}},
		{"?photos=1", store.ListQuery{HasPhotos: true}},
		{"?from=" + from.Format("2006-01-02") + "&to=" + demoUntil.In(tz).Format("2006-01-02"), store.ListQuery{
			From: time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, tz), To: time.Date(demoUntil.In(tz).Year(), demoUntil.In(tz).Month(), demoUntil.In(tz).Day()+1, 0, 0, 0, 0, tz)}},
	} {
		_, d := ed.get("/desk/articles" + c.query)
		c.want.Limit = 50
		want, err := a.Store.ListArticles(ctx, c.want)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := a.Store.CountArticles(ctx, c.want)
		var ids []string
		for _, x := range want {
			ids = append(ids, fmt.Sprint(x.ID))
		}
		if got := listIDs(d); strings.Join(got, ",") != strings.Join(ids, ",") || len(got) == 0 {
			t.Errorf("%s: rows %v, want %v", c.query, got, ids)
		}
		if total := d.Find(".count-total").Text(); !strings.Contains(total, fmt.Sprint(n)) {
			t.Errorf("%s: total %q, want %d", c.query, total, n)
		}
	}
}

func subtree(cols []model.Column, id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, c := range cols {
			if c.ParentID == out[i] {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

// Bulk actions: choosing stories shows a confirmation that changes
// nothing; confirming withdraws the published ones, each audited, and
// reports the draft that cannot be withdrawn with the reason. Only
// editors may act in bulk.
func TestStoryListBulkWithdrawConfirmsAuditsAndReportsRefusals(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	cols, _ := a.Store.Columns(ctx)
	var stories []model.Article
	for i, st := range []string{model.StatusPublished, model.StatusPublished, model.StatusDraft} {
		x := model.Article{ColumnID: cols[1].ID, Title: fmt.Sprintf("批量撤稿测试%d", i), Status: st, Body: "<p>正文</p>"}
		if err := a.Articles.Import(ctx, model.SystemActor("test"), &x, "test"); err != nil {
			t.Fatal(err)
		}
		stories = append(stories, x)
	}
	choose := url.Values{"action": {"withdraw"}, "back": {"/desk/articles?state=published"}}
	for _, x := range stories {
		choose.Add("story", fmt.Sprintf("%d:%d", x.ID, x.Version))
	}
	for _, who := range []string{"contributor", "reviewer"} {
		c := signIn(t, srv, who)
		form := url.Values{"csrf": {c.csrf()}}
		for k, v := range choose {
			form[k] = v
		}
		if res, _ := c.post("/desk/articles/bulk", form); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s bulk: %d", who, res.StatusCode)
		}
	}
	ed := signIn(t, srv, "editor")
	form := url.Values{"csrf": {ed.csrf()}}
	for k, v := range choose {
		form[k] = v
	}
	res, d := ed.post("/desk/articles/bulk", form)
	if res.StatusCode != http.StatusOK || d.Find("form.bulk-confirm input[name=story]").Length() != 3 || d.Find("button.bulk-confirm-withdraw").Length() != 1 {
		t.Fatalf("confirmation: %d, %d stories", res.StatusCode, d.Find("form.bulk-confirm input[name=story]").Length())
	}
	if x, _ := a.Store.Article(ctx, stories[0].ID); x.Status != model.StatusPublished {
		t.Fatalf("the confirmation changed the story: %s", x.Status)
	}
	form.Set("confirm", "1")
	form.Set("comment", "批量撤下")
	res, d = ed.post("/desk/articles/bulk", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d %s", res.StatusCode, d.Find(".error-box").Text())
	}
	if got := d.Find(".refused tbody tr").Length(); got != 1 || !strings.Contains(d.Find(".refused").Text(), stories[2].Title) {
		t.Fatalf("refused rows = %d: %q", got, d.Find(".refused").Text())
	}
	if reason := d.Find(".refused tbody td").Eq(1).Text(); reason == "" {
		t.Error("the refusal gives no reason")
	}
	for i, want := range []string{model.StatusWithdrawn, model.StatusWithdrawn, model.StatusDraft} {
		if x, _ := a.Store.Article(ctx, stories[i].ID); x.Status != want {
			t.Errorf("story %d: %s, want %s", i, x.Status, want)
		}
		es, _, _ := a.Store.AuditSearch(ctx, store.AuditQuery{Action: "withdraw", Target: fmt.Sprintf("article %d", stories[i].ID), Limit: 5})
		if n := len(es); (want == model.StatusWithdrawn) != (n == 1) {
			t.Errorf("story %d: %d withdraw audit entries", i, n)
		}
	}
	// The same choice again: the versions seen are stale now.
	res, d = ed.post("/desk/articles/bulk", form)
	if res.StatusCode != http.StatusOK || d.Find(".refused tbody tr").Length() != 3 {
		t.Fatalf("stale choice: %d, %d refused", res.StatusCode, d.Find(".refused tbody tr").Length())
	}
	// Nothing chosen, or an unknown action: said, nothing done.
	for _, f := range []url.Values{{"action": {"withdraw"}}, {"action": {"erase"}, "story": {fmt.Sprintf("%d:1", stories[2].ID)}}} {
		f.Set("csrf", ed.csrf())
		if res, d := ed.post("/desk/articles/bulk", f); res.StatusCode != http.StatusUnprocessableEntity || d.Find(".error-box").Text() == "" {
			t.Errorf("%v: %d %q", f, res.StatusCode, d.Find(".error-box").Text())
		}
	}
}

// Moving and placing in bulk go through the column and slot rules.
func TestStoryListBulkMoveAndSlot(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	cols, _ := a.Store.Columns(ctx)
	pub := model.Article{ColumnID: cols[1].ID, Title: "批量移动测试", Status: model.StatusPublished, Body: "<p>正文</p>"}
	draft := model.Article{ColumnID: cols[1].ID, Title: "批量推荐位草稿", Status: model.StatusDraft, Body: "<p>正文</p>"}
	for _, x := range []*model.Article{&pub, &draft} {
		if err := a.Articles.Import(ctx, model.SystemActor("test"), x, "test"); err != nil {
			t.Fatal(err)
		}
	}
	ed := signIn(t, srv, "editor")
	res, d := ed.post("/desk/articles/bulk", url.Values{"csrf": {ed.csrf()}, "action": {"move"}, "confirm": {"1"}, "column": {fmt.Sprint(cols[2].ID)},
		"story": {fmt.Sprintf("%d:%d", pub.ID, pub.Version)}})
	if res.StatusCode != http.StatusOK || d.Find(".refused").Length() != 0 {
		t.Fatalf("move: %d %q", res.StatusCode, d.Find(".refused, .error-box").Text())
	}
	if x, _ := a.Store.Article(ctx, pub.ID); x.ColumnID != cols[2].ID {
		t.Fatalf("moved to %d, want %d", x.ColumnID, cols[2].ID)
	}
	if es, _, _ := a.Store.AuditSearch(ctx, store.AuditQuery{Action: "move_column", Target: fmt.Sprintf("article %d", pub.ID), Limit: 5}); len(es) != 1 {
		t.Fatalf("move audit = %+v", es)
	}
	res, d = ed.post("/desk/articles/bulk", url.Values{"csrf": {ed.csrf()}, "action": {"slot"}, "confirm": {"1"}, "slot": {model.SlotRecommended},
		"story": {fmt.Sprintf("%d:0", pub.ID), fmt.Sprintf("%d:0", draft.ID)}})
	if res.StatusCode != http.StatusOK || d.Find(".refused tbody tr").Length() != 1 || !strings.Contains(d.Find(".refused").Text(), draft.Title) {
		t.Fatalf("slot: %d %q", res.StatusCode, d.Find(".refused, .error-box").Text())
	}
	ps, _ := a.Store.Placements(ctx, model.SlotRecommended)
	placed := map[int64]bool{}
	for _, p := range ps {
		placed[p.ArticleID] = true
	}
	if !placed[pub.ID] || placed[draft.ID] {
		t.Fatalf("recommended = %+v", ps)
	}
	if err := a.Slots.Remove(ctx, model.SystemActor("test"), model.SlotRecommended, pub.ID); err != nil {
		t.Fatal(err)
	}
}

// The dashboard by role: a contributor sees their drafts and returned
// stories with counts; everyone the last published (with views) and this
// month's figures by unit, counted within their scope.
func TestDashboardByRole(t *testing.T) {
	_, srv := deskServer(t)
	contributor := signIn(t, srv, "contributor")
	draft := newStory(t, contributor, "工作台上的草稿")
	sent := newStory(t, contributor, "工作台上的投稿")
	if res, _ := act(t, contributor, sent, "submit"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	_, d := contributor.get("/desk/")
	if !strings.Contains(d.Find("#drafts").Text(), "工作台上的草稿") || !strings.Contains(d.Find(".tiles").Text(), "被退回的稿件") {
		t.Errorf("contributor's drafts: %q", d.Find("#drafts").Text())
	}
	if n := d.Find(".tiles li").Length(); n < 5 {
		t.Errorf("%d tiles", n)
	}
	if n := strings.TrimSpace(d.Find("#month tfoot td").First().Text()); n == "" || n == "0" {
		t.Errorf("contributor's month: %q submitted", n)
	}
	_ = draft
	for _, who := range []string{"reviewer", "editor"} {
		_, d := signIn(t, srv, who).get("/desk/")
		if d.Find("#published").Length() != 1 || d.Find("#month").Length() != 1 {
			t.Errorf("%s: no recently published or month card", who)
		}
		// The demo's published stories have no unit: only editors see them.
		if got := d.Find("#published tbody tr").Length(); (who == "editor") != (got == 20 && d.Find("#published thead th").Length() == 4) {
			t.Errorf("%s: %d recently published", who, got)
		}
		if who == "reviewer" && d.Find("#drafts").Length() != 0 {
			t.Errorf("a reviewer (who does not write) gets a drafts list")
		}
	}
}
