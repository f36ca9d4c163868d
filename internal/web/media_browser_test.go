package web_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"newsdesk/internal/demo/photo"
	"newsdesk/internal/model"
)

// TestMediaLibraryInChromium follows a photo from the desk media library to
// a reader's phone and desktop: an editor uploads it with caption, alt text
// and credit, the job makes its variants, the editor rewrites the caption,
// puts the photo into a story by its number and publishes the story; the
// public page then shows a WebP variant fit for the screen, with the new
// caption, in a box reserved before the image arrived (no layout shift).
func TestMediaLibraryInChromium(t *testing.T) {
	a, srv := deskServer(t)
	base := srv.URL
	cat := catalog(t)
	msg := func(key string, args ...any) string {
		return strings.TrimSuffix(cat.T("zh-CN", key, args...), "。")
	}
	// Variants of the demo photos are still queued: make them now, so that
	// the run after the upload only has the new photo to do.
	if _, err := a.Jobs.RunDue(context.Background()); err != nil {
		t.Fatalf("demo variants: %v", err)
	}

	photo, err := photo.JPEG(42, 2400, 1600)
	if err != nil {
		t.Fatal(err)
	}
	photoPath := filepath.Join(t.TempDir(), "campus-autumn.jpg")
	if err := os.WriteFile(photoPath, photo, 0o644); err != nil {
		t.Fatal(err)
	}
	const (
		caption = "秋日校园"
		edited  = "秋日的图书馆前，银杏叶落满台阶"
		alt     = "图书馆前的台阶上铺满金黄的银杏叶"
		credit  = "林摄影"
	)

	ctx := browser(t, 1280, 900, true)
	run := func(ctx context.Context, step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}

	var location string
	run(ctx, "editor signs in and uploads a photo to the library", deskLogin(base, "editor"),
		chromedp.Navigate(base+"/desk/library"),
		chromedp.WaitVisible(`form[enctype="multipart/form-data"]`, chromedp.ByQuery),
		chromedp.SetUploadFiles("#photo", []string{photoPath}, chromedp.ByQuery),
		chromedp.SendKeys("#caption", caption, chromedp.ByQuery),
		chromedp.SendKeys("#alt", alt, chromedp.ByQuery),
		chromedp.SendKeys("#credit", credit, chromedp.ByQuery),
		clickFor(`form[enctype="multipart/form-data"] button[type=submit]`, msg("desk.media_uploaded")),
		chromedp.Location(&location),
	)
	var mediaID int64
	if _, err := fmt.Sscanf(location[len(base):], "/desk/library/%d", &mediaID); err != nil || mediaID == 0 {
		t.Fatalf("after the upload the browser is at %s, want /desk/library/{id}", location)
	}
	itemPath := fmt.Sprintf("/desk/library/%d", mediaID)

	// Until the job has run the page says so, and the preview is the file.
	var facts string
	var pictures int
	run(ctx, "read the item before the variants",
		chromedp.Text(".facts", &facts, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".preview picture").length`, &pictures),
	)
	if !strings.Contains(facts, msg("desk.media_variants_waiting")) || pictures != 0 {
		t.Errorf("before the job: facts %q, %d <picture> in the preview; want the waiting note and a plain <img>", facts, pictures)
	}
	if !strings.Contains(facts, "2400×1600") {
		t.Errorf("facts do not give the size 2400×1600: %q", facts)
	}

	n, err := a.Jobs.RunDue(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("variant job: ran %d, %v", n, err)
	}
	var variants []string
	run(ctx, "the variants are listed",
		chromedp.Navigate(base+itemPath),
		chromedp.WaitVisible(".preview picture img", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('.facts a[href^="/media/v/"]')].map(a => a.textContent.trim())`, &variants),
	)
	want := []string{"480 px jpeg", "480 px webp", "960 px jpeg", "960 px webp", "1600 px jpeg", "1600 px webp"}
	for _, w := range want {
		if !slices.Contains(variants, w) {
			t.Errorf("variants listed %q, missing %q", variants, w)
		}
	}
	waitImages(t, ctx, ".preview img")
	screenshot(t, ctx, "desk-library-item")

	run(ctx, "edit the caption",
		chromedp.SetValue("#caption", edited, chromedp.ByQuery),
		clickFor(fmt.Sprintf(`form[action="%s"] button[type=submit]`, itemPath), msg("desk.saved")),
	)
	var heading string
	run(ctx, "the item shows the new caption", chromedp.Text("h1", &heading, chromedp.ByQuery))
	if strings.TrimSpace(heading) != edited {
		t.Errorf("item heading after the edit: %q, want %q", heading, edited)
	}

	// The library lists it first, with its thumbnail, and finds it by the
	// photographer's name.
	var first string
	run(ctx, "the library finds it by credit",
		chromedp.Navigate(base+"/desk/library?q="+credit),
		chromedp.WaitVisible("ul.library li", chromedp.ByQuery),
		chromedp.AttributeValue("ul.library li a", "href", &first, nil, chromedp.ByQuery),
	)
	if first != itemPath {
		t.Errorf("searching the library for %s: first hit %q, want %s", credit, first, itemPath)
	}
	run(ctx, "the whole library", chromedp.Navigate(base+"/desk/library"), chromedp.WaitVisible("ul.library li", chromedp.ByQuery))
	waitImages(t, ctx, "ul.library li:nth-child(-n+4) img")
	screenshot(t, ctx, "desk-library")

	// The story is written through the desk client; the photo goes in from
	// the library page, by the story's number, and the story is published
	// from its desk page.
	story := newStory(t, signIn(t, srv, "editor"), "图书馆前银杏叶黄")
	run(ctx, "insert the photo into the story by number",
		chromedp.Navigate(base+itemPath),
		chromedp.WaitVisible("#article", chromedp.ByQuery),
		chromedp.SendKeys("#article", fmt.Sprint(story), chromedp.ByQuery),
		clickFor(fmt.Sprintf(`form[action="%s/use"] button`, itemPath), msg("desk.figure_added")),
	)
	run(ctx, "publish it", clickFor("button.action-publish", msg("desk.done_publish")))
	var uses string
	run(ctx, "the item lists the story",
		chromedp.Navigate(base+itemPath),
		chromedp.WaitVisible("ul.uses", chromedp.ByQuery),
		chromedp.Text("ul.uses", &uses, chromedp.ByQuery),
	)
	if !strings.Contains(uses, "图书馆前银杏叶黄") {
		t.Errorf("the item page does not list the story using it: %q", uses)
	}

	articlePath := fmt.Sprintf("/articles/%d", story)
	// Desktop, one CSS pixel a device pixel: the figure is 750 px wide
	// (sizes), so the 960 px WebP is the smallest that is sharp enough.
	checkFigure(t, ctx, base+articlePath, edited, credit, "960")
	screenshot(t, ctx, "article-photo-desktop")
	// A desktop with a high-density screen needs 1500 px: the 1600 one.
	run(ctx, "high-density desktop", emulation.SetDeviceMetricsOverride(1280, 900, 2, false))
	checkFigure(t, ctx, base+articlePath, edited, credit, "1600")

	// A phone, 360 px wide at two device pixels a CSS pixel: 720 px are
	// needed, so the 960 px WebP.
	phone := browser(t, 360, 740, true)
	run(phone, "phone screen", emulation.SetDeviceMetricsOverride(360, 740, 2, true))
	checkFigure(t, phone, base+articlePath, edited, credit, "960")
	screenshot(t, phone, "article-photo-phone")
	// The phone's viewport grows to fit what overflows, so the page is
	// measured against the screen's 360 px, not innerWidth.
	var scroll int64
	run(phone, "the editor on a phone",
		deskLogin(base, "editor"),
		chromedp.Navigate(base+itemPath),
		chromedp.WaitVisible(".preview picture img", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
	)
	if scroll > 360 {
		t.Errorf("%s at 360 px scrolls sideways: content %d px wide", itemPath, scroll)
	}
	waitImages(t, phone, ".preview img")
	screenshot(t, phone, "desk-library-item-phone")
	run(phone, "the library on a phone",
		chromedp.Navigate(base+"/desk/library"),
		chromedp.WaitVisible("ul.library li", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
	)
	if scroll > 360 {
		t.Errorf("/desk/library at 360 px scrolls sideways: content %d px wide", scroll)
	}
	waitImages(t, phone, "ul.library li:nth-child(-n+2) img")
	screenshot(t, phone, "desk-library-phone")
}

// figureBox is what the page says of the figure's image.
type figureBox struct {
	Complete      bool
	NaturalWidth  float64
	NaturalHeight float64
	CurrentSrc    string
	Width, Height float64 // attributes
	BoxWidth      float64
	BoxHeight     float64
	AspectRatio   string // computed style
	Loading       string
	Picture       bool
	WebP          string // the source's srcset
	Sizes         string
	Caption       string
	Top           float64 // of the caption, in the page
}

const readFigure = `(() => {
	const img = document.querySelector(".body figure img");
	if (!img) return null;
	const r = img.getBoundingClientRect();
	const src = img.closest("picture") && img.closest("picture").querySelector('source[type="image/webp"]');
	const cap = img.closest("figure").querySelector("figcaption");
	return {Complete: img.complete, NaturalWidth: img.naturalWidth, NaturalHeight: img.naturalHeight,
		CurrentSrc: img.currentSrc, Width: +img.getAttribute("width"), Height: +img.getAttribute("height"),
		BoxWidth: r.width, BoxHeight: r.height, AspectRatio: getComputedStyle(img).aspectRatio,
		Loading: img.getAttribute("loading") || "", Picture: !!img.closest("picture"),
		WebP: src ? src.getAttribute("srcset") : "", Sizes: src ? src.getAttribute("sizes") : "",
		Caption: cap ? cap.textContent : "", Top: cap ? cap.getBoundingClientRect().top + scrollY : -1};
})()`

// checkFigure opens the public article with its media requests held, so
// the box the page gives the image can be measured before the image is
// there; then lets them through and checks the loaded image: the WebP
// variant of width want chosen, and the same box.
func checkFigure(t *testing.T, ctx context.Context, url, caption, credit, want string) {
	t.Helper()
	var (
		mu       sync.Mutex
		released bool
		held     []fetch.RequestID
	)
	cont := func(id fetch.RequestID) {
		// From a goroutine: the listener must not wait for the browser. A
		// request the page no longer wants fails to continue, harmlessly.
		go func() { _ = chromedp.Run(ctx, fetch.ContinueRequest(id)) }()
	}
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	chromedp.ListenTarget(lctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if released {
			cont(e.RequestID)
		} else {
			held = append(held, e.RequestID)
		}
	})
	var before figureBox
	err := chromedp.Run(ctx,
		// Requests served from the cache are never held: the desk pages
		// may have fetched the same variant.
		network.SetCacheDisabled(true),
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/media/*"}}),
		// Navigate without waiting for the load event, which waits for the
		// held image.
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, _, errText, _, err := page.Navigate(url).Do(ctx)
			if err == nil && errText != "" {
				err = fmt.Errorf("navigate to %s: %s", url, errText)
			}
			return err
		}),
		chromedp.WaitReady("footer", chromedp.ByQuery),
		// A browser paints nothing before the stylesheet arrives, but a
		// script can measure the unstyled page: wait for the sheet, with the
		// cache disabled it can come after the footer on a loaded machine.
		chromedp.Poll(`(() => { const i = document.querySelector(".body figure img"); return i && i.getBoundingClientRect().height > 0 &&
			[...document.querySelectorAll('link[rel="stylesheet"]')].every(l => l.sheet && l.sheet.cssRules.length > 0); })()`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(readFigure, &before),
	)
	if err != nil {
		t.Fatalf("%s with images held: %v", url, err)
	}
	mu.Lock()
	released = true
	for _, id := range held {
		cont(id)
	}
	mu.Unlock()
	var after figureBox
	err = chromedp.Run(ctx,
		chromedp.Poll(`(() => { const i = document.querySelector(".body figure img"); return i.complete && i.naturalWidth > 0; })()`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(readFigure, &after),
		fetch.Disable(),
		network.SetCacheDisabled(false),
	)
	if err != nil {
		t.Fatalf("%s: the figure's image did not load: %v", url, err)
	}
	var dpr float64
	if err := chromedp.Run(ctx, chromedp.Evaluate(`devicePixelRatio`, &dpr)); err != nil {
		t.Fatal(err)
	}
	where := fmt.Sprintf("%s at %.0f px ×%v", url, after.BoxWidth, dpr)

	if !after.Picture || after.Loading == "lazy" {
		t.Errorf("%s: picture=%v loading=%q, want a <picture> loaded at once (the first in the story)", where, after.Picture, after.Loading)
	}
	for _, w := range []string{" 480w", " 960w", " 1600w"} {
		if !strings.Contains(after.WebP, w) {
			t.Errorf("%s: WebP srcset %q lacks%s", where, after.WebP, w)
		}
	}
	if after.Sizes != "(min-width: 860px) 750px, 100vw" {
		t.Errorf("%s: sizes %q", where, after.Sizes)
	}
	if re := regexp.MustCompile(`/media/v/.+-` + want + `\.webp$`); !re.MatchString(after.CurrentSrc) {
		t.Errorf("%s: the browser chose %s, want the %s px WebP variant", where, after.CurrentSrc, want)
	}
	if !after.Complete || after.NaturalWidth == 0 {
		t.Errorf("%s: image complete=%v naturalWidth=%v", where, after.Complete, after.NaturalWidth)
	}
	if !strings.Contains(after.Caption, caption) || !strings.Contains(after.Caption, "摄影："+credit) {
		t.Errorf("%s: caption %q, want %q and 摄影：%s", where, after.Caption, caption, credit)
	}

	// No layout shift: before the image came, its box already had the
	// shape of the width and height attributes, and it kept it.
	ratio := after.Width / after.Height
	if after.Width == 0 || after.Height == 0 {
		t.Fatalf("%s: the image has no width/height attributes (%v×%v)", where, after.Width, after.Height)
	}
	if before.Complete || before.NaturalWidth != 0 {
		t.Errorf("%s: the image had loaded while its request was held (complete=%v naturalWidth=%v)", where, before.Complete, before.NaturalWidth)
	}
	for name, b := range map[string]figureBox{"before loading": before, "after loading": after} {
		if got := b.BoxWidth / b.BoxHeight; math.Abs(got/ratio-1) > 0.01 {
			t.Errorf("%s %s: box %.1f×%.1f (ratio %.4f), attributes %v×%v (ratio %.4f)", where, name, b.BoxWidth, b.BoxHeight, got, b.Width, b.Height, ratio)
		}
		if !aspectMatches(b.AspectRatio, ratio) {
			t.Errorf("%s %s: computed aspect-ratio %q, want %v / %v", where, name, b.AspectRatio, b.Width, b.Height)
		}
	}
	if math.Abs(after.BoxHeight-before.BoxHeight) > 1 || math.Abs(after.Top-before.Top) > 1 {
		t.Errorf("%s: the page moved as the image loaded: box height %.1f → %.1f, caption at %.1f → %.1f", where, before.BoxHeight, after.BoxHeight, before.Top, after.Top)
	}
	if nr := after.NaturalWidth / after.NaturalHeight; math.Abs(nr/ratio-1) > 0.01 {
		t.Errorf("%s: the chosen file is %v×%v, not the shape of the attributes", where, after.NaturalWidth, after.NaturalHeight)
	}
}

// aspectMatches reads a computed aspect-ratio ("auto 2400 / 1600") and
// compares it with ratio, within 1%.
func aspectMatches(computed string, ratio float64) bool {
	var w, h float64
	s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(computed), "auto"))
	if _, err := fmt.Sscanf(s, "%g / %g", &w, &h); err != nil || h == 0 {
		return false
	}
	return math.Abs(w/h/ratio-1) <= 0.01
}

// waitImages waits until every image matching sel has loaded (a lazy one
// only loads when near the screen), so screenshots show them.
func waitImages(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const l = [...document.querySelectorAll(%q)]; return l.length > 0 && l.every(i => i.complete && i.naturalWidth > 0); })()`, sel)
	if err := chromedp.Run(ctx, chromedp.Poll(js, nil, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("images %s did not load: %v", sel, err)
	}
}

// TestEditorInsertsPhotoFromLibrary picks a photo from the library inside
// the story editor: with the cursor in the first paragraph, the editor
// searches the library by the photographer's name and clicks the first
// pick; the library's figure goes in after that paragraph, not at the end,
// and is what the saved story holds.
func TestEditorInsertsPhotoFromLibrary(t *testing.T) {
	a, srv := deskServer(t)
	base := srv.URL
	cat := catalog(t)
	msg := func(key string, args ...any) string {
		return strings.TrimSuffix(cat.T("zh-CN", key, args...), "。")
	}
	ctx := context.Background()
	photo, err := photo.JPEG(7, 1200, 800)
	if err != nil {
		t.Fatal(err)
	}
	const credit = "图库摄影"
	m, err := a.Media.Save(ctx, model.SystemActor("test"), "湖畔晨读.jpg", photo, model.Media{Caption: "湖畔晨读", Alt: "清晨湖边读书的学生", Credit: credit})
	if err != nil {
		t.Fatal(err)
	}
	// Two paragraphs, so that "after the first" differs from "at the end".
	story := newStory(t, signIn(t, srv, "editor"), "湖畔晨读成风景")
	art, err := a.Store.Article(ctx, story)
	if err != nil {
		t.Fatal(err)
	}
	art.Body = "<p>正文第一段。</p><p>正文第二段。</p>"
	if err := a.Articles.Update(ctx, editorActor(t, a), &art); err != nil {
		t.Fatal(err)
	}

	b := browser(t, 1280, 900, true)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(b, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	articlePath := fmt.Sprintf("/desk/articles/%d", story)
	var label string
	run("the editor opens the story and puts the cursor in the first paragraph", deskLogin(base, "editor"),
		chromedp.Navigate(base+articlePath),
		chromedp.WaitVisible(".editor p", chromedp.ByQuery),
		chromedp.Click(".editor p", chromedp.ByQuery),
		chromedp.Text(".editor-library > button", &label, chromedp.ByQuery),
	)
	if label != msg("editor.library") {
		t.Errorf("the library button says %q, want %q", label, msg("editor.library"))
	}
	var picks int
	run("search the library by credit",
		chromedp.SendKeys(".editor-library input[type=search]", credit, chromedp.ByQuery),
		chromedp.Click(".editor-library > button", chromedp.ByQuery),
		chromedp.WaitVisible(".editor-library .picks button img", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".editor-library .picks button").length`, &picks),
	)
	if picks != 1 {
		t.Errorf("searching the library for %s: %d picks, want 1", credit, picks)
	}
	waitImages(t, b, ".editor-library .picks img")
	var order []string
	run("click the first pick",
		chromedp.Click(".editor-library .picks button", chromedp.ByQuery),
		chromedp.WaitVisible(".editor > figure > img", chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelector(".editor").children].map(n => n.tagName)`, &order),
		chromedp.Evaluate(`document.querySelector(".editor-library").scrollIntoView({block: "center"})`, nil),
	)
	if strings.Join(order, " ") != "P FIGURE P" {
		t.Errorf("editor blocks after the pick: %v, want P FIGURE P", order)
	}
	waitImages(t, b, ".editor > figure img")
	screenshot(t, b, "desk-editor-library-pick")

	run("save the story", clickFor(fmt.Sprintf(`form.card[action="%s"] button[type=submit]`, articlePath), msg("desk.saved")))
	art, err = a.Store.Article(ctx, story)
	if err != nil {
		t.Fatal(err)
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(art.Body))
	if err != nil {
		t.Fatal(err)
	}
	first := d.Find("body > p").First()
	fig := first.Next()
	src, _ := fig.Find("img").Attr("src")
	if strings.TrimSpace(first.Text()) != "正文第一段。" || goquery.NodeName(fig) != "figure" || !strings.HasPrefix(src, fmt.Sprintf("/media/%d/", m.ID)) {
		t.Errorf("stored body: want the library figure (<img src=\"/media/%d/…\">) right after the first paragraph, got %s", m.ID, art.Body)
	}
	if c := fig.Find("figcaption").Text(); !strings.Contains(c, credit) {
		t.Errorf("stored figure caption %q lacks the credit %s", c, credit)
	}
}

// TestUnreadablePhotoInTheLibraryInChromium: a photo the variants job
// could not decode is marked on its library card and page, at a phone's
// and a desktop's width, without the page scrolling sideways.
func TestUnreadablePhotoInTheLibraryInChromium(t *testing.T) {
	a, srv := deskServer(t)
	bg := context.Background()
	_, broken := undecodableJPEG(t, 15)
	c, err := a.Media.CheckStructure(bg, "读不出的照片.jpg", broken)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Media.SaveChecked(bg, model.SystemActor("import"), c, model.Media{Alt: "坏图", Caption: "导入时结构完整、像素读不出的照片"})
	if err != nil {
		t.Fatal(err)
	}
	a.Jobs.RunDue(bg) // the demo's variants, and this photo marked
	if got, _ := a.Store.Media(bg, m.ID); got.Unreadable == "" {
		t.Fatal("the photo was not marked")
	}
	for _, width := range []int64{360, 1280} {
		ctx := browser(t, width, 900, true)
		var badge, facts string
		var scroll int64
		if err := chromedp.Run(ctx, deskLogin(srv.URL, "editor"),
			chromedp.Navigate(srv.URL+"/desk/library"),
			chromedp.WaitVisible(".library .unreadable", chromedp.ByQuery),
			chromedp.Text(".library .unreadable", &badge, chromedp.ByQuery),
		); err != nil {
			t.Fatalf("%d px library: %v", width, err)
		}
		screenshot(t, ctx, fmt.Sprintf("library-unreadable-%d", width))
		if err := chromedp.Run(ctx, chromedp.Navigate(fmt.Sprintf("%s/desk/library/%d", srv.URL, m.ID)),
			chromedp.WaitVisible(".facts", chromedp.ByQuery),
			chromedp.Text(".facts", &facts, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		); err != nil {
			t.Fatalf("%d px library page: %v", width, err)
		}
		screenshot(t, ctx, fmt.Sprintf("library-item-unreadable-%d", width))
		if !strings.Contains(badge, "无法解码") || !strings.Contains(facts, "无法解码") {
			t.Errorf("%d px: badge %q, page %q", width, badge, facts)
		}
		if scroll > width {
			t.Errorf("%d px: the photo's page is %d px wide", width, scroll)
		}
	}
}
