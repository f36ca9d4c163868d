package review_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"newsdesk/internal/article"
	"newsdesk/internal/model"
	"newsdesk/internal/review"
	"newsdesk/internal/store"
)

// published takes a new story of col by the author through the four-step
// chain to the site.
func (s *site) published(t *testing.T, col model.Column) model.Article {
	t.Helper()
	a := s.draft(t, col)
	a = s.move(t, a.ID, s.author, article.Move{Action: article.ActionSubmit}, nil)
	for _, u := range []model.User{s.reviewer, s.editor, s.proofreader} {
		a = s.move(t, a.ID, u, article.Move{Action: article.ActionApprove}, nil)
	}
	a = s.move(t, a.ID, s.chief, article.Move{Action: article.ActionPublish}, nil)
	if a.Status != model.StatusPublished {
		t.Fatalf("not published: %s", a.Status)
	}
	return a
}

// correct saves a new title of published story id as editor: the working
// copy, which the save submits to its correction chain.
func (s *site) correct(t *testing.T, id int64, title string) model.WorkingCopy {
	t.Helper()
	a, err := s.arts.Editable(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a.Title, a.Correction = title, "更正：标题有误。"
	if err := s.arts.Update(ctx, as(s.editor), &a); err != nil {
		t.Fatal(err)
	}
	wc, err := s.st.WorkingCopy(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return wc
}

// live is the published title of story id, and whether a copy waits.
func (s *site) live(t *testing.T, id int64) (string, bool) {
	t.Helper()
	a, err := s.st.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.st.WorkingCopy(ctx, id)
	return a.Title, err == nil
}

// copyAt fails t unless story id's working copy waits at step n (from 1)
// of a chain of the given names.
func (s *site) copyAt(t *testing.T, id int64, n int, names ...string) model.WorkingCopy {
	t.Helper()
	wc, err := s.st.WorkingCopy(ctx, id)
	if err != nil {
		t.Fatalf("no working copy: %v", err)
	}
	i, st, ok := review.Current(wc.Article)
	var got []string
	for _, st := range review.Steps(wc.Article) {
		got = append(got, review.Label(st))
	}
	if !ok || i != n-1 || !slices.Equal(got, names) || review.Label(st) != names[n-1] {
		t.Fatalf("the copy waits at %d (%v) of %v, want %d of %v", i+1, ok, got, n, names)
	}
	return wc
}

// inboxHas reports whether u's inbox shows the correction of story id.
func (s *site) inboxHas(t *testing.T, u model.User, id int64) bool {
	t.Helper()
	items, _, err := s.chains.Inbox(ctx, u, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Article.ID == id {
			if !it.Correction {
				t.Errorf("%s's inbox shows story %d, not as a correction", u.Username, id)
			}
			return true
		}
	}
	return false
}

// TestCorrectionTakesTheColumnsChain: in the 三审三校 column without a
// correction chain, a correction of a published story takes all four
// steps, each by its holders; the published text stays until the last
// step approves it, which replaces it (更新于) in one go. A return sends
// the copy back to its maker; submitted again it starts from step 1.
func TestCorrectionTakesTheColumnsChain(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		a := s.published(t, s.sub)
		names := []string{"单位初审", "编辑复审", "校对", "总编终审"}
		s.correct(t, a.ID, "更正后的标题")
		s.copyAt(t, a.ID, 1, names...)
		if title, _ := s.live(t, a.ID); title != "稿件" {
			t.Fatalf("the live title changed at the first save: %q", title)
		}
		if !s.inboxHas(t, s.reviewer, a.ID) || s.inboxHas(t, s.proofreader, a.ID) {
			t.Fatal("the correction is not in the unit reviewer's inbox only")
		}
		// Approving is no longer one editor's decision for the whole copy.
		cur, _ := st.Article(ctx, a.ID)
		if _, err := s.arts.ApproveRevision(ctx, as(s.editor), a.ID, cur.Version, ""); err != nil {
			t.Fatal(err) // the editor stands in for 单位初审
		}
		s.copyAt(t, a.ID, 2, names...)
		if title, ok := s.live(t, a.ID); title != "稿件" || !ok {
			t.Fatalf("after one step the live title is %q (copy %v)", title, ok)
		}
		s.move(t, a.ID, s.reviewer, article.Move{Action: article.ActionApprove}, model.ErrForbidden) // 编辑复审 is not theirs
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove, Step: 1}, model.ErrInvalid)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove, Version: cur.Version}, model.ErrConflict)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove, Step: 2}, nil)
		s.copyAt(t, a.ID, 3, names...)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove}, model.ErrForbidden) // 校对 is the proofreader's
		if !s.inboxHas(t, s.proofreader, a.ID) {
			t.Fatal("the correction is not in the proofreader's inbox at 校对")
		}
		// The proofreader returns it to its maker; the editor submits it again.
		s.move(t, a.ID, s.proofreader, article.Move{Action: article.ActionReturn, Reason: "标题不规范"}, nil)
		wc, _ := st.WorkingCopy(ctx, a.ID)
		if wc.Status != model.StatusReturned || s.inboxHas(t, s.proofreader, a.ID) {
			t.Fatalf("returned: the copy is %s", wc.Status)
		}
		if got := article.RevisionActions(s.editor, wc); !slices.Equal(got, []string{article.ActionSubmit}) {
			t.Errorf("the editor's actions on the returned copy: %v", got)
		}
		s.move(t, a.ID, s.proofreader, article.Move{Action: article.ActionSubmit}, model.ErrForbidden)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionSubmit}, nil)
		s.copyAt(t, a.ID, 1, names...)
		for _, u := range []model.User{s.reviewer, s.editor, s.proofreader} {
			s.move(t, a.ID, u, article.Move{Action: article.ActionApprove}, nil)
		}
		s.copyAt(t, a.ID, 4, names...)
		if title, _ := s.live(t, a.ID); title != "稿件" {
			t.Fatalf("before the last step the live title is %q", title)
		}
		cur, _ = st.Article(ctx, a.ID)
		if _, err := s.arts.ApproveRevision(ctx, as(s.editor), a.ID, cur.Version, ""); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("an editor approved 总编终审: %v", err)
		}
		s.now = s.now.Add(time.Hour)
		got := s.move(t, a.ID, s.chief, article.Move{Action: article.ActionApprove, Step: 4, Comment: "同意更正"}, nil)
		if title, ok := s.live(t, a.ID); title != "更正后的标题" || ok || got.Status != model.StatusPublished || !got.RevisedAt.Equal(s.now) || got.Correction != "更正：标题有误。" {
			t.Fatalf("after the last step: live %q, copy left %v, %s, revised %v, note %q", title, ok, got.Status, got.RevisedAt, got.Correction)
		}
		if s.inboxHas(t, s.chief, a.ID) {
			t.Error("the approved correction still waits in the chief's inbox")
		}
		// The record tells the correction's decisions apart from the story's.
		evs, _ := st.Events(ctx, a.ID)
		var steps []string
		for _, e := range evs {
			if e.Correction && e.Step != 0 {
				steps = append(steps, e.StepName+":"+e.Action)
			}
		}
		want := []string{"单位初审:approve", "编辑复审:approve", "校对:return", "单位初审:approve", "编辑复审:approve", "校对:approve", "总编终审:revise"}
		if !slices.Equal(steps, want) {
			t.Errorf("the correction's decisions:\n got %v\nwant %v", steps, want)
		}
		final, _ := st.Article(ctx, a.ID)
		for _, p := range review.Progress(final, evs, s.now) {
			if p.State != review.StepDone {
				t.Errorf("the story's own progress was changed by its correction: %+v", p)
			}
		}
	})
}

// TestCorrectionChainOfAColumn: a column's correction chain (shorter than
// its review chain, inherited by its sub-columns) is the one corrections
// take; without one they take the review chain again; a column under no
// configuration keeps today's rule, an editor approves in one go. A
// correction chain is validated like a chain, and saving the review chain
// keeps it.
func TestCorrectionChainOfAColumn(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		short := []model.ReviewStep{
			{Name: "更正校对", Kind: model.StepProofread, UserIDs: []int64{s.proofreader.ID}},
			{Name: "总编审定", Kind: model.StepReview, Holders: []string{model.HoldChief}},
		}
		bad := []model.ReviewStep{{Name: "单位看", Kind: model.StepReview, Holders: []string{model.HoldUnit}}}
		if _, err := s.chains.SaveCorrectionChain(ctx, as(s.editor), s.news.ID, bad); !errors.Is(err, model.ErrInvalid) {
			t.Fatalf("a correction chain whose last step may not publish: %v", err)
		}
		if _, err := s.chains.SaveCorrectionChain(ctx, as(s.author), s.news.ID, short); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("a contributor saved a correction chain: %v", err)
		}
		if _, err := s.chains.SaveCorrectionChain(ctx, as(s.editor), s.news.ID, short); err != nil {
			t.Fatal(err)
		}
		// Saving the review chain again keeps the correction chain.
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		sub, err := s.chains.Chain(ctx, s.sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sub.CorrectionOwn || sub.CorrectionMain || sub.CorrectionFrom != s.news.ID || len(sub.Correction) != 2 {
			t.Fatalf("the sub-column's correction chain: own %v main %v from %d, %d steps", sub.CorrectionOwn, sub.CorrectionMain, sub.CorrectionFrom, len(sub.Correction))
		}
		a := s.published(t, s.sub)
		s.correct(t, a.ID, "更正后的标题")
		s.copyAt(t, a.ID, 1, "更正校对", "总编审定")
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove}, model.ErrForbidden)
		s.move(t, a.ID, s.proofreader, article.Move{Action: article.ActionApprove}, nil)
		s.copyAt(t, a.ID, 2, "更正校对", "总编审定")
		if title, _ := s.live(t, a.ID); title != "稿件" {
			t.Fatalf("the live title changed before the last step: %q", title)
		}
		s.move(t, a.ID, s.chief, article.Move{Action: article.ActionApprove}, nil)
		if title, ok := s.live(t, a.ID); title != "更正后的标题" || ok {
			t.Fatalf("after the correction chain: live %q, copy left %v", title, ok)
		}
		// A correction under way keeps its chain when the column's changes;
		// without a correction chain corrections take the review chain.
		s.correct(t, a.ID, "再次更正")
		if _, err := s.chains.SaveCorrectionChain(ctx, as(s.editor), s.news.ID, nil); err != nil {
			t.Fatal(err)
		}
		s.copyAt(t, a.ID, 1, "更正校对", "总编审定")
		s.move(t, a.ID, s.proofreader, article.Move{Action: article.ActionReject, Comment: "不必更正"}, nil)
		if title, ok := s.live(t, a.ID); title != "更正后的标题" || ok {
			t.Fatalf("after a rejection: live %q, copy left %v", title, ok)
		}
		news, _ := s.chains.Chain(ctx, s.news.ID)
		if !news.CorrectionMain || news.CorrectionFrom != s.news.ID || len(news.Correction) != 4 {
			t.Fatalf("without a correction chain: main %v from %d, %d steps", news.CorrectionMain, news.CorrectionFrom, len(news.Correction))
		}
		s.correct(t, a.ID, "第三次更正")
		s.copyAt(t, a.ID, 1, "单位初审", "编辑复审", "校对", "总编终审")
		// A column under no chain: an editor approves a correction at once.
		b := s.draft(t, s.campus)
		b = s.move(t, b.ID, s.editor, article.Move{Action: article.ActionPublish}, nil)
		s.correct(t, b.ID, "校园更正")
		s.copyAt(t, b.ID, 1, "editor")
		s.move(t, b.ID, s.reviewer, article.Move{Action: article.ActionApprove}, model.ErrForbidden)
		s.move(t, b.ID, s.editor, article.Move{Action: article.ActionApprove}, nil)
		if title, ok := s.live(t, b.ID); title != "校园更正" || ok {
			t.Fatalf("a column without a chain: live %q, copy left %v", title, ok)
		}
	})
}

// TestNoDirectPublishUnderAChain: in a column under a configured chain
// nobody publishes or schedules a draft directly, an editor's own
// included; the editor submits it and takes, as its owner, the steps they
// hold; the others stay with their holders. A column under the default
// chain keeps today's rule: an editor publishes their draft.
func TestNoDirectPublishUnderAChain(t *testing.T) {
	onBothStores(t, func(t *testing.T, st store.Store) {
		s := newSite(t, st)
		if _, err := s.chains.SaveChain(ctx, as(s.editor), s.news.ID, s.fourSteps()); err != nil {
			t.Fatal(err)
		}
		a := model.Article{ColumnID: s.sub.ID, Title: "编辑自己的稿件", Body: "<p>正文。</p>"}
		if err := s.arts.Create(ctx, as(s.editor), &a); err != nil {
			t.Fatal(err)
		}
		for _, u := range []model.User{s.editor, s.chief, s.admin} {
			acts, err := s.arts.Actions(ctx, u, a)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(acts, article.ActionPublish) || slices.Contains(acts, article.ActionSchedule) {
				t.Errorf("%s may publish a draft under the chain: %v", u.Username, acts)
			}
		}
		if acts, _ := s.arts.Actions(ctx, s.editor, a); !slices.Contains(acts, article.ActionSubmit) {
			t.Errorf("the editor may not submit their draft: %v", acts)
		}
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionPublish}, model.ErrInvalid)
		s.move(t, a.ID, s.chief, article.Move{Action: article.ActionPublish}, model.ErrInvalid)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionSchedule, When: s.now.Add(time.Hour)}, model.ErrInvalid)
		_, err := s.arts.Move(ctx, as(s.editor), a.ID, article.Move{Action: article.ActionPublish, Version: a.Version})
		var inv *model.InvalidError
		if !errors.As(err, &inv) || inv.Code != "chain_required" {
			t.Fatalf("the refusal says %v, want chain_required", err)
		}
		a = s.move(t, a.ID, s.editor, article.Move{Action: article.ActionSubmit}, nil)
		a = s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove}, nil) // 单位初审: editors stand in
		a = s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove}, nil) // 编辑复审: theirs, as the owner
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionApprove}, model.ErrForbidden)
		a = s.move(t, a.ID, s.proofreader, article.Move{Action: article.ActionApprove}, nil)
		s.move(t, a.ID, s.editor, article.Move{Action: article.ActionPublish}, model.ErrForbidden)
		a = s.move(t, a.ID, s.chief, article.Move{Action: article.ActionPublish}, nil)
		if a.Status != model.StatusPublished {
			t.Fatalf("after the chain: %s", a.Status)
		}
		// Withdrawn and republished: it went through the chain already.
		a = s.move(t, a.ID, s.editor, article.Move{Action: article.ActionWithdraw}, nil)
		a = s.move(t, a.ID, s.editor, article.Move{Action: article.ActionPublish}, nil)
		// The default chain: an editor publishes their own draft, as always.
		b := model.Article{ColumnID: s.campus.ID, Title: "校园稿件", Body: "<p>正文。</p>"}
		if err := s.arts.Create(ctx, as(s.editor), &b); err != nil {
			t.Fatal(err)
		}
		if acts, _ := s.arts.Actions(ctx, s.editor, b); !slices.Contains(acts, article.ActionPublish) {
			t.Errorf("under the default chain the editor may not publish: %v", acts)
		}
		s.move(t, b.ID, s.editor, article.Move{Action: article.ActionPublish}, nil)
	})
}
