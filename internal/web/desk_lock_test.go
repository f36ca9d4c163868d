package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"newsdesk/internal/model"
)

// TestDeskStoryPageSaysWhoIsEditing: while the editor's page holds the
// edit lock, the administrator's story page names the editor and the
// time; the editor's own page does not warn them about themselves.
func TestDeskStoryPageSaysWhoIsEditing(t *testing.T) {
	a, srv := deskServer(t)
	ctx := context.Background()
	editor, admin := signIn(t, srv, "editor"), signIn(t, srv, "admin")
	id := newStory(t, editor, "有人正在编辑的稿件")
	ed, err := a.Store.UserByName(ctx, "editor")
	if err != nil {
		t.Fatal(err)
	}
	l, err := a.Articles.Heartbeat(ctx, model.Actor{User: ed, IP: "127.0.0.1", Via: "desk"}, id, "editor-page")
	if err != nil || !l.Mine {
		t.Fatalf("editor's heartbeat: %+v %v", l, err)
	}
	_, d := admin.get(fmt.Sprintf("/desk/articles/%d", id))
	notice := d.Find("#lock-notice")
	_, hidden := notice.Attr("hidden")
	want := ed.Name + " 自 "
	if notice.Length() != 1 || hidden || !strings.Contains(notice.Find(".lock-text").Text(), want) {
		t.Fatalf("the admin's page: notice %d hidden=%v %q, want %q", notice.Length(), hidden, notice.Text(), want)
	}
	if take := d.Find("#lock-notice .lock-take"); take.Length() != 1 {
		t.Error("no take-over button")
	}
	_, d = editor.get(fmt.Sprintf("/desk/articles/%d", id))
	if _, hidden := d.Find("#lock-notice").Attr("hidden"); !hidden {
		t.Errorf("the editor is warned about their own lock: %q", d.Find("#lock-notice").Text())
	}
}
