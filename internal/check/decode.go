package check

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// DecodeList reads an imported rule list file as text, whatever Chinese
// Windows saved it as: UTF-8 (with or without a byte-order mark), UTF-16
// with its byte-order mark (Notepad's "Unicode"), or else GB18030, which
// covers GBK and GB2312 (the "ANSI" of a Chinese Windows). Read as UTF-8,
// a GBK file would be every line garbled and refused.
func DecodeList(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:])
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		if s, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b); err == nil {
			return string(s)
		}
	case !utf8.Valid(b):
		if s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil && utf8.Valid(s) {
			return string(s)
		}
	}
	return string(b)
}
