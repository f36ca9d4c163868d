package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"newsdesk/internal/demo/photo"
	"newsdesk/internal/media/videotest"
)

// TestEditorInsertsAVideoInChromium: in the bundled editor a correspondent
// picks a file that only claims to be an MP4 and is told so beside the
// form; then an MP4 with its poster goes into the text as a video figure
// with native controls, which the preview shows with its poster.
func TestEditorInsertsAVideoInChromium(t *testing.T) {
	_, srv := deskServer(t)
	ctx := browser(t, 1280, 900, true)
	acceptLeaving(ctx)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	dir := t.TempDir()
	fake, clip, poster := filepath.Join(dir, "假视频.mp4"), filepath.Join(dir, "开学典礼.mp4"), filepath.Join(dir, "封面.jpg")
	jpeg, err := photo.JPEG(6, 640, 360)
	if err != nil {
		t.Fatal(err)
	}
	for path, data := range map[string][]byte{fake: []byte("not a video, only named like one"), clip: videotest.MP4(30000), poster: jpeg} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("open a new story", deskLogin(srv.URL, "contributor"),
		chromedp.Navigate(srv.URL+"/desk/articles/new"),
		chromedp.WaitVisible("#title", chromedp.ByQuery),
	)
	needBundle(t, ctx)
	var msg, html string
	run("a file that is no MP4",
		chromedp.WaitReady(`textarea[data-ready="true"]`, chromedp.ByQuery),
		clickTool("视频"),
		chromedp.WaitVisible(".editor-video", chromedp.ByQuery),
		chromedp.SetUploadFiles("input[name=video-file]", []string{fake}, chromedp.ByQuery),
		chromedp.SetUploadFiles("input[name=video-poster]", []string{poster}, chromedp.ByQuery),
		chromedp.Click(".editor-video-insert", chromedp.ByQuery),
		waitText(".editor-video .field-error", "不是可播放的 MP4 视频"),
		chromedp.Text(".editor-video .field-error", &msg, chromedp.ByQuery),
	)
	if !strings.Contains(msg, "假视频.mp4") {
		t.Errorf("the message does not name the file: %q", msg)
	}
	run("an MP4 with its poster",
		chromedp.SetUploadFiles("input[name=video-file]", []string{clip}, chromedp.ByQuery),
		chromedp.SendKeys("input[name=video-caption]", "2026年开学典礼", chromedp.ByQuery),
		chromedp.Click(".editor-video-insert", chromedp.ByQuery),
		chromedp.WaitVisible(".editor figure.video video", chromedp.ByQuery),
		editorHTML(&html),
	)
	if !strings.Contains(html, `<video controls="" preload="metadata" poster="/media/`) || !strings.Contains(html, "<figcaption>2026年开学典礼</figcaption>") {
		t.Errorf("the editor holds:\n%s", html)
	}
	var area string
	run("the body the form posts", chromedp.Evaluate(`(() => { document.querySelector("#body").form.dispatchEvent(new Event("submit")); return document.querySelector("#body").value; })()`, &area))
	if !strings.Contains(area, `<figure class="video"><video controls="" preload="metadata" poster="/media/`) {
		t.Errorf("the form posts:\n%s", area)
	}
	screenshot(t, ctx, "desk-editor-video-1280")
}
