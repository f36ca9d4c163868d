package article

import (
	"strings"
	"testing"
)

func TestSanitizeKeepsNewsFormatting(t *testing.T) {
	in := `<h2>小标题</h2><p><strong>加粗</strong>与<em>斜体</em></p><ul><li>一</li></ul><table><tr><td>格</td></tr></table>` +
		`<figure><img src="/media/1/a.jpg" alt="“开班仪式”现场,师生合影" width="1200" height="800" loading="lazy"><figcaption>图片说明</figcaption></figure>`
	out := Sanitize(in)
	for _, want := range []string{"<h2>", "<strong>", "<ul>", "<table>", "<figure>", "<figcaption>", `alt="“开班仪式”现场,师生合影"`, `loading="lazy"`} {
		if !strings.Contains(out, want) {
			t.Errorf("sanitised body lost %s: %s", want, out)
		}
	}
}

func TestSanitizeRemovesScript(t *testing.T) {
	for _, in := range []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror="alert(1)">`,
		`<a href="javascript:alert(1)">x</a>`,
		`<iframe src="https://evil.example/"></iframe>`,
		`<p style="background:url(javascript:alert(1))">x</p>`,
		`<svg onload=alert(1)>`,
	} {
		out := Sanitize(in)
		for _, bad := range []string{"<script", "onerror", "javascript:", "<iframe", "onload", "style="} {
			if strings.Contains(strings.ToLower(out), bad) {
				t.Errorf("Sanitize(%q) = %q keeps %s", in, out, bad)
			}
		}
	}
}

// TestSanitizeKeepsOnlyTheSiteVideo: a library video keeps exactly the
// form the site shows (native controls, metadata preloaded, its poster);
// autoplay, handlers, outside sources, tracks and a video with no library
// file are dropped; sanitising twice changes nothing more.
func TestSanitizeKeepsOnlyTheSiteVideo(t *testing.T) {
	want := `<figure class="video"><video controls="" preload="metadata" poster="/media/7/poster.jpg" src="/media/8/talk.mp4"></video><figcaption>开学典礼</figcaption></figure>`
	for _, in := range []string{
		`<figure class="video"><video controls preload="metadata" poster="/media/7/poster.jpg" src="/media/8/talk.mp4"></video><figcaption>开学典礼</figcaption></figure>`,
		`<figure class="video"><video autoplay muted loop onplay="alert(1)" preload="auto" poster="/media/7/poster.jpg" src="/media/8/talk.mp4"><source src="https://evil.example/x.mp4"><track src="/x.vtt"></video><figcaption>开学典礼</figcaption></figure>`,
	} {
		out := Sanitize(in)
		if out != want {
			t.Errorf("Sanitize(%s)\n = %s\nwant %s", in, out, want)
		}
		if again := Sanitize(out); again != out {
			t.Errorf("sanitising twice changed %s into %s", out, again)
		}
	}
	for _, in := range []string{
		`<video src="https://evil.example/x.mp4" poster="/media/7/p.jpg"></video>`,
		`<video src="javascript:alert(1)"></video>`,
		`<video><source src="/media/8/talk.mp4"></video>`,
	} {
		if out := Sanitize(in); strings.Contains(out, "<video") || strings.Contains(out, "evil") || strings.Contains(out, "javascript") {
			t.Errorf("Sanitize(%s) = %s", in, out)
		}
	}
	if out := Sanitize(`<video src="/media/8/talk.mp4" poster="https://evil.example/p.jpg"></video>`); out != `<video controls="" preload="metadata" src="/media/8/talk.mp4"></video>` {
		t.Errorf("an outside poster: %s", out)
	}
}
