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
