package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"newsdesk/internal/model"
)

// dragCard drags the card of story from by its handle to the top quarter
// of the card of story onto, with real mouse events (press, a few moves,
// release) as a person does; the board's script saves when it is let go.
func dragCard(from, onto int64) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var box struct{ X0, Y0, X1, Y1 float64 }
		err := chromedp.Evaluate(fmt.Sprintf(`(() => {
			const a = document.querySelector('#slot-focus .slot-card[data-id="%d"] .slot-handle');
			const b = document.querySelector('#slot-focus .slot-card[data-id="%d"]');
			a.scrollIntoView({block: "center"});
			const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
			return {X0: ra.left + ra.width / 2, Y0: ra.top + ra.height / 2, X1: rb.left + 40, Y1: rb.top + rb.height / 4};
		})()`, from, onto), &box).Do(ctx)
		if err != nil {
			return err
		}
		if err := input.DispatchMouseEvent(input.MousePressed, box.X0, box.Y0).WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		for i := 1; i <= 8; i++ {
			x := box.X0 + (box.X1-box.X0)*float64(i)/8
			y := box.Y0 + (box.Y1-box.Y0)*float64(i)/8
			if err := input.DispatchMouseEvent(input.MouseMoved, x, y).WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
		}
		return input.DispatchMouseEvent(input.MouseReleased, box.X1, box.Y1).WithButton(input.Left).WithButtons(0).WithClickCount(1).Do(ctx)
	})
}

// waitSaved waits until the focus board says its order was saved.
func waitSaved(ctx context.Context, t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var st string
		if err := chromedp.Run(ctx, chromedp.Text("#slot-focus .slot-status", &st, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		if st == "顺序已保存。" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the board never said the order was saved")
}

// TestSlotBoardReordersByDragAndKeyboardInChromium: an editor drags the
// third focus card above the first in real Chromium, and the home page
// shows the new order; then Alt+↓ on a focused card moves it one down and
// the home page follows again; the remove button takes a card out. The
// board is kept as screenshots at 1280 and 360 px.
func TestSlotBoardReordersByDragAndKeyboardInChromium(t *testing.T) {
	a, srv := deskServer(t)
	s := publishedStories(t, a, 3)
	setSlot(t, a, model.SlotFocus, s[0], s[1], s[2])
	ctx := browser(t, 1280, 900, true)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	run("open the board", deskLogin(srv.URL, "editor"),
		chromedp.Navigate(srv.URL+"/desk/slots"),
		chromedp.WaitVisible(".slot-js #slot-focus .slot-card", chromedp.ByQuery),
	)
	screenshot(t, ctx, "desk-slots-1280")
	run("drag the third card above the first", dragCard(s[2].ID, s[0].ID))
	waitSaved(ctx, t)
	want := titles(s[2], s[0], s[1])
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("home page focus after the drag = %v, want %v", got, want)
	}

	// Keyboard: focus the first card (now s[2]) and press Alt+↓.
	var status string
	run("Alt+Down on the first card",
		chromedp.Focus(fmt.Sprintf(`#slot-focus .slot-card[data-id="%d"]`, s[2].ID), chromedp.ByQuery),
		chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(input.ModifierAlt)),
	)
	waitSaved(ctx, t)
	want = titles(s[0], s[2], s[1])
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("home page focus after Alt+Down = %v, want %v", got, want)
	}
	var focused string
	run("the moved card keeps the focus", chromedp.Evaluate(`document.activeElement.dataset.id || ""`, &focused))
	if focused != itoa(s[2].ID) {
		t.Errorf("after Alt+Down the focus is on %q, want the moved card %d", focused, s[2].ID)
	}
	run("remove the last card", chromedp.Click(fmt.Sprintf(`#slot-focus .slot-card[data-id="%d"] .slot-remove`, s[1].ID), chromedp.ByQuery))
	waitSaved(ctx, t)
	want = titles(s[0], s[2])
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("home page focus after removing = %v, want %v", got, want)
	}
	// A second editor's save in between: the next move is refused and the
	// board shows the latest order.
	setSlot(t, a, model.SlotFocus, s[1], s[0], s[2])
	run("move on a board that is out of date",
		chromedp.Click(fmt.Sprintf(`#slot-focus .slot-card[data-id="%d"] .slot-down`, s[0].ID), chromedp.ByQuery),
	)
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(status, "有人在你之后改动了这个推荐位") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		run("read the status", chromedp.Text("#slot-focus .slot-status", &status, chromedp.ByQuery))
	}
	if !strings.Contains(status, "有人在你之后改动了这个推荐位") {
		t.Fatalf("a stale board's move: status %q", status)
	}
	var shown []string
	run("the board shows the latest order", chromedp.Evaluate(`[...document.querySelectorAll("#slot-focus .slot-card")].map(c => c.dataset.title)`, &shown))
	if want := titles(s[1], s[0], s[2]); strings.Join(shown, "|") != strings.Join(want, "|") {
		t.Errorf("after the conflict the board shows %v, want %v", shown, want)
	}
	if got := homeFocus(t, srv.URL); strings.Join(got, "|") != strings.Join(titles(s[1], s[0], s[2]), "|") {
		t.Errorf("the refused move changed the home page: %v", got)
	}

	phone := browser(t, 360, 780, true)
	if err := chromedp.Run(phone, deskLogin(srv.URL, "editor"), chromedp.Navigate(srv.URL+"/desk/slots?q="+url.QueryEscape(s[0].Title)),
		chromedp.WaitVisible(".slot-js #slot-focus .slot-card", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	var wide bool
	if err := chromedp.Run(phone, chromedp.Evaluate(`document.documentElement.scrollWidth > innerWidth`, &wide)); err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Errorf("the slot board scrolls sideways at 360 px")
	}
	screenshot(t, phone, "desk-slots-360")
}
