package article

import "testing"

// Images finds a body's pictures in reading order, whatever the tags'
// case, and none in a body of text (which it no longer parses).
func TestImagesOfABody(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []string
	}{
		{"<p>只有文字 <i>斜体</i> a<b</p>", nil},
		{"<p>一</p><figure><img src=\"/media/3/a.jpg\" alt=\" 图一 \"></figure><p>二<IMG SRC=\"/x.png\"></p>", []string{"/media/3/a.jpg", "/x.png"}},
		{"<p>末尾<im", nil},
	} {
		got := Images(tc.body)
		if len(got) != len(tc.want) {
			t.Fatalf("Images(%q) = %+v, want %v", tc.body, got, tc.want)
		}
		for i, img := range got {
			if img.Src != tc.want[i] || img.N != i+1 {
				t.Errorf("Images(%q)[%d] = %+v, want src %s", tc.body, i, img, tc.want[i])
			}
		}
	}
	if got := Images(`<img src="/media/3/a.jpg" alt=" 图一 ">`); got[0].Alt != "图一" || got[0].MediaID != 3 {
		t.Errorf("first picture: %+v, want alt 图一 and library file 3", got[0])
	}
}
