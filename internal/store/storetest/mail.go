package storetest

import (
	"errors"
	"testing"
	"time"

	"newsdesk/internal/model"
	"newsdesk/internal/store"
)

func testOutbox(t *testing.T, s store.Store) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	first := model.Mail{To: "a@example.edu", ToName: "张三", Subject: "待审稿件", Text: "正文", HTML: "<p>正文</p>", CreatedAt: at}
	second := model.Mail{To: "b@example.edu", Subject: "退回", Text: "t", HTML: "<p>t</p>", CreatedAt: at}
	must(t, s.QueueMail(ctx, &first))
	must(t, s.QueueMail(ctx, &second))
	if first.ID == 0 || first.Status != model.MailQueued {
		t.Fatalf("queued: %+v", first)
	}
	first.Attempts, first.LastError = 1, "dial tcp: connection refused"
	must(t, s.UpdateMail(ctx, &first))
	first.Attempts, first.Status, first.LastError, first.SentAt = 2, model.MailSent, "", at.Add(time.Minute)
	must(t, s.UpdateMail(ctx, &first))
	got, err := s.Mail(ctx, first.ID)
	must(t, err)
	if got.Status != model.MailSent || got.Attempts != 2 || !got.SentAt.Equal(at.Add(time.Minute)) || got.ToName != "张三" || got.HTML != "<p>正文</p>" || !got.CreatedAt.Equal(at) {
		t.Errorf("after sending: %+v", got)
	}
	list, total, err := s.MailList(ctx, 1, 0)
	must(t, err)
	if total != 2 || len(list) != 1 || list[0].ID != second.ID {
		t.Errorf("newest first, one a page: %d %+v", total, list)
	}
	if _, err := s.Mail(ctx, 999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing mail: %v", err)
	}
	if err := s.UpdateMail(ctx, &model.Mail{ID: 999, Status: model.MailSent}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("update missing mail: %v", err)
	}

	u := model.User{Username: "mailer", Name: "李四", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &u))
	if _, err := s.MailAddress(ctx, u.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("no address yet: %v", err)
	}
	must(t, s.SetMailAddress(ctx, model.MailAddress{UserID: u.ID, Email: "li@example.edu", Lang: "en"}))
	must(t, s.SetMailAddress(ctx, model.MailAddress{UserID: u.ID, Email: "si@example.edu", Lang: "zh-CN"}))
	if a, err := s.MailAddress(ctx, u.ID); err != nil || a.Email != "si@example.edu" || a.Lang != "zh-CN" {
		t.Errorf("address replaced: %+v %v", a, err)
	}
	must(t, s.SetMailAddress(ctx, model.MailAddress{UserID: u.ID}))
	if _, err := s.MailAddress(ctx, u.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("address removed: %v", err)
	}
}

func testNotifications(t *testing.T, s store.Store) {
	u := model.User{Username: "reader", Name: "王五", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	other := model.User{Username: "other", Name: "赵六", PasswordHash: "x", Roles: []string{model.RoleEditor}}
	must(t, s.CreateUser(ctx, &u))
	must(t, s.CreateUser(ctx, &other))
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	n1 := model.Notification{UserID: u.ID, Kind: "step", ArticleID: 3, Title: "稿件", Detail: "编辑复审", CreatedAt: at}
	ok, err := s.AddNotification(ctx, &n1)
	must(t, err)
	if !ok || n1.ID == 0 {
		t.Fatalf("added: %v %+v", ok, n1)
	}
	once := model.Notification{UserID: u.ID, Kind: "overdue", ArticleID: 3, OnceKey: "overdue 7", CreatedAt: at}
	if ok, err := s.AddNotification(ctx, &once); err != nil || !ok || once.ID == 0 {
		t.Fatalf("first once: %v %v %+v", ok, err, once)
	}
	again := once
	again.ID = 0
	if ok, err := s.AddNotification(ctx, &again); err != nil || ok {
		t.Errorf("the same once key added twice: %v %v", ok, err)
	}
	must(t, func() error {
		_, err := s.AddNotification(ctx, &model.Notification{UserID: other.ID, Kind: "returned", CreatedAt: at})
		return err
	}())
	list, unread, err := s.Notifications(ctx, u.ID, 10)
	must(t, err)
	if unread != 2 || len(list) != 2 || list[0].ID != once.ID || list[1].Detail != "编辑复审" || !list[1].CreatedAt.Equal(at) {
		t.Errorf("list: %d %+v", unread, list)
	}
	must(t, s.ReadNotifications(ctx, u.ID, n1.ID, at.Add(time.Hour)))
	list, unread, err = s.Notifications(ctx, u.ID, 10)
	must(t, err)
	if unread != 1 || list[1].ReadAt.IsZero() || !list[0].ReadAt.IsZero() {
		t.Errorf("read up to the first: %d %+v", unread, list)
	}
	if _, unread, _ := s.Notifications(ctx, other.ID, 0); unread != 1 {
		t.Errorf("another user's count: %d", unread)
	}
}

func testApproverLinks(t *testing.T, s store.Store) {
	col := column(t, s, "news", 0)
	a := article(t, s, col.ID, "外审稿件", day0)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := model.ApproverLink{ArticleID: a.ID, StepID: 4, Version: a.Version, Name: "书记", Email: "shuji@example.edu", Nonce: "n1", CreatedBy: 1, CreatedAt: at, ExpiresAt: at.Add(72 * time.Hour)}
	must(t, s.CreateApproverLink(ctx, &l))
	other := model.ApproverLink{ArticleID: a.ID, Version: a.Version, Name: "院长", Email: "yz@example.edu", Nonce: "n2", CreatedAt: at, ExpiresAt: at.Add(time.Hour)}
	must(t, s.CreateApproverLink(ctx, &other))
	got, err := s.ApproverLink(ctx, l.ID)
	must(t, err)
	if got.Name != "书记" || got.StepID != 4 || !got.ExpiresAt.Equal(at.Add(72*time.Hour)) || !got.UsedAt.IsZero() {
		t.Errorf("round trip: %+v", got)
	}
	use := got
	use.UsedAt, use.Decision, use.Comment, use.IP = at.Add(time.Hour), "approve", "同意", "192.0.2.7"
	if ok, err := s.UseApproverLink(ctx, use); err != nil || !ok {
		t.Fatalf("first use: %v %v", ok, err)
	}
	if ok, err := s.UseApproverLink(ctx, use); err != nil || ok {
		t.Errorf("second use taken: %v %v", ok, err)
	}
	if ok, _ := s.RevokeApproverLink(ctx, l.ID, at); ok {
		t.Error("a used link was revoked")
	}
	if ok, err := s.RevokeApproverLink(ctx, other.ID, at); err != nil || !ok {
		t.Fatalf("revoke: %v %v", ok, err)
	}
	if ok, _ := s.UseApproverLink(ctx, model.ApproverLink{ID: other.ID, UsedAt: at, Decision: "approve"}); ok {
		t.Error("a revoked link was used")
	}
	list, err := s.ApproverLinks(ctx, a.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != other.ID || list[0].RevokedAt.IsZero() || list[1].Decision != "approve" || list[1].IP != "192.0.2.7" || list[1].Comment != "同意" {
		t.Errorf("list: %+v", list)
	}
	if _, err := s.ApproverLink(ctx, 999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing link: %v", err)
	}
}
