package check_test

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"newsdesk/internal/check"
)

// TestDecodeList: a list saved as UTF-8 (with or without BOM), UTF-16
// with BOM or GBK reads back as the same text.
func TestDecodeList(t *testing.T) {
	const text = "既使 → 即使\n按装 → 安装 | warn\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String(text)
	for name, in := range map[string]string{"utf-8": text, "utf-8 bom": "\ufeff" + text, "gbk": gbk, "utf-16le": le, "utf-16be": be} {
		if got := check.DecodeList([]byte(in)); got != text {
			t.Errorf("%s: %q", name, got)
		}
	}
}
