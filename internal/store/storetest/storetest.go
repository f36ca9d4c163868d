// Package storetest is the one test suite every store.Store backend must pass.
// Each backend's tests call Run with a function that opens an empty store.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/search"
	"newsdesk/internal/store"
)

// Run runs the suite; open must return a new, empty, migrated store.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"ColumnsNestAndOrder", testColumns},
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"ArticleUpdateRefusesStaleVersion", testArticleConflict},
		{"WorkingCopiesLeavePublishedTextAlone", testWorkingCopies},
		{"EditLocksHeldRenewedTakenAndReleased", testEditLocks},
		{"AnnotationsRepliesAndResolution", testAnnotations},
		{"ArticlesFilterAndPage", testArticlesQuery},
		{"PublishedDaysKeptOnEveryWrite", testPublishedDays},
		{"StoryListFiltersAndKeysetPages", testStoryList},
		{"UpdatedStubsSeeEditsWithdrawalsAndNewStories", testUpdatedStubs},
		{"FiguresByUnitForAPeriod", testFigures},
		{"ViewsAdd", testViews},
		{"MediaRoundTrip", testMedia},
		{"MediaLibraryUsesAndDelete", testMediaLibrary},
		{"MediaVariants", testVariants},
		{"JobsClaimedOnceAndRetried", testJobs},
		{"OutboxQueuedUpdatedAndListed", testOutbox},
		{"NotificationsOnceUnreadAndRead", testNotifications},
		{"ApproverLinksUsedOnceOrRevoked", testApproverLinks},
		{"SlotsOrderExpireAndHideUnpublished", testSlots},
		{"SlotVersionsAdvanceOnlyFromTheCurrent", testSlotVersions},
		{"PagesUpsert", testPages},
		{"SettingsUpsert", testSettings},
		{"CheckRulesVersioned", testCheckRules},
		{"CheckAcksKept", testCheckAcks},
		{"CheckAuditRectificationFollowsRescans", testCheckAudit},
		{"MissingIsNotFound", testNotFound},
		{"SearchMatchesRanksAndFilters", testSearch},
		{"TxCommitsTogetherOrNotAtAll", testTx},
		{"TokensFoundByHashListedAndRevoked", testTokens},
		{"CampusIdentitiesDepartmentsAndTickets", testCampus},
		{"SignInFailuresCountedAndCleared", testSignInFailures},
		{"CreateUserKeepsDisabledAndCreatedAt", testCreateUserKeeps},
		{"SessionsListedAndTouched", testSessions},
		{"PasswordHistoryKeepsTheLast", testPasswordHistory},
		{"TwoFactorSecretsAndRecoveryCodes", testTwoFactor},
		{"PasskeysStoredListedUsedAndRemoved", testPasskeys},
		{"PasskeyChallengesTakenOnceUntilExpiry", testPasskeyChallenges},
		{"ImportRecordsOncePerSourceAndAddress", testImportRecords},
		{"RestoredHistoryKeepsVersionsAndEvents", testRestoreHistory},
		{"RedirectsByPathOnceEach", testRedirects},
		{"ReviewChainsStepsInboxAndDecisions", testReviewChains},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func column(t *testing.T, s store.Store, slug string, parent int64) model.Column {
	t.Helper()
	c := model.Column{Slug: slug, Name: "栏目" + slug, ParentID: parent}
	must(t, s.CreateColumn(ctx, &c))
	return c
}

func article(t *testing.T, s store.Store, col int64, title string, pub time.Time) model.Article {
	t.Helper()
	a := model.Article{ColumnID: col, Title: title, Summary: "摘要" + title, Body: "<p>正文</p>", Status: model.StatusPublished, PublishedAt: pub}
	must(t, s.CreateArticle(ctx, &a))
	return a
}

var day0 = time.Date(2020, 11, 5, 6, 0, 0, 0, time.UTC)

func testColumns(t *testing.T, s store.Store) {
	top := column(t, s, "news", 0)
	child := model.Column{Slug: "news-school", Name: "学校要闻", ParentID: top.ID, Position: -1, UpdateDays: 14}
	must(t, s.CreateColumn(ctx, &child))
	cols, err := s.Columns(ctx)
	must(t, err)
	if len(cols) != 2 || cols[0].ID != child.ID || cols[0].ParentID != top.ID || cols[1].ParentID != 0 || cols[0].UpdateDays != 14 || cols[1].UpdateDays != 0 {
		t.Fatalf("columns = %+v", cols)
	}
	child.Name, child.Position, child.UpdateDays = "学校新闻", 5, 0
	must(t, s.UpdateColumn(ctx, &child))
	cols, _ = s.Columns(ctx)
	if cols[1].Name != "学校新闻" || cols[1].UpdateDays != 0 {
		t.Fatalf("renamed column not saved: %+v", cols)
	}
	if err := s.CreateColumn(ctx, &model.Column{Slug: "news", Name: "重复"}); err == nil {
		t.Fatal("duplicate slug accepted")
	}
}

func testArticleRoundTrip(t *testing.T, s store.Store) {
	c := column(t, s, "news", 0)
	m := model.Media{Key: "ab/abc.jpg", Name: "图片1.jpg", ContentType: "image/jpeg", Size: 10, Checksum: "abc"}
	must(t, s.CreateMedia(ctx, &m))
	in := model.Article{ColumnID: c.ID, Kicker: "引题", Title: "标题", Subtitle: "副题", Summary: "摘要", Body: "<p>一</p>",
		LeadMediaID: m.ID, Status: model.StatusPublished, PublishedAt: day0,
		Credits: model.Credits{Photographers: []string{"刘孟秋", "曹文玥"}, Writers: []string{"甲"}, Editor: "乙", Unit: "丙", Source: "丁"}}
	must(t, s.CreateArticle(ctx, &in))
	got, err := s.Article(ctx, in.ID)
	must(t, err)
	if got.Title != "标题" || got.Kicker != "引题" || got.Subtitle != "副题" || got.LeadMediaID != m.ID || !got.PublishedAt.Equal(day0) ||
		got.Version != 1 || len(got.Credits.Photographers) != 2 || got.Credits.Photographers[1] != "曹文玥" || got.Credits.Source != "丁" {
		t.Fatalf("round trip = %+v", got)
	}
}

func testArticleConflict(t *testing.T, s store.Store) {
	c := column(t, s, "news", 0)
	a := article(t, s, c.ID, "原题", day0)
	first, second := a, a
	first.Title = "甲改"
	must(t, s.UpdateArticle(ctx, &first))
	if first.Version != 2 {
		t.Fatalf("version after update = %d", first.Version)
	}
	second.Title = "乙改"
	if err := s.UpdateArticle(ctx, &second); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("stale update: err = %v, want ErrConflict", err)
	}
	got, _ := s.Article(ctx, a.ID)
	if got.Title != "甲改" {
		t.Fatalf("stale update overwrote: %q", got.Title)
	}
	missing := model.Article{ID: 999, Version: 1, Title: "x", ColumnID: c.ID, Status: model.StatusDraft}
	if err := s.UpdateArticle(ctx, &missing); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("update missing: %v", err)
	}
}

func testArticlesQuery(t *testing.T, s store.Store) {
	a := column(t, s, "a", 0)
	b := column(t, s, "b", 0)
	for i := 0; i < 5; i++ {
		article(t, s, a.ID, "A", day0.AddDate(0, i, 0))
	}
	article(t, s, b.ID, "B", day0)
	draft := model.Article{ColumnID: a.ID, Title: "草稿", Status: model.StatusDraft}
	must(t, s.CreateArticle(ctx, &draft))
	future := article(t, s, a.ID, "未来", day0.AddDate(5, 0, 0))

	now := day0.AddDate(1, 0, 0)
	got, total, err := s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{a.ID}, Status: model.StatusPublished, PublishedBy: now, Limit: 2, Offset: 1})
	must(t, err)
	if total != 5 || len(got) != 2 || !got[0].PublishedAt.Equal(day0.AddDate(0, 3, 0)) {
		t.Fatalf("page = %d of %d, first %v", len(got), total, got)
	}
	oldest, _, _ := s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{a.ID}, Status: model.StatusPublished, OldestFirst: true, Limit: 1})
	if len(oldest) != 1 || !oldest[0].PublishedAt.Equal(day0) {
		t.Fatalf("oldest first = %+v", oldest)
	}
	_, total, _ = s.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: now})
	if total != 6 {
		t.Fatalf("all published total = %d, want 6 (no draft, no future)", total)
	}
	_, total, _ = s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{a.ID, b.ID}, From: day0, To: day0.AddDate(0, 1, 0), Status: model.StatusPublished})
	if total != 2 {
		t.Fatalf("month total = %d, want 2", total)
	}
	// Several columns page as one list, in date order across them.
	var aIDs []int64
	all, _, err := s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{a.ID}, Status: model.StatusPublished, PublishedBy: now, OldestFirst: true})
	must(t, err)
	for _, x := range all {
		aIDs = append(aIDs, x.ID)
	}
	bs, _, err := s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{b.ID}})
	must(t, err)
	mixed, total, err := s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{a.ID, b.ID}, Status: model.StatusPublished, PublishedBy: now, Limit: 3, Offset: 3})
	must(t, err)
	var got3 []int64
	for _, x := range mixed {
		got3 = append(got3, x.ID)
	}
	if want := []int64{aIDs[1], bs[0].ID, aIDs[0]}; total != 6 || !slices.Equal(got3, want) {
		t.Fatalf("two columns, page 2 of 3: %v of %d, want %v of 6", got3, total, want)
	}
	oldest2, _, err := s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{b.ID, a.ID}, Status: model.StatusPublished, OldestFirst: true, Limit: 2, NoTotal: true})
	must(t, err)
	if len(oldest2) != 2 || oldest2[0].ID != aIDs[0] || oldest2[1].ID != bs[0].ID {
		t.Fatalf("two columns oldest first = %+v", oldest2)
	}
	days, err := s.PublishedDays(ctx, nil, now, 8*3600)
	must(t, err)
	if len(days) != 5 || days[0].Count != 1 || days[4].Count != 2 || days[4].Day != day0.Add(8*time.Hour).Unix()/86400 {
		t.Fatalf("published days = %+v, want 5 days, the oldest with 2", days)
	}
	// Keyset pages of stubs visit every public article once, newest first.
	var stubs []model.ArticleStub
	for after := (model.ArticleStub{}); ; {
		page, err := s.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, After: after, Limit: 4})
		must(t, err)
		stubs = append(stubs, page...)
		if len(page) < 4 {
			break
		}
		after = page[len(page)-1]
	}
	if len(stubs) != 6 || !stubs[0].PublishedAt.Equal(day0.AddDate(0, 4, 0)) || stubs[0].ColumnID != a.ID || stubs[0].UpdatedAt.IsZero() {
		t.Fatalf("stubs = %+v, want the 6 public articles newest first", stubs)
	}
	if stubs[4].PublishedAt.Equal(stubs[5].PublishedAt) && stubs[4].ID < stubs[5].ID {
		t.Fatalf("stubs of one time are not by id, newest first: %+v", stubs[4:])
	}
	// Oldest first, by keyset pages of 4 and from a time with a skip,
	// they are the same stubs the other way round.
	var ascending []model.ArticleStub
	for after := (model.ArticleStub{}); ; {
		page, err := s.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, After: after, Limit: 4, OldestFirst: true})
		must(t, err)
		ascending = append(ascending, page...)
		if len(page) < 4 {
			break
		}
		after = page[len(page)-1]
	}
	reversed := slices.Clone(stubs)
	slices.Reverse(reversed)
	if !slices.Equal(ascending, reversed) {
		t.Fatalf("stubs oldest first = %+v, want %+v", ascending, reversed)
	}
	third, err := s.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, OldestFirst: true, From: reversed[2].PublishedAt, Skip: 1, Limit: 2})
	must(t, err)
	if want := reversed[3:5]; reversed[2].PublishedAt.Equal(reversed[1].PublishedAt) || !slices.Equal(third, want) {
		t.Fatalf("oldest first from %v, skipping 1 = %+v, want %+v", reversed[2].PublishedAt, third, want)
	}
	skipped, err := s.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, Skip: 5, Limit: 10})
	must(t, err)
	inB, err := s.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, ColumnIDs: []int64{b.ID}})
	must(t, err)
	if len(skipped) != 1 || skipped[0].ID != stubs[5].ID || len(inB) != 1 || inB[0].ColumnID != b.ID {
		t.Fatalf("skip 5 = %+v, column b = %+v", skipped, inB)
	}
	titled, err := s.PublishedStubs(ctx, model.StubQuery{PublishedBy: now, Limit: 1, Titles: true})
	must(t, err)
	if full, err := s.Article(ctx, stubs[0].ID); err != nil || len(titled) != 1 || titled[0].Title != full.Title || full.Title == "" || stubs[0].Title != "" {
		t.Fatalf("stub with title = %+v (article %q, %v); without, %q", titled, full.Title, err, stubs[0].Title)
	}
	_ = future
	// Keyset pages of one column, newest first, are its list in order.
	var keyset []int64
	for after := (model.ArticleStub{}); ; {
		page, _, err := s.Articles(ctx, store.ArticleQuery{ColumnIDs: []int64{a.ID}, Status: model.StatusPublished, PublishedBy: now, After: after, Limit: 2, NoTotal: true})
		must(t, err)
		for _, p := range page {
			keyset = append(keyset, p.ID)
			after = model.ArticleStub{ID: p.ID, PublishedAt: p.PublishedAt}
		}
		if len(page) < 2 || len(keyset) > 2*len(aIDs) {
			break
		}
	}
	newest := slices.Clone(aIDs)
	slices.Reverse(newest)
	if len(newest) < 4 || !slices.Equal(keyset, newest) {
		t.Fatalf("keyset pages of column a = %v, want %v", keyset, newest)
	}
	// Without the bodies, the rest of each row is as with them.
	whole, _, err := s.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: now, NoTotal: true})
	must(t, err)
	cards, _, err := s.Articles(ctx, store.ArticleQuery{Status: model.StatusPublished, PublishedBy: now, NoTotal: true, NoBody: true})
	must(t, err)
	for i := range whole {
		if whole[i].Body == "" {
			t.Fatalf("article %d has no body to leave out", whole[i].ID)
		}
		whole[i].Body = ""
	}
	if !reflect.DeepEqual(cards, whole) {
		t.Fatalf("NoBody: %+v, want %+v", cards, whole)
	}
	// Paging by id visits every article once, whatever its state or date.
	var seen []int64
	for after := int64(0); ; {
		page, _, err := s.Articles(ctx, store.ArticleQuery{ByID: true, AfterID: after, Limit: 3, NoTotal: true})
		must(t, err)
		for _, p := range page {
			seen = append(seen, p.ID)
			after = p.ID
		}
		if len(page) < 3 {
			break
		}
	}
	if len(seen) != 8 || !slices.IsSorted(seen) || seen[0] >= seen[7] {
		t.Fatalf("by id = %v, want 8 ascending ids", seen)
	}
}

func testViews(t *testing.T, s store.Store) {
	c := column(t, s, "a", 0)
	x := article(t, s, c.ID, "x", day0)
	y := article(t, s, c.ID, "y", day0)
	must(t, s.AddViews(ctx, map[int64]int64{x.ID: 3, y.ID: 1}))
	must(t, s.AddViews(ctx, map[int64]int64{x.ID: 2}))
	gx, _ := s.Article(ctx, x.ID)
	gy, _ := s.Article(ctx, y.ID)
	if gx.Views != 5 || gy.Views != 1 || gx.Version != 1 {
		t.Fatalf("views x=%d y=%d version=%d", gx.Views, gy.Views, gx.Version)
	}
}

func testMedia(t *testing.T, s store.Store) {
	m := model.Media{Key: "k", Name: "图片1.jpg", ContentType: "image/jpeg", Width: 1200, Height: 800, Size: 1234, Checksum: "c", Caption: "说明", Alt: "替代"}
	must(t, s.CreateMedia(ctx, &m))
	m.Caption, m.Credit = "新说明", "刘孟秋"
	must(t, s.UpdateMedia(ctx, &m))
	got, err := s.Media(ctx, m.ID)
	must(t, err)
	if got.Caption != "新说明" || got.Credit != "刘孟秋" || got.Width != 1200 || got.Alt != "替代" || got.Size != 1234 {
		t.Fatalf("media = %+v", got)
	}
}

func testMediaLibrary(t *testing.T, s store.Store) {
	u := model.User{Username: "liu", Name: "刘孟秋", PasswordHash: "x", Roles: []string{model.RoleContributor}}
	must(t, s.CreateUser(ctx, &u))
	a := model.Media{Key: "a", Name: "操场.jpg", ContentType: "image/jpeg", Size: 1, Checksum: "a", Caption: "运动会开幕式", Credit: "曹文玥"}
	b := model.Media{Key: "b", Name: "b.png", ContentType: "image/png", Size: 1, Checksum: "b", Caption: "图书馆 100%", UploadedBy: u.ID, CreatedAt: day0.Add(time.Hour)}
	doc := model.Media{Key: "c", Name: "通知.pdf", ContentType: "application/pdf", Size: 1, Checksum: "c", CreatedAt: day0.Add(2 * time.Hour)}
	a.CreatedAt = day0
	for _, m := range []*model.Media{&a, &b, &doc} {
		must(t, s.CreateMedia(ctx, m))
	}
	if got, _ := s.Media(ctx, b.ID); got.Uploader != "刘孟秋" || got.OriginalKey != "b" {
		t.Fatalf("uploader %q, original key %q", got.Uploader, got.OriginalKey)
	}
	for _, c := range []struct {
		q    store.MediaQuery
		want []int64
	}{
		{store.MediaQuery{}, []int64{doc.ID, b.ID, a.ID}},
		{store.MediaQuery{Images: true}, []int64{b.ID, a.ID}},
		{store.MediaQuery{Text: "曹文玥"}, []int64{a.ID}},   // credit
		{store.MediaQuery{Text: "刘孟秋"}, []int64{b.ID}},   // uploader
		{store.MediaQuery{Text: "开幕 运动"}, []int64{a.ID}}, // every word, in the caption
		{store.MediaQuery{Text: "%"}, []int64{b.ID}},     // LIKE's wildcard matches itself
		{store.MediaQuery{Text: "操场"}, []int64{a.ID}},    // file name
		{store.MediaQuery{Text: "B.PNG"}, []int64{b.ID}}, // case ignored, on every store
		{store.MediaQuery{Limit: 1, Offset: 1}, []int64{b.ID}},
	} {
		got, total, err := s.MediaList(ctx, c.q)
		must(t, err)
		var ids []int64
		for _, m := range got {
			ids = append(ids, m.ID)
		}
		if !slices.Equal(ids, c.want) || (c.q.Limit == 0 && total != len(c.want)) {
			t.Errorf("MediaList(%+v) = %v (total %d), want %v", c.q, ids, total, c.want)
		}
	}
	byID, err := s.MediaByIDs(ctx, []int64{a.ID, doc.ID, 9999})
	must(t, err)
	if len(byID) != 2 || byID[a.ID].Caption != "运动会开幕式" {
		t.Fatalf("MediaByIDs = %v", byID)
	}

	// Uses follow every save: the body's figures and the lead image.
	col := column(t, s, "news", 0)
	art := model.Article{ColumnID: col.ID, Title: "运动会", Status: model.StatusDraft, LeadMediaID: a.ID,
		Body: `<figure><img src="/media/` + strconv.FormatInt(b.ID, 10) + `/b.png" alt="x"></figure><p><a href="/media/9999/x.pdf">x</a></p>`}
	must(t, s.CreateArticle(ctx, &art))
	for id, want := range map[int64]int{a.ID: 1, b.ID: 1, doc.ID: 0} {
		uses, err := s.MediaUses(ctx, id)
		must(t, err)
		if len(uses) != want || (want == 1 && uses[0].ID != art.ID) {
			t.Errorf("media %d used by %d articles, want %d", id, len(uses), want)
		}
	}
	// Served to anyone only while a published story uses it, or marked public.
	if m, _ := s.Media(ctx, a.ID); m.InPublished || m.Public {
		t.Errorf("a draft's file: in published %t, public %t", m.InPublished, m.Public)
	}
	art.Status = model.StatusPublished
	must(t, s.UpdateArticle(ctx, &art))
	if m, _ := s.Media(ctx, a.ID); !m.InPublished {
		t.Error("a published story's file is not in published")
	}
	must(t, s.SetMediaPublic(ctx, doc.ID, true))
	if m, _ := s.Media(ctx, doc.ID); !m.Public || m.InPublished {
		t.Errorf("marked file: public %t, in published %t", m.Public, m.InPublished)
	}
	must(t, s.SetMediaPublic(ctx, doc.ID, false))
	if m, _ := s.Media(ctx, doc.ID); m.Public {
		t.Error("the public mark did not go")
	}
	if err := s.SetMediaPublic(ctx, 9999, true); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("marking a missing file: %v", err)
	}
	must(t, s.SetMediaUnreadable(ctx, a.ID, "png: invalid format"))
	if m, _ := s.Media(ctx, a.ID); m.Unreadable != "png: invalid format" {
		t.Errorf("unreadable mark: %q", m.Unreadable)
	}
	if ms, _, _ := s.MediaList(ctx, store.MediaQuery{Checksum: a.Checksum}); len(ms) != 1 || ms[0].Unreadable == "" {
		t.Errorf("the library list does not show the unreadable mark: %+v", ms)
	}
	must(t, s.SetMediaUnreadable(ctx, a.ID, ""))
	if m, _ := s.Media(ctx, a.ID); m.Unreadable != "" {
		t.Error("the unreadable mark did not go")
	}
	if err := s.SetMediaUnreadable(ctx, 9999, "x"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("marking a missing file unreadable: %v", err)
	}
	var inUse *model.InvalidError
	if err := s.DeleteMedia(ctx, b.ID); !errors.As(err, &inUse) || inUse.Code != "media_in_use" {
		t.Fatalf("deleting a used file: %v", err)
	}
	art.Body = "<p>没有图片</p>"
	must(t, s.UpdateArticle(ctx, &art))
	if uses, _ := s.MediaUses(ctx, b.ID); len(uses) != 0 {
		t.Fatalf("after the figure went, still used by %d", len(uses))
	}
	must(t, s.SetVariants(ctx, b.ID, []model.Variant{{Width: 480, Height: 320, ContentType: "image/webp", Key: "v/b-480.webp", Size: 9}}))
	must(t, s.DeleteMedia(ctx, b.ID))
	if _, err := s.Media(ctx, b.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("deleted media still there: %v", err)
	}
	if _, err := s.VariantByKey(ctx, "v/b-480.webp"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("deleted media's variant still there: %v", err)
	}
	if err := s.DeleteMedia(ctx, b.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("deleting again: %v", err)
	}
}

func testVariants(t *testing.T, s store.Store) {
	m := model.Media{Key: "k", Name: "p.jpg", ContentType: "image/jpeg", Size: 1, Checksum: "k"}
	must(t, s.CreateMedia(ctx, &m))
	vs := []model.Variant{
		{Width: 960, Height: 640, ContentType: "image/jpeg", Key: "v/k-960.jpg", Size: 3},
		{Width: 480, Height: 320, ContentType: "image/webp", Key: "v/k-480.webp", Size: 1},
		{Width: 480, Height: 320, ContentType: "image/jpeg", Key: "v/k-480.jpg", Size: 2},
	}
	must(t, s.SetVariants(ctx, m.ID, vs))
	must(t, s.SetVariants(ctx, m.ID, vs)) // replacing is not a conflict
	got, err := s.Variants(ctx, []int64{m.ID, 777})
	must(t, err)
	if len(got[m.ID]) != 3 || got[m.ID][0].Width != 480 || got[m.ID][2].Width != 960 || len(got) != 1 {
		t.Fatalf("variants = %+v", got)
	}
	v, err := s.VariantByKey(ctx, "v/k-480.webp")
	must(t, err)
	if v.MediaID != m.ID || v.ContentType != "image/webp" || v.Size != 1 {
		t.Fatalf("variant = %+v", v)
	}
}

func testJobs(t *testing.T, s store.Store) {
	now := day0
	must(t, s.EnqueueJob(ctx, model.JobVariants, 1, now))
	must(t, s.EnqueueJob(ctx, model.JobVariants, 1, now)) // once only
	must(t, s.EnqueueJob(ctx, model.JobVariants, 2, now.Add(time.Minute)))
	j, err := s.ClaimJob(ctx, now, time.Minute)
	must(t, err)
	if j.Kind != model.JobVariants || j.Ref != 1 || j.Attempts != 1 {
		t.Fatalf("claimed %+v", j)
	}
	// Leased: nobody else gets it; the other is not due yet.
	if _, err := s.ClaimJob(ctx, now.Add(30*time.Second), time.Minute); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("second claim: %v", err)
	}
	must(t, s.RetryJob(ctx, j.ID, now.Add(2*time.Minute), "decode: truncated"))
	j2, err := s.ClaimJob(ctx, now.Add(90*time.Second), time.Minute)
	must(t, err)
	if j2.Ref != 2 {
		t.Fatalf("due next is %+v, want ref 2", j2)
	}
	must(t, s.FinishJob(ctx, j2.ID))
	// A lease that ran out (the worker died) frees the job again.
	j3, err := s.ClaimJob(ctx, now.Add(3*time.Minute), time.Minute)
	must(t, err)
	if j3.ID != j.ID || j3.Attempts != 2 || j3.LastError != "decode: truncated" {
		t.Fatalf("retried job = %+v", j3)
	}
	j4, err := s.ClaimJob(ctx, now.Add(5*time.Minute), time.Minute)
	must(t, err)
	if j4.ID != j.ID || j4.Attempts != 3 {
		t.Fatalf("after its lease ran out: %+v", j4)
	}
	must(t, s.RetryJob(ctx, j.ID, time.Time{}, "given up"))
	if _, err := s.ClaimJob(ctx, now.AddDate(1, 0, 0), time.Minute); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("a given-up job was claimed: %v", err)
	}
	counts, err := s.Jobs(ctx)
	must(t, err)
	if counts[model.JobVariants] != 1 {
		t.Fatalf("jobs = %v", counts)
	}
}

func testSlots(t *testing.T, s store.Store) {
	c := column(t, s, "a", 0)
	x := article(t, s, c.ID, "x", day0)
	y := article(t, s, c.ID, "y", day0.AddDate(0, 0, 1))
	z := article(t, s, c.ID, "z", day0)
	draft := model.Article{ColumnID: c.ID, Title: "d", Status: model.StatusDraft}
	must(t, s.CreateArticle(ctx, &draft))
	now := day0.AddDate(0, 1, 0)
	must(t, s.SetPlacement(ctx, model.Placement{Slot: model.SlotFocus, ArticleID: y.ID, Position: 2}))
	must(t, s.SetPlacement(ctx, model.Placement{Slot: model.SlotFocus, ArticleID: x.ID, Position: 1}))
	must(t, s.SetPlacement(ctx, model.Placement{Slot: model.SlotFocus, ArticleID: z.ID, Position: 0, ExpiresAt: now.Add(-time.Hour)}))
	must(t, s.SetPlacement(ctx, model.Placement{Slot: model.SlotFocus, ArticleID: draft.ID, Position: 0}))
	must(t, s.SetPlacement(ctx, model.Placement{Slot: model.SlotRecommended, ArticleID: z.ID, Position: 0}))
	all, err := s.Placements(ctx, model.SlotFocus)
	must(t, err)
	if len(all) != 4 || all[len(all)-1].ArticleID != y.ID || all[len(all)-1].Position != 2 {
		t.Fatalf("all focus placements (expired and drafts too) = %+v", all)
	}
	got, total, err := s.Placed(ctx, model.SlotFocus, now, 10, 0)
	must(t, err)
	if total != 2 || len(got) != 2 || got[0].ID != x.ID || got[1].ID != y.ID {
		t.Fatalf("focus = %d %+v", total, got)
	}
	must(t, s.SetPlacement(ctx, model.Placement{Slot: model.SlotFocus, ArticleID: y.ID, Position: 0}))
	got, _, _ = s.Placed(ctx, model.SlotFocus, now, 1, 0)
	if len(got) != 1 || got[0].ID != y.ID {
		t.Fatalf("after reorder = %+v", got)
	}
	must(t, s.RemovePlacement(ctx, model.SlotFocus, y.ID))
	if err := s.RemovePlacement(ctx, model.SlotFocus, y.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
	_, total, _ = s.Placed(ctx, model.SlotRecommended, now, 10, 0)
	if total != 1 {
		t.Fatalf("recommended total = %d", total)
	}
}

func testSlotVersions(t *testing.T, s store.Store) {
	for _, slot := range []string{model.SlotFocus, model.SlotRecommended} {
		v, err := s.SlotVersion(ctx, slot)
		must(t, err)
		if v != 0 {
			t.Fatalf("%s starts at version %d", slot, v)
		}
	}
	v, err := s.AdvanceSlot(ctx, model.SlotFocus, 0)
	must(t, err)
	if v != 1 {
		t.Fatalf("advanced from 0 to %d", v)
	}
	if _, err := s.AdvanceSlot(ctx, model.SlotFocus, 0); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("advancing from a version that is gone: %v", err)
	}
	if v, err = s.AdvanceSlot(ctx, model.SlotFocus, -1); err != nil || v != 2 {
		t.Fatalf("unconditional advance = %d, %v", v, err)
	}
	if v, _ := s.SlotVersion(ctx, model.SlotRecommended); v != 0 {
		t.Fatalf("recommended moved with focus: %d", v)
	}
	// A slot with a version row at 0 (set back by hand) also advances from 0.
	if v, err := s.AdvanceSlot(ctx, model.SlotFocus, 2); err != nil || v != 3 {
		t.Fatalf("advance from 2 = %d, %v", v, err)
	}
	// Two transactions from the same version: one wins, the other is a
	// conflict and leaves nothing.
	a := article(t, s, column(t, s, "v", 0).ID, "v", day0)
	err = s.Tx(ctx, func(tx store.Store) error {
		if _, err := tx.AdvanceSlot(ctx, model.SlotRecommended, 0); err != nil {
			return err
		}
		return tx.SetPlacement(ctx, model.Placement{Slot: model.SlotRecommended, ArticleID: a.ID})
	})
	must(t, err)
	err = s.Tx(ctx, func(tx store.Store) error {
		_, err := tx.AdvanceSlot(ctx, model.SlotRecommended, 0)
		return err
	})
	if !errors.Is(err, model.ErrConflict) {
		t.Fatalf("second save from version 0: %v", err)
	}
}

func testPages(t *testing.T, s store.Store) {
	must(t, s.SavePage(ctx, &model.Page{Slug: "help", Title: "使用帮助", Body: "<p>一</p>"}))
	must(t, s.SavePage(ctx, &model.Page{Slug: "help", Title: "使用帮助", Body: "<p>二</p>"}))
	must(t, s.SavePage(ctx, &model.Page{Slug: "guide", Title: "投稿须知", Body: "<p>三</p>"}))
	p, err := s.Page(ctx, "help")
	must(t, err)
	if p.Body != "<p>二</p>" || p.UpdatedAt.IsZero() {
		t.Fatalf("page = %+v", p)
	}
	all, _ := s.Pages(ctx)
	if len(all) != 2 {
		t.Fatalf("pages = %d", len(all))
	}
	must(t, s.DeletePage(ctx, "guide"))
	if _, err := s.Page(ctx, "guide"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("a deleted page is still there: %v", err)
	}
	if err := s.DeletePage(ctx, "guide"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func testSettings(t *testing.T, s store.Store) {
	must(t, s.SetSetting(ctx, "site.name", "东岳大学"))
	must(t, s.SetSetting(ctx, "site.name", "东岳大学新闻网"))
	got, err := s.Settings(ctx)
	must(t, err)
	if got["site.name"] != "东岳大学新闻网" || len(got) != 1 {
		t.Fatalf("settings = %v", got)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	if _, err := s.Article(ctx, 42); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("article: %v", err)
	}
	if _, err := s.Media(ctx, 42); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("media: %v", err)
	}
	if _, err := s.Page(ctx, "nope"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("page: %v", err)
	}
	if err := s.UpdateColumn(ctx, &model.Column{ID: 42, Slug: "x", Name: "x"}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("column: %v", err)
	}
}

func testSearch(t *testing.T, s store.Store) {
	c := column(t, s, "a", 0)
	other := column(t, s, "b", 0)
	mk := func(col int64, title, body, status string, pub time.Time) model.Article {
		a := model.Article{ColumnID: col, Title: title, Body: "<p>" + body + "</p>", Status: status, PublishedAt: pub}
		must(t, s.CreateArticle(ctx, &a))
		must(t, s.IndexArticles(ctx, map[int64]store.SearchDoc{a.ID: search.Doc(a)}))
		return a
	}
	inBody := mk(c.ID, "研究生党支部书记培训开班", "报告会上李蕊讲述抗击疫情的经历。", model.StatusPublished, day0)
	inTitle := mk(other.ID, "抗击疫情先进事迹报告会", "报告会在行政楼举行。", model.StatusPublished, day0.AddDate(-1, 0, 0))
	draft := mk(c.ID, "疫情防控草稿", "尚未发布。", model.StatusDraft, time.Time{})
	mk(c.ID, "2020级新生入学", "新生报到。", model.StatusPublished, day0)
	now := day0.AddDate(1, 0, 0)
	public := []string{model.StatusPublished}

	// Through the search service, which ranks and pages what the store finds.
	svc := &search.Service{Store: s}
	find := func(q search.Query) []int64 {
		t.Helper()
		hits, total, err := svc.Search(ctx, q)
		must(t, err)
		if total < len(hits) {
			t.Fatalf("total %d < %d results", total, len(hits))
		}
		var ids []int64
		for _, h := range hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	got := find(search.Query{Text: "疫情", Public: true, Now: now})
	if len(got) != 2 || got[0] != inTitle.ID || got[1] != inBody.ID {
		t.Errorf("疫情: %v, want title match %d before body match %d (and no draft)", got, inTitle.ID, inBody.ID)
	}
	if got := find(search.Query{Text: "疫情", Public: true, Now: now, ByDate: true}); len(got) != 2 || got[0] != inBody.ID {
		t.Errorf("疫情 by date: %v", got)
	}
	if got := find(search.Query{Text: "疫情"}); len(got) != 3 {
		t.Errorf("疫情 in every state: %v, want 3 with the draft %d", got, draft.ID)
	}
	if got := find(search.Query{Text: "李蕊", Statuses: public}); len(got) != 1 || got[0] != inBody.ID {
		t.Errorf("李蕊: %v", got)
	}
	if got := find(search.Query{Text: "黨支部書記"}); len(got) != 1 || got[0] != inBody.ID {
		t.Errorf("黨支部書記: %v", got)
	}
	if got := find(search.Query{Text: "蕊"}); len(got) != 1 {
		t.Errorf("蕊: %v", got)
	}
	if got := find(search.Query{Text: "2020级"}); len(got) != 1 {
		t.Errorf("2020级: %v", got)
	}
	if got := find(search.Query{Text: "疫情 李蕊"}); len(got) != 1 || got[0] != inBody.ID {
		t.Errorf("疫情 李蕊: %v", got)
	}
	if got := find(search.Query{Text: "疫情经历"}); len(got) != 0 {
		t.Errorf("疫情经历 is not adjacent anywhere, got %v", got)
	}
	if got := find(search.Query{Text: "疫情", ColumnIDs: []int64{other.ID}}); len(got) != 1 || got[0] != inTitle.ID {
		t.Errorf("疫情 in column b: %v", got)
	}
	if got := find(search.Query{Text: "疫情", From: day0.AddDate(0, 0, -1), To: day0.AddDate(0, 0, 1)}); len(got) != 1 || got[0] != inBody.ID {
		t.Errorf("疫情 on day0: %v", got)
	}
	// Max keeps the newest matches (by id) that pass the filters; the
	// total then says "at least Max".
	ms, err := s.SearchMatches(ctx, store.SearchQuery{Terms: search.Parse("疫情"), Max: 2})
	must(t, err)
	if len(ms) != 2 || ms[0].ID == inBody.ID || ms[1].ID == inBody.ID {
		t.Errorf("疫情 with Max 2: %+v, want the two newest ids (not %d)", ms, inBody.ID)
	}
	if hits, total, _ := svc.Search(ctx, search.Query{Text: "疫情", Offset: 5}); len(hits) != 0 || total != 3 {
		t.Errorf("疫情 past the last page: %d results, total %d", len(hits), total)
	}
	n, err := s.IndexedCount(ctx)
	must(t, err)
	if n != 4 {
		t.Errorf("indexed = %d", n)
	}
	must(t, s.UnindexArticle(ctx, inTitle.ID))
	if got := find(search.Query{Text: "疫情", Statuses: public}); len(got) != 1 {
		t.Errorf("after unindex: %v", got)
	}
	must(t, s.ResetIndex(ctx))
	if n, _ := s.IndexedCount(ctx); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

// testTx: a change and its audit entry land together or not at all, and a
// Tx inside a Tx joins it.
func testTx(t *testing.T, s store.Store) {
	col := column(t, s, "tx", 0)
	boom := errors.New("boom")
	err := s.Tx(ctx, func(tx store.Store) error {
		c := model.Column{Slug: "rolled-back", Name: "回滚"}
		must(t, tx.CreateColumn(ctx, &c))
		must(t, tx.AddAudit(ctx, model.AuditEntry{Action: "column", Target: "column rolled-back"}))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx returned %v, want fn's error", err)
	}
	cols, err := s.Columns(ctx)
	must(t, err)
	if len(cols) != 1 {
		t.Fatalf("rolled-back Tx left %d columns, want 1", len(cols))
	}
	if _, n, _ := s.Audit(ctx, 10, 0); n != 0 {
		t.Fatalf("rolled-back Tx left %d audit entries", n)
	}
	must(t, s.Tx(ctx, func(tx store.Store) error {
		col.Name = "改名"
		if err := tx.UpdateColumn(ctx, &col); err != nil {
			return err
		}
		return tx.Tx(ctx, func(inner store.Store) error {
			return inner.AddAudit(ctx, model.AuditEntry{Action: "column", Target: "column tx"})
		})
	}))
	cols, err = s.Columns(ctx)
	must(t, err)
	if cols[0].Name != "改名" {
		t.Fatalf("committed Tx: column name %q", cols[0].Name)
	}
	if _, n, _ := s.Audit(ctx, 10, 0); n != 1 {
		t.Fatalf("committed Tx: %d audit entries, want 1", n)
	}
}

// testUpdatedStubs: UpdatedStubs finds, by keyset pages of ids, the
// stories written since a time in any state (an edit, a withdrawal, a new
// story, a draft) and the published ones whose time came since then, and
// none of the stories left alone; a stub carries its story's version.
func testUpdatedStubs(t *testing.T, s store.Store) {
	c := column(t, s, "news", 0)
	old := func(title, status string, pub time.Time) model.Article {
		a := model.Article{ColumnID: c.ID, Title: title, Body: "<p>正文</p>", Status: status, PublishedAt: pub, CreatedAt: day0, UpdatedAt: day0}
		must(t, s.CreateArticle(ctx, &a))
		return a
	}
	var untouched []int64
	for i := range 5 {
		untouched = append(untouched, old("旧", model.StatusPublished, day0.AddDate(0, 0, -i)).ID)
	}
	edited := old("改", model.StatusPublished, day0.AddDate(0, -1, 0))
	withdrawn := old("撤", model.StatusPublished, day0.AddDate(0, -2, 0))
	since := time.Now().Add(-time.Second).Truncate(time.Second)
	due := old("到时", model.StatusPublished, since.Add(time.Second))
	edited.Title = "改过"
	must(t, s.UpdateArticle(ctx, &edited))
	withdrawn.Status = model.StatusWithdrawn
	must(t, s.UpdateArticle(ctx, &withdrawn))
	fresh := article(t, s, c.ID, "新", since)
	draft := model.Article{ColumnID: c.ID, Title: "草稿", Status: model.StatusDraft}
	must(t, s.CreateArticle(ctx, &draft))

	var got []model.ArticleStub
	for after := int64(0); ; {
		page, err := s.UpdatedStubs(ctx, since, after, 2)
		must(t, err)
		got = append(got, page...)
		if len(page) < 2 {
			break
		}
		after = page[len(page)-1].ID
	}
	var ids []int64
	status := map[int64]string{}
	for _, a := range got {
		ids = append(ids, a.ID)
		status[a.ID] = a.Status
		if a.ColumnID != c.ID || a.UpdatedAt.IsZero() {
			t.Errorf("stub %+v lacks its column or time", a)
		}
	}
	want := []int64{edited.ID, withdrawn.ID, due.ID, fresh.ID, draft.ID}
	if !slices.Equal(ids, want) {
		t.Fatalf("updated since %v: %v, want %v (untouched: %v)", since, ids, want, untouched)
	}
	if status[withdrawn.ID] != model.StatusWithdrawn || status[edited.ID] != model.StatusPublished || status[draft.ID] != model.StatusDraft {
		t.Fatalf("states = %v", status)
	}
	for _, a := range got {
		if a.ID == edited.ID && (a.Version != edited.Version || a.Version < 2) {
			t.Errorf("the edited story's stub is of version %d, the story of %d", a.Version, edited.Version)
		}
	}
	if later, err := s.UpdatedStubs(ctx, time.Now().Add(time.Hour), 0, 10); err != nil || len(later) != 0 {
		t.Fatalf("updated in an hour: %+v, %v", later, err)
	}
	if stubs, err := s.PublishedStubs(ctx, model.StubQuery{PublishedBy: time.Now(), Limit: 1}); err != nil || len(stubs) != 1 || stubs[0].Status != model.StatusPublished {
		t.Fatalf("published stub = %+v, %v", stubs, err)
	}
}
