package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

// testStoryList checks the desk's story list: each filter, both orders,
// and keyset pages forward and back that visit every story once.
func testStoryList(t *testing.T, s store.Store) {
	news := column(t, s, "news", 0)
	sub := column(t, s, "news-sub", news.ID)
	other := column(t, s, "other", 0)
	u1, u2 := model.Unit{Name: "研究生院"}, model.Unit{Name: "外语学院"}
	must(t, s.CreateUnit(ctx, &u1))
	must(t, s.CreateUnit(ctx, &u2))
	w1 := model.User{Username: "w1", Name: "通讯员甲", PasswordHash: "x", Roles: []string{model.RoleContributor}, UnitID: u1.ID}
	w2 := model.User{Username: "w2", Name: "通讯员乙", PasswordHash: "x", Roles: []string{model.RoleContributor}, UnitID: u2.ID}
	must(t, s.CreateUser(ctx, &w1))
	must(t, s.CreateUser(ctx, &w2))
	pic := model.Media{Key: "ab/p.jpg", Name: "p.jpg", ContentType: "image/jpeg", Size: 10, Checksum: "p"}
	doc := model.Media{Key: "ab/d.pdf", Name: "d.pdf", ContentType: "application/pdf", Size: 10, Checksum: "d"}
	must(t, s.CreateMedia(ctx, &pic))
	must(t, s.CreateMedia(ctx, &doc))

	// 23 stories: i%3 picks the column, i%2 the author and unit, every
	// fourth a draft (never published), every fifth with a photo, every
	// seventh with an attachment only. Some share a publication time, so
	// the id breaks the tie. Update times run the other way.
	cols := []int64{news.ID, sub.ID, other.ID}
	byID := map[int64]model.Article{}
	for i := range 23 {
		w := []model.User{w1, w2}[i%2]
		a := model.Article{ColumnID: cols[i%3], Title: fmt.Sprintf("稿件%02d", i), Body: "<p>正文</p>", Status: model.StatusPublished,
			PublishedAt: day0.Add(time.Duration(i/2) * time.Hour), AuthorID: w.ID, UnitID: w.UnitID,
			CreatedAt: day0, UpdatedAt: day0.Add(time.Duration(100-i) * time.Hour)}
		if i%4 == 0 {
			a.Status, a.PublishedAt = model.StatusDraft, time.Time{}
		}
		switch {
		case i%5 == 0:
			a.Body += fmt.Sprintf(`<figure><img src="/media/%d/p.jpg" alt="图"></figure>`, pic.ID)
		case i%7 == 0:
			a.Body += fmt.Sprintf(`<p><a href="/media/%d/d.pdf">附件</a></p>`, doc.ID)
		}
		must(t, s.CreateArticle(ctx, &a))
		byID[a.ID] = a
	}
	// want is the stories keep selects, in the list's order.
	want := func(q store.ListQuery, keep func(model.Article) bool) []int64 {
		var as []model.Article
		for _, a := range byID {
			if keep(a) {
				as = append(as, a)
			}
		}
		at := func(a model.Article) time.Time {
			if q.ByUpdate {
				return a.UpdatedAt
			}
			return a.PublishedAt
		}
		slices.SortFunc(as, func(x, y model.Article) int {
			if c := at(y).Compare(at(x)); c != 0 {
				return c
			}
			return int(y.ID - x.ID)
		})
		var ids []int64
		for _, a := range as {
			ids = append(ids, a.ID)
		}
		return ids
	}
	keyOf := func(q store.ListQuery, a model.Article) store.ListKey {
		if q.ByUpdate {
			return store.ListKey{At: a.UpdatedAt, ID: a.ID}
		}
		return store.ListKey{At: a.PublishedAt, ID: a.ID}
	}
	// walk pages through q forward, 4 at a time, then back from the last
	// page, and checks both visit want once each, in order.
	walk := func(name string, q store.ListQuery, keep func(model.Article) bool) {
		t.Helper()
		expect := want(q, keep)
		n, err := s.CountArticles(ctx, q)
		must(t, err)
		if n != len(expect) {
			t.Errorf("%s: count = %d, want %d", name, n, len(expect))
		}
		q.Limit = 4
		var seen []int64
		var pages [][]model.Article
		for range 20 {
			page, err := s.ListArticles(ctx, q)
			must(t, err)
			for _, a := range page {
				seen = append(seen, a.ID)
				if a.Body != "" || a.Title != byID[a.ID].Title {
					t.Fatalf("%s: list row %+v (no body expected)", name, a)
				}
			}
			if len(page) == 0 {
				break
			}
			pages = append(pages, page)
			q.After = keyOf(q, page[len(page)-1])
		}
		if !slices.Equal(seen, expect) {
			t.Fatalf("%s: forward pages = %v, want %v", name, seen, expect)
		}
		// Back from the last page: each page before ends just before the
		// first row of the one after.
		for i := len(pages) - 1; i > 0; i-- {
			back := q
			back.After, back.Before = store.ListKey{}, keyOf(q, pages[i][0])
			prev, err := s.ListArticles(ctx, back)
			must(t, err)
			if got, wantIDs := ids(prev), ids(pages[i-1]); !slices.Equal(got, wantIDs) {
				t.Fatalf("%s: back from page %d = %v, want %v", name, i+1, got, wantIDs)
			}
		}
	}
	usesPic := func(a model.Article) bool {
		return a.Title != "" && slices.Contains([]int{0, 5, 10, 15, 20}, titleNumber(a.Title))
	}
	walk("everything by publication", store.ListQuery{}, func(model.Article) bool { return true })
	walk("everything by update", store.ListQuery{ByUpdate: true}, func(model.Article) bool { return true })
	walk("column with sub-column", store.ListQuery{ColumnIDs: []int64{news.ID, sub.ID}}, func(a model.Article) bool { return a.ColumnID != other.ID })
	walk("column with sub-column by update", store.ListQuery{ColumnIDs: []int64{news.ID, sub.ID}, ByUpdate: true}, func(a model.Article) bool { return a.ColumnID != other.ID })
	walk("one column", store.ListQuery{ColumnIDs: []int64{other.ID}}, func(a model.Article) bool { return a.ColumnID == other.ID })
	walk("drafts", store.ListQuery{Status: model.StatusDraft, ByUpdate: true}, func(a model.Article) bool { return a.Status == model.StatusDraft })
	walk("unit", store.ListQuery{UnitID: u2.ID}, func(a model.Article) bool { return a.UnitID == u2.ID })
	walk("author and state", store.ListQuery{AuthorID: w1.ID, Status: model.StatusPublished}, func(a model.Article) bool {
		return a.AuthorID == w1.ID && a.Status == model.StatusPublished
	})
	walk("photos", store.ListQuery{HasPhotos: true}, usesPic)
	from, to := day0.Add(2*time.Hour), day0.Add(6*time.Hour)
	walk("published between", store.ListQuery{From: from, To: to}, func(a model.Article) bool {
		return !a.PublishedAt.Before(from) && a.PublishedAt.Before(to)
	})
	ufrom := day0.Add(90 * time.Hour)
	walk("updated since, photos, column", store.ListQuery{From: ufrom, ByUpdate: true, HasPhotos: true, ColumnIDs: []int64{news.ID, sub.ID, other.ID}}, func(a model.Article) bool {
		return !a.UpdatedAt.Before(ufrom) && usesPic(a)
	})
	walk("nothing", store.ListQuery{UnitID: u1.ID, AuthorID: w2.ID}, func(model.Article) bool { return false })
}

func ids(as []model.Article) []int64 {
	var out []int64
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func titleNumber(title string) int {
	var n int
	fmt.Sscanf(title, "稿件%d", &n)
	return n
}

// testFigures counts by unit the stories submitted (once each) and
// published in a period, within a unit's or an author's scope.
func testFigures(t *testing.T, s store.Store) {
	c := column(t, s, "news", 0)
	u1, u2 := model.Unit{Name: "研究生院"}, model.Unit{Name: "外语学院"}
	must(t, s.CreateUnit(ctx, &u1))
	must(t, s.CreateUnit(ctx, &u2))
	w := model.User{Username: "w", Name: "通讯员", PasswordHash: "x", Roles: []string{model.RoleContributor}, UnitID: u1.ID}
	must(t, s.CreateUser(ctx, &w))
	now := time.Now()
	submit := func(unit, author int64) {
		a := model.Article{ColumnID: c.ID, Title: "投稿", Status: model.StatusDraft, UnitID: unit, AuthorID: author}
		must(t, s.CreateArticle(ctx, &a))
		for range 2 { // submitted, returned, submitted again: one story
			a.Status = model.StatusSubmitted
			must(t, s.TransitionArticle(ctx, &a, model.Event{Action: "submit", From: model.StatusDraft, To: model.StatusSubmitted}))
		}
	}
	submit(u1.ID, w.ID)
	submit(u1.ID, 0)
	submit(u2.ID, 0)
	for i, at := range []time.Time{now.Add(-time.Hour), now.Add(-2 * time.Hour), now.AddDate(0, -3, 0)} {
		a := model.Article{ColumnID: c.ID, Title: "发布", Status: model.StatusPublished, PublishedAt: at, UnitID: u2.ID}
		if i == 1 {
			a.Status = model.StatusWithdrawn
		}
		must(t, s.CreateArticle(ctx, &a))
	}
	from, to := now.AddDate(0, 0, -7), now.Add(time.Hour)
	for _, c := range []struct {
		q    store.FiguresQuery
		want []store.UnitFigures
	}{
		{store.FiguresQuery{}, []store.UnitFigures{{UnitID: u1.ID, Submitted: 2}, {UnitID: u2.ID, Submitted: 1, Published: 1}}},
		{store.FiguresQuery{UnitID: u2.ID}, []store.UnitFigures{{UnitID: u2.ID, Submitted: 1, Published: 1}}},
		{store.FiguresQuery{AuthorID: w.ID}, []store.UnitFigures{{UnitID: u1.ID, Submitted: 1}}},
	} {
		c.q.From, c.q.To = from, to
		got, err := s.Figures(ctx, c.q)
		must(t, err)
		if !slices.Equal(got, c.want) {
			t.Errorf("figures %+v = %+v, want %+v", c.q, got, c.want)
		}
	}
	got, err := s.Figures(ctx, store.FiguresQuery{From: now.AddDate(-1, 0, 0), To: now.AddDate(0, 0, -8)})
	must(t, err)
	if len(got) != 1 || got[0].Published != 1 || got[0].Submitted != 0 {
		t.Errorf("figures of an earlier period = %+v", got)
	}
}
