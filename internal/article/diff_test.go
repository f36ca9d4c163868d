package article

import (
	"reflect"
	"testing"
)

func TestDiffText(t *testing.T) {
	got := DiffText("研究生院举办导师培训会", "研究生院举办2026年导师培训会")
	want := []Change{{Text: "研究生院举办"}, {Text: "2026年", Inserted: true}, {Text: "导师培训会"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DiffText = %+v", got)
	}
	if got := DiffText("同样", "同样"); len(got) != 1 || got[0].Deleted || got[0].Inserted {
		t.Errorf("no change = %+v", got)
	}
}

func TestDiffBody(t *testing.T) {
	old := "<p>第一段。</p><p>第二段。</p><p>第三段。</p>"
	new := "<h2>小标题</h2><p>第一段。</p><p>第二段改了。</p><p>第三段。</p>"
	got := DiffBody(old, new)
	want := []Change{{Text: "小标题", Inserted: true}, {Text: "第一段。"}, {Text: "第二段改了。", Inserted: true}, {Text: "第二段。", Deleted: true}, {Text: "第三段。"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DiffBody = %+v", got)
	}
}
